import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import type { PrivacyMailPlan, TokenActionResult, VerifiedErasure } from '../../core/ledger';
import type { LinkKind } from '../../core/links';
import { erasureAcknowledgement, privacyRequestMail } from '../../core/inbox';
import type { ComposedMail } from '../../core/mail/compose';
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
		subtitle:
			'={{ $parameter["link"] === "erase" ? "erase verification" : $parameter["link"] === "access" ? "access link" : $parameter["link"] === "privacy" ? "privacy request form" : "confirm link" }}',
		description: 'Answers the confirm link of a consent mail (or an erase-verification or access link, or the privacy request form): shows the page, and acts on its POST',
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
				// The erase link's acknowledgement, the confirm link's welcome mail, and the privacy request form (it mails its confirmation link).
				displayOptions: { hide: { link: ['access'], acknowledge: [false] } },
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
					{
						name: 'Privacy Request Form',
						value: 'privacy',
						description:
							'The …/privacy page: a person asks to see their data, to erase it or to stop all mail, and confirms through the link it mails (with the Consent SMTP credential); the same path serves that link',
					},
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
			// The mails this node sends: from the privacy mailbox (else the SMTP credential's From), with the credential's links.
			const smtpFor = async (itemIndex: number, mailbox: string) => {
				const smtp = readSmtpCredential(await this.getCredentials('consentSmtpApi', itemIndex));
				const options = {
					mailbox,
					baseUrl: credential.baseUrl,
					organisation: credential.organisation,
					privacyUrl: credential.privacyUrl,
					replyFrom: credential.privacyMailbox ? { address: credential.privacyMailbox, name: credential.organisation } : smtp.from,
					defaultLocale: credential.defaultLocale,
				};
				const send = async (mail: ComposedMail) => {
					sender ??= new MailSender(smtp.smtp);
					await sender.send(mail);
				};
				return { options, send };
			};
			// After a verified erasure: the acknowledgement, as the mailbox trigger sends it after a proven one.
			const acknowledgeErasure = async (erasure: VerifiedErasure, itemIndex: number): Promise<'sent' | 'none'> => {
				if (!this.getNodeParameter('acknowledge', itemIndex, true)) return 'none';
				const { options, send } = await smtpFor(itemIndex, 'erase verification link');
				const mail = erasureAcknowledgement(erasure, options);
				if (!mail) return 'none';
				await send(mail);
				return 'sent';
			};
			// The privacy request form: the confirmation link, or "we hold nothing", to the address given.
			const mailPrivacyRequest = async (plan: PrivacyMailPlan, itemIndex: number): Promise<void> => {
				const { options, send } = await smtpFor(itemIndex, 'privacy request form');
				await send(privacyRequestMail(plan, options));
			};
			try {
				const welcome = (done: TokenActionResult, i: number) => (this.getNodeParameter('acknowledge', i, false) ? mailer.send('welcome', done, i) : Promise.resolve('none' as const));
				return [await answerLinkRequests(this, connection, (_item, i) => this.getNodeParameter('link', i, 'confirm') as LinkKind, { acknowledgeErasure, welcome, mailPrivacyRequest })];
			} finally {
				sender?.close();
				mailer.close();
			}
		});
	}
}
