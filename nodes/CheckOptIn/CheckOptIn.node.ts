import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { consentLedgerApiTest } from '../shared/credential-tests';
import { channelParameter, emailParameter, externalIdParameter, phoneParameter, topicParameter } from '../shared/descriptions';
import { withLedger } from '../shared/ledger-connection';
import { checkOptIn } from './check';

export class CheckOptIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Check Opt-In',
		name: 'checkOptIn',
		icon: { light: 'file:checkOptIn.svg', dark: 'file:checkOptIn.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["channel"] + ": " + $parameter["topic"] }}',
		description: 'May I contact this person on this channel about this topic now? Sends each item to Allowed or Denied.',
		defaults: { name: 'Check Opt-In' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Allowed', 'Denied'],
		credentials: [{ name: 'consentLedgerApi', required: true, testedBy: 'consentLedgerApiTest' }],
		properties: [
			{
				displayName:
					'Items go to Allowed or Denied with the reason, the status and basis, and the CallPro opt-in fields (optin_who, optin_source, optin_date, optin_id, optin_description). All items of a run are checked in one ledger call.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			emailParameter,
			phoneParameter,
			externalIdParameter,
			topicParameter,
			channelParameter('The channel you want to use: email, phone (telemarketing), SMS or post'),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Strict Mode',
						name: 'strict',
						type: 'boolean',
						default: false,
						description:
							'Whether only explicit consent counts on every channel. Off: on email and post a documented legitimate interest or contract counts too; phone and SMS always need consent (Dutch Telecommunicatiewet).',
					},
					{
						displayName: 'Check a Purpose Instead',
						name: 'purpose',
						type: 'string',
						default: '',
						placeholder: 'sales_and_service',
						description:
							'Check why the person is held instead of a topic: allowed while this purpose (e.g. sales_and_service, emarketing or your own) is active on a legal basis (strict mode: consent). Topic and Channel are then not used.',
					},
					{
						displayName: 'Put Result in Field',
						name: 'resultField',
						type: 'string',
						default: 'consent',
						description: 'Name of the field that receives the result; the rest of the item is passed on as it came in',
					},
				],
			},
		],
	};

	methods = { credentialTest: { consentLedgerApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await withLedger(this, async (connection) => await checkOptIn.call(this, connection), { outputs: 2, errorOutput: 1 });
	}
}
