import pg from 'pg';
import { openStore } from '../../core/store/open';
import { POSTGRES_MIGRATIONS } from '../../core/store/postgres/migrations';
import { arrayLiteral } from '../../core/store/postgres/batch';
import { isoFromTimestamptz } from '../../core/store/postgres/connection';
import { PostgresStore } from '../../core/store/postgres/postgres-store';
import type { Store } from '../../core/store/store';
import { freePort } from '../../scripts/ports.cjs';
import { sharedPostgres, stopSharedPostgres, type PostgresCluster } from '../support/postgres';
import { waitFor } from '../support/wait';
import { describeStoreContract } from './contract';
import { describePurposeContract } from './purposes-contract';
import { describeRequestsContract } from './requests-contract';
import { describeRetentionContract } from './retention-contract';

let cluster: PostgresCluster;
let database: string;
let schemas = 0;
beforeAll(async () => {
  cluster = await sharedPostgres();
  database = await cluster.createDatabase();
});
afterAll(() => stopSharedPostgres());

// Each store gets a schema of its own in one database: a new, empty ledger per test.
describeStoreContract('postgres', {
  open: () =>
    openStore({ kind: 'postgres', host: cluster.host, port: cluster.port, user: cluster.user, database, schema: `contract_${++schemas}` }),
});
describePurposeContract('postgres', {
  open: () =>
    openStore({ kind: 'postgres', host: cluster.host, port: cluster.port, user: cluster.user, database, schema: `purposes_${++schemas}` }),
});
describeRequestsContract('postgres', {
  open: () =>
    openStore({ kind: 'postgres', host: cluster.host, port: cluster.port, user: cluster.user, database, schema: `requests_${++schemas}` }),
});
describeRetentionContract('postgres', {
  open: () =>
    openStore({ kind: 'postgres', host: cluster.host, port: cluster.port, user: cluster.user, database, schema: `retention_${++schemas}` }),
});

describe('PostgreSQL values crossing the wire', () => {
  test.each([
    ['2026-11-23 10:00:00+00', '2026-11-23T10:00:00.000Z'],
    ['2026-11-23 10:00:00.5+00', '2026-11-23T10:00:00.500Z'],
    ['2026-11-23 10:00:00.123456+00', '2026-11-23T10:00:00.123Z'],
    ['2026-11-23 11:30:00+01:30', '2026-11-23T10:00:00.000Z'], // a session not in UTC: parsed the long way
  ])('TIMESTAMPTZ %s reads as %s', (text, iso) => {
    expect(isoFromTimestamptz(text)).toBe(iso);
  });

  test('array parameters: quoted text, NULLs, numbers, booleans, bytea; an all-NULL column is sent empty', () => {
    expect(arrayLiteral('text', ['a', null, 'say "hi" \\ {x,y}'])).toBe('{"a",NULL,"say \\"hi\\" \\\\ {x,y}"}');
    expect(arrayLiteral('bigint', [1, null, 2 ** 40])).toBe(`{1,NULL,${2 ** 40}}`);
    expect(arrayLiteral('boolean', [true, false])).toBe('{t,f}');
    expect(arrayLiteral('bytea', [Buffer.from([0, 255])])).toBe('{"\\\\x00ff"}');
    expect(arrayLiteral('text', [null, undefined])).toBe('{}');
    expect(() => arrayLiteral('bigint', [1.5])).toThrow(/not an integer/);
  });
});

