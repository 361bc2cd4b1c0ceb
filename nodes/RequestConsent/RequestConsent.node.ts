import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { consentLedgerApiTest, consentSmtpApiTest } from '../shared/credential-tests';
import * as expire from './actions/expire.operation';
import * as request from './actions/request.operation';
import { router } from './actions/router';
import * as sendReminders from './actions/sendReminders.operation';

export class RequestConsent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Request Consent',
		name: 'requestConsent',
		icon: { light: 'file:requestConsent.svg', dark: 'file:requestConsent.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "request" ? $parameter["mode"] : $parameter["operation"] }}',
		description: 'Ask for consent by mail (double opt-in or re-permission), remind, and expire unanswered requests',
		defaults: { name: 'Request Consent' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Done', 'Skipped'],
		credentials: [
			{ name: 'consentLedgerApi', required: true, testedBy: 'consentLedgerApiTest' },
			{
				name: 'consentSmtpApi',
				required: true,
				testedBy: 'consentSmtpApiTest',
				displayOptions: { show: { operation: ['request', 'sendReminders'], delivery: ['smtp'] } },
			},
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Request',
						value: 'request',
						action: 'Request consent',
						description: 'Ask each person for consent: a signup confirmation or a re-permission invitation',
					},
					{
						name: 'Send Reminders',
						value: 'sendReminders',
						action: 'Send reminders',
						description: 'Remind invitations that had no answer after some days',
					},
					{
						name: 'Expire',
						value: 'expire',
						action: 'Expire unanswered requests',
						description: 'End signups and invitations that had no answer after some days',
					},
				],
				default: 'request',
			},
			...request.description,
			...sendReminders.description,
			...expire.description,
		],
	};

	methods = { credentialTest: { consentLedgerApiTest, consentSmtpApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
