import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { env } from 'node:process';
import { z } from 'zod/v4';
import { EmailSchema, LocaleSchema, type Locale } from '../../core/consent/identity';
import type { LedgerSettings, StoreConfig } from '../../core/ledger';
import type { SmtpSettings } from '../../core/mail/send';
import type { PageOptionsInput } from '../../core/pages/options';
import { SecretSchema } from '../../core/secrets';
import { InvalidInput } from '../../core/errors';

/**
 * The credentials as the nodes use them, checked with zod: one schema each (STYLE: zod is the
 * single source of the input shape). Messages name the credential field as the form shows it.
 * Store and SMTP settings are validated again, in full, by core (openStore, MailSender).
 */

/** Empty form fields come as '' from n8n: they mean "not given". */
const optionalText = z
	.string()
	.trim()
	.optional()
	.transform((v) => (v ? v : undefined));

const HttpsUrl = (what: string, example: string) =>
	z
		.string({ error: `give the ${what}, e.g. ${example}` })
		.trim()
		.min(1, { error: `give the ${what}, e.g. ${example}`, abort: true })
		.refine((value) => {
			try {
				const url = new URL(value);
				return url.protocol === 'https:' || url.protocol === 'http:';
			} catch {
				return false;
			}
		}, `must be an absolute https:// URL, e.g. ${example}`);

export const LedgerCredentialSchema = z.object({
	store: z.enum(['sqlite', 'postgres'], { error: 'one of sqlite, postgres' }).default('sqlite'),
	sqlitePath: z.string().trim().default('consent-ledger.sqlite'),
	pgHost: z.string().trim().default('localhost'),
	pgPort: z.coerce.number().default(5432),
	pgDatabase: optionalText,
	pgUser: optionalText,
	pgPassword: z.string().optional(),
	pgSsl: z.enum(['disable', 'require', 'verify-full'], { error: 'one of disable, require, verify-full' }).default('disable'),
	pgCa: optionalText,
	pgSchema: z.string().trim().default('consent'),
	secret: SecretSchema,
	previousSecret: z
		.string()
		.optional()
		.transform((v) => (v ? v : undefined))
		.pipe(SecretSchema.optional()),
	baseUrl: HttpsUrl('public base URL of the links', 'https://n8n.example.com/webhook/consent'),
	organisation: z.string({ error: 'give your organisation name' }).trim().min(1, 'give your organisation name').max(200),
	privacyUrl: HttpsUrl('privacy policy URL', 'https://example.com/privacy'),
	defaultLocale: LocaleSchema.default('nl'),
	privacyMailbox: optionalText.pipe(EmailSchema.optional()),
});

const FIELD_LABELS: Record<string, string> = {
	store: 'Store',
	sqlitePath: 'SQLite File',
	pgHost: 'Host',
	pgPort: 'Port',
	pgDatabase: 'Database',
	pgUser: 'User',
	pgPassword: 'Password',
	pgSsl: 'SSL',
	pgCa: 'CA Certificate',
	pgSchema: 'Schema',
	secret: 'Secret',
	previousSecret: 'Previous Secret',
	baseUrl: 'Public Base URL',
	organisation: 'Organisation',
	privacyUrl: 'Privacy Policy URL',
	defaultLocale: 'Default Language',
	privacyMailbox: 'Privacy Mailbox',
	host: 'Host',
	port: 'Port',
	secure: 'SSL/TLS',
	requireTls: 'Require STARTTLS',
	user: 'User',
	password: 'Password',
	from: 'From',
	ignoreTlsErrors: 'Ignore Certificate Errors',
	authentication: 'Authentication',
	accessToken: 'Access Token',
};

/** A credential field error in the words of the credential form: "Consent Ledger credential, Secret: ...". */
function credentialIssues(error: z.ZodError, credential: string): string {
	const parts = error.issues.slice(0, 5).map((issue) => {
		const field = issue.path.map((p) => FIELD_LABELS[String(p)] ?? String(p)).join('.');
		return field ? `${field}: ${issue.message}` : issue.message;
	});
	return `${credential} credential, ${parts.join('; ')}`;
}

export interface LedgerConnectionConfig {
	store: StoreConfig;
	settings: Pick<LedgerSettings, 'secret' | 'previousSecret'>;
}

export interface LedgerCredential extends LedgerConnectionConfig {
	baseUrl: string;
	organisation: string;
	privacyUrl: string;
	defaultLocale: Locale;
	privacyMailbox?: string;
	/** What the link pages need (core/pages PageOptions). */
	pages: PageOptionsInput;
}

