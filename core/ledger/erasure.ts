import { randomUUID } from 'node:crypto';
import type { Evidence } from '../consent/evidence';
import { SubjectRefSchema, type SubjectRef } from '../consent/identity';
import { InvalidInput, TokenRejected } from '../errors';
import { formatRequestDetail, parseRequestDetail } from '../request-detail';
import type { StoreTx, SubjectRow } from '../store/store';
import { verifyToken } from '../tokens';
import { parseInput } from '../validation';
import { applyToTopics, eventFrom, iso, parseEvidence, suppressionHashes, tokenRow, type LedgerContext } from './context';
import { ERASURE_REASON, ReasonSchema, type EraseResult, type UnsuppressResult, type VerifiedErasure } from './schemas';
import { purposeChange } from './purposes';
import { findSubject, requireSubject } from './subjects';

/** Erasure (GDPR Art. 17) and what bounds it: retention holds, suppressions, the mailbox's verification link. */

/**
 * Erases a person: their subject row, the PII in their evidence, their tokens, messages and
 * consent rows. A keyed hash of each address stays so they are never mailed again, and a receipt
 * without PII. Under a retention hold the person is suppressed (blacklisted) instead, and told so.
 * `reason` (free text: it may name the person) is kept only in that case, with the hold.
 */
export async function erase(ctx: LedgerContext, ref: SubjectRef, options: { reason?: string; evidence?: unknown } = {}): Promise<EraseResult> {
  const now = ctx.now();
  const evidence = parseEvidence(options.evidence ?? { actor: { kind: 'operator' }, source: { kind: 'api' } });
  ref = parseInput(SubjectRefSchema, ref, 'subject');
  const reason = parseInput(ReasonSchema.partial(), { reason: options.reason }).reason || ERASURE_REASON;
  const key = await ctx.loadSuppressionKey();
  const result = await ctx.store.transaction((tx) => eraseWithin(tx, ref, key, reason, evidence, now));
  if (result.outcome === 'erased') await ctx.store.flushErased?.();
  return result;
}

/**
 * The erasure itself, inside the caller's transaction (so a verification link and its erasure
 * commit together). `receiptReason` is what the receipt says an erasure was for: a fixed text
 * without personal data (a purge, a hold's deferred erasure), the erasure request by default.
 */
