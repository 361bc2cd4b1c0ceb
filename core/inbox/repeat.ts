import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Ledger } from '../ledger';
import type { Proof } from '../mail/authenticity';
import type { Intent } from '../mail/classify';
import type { TemplateKind } from '../mail/templates';
import { formatRequestDetail, parseRequestDetail } from '../request-detail';
import { derive, secretsOf } from '../secrets';
import type { RequestRow } from '../store/store';
import { replyPlan, sendReply } from './answer';
import { NO_REPLY, resultOf, type Context, type ReplyPlan } from './context';
import type { RequestMailResult } from './options';

/**
 * A Message-ID seen before: is it the same sender (senderOfRepeat, with the keyed sender tag once
 * the address is gone), and what a repeat of a finished request still owes (finishRepeat).
 */
/** A mail under a Message-ID the request log has for someone else: nothing acted on, nobody answered. */
export function anotherSender(ctx: Context, reason = 'Message-ID already used by another sender'): RequestMailResult {
  return resultOf(ctx, { proof: 'none', outcome: 'needs_review', reason, isRepeat: false, reply: NO_REPLY });
}

export type RepeatSender = 'same' | 'other' | 'unknown';

/**
 * Is this mail from the sender its Message-ID was recorded for? The request log's address says so;
 * once an erasure took the address, the keyed tag kept while something is still owed (senderTag).
 * Without either nothing can be compared (`unknown`): then nothing new goes out for the request.
 */
export function senderOfRepeat(ctx: Context, row: RequestRow): RepeatSender {
  if (row.address !== null) return row.address === ctx.address ? 'same' : 'other';
  const tag = parseRequestDetail(row.detail).sender;
  if (tag) return ctx.address !== null && hasSenderTag(ctx, ctx.address, tag) ? 'same' : 'other';
  return ctx.address === null ? 'same' : 'unknown';
}

/**
 * A keyed tag of the request's address (HMAC with a key of its own from the ledger's secret): kept
 * with a request while it is in hand, and after its erasure for as long as an answer is owed, so a
 * repeat is told from another sender's mail when the address itself is gone. No address can be
 * read back from it, and it goes with the answer.
 */
export function senderTag(ctx: Context): string | undefined {
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

/**
 * A repeat of a finished request: nothing is applied again. Only a reply that failed (or was handed
 * out and never confirmed sent) goes out now, composed from what the request log says was done, and
 * only to the sender the request was recorded for (`isSameSender`; senderOfRepeat).
 */
export async function finishRepeat(ctx: Context, row: RequestRow, isSameSender: boolean): Promise<RequestMailResult> {
  const detail = parseRequestDetail(row.detail);
  const proof = proofOf(row);
  const intent = row.kind as Intent;
  let reply: RequestMailResult['reply'] = { status: 'done', mail: null, error: null };
  if (isSameSender && (detail.reply === 'failed' || detail.reply === 'pending')) {
    const plan = repeatReplyPlan(ctx, row);
    if (plan) {
      if (plan.kind === 'erase-verification') plan.eraseToken = (await ctx.ledger.issueEraseVerification(row.messageId)).token; // only its hash was kept
      if (plan.kind === 'access-link') {
        const link = row.subjectId ? await ctx.ledger.issueAccessLink({ subjectId: row.subjectId }, row.messageId) : { found: false as const };
        if (link.found) plan.accessToken = link.token;
        else plan.kind = 'ack-no-data'; // erased meanwhile: nothing held any more
      }
      reply = await sendReply(ctx, plan);
      if (reply.status !== 'pending') {
        const isOwed = reply.status === 'failed';
        await ctx.ledger.updateRequest(row.messageId, { detail: formatRequestDetail({ ...detail, reply: reply.status, error: reply.error ?? undefined, sender: isOwed ? detail.sender : undefined }) });
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
    not_found: row.kind === 'erase' || row.kind === 'access' ? 'ack-no-data' : 'ack-unsubscribed',
    erased: 'ack-erased',
    suppressed: 'ack-suppressed',
    awaiting_verification: 'erase-verification',
    awaiting_operator: 'ack-access',
    ...(row.kind === 'access' ? { answered: 'access-link' as const } : {}),
  };
  const kind = byOutcome[row.outcome];
  return kind ? replyPlan(ctx, kind) : null;
}

export function proofOf(row: RequestRow): Proof {
  return (parseRequestDetail(row.detail).proof as Proof | undefined) ?? 'none';
}
