import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { errorItem, nodeError } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { ItemParameters } from '../../shared/parameters';
import { identityProperties, readRef } from '../../shared/identity';

const show = { resource: ['contact'], operation: ['releaseHold'] };

export const description: INodeProperties[] = [...identityProperties(show)];

/** Lifts a retention hold: an erasure then deletes again. */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const params = new ItemParameters(this, items);
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const ref = readRef(params, i);
			const subject = await ledger.releaseHold(ref, { actor: { kind: 'operator' }, source: { kind: 'workflow', ref: `n8n: ${this.getNode().name}` } });
			out.push({ json: { subjectId: subject.id, holdUntil: subject.holdUntil, holdReason: subject.holdReason }, pairedItem: { item: i } });
		} catch (error) {
			if (!this.continueOnFail()) throw nodeError(this.getNode(), error, i);
			out.push(errorItem(error, i));
		}
	}
	return [out];
}
