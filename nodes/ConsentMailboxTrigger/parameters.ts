import type { INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';

/**
 * The trigger's parameters: what the editor shows, and the zod schema that reads them (names are
 * the parameter names, so "options.reviewFolder: ..." names the field to fix).
 */
export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'One item per request mail: intent (unsubscribe, erase, access, bounce, auto_reply, unknown), address, proof, outcome and, for an erasure, the receipt and the CRM IDs to delete. A mail leaves the inbox only after the ledger has it and the workflow run ended; nothing is ever deleted.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Mailbox',
		name: 'mailbox',
		type: 'string',
		default: 'INBOX',
		placeholder: 'INBOX',
		description: 'The folder the requests arrive in',
	},
	{
		displayName: 'Act Automatically',
		name: 'actAutomatically',
		type: 'boolean',
		default: true,
		description:
			'Whether the ledger carries out each request before the item is emitted, as the mailbox worker does: unsubscribe, erase a proven sender (others get a verification link), mark hard bounces. Off: the request is only classified and recorded, and the workflow decides.',
	},
	{
		displayName: 'Replies',
		name: 'replies',
		type: 'options',
		options: [
			{
				name: 'Output for My Own Mail Node',
				value: 'output',
				description:
					"Each item carries the composed reply in reply.mail (to, from, subject, text, html, headers): send it with n8n's Send Email, Gmail or Outlook node. It is recorded as sent when the run succeeds.",
			},
			{
				name: 'Send With Consent SMTP',
				value: 'smtp',
				description: 'The trigger sends the reply itself through the Consent SMTP credential, before the item is emitted',
			},
		],
		default: 'output',
		description:
			'How the acknowledgements (and the verification link for an unproven erasure) reach the person. Auto-replies, bounces and mailing lists are never answered.',
		displayOptions: { show: { actAutomatically: [true] } },
	},
	{
		displayName: 'Move Mail When',
		name: 'moveWhen',
		type: 'options',
		options: [
			{
				name: 'Handed Over to the Workflow',
				value: 'emitted',
				description:
					"As soon as n8n has the items, without waiting for the run: for workflows on n8n's Engine 2.0, which cannot wait yet. A failed run does not bring its mails back; replies stay recorded as pending.",
			},
			{
				name: 'Run Finished',
				value: 'executionFinished',
				description: 'After the workflow run, whether it succeeded or failed',
			},
			{
				name: 'Run Succeeded',
				value: 'executionSucceeded',
				description:
					'After the workflow run succeeded. A failed run leaves its mails in the inbox: they are emitted again later (isRepeat: true; the ledger does not act twice), and after Max Attempts moved to the review folder.',
			},
		],
		default: 'executionSucceeded',
		description: 'When a mail is marked and moved out of the inbox (to Processed, or to Review when a person has to look)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Act on Unproven Unsubscribe',
				name: 'actOnUnprovenUnsubscribe',
				type: 'boolean',
				default: true,
				description:
					'Whether to unsubscribe a sender whose address is not proven (no token, DKIM or trusted Authentication-Results). It only reduces mail, so by default yes. Off: such mails go to Review.',
			},
			{
				displayName: 'Check DKIM',
				name: 'verifyDkim',
				type: 'boolean',
				default: true,
				description:
					"Whether to verify DKIM and DMARC here (DNS lookups) when a mail has no other proof. Off when n8n cannot reach DNS, or when your border server's Authentication-Results is trusted.",
			},
			{
				displayName: 'Max Attempts',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 10,
				description: 'A mail that failed this often (processing, its reply, or its workflow run) goes to the review folder for a person',
			},
			{
				displayName: 'Max Mails per Run',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 100,
				description: 'At most this many mails become items of one workflow run; more start further runs, one after the other',
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 3600 },
				default: 60,
				description: 'The mailbox is also searched this often, in case the server does not announce new mail (IDLE)',
			},
			{
				displayName: 'Processed Folder',
				name: 'processedFolder',
				type: 'string',
				default: 'Processed',
				description: 'Where handled mails go (created when missing)',
			},
			{
				displayName: 'Reply From',
				name: 'replyFrom',
				type: 'string',
				default: '',
				placeholder: 'Privacy Voorbeeld BV <privacy@example.com>',
				description:
					"The sender of replies. Empty: the Consent Ledger credential's Privacy Mailbox, else the Consent SMTP credential's From, else the IMAP user.",
			},
			{
				displayName: 'Retry Wait (Seconds)',
				name: 'retrySeconds',
				type: 'number',
				typeOptions: { minValue: 0.1, maxValue: 3600 },
				default: 30,
				description: 'Wait before a failed mail is tried again; it doubles with each attempt',
			},
			{
				displayName: 'Review Folder',
				name: 'reviewFolder',
				type: 'string',
				default: 'Review',
				description: 'Where mails go that a person has to look at: access requests, unknown mail, repeated failures (created when missing)',
			},
			{
				displayName: 'Trusted Authserv-IDs',
				name: 'trustedAuthservIds',
				type: 'string',
				default: '',
				placeholder: 'mx.example.com',
				description:
					'Your own border mail servers, separated by commas: only their Authentication-Results header (dmarc=pass) proves a sender. Headers naming any other server are ignored, since senders can write them.',
			},
		],
	},
];

const FolderName = (field: string) =>
	z
		.string()
		.trim()
		.min(1, `give a folder name for ${field}`)
		.max(300)
		.refine((v) => !/[\r\n]/.test(v), 'a folder name has no line breaks');

export const TriggerParametersSchema = z
	.object({
		mailbox: FolderName('Mailbox').default('INBOX'),
		actAutomatically: z.boolean().default(true),
		replies: z.enum(['output', 'smtp'], { error: 'one of output, smtp' }).default('output'),
		moveWhen: z
			.enum(['executionSucceeded', 'executionFinished', 'emitted'], { error: 'one of executionSucceeded, executionFinished, emitted' })
			.default('executionSucceeded'),
		options: z
			.object({
				actOnUnprovenUnsubscribe: z.boolean().default(true),
				verifyDkim: z.boolean().default(true),
				maxAttempts: z.number().int().min(1).max(100, 'at most 100').default(10),
				batchSize: z.number().int().min(1).max(1000, 'at most 1000').default(100),
				pollSeconds: z.number().int().min(1).max(3600, 'at most 3600 (an hour)').default(60),
				processedFolder: FolderName('Processed Folder').default('Processed'),
				replyFrom: z
					.string()
					.trim()
					.optional()
					.transform((v) => (v ? v : undefined)),
				retrySeconds: z.number().min(0.1).max(3600, 'at most 3600 (an hour)').default(30),
				reviewFolder: FolderName('Review Folder').default('Review'),
				trustedAuthservIds: z
					.string()
					.default('')
					.transform((v) =>
						v
							.split(',')
							.map((id) => id.trim())
							.filter(Boolean),
					)
					.pipe(z.array(z.string().max(255).regex(/^[^\s;()]+$/, 'an authserv-id is one host name, e.g. mx.example.com'))),
			})
			// Parsed like a given {}: each option gets its own default.
			.prefault({}),
	})
	.superRefine((p, ctx) => {
		const { processedFolder, reviewFolder } = p.options;
		if (processedFolder === p.mailbox) ctx.addIssue({ code: 'custom', path: ['options', 'processedFolder'], message: 'must differ from Mailbox' });
		if (reviewFolder === p.mailbox) ctx.addIssue({ code: 'custom', path: ['options', 'reviewFolder'], message: 'must differ from Mailbox' });
	});
export type TriggerParameters = z.output<typeof TriggerParametersSchema>;
