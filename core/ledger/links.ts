import { CONTACTABLE, PENDING, type Channel, type TokenPurpose } from '../consent/statuses';
import { TokenRejected, type TokenProblem } from '../errors';
import type { StoreTx, SubjectRow, TokenRow } from '../store/store';
import { readToken, SINGLE_USE, verifyToken } from '../tokens';
import { applyToTopics, eventFrom, outcomeOf, parseEvidence, suppressionHash, TEXT_HASH, type LedgerContext } from './context';
import type { PreferenceView, TokenActionResult, TokenView, TopicsScope } from './schemas';
import { followTopics } from './purposes';

/** What a person's link does: view it, confirm, unsubscribe, see and set their preferences. */

/**
 * The first look at a link, before anything else: shape, MAC, purpose and expiry, with no
 * database, no promise and no exception. A flood of forged links costs about one HMAC each.
 * Returns null for a link worth looking up, else the problem.
 */
export function checkLink(ctx: LedgerContext, token: unknown, purpose: TokenPurpose): TokenProblem | null {
  const read = readToken(ctx.keys.tokenKeys, token, purpose, ctx.now());
  return typeof read === 'string' ? read : null;
}

/** What a link is about, for the page a GET shows. Changes nothing. Throws TokenRejected. */
export async function viewToken(ctx: LedgerContext, token: unknown, purpose: TokenPurpose): Promise<TokenView> {
  const verified = verifyToken(ctx.keys.tokenKeys, token, purpose, ctx.now());
  return ctx.store.transaction(async (tx) => {
    const row = await tx.findToken(verified.hash);
    if (!row) throw TokenRejected.of('unknown');
    const subject = row.subjectId ? (await tx.findSubjects({ ids: [row.subjectId] }))[0] : undefined;
    if (row.subjectId && !subject) throw TokenRejected.of('unknown');
    return {
      purpose,
      subjectId: row.subjectId,
      channel: row.channel,
      topics: row.topics,
      locale: subject?.locale ?? null,
      used: SINGLE_USE[purpose] && row.usedAt !== null,
      ref: row.ref,
      confirmedTopics: await usedConfirmTopics(tx, purpose, row),
    };
  });
}

/** The POST behind a confirm link: single use; records the click's time, IP and user agent. */
export async function confirm(ctx: LedgerContext, token: unknown, evidenceInput: unknown): Promise<TokenActionResult> {
  const now = ctx.now();
  const verified = verifyToken(ctx.keys.tokenKeys, token, 'confirm', now);
  const evidence = parseEvidence(evidenceInput ?? {});
  const key = await ctx.loadSuppressionKey();
  return ctx.store.transaction(async (tx) => {
    const row = await tx.findToken(verified.hash);
    if (!row || row.subjectId === null || row.channel === null) throw TokenRejected.of('unknown');
    // The subject first, then the token: the same order as erase, so the two never deadlock.
    await tx.lockSubjects([row.subjectId]);
    if (!(await tx.claimToken(verified.hash, now.toISOString()))) throw TokenRejected.of('used');
    const subject = (await tx.findSubjects({ ids: [row.subjectId] }))[0];
    if (!subject) throw TokenRejected.of('unknown');
    const text = row.consentTextHash ? { text: null, hash: row.consentTextHash } : undefined;
    const topics = await applyToTopics(tx, subject, row.channel, row.topics, 'confirm', evidence, now, text);
    await followTopics(ctx, tx, subject, topics, 'confirm', evidence, now, undefined, text);
    const outcome = outcomeOf(topics, 'confirmed');
    // The person proved the mailbox: the name they gave in this signup is now theirs, replacing
    // one given in an earlier signup or by an operator. The names waiting on older links (a
    // stranger's signup among them) can no longer replace it.
    if (row.pendingName && outcome !== 'refused') {
      if (row.pendingName !== subject.name) await tx.updateSubject(subject.id, { name: row.pendingName });
      await tx.clearPendingNames(subject.id, row.createdAt);
    }
    // An erased person who signed up again and now confirmed from that mailbox is back: the
    // suppression of the address lifts, recorded with the evidence of this confirmation.
    if (row.channel === 'email' && subject.email && outcome === 'confirmed') {
      if ((await tx.removeSuppressions([suppressionHash(key, 'email', subject.email)])) > 0) {
        await tx.appendEvents([
          eventFrom({ ...evidence, description: 'suppression lifted: the person confirmed their own signup' }, {
            subjectId: subject.id, topic: null, channel: 'email', action: 'unsuppress', fromStatus: null, toStatus: null, basis: null,
          }, now),
        ]);
      }
    }
    return {
      outcome,
      subjectId: subject.id,
      channel: row.channel,
      locale: subject.locale,
      topics,
    };
  });
}

/**
 * Unsubscribe through a link (GET shows a page; this is the POST, or the RFC 8058 one-click POST).
 * Not single-use: a second click changes nothing and says so.
 */
