import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { SubjectRefSchema, type SubjectRef } from '../../core/consent/identity';
import { parseInput } from '../../core/validation';
import { emailParameter, externalIdParameter, given, phoneParameter, subjectIdParameter } from './descriptions';
import { itemLabel } from './errors';
import { mapItems } from './items';
import { ItemParameters } from './parameters';

/** The four ways to name one person, shown for one operation. */
export function identityProperties(show: Record<string, string[]>): INodeProperties[] {
	return [emailParameter, phoneParameter, externalIdParameter, subjectIdParameter].map((p) => ({ ...p, displayOptions: { show } }));
}

/** The person an item names: one of email, phone, external id or subject id, checked. */
export function readRef(params: ItemParameters, i: number): SubjectRef {
	return parseInput(
		SubjectRefSchema,
		{
			email: given(params.get('email', i)),
			phone: given(params.get('phone', i)),
			externalId: given(params.get('externalId', i)),
			subjectId: given(params.get('subjectId', i)),
		},
		itemLabel(i),
	);
}

/** One output item per input item, made by `run` from the person the item names (or its error item). */
export async function mapPeople(ctx: IExecuteFunctions, run: (ref: SubjectRef, itemIndex: number, params: ItemParameters) => Promise<INodeExecutionData>): Promise<INodeExecutionData[]> {
	const params = new ItemParameters(ctx, ctx.getInputData());
	return await mapItems(ctx, async (i) => await run(readRef(params, i), i, params));
}
