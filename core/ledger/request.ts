import { resolveTransition, type Action } from '../consent/transitions';
import type { StatusOrNone } from '../consent/statuses';
import type { ConsentChange, ConsentState, StoreTx, SubjectRow, TokenRow } from '../store/store';
import { consentKey, eventFrom, iso, isSuppressedEach, loadConsents, nextConsent, suppressionHashes, SYSTEM_EVIDENCE, TEXT_HASH, type LedgerContext } from './context';
import type { RequestItem, RequestMode, RequestResult } from './schemas';
import { resolveSubjectsWithNew } from './subjects';

/** Asking for consent: a person's signup, or an operator's re-permission campaign. */

const REQUEST_CHUNK = 250;

/**
 * How long a request's mail counts as on its way when no sent mail was recorded for it: a parallel
 * signup of the same address in this time is held back, as one whose mail was recorded. After it,
 * a caller that records what it sends (recordsMail) is not held back by a mail that never went out
 * (its process was killed between the ledger's commit and the send, or SMTP refused it).
 */
export const IN_FLIGHT_MINUTES = 2;

export interface RequestOptions {
  /**
   * The caller records each mail it sends (Ledger.recordMessages), as Request Consent's SMTP
   * delivery does: the list-bombing guard then counts the mails recorded as sent, and a request
   * whose mail was never recorded holds back a new signup only for IN_FLIGHT_MINUTES. Without it
   * (links handed to another mail step) every request counts as mailed for the whole window.
   */
  recordsMail?: boolean;
}

/**
 * Asks for consent. signup: the person asked (webform); campaign: bulk re-permission, which the
 * transition table limits (never unsubscribed, bounced, blacklisted, or already consenting).
 * Suppressed addresses are skipped in both. Returns one result per item, in order.
 */
export async function request(ctx: LedgerContext, items: RequestItem[], mode: RequestMode, options: RequestOptions = {}): Promise<RequestResult[]> {
  const now = ctx.now();
  const key = await ctx.loadSuppressionKey();
  return ctx.store.transaction(async (tx) => {
    // Chunks keep memory flat on a 100k campaign and give a dialect batches of a fair size.
    const results: RequestResult[] = [];
    for (let from = 0; from < items.length; from += REQUEST_CHUNK) {
      results.push(...(await requestChunk(ctx, tx, items.slice(from, from + REQUEST_CHUNK), key, from, mode, now, options)));
    }
    return results;
  });
}

