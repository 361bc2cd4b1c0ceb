import { z } from 'zod/v4';
import { FEED_TYPES, type FeedRow, type FeedType } from '../store/store';
import { parseInput } from '../validation';
import type { LedgerContext } from './context';

/**
 * The consent service's event feed (issue 14): what other tools (a Zapier trigger, n8n's polling
 * trigger, REST hooks) are told, read from the ledger's own event history, never a second record.
 * One change of one person's topics in one transaction is one event (its topics together); its
 * id is the newest ledger event id in it, so the id is also the cursor. Only what a receiver
 * needs: the address for confirmed/unsubscribed/bounced, the erasure's receipt; no evidence (IP,
 * user agent, name, consent text). Events of a person erased since then are left out (the erasure
 * follows them).
 */

export { FEED_TYPES, type FeedType };

export const FEED_MAX_LIMIT = 500;

export const FeedQuerySchema = z.object({
  after: z.string().regex(/^\d{1,15}$/, 'the cursor of an earlier answer (its "next" or an event id)').optional().describe('the cursor: the "next" of an earlier answer (none: from the start, or with order=desc the newest)'),
  types: z
    .string()
    .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.enum(FEED_TYPES, { error: `a type is one of ${FEED_TYPES.join(', ')}` })).min(1, `give at least one type: ${FEED_TYPES.join(', ')}`))
    .optional()
    .describe(`comma-separated, any of ${FEED_TYPES.join(', ')} (default: all)`),
  limit: z.coerce.number({ error: 'a number' }).int('a whole number').min(1, 'at least 1').max(FEED_MAX_LIMIT, `at most ${FEED_MAX_LIMIT}`).default(100),
  order: z.enum(['asc', 'desc'], { error: 'asc (oldest first, after the cursor) or desc (newest first)' }).default('asc'),
});
export type FeedQueryInput = z.input<typeof FeedQuerySchema>;

export interface FeedEvent {
  /** Opaque to a receiver: the cursor. */
  id: string;
  type: FeedType;
  occurredAt: string;
  subjectId: number;
  email?: string;
  topics: string[];
  /** The topics' channel; "all" for an erasure. */
  channel: string;
  source: string;
  receiptId?: string;
  externalIds?: string[];
}

export interface FeedPage {
  events: FeedEvent[];
  /** Pass as `after` next time: the last event's id, or the given `after` when there was none. */
  next: string | null;
}

/** Rows read per event asked for: one event is as many rows as it has topics. */
const ROWS_PER_EVENT = 8;
const MAX_ROWS = 4000;

export async function listFeed(ctx: LedgerContext, input: unknown): Promise<FeedPage> {
  const q = parseInput(FeedQuerySchema, input);
  const after = q.after === undefined ? null : Number(q.after);
  const rowLimit = Math.min(MAX_ROWS, q.limit * ROWS_PER_EVENT);
  const rows = await ctx.store.transaction((tx) => tx.listFeed({ after, types: q.types ?? [...FEED_TYPES], order: q.order, limit: rowLimit }));
  let groups = groupRows(rows);
  // The rows stopped inside the last event maybe: leave it to the next call (unless it is all there is).
  if (rows.length === rowLimit && groups.length > 1) groups = groups.slice(0, -1);
  const events = groups.slice(0, q.limit).map(toFeedEvent);
  return { events, next: events.at(-1)?.id ?? q.after ?? null };
}

/** Consecutive rows of one person, one type, one instant and one channel: one change. */
function groupRows(rows: FeedRow[]): FeedRow[][] {
  const groups: FeedRow[][] = [];
  for (const row of rows) {
    const last = groups.at(-1)?.[0];
    if (last && last.subjectId === row.subjectId && last.type === row.type && last.at === row.at && last.channel === row.channel) groups.at(-1)!.push(row);
    else groups.push([row]);
  }
  return groups;
}

function toFeedEvent(group: FeedRow[]): FeedEvent {
  const first = group[0];
  const id = String(Math.max(...group.map((r) => r.id)));
  const base = { id, type: first.type, occurredAt: new Date(first.at).toISOString(), subjectId: first.subjectId };
  if (first.type === 'erased') {
    // The ledger deletes a person's external id with them: the history cannot give it (the erase call's own answer does).
    return { ...base, topics: [], channel: 'all', source: first.sourceKind, receiptId: first.receiptId ?? '', externalIds: [] };
  }
  const topics = [...new Set(group.map((r) => r.topic).filter((t): t is string => t !== null))].sort();
  return { ...base, ...(first.email ? { email: first.email } : {}), topics, channel: first.channel ?? 'email', source: first.sourceKind };
}
