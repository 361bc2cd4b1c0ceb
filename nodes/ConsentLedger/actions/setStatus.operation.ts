import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';
import { ChannelSchema, TopicSchema } from '../../../core/consent/identity';
import { BASES, STATUSES } from '../../../core/consent/statuses';
import { parseInput } from '../../../core/validation';
import { channelParameter, operatorProofEvidence, operatorProofProperties, topicParameter } from '../../shared/descriptions';
import { itemLabel } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { identityProperties, mapPeople } from '../../shared/identity';

const show = { resource: ['contact'], operation: ['setStatus'] };

const STATUS_LABELS: Record<(typeof STATUSES)[number], string> = {
	optin: 'Optin (Signed Up, Not Confirmed)',
	invited: 'Invited',
	reminded: 'Reminded',
	expired: 'Expired',
	confirmed: 'Confirmed',
	subscribed: 'Subscribed',
	optout: 'Optout (Declined)',
	unsubscribed: 'Unsubscribed',
	bounced: 'Bounced',
	blacklisted: 'Blacklisted',
};

export const description: INodeProperties[] = [
	...identityProperties(show),
	{ ...topicParameter, displayOptions: { show } },
	{ ...channelParameter('The channel the status is for'), displayOptions: { show } },
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: STATUSES.map((s) => ({ name: STATUS_LABELS[s], value: s })),
		default: 'unsubscribed',
		description: 'The new status. To subscribed or confirmed, and out of blacklisted, the ledger requires proof.',
		displayOptions: { show },
	},
	{
		displayName: 'Basis',
		name: 'basis',
		type: 'options',
		options: [
			{ name: 'As the Status Implies', value: 'implied', description: 'Confirmed: consent; subscribed: legitimate interest; other statuses: none' },
			...BASES.map((b) => ({ name: b === 'legitimate_interest' ? 'Legitimate Interest' : b[0].toUpperCase() + b.slice(1), value: b })),
		],
		default: 'implied',
		description: 'The legal basis the status holds on (only subscribed takes a basis of your choice)',
		displayOptions: { show },
	},
	...operatorProofProperties(show, {
		proofPlaceholder: 'signed-form-2026-11-23.pdf',
		proofDescription: 'Where the proof is: a scanned signed form, a recorded call, a ticket. Required (or a description) for subscribed, confirmed and leaving blacklisted.',
		descriptionExample: 'said yes on the phone on 21 November, call 0042',
	}),
];

const ChangeSchema = z.object({
	topic: TopicSchema,
	channel: ChannelSchema,
	status: z.enum(STATUSES, { error: `one of ${STATUSES.join(', ')}` }),
	basis: z.enum([...BASES, 'implied'], { error: `one of ${BASES.join(', ')}` }).default('implied'),
});

/** A manual status change by an operator; the ledger's transition table decides and asks for proof. */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	return [
		await mapPeople(this, async (ref, i, params) => {
			const c = parseInput(
				ChangeSchema,
				{
					topic: params.get('topic', i),
					channel: params.get('channel', i),
					status: params.get('status', i),
					basis: params.get('basis', i, 'implied'),
				},
				itemLabel(i),
			);
			const done = await ledger.setStatus(
				ref,
				{ topic: c.topic, channel: c.channel, status: c.status, basis: c.basis === 'implied' ? undefined : c.basis },
				operatorProofEvidence(params, i, this.getNode().name),
			);
			return { json: { ...done, channel: c.channel } };
		}),
	];
}
