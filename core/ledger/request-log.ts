import { addOneMonth } from '../clock';
import type { MailboxLease, RequestRow } from '../store/store';
import type { LedgerContext } from './context';

/** The mailbox's side of the ledger: the log of requests that came by mail, the read cursor, the lease. */

/**
 * Mailboxes leased inside this process, for a store without a lease of its own (SQLite: one
 * process): a queue per mailbox, so two workers in one process never drain the same one.
 */
const processLeases = new Map<string, Promise<void>>();

/**
 * Records a request that arrived by mail, once per Message-ID; `created` is false when it was
 * already recorded (a repeated delivery or a restart), so its effect is not applied twice.
 */
export async function recordRequest(ctx: LedgerContext, row: { messageId: string; mailbox: string; kind: string; receivedAt: Date; address: string | null; outcome: string; subjectId?: number | null; detail?: string | null }) {
  const now = ctx.now().toISOString();
  return ctx.store.transaction((tx) =>
    tx.upsertRequest({
      messageId: row.messageId,
      mailbox: row.mailbox,
      kind: row.kind,
      receivedAt: row.receivedAt.toISOString(),
      dueAt: addOneMonth(row.receivedAt).toISOString(),
      outcome: row.outcome,
      subjectId: row.subjectId ?? null,
      address: row.address,
      detail: row.detail ?? null,
      updatedAt: now,
    }),
  );
}

export async function updateRequest(ctx: LedgerContext, messageId: string, patch: { outcome?: string; subjectId?: number | null; detail?: string | null; address?: null }) {
  const updatedAt = ctx.now().toISOString();
  await ctx.store.transaction((tx) => tx.updateRequest(messageId, { ...patch, updatedAt }));
  // A cleared address must not linger in SQLite's write-ahead log either.
  if (patch.address === null) await ctx.store.flushErased?.();
}

/**
 * One more attempt at a request that was recorded before and is still in progress (a run cut
 * off, a failure, a restart): the count, kept in the request log; 0 when there is no such request.
 */
export async function countRequestAttempt(ctx: LedgerContext, messageId: string): Promise<number> {
  const updatedAt = ctx.now().toISOString();
  return ctx.store.transaction((tx) => tx.countRequestAttempt(messageId, updatedAt));
}

/** A request that arrived by mail, by its Message-ID. */
export async function findRequest(ctx: LedgerContext, messageId: string): Promise<RequestRow | undefined> {
  return ctx.store.transaction((tx) => tx.findRequest(messageId));
}

export async function mailboxState(ctx: LedgerContext, mailbox: string) {
  return ctx.store.transaction((tx) => tx.getMailboxState(mailbox));
}

export async function saveMailboxState(ctx: LedgerContext, mailbox: string, uidValidity: number, lastUid: number) {
  const updatedAt = ctx.now().toISOString();
  await ctx.store.transaction((tx) => tx.setMailboxState({ mailbox, uidValidity, lastUid, updatedAt }));
}

/**
 * Holds `mailbox` for this worker until released: with PostgreSQL across processes (the store's
 * advisory lock, released when the process dies), else within this process. Waits while another
 * worker holds it (`onWaiting` is told when it starts waiting); null when `signal` aborts the wait.
 */
export async function acquireMailboxLease(ctx: LedgerContext, mailbox: string, options: { signal: AbortSignal; onWaiting?: () => void }): Promise<MailboxLease | null> {
  if (typeof ctx.store.acquireMailboxLease !== 'function') return acquireProcessLease(mailbox, options);
  options.onWaiting?.();
  return ctx.store.acquireMailboxLease(mailbox, { wait: true, signal: options.signal });
}

async function acquireProcessLease(mailbox: string, options: { signal: AbortSignal; onWaiting?: () => void }): Promise<MailboxLease | null> {
  const before = processLeases.get(mailbox);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const tail = (before ?? Promise.resolve()).then(() => held);
  processLeases.set(mailbox, tail);
  const free = () => {
    release();
    if (processLeases.get(mailbox) === tail) processLeases.delete(mailbox);
  };
  if (before) {
    options.onWaiting?.();
    const stopped = new Promise<false>((resolve) => options.signal.addEventListener('abort', () => resolve(false), { once: true }));
    if (!(await Promise.race([before.then(() => true), stopped]))) {
      free(); // our place in the queue passes straight on to whoever is after us
      return null;
    }
  }
  return { mailbox, lost: new Promise<Error>(() => undefined), release: async () => free() };
}
