import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import { z } from 'zod/v4';
import { LocaleSchema, type Locale } from '../consent/identity';
import type { EvidenceInput } from '../consent/evidence';
import { InvalidInput, TokenRejected } from '../errors';
import type { Ledger, VerifiedErasure } from '../ledger';
import { derive, secretsOf } from '../secrets';
import type { RequestRow } from '../store/store';
import { describeIssues } from '../validation';
import { checkAuthenticationResults, checkDkimAlignment, type DnsResolver, type Proof, type SenderCheck } from './authenticity';
import { classifyRequest, type Classification, type Intent } from './classify';
import { composeMail, MailboxSchema, type ComposedMail } from './compose';
import { isStandInMessageId, MailLimitsSchema, readRequestMail, requestMailFromFields, type RequestMail } from './request-mail';
import { describeSendFailure, SendFailed, type SentMail } from './send';
import type { TemplateKind } from './templates';
import type { Language } from './vocabulary';

/**
 * One request mail, start to end: parse → classify → act in the ledger → reply. The worker calls
 * it per message and then marks and moves the mail; the n8n trigger node calls it per item.
 *
 * Exactly-once effects on top of at-least-once delivery: the request is first recorded under its
 * Message-ID with outcome `processing`; a repeat of a finished request (created=false) changes
 * nothing and at most resends a reply that had failed. A repeat of one that was cut off while
 * `processing` runs its action again, which the transition table makes idempotent (unsubscribe
 * from unsubscribed, bounce from bounced: kept, no new event).
 *
 * A Message-ID is chosen by the sender, so anyone can send one again: a mail is a repeat only when
 * it comes from the sender the request was recorded for (see senderOfRepeat). Another sender's mail
 * with that ID acts on nothing, is answered by nothing, and goes to review.
 */
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
  /** Unsubscribe a sender that is not proven: it only reduces mail, so by default yes. */
  actOnUnprovenUnsubscribe: z.boolean().default(true),
  /** Check DKIM/DMARC ourselves (mailauth) when no other proof is there. */
  verifyDkim: z.boolean().default(true),
  /** Language of replies when the mail's own is not clear (German mails are answered in English). */
  defaultLocale: LocaleSchema.default('en'),
  limits: MailLimitsSchema.default({ maxTextBytes: 256 * 1024, maxHeaderBytes: 256 * 1024, maxParts: 500 }),
});
export type RequestOptions = z.input<typeof RequestOptionsSchema>;
type Options = z.output<typeof RequestOptionsSchema>;

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
}

export type ReplyStatus = 'sent' | 'failed' | 'rejected' | 'pending' | 'none' | 'done';
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
}

/** Request-log outcomes that need a person: the mail goes to the review folder. */
const REVIEW_OUTCOMES = new Set(['needs_review', 'unproven', 'unparsed', 'awaiting_operator']);
const IN_PROGRESS = 'processing';
/** Set just before an erasure: a repeat then knows the erasure may have happened already. */
const ERASING = 'erasing';

type Input = RequestMail | Buffer | string | Readable | Record<string, unknown>;

export async function toRequestMail(input: Input, limits?: Options['limits']): Promise<RequestMail> {
  if (isRequestMail(input)) return input;
  if (typeof input === 'string' || Buffer.isBuffer(input) || isReadable(input)) return readRequestMail(input as Buffer | string | Readable, limits);
  const raw = (input as { raw?: unknown; source?: unknown }).raw ?? (input as { source?: unknown }).source;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) return readRequestMail(raw, limits);
  return requestMailFromFields(input, limits);
}

