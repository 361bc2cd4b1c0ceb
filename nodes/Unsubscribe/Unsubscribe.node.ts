import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { consentLedgerApiTest, consentSmtpApiTest } from '../shared/credential-tests';
import * as byAddress from './actions/byAddress.operation';
import * as byLink from './actions/byLink.operation';
import { router } from './actions/router';

export class Unsubscribe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Unsubscribe',
		name: 'unsubscribe',
		icon: { light: 'file:unsubscribe.svg', dark: 'file:unsubscribe.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "byLink" ? "by link" : "by address" }}',
		description: 'Unsubscribe a person: through the link in a mail (page, form and one-click), or by address from trusted input',
		defaults: { name: 'Unsubscribe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'consentLedgerApi', required: true, testedBy: 'consentLedgerApiTest' },
			{ name: 'consentSmtpApi', required: true, testedBy: 'consentSmtpApiTest', displayOptions: { show: { operation: ['byLink'], goodbye: [true] } } },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'By Link',
						value: 'byLink',
						action: 'Answer an unsubscribe or preferences link',
						description: 'Behind a Webhook node: the unsubscribe and preferences links of our mails, and one-click unsubscribe (RFC 8058)',
					},
					{
						name: 'By Address',
						value: 'byAddress',
						action: 'Unsubscribe a person by address',
						description: 'From trusted input: unsubscribe the person with this address, phone or ID',
					},
				],
				default: 'byLink',
			},
			...byLink.description,
			...byAddress.description,
		],
	};

	methods = { credentialTest: { consentLedgerApiTest, consentSmtpApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