export async function unsubscribeByToken(ctx: LedgerContext, token: unknown, scope: TopicsScope | 'link', evidenceInput: unknown): Promise<TokenActionResult> {
  const now = ctx.now();
  const verified = verifyToken(ctx.keys.tokenKeys, token, 'unsubscribe', now);
  const evidence = parseEvidence(evidenceInput ?? {});
  return ctx.store.transaction(async (tx) => {
    const { row, subject } = await linkSubject(tx, verified.hash);
    await tx.lockSubjects([subject.id]);
    const topics =
      scope === 'link' ? row.topics : scope === 'all' ? (await tx.getConsents([subject.id], undefined, row.channel)).map((c) => c.topic) : scope;
    const outcomes = await applyToTopics(tx, subject, row.channel, topics, 'unsubscribe', evidence, now);
    return { outcome: outcomeOf(outcomes, 'unsubscribed'), subjectId: subject.id, channel: row.channel, locale: subject.locale, topics: outcomes };
  });
}

/** The preferences page: the topics the person has on the link's channel. Changes nothing. */
export async function preferences(ctx: LedgerContext, token: unknown): Promise<PreferenceView> {
  const verified = verifyToken(ctx.keys.tokenKeys, token, 'unsubscribe', ctx.now());
  return ctx.store.transaction(async (tx) => {
    const { row, subject } = await linkSubject(tx, verified.hash);
    const consents = await tx.getConsents([subject.id], undefined, row.channel);
    return {
      subjectId: subject.id,
      locale: subject.locale,
      channel: row.channel,
      // A pending topic is not ticked: a pre-ticked box is not consent (CJEU C-673/17, Planet49).
      topics: consents.map((c) => ({ topic: c.topic, status: c.status, subscribed: CONTACTABLE.includes(c.status), pending: PENDING.includes(c.status) })),
      held: (await tx.getPurposes([subject.id]))
        .filter((p) => p.state === 'active' && p.purpose !== ctx.settings.purposes.emarketing)
        .map((p) => ({ purpose: p.purpose, basis: p.basis, since: p.since })),
    };
  });
}

/**
 * Applies the preferences form: an unticked topic is unsubscribed; a ticked one that is not
 * subscribed is signed up and confirmed at once (the link proves the mailbox, like a confirm
 * link does). Only topics the person already has can change; others in the form are ignored.
 */
export async function setPreferences(ctx: LedgerContext, token: unknown, wanted: Record<string, boolean>, consentText: string, evidenceInput: unknown): Promise<TokenActionResult> {
  const now = ctx.now();
  const verified = verifyToken(ctx.keys.tokenKeys, token, 'unsubscribe', now);
  const evidence = parseEvidence(evidenceInput ?? {});
  const text = { text: consentText, hash: TEXT_HASH(consentText) };
  return ctx.store.transaction(async (tx) => {
    const { row, subject } = await linkSubject(tx, verified.hash);
    await tx.lockSubjects([subject.id]);
    const consents = await tx.getConsents([subject.id], undefined, row.channel);
    const off = consents.filter((c) => wanted[c.topic] === false && (CONTACTABLE.includes(c.status) || PENDING.includes(c.status))).map((c) => c.topic);
    const on = consents.filter((c) => wanted[c.topic] === true && !CONTACTABLE.includes(c.status)).map((c) => c.topic);
    const turnedOff = await applyToTopics(tx, subject, row.channel, off, 'unsubscribe', evidence, now);
    const signedUp = await applyToTopics(tx, subject, row.channel, on, 'signup', evidence, now, text);
    const confirmable = signedUp.filter((t) => t.outcome === 'changed').map((t) => t.topic);
    const confirmedTopics = await applyToTopics(tx, subject, row.channel, confirmable, 'confirm', evidence, now, text);
    await followTopics(ctx, tx, subject, confirmedTopics, 'confirm', evidence, now, undefined, text);
    const confirmed = new Map(confirmedTopics.map((t) => [t.topic, t]));
    // A ticked topic reports its whole step: from where it was to confirmed.
    const turnedOn = signedUp.map((t) => {
      const c = confirmed.get(t.topic);
      return c ? { ...c, from: t.from } : t;
    });
    const topics = [...turnedOff, ...turnedOn];
    return {
      outcome: topics.some((t) => t.outcome === 'changed') ? 'updated' : 'unchanged',
      subjectId: subject.id,
      channel: row.channel,
      locale: subject.locale,
      topics,
    };
  });
}

/** The row of an unsubscribe/preferences link and its person; a link that names nobody is unknown. */
async function linkSubject(tx: StoreTx, hash: Buffer): Promise<{ row: TokenRow & { subjectId: number; channel: Channel }; subject: SubjectRow }> {
  const row = await tx.findToken(hash);
  if (!row || row.subjectId === null || row.channel === null) throw TokenRejected.of('unknown');
  const subject = (await tx.findSubjects({ ids: [row.subjectId] }))[0];
  if (!subject) throw TokenRejected.of('unknown');
  return { row: { ...row, subjectId: row.subjectId, channel: row.channel }, subject };
}

/** TokenView.confirmedTopics: read only for a confirm link that was used. */
async function usedConfirmTopics(tx: StoreTx, purpose: TokenPurpose, row: TokenRow): Promise<string[]> {
  if (purpose !== 'confirm' || row.usedAt === null || row.subjectId === null || row.channel === null) return [];
  const consents = await tx.getConsents([row.subjectId], undefined, row.channel);
  return row.topics.filter((topic) => consents.some((c) => c.topic === topic && c.status === 'confirmed'));
}
