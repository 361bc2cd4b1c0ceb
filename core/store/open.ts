import { z } from 'zod/v4';
import { InvalidInput } from '../errors';
import { describeIssues } from '../validation';
import { PostgresStore, SCHEMA_NAME, SCHEMA_NAME_HINT } from './postgres/postgres-store';
import type { Store } from './store';
import { SqliteStore } from './sqlite/sqlite-store';

/**
 * Which ledger database to open. The embedded SQLite file is the default: one n8n on one machine.
 * PostgreSQL when several processes share the ledger: n8n in queue mode, several machines,
 * several mailbox workers.
 */
const SqliteConfigSchema = z.object({
  kind: z.literal('sqlite'),
  path: z.string().trim().min(1, 'give the path of the SQLite ledger file'),
});

const PostgresConfigSchema = z
  .object({
    kind: z.literal('postgres'),
    /** postgres://user:password@host:port/database; when given, it is used instead of the fields below */
    url: z.string().trim().regex(/^postgres(ql)?:\/\//, 'a URL like postgres://user:password@host:5432/database').optional(),
    host: z.string().trim().min(1, 'give the host name of the PostgreSQL server').default('localhost'),
    port: z.coerce.number().int().min(1).max(65535, 'a TCP port, 1 to 65535 (PostgreSQL listens on 5432)').default(5432),
    database: z.string().trim().min(1, 'give the database name').optional(),
    user: z.string().trim().min(1, 'give the user name').optional(),
    password: z.string().optional(),
    /** require: encrypted, certificate not checked; verify-full: encrypted, certificate and host name checked */
    ssl: z.enum(['disable', 'require', 'verify-full'], { error: 'one of disable, require, verify-full' }).default('disable'),
    /** PEM of the certificate authority for verify-full, when it is not a public one */
    ca: z.string().trim().min(1).optional(),
    /** the schema that holds the ledger's tables; created on first open */
    schema: z.string().trim().regex(SCHEMA_NAME, SCHEMA_NAME_HINT).default('consent'),
    /** connections this process may hold at once */
    poolSize: z.coerce.number().int().min(1).max(100, 'at most 100 connections').default(10),
  })
  .refine((c) => c.url || c.database, { message: 'give the database name (or a connection URL)', path: ['database'] })
  .refine((c) => c.url || c.user, { message: 'give the user name (or a connection URL)', path: ['user'] });

export const StoreConfigSchema = z.discriminatedUnion('kind', [SqliteConfigSchema, PostgresConfigSchema], {
  error: 'one of sqlite, postgres',
});
export type StoreConfig = z.input<typeof StoreConfigSchema>;

export async function openStore(config: StoreConfig, env: NodeJS.ProcessEnv = process.env): Promise<Store> {
  const parsed = StoreConfigSchema.safeParse(config);
  if (!parsed.success) throw new InvalidInput(describeIssues(parsed.error, 'store'));
  const c = parsed.data;
  if (c.kind === 'sqlite') {
    // Queue mode runs executions in worker processes, often on other machines: they cannot
    // share one embedded database file.
    if (env.EXECUTIONS_MODE === 'queue') {
      throw new InvalidInput(
        'store: n8n runs in queue mode (EXECUTIONS_MODE=queue), where workers in other processes or on other machines ' +
          'cannot share an embedded SQLite ledger file. Use a PostgreSQL ledger: set the store to PostgreSQL in the ' +
          'Consent Ledger credential.',
      );
    }
    return SqliteStore.open({ path: c.path });
  }
  const ssl = c.ssl === 'disable' ? false : c.ssl === 'require' ? { rejectUnauthorized: false } : { rejectUnauthorized: true, ...(c.ca ? { ca: c.ca } : {}) };
  const connection = c.url
    ? { connectionString: c.url, ssl }
    : { host: c.host, port: c.port, database: c.database, user: c.user, password: c.password, ssl };
  return PostgresStore.open({ connection, schema: c.schema, poolSize: c.poolSize });
}
