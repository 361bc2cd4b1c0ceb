import { SubjectRefSchema, type SubjectRef } from '../consent/identity';
import type { Basis, Channel, Status } from '../consent/statuses';
import { TransitionRefused } from '../errors';
import { parseInput } from '../validation';
import { applyToTopics, isSuppressedEach, outcomeOf, parseEvidence, suppressionHashes, type LedgerContext } from './context';
import type { TokenActionResult, TopicOutcome, TopicsScope } from './schemas';
import { followTopics } from './purposes';
import { findSubject, requireSubject } from './subjects';

/** Status changes from trusted input: an operator's manual change, a bounce, an unsubscribe by address. */

/** Unsubscribe by address, for trusted input (a CRM, an operator, a proven mail). */
export async function unsubscribeByRef(
  ctx: LedgerContext,
  ref: SubjectRef,
  scope: TopicsScope,
  channel: Channel,
  evidenceInput: unknown,
): Promise<(TokenActionResult & { found: true }) | { found: false; outcome: 'not_found' }> {
  ref = parseInput(SubjectRefSchema, ref, 'subject');
  const now = ctx.now();
  const evidence = parseEvidence(evidenceInput ?? {});
  const key = await ctx.loadSuppressionKey();
  const hashes = suppressionHashes(key, ref);
  return ctx.store.transaction(async (tx) => {
    let subject = await findSubject(tx, ref);
    // An erased address stays erased: its refusal is already kept as a suppression.
    const isSuppressed = !subject && (await isSuppressedEach(tx, [hashes]))[0];
    if (!subject && !isSuppressed && scope !== 'all' && (ref.email || ref.phone)) {
      // Remember the refusal, so no campaign asks this address later.
      [subject] = await tx.insertSubjects([
        { email: ref.email ?? null, phone: ref.phone ?? null, externalId: ref.externalId ?? null, name: null, locale: null, createdAt: now.toISOString() },
      ]);
    }
    if (!subject) return { found: false as const, outcome: 'not_found' as const };
    await tx.lockSubjects([subject.id]);
    const topics = scope === 'all' ? (await tx.getConsents([subject.id], undefined, channel)).map((c) => c.topic) : scope;
    const outcomes = await applyToTopics(tx, subject, channel, topics, 'unsubscribe', evidence, now);
    return { found: true as const, outcome: outcomeOf(outcomes, 'unsubscribed'), subjectId: subject.id, channel, locale: subject.locale, topics: outcomes };
  });
}

/** A manual status change by an operator. To subscribed or confirmed, or out of blacklisted, it needs proof. */
export async function setStatus(
  ctx: LedgerContext,
  ref: SubjectRef,
  change: { topic: string; channel: Channel; status: Status; basis?: Basis },
  evidenceInput: unknown,
): Promise<TopicOutcome & { subjectId: number }> {
  const now = ctx.now();
  const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'operator' } });
  return ctx.store.transaction(async (tx) => {
    const subject = await requireSubject(tx, ref);
    await tx.lockSubjects([subject.id]);
    const [outcome] = await applyToTopics(tx, subject, change.channel, [change.topic], 'set', evidence, now, undefined, {
      target: change.status,
      givenBasis: change.basis,
      hasProof: Boolean(evidence.proofRef || evidence.description),
    });
    if (outcome.outcome === 'refused') throw new TransitionRefused('set', outcome.from, outcome.reason ?? 'not allowed');
    await followTopics(ctx, tx, subject, [outcome], 'set', evidence, now, change.basis);
    return { ...outcome, subjectId: subject.id };
  });
}

/** A hard bounce for an address: its mail consents become bounced. */
export async function bounce(ctx: LedgerContext, email: string, evidenceInput: unknown): Promise<{ found: boolean; topics: TopicOutcome[] }> {
  const now = ctx.now();
  const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'system' }, source: { kind: 'mailbox' } });
  return ctx.store.transaction(async (tx) => {
    const subject = await findSubject(tx, { email });
    if (!subject) return { found: false, topics: [] };
    await tx.lockSubjects([subject.id]);
    const topics = (await tx.getConsents([subject.id], undefined, 'email')).map((c) => c.topic);
    return { found: true, topics: await applyToTopics(tx, subject, 'email', topics, 'bounce', evidence, now) };
  });
}
