import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';
import type { Ledger } from '../../../core/ledger';
import { freeText, parseInput, singleLine } from '../../../core/validation';
import { given, operatorActor } from '../../shared/descriptions';
import { itemLabel } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { identityProperties, mapPeople } from '../../shared/identity';

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
	return [
		await mapPeople(this, async (ref, i, params) => {
			const h = parseInput(HoldSchema, { until: params.get('until', i) || undefined, reason: params.get('reason', i), operator: given(params.get('operator', i, '')) }, itemLabel(i));
			return holdItem(await ledger.hold(ref, h.until, h.reason, { actor: operatorActor(h.operator) }));
		}),
	];
}

/** A person's retention hold as Set and Lift Retention Hold put it out. */
export function holdItem(subject: Awaited<ReturnType<Ledger['hold']>>): { json: IDataObject } {
	return { json: { subjectId: subject.id, holdUntil: subject.holdUntil, holdReason: subject.holdReason } };
}
