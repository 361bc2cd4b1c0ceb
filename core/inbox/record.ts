import type { Ledger } from '../ledger';
import type { Intent } from '../mail/classify';
import { formatRequestDetail, parseRequestDetail, type RequestDetail } from '../request-detail';
import type { RequestRow } from '../store/store';
import { applyRequest, forReview } from './act';
import { composeReply, deliverReply } from './answer';
import { ERASING, GAVE_UP, IN_PROGRESS, NO_REPLY, readRequest, resultOf, type Context, type Effect } from './context';
import type { Input, Options, RequestHooks, RequestMailResult, RequestOptions } from './options';
import { checkSenderAhead, proofInputOf, proveRequestSender } from './prove';
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
  // The sender's header/DKIM check reads the raw mail and asks DNS: done before the transaction.
  await checkSenderAhead(context);

  // One transaction: the request recorded, acted on and its outcome written, all or nothing. A
  // request seen before (created=false) is left as it is, and handled below.
  const first = await attempt(context, () =>
    ledger.atomically(async () => {
      const recorded = await ledger.recordRequest({
        messageId: mail.messageId,
        mailbox: options.mailbox,
        kind: classification.intent,
        receivedAt,
        address,
        outcome: IN_PROGRESS,
        detail: formatRequestDetail({ sender: senderTag(context) }),
      });
      return recorded.created ? { acted: await actAndRecord(context, false) } : { row: recorded.row };
    }),
  );
  if (first.acted) return answer(context, first.acted);

  const row = first.row;
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
  return answer(context, await attempt(context, () => ledger.atomically(() => actAndRecord(context, true))));
}

/**
 * An attempt that fails leaves the request recorded as `processing` with its error, so the next
 * attempt is counted (maxAttempts) and the review can say why it did not finish.
 */
async function attempt<T>(context: Context, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    await noteFailure(context, error).catch(() => undefined);
    throw error;
  }
}

/** What the transaction did: the effect, the reply written (not sent) and the request's detail. */
interface Acted {
  effect: Effect;
  reply: RequestMailResult['reply'];
  detail: RequestDetail;
  isRepeat: boolean;
}

/** Inside the transaction: act, write the reply (no I/O), record the outcome with the reply owed. */
async function actAndRecord(context: Context, isRepeat: boolean): Promise<Acted> {
  const effect = await applyRequest(context);
  const reply = effect.reply ? composeReply(context, effect.reply) : NO_REPLY;
  const detail = outcomeDetail(context, effect, reply);
  await context.ledger.updateRequest(context.mail.messageId, {
    outcome: effect.outcome,
    ...(effect.subjectId !== undefined ? { subjectId: effect.subjectId } : {}),
    // An erasure carried out leaves the request as the record that it was answered, without the
    // address: also when we held nothing ("no data"), as Ledger.completeEraseVerification does.
    ...(effect.isErasure ? { address: null } : {}),
    detail: formatRequestDetail(detail),
  });
  return { effect, reply, detail, isRepeat };
}

function outcomeDetail(context: Context, effect: Effect, reply: RequestMailResult['reply']): RequestDetail {
  const isOwed = reply.status === 'failed' || reply.status === 'pending';
  return {
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
  };
}

/**
 * After the commit: the reply goes out, and how it went is written to the request (a second, small
 * transaction, only when a reply was sent or tried). A crash in between leaves the reply `pending`:
 * the repeat of the mail sends it (finishRepeat).
 */
async function answer(context: Context, acted: Acted): Promise<RequestMailResult> {
  const { effect, isRepeat } = acted;
  const reply = await deliverReply(context, acted.reply);
  if (reply.status !== acted.reply.status) {
    const record = { messageId: context.mail.messageId, detail: formatRequestDetail(outcomeDetail(context, effect, reply)) };
    if (context.hooks.recordReply) context.hooks.recordReply(record);
    else await context.ledger.updateRequest(record.messageId, { detail: record.detail });
  }
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
  const message = (error instanceof Error ? error.message : String(error)) || 'unknown error';
  // The failed transaction took its record with it: recorded now, in progress, as a started attempt.
  const recorded = await ctx.ledger.recordRequest({
    messageId: ctx.mail.messageId,
    mailbox: ctx.options.mailbox,
    kind: ctx.classification.intent,
    receivedAt: ctx.receivedAt,
    address: ctx.address,
    outcome: IN_PROGRESS,
    detail: formatRequestDetail({ sender: senderTag(ctx), error: message }),
  });
  const row = recorded.row;
  if (recorded.created || (row.outcome !== IN_PROGRESS && row.outcome !== ERASING)) return;
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
