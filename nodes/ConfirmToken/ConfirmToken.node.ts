import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import type { TokenActionResult, VerifiedErasure } from '../../core/ledger';
import type { LinkKind } from '../../core/links';
import { erasureAcknowledgement } from '../../core/inbox';
import { MailSender } from '../../core/mail/send';
import { consentLedgerApiTest, consentSmtpApiTest } from '../shared/credential-tests';
import { readSmtpCredential } from '../shared/credentials';
import { FollowUpMailer } from '../shared/follow-up';
import { withLedger } from '../shared/ledger-connection';
import { answerLinkRequests, linkOptionsParameter, methodParameter, RESPOND_TO_WEBHOOK_NOTICE } from '../shared/link-request';

export class ConfirmToken implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Confirm Token',
		name: 'confirmToken',
		icon: { light: 'file:confirmToken.svg', dark: 'file:confirmToken.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["link"] === "erase" ? "erase verification" : $parameter["link"] === "access" ? "access link" : "confirm link" }}',
		description: 'Answers the confirm link of a consent mail (or an erase-verification or access link): shows the page, and confirms on its POST',
		defaults: { name: 'Confirm Token' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'consentLedgerApi', required: true, testedBy: 'consentLedgerApiTest' },
			{
				name: 'consentSmtpApi',
				required: true,
				testedBy: 'consentSmtpApiTest',
				displayOptions: { show: { link: ['erase', 'confirm'], acknowledge: [true] } },
			},
		],
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
					{
						name: 'Access (Data Package)',
						value: 'access',
						description: "The …/access link mailed in answer to an access request (GDPR Art. 15): shows the person's data, with a JSON download. GET only.",
					},
					{ name: 'Confirm (Signup or Re-Permission)', value: 'confirm', description: 'The …/confirm link of a confirmation, invitation or reminder mail' },
					{ name: 'Erase Verification', value: 'erase', description: 'The …/erase link the mailbox worker sends to check an erasure request' },
				],
				default: 'confirm',
				description: 'Which link the Webhook path serves',
			},
			{
				displayName: 'Send the Acknowledgement',
				name: 'acknowledge',
				type: 'boolean',
				default: true,
				displayOptions: { show: { link: ['erase'] } },
				description:
					'Whether to mail the person, once the button erased their data, the same acknowledgement the Consent Mailbox Trigger sends after a proven erasure request (with the Consent SMTP credential, from the Privacy Mailbox of the Consent Ledger credential)',
			},
			{
				// The same parameter name as the erase link's acknowledgement, so one SMTP credential setting serves both.
				displayName: 'Send a Welcome Mail',
				name: 'acknowledge',
				type: 'boolean',
				default: false,
				displayOptions: { show: { link: ['confirm'] } },
				description:
					"Whether to mail a welcome once the person's confirmation went through (template 'welcome', in their language, with an unsubscribe link and List-Unsubscribe), with the Consent SMTP credential, from its From address. Never to a suppressed or erased address.",
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

	methods = { credentialTest: { consentLedgerApiTest, consentSmtpApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await withLedger(this, async (connection) => {
			const { credential } = connection;
			let sender: MailSender | undefined;
			const mailer = new FollowUpMailer(this, connection);
			// After a verified erasure: the acknowledgement, as the mailbox trigger sends it after a proven one.
			const acknowledgeErasure = async (erasure: VerifiedErasure, itemIndex: number): Promise<'sent' | 'none'> => {
				if (!this.getNodeParameter('acknowledge', itemIndex, true)) return 'none';
				const smtp = readSmtpCredential(await this.getCredentials('consentSmtpApi', itemIndex));
				const mail = erasureAcknowledgement(erasure, {
					mailbox: 'erase verification link',
					baseUrl: credential.baseUrl,
					organisation: credential.organisation,
					privacyUrl: credential.privacyUrl,
					replyFrom: credential.privacyMailbox ? { address: credential.privacyMailbox, name: credential.organisation } : smtp.from,
					defaultLocale: credential.defaultLocale,
				});
				if (!mail) return 'none';
				sender ??= new MailSender(smtp.smtp);
				await sender.send(mail);
				return 'sent';
			};
			try {
				const welcome = (done: TokenActionResult, i: number) => (this.getNodeParameter('acknowledge', i, false) ? mailer.send('welcome', done, i) : Promise.resolve('none' as const));
				return [await answerLinkRequests(this, connection, (_item, i) => this.getNodeParameter('link', i, 'confirm') as LinkKind, { acknowledgeErasure, welcome })];
			} finally {
				sender?.close();
				mailer.close();
			}
		});
	}
}
