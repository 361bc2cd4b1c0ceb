import { randomUUID } from 'node:crypto';
import { z } from 'zod/v4';
import { EmailSchema, LocaleSchema, normaliseEmail } from '../consent/identity';
import { InvalidInput } from '../errors';
import { escapeHtml } from '../html';
import { linkFor } from '../links';
import { describeIssues, singleLine } from '../validation';
import { assertHeaderSafe } from './headers';
import { htmlToText } from './person-text';
import { BUILT_IN_TEMPLATES, MARKETING_KINDS, TEMPLATE_KINDS, type TemplateKind } from './templates';

/**
 * Composes the mails we send, as a plain object: a node can send it with send.ts (nodemailer) or
 * hand it to the mail node the user already has (Send Email, Gmail, Outlook), headers included.
 * Every header value is checked for CR/LF (no header injection); every placeholder value is
 * HTML-escaped in HTML.
 */
export interface ComposedMail {
  to: string;
  from: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  messageId: string;
}

export const PLACEHOLDERS = ['name', 'organisation', 'confirmUrl', 'unsubscribeUrl', 'preferencesUrl', 'privacyUrl', 'eraseUrl', 'accessUrl', 'privacyRequestUrl'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

const HttpUrl = z
  .string()
  .trim()
  .url('not a URL; use e.g. https://example.com/privacy')
  .refine((u) => /^https?:\/\//i.test(u), 'must start with https:// (or http://)');

/** "Name <address>", a bare address, or { address, name } (already parsed). */
export const MailboxSchema = z.unknown().transform((value, ctx): Mailbox => {
  let parsed: Mailbox | undefined;
  if (typeof value === 'string') parsed = parseMailbox(value);
  else if (typeof value === 'object' && value !== null && typeof (value as Mailbox).address === 'string') {
    const { address, name } = value as Mailbox;
    const normalised = normaliseEmail(address);
    if (normalised && !/[\r\n]/.test(name ?? '')) parsed = name ? { address: normalised, name } : { address: normalised };
  }
  if (!parsed) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : 'that';
    ctx.addIssue({ code: 'custom', message: `${shown} is not an address; use jan@example.com or Jan <jan@example.com>` });
    return z.NEVER;
  }
  return parsed;
});

const TemplateOverrideSchema = z
  .object({
    subject: z.string().max(998).optional(),
    text: z.string().max(200_000).optional(),
    html: z.string().max(500_000).optional(),
  })
  .partial();

export const ComposeInputSchema = z.object({
  to: EmailSchema,
  /** {{name}}, and the display name in To. */
  name: singleLine(200).optional(),
  from: MailboxSchema,
  replyTo: MailboxSchema.optional(),
  locale: LocaleSchema.default('nl'),
  organisation: z.string().trim().min(1, 'give the organisation name shown in the mail').max(200),
  /** Where the links point (n8n's Webhook URL or the pages' host): tokens become links below it. */
  baseUrl: HttpUrl.optional(),
  confirmToken: z.string().trim().min(1).max(200).optional(),
  unsubscribeToken: z.string().trim().min(1).max(200).optional(),
  eraseToken: z.string().trim().min(1).max(200).optional(),
  /** The access link's token (the person's data package, GDPR Art. 15). */
  accessToken: z.string().trim().min(1).max(200).optional(),
  /** The privacy request form's confirmation link token (Ledger.submitPrivacyRequest). */
  privacyToken: z.string().trim().min(1).max(200).optional(),
  /** The privacy mailbox: List-Unsubscribe's mailto target. */
  unsubscribeMailbox: EmailSchema.optional(),
  privacyUrl: HttpUrl.optional(),
  /** For replies: the Message-ID answered, and its References (RFC 5322 §3.6.4). */
  inReplyTo: z.string().trim().max(998).optional(),
  references: z.array(z.string().trim().max(998)).max(50).optional(),
  template: TemplateOverrideSchema.optional(),
});
export type ComposeInput = z.input<typeof ComposeInputSchema>;

/**
 * RFC 8058 + RFC 2369: the mailto an unsubscribing mail client writes to. The worker reads the
 * token back from the subject: `unsubscribe <token>`.
 */
export function unsubscribeMailto(mailbox: string, token: string): string {
  return `mailto:${mailbox}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`;
}

export function composeMail(kind: TemplateKind, input: ComposeInput): ComposedMail {
  if (!TEMPLATE_KINDS.includes(kind)) throw new InvalidInput(`kind: "${String(kind)}" is not a mail kind; use one of ${TEMPLATE_KINDS.join(', ')}.`);
  const parsed = ComposeInputSchema.safeParse(input);
  if (!parsed.success) throw new InvalidInput(describeIssues(parsed.error, 'mail'));
  const m = parsed.data;
  const isMarketing = MARKETING_KINDS.includes(kind);
  /** The mails to a subscriber: a way out in the text and in List-Unsubscribe (RFC 8058). */
  const listMail = isMarketing || kind === 'welcome';

  const links = {
    confirmUrl: m.confirmToken ? linkFor(requireBase(m.baseUrl, 'confirmToken'), 'confirm', m.confirmToken) : undefined,
    unsubscribeUrl: m.unsubscribeToken ? linkFor(requireBase(m.baseUrl, 'unsubscribeToken'), 'unsubscribe', m.unsubscribeToken) : undefined,
    preferencesUrl: m.unsubscribeToken ? linkFor(requireBase(m.baseUrl, 'unsubscribeToken'), 'preferences', m.unsubscribeToken) : undefined,
    eraseUrl: m.eraseToken ? linkFor(requireBase(m.baseUrl, 'eraseToken'), 'erase', m.eraseToken) : undefined,
    accessUrl: m.accessToken ? linkFor(requireBase(m.baseUrl, 'accessToken'), 'access', m.accessToken) : undefined,
    privacyRequestUrl: m.privacyToken ? linkFor(requireBase(m.baseUrl, 'privacyToken'), 'privacy', m.privacyToken) : undefined,
  };
  const values: Record<Placeholder, string | undefined> = {
    name: m.name || undefined,
    organisation: m.organisation,
    privacyUrl: m.privacyUrl,
    ...links,
  };

  // What each kind cannot go without, asked for before any template is read.
  if (isMarketing && !links.confirmUrl) {
    throw new InvalidInput(`confirmToken: a ${kind} mail needs the confirm token (from Request Consent or remind) and baseUrl.`);
  }
  if (isMarketing && !links.unsubscribeUrl) {
    throw new InvalidInput(`unsubscribeToken: every ${kind} mail carries an unsubscribe link; pass the unsubscribe token and baseUrl.`);
  }
  if (kind === 'welcome' && !links.unsubscribeUrl) {
    throw new InvalidInput('unsubscribeToken: a welcome mail carries an unsubscribe link; pass the unsubscribe token (Ledger.followUpRecipient) and baseUrl.');
  }
  if (kind === 'erase-verification' && !links.eraseUrl) {
    throw new InvalidInput('eraseToken: an erase-verification mail needs the erase token and baseUrl.');
  }
  if (kind === 'privacy-request' && !links.privacyRequestUrl) {
    throw new InvalidInput('privacyToken: a privacy-request mail needs the privacy token (Ledger.submitPrivacyRequest) and baseUrl.');
  }
  if (kind === 'access-link' && !links.accessUrl) {
    throw new InvalidInput('accessToken: an access-link mail needs the access token (Ledger.issueAccessLink) and baseUrl.');
  }

  const builtIn = BUILT_IN_TEMPLATES[m.locale][kind];
  const custom = m.template ?? {};
  const subject = assertHeaderSafe('subject', render(custom.subject ?? builtIn.subject, values, (v) => v, 'template.subject').trim());
  let text: string;
  let html: string;
  if (custom.text === undefined && custom.html !== undefined) {
    html = render(custom.html, values, escapeHtml, 'template.html');
    text = htmlToText(html, undefined, { keepLinks: true });
  } else {
    const textTemplate = custom.text ?? builtIn.text;
    text = render(textTemplate, values, (v) => v, 'template.text');
    html = custom.html !== undefined ? render(custom.html, values, escapeHtml, 'template.html') : htmlFromText(textTemplate, values, m.locale, subject);
  }

  // The rules a template must keep, whoever wrote it.
  const must = (url: string | undefined, what: string, field: string) => {
    if (url && !text.includes(url)) throw new InvalidInput(`${field}: the ${kind} mail must contain ${what}; put it in the text template.`);
  };
  if (isMarketing) must(links.confirmUrl, '{{confirmUrl}}', 'template.text');
  if (kind === 'erase-verification') must(links.eraseUrl, '{{eraseUrl}}', 'template.text');
  if (kind === 'access-link') must(links.accessUrl, '{{accessUrl}}', 'template.text');
  if (kind === 'privacy-request') must(links.privacyRequestUrl, '{{privacyRequestUrl}}', 'template.text');

  const headers: Record<string, string> = {};
  if (listMail && links.unsubscribeUrl && links.preferencesUrl) {
    if (!text.includes(links.unsubscribeUrl) && !text.includes(links.preferencesUrl)) {
      throw new InvalidInput(`template.text: a ${isMarketing ? 'marketing' : kind} mail must contain {{unsubscribeUrl}} or {{preferencesUrl}}.`);
    }
    // RFC 8058 §3.1: one HTTPS URI for the one-click POST, plus the mailto (RFC 2369) for clients without it.
    const targets = [`<${links.unsubscribeUrl}>`];
    if (m.unsubscribeMailbox) targets.push(`<${unsubscribeMailto(m.unsubscribeMailbox, m.unsubscribeToken!)}>`);
    headers['List-Unsubscribe'] = targets.join(', ');
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  } else if (kind === 'goodbye') {
    // RFC 3834 §5: made by a program after the person's click, not a reply to a mail; no
    // List-Unsubscribe: the person has just left, this is the last mail of that list.
    headers['Auto-Submitted'] = 'auto-generated';
    headers['X-Auto-Response-Suppress'] = 'All';
  } else {
    // RFC 3834 §5: an automatic answer to a person's mail; other responders must not answer it.
    headers['Auto-Submitted'] = 'auto-replied';
    headers['X-Auto-Response-Suppress'] = 'All';
  }
  if (m.inReplyTo) {
    headers['In-Reply-To'] = m.inReplyTo;
    headers.References = [...(m.references ?? []).slice(-20), m.inReplyTo].filter((v, i, a) => a.indexOf(v) === i).join(' ');
  }
  for (const [field, value] of Object.entries(headers)) assertHeaderSafe(field, value);

  const domain = m.from.address.split('@')[1];
  return {
    to: formatMailbox({ address: m.to, name: m.name }),
    from: formatMailbox(m.from),
    ...(m.replyTo ? { replyTo: formatMailbox(m.replyTo) } : {}),
    subject,
    text,
    html,
    headers,
    messageId: `<${randomUUID()}@${domain}>`,
  };
}

function requireBase(baseUrl: string | undefined, field: string): string {
  if (!baseUrl) throw new InvalidInput(`baseUrl: ${field} is given, so the links need a base URL (where n8n's Webhook node answers), e.g. https://example.com/webhook/consent.`);
  return baseUrl;
}

/** Fills {{x}}, {{#x}}…{{/x}} (only with a value) and {{^x}}…{{/x}} (only without). */
export function render(template: string, values: Record<Placeholder, string | undefined>, escape: (v: string) => string, field: string): string {
  const known = (name: string): name is Placeholder => (PLACEHOLDERS as readonly string[]).includes(name);
  const unknown = (name: string) =>
    new InvalidInput(`${field}: unknown placeholder {{${name}}}; use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}.`);
  const withSections = template.replace(/\{\{\s*([#^])\s*(\w+)\s*\}\}([\s\S]*?)\{\{\s*\/\s*\2\s*\}\}/g, (_m, kind: string, name: string, inner: string) => {
    if (!known(name)) throw unknown(name);
    return (kind === '#') === Boolean(values[name]) ? inner : '';
  });
  return withSections.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_m, name: string) => {
    if (!known(name)) throw unknown(name);
    const value = values[name];
    if (value === undefined) {
      throw new InvalidInput(`${field} uses {{${name}}}, but no value for it was given; ${HOW_TO_FILL[name]}.`);
    }
    return escape(value);
  });
}

const HOW_TO_FILL: Record<Placeholder, string> = {
  name: 'give the name, or write {{#name}}…{{/name}} around the part that needs it',
  organisation: 'give the organisation name',
  confirmUrl: 'pass the confirm token and baseUrl',
  unsubscribeUrl: 'pass the unsubscribe token and baseUrl',
  preferencesUrl: 'pass the unsubscribe token and baseUrl',
  privacyUrl: 'give the privacy statement URL, or write {{#privacyUrl}}…{{/privacyUrl}} around it',
  eraseUrl: 'pass the erase token and baseUrl',
  accessUrl: 'pass the access token (Ledger.issueAccessLink) and baseUrl',
  privacyRequestUrl: 'pass the privacy token (Ledger.submitPrivacyRequest) and baseUrl',
};

/** Placeholders whose value is a link we made (or the operator's privacy URL): these may become links. */
const LINK_PLACEHOLDERS: ReadonlySet<Placeholder> = new Set(['confirmUrl', 'unsubscribeUrl', 'preferencesUrl', 'privacyUrl', 'eraseUrl', 'accessUrl', 'privacyRequestUrl']);
/** Private-use marks around the other values while the HTML is made; never left in it. */
const FENCE_OPEN = '\uE000';
const FENCE_CLOSE = '\uE001';

/**
 * A plain HTML version of a text template: escaped, paragraphs kept, and clickable only the URLs of
 * the template itself and of our link placeholders. A URL in a person's name (or any other value
 * given to us) stays text: our own mail must not turn it into a link (phishing in our name).
 */
function htmlFromText(template: string, values: Record<Placeholder, string | undefined>, locale: string, title: string): string {
  const fenced = Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      value === undefined || LINK_PLACEHOLDERS.has(name as Placeholder) ? value : `${FENCE_OPEN}${value.replace(/[\uE000\uE001]/g, '')}${FENCE_CLOSE}`,
    ]),
  ) as Record<Placeholder, string | undefined>;
  const body = render(template, fenced, (v) => v, 'template.text')
    .split(/(\uE000[^\uE001]*\uE001)/)
    .map((part) => (part.startsWith(FENCE_OPEN) ? escapeHtml(part.slice(1, -1)) : escapeHtml(part).replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}">${url}</a>`)))
    .join('');
  const paragraphs = body.split(/\n{2,}/).map((p) => `<p>${p.replace(/\n/g, '<br>\n')}</p>`);
  return `<!DOCTYPE html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">
${paragraphs.join('\n')}
</body></html>`;
}

export interface Mailbox {
  address: string;
  name?: string;
}

export function parseMailbox(value: string): Mailbox | undefined {
  if (/[\r\n]/.test(value)) return undefined;
  const angle = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<>"]*?))\s*<([^<>\s]+)>\s*$/.exec(value);
  if (angle) {
    const address = normaliseEmail(angle[3]);
    const name = (angle[1] ?? angle[2] ?? '').replace(/\\(.)/g, '$1').trim();
    return address ? { address, ...(name ? { name } : {}) } : undefined;
  }
  const address = normaliseEmail(value);
  return address ? { address } : undefined;
}

/** RFC 5322 §3.4: a display name with specials is quoted. */
export function formatMailbox(mailbox: Mailbox): string {
  assertHeaderSafe('address', mailbox.address);
  if (!mailbox.name) return mailbox.address;
  const name = assertHeaderSafe('name', mailbox.name);
  return /^[\p{L}\p{N} !#$%&'*+\-/=?^_`{|}~]+$/u.test(name) ? `${name} <${mailbox.address}>` : `"${name.replace(/["\\]/g, '\\$&')}" <${mailbox.address}>`;
}
