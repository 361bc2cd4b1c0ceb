import { z } from 'zod/v4';
import { addDays } from '../clock';
import { EXPIRED_INVITATION, PURGEABLE, UNCONFIRMED_SIGNUP } from '../consent/transitions';
import { InvalidInput } from '../errors';
import type { StoreTx, SubjectRow } from '../store/store';
import { parseInput } from '../validation';
import { parseEvidence, type LedgerContext } from './context';
import { endHolds, eraseWithin } from './erasure';
import { isOpen, listRequests, REGISTER_KINDS } from './register';
import { ERASURE_REASON } from './schemas';

/**
 * Retention kept without anyone remembering (issue 13), a task to run daily: holds whose end has
 * passed end, and the erasure they deferred is carried out (erasure.ts, endHolds); people who
 * never confirmed are purged after a term (Mailchimp purges pending contacts after 60 days)
 * through the one erasure path (eraseWithin: a receipt without the address, the keyed hash that
 * keeps imports and campaigns away, only their own signup brings them back); holds that end soon
 * are listed.
 */

export const PURGE_AFTER_DAYS = 60;
export const HOLDS_ENDING_WITHIN_DAYS = 30;

export const MaintainOptionsSchema = z
  .object({
    /** Purge unconfirmed signups and expired invitations this many days after they became so. */
    purgeAfterDays: z
      .number({ error: 'purgeAfterDays: a number of days, e.g. 60' })
      .int('purgeAfterDays: a whole number of days')
      .min(1, 'purgeAfterDays: at least 1 day')
      .max(3660, 'purgeAfterDays: at most 3660 days')
      .default(PURGE_AFTER_DAYS),
    /** List the holds that end within this many days. */
    holdsEndingWithinDays: z
      .number({ error: 'holdsEndingWithinDays: a number of days, e.g. 30' })
      .int('holdsEndingWithinDays: a whole number of days')
      .min(0, 'holdsEndingWithinDays: not negative')
      .max(3660, 'holdsEndingWithinDays: at most 3660 days')
      .default(HOLDS_ENDING_WITHIN_DAYS),
    /** Say what would be done; change nothing. */
    dryRun: z.boolean({ error: 'dryRun: true or false' }).default(false),
  })
  .strict();
export type MaintainOptions = z.input<typeof MaintainOptionsSchema>;

/** Why a purge candidate was left alone. */
export type KeptBecause = 'purpose' | 'openRequest' | 'changed';

export interface EndingHold {
  subjectId: number;
  email: string | null;
  externalId: string | null;
  holdUntil: string;
  holdReason: string | null;
  /** An erasure was asked while held: it is carried out when the hold ends. */
  erasureWaiting: boolean;
}

/** What a maintenance run did (or, dry, would do): counts, and no address of anyone purged. */
export interface MaintainResult {
  at: string;
  dryRun: boolean;
  purge: {
    afterDays: number;
    /** Unconfirmed or expired since at or before this instant. */
    before: string;
    unconfirmedSignups: number;
    expiredInvitations: number;
    purged: number;
    /** The erasure receipts of the people purged (ids only; dry run: none). */
    receipts: string[];
    /** Candidates left alone: held for another purpose, with an open request, or changed meanwhile. */
    kept: Record<KeptBecause, number>;
  };
  holds: {
    /** Holds whose end had passed: the deferred erasure carried out, or only the hold released. */
    erased: number;
    /** The receipts of the erasures carried out at a hold's end. */
    receipts: string[];
    released: number;
    endingWithinDays: number;
    ending: EndingHold[];
  };
}

const PAGE = 200;

export async function maintain(ctx: LedgerContext, optionsInput: MaintainOptions = {}, evidenceInput?: unknown): Promise<MaintainResult> {
  const options = parseInput(MaintainOptionsSchema, optionsInput ?? {}, 'options');
  if (options.purgeAfterDays < ctx.settings.confirmDays) {
    throw new InvalidInput(
      `purgeAfterDays: at least the confirmation link's life (${ctx.settings.confirmDays} days, confirmDays), so nobody holding a valid link is purged; e.g. ${PURGE_AFTER_DAYS}`,
    );
  }
  const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'system' }, source: { kind: 'api' } });
  const now = ctx.now();
  const ended = await endHolds(ctx, { evidence, dryRun: options.dryRun });
  const purge = await purgeLapsed(ctx, options.purgeAfterDays, evidence, options.dryRun, now);
  const ending = await holdsEnding(ctx, options.holdsEndingWithinDays, now);
  return {
    at: now.toISOString(),
    dryRun: options.dryRun,
    purge,
    holds: {
      erased: ended.filter((e) => e.outcome === 'erased').length,
      receipts: ended.flatMap((e) => e.receiptId ?? []),
      released: ended.filter((e) => e.outcome === 'released').length,
      endingWithinDays: options.holdsEndingWithinDays,
      ending,
    },
  };
}

