import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { identityProperties, mapPeople } from '../../shared/identity';

const show = { resource: ['contact'], operation: ['getHistory'] };

export const description: INodeProperties[] = [...identityProperties(show)];

/** History / export of one person (GDPR Art. 15): subject, consents, events, messages, requests. */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	return [
		await mapPeople(this, async (ref) => {
			const found = await ledger.export(ref);
			// Not knowing someone is an answer too (Art. 15: "whether or not personal data are processed").
			return { json: found ? ({ found: true, ...JSON.parse(JSON.stringify(found)) } as IDataObject) : { found: false } };
		}),
	];
}
