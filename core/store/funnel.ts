import type { Channel } from '../consent/statuses';
import type { DbRow } from './rows';

/**
 * The consent funnel's counts over time (issue 13), as both dialects return them: the query the
 * ledger asks (core/ledger/funnel.ts) and the rows its SQL (each dialect's sql.ts) gives back.
 * The SQL counts; which status allows contact and how the numbers are named is the ledger's.
 */
export interface FunnelQuery {
  /** Invitations and signups from this instant on (inclusive) up to `to` (inclusive). */
  from: string;
  to: string;
  /** The instants at which each topic's statuses are counted (the end of each week). */
  weekEnds: string[];
  /** The purpose whose withdrawal ends every topic under it (e-marketing). */
  withdrawnPurpose: string;
  /** Erasures and requests from this instant on (the first of a month) up to `to`. */
  monthsFrom: string;
  /** The request kinds the requests register counts. */
  requestKinds: string[];
}

/**
 * One campaign (action 'request': a re-permission invitation) or signup source (action 'signup')
 * for one topic × channel: how many were asked, how many got a reminder, and how each ended,
 * counting the first of confirm, expire, unsubscribe, bounce, erase (or suppress) after the ask
 * and before the next ask of the same person, topic and channel; none of those: still open.
 */
export interface CampaignCount {
  action: 'request' | 'signup';
  sourceKind: string;
  sourceRef: string | null;
  topic: string;
  channel: Channel;
  firstAt: string;
  lastAt: string;
  invited: number;
  reminded: number;
  confirmed: number;
  expired: number;
  unsubscribed: number;
  bounced: number;
  erased: number;
  open: number;
}

/**
 * How many consents of topic × channel were in `status` on `basis` at `weekEnd`: the status of
 * each person's last event for it at or before then. 'withdrawn': the topic's purpose was
 * withdrawn since that event. People erased by then are not counted.
 */
export interface WeekStatusCount {
  weekEnd: string;
  topic: string;
  channel: Channel;
  status: string;
  basis: string;
  count: number;
}

/** A count per calendar month (UTC, 'YYYY-MM') and kind: an erasure's outcome or a request's kind. */
export interface MonthCount {
  month: string;
  kind: string;
  count: number;
}

export interface FunnelCounts {
  campaigns: CampaignCount[];
  statuses: WeekStatusCount[];
  erasures: MonthCount[];
  requests: MonthCount[];
  /** "Why are you leaving?" answers per month (kind: the reason), counts only. */
  leaveReasons: MonthCount[];
}

export function toCampaignCount(r: DbRow): CampaignCount {
  return {
    action: r.action as CampaignCount['action'],
    sourceKind: String(r.source_kind),
    sourceRef: r.source_ref === null || r.source_ref === undefined ? null : String(r.source_ref),
    topic: String(r.topic),
    channel: r.channel as Channel,
    firstAt: String(r.first_at),
    lastAt: String(r.last_at),
    invited: Number(r.invited),
    reminded: Number(r.reminded),
    confirmed: Number(r.confirmed),
    expired: Number(r.expired),
    unsubscribed: Number(r.unsubscribed),
    bounced: Number(r.bounced),
    erased: Number(r.erased),
    open: Number(r.open),
  };
}

export function toWeekStatusCount(r: DbRow): WeekStatusCount {
  return { weekEnd: String(r.week_end), topic: String(r.topic), channel: r.channel as Channel, status: String(r.status), basis: String(r.basis), count: Number(r.n) };
}

export function toMonthCount(r: DbRow): MonthCount {
  return { month: String(r.month), kind: String(r.kind), count: Number(r.n) };
}
