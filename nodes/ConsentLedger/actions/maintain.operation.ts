import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { HOLDS_ENDING_WITHIN_DAYS, MaintainOptionsSchema, PURGE_AFTER_DAYS } from '../../../core/ledger';
import { parseInput } from '../../../core/validation';
import { errorItem, nodeError } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';

const show = { resource: ['ledger'], operation: ['maintain'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Purge After (Days)',
		name: 'purgeAfterDays',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: PURGE_AFTER_DAYS,
		description:
			'Erase people who are only an unconfirmed signup or an expired invitation after this many days (a receipt without the address stays). At least the confirmation link\'s life.',
		displayOptions: { show },
	},
	{
		displayName: 'List Holds Ending Within (Days)',
		name: 'holdsEndingWithinDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: HOLDS_ENDING_WITHIN_DAYS,
		description: 'Retention holds that end within this many days are listed',
		displayOptions: { show },
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: 'Whether to only count what would be done, changing nothing',
		displayOptions: { show },
	},
];

/**
 * The daily maintenance (core/ledger/retention.ts): holds that ended end and the erasure they
 * deferred is carried out; unconfirmed signups and expired invitations past the term are purged;
 * holds ending soon are listed. One item with the counts, once per run; no purged address.
 */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	try {
		const options = parseInput(
			MaintainOptionsSchema,
			{
				purgeAfterDays: this.getNodeParameter('purgeAfterDays', 0, PURGE_AFTER_DAYS),
				holdsEndingWithinDays: this.getNodeParameter('holdsEndingWithinDays', 0, HOLDS_ENDING_WITHIN_DAYS),
				dryRun: this.getNodeParameter('dryRun', 0, false),
			},
			'Maintain',
		);
		const evidence = { actor: { kind: 'system' as const }, source: { kind: 'workflow' as const, ref: `n8n: ${this.getNode().name}` } };
		const result = await ledger.maintain(options, evidence);
		return [[{ json: result as unknown as IDataObject, pairedItem: { item: 0 } }]];
	} catch (error) {
		if (!this.continueOnFail()) throw nodeError(this.getNode(), error);
		return [[errorItem(error, 0)]];
	}
}
