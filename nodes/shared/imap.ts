import { ImapFlow } from 'imapflow';
import type { ImapCredential } from './credentials';

/**
 * The IMAP login of the Consent IMAP credential: tried by the credential test, and the words for
 * what went wrong, used by the test and by the Consent Mailbox Trigger's log while it reconnects.
 */

type ImapError = Error & { code?: string; authenticationFailed?: boolean; responseText?: string; serverResponseCode?: string };

const CERTIFICATE_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const TIMEOUT_CODES = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEOUT', 'ETIMEDOUT']);

/** Did the server refuse the login itself (as opposed to the network or TLS failing)? */
export function isLoginRefused(error: unknown): boolean {
	return Boolean((error as ImapError | undefined)?.authenticationFailed);
}

/** What went wrong, in words, with the field of the credential to look at. */
export function describeImapFailure(error: unknown, login: Pick<ImapCredential, 'host' | 'port' | 'user' | 'accessToken' | 'secure'>): string {
	const e = (error ?? {}) as ImapError;
	const where = `${login.host}:${login.port}`;
	const said = e.responseText ? ` (the server said: ${e.responseText.slice(0, 200)})` : '';
	if (e.authenticationFailed) {
		return login.accessToken
			? `The IMAP server refused the OAuth2 access token for ${login.user}${said}. The token may have expired or lack the IMAP scope; check User and Access Token.`
			: `The IMAP server refused the login of ${login.user}: wrong user name or password${said}. Microsoft 365 and Gmail refuse plain passwords for many accounts: use an app password, or Authentication: OAuth2 Access Token.`;
	}
	const code = e.code ?? '';
	if (code === 'ECONNREFUSED') return `Nothing answers on ${where} (connection refused): check Host and Port (993 with SSL/TLS, 143 without).`;
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host name ${login.host} cannot be found: check Host.`;
	if (TIMEOUT_CODES.has(code)) return `No answer from ${where} in time (${code}): check Host, Port and any firewall between n8n and the server.`;
	if (CERTIFICATE_CODES.has(code)) {
		return `The certificate of ${login.host} cannot be verified (${code}). Fix the server's certificate, or for a test server turn on Ignore Certificate Errors.`;
	}
	if (/wrong version number|packet length too long|unknown protocol/i.test(e.message ?? '') || code.startsWith('ERR_SSL')) {
		return `The TLS handshake with ${where} failed (${e.message}): SSL/TLS is ${login.secure ? 'on, but this port may speak plain IMAP (143)' : 'off, but this port may expect TLS from the start (993)'}.`;
	}
	if (code === 'ECONNRESET' || code === 'EPIPE') return `${where} closed the connection (${code}).`;
	return `The IMAP connection to ${where} failed: ${[code, e.message].filter(Boolean).join(': ') || String(error)}`;
}

/** Logs in and out once. Returns what the server offers that the trigger cares about. */
export async function tryImapLogin(login: ImapCredential): Promise<{ hasIdle: boolean }> {
	const client = new ImapFlow({
		host: login.host,
		port: login.port,
		secure: login.secure,
		auth: login.accessToken ? { user: login.user, accessToken: login.accessToken } : { user: login.user, pass: login.password },
		tls: { rejectUnauthorized: login.rejectUnauthorized },
		logger: false,
		connectionTimeout: 20_000,
		greetingTimeout: 15_000,
		socketTimeout: 30_000,
	});
	// Without an error listener an error would end the process (imapflow emits, then closes).
	client.on('error', () => undefined);
	try {
		await client.connect();
		return { hasIdle: client.capabilities.has('IDLE') };
	} finally {
		if (client.usable) await client.logout().catch(() => client.close());
		else client.close();
	}
}
