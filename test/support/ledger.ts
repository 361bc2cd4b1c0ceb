import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger, type LedgerSettings } from '../../core/ledger';
import { openStore } from '../../core/store/open';
import { sharedPostgres, stopSharedPostgres, type PostgresCluster } from './postgres';

export const SECRET = 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A clock the test moves by hand: time passes only when the test says so. It also writes its
 * instant to a file and names that file in CONSENT_CLOCK_FILE, the clock every other part reads
 * (the nodes inside n8n's engine, the CLI and the worker it starts), so a node, a CLI call and the
 * test's own ledger agree on "now" whatever today's date is.
 */
export class TestClock {
  readonly file: string;
  private instant: Date;

  constructor(at = new Date('2026-11-23T10:00:00Z')) {
    this.file = join(mkdtempSync(join(tmpdir(), 'consent-clock-')), 'now.txt');
    this.instant = at;
    this.write();
    process.env.CONSENT_CLOCK_FILE = this.file;
  }

  get at(): Date {
    return this.instant;
  }

  set at(at: Date) {
    this.instant = at;
    this.write();
  }

  readonly now = () => new Date(this.instant.getTime());

  advanceDays(days: number) {
    this.at = new Date(this.instant.getTime() + days * 86_400_000);
  }

  advanceMinutes(minutes: number) {
    this.at = new Date(this.instant.getTime() + minutes * 60_000);
  }

  private write() {
    writeFileSync(this.file, this.instant.toISOString());
  }
}

/** A ledger on a fresh SQLite file in a temp folder. */
export async function tempLedger(settings: Partial<LedgerSettings> = {}, clock = new TestClock()) {
  const dir = mkdtempSync(join(tmpdir(), 'consent-ledger-'));
  const path = join(dir, 'ledger.sqlite');
  const store = await openStore({ kind: 'sqlite', path });
  const ledger = new Ledger(store, { secret: SECRET, ...settings }, clock.now);
  return {
    ledger,
    clock,
    dir,
    path,
    async reopen(more: Partial<LedgerSettings> = {}) {
      return new Ledger(await openStore({ kind: 'sqlite', path }), { secret: SECRET, ...settings, ...more }, clock.now);
    },
    async dispose() {
      await ledger.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface DialectLedger {
  ledger: Ledger;
  clock: TestClock;
  dispose: () => Promise<void>;
}

/**
 * Both ledger dialects for `describe.each`: `[name, open]` pairs, where `open(clock?)` gives a fresh
 * ledger on a temp SQLite file, or in a schema of its own (`<prefix>_<n>`) on a fresh database of the
 * file's shared private PostgreSQL cluster (started on first use, stopped after the file's tests).
 */
export function ledgerDialects(prefix: string, settings: Partial<LedgerSettings> = {}): [string, (clock?: TestClock) => Promise<DialectLedger>][] {
  let cluster: PostgresCluster | undefined;
  let schemas = 0;
  afterAll(async () => {
    if (cluster) await stopSharedPostgres();
  });
  return [
    ['sqlite', async (clock = new TestClock()) => tempLedger(settings, clock)],
    [
      'postgres',
      async (clock = new TestClock()) => {
        cluster ??= await sharedPostgres();
        const database = await cluster.createDatabase();
        const store = await openStore({ kind: 'postgres', host: cluster.host, port: cluster.port, user: cluster.user, database, schema: `${prefix}_${++schemas}` });
        const ledger = new Ledger(store, { secret: SECRET, ...settings }, clock.now);
        return { ledger, clock, dispose: () => ledger.close() };
      },
    ],
  ];
}
