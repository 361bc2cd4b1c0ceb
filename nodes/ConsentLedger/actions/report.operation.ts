import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { errorItem, nodeError } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';

export const description: INodeProperties[] = [];

/** Counts per topic, channel and status: one item each, once per run. */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	try {
		const counts = await ledger.report();
		return [counts.map((c) => ({ json: { ...c }, pairedItem: { item: 0 } }))];
	} catch (error) {
		if (!this.continueOnFail()) throw nodeError(this.getNode(), error);
		return [[errorItem(error, 0)]];
	}
}
