import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { withLedger } from '../../shared/ledger-connection';
import * as byAddress from './byAddress.operation';
import * as byLink from './byLink.operation';

const operations = { byLink, byAddress };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as keyof typeof operations;
	if (!(operation in operations)) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported.`);
	return await withLedger(this, async (connection) => await operations[operation].execute.call(this, connection));
}
