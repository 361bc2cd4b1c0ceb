import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { MailParser, parseAddressHeader, type AttachmentStream, type MessageText } from 'mailparser';
import { z } from 'zod/v4';
import { unstorable } from '../validation';
import {
  decodeEncodedWords,
  firstHeader,
  headerBlockEnd,
  messageIdsIn,
  parseContentType,
  parseHeaderBlock,
  type HeaderMap,
} from './headers';
import { htmlToText, isStubText } from './person-text';
import { readReportParts, type ReportParts } from './report-parts';

/**
 * One incoming mail, reduced to what the request pipeline reads. Built from raw source (a file,
 * the worker's IMAP fetch, a trigger's raw output) or from the parsed fields n8n's own Email
 * Trigger outputs. Text and HTML are capped; attachments are never kept.
 */
export interface RequestMail {
  /** The Message-ID, or a stable stand-in made from the headers when the mail has none. */
  messageId: string;
  hasOwnMessageId: boolean;
  from: { address: string; name: string }[];
  /** Return-Path: '' for the null sender `<>` (bounces, RFC 5321 §4.5.5), null when absent. */
  returnPath: string | null;
  subject: string;
  date: Date | null;
  inReplyTo: string | null;
  references: string[];
  headers: HeaderMap;
  /** Top-level Content-Type, lower case, and its report-type parameter (RFC 6522). */
  contentType: string;
  reportType: string | null;
  /** text/plain content, or text from the HTML when there is no plain part or it is only a stub ("Get Outlook for iOS"). */
  text: string;
  /** Which part `text` was read from. */
  textPart: 'text' | 'html';
  html: string | null;
  /** The message/delivery-status part of a DSN (RFC 3464), if any. */
  deliveryStatus: string | null;
  /** Of a multipart/report: the message/feedback-report part (RFC 5965), if any. */
  feedbackReport: ReportParts['feedbackReport'];
  /** Of a multipart/report: the header (and text) of the message it reports or returns, if any. */
  reportedMessage: ReportParts['reportedMessage'];
  isTruncated: boolean;
  /** Why the body could not be parsed (the headers still were); null when it could. */
  parseError: string | null;
}

export const MailLimitsSchema = z.object({
  /** Text kept per message (text/plain, HTML, delivery status each). */
  maxTextBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(256 * 1024),
  /** Largest header block of one MIME part (mailparser's maxHeadSize). */
  maxHeaderBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(256 * 1024),
  /** Most MIME parts in one message (mailparser's maxChildNodes). */
  maxParts: z.number().int().min(1).max(10_000).default(500),
  /**
   * How long one parse may take, in milliseconds. Past it the parse stops and the mail carries a
   * parseError (it goes to review): a mail that makes the parser stall never holds the mailbox up.
   */
  parseTimeoutMs: z.number().int().min(10).max(10 * 60_000).default(30_000),
});
export type MailLimits = z.input<typeof MailLimitsSchema>;

const DELIVERY_STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);

/**
 * Parses raw RFC 5322 source. Streams through mailparser: attachment bodies are read and dropped
 * as they pass, never held; a body that cannot be parsed leaves the headers and a parseError.
 */
export async function readRequestMail(source: Buffer | string | Readable, limitsInput: MailLimits = {}): Promise<RequestMail> {
  const limits = MailLimitsSchema.parse(limitsInput);
  const input = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
  let headerBytes: Buffer;
  let body: Readable;
  if (Buffer.isBuffer(input)) {
    headerBytes = input.subarray(0, Math.min(headerBlockEnd(input), limits.maxHeaderBytes));
    body = Readable.from([input]);
  } else {
    ({ headerBytes, body } = await withTimeLimit(splitHeaderBlock(input, limits.maxHeaderBytes), limits.parseTimeoutMs, () => input.destroy()));
  }
  const headers = parseHeaderBlock(headerBytes, limits.maxHeaderBytes);
  const simple = Buffer.isBuffer(input) ? singlePartBody(input, headerBytes.length, headers, limits) : undefined;
  const report = reportTap(headers, body, Buffer.isBuffer(input) ? input : undefined, limits);
  const parsed = simple ?? (await parseBody(body, limits));
  parsed.report = report?.(headerBytes.length);
  return buildRequestMail(headers, headerBytes, parsed, limits);
}

/**
 * A multipart/report's raw body, kept (capped) beside the parse: its feedback-report and the
 * reported message's header are read from it (report-parts.ts), which mailparser does not give.
 */
