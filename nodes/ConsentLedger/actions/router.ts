import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { withLedger, type LedgerConnection } from '../../shared/ledger-connection';
import * as actOnRequest from './actOnRequest.operation';
import * as exportCallList from './exportCallList.operation';
import * as getHistory from './getHistory.operation';
import * as importContacts from './importContacts.operation';
import * as listRequests from './listRequests.operation';
import * as maintain from './maintain.operation';
import * as releaseHold from './releaseHold.operation';
import * as report from './report.operation';
import * as setHold from './setHold.operation';
import * as setPurpose from './setPurpose.operation';
import * as setStatus from './setStatus.operation';

const operations = {
	contact: { importContacts, getHistory, setStatus, setPurpose, setHold, releaseHold },
	ledger: { report, exportCallList, maintain },
	request: { actOnRequest, listRequests },
} as const;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as keyof typeof operations;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = (operations[resource] as Record<string, { execute: (this: IExecuteFunctions, connection: LedgerConnection) => Promise<INodeExecutionData[][]> }> | undefined)?.[
		operation
	];
	if (!run) throw new NodeOperationError(this.getNode(), `The operation "${resource} ${operation}" is not supported.`);
	return await withLedger(this, async (connection) => await run.execute.call(this, connection));
}