async function requestChunk(ctx: LedgerContext, tx: StoreTx, items: RequestItem[], key: Buffer, offset: number, mode: RequestMode, now: Date, options: RequestOptions): Promise<RequestResult[]> {
  const hashes = items.map((item) => suppressionHashes(key, item));
  const at = iso(now);
  const action: Action = mode === 'signup' ? 'signup' : 'request';
  const windowMinutes = ctx.settings.resendWindowMinutes;
  const windowStart = new Date(now.getTime() - windowMinutes * 60_000).toISOString();
  const inFlightStart = new Date(now.getTime() - Math.min(IN_FLIGHT_MINUTES, windowMinutes) * 60_000).toISOString();
  // An erased address may come back through the person's own double opt-in: a signup on email
  // still mails the confirmation to it (the same neutral answer as for any address, under the
  // same list-bombing limit), and only the person's confirmation lifts the suppression (confirm).
  // Campaigns, imports and any other suppressed identifier stay blocked. (An item with an email
  // has that address's hash first.)
  const mayComeBack = (item: RequestItem) => mode === 'signup' && item.channel === 'email' && Boolean(item.email);
  const isSuppressed = await isSuppressedEach(tx, hashes, (i, k) => k === 0 && mayComeBack(items[i]));

  // A signup's name is only what someone typed into a form: it waits with the signup's link and
  // names the subject once that link is used (confirm). A campaign's comes from the operator.
  const forSubjects = mode === 'signup' ? items.map(({ name: _pending, ...rest }) => rest) : items;
  const { subjects, created } = await resolveSubjectsWithNew(tx, forSubjects, (item, i) => !isSuppressed[i] && Boolean(item.email || item.phone || item.externalId), at);
  await markSuppressedSubjects(tx, key, subjects, hashes, isSuppressed);
  const ids = [...new Set([...subjects.values()].map((s) => s.id))];
  await tx.lockSubjects(ids);
  // A subject made in this chunk has no consents yet: only the known ones are read.
  const consents = await loadConsents(tx, ids.filter((id) => !created.has(id)));
  const isThrottled = await listBombingGuard(tx, mode, options, consents, windowStart, inFlightStart);

  const changes: ConsentChange[] = [];
  const tokens: TokenRow[] = [];
  const results = items.map((item, i): RequestResult => {
    const subject = subjects.get(i);
    const result: RequestResult = {
      index: offset + i,
      outcome: 'skipped',
      reason: null,
      subjectId: subject?.id ?? null,
      email: subject?.email ?? item.email ?? null,
      phone: subject?.phone ?? item.phone ?? null,
      // The mail of a signup greets the name given in that signup, never another one waiting.
      name: mode === 'signup' ? (item.name ?? subject?.name ?? null) : (subject?.name ?? item.name ?? null),
      locale: subject?.locale ?? item.locale ?? null,
      channel: item.channel,
      topics: [],
      confirmToken: null,
      unsubscribeToken: null,
      expiresAt: null,
    };
    if (isSuppressed[i] || subject?.suppressedAt) {
      result.reason = 'suppressed';
      return result;
    }
    if (!subject) {
      result.reason = 'not in the ledger';
      return result;
    }
    const textHash = TEXT_HASH(item.consentText);
    const current = item.topics.map((topic) => consents.get(consentKey(subject.id, topic, item.channel)));
    if (isThrottled(subject.id, current)) {
      result.outcome = 'throttled';
      result.reason = `a confirmation was sent less than ${windowMinutes} minutes ago`;
      result.topics = item.topics.map((topic, t) => {
        const from: StatusOrNone = current[t]?.status ?? 'none';
        return { topic, from, status: from, outcome: 'kept', reason: result.reason };
      });
      return result;
    }
    const changed: string[] = [];
    item.topics.forEach((topic, t) => {
      const c = current[t];
      const from: StatusOrNone = c?.status ?? 'none';
      const transition = resolveTransition(action, from, { basis: c?.basis ?? 'none' });
      if (transition.kind !== 'change') {
        result.topics.push({ topic, from, status: from, outcome: transition.kind === 'keep' ? 'kept' : 'refused', reason: transition.reason });
        return;
      }
      const next = nextConsent(c, { subjectId: subject.id, topic, channel: item.channel }, transition.to, transition.basis, action, at);
      const event = eventFrom(
        item.evidence ?? SYSTEM_EVIDENCE,
        { subjectId: subject.id, topic, channel: item.channel, action, fromStatus: from, toStatus: transition.to, basis: transition.basis },
        now,
        { text: item.consentText, hash: textHash },
      );
      changes.push({ consent: next, event });
      consents.set(consentKey(subject.id, topic, item.channel), next);
      result.topics.push({ topic, from, status: transition.to, outcome: 'changed', reason: null });
      changed.push(topic);
    });
    if (changed.length === 0) {
      result.reason = result.topics.map((x) => `${x.topic}: ${x.reason}`).join('; ');
      return result;
    }
    const { confirm, unsubscribe, row } = ctx.newLinkSet(now, {
      subjectId: subject.id,
      channel: item.channel,
      topics: item.topics,
      consentTextHash: textHash,
      pendingName: mode === 'signup' ? (item.name ?? null) : null,
    });
    tokens.push(row);
    result.outcome = 'requested';
    result.confirmToken = confirm.token;
    result.unsubscribeToken = unsubscribe.token;
    result.expiresAt = iso(confirm.expiresAt);
    return result;
  });
  await tx.writeChanges(changes);
  await tx.insertTokens(tokens);
  return results;
}

/**
 * List-bombing guard: an address asked for any of these topics within the resend window is not
 * mailed again, whatever its status (a signup of someone subscribed sends a confirmation too).
 * With recordsMail, a request counts only while its mail is on its way (IN_FLIGHT_MINUTES) or
 * once a mail to the person was recorded as sent within the window: a mail lost to a crash or
 * a refusing SMTP server does not keep the person from trying again.
 */
async function listBombingGuard(
  tx: StoreTx,
  mode: RequestMode,
  options: RequestOptions,
  consents: Map<string, ConsentState>,
  windowStart: string,
  inFlightStart: string,
): Promise<(subjectId: number, current: (ConsentState | undefined)[]) => boolean> {
  if (mode !== 'signup') return () => false;
  const asked = (c: ConsentState | undefined, since: string) => (c?.lastSentAt ?? '') > since;
  if (!options.recordsMail) return (_, current) => current.some((c) => asked(c, windowStart));
  // Only the people asked within the window need their mail history read.
  const recent = [...new Set([...consents.values()].filter((c) => asked(c, windowStart)).map((c) => c.subjectId))];
  const mailed = await tx.lastMailedAt(recent);
  return (subjectId, current) => current.some((c) => asked(c, inFlightStart)) || (current.some((c) => asked(c, windowStart)) && (mailed.get(subjectId) ?? '') > windowStart);
}

/**
 * A subject named by another identifier than its address (a campaign names people by id) may
 * still have a suppressed address: one waiting for its person's confirmation after an erasure.
 * Those items are marked suppressed too.
 */
async function markSuppressedSubjects(tx: StoreTx, key: Buffer, subjects: Map<number, SubjectRow>, itemHashes: Buffer[][], isSuppressed: boolean[]): Promise<void> {
  const bySubject = new Map<number, Buffer[]>();
  for (const [i, subject] of subjects) {
    if (isSuppressed[i]) continue;
    const more = suppressionHashes(key, subject).filter((h) => !itemHashes[i].some((known) => known.equals(h)));
    if (more.length > 0) bySubject.set(i, more);
  }
  if (bySubject.size === 0) return;
  const found = await isSuppressedEach(tx, [...bySubject.values()]);
  [...bySubject.keys()].forEach((i, k) => found[k] && (isSuppressed[i] = true));
}