/**
 * Purges the people who are nothing but an unconfirmed signup or an expired invitation, and have
 * been so for `afterDays` (no topic changed or mailed since): erased as an erasure does, the
 * receipt saying why. Never a person held for any purpose but e-marketing without a basis, with
 * an open request in the register, under a retention hold or suppressed by one; those are
 * counted as kept.
 */
async function purgeLapsed(ctx: LedgerContext, afterDays: number, evidence: ReturnType<typeof parseEvidence>, dryRun: boolean, now: Date): Promise<MaintainResult['purge']> {
  const before = addDays(now, -afterDays).toISOString();
  const result: MaintainResult['purge'] = { afterDays, before, unconfirmedSignups: 0, expiredInvitations: 0, purged: 0, receipts: [], kept: { purpose: 0, openRequest: 0, changed: 0 } };
  const key = await ctx.loadSuppressionKey();
  // Requests from an address the register has not linked to a person count too.
  const openAddresses = new Set<string>();
  for await (const entry of listRequests(ctx, { open: true })) if (entry.address) openAddresses.add(entry.address.toLowerCase());
  let afterId = 0;
  for (;;) {
    const page = await ctx.store.transaction((tx) => tx.listLapsedSubjects([...PURGEABLE], before, afterId, PAGE));
    if (page.length === 0) break;
    afterId = page[page.length - 1].id;
    // Counted per page and added once committed: a PostgreSQL transaction that lost a race runs again.
    const done = await ctx.store.transaction(async (tx) => {
      const ids = page.map((s) => s.id);
      const counts = { kept: [] as KeptBecause[], purged: [] as ('unconfirmedSignups' | 'expiredInvitations')[], receipts: [] as string[] };
      await tx.lockSubjects(ids);
      // Read again under the lock: a signup, a confirmation or a hold meanwhile must count.
      const current = new Map((await tx.findSubjects({ ids })).map((s) => [s.id, s]));
      for (const id of ids) {
        const subject = current.get(id);
        const why = subject ? await keptBecause(ctx, tx, subject, before, openAddresses) : 'changed';
        if (why) {
          counts.kept.push(why);
          continue;
        }
        const consents = await tx.getConsents([id]);
        const what = consents.some((c) => c.status === UNCONFIRMED_SIGNUP) ? 'unconfirmedSignups' : 'expiredInvitations';
        counts.purged.push(what);
        if (dryRun) continue;
        const receiptReason =
          what === 'unconfirmedSignups'
            ? `retention: ${UNCONFIRMED_SIGNUP} (an unconfirmed signup) for ${afterDays} days, purged`
            : `retention: ${EXPIRED_INVITATION} (an unanswered invitation) for ${afterDays} days, purged`;
        counts.receipts.push((await eraseWithin(tx, { subjectId: id }, key, ERASURE_REASON, evidence, now, receiptReason)).receiptId);
      }
      return counts;
    });
    for (const why of done.kept) result.kept[why]++;
    for (const what of done.purged) result[what]++;
    result.purged += done.purged.length;
    result.receipts.push(...done.receipts);
  }
  if (!dryRun && result.purged > 0) await ctx.store.flushErased?.();
  return result;
}

/** Why a candidate stays, checked under its lock; undefined when it may be purged. */
async function keptBecause(ctx: LedgerContext, tx: StoreTx, subject: SubjectRow, before: string, openAddresses: Set<string>): Promise<KeptBecause | undefined> {
  if (subject.holdUntil !== null || subject.suppressedAt !== null) return 'changed';
  const consents = await tx.getConsents([subject.id]);
  const lapsed = (c: (typeof consents)[number]) => PURGEABLE.includes(c.status) && c.since <= before && (c.lastSentAt === null || c.lastSentAt <= before);
  if (consents.length === 0 || !consents.every(lapsed)) return 'changed';
  // E-marketing held with no basis yet (a never-mailed import) is no reason to keep anyone; any
  // other purpose, or e-marketing on a basis or withdrawn (an objection remembered), is.
  const purposes = await tx.getPurposes([subject.id]);
  if (purposes.some((p) => !(p.purpose === ctx.settings.purposes.emarketing && p.state === 'active' && p.basis === 'none'))) return 'purpose';
  if (subject.email && openAddresses.has(subject.email.toLowerCase())) return 'openRequest';
  const requests = await tx.listRequests(subject.id);
  if (requests.some((r) => (REGISTER_KINDS as readonly string[]).includes(r.kind) && isOpen(r))) return 'openRequest';
  return undefined;
}

/** Holds that end after now and within `days`, the earliest first. */
async function holdsEnding(ctx: LedgerContext, days: number, now: Date): Promise<EndingHold[]> {
  const at = now.toISOString();
  const rows = await ctx.store.transaction((tx) => tx.listEndedHolds(addDays(now, days).toISOString(), 10_000));
  return rows
    .filter((s) => s.holdUntil !== null && s.holdUntil > at)
    .map((s) => ({ subjectId: s.id, email: s.email, externalId: s.externalId, holdUntil: s.holdUntil!, holdReason: s.holdReason, erasureWaiting: s.suppressedAt !== null }));
}
