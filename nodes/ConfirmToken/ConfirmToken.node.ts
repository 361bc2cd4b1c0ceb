import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import type { LinkKind } from '../../core/links';
import { consentLedgerApiTest } from '../shared/credential-tests';
import { answerLinkRequests, linkOptionsParameter, methodParameter, RESPOND_TO_WEBHOOK_NOTICE } from '../shared/link-request';

export class ConfirmToken implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Confirm Token',
		name: 'confirmToken',
		icon: { light: 'file:confirmToken.svg', dark: 'file:confirmToken.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["link"] === "erase" ? "erase verification" : "confirm link" }}',
		description: 'Answers the confirm link of a consent mail (or an erase-verification link): shows the page, and confirms on its POST',
		defaults: { name: 'Confirm Token' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'consentLedgerApi', required: true, testedBy: 'consentLedgerApiTest' }],
		properties: [
			{
				displayName: RESPOND_TO_WEBHOOK_NOTICE,
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Link',
				name: 'link',
				type: 'options',
				options: [
					{ name: 'Confirm (Signup or Re-Permission)', value: 'confirm', description: 'The …/confirm link of a confirmation, invitation or reminder mail' },
					{ name: 'Erase Verification', value: 'erase', description: 'The …/erase link the mailbox worker sends to check an erasure request' },
				],
				default: 'confirm',
				description: 'Which link the Webhook path serves',
			},
			methodParameter,
			linkOptionsParameter([
				{
					displayName: 'Require a Click',
					name: 'requireClick',
					type: 'boolean',
					default: false,
					description:
						'Whether the person must press the button. Off: the page confirms by itself once a person sees it (scanners that only fetch the link never confirm).',
				},
				{
					displayName: 'Signup Page URL',
					name: 'signupUrl',
					type: 'string',
					default: '',
					placeholder: 'https://example.com/signup',
					description: 'Where the page for an expired link sends the person to sign up again',
				},
			]),
		],
	};

	methods = { credentialTest: { consentLedgerApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await answerLinkRequests(this, (_item, i) => this.getNodeParameter('link', i, 'confirm') as LinkKind)];
	}
}
