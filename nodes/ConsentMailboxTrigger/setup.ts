import { NodeOperationError, type ITriggerFunctions } from 'n8n-workflow';
import { normaliseEmail } from '../../core/consent/identity';
import { parseInput } from '../../core/validation';
import type { WorkerSettingsInput } from '../../worker/settings';
import { readImapCredential, readLedgerCredential, readSmtpCredential, type LedgerConnectionConfig, type SmtpCredential } from '../shared/credentials';
import type { ListenerSetup } from './listener';
import { TriggerParametersSchema } from './parameters';

/**
 * Credentials and parameters → the mailbox worker's settings. The ledger credential gives what
 * replies and links say (organisation, privacy page, link base URL, language); the IMAP credential
 * the login; the SMTP credential, when replies are sent here, the server.
 */
export async function readTriggerSetup(ctx: ITriggerFunctions): Promise<ListenerSetup & { ledger: LedgerConnectionConfig }> {
	const p = parseInput(
		TriggerParametersSchema,
		{
			mailbox: ctx.getNodeParameter('mailbox', 'INBOX'),
			actAutomatically: ctx.getNodeParameter('actAutomatically', true),
			replies: ctx.getNodeParameter('replies', 'output'),
			moveWhen: ctx.getNodeParameter('moveWhen', 'executionSucceeded'),
			options: ctx.getNodeParameter('options', {}),
		},
		'parameters',
	);
	const login = readImapCredential(await ctx.getCredentials('consentImapApi'));
	const ledger = readLedgerCredential(await ctx.getCredentials('consentLedgerApi'));
	const sendsReplies = p.actAutomatically && p.replies === 'smtp';
	const smtp: SmtpCredential | undefined = sendsReplies ? readSmtpCredential(await ctx.getCredentials('consentSmtpApi')) : undefined;
	const replyFrom =
		p.options.replyFrom ??
		(ledger.privacyMailbox ? { address: ledger.privacyMailbox, name: ledger.organisation } : undefined) ??
		smtp?.from ??
		(normaliseEmail(login.user) ? login.user : undefined);
	if (!replyFrom) {
		throw new NodeOperationError(
			ctx.getNode(),
			'options.replyFrom: give the address replies come from, e.g. Privacy <privacy@example.com> (or set Privacy Mailbox in the Consent Ledger credential)',
		);
	}
	const o = p.options;
	const settings: WorkerSettingsInput = {
		imap: { ...login, mailbox: p.mailbox, processedFolder: o.processedFolder, reviewFolder: o.reviewFolder },
		// Without "Send With Consent SMTP" the worker sends nothing (sendReply: null); its settings still want a server.
		smtp: smtp?.smtp ?? { host: 'localhost' },
		replyFrom,
		organisation: ledger.organisation,
		baseUrl: ledger.baseUrl,
		privacyUrl: ledger.privacyUrl,
		defaultLocale: ledger.defaultLocale,
		trustedAuthservIds: o.trustedAuthservIds,
		// Mail from our own addresses is our own coming back (a loop), never a request.
		ownAddresses: [
			...(normaliseEmail(login.user) ? [login.user] : []),
			...(ledger.privacyMailbox ? [ledger.privacyMailbox] : []),
			...(smtp?.from ? [smtp.from] : []),
		],
		actOnUnprovenUnsubscribe: o.actOnUnprovenUnsubscribe,
		verifyDkim: o.verifyDkim,
		pollSeconds: o.pollSeconds,
		batchSize: o.batchSize,
		retrySeconds: o.retrySeconds,
		maxAttempts: o.maxAttempts,
	};
	return { settings, login, ledger, actAutomatically: p.actAutomatically, sendsReplies, moveWhen: p.moveWhen };
}