export async function processRequestMail(ledger: Ledger, input: Input, optionsInput: RequestOptions | Options, hooks: RequestHooks = {}): Promise<RequestMailResult> {
  const context = await readRequest(ledger, input, optionsInput, hooks);
  const { options, mail, classification, receivedAt, address } = context;

  const recorded = await ledger.recordRequest({
    messageId: mail.messageId,
    mailbox: options.mailbox,
    kind: classification.intent,
    receivedAt,
    address,
    outcome: IN_PROGRESS,
    detail: formatDetail({ sender: senderTag(context) }),
  });
  if (!recorded.created) {
    const row = recorded.row;
    const sender = senderOfRepeat(context, row);
    if (sender === 'other') return anotherSender(context);
    if (row.outcome !== ERASING && row.outcome !== IN_PROGRESS) return finishRepeat(context, row, sender === 'same');
    if (sender === 'unknown') return anotherSender(context, 'cut off before it finished, and its address was erased since: its sender cannot be checked');
    context.isRetry = true;
    if (row.outcome === ERASING) context.resumeErasure = row;
  }

  const effect = await applyRequest(context);
  const reply = effect.reply ? await sendReply(context, effect.reply) : NO_REPLY;
  const isOwed = reply.status === 'failed' || reply.status === 'pending';
  await ledger.updateRequest(mail.messageId, {
    outcome: effect.outcome,
    ...(effect.subjectId !== undefined ? { subjectId: effect.subjectId } : {}),
    // An erasure carried out leaves the request as the record that it was answered, without the
    // address: also when we held nothing ("no data"), as Ledger.completeEraseVerification does.
    ...(effect.isErasure ? { address: null } : {}),
    detail: formatDetail({
      proof: effect.proof,
      reply: reply.status,
      error: reply.error ?? undefined,
      receipt: effect.receipt,
      note: effect.note,
      // The verification mail's language: the acknowledgement after its button is written in it too.
      lang: effect.outcome === 'awaiting_verification' ? effect.reply?.locale : undefined,
      // The answer still has to go out, and the address is gone: the repeat must know its sender.
      sender: effect.isErasure && isOwed ? senderTag(context) : undefined,
    }),
  });
  return resultOf(context, {
    proof: effect.proof,
    outcome: effect.outcome,
    isRepeat: !recorded.created,
    subjectId: effect.subjectId ?? null,
    receiptId: effect.receipt ?? null,
    externalIds: effect.externalIds ?? [],
    reply,
  });
}

/**
 * "Act Automatically" off (the n8n trigger): the mail is classified, its sender checked with the
 * same proofs, and the request recorded in the request log (once per Message-ID, due in a month),
 * nothing else. The workflow decides what to do (e.g. Erase Contact) and nothing is answered.
 */
export async function recordRequestMail(ledger: Ledger, input: Input, optionsInput: RequestOptions | Options, hooks: RequestHooks = {}): Promise<RequestMailResult> {
  const context = await readRequest(ledger, input, optionsInput, hooks);
  const { options, mail, classification: c } = context;
  const sender = c.intent === 'unsubscribe' || c.intent === 'erase' ? await proveRequestSender(context) : undefined;
  const recorded = await ledger.recordRequest({
    messageId: mail.messageId,
    mailbox: options.mailbox,
    kind: c.intent,
    receivedAt: context.receivedAt,
    address: context.address,
    outcome: RECORDED_OUTCOMES[c.intent] ?? LEFT_TO_WORKFLOW,
    subjectId: sender?.subjectId ?? null,
    detail: formatDetail({ proof: sender?.proof ?? 'none', note: sender && !sender.isProven ? sender.detail : undefined }),
  });
  const row = recorded.row;
  const repeat = recorded.created ? undefined : senderOfRepeat(context, row);
  if (repeat === 'other') return anotherSender(context);
  // The first sender's proof carries over only to that sender; after an erasure took the address
  // (`unknown`) this mail counts with its own.
  const isSame = repeat === 'same';
  return resultOf(context, {
    proof: isSame ? proofOf(row) : (sender?.proof ?? 'none'),
    outcome: row.outcome,
    isRepeat: !recorded.created,
    subjectId: isSame || recorded.created ? row.subjectId : (sender?.subjectId ?? null),
    receivedAt: row.receivedAt,
    reply: NO_REPLY,
  });
}

