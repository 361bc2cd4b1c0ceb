import { z } from 'zod/v4';
import { InvalidInput } from '../errors';
import { describeIssues } from '../validation';
import { headerMapFrom } from './headers';
import { buildRequestMail, capText, MailLimitsSchema, type MailLimits, type ParsedBody, type RequestMail } from './request-mail';

/**
 * Items from n8n's Email Trigger (IMAP) and similar nodes: parsed fields rather than a mail's
 * source, turned into the same RequestMail that request-mail.ts reads from source.
 */
const AddressField = z.union([
  z.string(),
  z.object({ value: z.array(z.object({ address: z.string().optional(), name: z.string().optional() })).optional(), text: z.string().optional() }),
  z.array(z.object({ address: z.string().optional(), name: z.string().optional() })),
]);

/**
 * An item from n8n's Email Trigger (IMAP) or a similar node: parsed fields rather than source.
 * `headers` may be an object (name → value or values) or mailparser's headerLines array.
 */
export const MailFieldsSchema = z.object({
  messageId: z.string().max(2000).optional(),
  from: AddressField.optional(),
  subject: z.string().max(10_000).optional(),
  text: z.string().optional(),
  textPlain: z.string().optional(),
  html: z.string().optional(),
  textHtml: z.string().optional(),
  date: z.union([z.string(), z.date()]).optional(),
  inReplyTo: z.string().max(2000).optional(),
  references: z.union([z.string(), z.array(z.string())]).optional(),
  headers: z
    .union([
      z.record(z.string(), z.unknown()),
      z.array(z.object({ key: z.string(), line: z.string() })),
    ])
    .optional(),
  headerLines: z.array(z.object({ key: z.string(), line: z.string() })).optional(),
});
export type MailFields = z.input<typeof MailFieldsSchema>;

export function requestMailFromFields(input: unknown, limitsInput: MailLimits = {}): RequestMail {
  const limits = MailLimitsSchema.parse(limitsInput);
  const parsed = MailFieldsSchema.safeParse(input);
  if (!parsed.success) throw new InvalidInput(describeIssues(parsed.error, 'mail item'));
  const item = parsed.data;
  const headerEntries: [string, string][] = [];
  const lines = item.headerLines ?? (Array.isArray(item.headers) ? item.headers : undefined);
  if (lines) {
    for (const { line } of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headerEntries.push([line.slice(0, colon), line.slice(colon + 1)]);
    }
  } else if (item.headers && !Array.isArray(item.headers)) {
    for (const [name, value] of Object.entries(item.headers)) {
      for (const v of Array.isArray(value) ? value : [value]) headerEntries.push([name, headerValueText(v)]);
    }
  }
  const fromText = addressFieldText(item.from);
  if (fromText && !headerEntries.some(([n]) => n.toLowerCase() === 'from')) headerEntries.push(['from', fromText]);
  if (item.subject !== undefined && !headerEntries.some(([n]) => n.toLowerCase() === 'subject')) headerEntries.push(['subject', item.subject]);
  if (item.messageId && !headerEntries.some(([n]) => n.toLowerCase() === 'message-id')) headerEntries.push(['message-id', item.messageId]);
  if (item.inReplyTo && !headerEntries.some(([n]) => n.toLowerCase() === 'in-reply-to')) headerEntries.push(['in-reply-to', item.inReplyTo]);
  if (item.references && !headerEntries.some(([n]) => n.toLowerCase() === 'references')) {
    headerEntries.push(['references', Array.isArray(item.references) ? item.references.join(' ') : item.references]);
  }
  if (item.date && !headerEntries.some(([n]) => n.toLowerCase() === 'date')) {
    headerEntries.push(['date', item.date instanceof Date ? item.date.toUTCString() : item.date]);
  }
  const headers = headerMapFrom(headerEntries);
  const text = item.text ?? item.textPlain ?? null;
  const html = item.html ?? item.textHtml ?? null;
  const body: ParsedBody = { text: null, html: null, deliveryStatus: null, isTruncated: false, error: null };
  body.text = capText(text, limits.maxTextBytes, body);
  body.html = capText(html, limits.maxTextBytes, body);
  const headerText = headerEntries.map(([n, v]) => `${n}: ${v}`).join('\r\n');
  return buildRequestMail(headers, headerText, body, limits);
}

function headerValueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toUTCString();
  if (typeof value === 'object') {
    const v = value as { text?: unknown; value?: unknown; params?: Record<string, unknown> };
    if (typeof v.text === 'string') return v.text; // mailparser address objects
    if (typeof v.value === 'string') {
      // mailparser structured headers: { value: 'multipart/report', params: { 'report-type': … } }
      const params = Object.entries(v.params ?? {}).map(([k, p]) => `; ${k}="${String(p)}"`).join('');
      return `${v.value}${params}`;
    }
  }
  return String(value);
}

function addressFieldText(from: z.output<typeof AddressField> | undefined): string | undefined {
  if (!from) return undefined;
  if (typeof from === 'string') return from;
  const list = Array.isArray(from) ? from : from.value;
  if (list && list.length > 0) return list.filter((a) => a.address).map((a) => (a.name ? `"${a.name.replace(/["\\]/g, '')}" <${a.address}>` : a.address)).join(', ');
  return Array.isArray(from) ? undefined : from.text;
}
