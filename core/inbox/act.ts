import type { Proof } from '../mail/authenticity';
import { isFeedbackReport, reportedMessageId } from '../mail/machine';
import { normaliseEmail } from '../consent/identity';
import { TokenRejected } from '../errors';
import { formatRequestDetail, parseRequestDetail } from '../request-detail';
import type { RequestRow } from '../store/store';
import { erasureAckKind, mayReply, replyPlan, storedLocaleOf } from './answer';
import { ERASING, evidence, type Context, type Effect } from './context';
import { proofInputOf, proveRequestSender, proveSender } from './prove';
import { senderTag } from './repeat';

/**
 * Acting on a request in the ledger, per intent: unsubscribe, erase (or send a verification link
 * to an unproven sender), answer an access request with the person's access link (mailed to the
 * address itself) or leave it for the operator, mark a hard bounce.
 */
export async function applyRequest(ctx: Context): Promise<Effect> {
  // The classifier is unsure (or found no request): nothing is done, a person decides (core/inbox/review.ts).
  if (ctx.classification.review !== null) return forReview(ctx, ctx.classification.review);
  switch (ctx.classification.intent) {
    case 'unsubscribe':
      return isFeedbackReport(ctx.mail) ? unsubscribeComplainer(ctx) : unsubscribe(ctx);
    case 'erase':
      return erase(ctx);
    case 'access':
      return access(ctx);
    case 'bounce':
      return bounce(ctx);
    case 'auto_reply':
      return { outcome: 'ignored', proof: 'none', reply: null };
    default:
      return forReview(ctx);
  }
}

/**
 * A mail for a person to decide on. Its sender is checked now, as strictly as an erasure needs
 * (a token of the same address, a trusted header, DKIM aligned with DMARC), so that the officer's
 * decision later (Act on Request) rests on the same proof the worker would have used.
 */
