import { z } from 'zod/v4';
import { DAY_MS } from '../clock';
import { decide } from '../consent/decide';
import { isStatus, type Channel } from '../consent/statuses';
import type { CampaignCount, MonthCount } from '../store/funnel';
import { parseInput } from '../validation';
import type { LedgerContext } from './context';
import { REGISTER_KINDS } from './register';

/**
 * The consent funnel over time (issue 13): per campaign invited → reminded → confirmed, expired,
 * unsubscribed; per topic and channel how many may be contacted at the end of each of the last N
 * weeks; erasures, requests and "why are you leaving?" answers per month. Counted by each dialect's SQL from the events (and the
 * erasure receipts and the requests register); named and judged here: whether a status allows
 * contact is decide()'s, on the channel policies of this ledger.
 */

export const FunnelOptionsSchema = z.object({
  weeks: z.coerce
    .number({ error: 'give a number of weeks, e.g. 12' })
    .int('a whole number of weeks')
    .min(1, 'at least 1')
    .max(104, 'at most 104 (two years)')
    .default(12),
});
export type FunnelOptions = z.input<typeof FunnelOptionsSchema>;

/** One campaign (re-permission invitations) or signup source, for one topic × channel. */
export interface CampaignFunnel extends Omit<CampaignCount, 'action'> {
  kind: 'campaign' | 'signup';
  /** What the invitations were sent as: their source reference, else their source kind. */
  name: string;
}

/** At the end of one week: how many people may be contacted for topic × channel, and how many not. */
export interface TopicWeek {
  weekEnding: string;
  topic: string;
  channel: Channel;
  allowed: number;
  notAllowed: number;
}

/** One calendar month (UTC): erasures by outcome, requests in the register by kind, "why are you leaving?" answers by reason. */
export interface FunnelMonth {
  month: string;
  erasures: number;
  erasuresByOutcome: Record<string, number>;
  requests: number;
  requestsByKind: Record<string, number>;
  /** Answers on the unsubscribe page (an option, off by default): counts only, never who. */
  leaveReasons: Record<string, number>;
}

export interface FunnelReport {
  /** The ledger clock's now: the last week ends here. */
  asOf: string;
  weeks: number;
  /** Invitations and signups counted from here on (N weeks before asOf). */
  from: string;
  campaigns: CampaignFunnel[];
  topics: TopicWeek[];
  months: FunnelMonth[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The first instant of the UTC month `at` falls in. */
function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** Every month from `from` to `to`, as 'YYYY-MM'. */
function monthsBetween(from: Date, to: Date): string[] {
  const out: string[] = [];
  for (let m = monthStart(from); m <= to; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) out.push(m.toISOString().slice(0, 7));
  return out;
}

export async function funnelReport(ctx: LedgerContext, input: FunnelOptions = {}): Promise<FunnelReport> {
  const { weeks } = parseInput(FunnelOptionsSchema, input);
  const now = ctx.now();
  const asOf = now.getTime();
  const from = asOf - weeks * 7 * DAY_MS;
  const weekEnds = Array.from({ length: weeks }, (_, k) => iso(asOf - (weeks - 1 - k) * 7 * DAY_MS));
  const months = monthsBetween(new Date(from), now);
  const counts = await ctx.store.transaction((tx) =>
    tx.countFunnel({
      from: iso(from),
      to: iso(asOf),
      weekEnds,
      withdrawnPurpose: ctx.settings.purposes.emarketing,
      // The months' counts start at the first of the month the window starts in: whole months.
      monthsFrom: monthStart(new Date(from)).toISOString(),
      requestKinds: [...REGISTER_KINDS],
    }),
  );

  const campaigns = counts.campaigns.map(({ action, ...c }) => ({
    kind: action === 'signup' ? ('signup' as const) : ('campaign' as const),
    name: c.sourceRef ?? c.sourceKind,
    ...c,
  }));

  const byWeek = new Map<string, TopicWeek>();
  const keys = new Map<string, { topic: string; channel: Channel }>();
  for (const s of counts.statuses) {
    const weekEnding = new Date(s.weekEnd).toISOString();
    const key = `${s.topic}\u0000${s.channel}`;
    keys.set(key, { topic: s.topic, channel: s.channel });
    const row = byWeek.get(`${weekEnding}\u0000${key}`) ?? { weekEnding, topic: s.topic, channel: s.channel, allowed: 0, notAllowed: 0 };
    const allowed =
      isStatus(s.status) &&
      decide({ known: true, suppressed: false, status: s.status, basis: s.basis as Parameters<typeof decide>[0]['basis'], channel: s.channel }, false, ctx.policies).allowed;
    if (allowed) row.allowed += s.count;
    else row.notAllowed += s.count;
    byWeek.set(`${weekEnding}\u0000${key}`, row);
  }
  const sortedKeys = [...keys.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const topics: TopicWeek[] = [];
  for (const [key, { topic, channel }] of sortedKeys) {
    for (const weekEnding of weekEnds) topics.push(byWeek.get(`${weekEnding}\u0000${key}`) ?? { weekEnding, topic, channel, allowed: 0, notAllowed: 0 });
  }

  const tally = (rows: MonthCount[], month: string) => {
    const by: Record<string, number> = {};
    for (const r of rows) if (r.month === month) by[r.kind] = (by[r.kind] ?? 0) + r.count;
    return { total: Object.values(by).reduce((a, b) => a + b, 0), by };
  };
  const monthRows = months.map((month) => {
    const e = tally(counts.erasures, month);
    const r = tally(counts.requests, month);
    return { month, erasures: e.total, erasuresByOutcome: e.by, requests: r.total, requestsByKind: r.by, leaveReasons: tally(counts.leaveReasons, month).by };
  });

  return { asOf: iso(asOf), weeks, from: iso(from), campaigns, topics, months: monthRows };
}
