import { randomUUID } from 'node:crypto';
import { z } from 'zod/v4';
import { addDays, addMonths, addOneMonth, DAY_MS } from '../clock';
import { InvalidInput } from '../errors';
import { formatRequestDetail, parseRequestDetail } from '../request-detail';
import type { RequestRow, StoreTx } from '../store/store';
import { freeText, parseInput, singleLine } from '../validation';
import type { LedgerContext } from './context';

/**
 * The requests register (GDPR Art. 12(3): answer within one month): every request of a person,
 * whatever its channel, in the one request log the mailbox already writes. Here are its rules:
 * which kinds are a person's requests, which outcomes finish one, the term and its one extension,
 * and the close by hand.
 */

/** The kinds that are a person's request. Bounces and auto-replies are mailbox traffic, not requests. */
export const REGISTER_KINDS = ['unsubscribe', 'erase', 'access', 'unknown'] as const;

/** How a request came: the mailbox, the command line, a node in a workflow, the request form, an operator, the consent service's API (cli/serve), the person's own link (the preferences page). */
export const REQUEST_CHANNELS = ['mail', 'cli', 'node', 'form', 'operator', 'api', 'link'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

/** Set by a close by hand. */
export const CLOSED_BY_HAND = 'closed';

/**
 * Outcomes that answer a request: it is done. Every other outcome (in progress, awaiting the
 * person's verification or an operator, in review, left to a workflow, one this list does not
 * know) keeps it open, so no request drops off the register unanswered.
 */
export const FINAL_OUTCOMES: readonly string[] = [
  'unsubscribed',
  'unchanged',
  'updated',
  'refused',
  'erased',
  'suppressed',
  'not_found',
  'answered',
  'rejected',
  'ignored',
  CLOSED_BY_HAND,
];

export const RequestFilterSchema = z
  .object({
    /** Only requests still open. */
    open: z.boolean().default(false),
    /** Only open requests past their due date. */
    overdue: z.boolean().default(false),
    /** Only open requests due within this many days from now (overdue ones included). */
    dueWithinDays: z.number({ error: 'dueWithinDays: a number of days, e.g. 7' }).int('dueWithinDays: a whole number of days').min(0, 'dueWithinDays: not negative').max(3660, 'dueWithinDays: at most 3660').optional(),
  })
  .strict();
export type RequestFilter = z.input<typeof RequestFilterSchema>;

/** One line of the register, as the CLI prints it and the Consent Ledger node outputs it. */
export interface RegisterEntry {
  id: string;
  channel: string;
  kind: string;
  status: 'open' | 'closed';
  /** Open and past its due date. */
  overdue: boolean;
  receivedAt: string;
  dueAt: string;
  /** Whole days until the due date (rounded up; 0 or less: due today or overdue). */
  daysLeft: number;
  outcome: string;
  handledBy: string | null;
  subjectId: number | null;
  /** The address the request came from; null once erased. */
  address: string | null;
  extendedAt: string | null;
  extensionReason: string | null;
  closedAt: string | null;
  closeNote: string | null;
}

const PAGE = 500;

/** Open: neither closed by hand nor answered with a final outcome. */
export function isOpen(row: RequestRow): boolean {
  return row.closedAt === null && !FINAL_OUTCOMES.includes(row.outcome);
}

export function toEntry(row: RequestRow, now: Date): RegisterEntry {
  const open = isOpen(row);
  const due = Date.parse(row.dueAt);
  // A mail's request answered by the worker on its own was handled by the mailbox worker.
  const handledBy = row.handledBy ?? parseRequestDetail(row.detail).by ?? (row.channel === 'mail' && !open ? `mailbox worker (${row.mailbox})` : null);
  return {
    id: row.messageId,
    channel: row.channel,
    kind: row.kind,
    status: open ? 'open' : 'closed',
    overdue: open && due < now.getTime(),
    receivedAt: row.receivedAt,
    dueAt: row.dueAt,
    daysLeft: Math.ceil((due - now.getTime()) / DAY_MS) || 0,
    outcome: row.outcome,
    handledBy,
    subjectId: row.subjectId,
    address: row.address,
    extendedAt: row.extendedAt,
    extensionReason: row.extensionReason,
    closedAt: row.closedAt,
    closeNote: row.closeNote,
  };
}

/**
 * The register, filtered, in order of due date (the most urgent first), page by page. --overdue
 * is the narrower of the two date filters: given with --due-within, only overdue ones are listed.
 */
export async function* listRequests(ctx: LedgerContext, filterInput: RequestFilter = {}): AsyncGenerator<RegisterEntry> {
  const filter = parseInput(RequestFilterSchema, filterInput, 'filter');
  const now = ctx.now();
  const dueBy = filter.overdue ? new Date(now.getTime() - 1) : filter.dueWithinDays !== undefined ? addDays(now, filter.dueWithinDays) : undefined;
  const openOnly = filter.open || dueBy !== undefined;
  let after: { dueAt: string; messageId: string } | undefined;
  for (;;) {
    const rows = await ctx.store.transaction((tx) =>
      tx.queryRequests({ kinds: [...REGISTER_KINDS], openOnly, finalOutcomes: [...FINAL_OUTCOMES], dueBy: dueBy?.toISOString(), after, limit: PAGE }),
    );
    for (const row of rows) yield toEntry(row, now);
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    after = { dueAt: last.dueAt, messageId: last.messageId };
  }
}

/** A request made and handled outside the mailbox (the CLI, a node): how it came, who handled it, what came of it. */
export interface HandledRequest {
  /** The request this handles, when it is already in the log (a mail's request left to the workflow); else a new one is recorded. */
  requestId?: string;
  channel: RequestChannel;
  kind: (typeof REGISTER_KINDS)[number];
  handledBy: string;
  outcome: string;
  subjectId: number | null;
  /** Null for an erasure: the register does not keep the address of a person it erased. */
  address: string | null;
  detail?: string | null;
}

/**
 * Records a request answered at once (received and handled now), or, with `requestId`, writes
 * what came of a request already in the log. Joins the transaction of the action it records
 * (Ledger.atomically), so the action and its line in the register commit together.
 */
export async function recordHandledRequest(ctx: LedgerContext, request: HandledRequest): Promise<RegisterEntry> {
  const now = ctx.now();
  const updatedAt = now.toISOString();
  const handledBy = parseInput(singleLine(200).min(1, 'say who handled the request'), request.handledBy, 'handledBy');
  const row = await ctx.store.transaction(async (tx) => {
    if (request.requestId !== undefined) {
      await findOrFail(tx, request.requestId, 'requestId');
      await tx.updateRequest(request.requestId, {
        outcome: request.outcome,
        subjectId: request.subjectId,
        handledBy,
        ...(request.address === null ? { address: null } : {}),
        ...(request.detail ? { detail: request.detail } : {}),
        updatedAt,
      });
      return (await tx.findRequest(request.requestId)) as RequestRow;
    }
    const { row } = await tx.upsertRequest({
      messageId: `${request.channel}-${randomUUID()}`,
      mailbox: '',
      kind: request.kind,
      receivedAt: updatedAt,
      dueAt: addOneMonth(now).toISOString(),
      outcome: request.outcome,
      subjectId: request.subjectId,
      address: request.address,
      detail: request.detail ?? null,
      updatedAt,
      channel: request.channel,
      handledBy,
    });
    return row;
  });
  return toEntry(row, now);
}

/**
 * An operator records a request that came another way (a letter, a phone call, the front desk)
 * and is answered later: open, due one month after it was received (which may be before today:
 * the term runs from receipt, not from when it was written down).
 */
export async function addRequest(
  ctx: LedgerContext,
  input: { kind: string; receivedAt?: Date; address?: string | null; note?: string; by?: string },
): Promise<RegisterEntry> {
  const kind = parseInput(z.enum(['unsubscribe', 'erase', 'access'], { error: 'kind: one of unsubscribe, erase, access' }), input.kind, 'kind');
  const note = parseInput(freeText(1000).optional(), input.note, 'note');
  const by = parseInput(ByInput, input.by, 'by');
  const now = ctx.now();
  const receivedAt = input.receivedAt ?? now;
  if (receivedAt.getTime() > now.getTime()) throw new InvalidInput(`received: ${receivedAt.toISOString()} is in the future; give the day the request came in`);
  const row = await ctx.store.transaction(async (tx) => {
    const { row } = await tx.upsertRequest({
      messageId: `operator-${randomUUID()}`,
      mailbox: '',
      kind,
      receivedAt: receivedAt.toISOString(),
      dueAt: addOneMonth(receivedAt).toISOString(),
      outcome: 'received',
      subjectId: null,
      address: input.address ?? null,
      detail: note ? formatRequestDetail({ note }) : null,
      updatedAt: now.toISOString(),
      channel: 'operator',
      handledBy: by ?? null,
    });
    return row;
  });
  return toEntry(row, now);
}

async function findOrFail(tx: StoreTx, id: string, field: string): Promise<RequestRow> {
  const row = await tx.findRequest(id);
  if (!row) throw new InvalidInput(`${field}: no request "${id}" in the request log (n8n-consent requests lists them with their id)`);
  return row;
}

const ReasonSchema = freeText(1000).min(1, 'say why the answer needs more time (it is told to the person, Art. 12(3))');
const NoteSchema = freeText(1000).min(1, 'say how the request was answered, e.g. "export sent by registered letter"');
const ByInput = singleLine(200).optional();

/**
 * Extends a request's term by two further months (GDPR Art. 12(3)): once, with the reason, and
 * only within the first term (the person must be told within one month of receipt).
 */
export async function extendRequest(ctx: LedgerContext, id: string, input: { reason: string; by?: string }): Promise<RegisterEntry> {
  const reason = parseInput(ReasonSchema, input.reason, 'reason');
  const by = parseInput(ByInput, input.by, 'by');
  const now = ctx.now();
  const row = await ctx.store.transaction(async (tx) => {
    const row = await findOrFail(tx, id, 'id');
    if (!isOpen(row)) throw new InvalidInput(`id: request "${id}" is closed (outcome ${row.outcome}); only an open request can be extended`);
    if (row.extendedAt) throw new InvalidInput(`id: request "${id}" was extended already on ${row.extendedAt}; Art. 12(3) allows one extension of two months`);
    if (Date.parse(row.dueAt) < now.getTime()) throw new InvalidInput(`id: request "${id}" was due on ${row.dueAt}; an extension must be made within the first month (Art. 12(3))`);
    const patch = { dueAt: addMonths(new Date(row.receivedAt), 3).toISOString(), extendedAt: now.toISOString(), extensionReason: reason, updatedAt: now.toISOString(), ...(by ? { handledBy: by } : {}) };
    await tx.updateRequest(id, patch);
    return { ...row, ...patch };
  });
  return toEntry(row, now);
}

/** Closes an open request by hand (answered outside the ledger: a letter, a phone call), with a note saying how. */
export async function closeRequest(ctx: LedgerContext, id: string, input: { note: string; by?: string }): Promise<RegisterEntry> {
  const note = parseInput(NoteSchema, input.note, 'note');
  const by = parseInput(ByInput, input.by, 'by');
  const now = ctx.now();
  const row = await ctx.store.transaction(async (tx) => {
    const row = await findOrFail(tx, id, 'id');
    if (!isOpen(row)) throw new InvalidInput(`id: request "${id}" is closed already (outcome ${row.outcome}${row.closeNote ? `: ${row.closeNote}` : ''})`);
    const patch = { outcome: CLOSED_BY_HAND, closedAt: now.toISOString(), closeNote: note, updatedAt: now.toISOString(), ...(by ? { handledBy: by } : {}) };
    await tx.updateRequest(id, patch);
    return { ...row, ...patch };
  });
  return toEntry(row, now);
}