export async function forReview(ctx: Context, why?: string): Promise<Effect> {
  const c = ctx.classification;
  const lang = replyPlan(ctx, 'ack-access').locale;
  const isUnanswerable = !mayReply(ctx, c.address);
  if (!c.address) return { outcome: 'needs_review', proof: 'none', note: 'not exactly one From address', reviewReason: why, reply: null, lang, isUnanswerable };
  const sender = await proveRequestSender({ ...proofInputOf(ctx), classification: { ...c, intent: 'erase' } });
  const proof = sender.isProven ? sender.proof : 'none';
  return { outcome: 'needs_review', proof, subjectId: sender.subjectId ?? null, note: sender.detail, reviewReason: why, reply: null, lang, isUnanswerable };
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
  const sender = ctx.options.actOnUnprovenUnsubscribe ? undefined : await proveSender(proofInputOf(ctx), c.address);
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
 * An abuse report (RFC 5965): the recipient who complained is unsubscribed, found by our token in
 * the reported mail, else by the reported Message-ID in our message history, else by the address
 * the report names. The report's sender is a mailbox provider: never answered, and its From proves
 * nothing about the recipient (with actOnUnprovenUnsubscribe off only a token acts).
 */
async function unsubscribeComplainer(ctx: Context): Promise<Effect> {
  const { ledger, classification: c } = ctx;
  const notes: string[] = [];
  if (c.token) {
    try {
      const result = await ledger.unsubscribeByToken(c.token, 'link', evidence(ctx, 'token', 'system'));
      return { outcome: await outcomeOnRetry(ctx, result.outcome, result.subjectId), proof: 'token', subjectId: result.subjectId, note: 'abuse report', reply: null };
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      notes.push(`token ${error.problem}`);
    }
  }
  if (!ctx.options.actOnUnprovenUnsubscribe) return { outcome: 'unproven', proof: 'none', note: [...notes, 'abuse report without a valid token of ours'].join('; '), reply: null };
  const messageId = reportedMessageId(ctx.mail);
  const sent = messageId ? await ledger.findMessage(messageId) : undefined;
  const ref = sent ? { subjectId: sent.subjectId } : c.address ? { email: c.address } : undefined;
  if (!ref) return { outcome: 'needs_review', proof: 'none', note: [...notes, 'abuse report: no token, no mail of ours with its Message-ID, no recipient named'].join('; '), reply: null };
  notes.push(sent ? `abuse report about our mail ${messageId}` : 'abuse report');
  const result = await ledger.unsubscribeByRef(ref, 'all', 'email', evidence(ctx, 'none', 'system'));
  return {
    outcome: result.found ? await outcomeOnRetry(ctx, result.outcome, result.subjectId) : result.outcome,
    proof: 'none',
    subjectId: result.found ? result.subjectId : null,
    note: notes.join('; '),
    reply: null,
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
  // A token proves an erasure only for the sender's own address: no From address, no erasure.
  if (!c.address) return { outcome: 'needs_review', proof: 'none', note: 'not exactly one From address', reply: null };
  const sender = await proveRequestSender(proofInputOf(ctx));
  const byToken = sender.proof === 'token' && sender.subjectId ? { subjectId: sender.subjectId, locale: sender.locale ?? null } : undefined;
  if (!sender.isProven) {
    if (!mayReply(ctx, c.address)) return { outcome: 'needs_review', proof: 'none', note: `${sender.detail}; cannot send a verification link to this sender`, reply: null };
    // Closed loop: the link goes to the address itself; nothing happens until its POST.
    const verification = await ledger.issueEraseVerification(ctx.mail.messageId);
    return { outcome: 'awaiting_verification', proof: 'none', note: sender.detail, reply: replyPlan(ctx, 'erase-verification', await storedLocaleOf(ctx, c.address), verification.token) };
  }
  const ref = byToken ? { subjectId: byToken.subjectId } : { email: c.address };
  // The ledger records the request and erases in two transactions. The marker between them lets a
  // repeat after a crash tell "erased by the first run" from "never known" (see resumeErasure).
  const held = byToken ? undefined : await ledger.export(ref);
  const existed = byToken ? true : Boolean(held);
  const marker = { proof: sender.proof, ref: byToken ? `subject:${byToken.subjectId}` : 'from', existed: existed ? 'yes' : 'no', sender: senderTag(ctx) };
  await ledger.updateRequest(ctx.mail.messageId, { outcome: ERASING, detail: formatRequestDetail(marker) });
  return eraseNow(ctx, ref, sender.proof, sender.detail, byToken ? byToken.locale : (held?.subject.locale ?? null));
}

async function eraseNow(ctx: Context, ref: { subjectId: number } | { email: string }, proof: Proof, note: string, locale?: string | null): Promise<Effect> {
  const result = await ctx.ledger.erase(ref, { reason: 'erasure request by mail', evidence: evidence(ctx, proof) });
  return { outcome: result.outcome, proof, subjectId: result.subjectId, receipt: result.receiptId, externalIds: result.externalIds, note, reply: replyPlan(ctx, erasureAckKind(result.outcome), locale), isErasure: true };
}

/** The repeat of an erasure cut off after its marker: finish it without erasing twice. */
async function resumeErasure(ctx: Context, row: RequestRow): Promise<Effect> {
  const marker = parseRequestDetail(row.detail);
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
 * An access request (GDPR Art. 15). About the sender's own address: the access link goes to that
 * address, the only place it may go, so nothing needs proving first (a closed loop, like the
 * erase-verification link); when we hold nothing, the same kind of answer says so (only the
 * address's owner reads it: no enumeration). Answered either way. About someone else (a forward),
 * or from a sender we may not answer: the operator decides, as before.
 */
async function access(ctx: Context): Promise<Effect> {
  const c = ctx.classification;
  const from = ctx.mail.from.length === 1 ? normaliseEmail(ctx.mail.from[0].address) : undefined;
  if (!c.address || c.address !== from || !mayReply(ctx, c.address)) {
    return { outcome: 'awaiting_operator', proof: 'none', reply: replyPlan(ctx, 'ack-access', await storedLocaleOf(ctx, c.address)) };
  }
  const link = await ctx.ledger.issueAccessLink({ email: c.address }, ctx.mail.messageId);
  if (!link.found) return { outcome: 'not_found', proof: 'none', note: 'no data held; answered to the address itself', reply: replyPlan(ctx, 'ack-no-data') };
  return {
    outcome: 'answered',
    proof: 'none',
    subjectId: link.subjectId,
    note: `access link mailed to the address itself, valid until ${link.expiresAt}`,
    reply: { ...replyPlan(ctx, 'access-link', link.locale), accessToken: link.token },
  };
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