/** A mail under a Message-ID the request log has for someone else: nothing acted on, nobody answered. */
function anotherSender(ctx: Context, reason = 'Message-ID already used by another sender'): RequestMailResult {
  return resultOf(ctx, { proof: 'none', outcome: 'needs_review', reason, isRepeat: false, reply: NO_REPLY });
}

type RepeatSender = 'same' | 'other' | 'unknown';

/**
 * Is this mail from the sender its Message-ID was recorded for? The request log's address says so;
 * once an erasure took the address, the keyed tag kept while something is still owed (senderTag).
 * Without either nothing can be compared (`unknown`): then nothing new goes out for the request.
 */
function senderOfRepeat(ctx: Context, row: RequestRow): RepeatSender {
  if (row.address !== null) return row.address === ctx.address ? 'same' : 'other';
  const tag = parseDetail(row.detail).sender;
  if (tag) return ctx.address !== null && hasSenderTag(ctx, ctx.address, tag) ? 'same' : 'other';
  return ctx.address === null ? 'same' : 'unknown';
}

/**
 * A keyed tag of the request's address (HMAC with a key of its own from the ledger's secret): kept
 * with a request while it is in hand, and after its erasure for as long as an answer is owed, so a
 * repeat is told from another sender's mail when the address itself is gone. No address can be
 * read back from it, and it goes with the answer.
 */
function senderTag(ctx: Context): string | undefined {
  return ctx.address === null ? undefined : tagWith(senderKeys(ctx.ledger)[0], ctx.address);
}

