import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { z } from 'zod/v4';
import { SubjectRefSchema, type SubjectRef } from '../../core/consent/identity';
import { freeText, parseInput, singleLine } from '../../core/validation';
import { given } from '../shared/descriptions';
import { errorItem, itemLabel, nodeError } from '../shared/errors';
import type { LedgerConnection } from '../shared/ledger-connection';
import { ItemParameters } from '../shared/parameters';

const OUTPUT = { erased: 0, suppressed: 1, not_found: 2 } as const;

const EraseParametersSchema = z.object({
	reason: freeText(500).min(1, 'say why the data is erased, e.g. "erasure request by mail"'),
	sourceKind: z.string().optional(),
	operator: singleLine(200).optional(),
});

/**
 * Erase Contact: every item is read and checked first, so a wrong item stops the run before
 * anything is erased; then ledger.erase per item. The output holds no personal data: the receipt,
 * the ledger id, and the external ids the CRM should delete.
 */
export async function eraseContacts(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const params = new ItemParameters(this, items);
	const outputs: INodeExecutionData[][] = [[], [], []];
	const requests: Array<{ itemIndex: number; ref: SubjectRef; p: z.output<typeof EraseParametersSchema> }> = [];
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
			const evidence = params.get<{ sourceKind?: string; operator?: string }>('evidence', i, {});
			const p = parseInput(EraseParametersSchema, { reason: params.get('reason', i), sourceKind: given(evidence.sourceKind), operator: given(evidence.operator) }, where);
			requests.push({ itemIndex: i, ref, p });
		} catch (error) {
			if (!continueOnFail) throw nodeError(node, error, i);
			outputs[0].push(errorItem(error, i));
		}
	}
	for (const { itemIndex, ref, p } of requests) {
		try {
			const result = await ledger.erase(ref, {
				reason: p.reason,
				evidence: { actor: p.operator ? { kind: 'operator', name: p.operator } : { kind: 'system' }, source: { kind: p.sourceKind ?? 'api' } },
			});
			outputs[OUTPUT[result.outcome]].push({
				json: {
					outcome: result.outcome,
					receiptId: result.receiptId,
					subjectId: result.subjectId,
					externalIds: result.externalIds,
					holdReason: result.holdReason,
					holdUntil: result.holdUntil,
				},
				pairedItem: { item: itemIndex },
			});
		} catch (error) {
			if (!continueOnFail) throw nodeError(node, error, itemIndex);
			outputs[0].push(errorItem(error, itemIndex));
		}
	}
	return outputs;
}
