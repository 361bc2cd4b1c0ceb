import { DatabaseError, types as pgTypes, type ClientConfig } from 'pg';
import { StoreUnavailable } from '../../errors';

/** A schema name we create and quote ourselves: lower case letters, digits and _, not pg_*. */
export const SCHEMA_NAME = /^(?!pg_)[a-z_][a-z0-9_]{0,62}$/;
export const SCHEMA_NAME_HINT = 'use lower-case letters, digits and "_", starting with a letter or "_" (e.g. consent)';

export interface PostgresOptions {
  /** host, port, database, user, password, ssl, or connectionString */
  connection: ClientConfig;
  schema: string;
  /** Connections this process may hold at once (default 10). */
  poolSize?: number;
}

const TIMESTAMPTZ = 1184;
const parseTimestamp = pgTypes.getTypeParser(TIMESTAMPTZ, 'text') as (value: string) => Date;
const UTC_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

/**
 * TIMESTAMPTZ as the ISO 8601 string instants are on the Store interface. Sessions run in UTC
 * (see SESSION_SETUP in sql.ts), so the server's text is rearranged rather than parsed into a Date
 * and formatted again: a check or campaign reads four instants per consent row.
 */
export function isoFromTimestamptz(value: string): string {
  const m = UTC_TIMESTAMP.exec(value);
  if (!m) return parseTimestamp(value).toISOString();
  return `${m[1]}T${m[2]}.${((m[3] ?? '') + '000').slice(0, 3)}Z`;
}
const storeTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ ? isoFromTimestamptz : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser,
};

/** The settings every connection of the store is made with (the pool's and a mailbox lease's). */
export function connectionConfig(options: PostgresOptions): ClientConfig {
  return { application_name: 'n8n-nodes-consent', connectionTimeoutMillis: 15_000, ...options.connection, types: storeTypes };
}

export function isConnectionError(error: unknown): boolean {
  if (error instanceof DatabaseError) return /^(08|57P0[1-3])/.test(error.code ?? '');
  const code = (error as { code?: string })?.code;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE'].includes(code ?? '') ||
    /Connection terminated|timeout exceeded when trying to connect/i.test((error as Error)?.message ?? '')
  );
}

/** A failure to open or reach the server as StoreUnavailable, with what to check; other errors as they are. */
export function unavailable(error: unknown, step: 'open' | 'connect' | 'query'): Error {
  if (error instanceof StoreUnavailable) return error;
  if (step === 'open' || isConnectionError(error)) {
    const reason = (error as Error)?.message ?? String(error);
    return new StoreUnavailable(
      `Cannot ${step === 'query' ? 'reach' : 'open'} the PostgreSQL ledger: ${reason}. Check host, port, database, user, password and SSL, and that the user may create tables in the schema.`,
    );
  }
  return error as Error;
}
