import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';
import { freeText, parseInput, singleLine } from '../../../core/validation';
import { errorItem, itemLabel, nodeError } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { ItemParameters } from '../../shared/parameters';
import { identityProperties, readRef } from '../../shared/identity';

const show = { resource: ['contact'], operation: ['setHold'] };

export const description: INodeProperties[] = [
	...identityProperties(show),
	{
		displayName: 'Keep Until',
		name: 'until',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Until when the law requires the data to be kept (e.g. 7 years after the last invoice)',
		displayOptions: { show },
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'invoices: tax law, 7 years',
		description: 'Why the data must be kept; shown when an erasure is suppressed because of it',
		displayOptions: { show },
	},
	{
		displayName: 'Operator',
		name: 'operator',
		type: 'string',
		default: '',
		description: 'Name of the person setting the hold, kept as evidence',
		displayOptions: { show },
	},
];

const HoldSchema = z.object({
	until: z.coerce.date({ error: 'give a date, e.g. 2033-12-31' }),
	reason: freeText(500).min(1, 'say why the data must be kept (e.g. "invoices: tax law, 7 years")'),
	operator: singleLine(200).optional(),
});

/** A retention hold: while it lasts, erasure suppresses the person instead of deleting them. */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const params = new ItemParameters(this, items);
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const ref = readRef(params, i);
			const h = parseInput(HoldSchema, { until: params.get('until', i) || undefined, reason: params.get('reason', i), operator: params.get('operator', i, '') || undefined }, itemLabel(i));
			const subject = await ledger.hold(ref, h.until, h.reason, { actor: h.operator ? { kind: 'operator', name: h.operator } : { kind: 'operator' } });
			out.push({ json: { subjectId: subject.id, holdUntil: subject.holdUntil, holdReason: subject.holdReason }, pairedItem: { item: i } });
		} catch (error) {
			if (!this.continueOnFail()) throw nodeError(this.getNode(), error, i);
			out.push(errorItem(error, i));
		}
	}
	return [out];
}