export function readLedgerCredential(data: unknown): LedgerCredential {
	const parsed = LedgerCredentialSchema.safeParse(data ?? {});
	if (!parsed.success) throw new InvalidInput(credentialIssues(parsed.error, 'Consent Ledger'));
	const c = parsed.data;
	const store: StoreConfig =
		c.store === 'sqlite'
			? { kind: 'sqlite', path: resolveLedgerFile(c.sqlitePath) }
			: {
					kind: 'postgres',
					host: c.pgHost,
					port: c.pgPort,
					database: c.pgDatabase,
					user: c.pgUser,
					password: c.pgPassword || undefined,
					ssl: c.pgSsl,
					ca: c.pgCa,
					schema: c.pgSchema,
				};
	return {
		store,
		settings: { secret: c.secret, ...(c.previousSecret ? { previousSecret: c.previousSecret } : {}) },
		baseUrl: c.baseUrl,
		organisation: c.organisation,
		privacyUrl: c.privacyUrl,
		defaultLocale: c.defaultLocale,
		privacyMailbox: c.privacyMailbox,
		pages: { organisation: c.organisation, privacyUrl: c.privacyUrl, defaultLocale: c.defaultLocale },
	};
}

/**
 * A relative ledger path is inside n8n's own folder, found the way n8n finds it
 * (n8n-core InstanceSettingsConfig: $N8N_USER_FOLDER or the home folder, then .n8n).
 */
export function resolveLedgerFile(path: string): string {
	const file = path || 'consent-ledger.sqlite';
	if (file === '~' || file.startsWith('~/')) return join(homedir(), file.slice(1));
	if (isAbsolute(file)) return file;
	return join(env.N8N_USER_FOLDER || homedir(), '.n8n', file);
}

export const SmtpCredentialSchema = z.object({
	host: z.string({ error: 'give the SMTP server host name' }).trim().min(1, 'give the SMTP server host name, e.g. smtp.example.com'),
	port: z.coerce.number().int().min(1).max(65535, 'a port is 1–65535 (587 for STARTTLS, 465 for TLS)').default(587),
	secure: z.boolean().default(false),
	requireTls: z.boolean().default(true),
	user: optionalText,
	password: z
		.string()
		.optional()
		.transform((v) => (v ? v : undefined)),
	from: z.string({ error: 'give the sender address' }).trim().min(1, 'give the sender address, e.g. Voorbeeld BV <news@example.com>'),
	ignoreTlsErrors: z.boolean().default(false),
});

export interface SmtpCredential {
	smtp: SmtpSettings;
	from: string;
}

export function readSmtpCredential(data: unknown): SmtpCredential {
	const parsed = SmtpCredentialSchema.safeParse(data ?? {});
	if (!parsed.success) throw new InvalidInput(credentialIssues(parsed.error, 'Consent SMTP'));
	const c = parsed.data;
	return {
		from: c.from,
		smtp: {
			host: c.host,
			port: c.port,
			secure: c.secure,
			requireTLS: !c.secure && c.requireTls,
			user: c.user,
			password: c.password,
			rejectUnauthorized: !c.ignoreTlsErrors,
			// One execution sends a batch and closes the pool (no state kept between executions).
			pool: true,
			maxConnections: 2,
		},
	};
}

export const ImapCredentialSchema = z
	.object({
		host: z.string({ error: 'give the IMAP server host name' }).trim().min(1, 'give the IMAP server host name, e.g. imap.example.com'),
		port: z.coerce.number().int().min(1).max(65535, 'a port is 1–65535 (993 for TLS, 143 for STARTTLS)').default(993),
		secure: z.boolean().default(true),
		user: z.string({ error: 'give the login name' }).trim().min(1, 'give the login name, e.g. privacy@example.com'),
		authentication: z.enum(['password', 'accessToken'], { error: 'one of password, accessToken' }).default('password'),
		password: optionalText,
		accessToken: optionalText,
		ignoreTlsErrors: z.boolean().default(false),
	})
	.superRefine((c, ctx) => {
		if (c.authentication === 'password' && !c.password) {
			ctx.addIssue({ code: 'custom', path: ['password'], message: 'give the password (or choose Authentication: OAuth2 Access Token)' });
		}
		if (c.authentication === 'accessToken' && !c.accessToken) {
			ctx.addIssue({ code: 'custom', path: ['accessToken'], message: 'give an OAuth2 access token with the IMAP scope' });
		}
	});

/** The IMAP login as the mailbox worker's settings take it (worker/settings.ts ImapSettingsSchema). */
export interface ImapCredential {
	host: string;
	port: number;
	secure: boolean;
	user: string;
	password?: string;
	accessToken?: string;
	rejectUnauthorized: boolean;
}

export function readImapCredential(data: unknown): ImapCredential {
	const parsed = ImapCredentialSchema.safeParse(data ?? {});
	if (!parsed.success) throw new InvalidInput(credentialIssues(parsed.error, 'Consent IMAP'));
	const c = parsed.data;
	return {
		host: c.host,
		port: c.port,
		secure: c.secure,
		user: c.user,
		...(c.authentication === 'password' ? { password: c.password } : { accessToken: c.accessToken }),
		rejectUnauthorized: !c.ignoreTlsErrors,
	};
}