export async function eraseWithin(tx: StoreTx, ref: SubjectRef, key: Buffer, reason: string, evidence: Evidence, now: Date, receiptReason = ERASURE_REASON): Promise<EraseResult> {
  const at = now.toISOString();
  const receiptId = `erasure-${randomUUID()}`;
  const found = await findSubject(tx, ref);
  if (found) await tx.lockSubjects([found.id]);
  // Read again under the lock: a hold set meanwhile must count.
  const subject = found ? (await tx.findSubjects({ ids: [found.id] }))[0] : undefined;
  // The caller's reason is free text and may name the person: it is kept only with a person who
  // stays (suppressed under a retention hold, where the receipt names the hold). A real erasure,
  // or one of someone not held, keeps the plain ERASURE_REASON; the receipt's actor and source say the rest.
  const receipt = { receiptId, at, reason: receiptReason, actorKind: evidence.actor.kind, sourceKind: evidence.source.kind };
  const suppression = { reason: ERASURE_REASON, at };
  if (!subject) {
    // Not held, but never to be added by a later import either.
    await tx.addSuppressions(suppressionHashes(key, ref).map((hash) => ({ hash, ...suppression })));
    await tx.insertErasure({ ...receipt, subjectId: null, outcome: 'not_found' });
    return { outcome: 'not_found', receiptId, subjectId: null, externalIds: [], holdReason: null, holdUntil: null };
  }
  await tx.addSuppressions(suppressionHashes(key, subject).map((hash) => ({ hash, ...suppression })));
  const held = subject.holdUntil !== null && subject.holdUntil > at;
  if (held) {
    const topics = await tx.getConsents([subject.id]);
    for (const channel of new Set(topics.map((c) => c.channel))) {
      const onChannel = topics.filter((c) => c.channel === channel).map((c) => c.topic);
      await applyToTopics(tx, subject, channel, onChannel, 'suppress', { ...evidence, description: `retention hold: ${subject.holdReason}` }, now);
    }
    await tx.updateSubject(subject.id, { suppressedAt: at });
    // Kept only for what the law requires (Art. 17(3)(b)): every other purpose ends.
    const others = (await tx.getPurposes([subject.id])).filter((p) => p.state === 'active' && p.basis !== 'legal_obligation');
    await tx.writePurposes(others.flatMap((p) => purposeChange(subject, p.purpose, p, 'withdraw', { ...evidence, description: 'erasure asked; kept only under the retention hold' }, now).change ?? []));
    await tx.insertErasure({ ...receipt, subjectId: subject.id, outcome: 'suppressed', reason: `${reason}; retention hold: ${subject.holdReason}` });
    return { outcome: 'suppressed', receiptId, subjectId: subject.id, externalIds: [], holdReason: subject.holdReason, holdUntil: subject.holdUntil };
  }
  await tx.appendEvents([
    eventFrom({ ...evidence, actor: { kind: evidence.actor.kind }, ip: undefined, userAgent: undefined, description: undefined, proofRef: undefined }, {
      subjectId: subject.id, topic: null, channel: null, action: 'erase', fromStatus: null, toStatus: null, basis: null,
    }, now),
  ]);
  await tx.eraseSubject(subject.id);
  await tx.insertErasure({ ...receipt, subjectId: subject.id, outcome: 'erased' });
  return { outcome: 'erased', receiptId, subjectId: subject.id, externalIds: subject.externalId ? [subject.externalId] : [], holdReason: null, holdUntil: null };
}

/** A retention hold (e.g. a tax record for 7 years): erasure then suppresses instead of deleting. */
export async function hold(ctx: LedgerContext, ref: SubjectRef, until: Date, reason: string, evidenceInput?: unknown): Promise<SubjectRow> {
  const now = ctx.now();
  if (!reason.trim()) throw new InvalidInput('reason: say why the data must be kept (e.g. "invoice, tax law: 7 years").');
  reason = parseInput(ReasonSchema, { reason }).reason;
  const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'operator' } });
  return ctx.store.transaction(async (tx) => {
    const subject = await requireSubject(tx, ref);
    await tx.lockSubjects([subject.id]);
    const patch = { holdReason: reason.trim(), holdUntil: until.toISOString() };
    await tx.updateSubject(subject.id, patch);
    // The hold is the retention purpose, held on legal_obligation until its end (its one event).
    const [current] = await tx.getPurposes([subject.id], ctx.settings.purposes.retention);
    const { change } = purposeChange(subject, ctx.settings.purposes.retention, current, 'hold', { ...evidence, description: `hold until ${patch.holdUntil}: ${patch.holdReason}` }, now, {
      until: patch.holdUntil,
      reason: patch.holdReason,
    });
    await tx.writePurposes([change!]);
    return { ...subject, ...patch };
  });
}

export async function releaseHold(ctx: LedgerContext, ref: SubjectRef, evidenceInput?: unknown): Promise<SubjectRow> {
  const now = ctx.now();
  const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'operator' } });
  return ctx.store.transaction(async (tx) => {
    const subject = await requireSubject(tx, ref);
    await tx.lockSubjects([subject.id]);
    await releaseWithin(ctx, tx, subject, evidence, now);
    return { ...subject, holdReason: null, holdUntil: null };
  });
}

