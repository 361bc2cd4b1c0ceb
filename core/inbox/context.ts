import { addOneMonth } from '../clock';
import type { EvidenceInput } from '../consent/evidence';
import type { Locale } from '../consent/identity';
import type { Ledger } from '../ledger';
import type { Proof, SenderCheck } from '../mail/authenticity';
import { classifyRequest, type Classification } from '../mail/classify';
import { personalText } from '../mail/person-text';
import type { RequestMail } from '../mail/request-mail';
import type { TemplateKind } from '../mail/templates';
import type { RequestRow } from '../store/store';
import { parseRequestOptions, rawSourceOf, toRequestMail, type Input, type Options, type RequestHooks, type RequestMailResult, type RequestOptions, type ReviewDetails } from './options';

/** One mail in hand: what the inbox's use cases (record, prove, act, answer) share. */
/** Request-log outcomes that need a person: the mail goes to the review folder. */
export const IN_PROGRESS = 'processing';
/** A request started maxAttempts times without finishing: not tried again, a person looks at it. */
export const GAVE_UP = 'gave_up';
export const REVIEW_OUTCOMES: ReadonlySet<string> = new Set(['needs_review', 'unproven', 'unparsed', 'awaiting_operator', GAVE_UP]);
/** Set just before an erasure: a repeat then knows the erasure may have happened already. */
export const ERASING = 'erasing';

export const NO_REPLY: RequestMailResult['reply'] = Object.freeze({ status: 'none', mail: null, error: null });

export async function readRequest(ledger: Ledger, input: Input, optionsInput: RequestOptions | Options, hooks: RequestHooks): Promise<Context> {
  const options = parseRequestOptions(optionsInput);
  const mail = await toRequestMail(input, options.limits);
  const classification = classifyRequest(mail, { ownAddresses: [options.replyFrom.address, ...options.ownAddresses], trustedAuthservIds: options.trustedAuthservIds });
  const now = ledger.clock();
  return {
    ledger,
    options,
    hooks: { ...hooks, source: hooks.source ?? rawSourceOf(input) },
    mail,
    classification,
    receivedAt: hooks.receivedAt ?? (mail.date && mail.date <= now ? mail.date : now),
    address: requestAddress(classification),
    senderChecks: new Map(),
  };
}

export function resultOf(
  ctx: Context,
  r: Pick<RequestMailResult, 'proof' | 'outcome' | 'isRepeat' | 'reply'> &
    Partial<Pick<RequestMailResult, 'address' | 'reason' | 'receivedAt' | 'subjectId' | 'receiptId' | 'externalIds'>> & { reviewReason?: string },
): RequestMailResult {
  const c = ctx.classification;
  const folder = REVIEW_OUTCOMES.has(r.outcome) || r.reply.status === 'unsendable' ? 'review' : 'processed';
  const receivedAt = r.receivedAt ?? ctx.receivedAt.toISOString();
  const reason = r.reply.status === 'unsendable' ? (r.reply.error ?? 'the reply could not be composed') : (r.reason ?? c.reason);
  return {
    messageId: ctx.mail.messageId,
    receivedAt,
    intent: c.intent,
    language: c.language,
    address: r.address !== undefined ? r.address : ctx.address,
    subject: ctx.mail.subject,
    proof: r.proof,
    outcome: r.outcome,
    // A reply that could not be composed: what was done stands, a person sees why nobody was answered.
    reason,
    folder,
    isRepeat: r.isRepeat,
    subjectId: r.subjectId ?? null,
    receiptId: r.receiptId ?? null,
    externalIds: r.externalIds ?? [],
    reply: r.reply,
    isDone: r.reply.status !== 'failed',
    ...(folder === 'review' ? { review: reviewOf(ctx, { reason: r.reviewReason ?? (r.reason || r.reply.status === 'unsendable' ? reason : (c.review ?? reason)), proof: r.proof, receivedAt }) } : {}),
  };
}

/** What the person deciding on a review mail needs (ReviewDetails); the mail's body only as the sender's own words. */
function reviewOf(ctx: Context, r: { reason: string; proof: Proof; receivedAt: string }): ReviewDetails {
  const c = ctx.classification;
  return {
    requestRef: ctx.mail.messageId,
    reason: r.reason,
    suggestedIntent: c.intent,
    text: personalText(ctx.mail.text),
    evidence: c.evidence.map((e) => ({ ...e })),
    confidence: c.confidence,
    proof: r.proof,
    dueAt: addOneMonth(new Date(r.receivedAt)).toISOString(),
  };
}

export interface Context {
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
  /** The From address's header/DKIM check per address, made once (prove.ts), before the ledger transaction. */
  senderChecks: Map<string, Promise<SenderCheck>>;
}

export interface ReplyPlan {
  kind: TemplateKind;
  locale: Locale;
  eraseToken?: string;
  /** An access-link mail's token (Ledger.issueAccessLink). */
  accessToken?: string;
}

export interface Effect {
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
  /** The language a reply to this request is (or would be) written in, kept in the request log. */
  lang?: Locale;
  /** For review: no reply may go to this sender (a mailer daemon, a list, ourselves). */
  isUnanswerable?: boolean;
  /** For review: why a person must decide, when it is not the classification's own reason. */
  reviewReason?: string;
}

export function evidence(ctx: Context, proof: Proof, actor: 'person' | 'system' = 'person'): EvidenceInput {
  return {
    actor: { kind: actor },
    source: { kind: 'mailbox', ref: ctx.options.mailbox },
    messageId: ctx.mail.messageId,
    description: `request by mail (${ctx.classification.intent}): ${ctx.classification.reason}; proof: ${proof}`.slice(0, 2000),
  };
}

export function requestAddress(c: Classification): string | null {
  // A bounce's address is its bounced recipient: the classifier decides it (machine.ts).
  if (c.intent === 'auto_reply') return null;
  return c.address;
}
