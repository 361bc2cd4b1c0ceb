import { readFileSync } from 'node:fs';
import { z } from 'zod/v4';
import { InvalidInput } from '../core/errors';
import { RequestOptionsSchema } from '../core/inbox';
import { OwnAddressesSchema } from '../core/inbox/options';
import { SmtpSettingsSchema } from '../core/mail/send';
import { describeIssues } from '../core/validation';

/**
 * The mailbox worker's settings: one JSON file, with every field also settable by environment
 * variable (CONSENT_IMAP_PASSWORD, …) so passwords need not be in the file. Validated here, once;
 * an error names the field and says how to fix it.
 */
export const ImapSettingsSchema = z
  .object({
    host: z.string().trim().min(1, 'give the IMAP server host name, e.g. imap.example.com'),
    port: z.coerce.number().int().min(1).max(65535, 'a port is 1–65535 (993 for TLS, 143 for STARTTLS)').optional(),
    /** TLS from the start (port 993); otherwise STARTTLS when offered. */
    secure: z.boolean().default(true),
    user: z.string().trim().min(1, 'give the IMAP login name, e.g. privacy@example.com'),
    password: z.string().min(1).optional(),
    /** OAuth2 access token (XOAUTH2) instead of a password. */
    accessToken: z.string().min(1).optional(),
    /** Check the server's certificate (turn off only for a test server). */
    rejectUnauthorized: z.boolean().default(true),
    mailbox: z.string().trim().min(1).default('INBOX'),
    processedFolder: z.string().trim().min(1).default('Processed'),
    reviewFolder: z.string().trim().min(1).default('Review'),
  })
  .refine((s) => Boolean(s.password) !== Boolean(s.accessToken), {
    message: 'give either a password or an OAuth2 access token (set CONSENT_IMAP_PASSWORD or CONSENT_IMAP_ACCESS_TOKEN)',
    path: ['password'],
  })
  .refine((s) => s.processedFolder !== s.mailbox && s.reviewFolder !== s.mailbox, {
    message: 'the processed and review folders must differ from the mailbox that is read',
    path: ['processedFolder'],
  });

const RequestSettings = RequestOptionsSchema.omit({ mailbox: true, limits: true });

