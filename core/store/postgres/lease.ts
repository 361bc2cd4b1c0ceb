import { Client, DatabaseError, type ClientConfig, type Pool } from 'pg';
import { StoreUnavailable } from '../../errors';
import type { MailboxLease } from '../store';
import { isConnectionError, unavailable } from './connection';
import { LEASE_SQL, LOCK_WAIT_ENDED } from './sql';

/** A waiting lease's lock request ends now and then and is made again (a backstop: abort cancels it). */
const LEASE_WAIT_SLICE_MS = 5000;
const LEASE_HEARTBEAT_MS = 15_000;

/**
 * A session advisory lock on a connection of its own: the server releases it when that
 * connection ends, which includes the holding process dying (its socket closes). `pool` is the
 * store's, through which an abort cancels a lock request the server keeps waiting.
 */
export async function acquireMailboxLease(
  pool: Pool,
  connection: ClientConfig,
  schema: string,
  mailbox: string,
  options: { wait?: boolean; signal?: AbortSignal } = {},
): Promise<MailboxLease | null> {
  const { wait = true, signal } = options;
  if (signal?.aborted) return null;
  const client = new Client({ ...connection, keepAlive: true, application_name: 'n8n-nodes-consent mailbox' });
  let settleLost: (error: Error) => void = () => undefined;
  const lost = new Promise<Error>((resolve) => (settleLost = resolve));
  client.on('error', (error) => settleLost(error));
  try {
    await client.connect();
  } catch (error) {
    throw unavailable(error, 'connect');
  }
  const key = LEASE_SQL.key(schema, mailbox);
  // An abort cancels the lock request the server keeps waiting, through another connection.
  let backendPid: number | undefined;
  const onAbort = () => {
    if (backendPid !== undefined) void pool.query(LEASE_SQL.cancel, [backendPid]).catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (!wait) {
      const held = await client.query(LEASE_SQL.tryLock, [key]);
      if (!held.rows[0].held) {
        await client.end();
        return null;
      }
    } else {
      backendPid = Number((await client.query(LEASE_SQL.prepareWait(LEASE_WAIT_SLICE_MS))).rows[0].pid);
      for (;;) {
        if (signal?.aborted) throw signal.reason;
        try {
          await client.query(LEASE_SQL.lock, [key]);
          break;
        } catch (error) {
          if (!(error instanceof DatabaseError && LOCK_WAIT_ENDED.includes(error.code ?? ''))) throw error;
        }
      }
      await client.query(LEASE_SQL.resetTimeout);
      if (signal?.aborted) throw signal.reason; // granted just as the abort came: let go again
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    if (signal?.aborted) return null;
    throw isConnectionError(error) ? unavailable(error, 'query') : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }

  let released = false;
  client.on('end', () => {
    if (!released) settleLost(new StoreUnavailable(`The connection holding mailbox "${mailbox}" ended; another worker may hold it now.`));
  });
  // TCP keepalive finds a dead peer only after minutes; a small query finds it sooner.
  const heartbeat = setInterval(() => {
    client.query(LEASE_SQL.heartbeat).catch((error: Error) => {
      if (!released) settleLost(error);
    });
  }, LEASE_HEARTBEAT_MS);
  heartbeat.unref();
  return {
    mailbox,
    lost,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      await client.query(LEASE_SQL.unlock, [key]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
