import type { Ledger } from '../ledger';
import type { Intent } from '../mail/classify';
import { formatRequestDetail, parseRequestDetail } from '../request-detail';
import type { RequestRow } from '../store/store';
import { applyRequest, forReview } from './act';
import { sendReply } from './answer';
import { ERASING, GAVE_UP, IN_PROGRESS, NO_REPLY, readRequest, resultOf, type Context } from './context';
import type { Input, Options, RequestHooks, RequestMailResult, RequestOptions } from './options';
import { proofInputOf, proveRequestSender } from './prove';
import { anotherSender, finishRepeat, proofOf, senderOfRepeat, senderTag } from './repeat';

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
    detail: formatRequestDetail({ sender: senderTag(context) }),
  });
  if (!recorded.created) {
    const row = recorded.row;
    const sender = senderOfRepeat(context, row);
    if (sender === 'other') return anotherSender(context);
    if (row.outcome !== ERASING && row.outcome !== IN_PROGRESS) {
      // A reply that keeps failing is tried again on each run, counted like any other attempt.
      if (sender === 'same' && parseRequestDetail(row.detail).reply === 'failed') {
        const attempts = await ledger.countRequestAttempt(mail.messageId);
        if (attempts > options.maxAttempts) return giveUpReply(context, row, attempts - 1);
      }
      return finishRepeat(context, row, sender === 'same');
    }
    if (sender === 'unknown') return anotherSender(context, 'cut off before it finished, and its address was erased since: its sender cannot be checked');
    // Started before and never finished: one more attempt, counted in the request log.
    const attempts = await ledger.countRequestAttempt(mail.messageId);
    if (attempts > options.maxAttempts) return giveUp(context, row, attempts - 1);
    context.isRetry = true;
    if (row.outcome === ERASING) context.resumeErasure = row;
  }

  try {
    return await actAndAnswer(context, !recorded.created);
  } catch (error) {
    // Kept with the request for the next attempt and the review: why it did not finish.
    await noteFailure(context, error).catch(() => undefined);
    throw error;
  }
}

async function actAndAnswer(context: Context, isRepeat: boolean): Promise<RequestMailResult> {
  const { ledger, mail } = context;
  const effect = await applyRequest(context);
  const reply = effect.reply ? await sendReply(context, effect.reply) : NO_REPLY;
  const isOwed = reply.status === 'failed' || reply.status === 'pending';
  await ledger.updateRequest(mail.messageId, {
    outcome: effect.outcome,
    ...(effect.subjectId !== undefined ? { subjectId: effect.subjectId } : {}),
    // An erasure carried out leaves the request as the record that it was answered, without the
    // address: also when we held nothing ("no data"), as Ledger.completeEraseVerification does.
    ...(effect.isErasure ? { address: null } : {}),
    detail: formatRequestDetail({
      proof: effect.proof,
      reply: reply.status,
      error: reply.error ?? undefined,
      receipt: effect.receipt,
      note: effect.note,
      // The verification mail's language: the acknowledgement after its button is written in it too.
      // A review mail's: what a reply after the officer's decision is written in.
      lang: effect.outcome === 'awaiting_verification' ? effect.reply?.locale : effect.lang,
      answer: effect.isUnanswerable ? 'no' : undefined,
      // The answer still has to go out, and the address is gone: the repeat must know its sender.
      sender: effect.isErasure && isOwed ? senderTag(context) : undefined,
    }),
  });
  return resultOf(context, {
    proof: effect.proof,
    outcome: effect.outcome,
    reviewReason: effect.reviewReason,
    isRepeat,
    subjectId: effect.subjectId ?? null,
    receiptId: effect.receipt ?? null,
    externalIds: effect.externalIds ?? [],
    reply,
  });
}

/** The error of an attempt that did not finish, in the request's detail (the rest of it kept). */
async function noteFailure(ctx: Context, error: unknown): Promise<void> {
  const row = await ctx.ledger.findRequest(ctx.mail.messageId);
  if (!row || (row.outcome !== IN_PROGRESS && row.outcome !== ERASING)) return;
  const message = (error instanceof Error ? error.message : String(error)) || 'unknown error';
  await ctx.ledger.updateRequest(row.messageId, { detail: formatRequestDetail({ ...parseRequestDetail(row.detail), error: message }) });
}

/**
 * Started maxAttempts times and never finished: nothing is tried again. The request is marked
 * gave_up with the last error (what was done before stays done: the events say it), no reply goes
 * out, and the mail goes to review for a person.
 */