export const WorkerSettingsSchema = z.object({
  imap: ImapSettingsSchema,
  smtp: SmtpSettingsSchema,
  ...RequestSettings.shape,
  /** Look for new mail this often even when IDLE says nothing (IDLE notices can be missed). */
  pollSeconds: z.coerce.number().int().min(1).max(3600).default(60),
  /** Restart IDLE this often; servers drop IDLE sessions after 30 minutes (RFC 9051). */
  idleMinutes: z.coerce.number().min(0.05).max(29).default(5),
  /** Reconnect after a drop: waits double from 1 second up to this. */
  reconnectMaxSeconds: z.coerce.number().int().min(1).max(3600).default(60),
  /** Mails fetched and handled per round. */
  batchSize: z.coerce.number().int().min(1).max(1000).default(100),
  /** Mails handled at the same time (replies go out in parallel; the ledger serialises itself). */
  concurrency: z.coerce.number().int().min(1).max(32).default(4),
  /** Mails up to this size are fetched whole; bigger ones only their headers and text parts. */
  maxWholeMessageBytes: z.coerce.number().int().min(16 * 1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Text kept per mail: the text/plain and HTML parts are cut here. */
  maxTextBytes: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(256 * 1024),
  /** A reply that failed, or a mail that failed to process, is tried again after this, doubling. */
  retrySeconds: z.coerce.number().min(0.1).max(3600).default(30),
  /** After this many failed tries a mail goes to the review folder for a person. */
  maxAttempts: z.coerce.number().int().min(1).max(100).default(10),
});
export type WorkerSettingsInput = z.input<typeof WorkerSettingsSchema>;
export type WorkerSettings = z.output<typeof WorkerSettingsSchema>;

export function parseWorkerSettings(input: unknown): WorkerSettings {
  const parsed = WorkerSettingsSchema.safeParse(input);
  if (!parsed.success) throw new InvalidInput(describeIssues(parsed.error, 'worker settings'));
  return parsed.data;
}

/** Environment variables and the settings field each one sets. */
export const SETTINGS_FROM_ENV: Record<string, { path: string[]; kind?: 'boolean' | 'list' }> = {
  CONSENT_IMAP_HOST: { path: ['imap', 'host'] },
  CONSENT_IMAP_PORT: { path: ['imap', 'port'] },
  CONSENT_IMAP_SECURE: { path: ['imap', 'secure'], kind: 'boolean' },
  CONSENT_IMAP_USER: { path: ['imap', 'user'] },
  CONSENT_IMAP_PASSWORD: { path: ['imap', 'password'] },
  CONSENT_IMAP_ACCESS_TOKEN: { path: ['imap', 'accessToken'] },
  CONSENT_IMAP_MAILBOX: { path: ['imap', 'mailbox'] },
  CONSENT_IMAP_PROCESSED_FOLDER: { path: ['imap', 'processedFolder'] },
  CONSENT_IMAP_REVIEW_FOLDER: { path: ['imap', 'reviewFolder'] },
  CONSENT_IMAP_REJECT_UNAUTHORIZED: { path: ['imap', 'rejectUnauthorized'], kind: 'boolean' },
  CONSENT_SMTP_HOST: { path: ['smtp', 'host'] },
  CONSENT_SMTP_PORT: { path: ['smtp', 'port'] },
  CONSENT_SMTP_SECURE: { path: ['smtp', 'secure'], kind: 'boolean' },
  CONSENT_SMTP_USER: { path: ['smtp', 'user'] },
  CONSENT_SMTP_PASSWORD: { path: ['smtp', 'password'] },
  CONSENT_SMTP_ACCESS_TOKEN: { path: ['smtp', 'accessToken'] },
  CONSENT_SMTP_REJECT_UNAUTHORIZED: { path: ['smtp', 'rejectUnauthorized'], kind: 'boolean' },
  CONSENT_REPLY_FROM: { path: ['replyFrom'] },
  CONSENT_ORGANISATION: { path: ['organisation'] },
  CONSENT_BASE_URL: { path: ['baseUrl'] },
  CONSENT_PRIVACY_URL: { path: ['privacyUrl'] },
  CONSENT_TRUSTED_AUTHSERV_IDS: { path: ['trustedAuthservIds'], kind: 'list' },
  CONSENT_OWN_ADDRESSES: { path: ['ownAddresses'], kind: 'list' },
  CONSENT_ACT_ON_UNPROVEN_UNSUBSCRIBE: { path: ['actOnUnprovenUnsubscribe'], kind: 'boolean' },
  CONSENT_POLL_SECONDS: { path: ['pollSeconds'] },
};

/**
 * Reads the settings: the JSON file (if given), then the environment on top. Validates the result.
 */
export function loadWorkerSettings(options: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Record<string, unknown> } = {}): WorkerSettings {
  let base: Record<string, unknown> = {};
  if (options.file) {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (error) {
      throw new InvalidInput(`--config: cannot read ${options.file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
    try {
      base = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new InvalidInput(`--config: ${options.file} is not valid JSON: ${(error as Error).message}.`);
    }
  }
  const env = options.env ?? {};
  for (const [name, target] of Object.entries(SETTINGS_FROM_ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = target.kind === 'boolean' ? parseBoolean(name, raw) : target.kind === 'list' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : raw;
    setPath(base, target.path, value);
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) setPath(base, key.split('.'), value);
  return parseWorkerSettings(base);
}

function parseBoolean(name: string, raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new InvalidInput(`${name}: "${raw}" is not true or false.`);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/** `--own-address` values (CLI) or any other list of own addresses, validated like the settings field. */
export function parseOwnAddresses(input: unknown, field = 'ownAddresses'): string[] {
  const parsed = OwnAddressesSchema.safeParse(input);
  if (!parsed.success) throw new InvalidInput(describeIssues(parsed.error, field));
  return parsed.data;
}