function reportTap(headers: HeaderMap, body: Readable, whole: Buffer | undefined, limits: z.output<typeof MailLimitsSchema>) {
  const type = parseContentType(firstHeader(headers, 'content-type'));
  if (type.type !== 'multipart/report') return undefined;
  const cap = limits.maxTextBytes + limits.maxHeaderBytes;
  const seen: Buffer[] = [];
  let size = 0;
  if (!whole) {
    body.on('data', (chunk: Buffer) => {
      if (size >= cap) return;
      seen.push(chunk);
      size += chunk.length;
    });
  }
  return (headerLength: number) => readReportParts((whole ?? Buffer.concat(seen)).subarray(headerLength), type.params.boundary, limits.maxTextBytes);
}

/**
 * Most request mails are one text part. Those are decoded here directly (transfer encoding, then
 * charset), without mailparser's stream machinery: a worker reading thousands of them allocates
 * far less. Anything else (multipart, an unknown encoding) goes to mailparser.
 */
function singlePartBody(source: Buffer, headerLength: number, headers: HeaderMap, limits: z.output<typeof MailLimitsSchema>): ParsedBody | undefined {
  const contentType = parseContentType(firstHeader(headers, 'content-type'));
  if (contentType.type !== 'text/plain' && contentType.type !== 'text/html') return undefined;
  const encoding = (firstHeader(headers, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  let raw = source.subarray(headerLength, headerLength + encodedTextLimit(limits));
  if (encoding === 'base64') raw = Buffer.from(raw.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  else if (encoding === 'quoted-printable') raw = decodeQuotedPrintable(raw);
  else if (!['7bit', '8bit', 'binary'].includes(encoding)) return undefined;
  const text = decodeCharset(raw, contentType.params.charset);
  const body: ParsedBody = { text: null, html: null, deliveryStatus: null, isTruncated: source.length - headerLength > encodedTextLimit(limits), error: null };
  if (contentType.type === 'text/html') body.html = capText(text, limits.maxTextBytes, body);
  else body.text = capText(text, limits.maxTextBytes, body);
  return body;
}

/** RFC 2045 §6.7: soft line breaks out, =XX to its byte. */
function decodeQuotedPrintable(raw: Buffer): Buffer {
  const text = raw.toString('latin1').replace(/=\r?\n/g, '');
  return Buffer.from(text.replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
}

/** The declared charset, or UTF-8; an unknown label reads as UTF-8 rather than failing. */
function decodeCharset(raw: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder((charset ?? 'utf-8').trim().toLowerCase() || 'utf-8').decode(raw);
  } catch {
    return raw.toString('utf8');
  }
}

/**
 * A large mail without its attachments: the worker fetched only the top-level header block and
 * the text parts (each with its MIME header, each body cut at the limit). They are put together
 * as one multipart message for the same parser; headers, Content-Type and the stand-in
 * Message-ID still come from the original header block.
 */
export async function readRequestMailFromParts(
  headerBlock: Buffer,
  parts: { mimeHeaders: Buffer; body: Buffer }[],
  limitsInput: MailLimits = {},
): Promise<RequestMail> {
  const limits = MailLimitsSchema.parse(limitsInput);
  const headers = parseHeaderBlock(headerBlock, limits.maxHeaderBytes);
  const boundary = `=_consent_${createHash('sha256').update(headerBlock).digest('hex').slice(0, 24)}`;
  const chunks: Buffer[] = [
    withoutFields(headerBlock, ['content-type', 'content-transfer-encoding', 'mime-version']),
    Buffer.from(`MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n`),
  ];
  for (const part of parts) {
    const body = cutAtLine(part.body, encodedTextLimit(limits));
    chunks.push(Buffer.from(`--${boundary}\r\n`), endWithBlankLine(part.mimeHeaders), body, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const parsed = await parseBody(Readable.from([Buffer.concat(chunks)]), limits);
  parsed.isTruncated = true;
  return buildRequestMail(headers, headerBlock, parsed, limits);
}

/** The header block without the named fields (and their folded continuation lines), blank line dropped. */
function withoutFields(block: Buffer, names: string[]): Buffer {
  const lines = block.toString('latin1').split(/\r?\n/);
  const kept: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      if (!skipping) kept.push(line);
      continue;
    }
    const name = line.slice(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase();
    skipping = names.includes(name);
    if (!skipping) kept.push(line);
  }
  return Buffer.from(kept.map((l) => `${l}\r\n`).join(''), 'latin1');
}

function endWithBlankLine(headers: Buffer): Buffer {
  const text = headers.toString('latin1').replace(/(\r?\n)*$/, '');
  return Buffer.from(`${text}\r\n\r\n`, 'latin1');
}

/** How much transfer-encoded text to fetch for the text limit: base64 takes 4 bytes for 3, QP up to 3 for 1. */
export function encodedTextLimit(limits: MailLimits = {}): number {
  return MailLimitsSchema.parse(limits).maxTextBytes * 2;
}

/** A transfer-encoded body cut at the limit, at a line end so no base64 quad or QP escape is split. */
function cutAtLine(body: Buffer, max: number): Buffer {
  if (body.length < max) return body;
  const end = body.lastIndexOf(0x0a, max);
  return body.subarray(0, end > 0 ? end + 1 : max);
}

/** A mail's decoded body parts (also built from n8n's mail items: mail-fields.ts). */
export interface ParsedBody {
  text: string | null;
  html: string | null;
  deliveryStatus: string | null;
  isTruncated: boolean;
  error: string | null;
  report?: ReportParts;
}

/** A stream read that never ends (a stalled source) is given up after the time limit. */
function withTimeLimit<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new MailParseFailed(`the mail's header did not arrive within ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** A mail whose source could not be read at all (not even its header). */
export class MailParseFailed extends Error {
  override name = 'MailParseFailed';
}

/**
 * mailparser's body parse, made safe: it always settles. An error anywhere (mailparser's own, the
 * source stream's, or thrown inside our event handlers, which would otherwise escape as an uncaught
 * exception and leave the promise pending for ever), or the time limit, ends it with `error` set
 * and whatever was read so far.
 */
function parseBody(body: Readable, limits: z.output<typeof MailLimitsSchema>): Promise<ParsedBody> {
  return new Promise((resolve) => {
    const result: ParsedBody = { text: null, html: null, deliveryStatus: null, isTruncated: false, error: null };
    const parser = new MailParser({
      skipHtmlToText: true, // our own htmlToText drops quoted replies by their markup first
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
      keepDeliveryStatus: true, // as an attachment: we read it, capped, ourselves
      ignoreEmbedded: true, // a forwarded mail's words are not the sender's request
      checksumAlgo: false,
      maxHeadSize: limits.maxHeaderBytes,
      maxChildNodes: limits.maxParts,
    });
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) result.error = describeParseError(error);
      body.unpipe(parser);
      body.resume();
      if (error) parser.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(new Error(`the parse did not finish within ${limits.parseTimeoutMs} ms`)), limits.parseTimeoutMs);
    /** Every handler we give mailparser runs through this: what it throws ends the parse, never the process. */
    const guarded =
      <A extends unknown[]>(handler: (...args: A) => void) =>
      (...args: A) => {
        if (done) return;
        try {
          handler(...args);
        } catch (error) {
          finish(error);
        }
      };
    parser.on(
      'data',
      guarded((data: AttachmentStream | MessageText) => {
        if (data.type === 'text') {
          result.text = capText(data.text ?? null, limits.maxTextBytes, result);
          result.html = capText(data.html ?? null, limits.maxTextBytes, result);
          return;
        }
        // A part whose Content-Type is empty or unreadable: mailparser hands it over untyped. Its
        // words may be the request, unread: the mail is not read completely (it goes to review).
        const type = typeof data.contentType === 'string' ? data.contentType.trim().toLowerCase() : '';
        if (!type) result.error ??= 'a MIME part has an empty or unreadable Content-Type';
        const wanted = DELIVERY_STATUS_TYPES.has(type) && result.deliveryStatus === null;
        const chunks: Buffer[] = [];
        let size = 0;
        data.content.on(
          'data',
          guarded((chunk: Buffer) => {
            if (!wanted || size >= limits.maxTextBytes) return; // drained, not kept
            chunks.push(chunk);
            size += chunk.length;
          }),
        );
        data.content.on(
          'end',
          guarded(() => {
            if (wanted) result.deliveryStatus = Buffer.concat(chunks).subarray(0, limits.maxTextBytes).toString('utf8');
            data.release?.();
          }),
        );
        data.content.on('error', (error: Error) => finish(error));
      }),
    );
    parser.on('end', () => finish());
    parser.on('error', (error: Error) => finish(error));
    body.on('error', (error: Error) => finish(error));
    body.pipe(parser);
  });
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message || 'the mail could not be parsed').replace(/[\r\n]+/g, ' ').slice(0, 300);
}

export function capText(value: string | null, max: number, result: ParsedBody): string | null {
  if (value === null) return null;
  if (value.length <= max) return value;
  result.isTruncated = true;
  return value.slice(0, max);
}

/** Reads a stream up to the end of its header block; the returned body replays what was read. */
async function splitHeaderBlock(stream: Readable, maxHeaderBytes: number): Promise<{ headerBytes: Buffer; body: Readable }> {
  const seen: Buffer[] = [];
  let total = 0;
  const iterator = stream[Symbol.asyncIterator]();
  let headerBytes: Buffer | undefined;
  while (!headerBytes) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    seen.push(chunk);
    total += chunk.length;
    const sofar = Buffer.concat(seen);
    const end = headerBlockEnd(sofar);
    if (end < sofar.length || total >= maxHeaderBytes) headerBytes = sofar.subarray(0, Math.min(end, maxHeaderBytes));
  }
  headerBytes ??= Buffer.concat(seen);
  const head = Buffer.concat(seen);
  async function* replay() {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value as Buffer;
    }
  }
  return { headerBytes, body: Readable.from(replay()) };
}

export function buildRequestMail(headers: HeaderMap, headerBytes: Buffer | string, body: ParsedBody, limits: z.output<typeof MailLimitsSchema>): RequestMail {
  const contentType = parseContentType(firstHeader(headers, 'content-type'));
  const html = body.html;
  const fromHtml = html !== null && isStubText(body.text);
  const text = fromHtml ? htmlToText(html, limits.maxTextBytes) : (body.text ?? '');
  const ownId = messageIdsIn(firstHeader(headers, 'message-id'))[0];
  const returnPath = firstHeader(headers, 'return-path');
  const date = firstHeader(headers, 'date');
  const parsedDate = date ? new Date(date) : null;
  return {
    messageId: ownId ? limitId(ownId) : standInMessageId(headerBytes),
    hasOwnMessageId: Boolean(ownId),
    from: addressesOf(headers.get('from')),
    returnPath: returnPath === undefined ? null : (messageIdsIn(returnPath)[0] ?? returnPath).replace(/^<|>$/g, '').trim(),
    subject: decodeEncodedWords(firstHeader(headers, 'subject') ?? '').slice(0, 2000),
    date: parsedDate && !Number.isNaN(parsedDate.getTime()) ? parsedDate : null,
    inReplyTo: messageIdsIn(firstHeader(headers, 'in-reply-to'))[0] ?? null,
    references: messageIdsIn(firstHeader(headers, 'references')).slice(-20),
    headers,
    contentType: contentType.type,
    reportType: contentType.params['report-type']?.toLowerCase() ?? null,
    text,
    textPart: fromHtml ? 'html' : 'text',
    html,
    deliveryStatus: body.deliveryStatus,
    feedbackReport: body.report?.feedbackReport ?? null,
    reportedMessage: body.report?.reportedMessage ?? null,
    isTruncated: body.isTruncated,
    parseError: body.error,
  };
}

function addressesOf(values: readonly string[] | undefined): { address: string; name: string }[] {
  if (!values || values.length === 0) return [];
  try {
    const parsed = parseAddressHeader(values.join(', '), { flatten: true });
    return parsed.value.filter((a) => a.address).map((a) => ({ address: a.address!.trim(), name: (a.name ?? '').trim() }));
  } catch {
    return [];
  }
}

/**
 * Message-IDs go into the request log as its key and into evidence: an absurdly long one, or one
 * that cannot be stored (a control character, broken Unicode), is hashed into a stable stand-in.
 */
function limitId(id: string): string {
  if (id.length > 500) return `<sha256-${createHash('sha256').update(id).digest('hex')}@long-message-id.invalid>`;
  if (unstorable(id, 'line')) return `<sha256-${createHash('sha256').update(id).digest('hex')}@unstorable-message-id.invalid>`;
  return id;
}

/**
 * A mail without a Message-ID still needs one stable key, the same on every fetch and after a
 * UIDVALIDITY change, or a restart would act twice: a hash of its header block.
 */
const STAND_IN_DOMAIN = '@no-message-id.invalid>';

function standInMessageId(headerBytes: Buffer | string): string {
  return `<sha256-${createHash('sha256').update(headerBytes).digest('hex')}${STAND_IN_DOMAIN}`;
}

/** Whether a request's Message-ID is our stand-in (the mail had none): nothing to reply to. */
export function isStandInMessageId(messageId: string): boolean {
  return messageId.endsWith(STAND_IN_DOMAIN);
}
