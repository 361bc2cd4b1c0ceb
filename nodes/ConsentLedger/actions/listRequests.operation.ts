import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { RequestFilterSchema } from '../../../core/ledger';
import { parseInput } from '../../../core/validation';
import { errorItem, nodeError } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';

const show = { resource: ['request'], operation: ['listRequests'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Which requests to list; none: every request in the register',
		displayOptions: { show },
		options: [
			{ displayName: 'Only Open', name: 'open', type: 'boolean', default: true, description: 'Whether to list only requests not yet answered' },
			{ displayName: 'Only Overdue', name: 'overdue', type: 'boolean', default: true, description: 'Whether to list only open requests past their due date' },
			{
				displayName: 'Due Within (Days)',
				name: 'dueWithinDays',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 7,
				description: 'Only open requests due within this many days (overdue ones included)',
			},
		],
	},
];

/**
 * The requests register (GDPR Art. 12(3)): one item per request, the most urgent first, once per
 * run; no items when nothing matches (so a daily reminder sends nothing then).
 */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	try {
		const filter = parseInput(RequestFilterSchema, this.getNodeParameter('filters', 0, {}), 'Filters');
		const items: INodeExecutionData[] = [];
		for await (const entry of ledger.listRequests(filter)) items.push({ json: { ...entry }, pairedItem: { item: 0 } });
		return [items];
	} catch (error) {
		if (!this.continueOnFail()) throw nodeError(this.getNode(), error);
		return [[errorItem(error, 0)]];
	}
}
