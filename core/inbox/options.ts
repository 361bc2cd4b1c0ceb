import type { Readable } from 'node:stream';
import { z } from 'zod/v4';
import { LocaleSchema } from '../consent/identity';
import { InvalidInput } from '../errors';
import type { DnsResolver, Proof } from '../mail/authenticity';
import type { Evidence, Intent } from '../mail/classify';
import { MailboxSchema, type ComposedMail } from '../mail/compose';
import { requestMailFromFields } from '../mail/mail-fields';
import { MailLimitsSchema, readRequestMail, type RequestMail } from '../mail/request-mail';
import type { SentMail } from '../mail/send';
import type { Language } from '../mail/vocabulary';
import { describeIssues } from '../validation';

/** The inbox's settings (one mailbox), its hooks, what it answers per mail, and the mail it takes. */
const HttpUrl = z
  .string()
  .trim()
  .url('not a URL; use e.g. https://example.com/webhook/consent')
  .refine((u) => /^https?:\/\//i.test(u), 'must start with https:// (or http://)');

export const RequestOptionsSchema = z.object({
  /** The name this mailbox has in the request log, e.g. "privacy@example.com/INBOX". */
  mailbox: z.string().trim().min(1, 'give the mailbox name for the request log').max(300),
  /** Where the erase-verification link points (n8n's Webhook URL or the pages' host). */
  baseUrl: HttpUrl,
  organisation: z.string().trim().min(1, 'give the organisation name shown in replies').max(200),
  privacyUrl: HttpUrl.optional(),
  /** The From of replies: the privacy mailbox itself, e.g. "Privacy <privacy@example.com>". */
  replyFrom: MailboxSchema,
  /** authserv-ids of your own border mail servers whose Authentication-Results are trusted. */
  trustedAuthservIds: z.array(z.string().trim().min(1).max(255)).default([]),
  /**
   * Our own addresses besides replyFrom: the mailbox's login, the From of the ledger's mails
   * (newsletter, confirmations). Mail from them is our own coming back, never a request.
   */
  ownAddresses: z.lazy(() => OwnAddressesSchema).default([]),
  /** Unsubscribe a sender that is not proven: it only reduces mail, so by default yes. */
  actOnUnprovenUnsubscribe: z.boolean().default(true),
  /** Check DKIM/DMARC ourselves (mailauth) when no other proof is there. */
  verifyDkim: z.boolean().default(true),
  /** Language of replies when the mail's own is not clear (German mails are answered in English). */
  defaultLocale: LocaleSchema.default('en'),
  /**
   * How many times a mail is started before it is given up on: a run that finds its request still
   * in progress counts one more (the count is in the request log, so restarts and --once count too).
   * Past it nothing is acted on again; the request is marked `gave_up` and the mail goes to review.
   */
  maxAttempts: z.number().int().min(1).max(100).default(10),
  limits: MailLimitsSchema.default({ maxTextBytes: 256 * 1024, maxHeaderBytes: 256 * 1024, maxParts: 500, parseTimeoutMs: 30_000 }),
});
export type RequestOptions = z.input<typeof RequestOptionsSchema>;

/** Addresses as "Name <address>" or bare; normalised, without repeats. */
export const OwnAddressesSchema = z
  .array(MailboxSchema.transform((m) => m.address))
  .max(100, 'at most 100 own addresses')
  .transform((list) => [...new Set(list)]);
export type Options = z.output<typeof RequestOptionsSchema>;

/** Options already parsed here are passed through as they are: a worker parses once, not per mail. */
const PARSED = new WeakSet<object>();

export function parseRequestOptions(input: unknown): Options {
  if (typeof input === 'object' && input !== null && PARSED.has(input)) return input as Options;
  const parsed = RequestOptionsSchema.safeParse(input);
  if (!parsed.success) throw new InvalidInput(describeIssues(parsed.error, 'mailbox settings'));
  PARSED.add(parsed.data);
  return parsed.data;
}

export interface RequestHooks {
  /** The raw message for a DKIM check, fetched only when it is needed. */
  source?: () => Promise<Buffer | Readable>;
  /** DNS for mailauth (tests serve their own keys); the system resolver when absent. */
  resolver?: DnsResolver;
  /** Sends a reply; without it the reply is returned (status `pending`) for another node to send. */
  sendReply?: (mail: ComposedMail) => Promise<SentMail>;
  /** When the mail arrived (IMAP INTERNALDATE); the Date header, or now, otherwise. */
  receivedAt?: Date;
  /**
   * How a sent reply went, for the caller to write to the request log later with others in one
   * transaction (Ledger.recordReplies; the worker: once per batch, before its mails move). Without
   * it the request is updated at once. Until written, the reply stays `pending` in the log, so a
   * repeat of the mail after a crash sends it again.
   */
  recordReply?: (record: ReplyRecord) => void;
}

/** A reply's outcome for the request log: the request's whole detail after it. */
export interface ReplyRecord {
  messageId: string;
  detail: string;
}

/** `unsendable`: the reply could not be composed from this mail (the mail goes to review, the reason in `error`). */
export type ReplyStatus = 'sent' | 'failed' | 'rejected' | 'pending' | 'none' | 'done' | 'unsendable';
export type Folder = 'processed' | 'review';

export interface RequestMailResult {
  messageId: string;
  /** When the mail arrived, as the request log has it. */
  receivedAt: string;
  intent: Intent;
  language: Language | null;
  address: string | null;
  subject: string;
  proof: Proof;
  outcome: string;
  reason: string;
  folder: Folder;
  /** True when this Message-ID was handled before: nothing was applied again. */
  isRepeat: boolean;
  /** The ledger's id of the person concerned (an id, no PII: it stays after an erasure). */
  subjectId: number | null;
  /** The erasure receipt when this request was an erasure carried out. */
  receiptId: string | null;
  /** CRM IDs of the person this mail erased, for the CRM's own delete; empty on a repeat. */
  externalIds: string[];
  reply: { status: ReplyStatus; mail: ComposedMail | null; error: string | null };
  /** May the mail be marked and moved now? False while a reply still has to go out. */
  isDone: boolean;
  /** For a mail that goes to review: what the person deciding needs (the trigger's Review output). */
  review?: ReviewDetails;
}

/**
 * A mail a person must decide on, as the officer sees it: the person's own words, why it was not
 * acted on, what the classifier would suggest and what that rests on, and the reference under
 * which the ledger knows the request (for the Consent Ledger's Act on Request).
 */
export interface ReviewDetails {
  /** The request log's key for this mail (its Message-ID): give it to Act on Request. */
  requestRef: string;
  /** Why a person must decide. */
  reason: string;
  /** What the classifier read in the mail; `unknown` when it found no request. A suggestion only. */
  suggestedIntent: Intent;
  /** The person's own words (quoted text, signatures and footers left out). */
  text: string;
  evidence: Evidence[];
  confidence: number;
  /** The sender proof an erasure would rest on; `none`: erase sends a verification link first. */
  proof: Proof;
  /** The answer is due by then (received + one month, GDPR Art. 12(3)). */
  dueAt: string;
}

export type Input = RequestMail | Buffer | string | Readable | Record<string, unknown>;

export async function toRequestMail(input: Input, limits?: Options['limits']): Promise<RequestMail> {
  if (isRequestMail(input)) return input;
  if (typeof input === 'string' || Buffer.isBuffer(input) || isReadable(input)) return readRequestMail(input as Buffer | string | Readable, limits);
  const raw = (input as { raw?: unknown; source?: unknown }).raw ?? (input as { source?: unknown }).source;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) return readRequestMail(raw, limits);
  return requestMailFromFields(input, limits);
}

function isRequestMail(input: unknown): input is RequestMail {
  return typeof input === 'object' && input !== null && (input as RequestMail).headers instanceof Map && typeof (input as RequestMail).messageId === 'string';
}

function isReadable(input: unknown): input is Readable {
  return typeof input === 'object' && input !== null && typeof (input as Readable).pipe === 'function' && typeof (input as Readable).on === 'function';
}

/** The raw message for a DKIM check, when the input carries it. */
export function rawSourceOf(input: Input): RequestHooks['source'] {
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    const buffer = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    return async () => buffer;
  }
  const raw = !isRequestMail(input) && !isReadable(input) ? (input as { raw?: unknown }).raw : undefined;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    const buffer = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    return async () => buffer;
  }
  return undefined;
}
