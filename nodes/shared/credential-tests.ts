import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { failedOpeningStore, Ledger } from '../../core/ledger';
import { MailSender } from '../../core/mail/send';
import { readImapCredential, readLedgerCredential, readSmtpCredential } from './credentials';
import { describeImapFailure, tryImapLogin } from './imap';

/**
 * The credential tests behind n8n's "Test" button. Every node that uses a credential names its
 * test with `testedBy` and offers it in `methods.credentialTest`. They report, in words, the first
 * thing that is wrong: a field, the store, or the secret.
 */
export async function consentLedgerApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	let config;
	try {
		config = readLedgerCredential(credential.data);
	} catch (error) {
		return { status: 'Error', message: messageOf(error) };
	}
	try {
		const { ledger, isNewLedger: isNew } = await Ledger.open({ store: config.store, settings: config.settings });
		await ledger.close().catch(() => undefined);
		const where = config.store.kind === 'sqlite' ? `SQLite file ${config.store.path}` : `PostgreSQL schema ${config.store.schema ?? 'consent'}`;
		return {
			status: 'OK',
			message: isNew ? `Connected: a new, empty ledger was set up in the ${where}.` : `Connected to the ledger in the ${where}; the secret matches.`,
		};
	} catch (error) {
		if (failedOpeningStore(error)) return { status: 'Error', message: `The ledger store cannot be opened: ${messageOf(error)}` };
		return { status: 'Error', message: messageOf(error) };
	}
}

export async function consentSmtpApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	let sender: MailSender | undefined;
	try {
		const { smtp } = readSmtpCredential(credential.data);
		sender = new MailSender({ ...smtp, pool: false, timeoutSeconds: 20 });
		await sender.verify();
		return { status: 'OK', message: 'The SMTP server accepted the connection and the login.' };
	} catch (error) {
		return { status: 'Error', message: messageOf(error) };
	} finally {
		sender?.close();
	}
}

export async function consentImapApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	let login;
	try {
		login = readImapCredential(credential.data);
	} catch (error) {
		return { status: 'Error', message: messageOf(error) };
	}
	try {
		const { hasIdle } = await tryImapLogin(login);
		return {
			status: 'OK',
			message: `Logged in to ${login.host}:${login.port} as ${login.user}.${hasIdle ? '' : ' The server has no IDLE: new mail is found by polling.'}`,
		};
	} catch (error) {
		return { status: 'Error', message: describeImapFailure(error, login) };
	}
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
