import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';
import { ChannelSchema, TopicSchema } from '../../../core/consent/identity';
import { BASES, STATUSES } from '../../../core/consent/statuses';
import { freeText, parseInput, singleLine } from '../../../core/validation';
import { channelParameter, given, operatorActor, topicParameter } from '../../shared/descriptions';
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
	{
		displayName: 'Proof Reference',
		name: 'proofRef',
		type: 'string',
		default: '',
		placeholder: 'signed-form-2026-11-23.pdf',
		description: 'Where the proof is: a scanned signed form, a recorded call, a ticket. Required (or a description) for subscribed, confirmed and leaving blacklisted.',
		displayOptions: { show },
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'What happened, e.g. "said yes on the phone on 21 November, call 0042"',
		displayOptions: { show },
	},
	{
		displayName: 'Operator',
		name: 'operator',
		type: 'string',
		default: '',
		description: 'Name of the person making the change, kept as evidence',
		displayOptions: { show },
	},
];

const ChangeSchema = z.object({
	topic: TopicSchema,
	channel: ChannelSchema,
	status: z.enum(STATUSES, { error: `one of ${STATUSES.join(', ')}` }),
	basis: z.enum([...BASES, 'implied'], { error: `one of ${BASES.join(', ')}` }).default('implied'),
	proofRef: singleLine(500).optional(),
	description: freeText(2000).optional(),
	operator: singleLine(200).optional(),
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
					proofRef: given(params.get('proofRef', i, '')),
					description: given(params.get('description', i, '')),
					operator: given(params.get('operator', i, '')),
				},
				itemLabel(i),
			);
			const done = await ledger.setStatus(
				ref,
				{ topic: c.topic, channel: c.channel, status: c.status, basis: c.basis === 'implied' ? undefined : c.basis },
				{ actor: operatorActor(c.operator), source: { kind: 'workflow', ref: `n8n: ${this.getNode().name}` }, proofRef: c.proofRef, description: c.description },
			);
			return { json: { ...done, channel: c.channel } };
		}),
	];
}
