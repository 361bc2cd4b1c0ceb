import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { z } from 'zod/v4';
import { ConsentError, InvalidInput } from '../errors';
import { describeIssues } from '../validation';
import type { ComposedMail } from './compose';
import { assertHeaderSafe } from './headers';

/**
 * Sends a composed mail over SMTP with nodemailer. Settings are validated here, once, for every
 * caller (the worker's replies, the nodes that send themselves).
 */
export const SmtpSettingsSchema = z
  .object({
    host: z.string().trim().min(1, 'give the SMTP server host name, e.g. smtp.example.com'),
    port: z.coerce.number().int().min(1).max(65535, 'a port is 1–65535 (587 for STARTTLS, 465 for TLS)').optional(),
    /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().optional(),
    /** Refuse to send without STARTTLS. */
    requireTLS: z.boolean().default(false),
    user: z.string().trim().min(1).optional(),
    password: z.string().min(1).optional(),
    /** OAuth2 access token instead of a password (XOAUTH2). */
    accessToken: z.string().min(1).optional(),
    /** Check the server's certificate (turn off only for a test server). */
    rejectUnauthorized: z.boolean().default(true),
    /** Keep connections open between mails (the worker sends many replies). */
    pool: z.boolean().default(true),
    /** Connections kept open at most (nodemailer's default: 5). */
    maxConnections: z.number().int().min(1).max(20).optional(),
    timeoutSeconds: z.number().int().min(1).max(600).default(60),
    /** DKIM-sign outgoing mail; List-Unsubscribe and List-Unsubscribe-Post are always in the signature (RFC 8058 §4). */
    dkim: z
      .object({
        domainName: z.string().trim().min(1),
        keySelector: z.string().trim().min(1),
        privateKey: z.string().min(1, 'give the PEM private key'),
      })
      .optional(),
  })
  .refine((s) => !(s.password && s.accessToken), { message: 'give a password or an access token, not both', path: ['accessToken'] })
  .refine((s) => !(s.password || s.accessToken) || s.user, { message: 'give the user name that goes with the password or token', path: ['user'] });
export type SmtpSettings = z.input<typeof SmtpSettingsSchema>;

/** Sending failed. `isPermanent`: the server refused for good (5xx), retrying will not help. */
export class SendFailed extends ConsentError {
  constructor(
    message: string,
    readonly isPermanent: boolean,
    readonly responseCode?: number,
    /** nodemailer's code when no SMTP reply came: ECONNECTION, ETIMEDOUT, EAUTH, … */
    readonly transportCode?: string,
  ) {
    super('SEND_FAILED', message);
  }
}

/**
 * Why a mail was not sent, without the address or the server's words (both may name the person):
 * this goes into the request log and the worker's log, which must hold nothing an erasure cannot
 * reach. The SMTP reply code, or the transport's error code, is enough to act on.
 */
export function describeSendFailure(error: unknown): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { responseCode?: unknown; transportCode?: unknown; code?: unknown };
  if (typeof e.responseCode === 'number') return `SMTP ${e.responseCode} (${e.responseCode >= 500 ? 'refused for good' : 'try again later'})`;
  const code = error instanceof SendFailed ? e.transportCode : e.code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return `${code} (not sent)`;
  return 'not sent';
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  response: string;
}

// RFC 8058 §4: the signature must cover both List-Unsubscribe headers.
const DKIM_HEADERS = 'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:In-Reply-To:References:List-Unsubscribe:List-Unsubscribe-Post:Auto-Submitted';

export class MailSender {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(settingsInput: SmtpSettings) {
    const parsed = SmtpSettingsSchema.safeParse(settingsInput);
    if (!parsed.success) throw new InvalidInput(describeIssues(parsed.error, 'smtp'));
    const s = parsed.data;
    const port = s.port ?? (s.secure ? 465 : 587);
    const auth = s.user ? (s.accessToken ? { type: 'OAuth2' as const, user: s.user, accessToken: s.accessToken } : { user: s.user, pass: s.password }) : undefined;
    const options: SMTPTransport.Options & { pool?: boolean; maxConnections?: number } = {
      host: s.host,
      port,
      secure: s.secure ?? port === 465,
      requireTLS: s.requireTLS,
      auth,
      tls: { rejectUnauthorized: s.rejectUnauthorized },
      connectionTimeout: s.timeoutSeconds * 1000,
      greetingTimeout: s.timeoutSeconds * 1000,
      socketTimeout: s.timeoutSeconds * 1000,
      ...(s.pool ? { pool: true, ...(s.maxConnections ? { maxConnections: s.maxConnections } : {}) } : {}),
      ...(s.dkim ? { dkim: { ...s.dkim, headerFieldNames: DKIM_HEADERS } } : {}),
    };
    this.transport = nodemailer.createTransport(options as SMTPTransport.Options);
  }

  async send(mail: ComposedMail): Promise<SentMail> {
    for (const [field, value] of Object.entries(mail.headers)) assertHeaderSafe(field, value);
    assertHeaderSafe('subject', mail.subject);
    try {
      const info = await this.transport.sendMail({
        from: mail.from,
        to: mail.to,
        replyTo: mail.replyTo,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return {
        messageId: info.messageId,
        accepted: info.accepted.map(String),
        rejected: info.rejected.map(String),
        response: info.response,
      };
    } catch (error) {
      const e = error as Error & { responseCode?: number; code?: string };
      const isPermanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
      throw new SendFailed(`Sending to ${mail.to} failed: ${e.message}`, isPermanent, e.responseCode, e.code);
    }
  }

  /** Connects and authenticates once, for a settings check. */
  async verify(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (error) {
      throw new SendFailed(`The SMTP server did not accept the connection: ${(error as Error).message}. Check host, port, secure and the login.`, false);
    }
  }

  close(): void {
    this.transport.close();
  }
}
