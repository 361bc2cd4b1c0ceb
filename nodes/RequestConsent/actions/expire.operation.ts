import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { errorItem, nodeError } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { ItemParameters } from '../../shared/parameters';
import { filterProperties, readFilter } from './sendReminders.operation';

const show = { operation: ['expire'] };

export const description: INodeProperties[] = [
	{
		displayName: 'After Days',
		name: 'afterDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30,
		description: 'Expire a signup or invitation that has had no answer for this many days since it began',
		displayOptions: { show },
	},
	...filterProperties(show),
];

/** Expire: lapsed signups and invitations become `expired` (no consent); one item per expired consent. */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const params = new ItemParameters(this, items);
	try {
		const filter = readFilter(params);
		const expired = await ledger.expire({ ...filter, evidence: { actor: { kind: 'system' }, source: { kind: 'workflow', ref: `n8n: ${node.name}` } } });
		return [
			expired.map((d) => ({
				json: { outcome: 'expired', subjectId: d.subjectId, email: d.email, phone: d.phone, name: d.name, topic: d.topic, channel: d.channel, status: d.status, reminders: d.reminders },
				pairedItem: { item: 0 },
			})),
			[],
		];
	} catch (error) {
		if (!this.continueOnFail()) throw nodeError(node, error);
		return [[errorItem(error, 0)], []];
	}
}