function hasSenderTag(ctx: Context, address: string, tag: string): boolean {
  const given = Buffer.from(tag);
  return senderKeys(ctx.ledger).some((key) => {
    const expected = Buffer.from(tagWith(key, address));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

function tagWith(key: Buffer, address: string): string {
  return createHmac('sha256', key).update(address).digest('base64url').slice(0, 22);
}

/** Current secret first; the previous ones while rotating, so a tag made before still matches. */
const SENDER_KEYS = new WeakMap<object, Buffer[]>();
function senderKeys(ledger: Ledger): Buffer[] {
  let keys = SENDER_KEYS.get(ledger.settings);
  if (!keys) {
    keys = secretsOf(ledger.settings).map((s) => derive(s, 'request sender v1'));
    SENDER_KEYS.set(ledger.settings, keys);
  }
  return keys;
}

/** Left to the workflow: the outcome of a request mail recorded and not acted on. */
export const LEFT_TO_WORKFLOW = 'left_to_workflow';
/** What a person has to look at goes to review when only recording too. */
const RECORDED_OUTCOMES: Partial<Record<Intent, string>> = { unknown: 'needs_review', access: 'awaiting_operator', auto_reply: 'ignored' };
const NO_REPLY: RequestMailResult['reply'] = Object.freeze({ status: 'none', mail: null, error: null });

async function readRequest(ledger: Ledger, input: Input, optionsInput: RequestOptions | Options, hooks: RequestHooks): Promise<Context> {
  const options = parseRequestOptions(optionsInput);
  const mail = await toRequestMail(input, options.limits);
  const classification = classifyRequest(mail);
  const now = ledger.clock();
  return {
    ledger,
    options,
    hooks: { ...hooks, source: hooks.source ?? rawSourceOf(input) },
    mail,
    classification,
    receivedAt: hooks.receivedAt ?? (mail.date && mail.date <= now ? mail.date : now),
    address: requestAddress(classification),
  };
}

function resultOf(
  ctx: Context,
  r: Pick<RequestMailResult, 'proof' | 'outcome' | 'isRepeat' | 'reply'> & Partial<Pick<RequestMailResult, 'address' | 'reason' | 'receivedAt' | 'subjectId' | 'receiptId' | 'externalIds'>>,
): RequestMailResult {
  const c = ctx.classification;
  return {
    messageId: ctx.mail.messageId,
    receivedAt: r.receivedAt ?? ctx.receivedAt.toISOString(),
    intent: c.intent,
    language: c.language,
    address: r.address !== undefined ? r.address : ctx.address,
    subject: ctx.mail.subject,
    proof: r.proof,
    outcome: r.outcome,
    reason: r.reason ?? c.reason,
    folder: REVIEW_OUTCOMES.has(r.outcome) ? 'review' : 'processed',
    isRepeat: r.isRepeat,
    subjectId: r.subjectId ?? null,
    receiptId: r.receiptId ?? null,
    externalIds: r.externalIds ?? [],
    reply: r.reply,
    isDone: r.reply.status !== 'failed',
  };
}

/** After the trigger node's own mail node sent the reply it was given. */
export async function markReplySent(ledger: Ledger, messageId: string): Promise<void> {
  // The rest of the detail (proof, receipt) stays: only the reply's state changes.
  const row = await ledger.findRequest(messageId);
  await ledger.updateRequest(messageId, { detail: formatDetail({ ...parseDetail(row?.detail ?? null), reply: 'sent', error: undefined, sender: undefined }) });
}

// ---------------------------------------------------------------- the action per intent

interface Context {
  ledger: Ledger;
  options: Options;
  hooks: RequestHooks;
  mail: RequestMail;
  classification: Classification;
  receivedAt: Date;
  /** The address the request log keeps for this mail (see requestAddress). */
  address: string | null;
  /** A repeat of an erasure that was cut off after its marker was written. */
  resumeErasure?: RequestRow;
  /** The request was recorded before, by a run that was cut off before it finished. */
  isRetry?: boolean;
}

interface ReplyPlan {
  kind: TemplateKind;
  locale: Locale;
  eraseToken?: string;
}

interface Effect {
  outcome: string;
  proof: Proof;
  subjectId?: number | null;
  receipt?: string;
  note?: string;
  reply: ReplyPlan | null;
  /** CRM IDs of the person erased. */
  externalIds?: string[];
  /** The erasure was carried out (erased, suppressed or nothing held): the request drops its address. */
  isErasure?: boolean;
}

async function applyRequest(ctx: Context): Promise<Effect> {
  switch (ctx.classification.intent) {
    case 'unsubscribe':
      return unsubscribe(ctx);
    case 'erase':
      return erase(ctx);
    case 'access':
      return { outcome: 'awaiting_operator', proof: 'none', reply: replyPlan(ctx, 'ack-access', await storedLocaleOf(ctx, ctx.classification.address)) };
    case 'bounce':
      return bounce(ctx);
    case 'auto_reply':
      return { outcome: 'ignored', proof: 'none', reply: null };
    default:
      return { outcome: 'needs_review', proof: 'none', reply: null };
  }
}

function evidence(ctx: Context, proof: Proof, actor: 'person' | 'system' = 'person'): EvidenceInput {
  return {
    actor: { kind: actor },
    source: { kind: 'mailbox', ref: ctx.options.mailbox },
    messageId: ctx.mail.messageId,
    description: `request by mail (${ctx.classification.intent}): ${ctx.classification.reason}; proof: ${proof}`.slice(0, 2000),
  };
}

async function unsubscribe(ctx: Context): Promise<Effect> {
  const { ledger, classification: c } = ctx;
  let note: string | undefined;
  if (c.token) {
    try {
      const result = await ledger.unsubscribeByToken(c.token, 'link', evidence(ctx, 'token'));
      const outcome = await outcomeOnRetry(ctx, result.outcome, result.subjectId);
      return { outcome, proof: 'token', subjectId: result.subjectId, reply: replyPlan(ctx, 'ack-unsubscribed', result.locale) };
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      note = `token ${error.problem}`; // falls back to the address, like any other unsubscribe mail
    }
  }
  if (!c.address) return { outcome: 'needs_review', proof: 'none', note: note ?? 'not exactly one From address', reply: null };
  const sender = ctx.options.actOnUnprovenUnsubscribe ? undefined : await proveSender(ctx, c.address);
  if (sender && !sender.isProven) return { outcome: 'unproven', proof: 'none', note: sender.detail, reply: null };
  const result = await ledger.unsubscribeByRef({ email: c.address }, 'all', 'email', evidence(ctx, sender?.proof ?? 'none'));
  return {
    outcome: result.found ? await outcomeOnRetry(ctx, result.outcome, result.subjectId) : result.outcome,
    proof: sender?.proof ?? 'none',
    subjectId: result.found ? result.subjectId : null,
    note,
    // Answered whether or not the address is known: the answer reveals nothing (no enumeration).
    reply: replyPlan(ctx, 'ack-unsubscribed', result.found ? result.locale : null),
  };
}

/**
 * A retry after a cut-off run finds the unsubscribe already done ("unchanged"); if it was done by
 * this very mail (its Message-ID is on the event), the request's outcome is still "unsubscribed".
 */
async function outcomeOnRetry(ctx: Context, outcome: string, subjectId: number): Promise<string> {
  if (!ctx.isRetry || outcome !== 'unchanged') return outcome;
  const held = await ctx.ledger.export({ subjectId });
  return held?.events.some((e) => e.action === 'unsubscribe' && e.messageId === ctx.mail.messageId) ? 'unsubscribed' : outcome;
}

async function erase(ctx: Context): Promise<Effect> {
  const { ledger, classification: c } = ctx;
  if (ctx.resumeErasure) return resumeErasure(ctx, ctx.resumeErasure);
  const byToken = await tokenSubject(ctx);
  if (!c.address && !byToken) return { outcome: 'needs_review', proof: 'none', note: 'not exactly one From address', reply: null };
  const sender: SenderCheck = byToken ? { isProven: true, proof: 'token', detail: 'token of the same address' } : await proveSender(ctx, c.address!);
  if (!sender.isProven) {
    if (!mayReply(ctx, c.address)) return { outcome: 'needs_review', proof: 'none', note: `${sender.detail}; cannot send a verification link to this sender`, reply: null };
    // Closed loop: the link goes to the address itself; nothing happens until its POST.
    const verification = await ledger.issueEraseVerification(ctx.mail.messageId);
    return { outcome: 'awaiting_verification', proof: 'none', note: sender.detail, reply: replyPlan(ctx, 'erase-verification', await storedLocaleOf(ctx, c.address), verification.token) };
  }
  const ref = byToken ? { subjectId: byToken.subjectId } : { email: c.address! };
  // The ledger records the request and erases in two transactions. The marker between them lets a
  // repeat after a crash tell "erased by the first run" from "never known" (see resumeErasure).
  const held = byToken ? undefined : await ledger.export(ref);
  const existed = byToken ? true : Boolean(held);
  const marker = { proof: sender.proof, ref: byToken ? `subject:${byToken.subjectId}` : 'from', existed: existed ? 'yes' : 'no', sender: senderTag(ctx) };
  await ledger.updateRequest(ctx.mail.messageId, { outcome: ERASING, detail: formatDetail(marker) });
  return eraseNow(ctx, ref, sender.proof, sender.detail, byToken ? byToken.locale : (held?.subject.locale ?? null));
}

async function eraseNow(ctx: Context, ref: { subjectId: number } | { email: string }, proof: Proof, note: string, locale?: string | null): Promise<Effect> {
  const result = await ctx.ledger.erase(ref, { reason: 'erasure request by mail', evidence: evidence(ctx, proof) });
  return { outcome: result.outcome, proof, subjectId: result.subjectId, receipt: result.receiptId, externalIds: result.externalIds, note, reply: replyPlan(ctx, erasureAckKind(result.outcome), locale), isErasure: true };
}

/** The repeat of an erasure cut off after its marker: finish it without erasing twice. */
async function resumeErasure(ctx: Context, row: RequestRow): Promise<Effect> {
  const marker = parseDetail(row.detail) as Detail & { ref?: string; existed?: string };
  const proof = (marker.proof as Proof | undefined) ?? 'none';
  const subjectId = marker.ref?.startsWith('subject:') ? Number(marker.ref.slice(8)) : undefined;
  const ref = subjectId ? { subjectId } : ctx.classification.address ? { email: ctx.classification.address } : undefined;
  if (!ref) return { outcome: 'needs_review', proof, note: 'erasure cut off; no address to finish it with', reply: null };
  if (marker.existed === 'yes' && !(await ctx.ledger.export(ref))) {
    return { outcome: 'erased', proof, subjectId: subjectId ?? row.subjectId, note: 'erased before a restart', reply: replyPlan(ctx, 'ack-erased'), isErasure: true };
  }
  return eraseNow(ctx, ref, proof, 'finished after a restart');
}

/**
 * An unsubscribe token in an erasure mail proves the sender only for its own subject: a forwarded
 * newsletter quoted in someone else's reply must not erase the person it was sent to.
 */
async function tokenSubject(ctx: Context): Promise<TokenSubject | undefined> {
  const { ledger, classification: c } = ctx;
  if (!c.address) return undefined;
  const view = await unsubscribeTokenSubject(ctx);
  if (!view) return undefined;
  const held = await ledger.export({ subjectId: view.subjectId });
  return held?.subject.email === c.address ? view : undefined;
}

type TokenSubject = { subjectId: number; locale: string | null };

/** The person a valid unsubscribe token of ours in the mail belongs to. */
async function unsubscribeTokenSubject(ctx: Context): Promise<TokenSubject | undefined> {
  if (!ctx.classification.token) return undefined;
  try {
    const view = await ctx.ledger.viewToken(ctx.classification.token, 'unsubscribe');
    return view.subjectId ? { subjectId: view.subjectId, locale: view.locale } : undefined;
  } catch (error) {
    if (error instanceof TokenRejected) return undefined;
    throw error;
  }
}

/**
 * Who the sender of a request is proven to be, without acting (record only): for an unsubscribe
 * any valid token of ours (the token decides who), for an erasure only one of the sender's own
 * address; then a trusted Authentication-Results header, then DKIM aligned with DMARC.
 */
async function proveRequestSender(ctx: Context): Promise<SenderCheck & { subjectId?: number }> {
  const c = ctx.classification;
  const byToken = c.intent === 'erase' ? await tokenSubject(ctx) : await unsubscribeTokenSubject(ctx);
  if (byToken) return { isProven: true, proof: 'token', detail: 'valid unsubscribe token', subjectId: byToken.subjectId };
  if (!c.address) return { isProven: false, proof: 'none', detail: 'not exactly one From address' };
  return proveSender(ctx, c.address);
}

async function proveSender(ctx: Context, address: string): Promise<SenderCheck> {
  const byHeader = checkAuthenticationResults(ctx.mail.headers, address, ctx.options.trustedAuthservIds);
  if (byHeader.isProven) return byHeader;
  if (!ctx.options.verifyDkim || !ctx.hooks.source) return byHeader;
  try {
    const byDkim = await checkDkimAlignment(await ctx.hooks.source(), address, ctx.hooks.resolver);
    return byDkim.isProven ? byDkim : { ...byDkim, detail: `${byHeader.detail}; ${byDkim.detail}` };
  } catch (error) {
    return { isProven: false, proof: 'none', detail: `DKIM check failed: ${(error as Error).message}` };
  }
}

async function bounce(ctx: Context): Promise<Effect> {
  const bounces = ctx.classification.bounces;
  if (bounces.length === 0) return { outcome: 'unparsed', proof: 'none', reply: null };
  const hard = bounces.filter((b) => b.isHard);
  if (hard.length === 0) return { outcome: 'soft_bounce', proof: 'none', note: bounces.map((b) => b.status).join(','), reply: null };
  let found = 0;
  for (const recipient of hard) {
    const result = await ctx.ledger.bounce(recipient.address, evidence(ctx, 'none', 'system'));
    if (result.found) found++;
  }
  return { outcome: found > 0 ? 'bounced' : 'not_found', proof: 'none', note: hard.map((b) => b.status).join(','), reply: null };
}

function requestAddress(c: Classification): string | null {
  if (c.intent === 'bounce') return (c.bounces.find((b) => b.isHard) ?? c.bounces[0])?.address ?? null;
  if (c.intent === 'auto_reply') return null;
  return c.address;
}

// ---------------------------------------------------------------- replies

/**
 * A reply's language: the person's stored language when the ledger knows them, else the mail's own
 * (Dutch, or English for any other), else the configured default.
 */
function replyPlan(ctx: Context, kind: TemplateKind, storedLocale?: string | null, eraseToken?: string): ReplyPlan {
  return { kind, locale: replyLocale(storedLocale, ctx.classification.language, ctx.options.defaultLocale), eraseToken };
}

function replyLocale(stored: string | null | undefined, language: string | null | undefined, fallback: Locale): Locale {
  if (stored === 'nl' || stored === 'en') return stored;
  if (language) return language === 'nl' ? 'nl' : 'en';
  return fallback;
}

/** The stored language of the person with this address, if any (a read). */
async function storedLocaleOf(ctx: Context, address: string | null): Promise<string | null> {
  if (!address) return null;
  return (await ctx.ledger.export({ email: address }))?.subject.locale ?? null;
}

/** RFC 3834 §2: never answer the null sender, a mailer daemon, a list, or ourselves. */
function mayReply(ctx: Context, to: string | null): to is string {
  const { mail, options } = ctx;
  if (!to || mail.returnPath === '') return false;
  if (mail.headers.has('list-id')) return false;
  if (to === options.replyFrom.address) return false;
  const local = to.split('@')[0];
  return !/^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|owner-.*|.*-request)$/i.test(local);
}

async function sendReply(ctx: Context, plan: ReplyPlan): Promise<RequestMailResult['reply']> {
  const to = ctx.classification.address;
  if (!mayReply(ctx, to)) return { status: 'none', mail: null, error: null };
  const mail = composeMail(plan.kind, {
    to,
    from: formatFrom(ctx.options.replyFrom),
    locale: plan.locale,
    organisation: ctx.options.organisation,
    privacyUrl: ctx.options.privacyUrl,
    baseUrl: ctx.options.baseUrl,
    eraseToken: plan.eraseToken,
    ...(ctx.mail.hasOwnMessageId ? { inReplyTo: ctx.mail.messageId, references: ctx.mail.references } : {}),
  });
  if (!ctx.hooks.sendReply) return { status: 'pending', mail, error: null };
  try {
    await ctx.hooks.sendReply(mail);
    return { status: 'sent', mail, error: null };
  } catch (error) {
    const isPermanent = error instanceof SendFailed && error.isPermanent;
    return { status: isPermanent ? 'rejected' : 'failed', mail, error: describeSendFailure(error) };
  }
}

function formatFrom(from: { address: string; name?: string }): string {
  return from.name ? `"${from.name.replace(/["\\]/g, '')}" <${from.address}>` : from.address;
}

/**
 * A repeat of a finished request: nothing is applied again. Only a reply that failed (or was handed
 * out and never confirmed sent) goes out now, composed from what the request log says was done, and
 * only to the sender the request was recorded for (`isSameSender`; senderOfRepeat).
 */
async function finishRepeat(ctx: Context, row: RequestRow, isSameSender: boolean): Promise<RequestMailResult> {
  const detail = parseDetail(row.detail);
  const proof = proofOf(row);
  const intent = row.kind as Intent;
  let reply: RequestMailResult['reply'] = { status: 'done', mail: null, error: null };
  if (isSameSender && (detail.reply === 'failed' || detail.reply === 'pending')) {
    const plan = repeatReplyPlan(ctx, row);
    if (plan) {
      if (plan.kind === 'erase-verification') plan.eraseToken = (await ctx.ledger.issueEraseVerification(row.messageId)).token; // only its hash was kept
      reply = await sendReply(ctx, plan);
      if (reply.status !== 'pending') {
        const isOwed = reply.status === 'failed';
        await ctx.ledger.updateRequest(row.messageId, { detail: formatDetail({ ...detail, reply: reply.status, error: reply.error ?? undefined, sender: isOwed ? detail.sender : undefined }) });
      }
    }
  }
  return {
    ...resultOf(ctx, { proof, outcome: row.outcome, isRepeat: true, address: row.address, receivedAt: row.receivedAt, subjectId: row.subjectId, receiptId: detail.receipt ?? null, reply }),
    intent,
  };
}

function repeatReplyPlan(ctx: Context, row: RequestRow): ReplyPlan | null {
  const byOutcome: Record<string, TemplateKind> = {
    unsubscribed: 'ack-unsubscribed',
    unchanged: 'ack-unsubscribed',
    refused: 'ack-unsubscribed',
    not_found: row.kind === 'erase' ? 'ack-no-data' : 'ack-unsubscribed',
    erased: 'ack-erased',
    suppressed: 'ack-suppressed',
    awaiting_verification: 'erase-verification',
    awaiting_operator: 'ack-access',
  };
  const kind = byOutcome[row.outcome];
  return kind ? replyPlan(ctx, kind) : null;
}

// ---------------------------------------------------------------- erasure acknowledgements

/** The acknowledgement of an erasure request, by what the erasure did. */
function erasureAckKind(outcome: string): TemplateKind {
  return outcome === 'erased' ? 'ack-erased' : outcome === 'suppressed' ? 'ack-suppressed' : 'ack-no-data';
}

/**
 * The acknowledgement after an erasure the person confirmed with the verification link's button
 * (Ledger.completeEraseVerification): the same mail a proven sender gets at once (eraseNow), to the
 * address the request came from, in reply to the request, in the person's stored language, else the
 * language the verification mail was in. Returns null when there is nobody to answer.
 */
export function erasureAcknowledgement(
  erasure: Pick<VerifiedErasure, 'outcome' | 'replyTo' | 'locale' | 'requestDetail' | 'requestMessageId'>,
  optionsInput: RequestOptions | Options,
): ComposedMail | null {
  if (!erasure.replyTo) return null;
  const options = parseRequestOptions(optionsInput);
  const locale = replyLocale(erasure.locale, parseDetail(erasure.requestDetail).lang, options.defaultLocale);
  return composeMail(erasureAckKind(erasure.outcome), {
    to: erasure.replyTo,
    from: formatFrom(options.replyFrom),
    locale,
    organisation: options.organisation,
    privacyUrl: options.privacyUrl,
    baseUrl: options.baseUrl,
    ...(isStandInMessageId(erasure.requestMessageId) ? {} : { inReplyTo: erasure.requestMessageId, references: [erasure.requestMessageId] }),
  });
}

// ---------------------------------------------------------------- the request log's detail field

interface Detail {
  proof?: string;
  ref?: string;
  existed?: string;
  reply?: string;
  error?: string;
  receipt?: string;
  note?: string;
  /** The language the reply was written in. */
  lang?: string;
  /** senderTag, while it is needed. */
  sender?: string;
}

/** `proof=dkim; reply=sent; receipt=erasure-…` — readable in the request log, parsed back on a repeat. */
export function formatDetail(detail: Detail): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${String(v).replace(/[;\r\n]+/g, ',').slice(0, 300)}`)
    .join('; ');
}

function proofOf(row: RequestRow): Proof {
  return (parseDetail(row.detail).proof as Proof | undefined) ?? 'none';
}

export function parseDetail(detail: string | null): Detail {
  const out: Record<string, string> = {};
  for (const part of (detail ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

// ---------------------------------------------------------------- small helpers

function isRequestMail(input: unknown): input is RequestMail {
  return typeof input === 'object' && input !== null && (input as RequestMail).headers instanceof Map && typeof (input as RequestMail).messageId === 'string';
}

function isReadable(input: unknown): input is Readable {
  return typeof input === 'object' && input !== null && typeof (input as Readable).pipe === 'function' && typeof (input as Readable).on === 'function';
}

function rawSourceOf(input: Input): RequestHooks['source'] {
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
