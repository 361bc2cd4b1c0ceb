import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ImportRowSchema, Ledger } from '../../core/ledger';
import { openStore } from '../../core/store/open';
import { POSTGRES_MIGRATIONS } from '../../core/store/postgres/migrations';
import { migrationSql } from '../../core/store/postgres/sql';
import { SqliteStore } from '../../core/store/sqlite/sqlite-store';
import type { Store } from '../../core/store/store';
import { parseInput } from '../../core/validation';
import { sharedPostgres, stopSharedPostgres, type PostgresCluster } from '../support/postgres';
import { SECRET, TestClock } from '../support/ledger';

/**
 * A ledger from before purposes (issue 16), opened by this release: the people who have topics
 * get 'emarketing' on the strongest basis their contactable topics hold, and nothing else is
 * invented (no sales_and_service, nothing for a person without topics). Both dialects.
 */
const dirs: string[] = [];
let cluster: PostgresCluster | undefined;
afterAll(async () => {
  dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  if (cluster) await stopSharedPostgres();
});

/** As an older release filled it: Anna confirmed, Tom mailed before, Kim wants no mailings, Lea has no consent. */
async function fillAsBefore(store: Store, clock: TestClock) {
  const ledger = new Ledger(store, { secret: SECRET }, clock.now);
  const rows = [
    { email: 'anna@example.nl', status: 'confirmed', consentText: 'Anna said yes.' },
    { email: 'anna@example.nl', topic: 'events', status: 'subscribed', basis: 'legitimate_interest' },
    { email: 'tom@example.nl', previouslyMailed: true },
    { email: 'kim@example.nl', noMailings: true },
    { email: 'lea@example.nl' },
  ];
  await ledger.importContacts(rows.map((r, i) => ({ row: i + 2, data: parseInput(ImportRowSchema, r) })), { actor: { kind: 'operator' }, source: { kind: 'import' } });
  return ledger;
}

async function purposesAfter(ledger: Ledger) {
  const out: Record<string, [string, string, string][]> = {};
  for (const email of ['anna@example.nl', 'tom@example.nl', 'kim@example.nl', 'lea@example.nl']) {
    const rows = await ledger.store.transaction(async (tx) => {
      const [s] = await tx.findSubjects({ emails: [email] });
      return tx.getPurposes([s.id]);
    });
    out[email] = rows.map((r) => [r.purpose, r.state, r.basis]);
  }
  return out;
}

const EXPECTED = {
  'anna@example.nl': [['emarketing', 'active', 'consent']],
  'tom@example.nl': [['emarketing', 'active', 'legitimate_interest']],
  'kim@example.nl': [['emarketing', 'active', 'none']],
  'lea@example.nl': [],
};

test('SQLite: a version-6 ledger gets emarketing for the people with topics, and nothing invented', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'consent-purposes-'));
  dirs.push(dir);
  const path = join(dir, 'ledger.sqlite');
  const clock = new TestClock();
  const old = await fillAsBefore(await SqliteStore.open({ path, migrateTo: 6 }), clock);
  await old.close();
  const ledger = new Ledger(await openStore({ kind: 'sqlite', path }), { secret: SECRET }, clock.now);
  expect(await purposesAfter(ledger)).toEqual(EXPECTED);
  const anna = (await ledger.export({ email: 'anna@example.nl' }))!;
  expect(anna.events.filter((e) => e.purpose)).toEqual([
    expect.objectContaining({ action: 'migrate', purpose: 'emarketing', fromStatus: 'none', toStatus: 'active', basis: 'consent', actorKind: 'system', sourceKind: 'migration' }),
  ]);
  await ledger.close();
});

test('PostgreSQL: migration 6 on a ledger from before it gives emarketing for the people with topics, and nothing invented', async () => {
  cluster = await sharedPostgres();
  const database = await cluster.createDatabase();
  const config = { kind: 'postgres', host: cluster.host, port: cluster.port, user: cluster.user, database, schema: 'before_purposes' } as const;
  const clock = new TestClock();
  const old = await fillAsBefore(await openStore(config), clock);
  await old.close();
  // Back to how schema 5 left its data (no purposes, no events.purpose), then migration 6's own SQL
  // on it (later migrations touch other tables and stay as they are).
  const client = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, database });
  await client.connect();
  try {
    await client.query(`DELETE FROM before_purposes.events WHERE purpose IS NOT NULL;
      DROP TABLE before_purposes.purposes; ALTER TABLE before_purposes.events DROP COLUMN purpose`);
    await client.query(migrationSql('before_purposes').migration(POSTGRES_MIGRATIONS.find((m) => m.version === 6)!.sql));
  } finally {
    await client.end();
  }
  const ledger = new Ledger(await openStore(config), { secret: SECRET }, clock.now);
  expect(await purposesAfter(ledger)).toEqual(EXPECTED);
  await ledger.close();
});
