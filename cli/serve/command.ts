import { z } from 'zod/v4';
import { InvalidInput } from '../../core/errors';
import type { Ledger } from '../../core/ledger';
import { PageOptionsSchema } from '../../core/pages/options';
import { parseInput } from '../../core/validation';
import { privacyRequestMail } from '../../core/inbox';
import { MailboxSchema } from '../../core/mail/compose';
import { MailSender, SmtpSettingsSchema } from '../../core/mail/send';
import type { PageOptions } from '../../core/pages/options';
import type { PrivacyMailPlan } from '../../core/ledger';
import { startService } from './server';

/**
 * `n8n-consent serve`: runs the consent service until SIGTERM or SIGINT, then stops taking
 * connections, lets the requests in flight finish and returns (runCli closes the ledger).
 */
export async function runServe(ledger: Ledger, values: Record<string, unknown>, out: (value: unknown) => void): Promise<void> {
  const env = process.env;
  const port = parseInput(z.coerce.number({ error: '--port: a port number' }).int().min(0).max(65535, '--port: at most 65535'), values.port ?? env.CONSENT_PORT ?? '8080', '--port');
  const host = parseInput(z.string().trim().min(1, '--host: give an address to listen on'), values.host ?? env.CONSENT_HOST ?? '127.0.0.1', '--host');
  const signupsPerHour = parseInput(
    z.coerce.number({ error: '--signups-per-hour: a number' }).int().min(1, '--signups-per-hour: at least 1').max(100_000),
    values['signups-per-hour'] ?? '20',
    '--signups-per-hour',
  );
  const ms = (flag: string, fallback: string) =>
    parseInput(z.coerce.number({ error: `--${flag}: a number of milliseconds` }).int().min(10, `--${flag}: at least 10`).max(3_600_000, `--${flag}: at most 3600000 (an hour)`), values[flag] ?? fallback, `--${flag}`);
  const perMinute = (flag: string) =>
    values[flag] === undefined ? null : parseInput(z.coerce.number({ error: `--${flag}: calls per minute` }).int().min(1, `--${flag}: at least 1`).max(1_000_000), values[flag], `--${flag}`);
  const keyRate = perMinute('key-rate');
  const ipRate = perMinute('ip-rate');
  const hooks = values['no-hooks'] === true ? undefined : { retryMs: ms('hooks-retry-ms', '2000'), pollMs: ms('hooks-poll-ms', '1000') };
  const publicUrl = values['public-url'] ?? env.CONSENT_BASE_URL;
  if (publicUrl !== undefined) parseInput(z.url({ protocol: /^https?$/, error: '--public-url: an http(s) URL' }), publicUrl);
  const organisation = values.organisation ?? env.CONSENT_ORGANISATION;
  const privacyUrl = values['privacy-url'] ?? env.CONSENT_PRIVACY_URL;
  if (organisation === undefined) throw new InvalidInput('--organisation: the name shown on the link pages (or set CONSENT_ORGANISATION)');
  if (privacyUrl === undefined) throw new InvalidInput('--privacy-url: your privacy policy, linked from every page (or set CONSENT_PRIVACY_URL)');
  const pageOptions = parseInput(PageOptionsSchema, { organisation, privacyUrl }, 'page options');

  const service = await startService({
    ledger,
    pageOptions,
    host,
    port,
    publicUrl: publicUrl as string | undefined,
    signupsPerHour,
    hooks,
    keyRate,
    ipRate,
    trustProxy: values['trust-proxy'] === true,
    hooksAllowPrivate: values['hooks-allow-private'] === true,
    log: out,
    mailPrivacyRequest: privacyMailer(env, pageOptions),
  });
  out({ listening: service.url, dialect: ledger.dialect });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      out({ stopping: signal });
      void service.stop().then(resolve);
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
  out({ stopped: true });
}

/**
 * The privacy request form's mailer, when CONSENT_SMTP_HOST is set (the same variables as the
 * mailbox worker's): from CONSENT_REPLY_FROM. Without SMTP the form answers "try again later".
 */
function privacyMailer(env: NodeJS.ProcessEnv, pageOptions: PageOptions): ((plan: PrivacyMailPlan, linkBase: string) => Promise<void>) | undefined {
  if (!env.CONSENT_SMTP_HOST) return undefined;
  const smtp = parseInput(
    SmtpSettingsSchema,
    {
      host: env.CONSENT_SMTP_HOST,
      pool: false, // one mail per submission; nothing left open when the service stops
      port: env.CONSENT_SMTP_PORT,
      ...(env.CONSENT_SMTP_SECURE ? { secure: env.CONSENT_SMTP_SECURE === 'true' } : {}),
      ...(env.CONSENT_SMTP_USER ? { user: env.CONSENT_SMTP_USER, password: env.CONSENT_SMTP_PASSWORD } : {}),
      ...(env.CONSENT_SMTP_REJECT_UNAUTHORIZED ? { rejectUnauthorized: env.CONSENT_SMTP_REJECT_UNAUTHORIZED !== 'false' } : {}),
    },
    'CONSENT_SMTP_*',
  );
  if (!env.CONSENT_REPLY_FROM) throw new InvalidInput('CONSENT_REPLY_FROM: the address the privacy request form mails from, e.g. "Voorbeeld BV <privacy@example.nl>"');
  const replyFrom = parseInput(MailboxSchema, env.CONSENT_REPLY_FROM, 'CONSENT_REPLY_FROM');
  const sender = new MailSender(smtp);
  return async (plan, linkBase) => {
    await sender.send(
      privacyRequestMail(plan, { mailbox: 'privacy request form', replyFrom, organisation: pageOptions.organisation, privacyUrl: pageOptions.privacyUrl, baseUrl: linkBase, defaultLocale: pageOptions.defaultLocale ?? 'en' }),
    );
  };
}