async function giveUp(ctx: Context, row: RequestRow, tries: number): Promise<RequestMailResult> {
  const reason = await markGivenUp(ctx.ledger, row, tries);
  return { ...resultOf(ctx, { proof: 'none', outcome: GAVE_UP, reason, isRepeat: true, subjectId: row.subjectId, reply: NO_REPLY }), intent: row.kind as Intent };
}

async function markGivenUp(ledger: Ledger, row: RequestRow, tries: number): Promise<string> {
  const detail = parseRequestDetail(row.detail);
  const reason = `given up after ${tries} attempts that did not finish${detail.error ? ` (last error: ${detail.error})` : ''}`;
  await ledger.updateRequest(row.messageId, { outcome: GAVE_UP, detail: formatRequestDetail({ ...detail, note: reason }) });
  return reason;
}

/**
 * A worker that gives up on a mail itself (its own count of failures in this process) marks the
 * request too, when it is recorded and still in progress: it does not stay `processing` for ever.
 */
export async function giveUpRequestMail(ledger: Ledger, messageId: string, tries: number): Promise<void> {
  const row = await ledger.findRequest(messageId);
  if (row && (row.outcome === IN_PROGRESS || row.outcome === ERASING)) await markGivenUp(ledger, row, tries);
}

/** What the request did stands; its reply failed on every attempt: not sent again, a person answers. */
function giveUpReply(ctx: Context, row: RequestRow, tries: number): RequestMailResult {
  const detail = parseRequestDetail(row.detail);
  const reason = `the reply could not be sent in ${tries} attempts${detail.error ? ` (last error: ${detail.error})` : ''}; not tried again`;
  return {
    ...resultOf(ctx, { proof: proofOf(row), outcome: row.outcome, reason, isRepeat: true, address: row.address, receivedAt: row.receivedAt, subjectId: row.subjectId, reply: { status: 'done', mail: null, error: detail.error ?? null } }),
    intent: row.kind as Intent,
    folder: 'review',
  };
}

/**
 * "Act Automatically" off (the n8n trigger): the mail is classified, its sender checked with the
 * same proofs, and the request recorded in the request log (once per Message-ID, due in a month),
 * nothing else. The workflow decides what to do (e.g. Erase Contact) and nothing is answered.
 */
export async function recordRequestMail(ledger: Ledger, input: Input, optionsInput: RequestOptions | Options, hooks: RequestHooks = {}): Promise<RequestMailResult> {
  const context = await readRequest(ledger, input, optionsInput, hooks);
  const { options, mail, classification: c } = context;
  // A mail the classifier is unsure of goes to a person here too, with the same sender check.
  const review = c.review !== null || c.intent === 'unknown' ? await forReview(context, c.review ?? undefined) : undefined;
  const sender = !review && (c.intent === 'unsubscribe' || c.intent === 'erase') ? await proveRequestSender(proofInputOf(context)) : undefined;
  const recorded = await ledger.recordRequest({
    messageId: mail.messageId,
    mailbox: options.mailbox,
    kind: c.intent,
    receivedAt: context.receivedAt,
    address: context.address,
    outcome: review ? review.outcome : (RECORDED_OUTCOMES[c.intent] ?? LEFT_TO_WORKFLOW),
    subjectId: review?.subjectId ?? sender?.subjectId ?? null,
    detail: review
      ? formatRequestDetail({ proof: review.proof, note: review.note, lang: review.lang, answer: review.isUnanswerable ? 'no' : undefined })
      : formatRequestDetail({ proof: sender?.proof ?? 'none', note: sender && !sender.isProven ? sender.detail : undefined }),
  });
  const row = recorded.row;
  const repeat = recorded.created ? undefined : senderOfRepeat(context, row);
  if (repeat === 'other') return anotherSender(context);
  // The first sender's proof carries over only to that sender; after an erasure took the address
  // (`unknown`) this mail counts with its own.
  const isSame = repeat === 'same';
  return resultOf(context, {
    proof: isSame ? proofOf(row) : (review?.proof ?? sender?.proof ?? 'none'),
    outcome: row.outcome,
    reviewReason: review?.reviewReason,
    isRepeat: !recorded.created,
    subjectId: isSame || recorded.created ? row.subjectId : (review?.subjectId ?? sender?.subjectId ?? null),
    receivedAt: row.receivedAt,
    reply: NO_REPLY,
  });
}

/** Left to the workflow: the outcome of a request mail recorded and not acted on. */
export const LEFT_TO_WORKFLOW = 'left_to_workflow';
/** What a person has to look at goes to review when only recording too. */
const RECORDED_OUTCOMES: Partial<Record<Intent, string>> = { unknown: 'needs_review', access: 'awaiting_operator', auto_reply: 'ignored' };