/** Ends a hold: the retention purpose withdrawn (a hold from before purposes: a plain release event). */
async function releaseWithin(ctx: LedgerContext, tx: StoreTx, subject: SubjectRow, evidence: Evidence, now: Date): Promise<void> {
  await tx.updateSubject(subject.id, { holdReason: null, holdUntil: null });
  const [current] = await tx.getPurposes([subject.id], ctx.settings.purposes.retention);
  const { change } = purposeChange(subject, ctx.settings.purposes.retention, current, 'release', evidence, now);
  if (change) await tx.writePurposes([change]);
  else await tx.appendEvents([eventFrom(evidence, { subjectId: subject.id, topic: null, channel: null, action: 'release', fromStatus: null, toStatus: null, basis: null }, now)]);
}

/** A hold that ended: only released, or the erasure it deferred carried out (its receipt). */
export interface EndedHold {
  subjectId: number;
  holdUntil: string | null;
  outcome: 'released' | 'erased';
  receiptId: string | null;
}

/**
 * Retention holds whose end date has passed (a task to run daily, like expire): the retention
 * purpose ends, and a person an erasure was asked for while held (suppressed: the erasure's
 * receipt and the suppression mark record that it was asked) is erased now, the erasure the hold
 * deferred, with a receipt that says so. At most `limit` per call. `dryRun`: says what it would
 * do and changes nothing.
 */
export async function endHolds(ctx: LedgerContext, options: { limit?: number; evidence?: unknown; dryRun?: boolean } = {}): Promise<EndedHold[]> {
  const now = ctx.now();
  const evidence = parseEvidence(options.evidence ?? { actor: { kind: 'system' }, source: { kind: 'api' } });
  const key = await ctx.loadSuppressionKey();
  const ended = await ctx.store.transaction((tx) => tx.listEndedHolds(now.toISOString(), options.limit ?? 1000));
  const out: EndedHold[] = [];
  for (const found of ended) {
    const result = await ctx.store.transaction(async (tx) => {
      await tx.lockSubjects([found.id]);
      // Read again under the lock: a hold extended or released meanwhile is left alone.
      const [subject] = await tx.findSubjects({ ids: [found.id] });
      if (!subject?.holdUntil || subject.holdUntil > now.toISOString()) return undefined;
      if (options.dryRun) return { subjectId: subject.id, holdUntil: subject.holdUntil, outcome: subject.suppressedAt ? ('erased' as const) : ('released' as const), receiptId: null };
      await releaseWithin(ctx, tx, subject, { ...evidence, description: `retention hold ended ${subject.holdUntil}` }, now);
      if (!subject.suppressedAt) return { subjectId: subject.id, holdUntil: subject.holdUntil, outcome: 'released' as const, receiptId: null };
      const erased = await eraseWithin(tx, { subjectId: subject.id }, key, ERASURE_REASON, evidence, now, `${ERASURE_REASON}, deferred by a retention hold that ended ${subject.holdUntil}`);
      return { subjectId: subject.id, holdUntil: subject.holdUntil, outcome: 'erased' as const, receiptId: erased.receiptId };
    });
    if (result) out.push(result);
  }
  if (!options.dryRun && out.some((r) => r.outcome === 'erased')) await ctx.store.flushErased?.();
  return out;
}

/**
 * An operator lifts a suppression made in error (a typo in an erasure, the wrong person), only
 * with proof: a proof reference and a description are required. The keyed hash of the address
 * goes; the lift is recorded without the address (the person may not exist): who, when, on what
 * proof. A person the ledger holds under that address (suppressed under a hold, or waiting for
 * their confirmation) gets an event too, and a hold's suppression mark is cleared; blacklisted
 * consents stay until an operator sets them with proof.
 */
