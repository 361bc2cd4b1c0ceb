import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';
import { ChannelSchema, SubjectRefSchema, type SubjectRef } from '../../../core/consent/identity';
import type { Channel } from '../../../core/consent/statuses';
import { TopicsScopeSchema, type TopicsScope } from '../../../core/ledger';
import { freeText, parseInput, singleLine } from '../../../core/validation';
import {
	channelParameter,
	emailParameter,
	externalIdParameter,
	given,
	phoneParameter,
	SOURCE_KIND_OPTIONS,
	splitTopics,
	subjectIdParameter,
	topicsParameter,
} from '../../shared/descriptions';
import { errorItem, itemLabel, nodeError } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { ItemParameters } from '../../shared/parameters';

const show = { operation: ['byAddress'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'Only for input you trust (your CRM, an operator, a mail whose sender is proven): anyone who can put an address here can unsubscribe it. Links from mails go through By Link.',
		name: 'trustNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{ ...emailParameter, displayOptions: { show } },
	{ ...phoneParameter, displayOptions: { show } },
	{ ...externalIdParameter, displayOptions: { show } },
	{ ...subjectIdParameter, displayOptions: { show } },
	{ ...channelParameter('The channel to unsubscribe from'), displayOptions: { show } },
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		options: [
			{ name: 'All Topics', value: 'all', description: 'Every topic the person has on this channel' },
			{ name: 'Some Topics', value: 'topics', description: 'Only the topics listed' },
		],
		default: 'all',
		description: 'What to unsubscribe from',
		displayOptions: { show },
	},
	{ ...topicsParameter, displayOptions: { show: { ...show, scope: ['topics'] } } },
	{
		displayName: 'Evidence',
		name: 'evidence',
		type: 'collection',
		placeholder: 'Add Evidence',
		default: {},
		description: 'How the request came in; kept with the change as proof',
		displayOptions: { show },
		options: [
			{ displayName: 'Source', name: 'sourceKind', type: 'options', options: SOURCE_KIND_OPTIONS, default: 'api', description: 'What kind of source the request came from' },
			{ displayName: 'Source Reference', name: 'sourceRef', type: 'string', default: '', description: 'Which one: the CRM record, the ticket, the mail' },
			{ displayName: 'Operator', name: 'operator', type: 'string', default: '', description: 'Name of the person who handled it, if a person did' },
			{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'What happened, in a few words' },
		],
	},
];

const EvidenceSchema = z.object({
	sourceKind: z.string().optional(),
	sourceRef: singleLine(500).optional(),
	operator: singleLine(200).optional(),
	description: freeText(2000).optional(),
});

/**
 * By address: every item is checked first (a wrong one stops the run before anything changes),
 * then unsubscribed per item; not_found when the ledger does not know the person.
 */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const params = new ItemParameters(this, items);
	const out: Array<INodeExecutionData | undefined> = items.map(() => undefined);
	const requests: Array<{ i: number; ref: SubjectRef; channel: Channel; scope: TopicsScope; evidence: z.output<typeof EvidenceSchema> }> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const where = itemLabel(i);
			const ref = parseInput(
				SubjectRefSchema,
				{
					email: given(params.get('email', i)),
					phone: given(params.get('phone', i)),
					externalId: given(params.get('externalId', i)),
					subjectId: given(params.get('subjectId', i)),
				},
				where,
			);
			const channel = parseInput(ChannelSchema, params.get('channel', i), `${where}, channel`);
			const scope = parseInput(TopicsScopeSchema, params.get('scope', i) === 'topics' ? splitTopics(params.get('topics', i)) : 'all', `${where}, topics`);
			const evidence = parseInput(EvidenceSchema, params.get('evidence', i, {}), `${where}, evidence`);
			requests.push({ i, ref, channel, scope, evidence });
		} catch (error) {
			if (!continueOnFail) throw nodeError(node, error, i);
			out[i] = errorItem(error, i);
		}
	}
	for (const { i, ref, channel, scope, evidence: e } of requests) {
		try {
			const done = await ledger.unsubscribeByRef(ref, scope, channel, {
				actor: given(e.operator) ? { kind: 'operator', name: e.operator } : { kind: 'system' },
				source: { kind: given(e.sourceKind) ?? 'api', ref: given(e.sourceRef) },
				description: given(e.description),
			});
			out[i] = {
				json: done.found
					? { outcome: done.outcome, found: true, subjectId: done.subjectId, channel: done.channel, topics: done.topics.map((t) => ({ ...t })) }
					: { outcome: 'not_found', found: false, subjectId: null, channel, topics: [] },
				pairedItem: { item: i },
			};
		} catch (error) {
			if (!continueOnFail) throw nodeError(node, error, i);
			out[i] = errorItem(error, i);
		}
	}
	return [out.filter((o): o is INodeExecutionData => o !== undefined)];
}
