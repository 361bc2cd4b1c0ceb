import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';
import { actOnRequest, REVIEW_DECISIONS, ReviewDecisionSchema, type ReviewDecisionResult } from '../../../core/inbox';
import { MailSender } from '../../../core/mail/send';
import { parseInput, singleLine } from '../../../core/validation';
import { given } from '../../shared/descriptions';
import { errorItem, itemLabel, nodeError } from '../../shared/errors';
import { readSmtpCredential } from '../../shared/credentials';
import type { LedgerConnection } from '../../shared/ledger-connection';

const show = { resource: ['request'], operation: ['actOnRequest'] };

const DECISION_LABELS: Record<(typeof REVIEW_DECISIONS)[number], { name: string; description: string }> = {
	unsubscribe: { name: 'Unsubscribe', description: 'Unsubscribe the sender from every mail topic' },
	erase: {
		name: 'Erase',
		description: "Erase the sender's data: at once when the sender was proven, else a verification link goes to the sender's address first",
	},
	access: { name: 'Access Request', description: 'Record it as an access request (GDPR Art. 15) for the operator, and acknowledge it' },
	reject: { name: 'Reject', description: 'Nothing to do; the decision is recorded' },
};

export const description: INodeProperties[] = [
	{
		displayName: 'Request Reference',
		name: 'requestRef',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.requestRef }}',
		description: "The requestRef of the Consent Mailbox Trigger's Review item (the mail's Message-ID in the request log)",
		displayOptions: { show },
	},
	{
		displayName: 'Decision',
		name: 'decision',
		type: 'options',
		options: REVIEW_DECISIONS.map((d) => ({ value: d, ...DECISION_LABELS[d] })),
		default: 'reject',
		description: "What the officer decided. The ledger's proof rules still apply: an erasure from an unproven sender first mails a verification link.",
		displayOptions: { show },
	},
	{
		displayName: 'Decided By',
		name: 'actor',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Anna de Vries (privacy officer)',
		description: 'The name of the person who decided: the actor of the events, kept in the request log',
		displayOptions: { show },
	},
	{
		displayName: 'Note',
		name: 'note',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'Why, in a few words (kept with the events; with an erasure it goes with the person)',
		displayOptions: { show },
	},
	{
		displayName: 'Replies',
		name: 'replies',
		type: 'options',
		options: [
			{ name: 'Output for My Own Mail Node', value: 'output', description: "The composed reply is in the item's reply.mail (to, subject, text, html, headers)" },
			{ name: 'Send With Consent SMTP', value: 'smtp', description: 'Sent here with the Consent SMTP credential' },
		],
		default: 'output',
		description: 'How the answer to the sender goes out (an acknowledgement, or the verification link of an unproven erasure)',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Reply From',
				name: 'replyFrom',
				type: 'string',
				default: '',
				placeholder: 'Privacy <privacy@example.com>',
				description: 'The From of replies; default: the Privacy Mailbox of the Consent Ledger credential',
			},
		],
	},
];

const ParametersSchema = ReviewDecisionSchema.extend({
	replies: z.enum(['output', 'smtp'], { error: 'one of output, smtp' }),
	replyFrom: singleLine(300).optional(),
});

/**
 * An officer's decision on a review mail, carried out by core (core/inbox/review.ts) with the
 * ledger's proof rules; the officer is the events' actor. One item per decision.
 */
export async function execute(this: IExecuteFunctions, { ledger, credential }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[] = [];
	let sender: MailSender | undefined;
	try {
		for (let i = 0; i < items.length; i++) {
			try {
				const p = parseInput(
					ParametersSchema,
					{
						requestRef: this.getNodeParameter('requestRef', i),
						decision: this.getNodeParameter('decision', i),
						actor: this.getNodeParameter('actor', i),
						note: given(this.getNodeParameter('note', i, '')),
						replies: this.getNodeParameter('replies', i, 'output'),
						replyFrom: given((this.getNodeParameter('options', i, {}) as IDataObject).replyFrom),
					},
					itemLabel(i),
				);
				if (p.replies === 'smtp' && !sender) sender = new MailSender(readSmtpCredential(await this.getCredentials('consentSmtpApi')).smtp);
				const replyFrom = p.replyFrom ?? (credential.privacyMailbox ? { address: credential.privacyMailbox, name: credential.organisation } : undefined);
				const result = await actOnRequest(
					ledger,
					{ requestRef: p.requestRef, decision: p.decision, actor: p.actor, note: p.note },
					{
						replies: replyFrom
							? { replyFrom, organisation: credential.organisation, baseUrl: credential.baseUrl, privacyUrl: credential.privacyUrl, defaultLocale: credential.defaultLocale }
							: undefined,
						sendReply: sender ? (mail) => sender!.send(mail) : undefined,
						source: { kind: 'workflow', ref: `n8n: ${this.getNode().name}` },
					},
				);
				out.push({ json: decisionItem(result), pairedItem: { item: i } });
			} catch (error) {
				if (!this.continueOnFail()) throw nodeError(this.getNode(), error, i);
				out.push(errorItem(error, i));
			}
		}
	} finally {
		sender?.close();
	}
	return [out];
}

function decisionItem(r: ReviewDecisionResult): IDataObject {
	const mail = r.reply.mail;
	return {
		requestRef: r.requestRef,
		decision: r.decision,
		actor: r.actor,
		outcome: r.outcome,
		proof: r.proof,
		subjectId: r.subjectId,
		receiptId: r.receiptId,
		externalIds: [...r.externalIds],
		isRepeat: r.isRepeat,
		reply: {
			status: r.reply.status,
			to: mail?.to ?? null,
			subject: mail?.subject ?? null,
			error: r.reply.error,
			...(r.reply.status === 'pending' && mail ? { mail: { ...mail, headers: { ...mail.headers } } } : {}),
		},
	};
}
