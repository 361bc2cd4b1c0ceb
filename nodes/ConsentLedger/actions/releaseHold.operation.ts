import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { identityProperties, mapPeople } from '../../shared/identity';
import { holdItem } from './setHold.operation';

const show = { resource: ['contact'], operation: ['releaseHold'] };

export const description: INodeProperties[] = [...identityProperties(show)];

/** Lifts a retention hold: an erasure then deletes again. */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const evidence = { actor: { kind: 'operator' as const }, source: { kind: 'workflow', ref: `n8n: ${this.getNode().name}` } };
	return [await mapPeople(this, async (ref) => holdItem(await ledger.releaseHold(ref, evidence)))];
}