describe('PostgreSQL dialect', () => {
  const config = (schema: string, more: Record<string, unknown> = {}) =>
    ({ kind: 'postgres', host: cluster.host, port: cluster.port, user: cluster.user, database, schema, ...more }) as const;

  async function adminQuery<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, values: unknown[] = []) {
    const client = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, database });
    await client.connect();
    try {
      return (await client.query<R>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  test('six stores opening a new ledger at once (each its own connection) migrate it once', async () => {
    const stores = await Promise.all(Array.from({ length: 6 }, () => openStore(config('opened_at_once'))));
    const versions = await adminQuery('SELECT version FROM opened_at_once.schema_migrations ORDER BY version');
    expect(versions.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    // Each of them works on the one ledger.
    await Promise.all(stores.map((s, i) => s.transaction((tx) => tx.setMeta(`opened-${i}`, 'yes'))));
    expect(await stores[0].transaction(async (tx) => Promise.all(stores.map((_, i) => tx.getMeta(`opened-${i}`))))).toEqual(Array(6).fill('yes'));
    await Promise.all(stores.map((s) => s.close()));
  });

  test('a ledger migrated by a newer version is refused, with what to do', async () => {
    const store = await openStore(config('from_the_future'));
    await store.close();
    await adminQuery('INSERT INTO from_the_future.schema_migrations (version) VALUES (999)');
    await expect(openStore(config('from_the_future'))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/schema version 999.*Update n8n-nodes-consent/) });
  });

  test('the schema name must be a plain identifier', async () => {
    await expect(openStore(config('consent; DROP TABLE x'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^store, schema: use lower-case letters/) });
    await expect(PostgresStore.open({ connection: { host: cluster.host, port: cluster.port, user: cluster.user, database }, schema: 'Consent' })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
  });

  test('a server that does not answer is StoreUnavailable, saying what to check', async () => {
    const port = await freePort();
    await expect(openStore({ ...config('nowhere'), port })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringMatching(/Cannot open the PostgreSQL ledger: .*Check host, port, database, user, password and SSL/),
    });
  });

  test('a connection URL works as well as the separate fields', async () => {
    const store = await openStore({ kind: 'postgres', url: cluster.url(database), schema: 'by_url' });
    expect(await store.transaction(async () => 'ok')).toBe('ok');
    await store.close();
  });

  test('queue mode is fine with PostgreSQL', async () => {
    const store = await openStore(config('queue_mode'), { EXECUTIONS_MODE: 'queue' });
    expect(store.dialect).toBe('postgres');
    await store.close();
  });

  test('batches far beyond the 65,535 parameters of one statement go through whole', async () => {
    const store = await openStore(config('big_batch'));
    const n = 70_000;
    const at = '2026-11-23T10:00:00.000Z';
    const made = await store.transaction(async (tx) => {
      const subjects = await tx.insertSubjects(
        Array.from({ length: n }, (_, i) => ({ email: `big${i}@example.org`, phone: null, externalId: null, name: null, locale: null, createdAt: at })),
      );
      const ids = await tx.writeChanges(
        subjects.map((s) => ({
          consent: { subjectId: s.id, topic: 'newsletter', channel: 'email' as const, status: 'invited' as const, basis: 'none' as const, since: at, invitedAt: at, lastSentAt: at, reminders: 0 },
          event: {
            subjectId: s.id, topic: 'newsletter', channel: 'email' as const, action: 'request' as const, fromStatus: 'none' as const, toStatus: 'invited' as const, basis: 'none' as const,
            at, recordedAt: at, actorKind: 'system', sourceKind: 'api', sourceRef: null, consentText: 'Ja', consentTextHash: 'h', optinId: null, messageId: null,
            actorName: null, ip: null, userAgent: null, description: null, proofRef: null,
          },
        })),
      );
      return { subjects, ids };
    });
    expect(made.subjects.map((s) => s.email)).toEqual(Array.from({ length: n }, (_, i) => `big${i}@example.org`));
    expect(new Set(made.ids).size).toBe(n);
    expect(await store.transaction((tx) => tx.countStatuses())).toEqual([{ topic: 'newsletter', channel: 'email', status: 'invited', count: n }]);
    const hits = await store.transaction((tx) => tx.checkConsents([{ email: `big${n - 1}@example.org`, topic: 'newsletter', channel: 'email' }]));
    expect(hits[0]).toMatchObject({ subjectId: made.subjects[n - 1].id, consent: { status: 'invited', eventId: made.ids[n - 1] } });
    await store.close();
  });

  describe('mailbox lease', () => {
    let store: Store;
    beforeEach(async () => {
      store = await openStore(config(`lease_${++schemas}`));
    });
    afterEach(() => store?.close());

    test('one holder at a time; released, it can be taken again', async () => {
      const lease = await store.acquireMailboxLease!('INBOX');
      expect(lease).toMatchObject({ mailbox: 'INBOX' });
      expect(await store.acquireMailboxLease!('INBOX', { wait: false })).toBeNull();
      await lease!.release();
      const again = await store.acquireMailboxLease!('INBOX', { wait: false });
      expect(again).not.toBeNull();
      await again!.release();
    });

    test('a waiting acquire ends with null when its signal aborts, and stops waiting in the server', async () => {
      const lease = await store.acquireMailboxLease!('INBOX');
      const abort = new AbortController();
      const waiting = store.acquireMailboxLease!('INBOX', { signal: abort.signal });
      // Aborted while the server keeps it waiting for the lock.
      await waitFor(async () => (await adminQuery("SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))[0].n === 1, { what: 'the second session waiting on the advisory lock' });
      abort.abort();
      expect(await waiting).toBeNull();
      expect((await adminQuery("SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))[0].n).toBe(0);
      await lease!.release();
    });

    test('a waiting acquire gets the mailbox as soon as the holder releases it', async () => {
      const lease = await store.acquireMailboxLease!('INBOX');
      let taken = false;
      const waiting = store.acquireMailboxLease!('INBOX').then((l) => ((taken = true), l));
      await waitFor(async () => (await adminQuery("SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))[0].n === 1, { what: 'the second session waiting on the advisory lock' });
      expect(taken).toBe(false);
      await lease!.release();
      const next = await waiting;
      expect(next).toMatchObject({ mailbox: 'INBOX' });
      await next!.release();
    });

    test('the lease tells when its connection is lost', async () => {
      const lease = await store.acquireMailboxLease!('INBOX');
      await adminQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'n8n-nodes-consent mailbox'");
      await expect(lease!.lost).resolves.toBeInstanceOf(Error);
      // The server let go of it with the connection: another worker may take it.
      const next = await store.acquireMailboxLease!('INBOX', { wait: false });
      expect(next).not.toBeNull();
      await next!.release();
    });
  });
});