export async function unsuppress(ctx: LedgerContext, ref: SubjectRef, evidenceInput: unknown): Promise<UnsuppressResult> {
  const now = ctx.now();
  ref = parseInput(SubjectRefSchema, ref, 'subject');
  if (!ref.email && !ref.phone) throw new InvalidInput('subject: give the email address or phone number that was suppressed (only addresses are suppressed)');
  const evidence = parseEvidence(evidenceInput ?? {});
  if (!evidence.proofRef || !evidence.description?.trim()) {
    throw new InvalidInput('evidence: lifting a suppression needs proof: a proof reference (proofRef: a ticket, the signed form) and a description (what went wrong)');
  }
  const key = await ctx.loadSuppressionKey();
  const at = iso(now);
  return ctx.store.transaction(async (tx) => {
    const lifted = await tx.removeSuppressions(suppressionHashes(key, ref));
    if (lifted === 0) return { outcome: 'not_suppressed', lifted: 0, liftId: null, subjectId: null };
    const liftId = await tx.insertSuppressionLift({
      at,
      lifted,
      actorKind: evidence.actor.kind,
      actorName: evidence.actor.name ?? null,
      sourceKind: evidence.source.kind,
      proofRef: evidence.proofRef ?? null,
      description: evidence.description ?? null,
    });
    const subject = await findSubject(tx, ref);
    if (subject) {
      await tx.lockSubjects([subject.id]);
      if (subject.suppressedAt) await tx.updateSubject(subject.id, { suppressedAt: null });
      await tx.appendEvents([
        eventFrom(evidence, { subjectId: subject.id, topic: null, channel: null, action: 'unsuppress', fromStatus: null, toStatus: null, basis: null }, now),
      ]);
    }
    return { outcome: 'lifted', lifted, liftId, subjectId: subject?.id ?? null };
  });
}

/** An erase-verification link for an unproven sender: single use, tied to the request. */
export async function issueEraseVerification(ctx: LedgerContext, requestMessageId: string): Promise<{ token: string; expiresAt: string }> {
  const now = ctx.now();
  const issued = ctx.newToken('erase', now, ctx.settings.eraseDays);
  await ctx.store.transaction((tx) => tx.insertTokens([tokenRow(issued, 'erase', { ref: requestMessageId }, now)]));
  return { token: issued.token, expiresAt: issued.expiresAt.toISOString() };
}

/**
 * The POST behind an erase-verification link: the person proved the mailbox, so the request it
 * belongs to is carried out now (erased, or suppressed under a retention hold) and closed. The
 * link is used up in the same transaction as the erasure: a failure leaves both undone, so the
 * person can press the button again.
 */
export async function completeEraseVerification(ctx: LedgerContext, token: unknown, evidenceInput: unknown): Promise<VerifiedErasure> {
  const now = ctx.now();
  const verified = verifyToken(ctx.keys.tokenKeys, token, 'erase', now);
  const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'person' }, source: { kind: 'link' } });
  const key = await ctx.loadSuppressionKey();
  const result = await ctx.store.transaction(async (tx) => {
    const row = await tx.findToken(verified.hash);
    const request = row?.ref ? await tx.findRequest(row.ref) : undefined;
    if (!row || !request) throw TokenRejected.of('unknown');
    if (!(await tx.claimToken(verified.hash, now.toISOString()))) throw TokenRejected.of('used');
    // For the acknowledgement (core/inbox/answer.ts), read before the erasure takes them.
    const reply = { replyTo: request.address, requestDetail: request.detail, locale: request.address ? ((await findSubject(tx, { email: request.address }))?.locale ?? null) : null };
    const done: EraseResult = request.address
      ? await eraseWithin(tx, { email: request.address }, key, 'erasure request by mail, verified by link', evidence, now)
      : { outcome: 'not_found', receiptId: '', subjectId: null, externalIds: [], holdReason: null, holdUntil: null };
    // The request stays as the record that it was answered, without the address.
    // A person's decision in review (core/inbox/review.ts) stays on record: what was decided, by whom.
    const { decision, by } = parseRequestDetail(request.detail);
    await tx.updateRequest(request.messageId, { outcome: done.outcome, subjectId: done.subjectId, detail: formatRequestDetail({ receipt: done.receiptId, note: 'verified by link', decision, by }), address: null, updatedAt: now.toISOString() });
    return { ...done, requestMessageId: request.messageId, ...reply };
  });
  // The request's address was cleared in every case, the person's data too when erased.
  await ctx.store.flushErased?.();
  return result;
}
