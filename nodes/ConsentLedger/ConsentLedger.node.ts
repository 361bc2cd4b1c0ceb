import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { consentLedgerApiTest, consentSmtpApiTest } from '../shared/credential-tests';
import * as actOnRequest from './actions/actOnRequest.operation';
import * as listRequests from './actions/listRequests.operation';
import * as maintain from './actions/maintain.operation';
import * as exportCallList from './actions/exportCallList.operation';
import * as getHistory from './actions/getHistory.operation';
import * as importContacts from './actions/importContacts.operation';
import * as releaseHold from './actions/releaseHold.operation';
import * as report from './actions/report.operation';
import { router } from './actions/router';
import * as setHold from './actions/setHold.operation';
import * as setPurpose from './actions/setPurpose.operation';
import * as setStatus from './actions/setStatus.operation';

export class ConsentLedger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Consent Ledger',
		name: 'consentLedger',
		icon: { light: 'file:consentLedger.svg', dark: 'file:consentLedger.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			"Import existing contacts, look up the history of one person, change a status with proof, set retention holds, count, export a call list, carry out an officer's decision on a request mail",
		defaults: { name: 'Consent Ledger' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'consentLedgerApi', required: true, testedBy: 'consentLedgerApiTest' },
			{
				name: 'consentSmtpApi',
				required: true,
				testedBy: 'consentSmtpApiTest',
				displayOptions: { show: { resource: ['request'], operation: ['actOnRequest'], replies: ['smtp'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Contact', value: 'contact' },
					{ name: 'Ledger', value: 'ledger' },
					{ name: 'Request Mail', value: 'request' },
				],
				default: 'contact',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['contact'] } },
				options: [
					{
						name: 'Get History',
						value: 'getHistory',
						action: 'Get the history of a contact',
						description: 'Everything the ledger holds about one person: consents, events with evidence, mails and requests (GDPR Art. 15).',
					},
					{
						name: 'Import',
						value: 'importContacts',
						action: 'Import existing contacts',
						description: 'Add existing contacts with their status and basis, from items or a CSV file (the same rules as the CLI import)',
					},
					{
						name: 'Lift Retention Hold',
						value: 'releaseHold',
						action: 'Lift the retention hold of a contact',
						description: 'End a retention hold',
					},
					{
						name: 'Set Purpose',
						value: 'setPurpose',
						action: 'Set a purpose of a contact',
						description: 'Why the person is held: a purpose (sales_and_service, emarketing, your own) on a legal basis, or withdrawn; a basis needs proof',
					},
					{
						name: 'Set Retention Hold',
						value: 'setHold',
						action: 'Set a retention hold on a contact',
						description: 'The law requires the data to be kept until a date: erasure then suppresses instead of deleting',
					},
					{
						name: 'Set Status',
						value: 'setStatus',
						action: 'Set the status of a contact',
						description: 'A manual change by an operator; subscribed, confirmed and leaving blacklisted need proof',
					},
				],
				default: 'importContacts',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['ledger'] } },
				options: [
					{
						name: 'Export Call List',
						value: 'exportCallList',
						action: 'Export a call list',
						description: "A CSV file of everyone that may be called for a topic: name, phone and CallPro's opt-in fields (optin_who, optin_source, optin_date, optin_id, optin_description)",
					},
					{
						name: 'Maintain',
						value: 'maintain',
						action: 'Run the daily retention maintenance',
						description:
							'Carry out the erasures that ended retention holds deferred, purge unconfirmed signups and expired invitations after a set number of days (a receipt stays, no address), list holds ending soon',
					},
					{
						name: 'Report',
						value: 'report',
						action: 'Count consents by status or draw the consent funnel',
						description: 'How many consents there are per topic, channel and status; or the consent funnel over the last weeks as an SVG picture with its numbers',
					},
				],
				default: 'report',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['request'] } },
				options: [
					{
						name: 'Act on Request',
						value: 'actOnRequest',
						action: 'Act on a request mail after review',
						description:
							"Carry out a person's decision on a mail from the trigger's Review output: unsubscribe, erase (with the same proof rules), access request, or reject",
					},
					{
						name: 'List Requests',
						value: 'listRequests',
						action: 'List the requests register',
						description: 'Every request of a person, whatever its channel, with received, due (one month, GDPR Art. 12(3)), kind, status, outcome and who handled it; the most urgent first.',
					},
				],
				default: 'actOnRequest',
			},
			...importContacts.description,
			...getHistory.description,
			...setStatus.description,
			...setPurpose.description,
			...setHold.description,
			...releaseHold.description,
			...exportCallList.description,
			...actOnRequest.description,
			...listRequests.description,
			...maintain.description,
			...report.description,
		],
	};

	methods = { credentialTest: { consentLedgerApiTest, consentSmtpApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
