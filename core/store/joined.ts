import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Joined transactions, for both dialects: a `transaction(fn)` called while this store's
 * transaction is open in the same async flow runs inside it (the same `tx`, no BEGIN or COMMIT of
 * its own), so a use case made of several ledger calls (a request mail: record it, act on it,
 * write its outcome) commits once, all or nothing. Work that must wait for the commit (SQLite's
 * WAL flush after an erasure) is queued with `afterCommit` and runs when the outermost commits.
 */
export class JoinedTransactions<Tx> {
  private readonly flow = new AsyncLocalStorage<Frame<Tx>>();

  /** The open transaction of this async flow, if any. A frame outlives its transaction only closed. */
  current(): Frame<Tx> | undefined {
    const frame = this.flow.getStore();
    return frame?.isOpen ? frame : undefined;
  }

  /** Runs `fn` as the outermost transaction's body; `commit` runs after it, then the queued work. */
  async run<T>(tx: Tx, fn: (tx: Tx) => Promise<T>, commit: () => Promise<void> | void): Promise<T> {
    const frame: Frame<Tx> = { tx, isOpen: true, afterCommit: [] };
    let result: T;
    try {
      result = await this.flow.run(frame, () => fn(tx));
    } finally {
      frame.isOpen = false;
    }
    await commit();
    for (const work of frame.afterCommit) await work();
    return result;
  }

  /**
   * Runs `work` after the open transaction commits (never if it rolls back); at once outside one.
   * The same function queued twice in one transaction runs once (an erasure and its request's
   * cleared address each ask for the one WAL flush).
   */
  async afterCommit(work: () => Promise<void> | void): Promise<void> {
    const frame = this.current();
    if (!frame) await work();
    else if (!frame.afterCommit.includes(work)) frame.afterCommit.push(work);
  }
}

export interface Frame<Tx> {
  readonly tx: Tx;
  isOpen: boolean;
  readonly afterCommit: Array<() => Promise<void> | void>;
}
