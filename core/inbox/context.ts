import type { EvidenceInput } from '../consent/evidence';
import type { Locale } from '../consent/identity';
import type { Ledger } from '../ledger';
import type { Proof } from '../mail/authenticity';
import { classifyRequest, type Classification } from '../mail/classify';
import type { RequestMail } from '../mail/request-mail';
import type { TemplateKind } from '../mail/templates';
import type { RequestRow } from '../store/store';
import { parseRequestOptions, rawSourceOf, toRequestMail, type Input, type Options, type RequestHooks, type RequestMailResult, type RequestOptions } from './options';

/** One mail in hand: what the inbox's use cases (record, prove, act, answer) share. */
/** Request-log outcomes that need a person: the mail goes to the review folder. */
export const IN_PROGRESS = 'processing';
/** A request started maxAttempts times without finishing: not tried again, a person looks at it. */
export const GAVE_UP = 'gave_up';
const REVIEW_OUTCOMES = new Set(['needs_review', 'unproven', 'unparsed', 'awaiting_operator', GAVE_UP]);
/** Set just before an erasure: a repeat then knows the erasure may have happened already. */
export const ERASING = 'erasing';

export const NO_REPLY: RequestMailResult['reply'] = Object.freeze({ status: 'none', mail: null, error: null });

export async function readRequest(ledger: Ledger, input: Input, optionsInput: RequestOptions | Options, hooks: RequestHooks): Promise<Context> {
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

export function resultOf(
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
    // A reply that could not be composed: what was done stands, a person sees why nobody was answered.
    reason: r.reply.status === 'unsendable' ? (r.reply.error ?? 'the reply could not be composed') : (r.reason ?? c.reason),
    folder: REVIEW_OUTCOMES.has(r.outcome) || r.reply.status === 'unsendable' ? 'review' : 'processed',
    isRepeat: r.isRepeat,
    subjectId: r.subjectId ?? null,
    receiptId: r.receiptId ?? null,
    externalIds: r.externalIds ?? [],
    reply: r.reply,
    isDone: r.reply.status !== 'failed',
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
}

export interface ReplyPlan {
  kind: TemplateKind;
  locale: Locale;
  eraseToken?: string;
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
  if (c.intent === 'bounce') return (c.bounces.find((b) => b.isHard) ?? c.bounces[0])?.address ?? null;
  if (c.intent === 'auto_reply') return null;
  return c.address;
}
