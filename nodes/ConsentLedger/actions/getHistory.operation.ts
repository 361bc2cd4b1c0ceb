import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { errorItem, nodeError } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { ItemParameters } from '../../shared/parameters';
import { identityProperties, readRef } from '../../shared/identity';

const show = { resource: ['contact'], operation: ['getHistory'] };

export const description: INodeProperties[] = [...identityProperties(show)];

/** History / export of one person (GDPR Art. 15): subject, consents, events, messages, requests. */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const params = new ItemParameters(this, items);
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const ref = readRef(params, i);
			const found = await ledger.export(ref);
			// Not knowing someone is an answer too (Art. 15: "whether or not personal data are processed").
			out.push({ json: found ? ({ found: true, ...JSON.parse(JSON.stringify(found)) } as IDataObject) : { found: false }, pairedItem: { item: i } });
		} catch (error) {
			if (!this.continueOnFail()) throw nodeError(this.getNode(), error, i);
			out.push(errorItem(error, i));
		}
	}
	return [out];
}
