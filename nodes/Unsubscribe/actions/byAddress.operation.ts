import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';
import { ChannelSchema } from '../../../core/consent/identity';
import { TopicsScopeSchema } from '../../../core/ledger';
import { freeText, parseInput, singleLine } from '../../../core/validation';
import { channelParameter, given, operatorActor, SOURCE_KIND_OPTIONS, splitTopics, topicsParameter } from '../../shared/descriptions';
import { itemLabel } from '../../shared/errors';
import { identityProperties, readRef } from '../../shared/identity';
import { eachItem, inputIndices, succeeded } from '../../shared/items';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { ItemParameters } from '../../shared/parameters';
import { handledBy, requestIdOption, RequestIdSchema } from '../../shared/register';

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
	...identityProperties(show),
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
			requestIdOption,
		],
	},
];

const EvidenceSchema = z.object({
	sourceKind: z.string().optional(),
	sourceRef: singleLine(500).optional(),
	operator: singleLine(200).optional(),
	description: freeText(2000).optional(),
	requestId: RequestIdSchema,
});

/**
 * By address: every item is checked first (a wrong one stops the run before anything changes),
 * then unsubscribed per item; not_found when the ledger does not know the person.
 */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const params = new ItemParameters(this, this.getInputData());
	const read = await eachItem(this, inputIndices(this), (i) => {
		const where = itemLabel(i);
		const ref = readRef(params, i);
		const channel = parseInput(ChannelSchema, params.get('channel', i), `${where}, channel`);
		const scope = parseInput(TopicsScopeSchema, params.get('scope', i) === 'topics' ? splitTopics(params.get('topics', i)) : 'all', `${where}, topics`);
		const evidence = parseInput(EvidenceSchema, params.get('evidence', i, {}), `${where}, evidence`);
		return { ref, channel, scope, evidence };
	});
	const requests = succeeded(read);
	const done = await eachItem(this, [...requests.keys()], async (i): Promise<INodeExecutionData> => {
		const { ref, channel, scope, evidence: e } = requests.get(i)!;
		// The unsubscribe and its line in the requests register commit together.
		const r = await ledger.atomically(async () => {
			const r = await ledger.unsubscribeByRef(ref, scope, channel, {
				actor: operatorActor(given(e.operator), 'system'),
				source: { kind: given(e.sourceKind) ?? 'api', ref: given(e.sourceRef) },
				description: given(e.description),
			});
			await ledger.recordHandledRequest({
				requestId: given(e.requestId),
				channel: 'node',
				kind: 'unsubscribe',
				handledBy: handledBy(this, given(e.operator)),
				outcome: r.outcome,
				subjectId: r.found ? r.subjectId : null,
				address: ref.email ?? ref.phone ?? null,
			});
			return r;
		});
		return {
			json: r.found
				? { outcome: r.outcome, found: true, subjectId: r.subjectId, channel: r.channel, topics: r.topics.map((t) => ({ ...t })) }
				: { outcome: 'not_found', found: false, subjectId: null, channel, topics: [] },
			pairedItem: { item: i },
		};
	});
	// In item order: each item's result, or its error item from either step.
	const out = [...read.flatMap((o) => ('error' in o ? [{ itemIndex: o.itemIndex, item: o.error }] : [])), ...done.map((o) => ({ itemIndex: o.itemIndex, item: 'error' in o ? o.error : o.value }))];
	return [out.sort((a, b) => a.itemIndex - b.itemIndex).map((o) => o.item)];
}
