import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { consentLedgerApiTest } from '../shared/credential-tests';
import { withLedger } from '../shared/ledger-connection';
import { emailParameter, externalIdParameter, phoneParameter, SOURCE_KIND_OPTIONS, subjectIdParameter } from '../shared/descriptions';
import { requestIdOption } from '../shared/register';
import { eraseContacts } from './erase';

export class EraseContact implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Erase Contact',
		name: 'eraseContact',
		icon: { light: 'file:eraseContact.svg', dark: 'file:eraseContact.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'erase or suppress',
		description:
			'Erase a person from the consent ledger (GDPR Art. 17). Under a retention hold the person is suppressed instead. Says what to delete in your CRM.',
		defaults: { name: 'Erase Contact' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Erased', 'Suppressed', 'Not Found'],
		credentials: [{ name: 'consentLedgerApi', required: true, testedBy: 'consentLedgerApiTest' }],
		properties: [
			{
				displayName:
					'Erased: the person is gone from the ledger; externalIds lists the CRM records to delete next. Suppressed: a retention hold keeps the data, the person is blocked from all mail. Not Found: the ledger had no one by that address; it is blocked from future imports anyway. Each outcome has an erasure receipt ID without personal data.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			emailParameter,
			phoneParameter,
			externalIdParameter,
			subjectIdParameter,
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: 'erasure request',
				description:
					'Why the data is erased. Kept on the erasure receipt only when a retention hold keeps the person (suppressed); after a real erasure it is not kept, as it may name the person.',
			},
			{
				displayName: 'Evidence',
				name: 'evidence',
				type: 'collection',
				placeholder: 'Add Evidence',
				default: {},
				description: 'How the request came in; kept on the receipt',
				options: [
					{ displayName: 'Source', name: 'sourceKind', type: 'options', options: SOURCE_KIND_OPTIONS, default: 'api', description: 'What kind of source the request came from' },
					{ displayName: 'Operator', name: 'operator', type: 'string', default: '', description: 'Name of the person who handled the request, if a person did' },
					requestIdOption,
				],
			},
		],
	};

	methods = { credentialTest: { consentLedgerApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await withLedger(this, async (connection) => await eraseContacts.call(this, connection), { outputs: 3 });
	}
}
