import type { IExecuteFunctions } from 'n8n-workflow';
import type { TokenActionResult } from '../../core/ledger';
import { followUpMail } from '../../core/mail/follow-up';
import { MailSender } from '../../core/mail/send';
import { readSmtpCredential } from './credentials';
import type { LedgerConnection } from './ledger-connection';

/**
 * The optional welcome (Confirm Token) and goodbye (Unsubscribe by link) mails: over the node's
 * Consent SMTP credential, from its From address (as the confirmation mail), to the person the
 * ledger says may get it (Ledger.followUpRecipient: never a suppressed or erased address), and
 * recorded among the mails sent to them. One SMTP pool per execution; close() ends it.
 */
export class FollowUpMailer {
	private sender: MailSender | undefined;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly connection: LedgerConnection,
	) {}

	async send(kind: 'welcome' | 'goodbye', done: TokenActionResult, itemIndex: number, usedToken?: string): Promise<'sent' | 'none'> {
		const { ledger, credential } = this.connection;
		const to = await ledger.followUpRecipient(kind, done);
		if (!to) return 'none';
		const smtp = readSmtpCredential(await this.ctx.getCredentials('consentSmtpApi', itemIndex));
		const mail = followUpMail(
			kind,
			to,
			{
				from: smtp.from,
				organisation: credential.organisation,
				baseUrl: credential.baseUrl,
				privacyUrl: credential.privacyUrl,
				unsubscribeMailbox: credential.privacyMailbox,
				defaultLocale: credential.defaultLocale,
			},
			usedToken,
		);
		this.sender ??= new MailSender(smtp.smtp);
		const sent = await this.sender.send(mail);
		const topics = done.topics.filter((t) => t.outcome === 'changed').map((t) => t.topic);
		await ledger.recordMessages([{ subjectId: to.subjectId, messageId: sent.messageId, template: kind, topics, channel: 'email' }]);
		return 'sent';
	}

	close(): void {
		this.sender?.close();
	}
}
