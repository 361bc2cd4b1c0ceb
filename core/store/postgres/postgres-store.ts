import { Pool, type ClientConfig, type PoolClient } from 'pg';
import { StoreUnavailable } from '../../errors';
import { JoinedTransactions } from '../joined';
import type { MailboxLease, Store, StoreTx } from '../store';
import { connectionConfig, isConnectionError, SCHEMA_NAME, SCHEMA_NAME_HINT, unavailable, type PostgresOptions } from './connection';
import { acquireMailboxLease } from './lease';
import { POSTGRES_MIGRATIONS } from './migrations';
import { PostgresTx } from './postgres-tx';
import { backOff, isLostRace, MAX_ATTEMPTS } from './retry';
import { migrationSql, SESSION_SETUP, statementsFor, type Statements } from './sql';

export { SCHEMA_NAME, SCHEMA_NAME_HINT, type PostgresOptions } from './connection';

/**
 * The PostgreSQL ledger (pg), for n8n in queue mode and several mailbox workers. All SQL of this
 * dialect is in sql.ts (the schema in migrations.ts); a transaction's work is postgres-tx.ts.
 *
 * - Batches are set-wise: each array crosses as one array parameter per column (batch.ts), so a
 *   batch of 100,000 items is a handful of round trips and never hits the parameter limit.
 * - READ COMMITTED, one pooled connection per transaction. A transaction that loses a race is run
 *   again from the start (retry.ts).
 * - Instants are TIMESTAMPTZ and come back as ISO 8601 UTC strings (connection.ts).
 * - No flushErased: a deleted row's bytes stay in its heap page until VACUUM reuses the space and
 *   in the WAL until it is recycled; VACUUM does not zero them either, so running it after each
 *   erasure would cost a lot and promise nothing. The rows are gone for every reader; the
 *   database's disks are the operator's to protect (encryption at rest, backup retention).
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  private readonly statements: Statements;
  private closed = false;
  private readonly joined = new JoinedTransactions<StoreTx>();

  private constructor(
    private readonly pool: Pool,
    private readonly connection: ClientConfig,
    readonly schema: string,
  ) {
    this.statements = statementsFor(schema);
  }

  static async open(options: PostgresOptions): Promise<PostgresStore> {
    if (!SCHEMA_NAME.test(options.schema)) {
      throw new StoreUnavailable(`PostgreSQL schema "${options.schema}" is not a plain name: ${SCHEMA_NAME_HINT}.`);
    }
    const connection = connectionConfig(options);
    const pool = new Pool({ ...connection, max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 });
    // An idle connection the server dropped is discarded by the pool; without a listener the
    // 'error' event would end the process.
    pool.on('error', () => undefined);
    // Queued before anything else the pool's user sends on the new connection.
    pool.on('connect', (client) => void client.query(SESSION_SETUP).catch(() => undefined));
    const store = new PostgresStore(pool, connection, options.schema);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw unavailable(error, 'open');
    }
    return store;
  }

  /**
   * Creates the schema and applies what is missing, all in one transaction under an advisory
   * lock: the first process to open a new ledger migrates it, the others wait and find it done.
   */
  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    const sql = migrationSql(this.schema);
    try {
      await client.query('BEGIN');
      await client.query(sql.lock);
      const exists = await client.query(sql.schemaExists);
      if (exists.rowCount === 0) await client.query(sql.createSchema);
      await client.query(sql.createVersions);
      const current = Number((await client.query(sql.currentVersion)).rows[0].v);
      const latest = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1].version;
      if (current > latest) {
        throw new StoreUnavailable(
          `The ledger in schema "${this.schema}" has schema version ${current}, newer than this n8n-nodes-consent knows (${latest}). Update n8n-nodes-consent on every machine that opens it.`,
        );
      }
      for (const migration of POSTGRES_MIGRATIONS) {
        if (migration.version <= current) continue;
        await client.query(sql.migration(migration.sql));
        await client.query(sql.recordVersion, [migration.version]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async connect(): Promise<PoolClient> {
    if (this.closed) throw new StoreUnavailable('The PostgreSQL ledger is closed.');
    try {
      return await this.pool.connect();
    } catch (error) {
      throw unavailable(error, 'connect');
    }
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    // Called inside this store's open transaction (core/store/joined.ts): part of it, and run again
    // with it when it lost a race.
    const open = this.joined.current();
    if (open) return fn(open.tx);
    for (let attempt = 1; ; attempt++) {
      const client = await this.connect();
      let reusable = true;
      try {
        await client.query('BEGIN');
        return await this.joined.run(new PostgresTx(this.statements, client), fn, async () => {
          await client.query('COMMIT');
        });
      } catch (error) {
        reusable = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        if (isLostRace(error) && attempt < MAX_ATTEMPTS) {
          await backOff(attempt);
          continue;
        }
        throw isConnectionError(error) ? unavailable(error, 'query') : error;
      } finally {
        // A connection whose rollback failed is broken: the pool must not hand it out again.
        client.release(reusable ? undefined : true);
      }
    }
  }

  acquireMailboxLease(mailbox: string, options: { wait?: boolean; signal?: AbortSignal } = {}): Promise<MailboxLease | null> {
    return acquireMailboxLease(this.pool, this.connection, this.schema, mailbox, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
