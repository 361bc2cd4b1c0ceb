import { closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { StoreUnavailable } from '../../errors';
import { JoinedTransactions } from '../joined';
import type { Store, StoreTx } from '../store';
import { SQLITE_MIGRATIONS } from './migrations';
import { CHECKPOINT, OPEN_PRAGMAS, SCHEMA_VERSION, setSchemaVersion } from './sql';
import { SqliteTx } from './sqlite-tx';

/**
 * The embedded ledger on node:sqlite (built into Node 24; no native build). WAL, so readers do not
 * block the writer; BEGIN IMMEDIATE plus a busy timeout, so n8n and the mailbox worker can share
 * one file; secure_delete, so erased PII is overwritten rather than left in free pages.
 * All SQL of this dialect is in sql.ts (the schema in migrations.ts); a transaction's work is
 * sqlite-tx.ts.
 */

/**
 * A new ledger file is made readable by its owner only (0600), whatever the umask: it holds
 * personal data. SQLite gives the -wal and -shm files it makes the mode of the database file.
 * An existing file keeps the mode its owner chose.
 */
function createPrivately(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

export interface SqliteOptions {
  path: string;
  /** @internal Tests only: stop at this schema version, to build a ledger as an older release left it. */
  migrateTo?: number;
}

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly joined = new JoinedTransactions<StoreTx>();
  private readonly tx: SqliteTx;

  private constructor(readonly path: string) {
    try {
      if (path !== ':memory:') {
        mkdirSync(dirname(path), { recursive: true });
        createPrivately(path);
      }
      this.db = new DatabaseSync(path);
      for (const pragma of OPEN_PRAGMAS) this.db.exec(pragma);
    } catch (error) {
      throw new StoreUnavailable(`Cannot open the SQLite ledger at ${path}: ${(error as Error).message}. Check that the folder exists and is writable.`);
    }
    this.tx = new SqliteTx((sql) => this.statement(sql));
  }

  static async open(options: SqliteOptions): Promise<SqliteStore> {
    const store = new SqliteStore(options.path);
    store.migrate(options.migrateTo);
    return store;
  }

  private migrate(upTo = Infinity): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const current = Number((this.db.prepare(SCHEMA_VERSION).get() as { user_version: number }).user_version);
      for (const migration of SQLITE_MIGRATIONS) {
        if (migration.version <= current || migration.version > upTo) continue;
        this.db.exec(migration.sql);
        this.db.exec(setSchemaVersion(migration.version));
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** One prepared statement per SQL text, for the life of the connection. */
  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    // Called inside this store's open transaction (core/store/joined.ts): part of it.
    if (this.joined.current()) return fn(this.tx);
    // One connection: transactions of this process run one after another.
    const run = this.queue.then(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      this.tx.textsWritten.clear();
      try {
        return await this.joined.run(this.tx, fn, () => this.db.exec('COMMIT'));
      } catch (error) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Moves everything from the write-ahead log into the database file and empties the log, so
   * overwritten (erased) bytes do not linger in the -wal file. Inside a transaction: once it commits.
   */
  async flushErased(): Promise<void> {
    if (this.joined.current()) return this.joined.afterCommit(this.checkpoint);
    await this.queue;
    this.checkpoint();
  }

  private readonly checkpoint = (): void => {
    this.db.exec(CHECKPOINT);
  };

  async close(): Promise<void> {
    await this.queue;
    if (this.db.isOpen) {
      this.db.exec(CHECKPOINT);
      this.db.close();
    }
  }
}
