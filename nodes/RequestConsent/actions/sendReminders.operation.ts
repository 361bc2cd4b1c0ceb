import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';
import { ChannelSchema, TopicSchema } from '../../../core/consent/identity';
import { parseInput } from '../../../core/validation';
import { CHANNEL_OPTIONS } from '../../shared/descriptions';
import { errorItem, nodeError } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { ItemParameters } from '../../shared/parameters';
import { Delivery, deliveryProperties, readDelivery } from './delivery';

const show = { operation: ['sendReminders'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'Run this on a schedule (e.g. a Schedule Trigger once a day). Each run reminds the invitations that are due, once, whatever the number of input items.',
		name: 'remindersNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'After Days',
		name: 'afterDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 7,
		description: 'Remind an invitation that has had no answer for this many days since its last mail',
		displayOptions: { show },
	},
	{
		displayName: 'Max Reminders',
		name: 'maxReminders',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'At most this many reminders per invitation; after that, Expire ends it',
		displayOptions: { show },
	},
	...filterProperties(show),
	...deliveryProperties(['sendReminders']),
];

/** Max per run, topic and channel: which pending consents a scheduled run handles. */
export function filterProperties(showFor: { operation: string[] }): INodeProperties[] {
	return [
		{
			displayName: 'Max per Run',
			name: 'maxPerRun',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1000,
			description: 'At most this many consents in one run; the rest follow in the next run',
			displayOptions: { show: showFor },
		},
		{
			displayName: 'Only Topic',
			name: 'onlyTopic',
			type: 'string',
			default: '',
			placeholder: 'newsletter',
			description: 'Only this subscription type; empty for all',
			displayOptions: { show: showFor },
		},
		{
			displayName: 'Only Channel',
			name: 'onlyChannel',
			type: 'options',
			options: [{ name: 'All Channels', value: 'all' }, ...CHANNEL_OPTIONS],
			default: 'all',
			description: 'Only this channel',
			displayOptions: { show: showFor },
		},
	];
}

export const FilterSchema = z.object({
	afterDays: z.number({ error: 'give a number of days' }).int('a whole number of days').min(0, 'not negative'),
	maxPerRun: z.number().int().min(1, 'at least 1').max(100_000, 'at most 100000 per run').default(1000),
	onlyTopic: z
		.string()
		.optional()
		.transform((v) => (v?.trim() ? v : undefined))
		.pipe(TopicSchema.optional()),
	onlyChannel: z.union([z.literal('all'), ChannelSchema]).default('all'),
});

export function readFilter(params: ItemParameters) {
	const f = parseInput(
		FilterSchema,
		{
			afterDays: params.get('afterDays', 0),
			maxPerRun: params.get('maxPerRun', 0, 1000),
			onlyTopic: params.get('onlyTopic', 0, ''),
			onlyChannel: params.get('onlyChannel', 0, 'all'),
		},
		'parameters',
	);
	return { afterDays: f.afterDays, limit: f.maxPerRun, topic: f.onlyTopic, channel: f.onlyChannel === 'all' ? undefined : f.onlyChannel };
}

/** Send Reminders: the due invitations become `reminded`, each with fresh links, and get a reminder mail. */
export async function execute(this: IExecuteFunctions, { ledger, credential }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const params = new ItemParameters(this, items);
	const paired = { item: 0 };
	try {
		const filter = readFilter(params);
		const maxReminders = parseInput(z.number().int().min(1, 'at least 1').max(10, 'at most 10'), params.get('maxReminders', 0, 1), 'parameters, maxReminders');
		const settings = readDelivery(params, 0);
		const delivery = await Delivery.prepare(this, credential, 'reminder', [settings]);
		const due = await ledger.remind({ ...filter, maxReminders, evidence: { actor: { kind: 'system' }, source: { kind: 'workflow', ref: `n8n: ${node.name}` } } });
		const delivered = await delivery.deliver(
			ledger,
			due.map((d) => ({
				itemIndex: 0,
				kind: 'reminder' as const,
				settings,
				subjectId: d.subjectId,
				email: d.email,
				name: d.name,
				locale: d.locale,
				channel: d.channel,
				topics: [d.topic],
				confirmToken: d.confirmToken!,
				unsubscribeToken: d.unsubscribeToken!,
			})),
		);
		const done = due.map((d, k): INodeExecutionData => {
			const out = delivered[k];
			if (out.error) {
				if (!this.continueOnFail()) throw nodeError(node, out.error, 0);
				return errorItem(out.error, 0);
			}
			return {
				json: {
					outcome: 'reminded',
					subjectId: d.subjectId,
					email: d.email,
					phone: d.phone,
					name: d.name,
					locale: out.locale,
					topic: d.topic,
					channel: d.channel,
					status: d.status,
					reminders: d.reminders,
					...out.links,
					sent: out.sent,
					messageId: out.messageId,
					...(out.note ? { note: out.note } : {}),
					mail: out.mail,
				},
				pairedItem: paired,
			};
		});
		return [done, []];
	} catch (error) {
		if (!this.continueOnFail()) throw nodeError(node, error);
		return [[errorItem(error, 0)], []];
	}
}
