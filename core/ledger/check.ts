import { decide, decideWithPurpose } from '../consent/decide';
import { isSuppressedEach, suppressionHashes, type LedgerContext } from './context';
import type { CheckItem, CheckResult } from './schemas';

/** May I contact this person? */

/** May I contact this subject on this channel for this topic now? One transaction per batch. */
export async function check(ctx: LedgerContext, items: CheckItem[], options: { strict?: boolean } = {}): Promise<CheckResult[]> {
  const strict = options.strict ?? ctx.settings.strict;
  const purpose = ctx.settings.purposes.emarketing;
  const { hits, purposes } = await ctx.store.transaction(async (tx) => {
    const found = await tx.checkConsents(items);
    // The purpose every topic sits under, read only for those a topic would allow.
    const ids = [...new Set(found.flatMap((h) => (h?.consent && (h.consent.status === 'confirmed' || h.consent.status === 'subscribed') ? [h.subjectId] : [])))];
    const rows = ids.length > 0 ? await tx.getPurposes(ids, purpose) : [];
    return { hits: found, purposes: new Map(rows.map((r) => [r.subjectId, r])) };
  });
  // Only an unknown address needs its suppression hash: it tells "erased" from "never known".
  const unknown = items.flatMap((item, i) => (hits[i] === undefined && (item.email || item.phone) ? [i] : []));
  const suppressedAt = new Set<number>();
  if (unknown.length > 0) {
    const key = await ctx.loadSuppressionKey();
    const hashes = unknown.map((i) => suppressionHashes(key, items[i]));
    const suppressed = await ctx.store.transaction((tx) => isSuppressedEach(tx, hashes));
    unknown.forEach((i, k) => suppressed[k] && suppressedAt.add(i));
  }
  return items.map((item, i): CheckResult => {
    const hit = hits[i];
    const c = hit?.consent ?? null;
    const held = hit ? purposes.get(hit.subjectId) : undefined;
    const topicDecision = decide(
      {
        known: hit !== undefined,
        suppressed: hit ? hit.suppressedAt !== null : suppressedAt.has(i),
        status: c?.status ?? 'none',
        basis: c?.basis ?? 'none',
        channel: item.channel,
      },
      strict,
      ctx.policies,
    );
    const decision = decideWithPurpose(topicDecision, { state: held?.state ?? 'none', basis: held?.basis ?? 'none' });
    return {
      index: i,
      ...decision,
      subjectId: hit?.subjectId ?? null,
      topic: item.topic,
      channel: item.channel,
      status: c?.status ?? 'none',
      basis: c?.basis ?? 'none',
      since: c?.since ?? null,
      // CallPro opt-in fields, from the evidence of the event that set the current status.
      optin_who: c?.evidence.who ?? null,
      optin_source: c?.evidence.source ?? null,
      optin_date: c ? c.evidence.at.slice(0, 10) : null,
      // CallPro wants an id for every opt-in: the external one, else the ledger's event.
      optin_id: c ? (c.evidence.optinId ?? `ledger-event-${c.eventId}`) : null,
      optin_description: c?.evidence.description ?? null,
    };
  });
}
