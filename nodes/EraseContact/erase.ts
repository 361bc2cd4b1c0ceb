import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { z } from 'zod/v4';
import { freeText, parseInput, singleLine } from '../../core/validation';
import { given, operatorActor } from '../shared/descriptions';
import { itemLabel } from '../shared/errors';
import { readRef } from '../shared/identity';
import { eachItem, failures, inputIndices, succeeded } from '../shared/items';
import type { LedgerConnection } from '../shared/ledger-connection';
import { ItemParameters } from '../shared/parameters';
import { handledBy, RequestIdSchema } from '../shared/register';

const OUTPUT = { erased: 0, suppressed: 1, not_found: 2 } as const;

const EraseParametersSchema = z.object({
	reason: freeText(500).min(1, 'say why the data is erased, e.g. "erasure request by mail"'),
	sourceKind: z.string().optional(),
	operator: singleLine(200).optional(),
	requestId: RequestIdSchema,
});

/**
 * Erase Contact: every item is read and checked first, so a wrong item stops the run before
 * anything is erased; then ledger.erase per item. The output holds no personal data: the receipt,
 * the ledger id, and the external ids the CRM should delete.
 */
export async function eraseContacts(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const params = new ItemParameters(this, this.getInputData());
	const read = await eachItem(this, inputIndices(this), (i) => {
		const ref = readRef(params, i);
		const evidence = params.get<{ sourceKind?: string; operator?: string; requestId?: string }>('evidence', i, {});
		const p = parseInput(
			EraseParametersSchema,
			{ reason: params.get('reason', i), sourceKind: given(evidence.sourceKind), operator: given(evidence.operator), requestId: given(evidence.requestId) },
			itemLabel(i),
		);
		return { ref, p };
	});
	const requests = succeeded(read);
	const erased = await eachItem(this, [...requests.keys()], async (i) => {
		const { ref, p } = requests.get(i)!;
		// The erasure and its line in the requests register commit together; the register keeps no address of it.
		return await ledger.atomically(async () => {
			const r = await ledger.erase(ref, { reason: p.reason, evidence: { actor: operatorActor(p.operator, 'system'), source: { kind: p.sourceKind ?? 'api' } } });
			await ledger.recordHandledRequest({
				requestId: p.requestId || undefined,
				channel: 'node',
				kind: 'erase',
				handledBy: handledBy(this, p.operator),
				outcome: r.outcome,
				subjectId: r.subjectId,
				address: null,
				detail: `receipt=${r.receiptId}`,
			});
			return r;
		});
	});
	const outputs: INodeExecutionData[][] = [failures(read), [], []];
	for (const o of erased) {
		if ('error' in o) {
			outputs[0].push(o.error);
			continue;
		}
		const r = o.value;
		outputs[OUTPUT[r.outcome]].push({
			json: { outcome: r.outcome, receiptId: r.receiptId, subjectId: r.subjectId, externalIds: r.externalIds, holdReason: r.holdReason, holdUntil: r.holdUntil },
			pairedItem: { item: o.itemIndex },
		});
	}
	return outputs;
}
