import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { CheckItemSchema, Ledger, RequestItemSchema } from '../../core/ledger';
import { openStore, type StoreConfig } from '../../core/store/open';
import type { Store } from '../../core/store/store';
import { parseInput } from '../../core/validation';
import { fixedClock } from '../../core/clock';
import { SECRET } from '../support/ledger';
import { sharedPostgres, stopSharedPostgres, type PostgresCluster } from '../support/postgres';
import { waitFor } from '../support/wait';

/**
 * Several connections and several processes on one PostgreSQL ledger at once, the way n8n in
 * queue mode and several mailbox workers use it. Each test has a schema (a ledger) of its own.
 */

let cluster: PostgresCluster;
let database: string;
let schemas = 0;
let admin: pg.Client;
const opened: Store[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  cluster = await sharedPostgres();
  database = await cluster.createDatabase();
  admin = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, database });
  await admin.connect();
});
afterEach(async () => {
  children.splice(0).forEach((child) => child.exitCode === null && child.kill('SIGKILL'));
  await Promise.all(opened.splice(0).map((store) => store.close().catch(() => undefined)));
});
afterAll(async () => {
  await admin?.end();
  await stopSharedPostgres();
});

function newLedgerConfig(poolSize = 4): StoreConfig & { kind: 'postgres' } {
  return { kind: 'postgres', host: cluster.host, port: cluster.port, user: cluster.user, database, schema: `race_${++schemas}`, poolSize };
}

async function open(config: StoreConfig): Promise<Store> {
  const store = await openStore(config);
  opened.push(store);
  return store;
}

const item = (raw: Record<string, unknown>) => parseInput(RequestItemSchema, { consentText: 'Ja, houd mij op de hoogte.', ...raw });

/** A real second process (test/store/postgres-child.cjs on the built dist/), read line by line. */
class Child {
  private readonly messages: Record<string, unknown>[] = [];
  private readonly waiting: { step: string; resolve: (m: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  private exited?: string;
  readonly process: ChildProcess;

  constructor(args: string[]) {
    this.process = spawn(process.execPath, [join(__dirname, 'postgres-child.cjs'), ...args], {
      env: { ...process.env, LEDGER_SECRET: SECRET },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(this.process);
    let stderr = '';
    this.process.stderr!.on('data', (d) => (stderr += d));
    createInterface({ input: this.process.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as Record<string, unknown>;
      this.messages.push(message);
      this.settle();
    });
    this.process.on('exit', (code, signal) => {
      this.exited = `child exited (${code ?? signal}) ${stderr.slice(-2000)} ${JSON.stringify(this.messages.filter((m) => m.step === 'error'))}`;
      this.settle();
    });
  }

  private settle() {
    for (const w of [...this.waiting]) {
      const found = this.messages.find((m) => m.step === w.step);
      if (found) w.resolve(found);
      else if (this.exited) w.reject(new Error(`waiting for "${w.step}": ${this.exited}`));
      else continue;
      this.waiting.splice(this.waiting.indexOf(w), 1);
    }
  }

  /** The first message of this step (now or later). */
  step<M = Record<string, unknown>>(step: string): Promise<M> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ step, resolve: resolve as (m: Record<string, unknown>) => void, reject });
      this.settle();
    });
  }

  has(step: string): boolean {
    return this.messages.some((m) => m.step === step);
  }

  send(line: string) {
    this.process.stdin!.write(`${line}\n`);
  }

  kill() {
    return new Promise<void>((resolve) => {
      if (this.process.exitCode !== null || this.process.signalCode !== null) return resolve();
      this.process.once('exit', () => resolve());
      this.process.kill('SIGKILL');
    });
  }
}

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await admin.query(sql, values);
  return Number(rows[0].n);
}


test('50 confirms of one token at once, from 50 connections: exactly one transition and one event', async () => {
  const config = newLedgerConfig();
  const first = new Ledger(await open(config), { secret: SECRET });
  const [signup] = await first.request([item({ email: 'anna@example.org' })], 'signup');

  // 50 ledgers, as 50 n8n workers would hold: each with a pool, all sending at the same moment.
  const ledgers = await Promise.all(Array.from({ length: 50 }, async () => new Ledger(await open({ ...config, poolSize: 1 }), { secret: SECRET })));
  const outcomes = await Promise.allSettled(ledgers.map((l, i) => l.confirm(signup.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' }, ip: `192.0.2.${i + 1}` })));

  const confirmed = outcomes.filter((o) => o.status === 'fulfilled');
  const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  expect(confirmed).toHaveLength(1);
  expect(confirmed[0]).toMatchObject({ value: { outcome: 'confirmed', subjectId: signup.subjectId } });
  expect(rejected.map((r) => (r.reason as { code?: string; problem?: string }).problem)).toEqual(Array(49).fill('used'));

  const exported = await first.export({ email: 'anna@example.org' });
  expect(exported!.events.filter((e) => e.action === 'confirm' && !e.purpose)).toHaveLength(1);
  // and e-marketing held on consent once, with that one confirmation
  expect(exported!.events.filter((e) => e.purpose === 'emarketing')).toMatchObject([{ action: 'confirm', basis: 'consent' }]);
  expect(exported!.consents).toMatchObject([{ status: 'confirmed' }]);
});

test('two processes asking overlapping people at the same moment: no duplicate subjects, no lost events', async () => {
  const config = newLedgerConfig();
  await open(config); // migrated before the children start: they race on the data, not on the schema
  // Both walk the shared people in the same order, batch by batch, so their batches collide.
  const a = new Child(['request', JSON.stringify(config), 'campaign', '0', '2999', '100']);
  const b = new Child(['request', JSON.stringify(config), 'campaign', '0', '4499', '100']);
  await Promise.all([a.step('ready'), b.step('ready')]);
  a.send('go');
  b.send('go');
  type Done = { results: { email: string; subjectId: number; outcome: string; changed: number }[] };
  const [doneA, doneB] = await Promise.all([a.step<Done>('done'), b.step<Done>('done')]);

  const s = `race_${schemas}`;
  // One subject per person, and both processes were given that one.
  expect(await count(`SELECT COUNT(*) AS n FROM ${s}.subjects`)).toBe(4500);
  const subjectOf = new Map(doneA.results.map((r) => [r.email, r.subjectId]));
  const shared = doneB.results.filter((r) => subjectOf.has(r.email));
  expect(shared).toHaveLength(3000);
  for (const r of shared) expect(r.subjectId).toBe(subjectOf.get(r.email));

  // Every change either process reported is an event in the ledger, and nothing more: each person
  // was invited once (the second ask of a shared person is refused as "already invited").
  const changed = [...doneA.results, ...doneB.results].reduce((sum, r) => sum + r.changed, 0);
  expect(changed).toBe(4500);
  expect(await count(`SELECT COUNT(*) AS n FROM ${s}.events WHERE action = 'request'`)).toBe(4500);
  expect(await count(`SELECT COUNT(*) AS n FROM ${s}.consents WHERE status = 'invited'`)).toBe(4500);
  // Each consent row points at its subject's one request event.
  expect(await count(`SELECT COUNT(*) AS n FROM ${s}.consents c JOIN ${s}.events e ON e.id = c.event_id AND e.subject_id = c.subject_id AND e.action = 'request'`)).toBe(4500);
  const outcomes = [...doneA.results, ...doneB.results].map((r) => r.outcome);
  expect(outcomes.filter((o) => o === 'requested')).toHaveLength(4500);
  expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(3000);
});

test('erasure racing a confirm of the same person: erasure wins, no subject row and no evidence left', async () => {
  const config = newLedgerConfig();
  const setup = new Ledger(await open(config), { secret: SECRET });
  const people = Array.from({ length: 12 }, (_, i) => `racer${i}@example.org`);
  const signups = await setup.request(
    people.map((email) => item({ email, name: 'Racer', evidence: { actor: { kind: 'person', name: 'Racer' }, source: { kind: 'webform' }, ip: '203.0.113.9', userAgent: 'UA-racer' } })),
    'signup',
  );
  const confirming = new Ledger(await open(config), { secret: SECRET });
  const erasing = new Ledger(await open(config), { secret: SECRET });

  const races = await Promise.all(
    signups.map(async (signup, i) => {
      // Half the races start the erasure first, half the confirm.
      const confirm = () => confirming.confirm(signup.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' }, ip: '198.51.100.77', userAgent: 'UA-click' });
      const erase = () => erasing.erase({ email: people[i] });
      const [c, e] = i % 2 ? await Promise.allSettled([confirm(), erase()]) : (await Promise.allSettled([erase(), confirm()])).reverse();
      return { c, e };
    }),
  );

  for (const { c, e } of races) {
    expect(e).toMatchObject({ status: 'fulfilled', value: { outcome: 'erased' } });
    // The confirm either came first (and was then erased) or found the link gone.
    if (c.status === 'rejected') expect(c.reason).toMatchObject({ code: 'TOKEN_REJECTED' });
    else expect(c.value.outcome).toBe('confirmed');
  }
  const s = `race_${schemas}`;
  const ids = signups.map((r) => r.subjectId);
  expect(await count(`SELECT COUNT(*) AS n FROM ${s}.subjects WHERE id = ANY($1) OR email = ANY($2)`, [ids, people])).toBe(0);
  expect(await count(`SELECT COUNT(*) AS n FROM ${s}.evidence WHERE subject_id = ANY($1)`, [ids])).toBe(0);
  expect(await count(`SELECT COUNT(*) AS n FROM ${s}.consents WHERE subject_id = ANY($1)`, [ids])).toBe(0);
  expect(await count(`SELECT COUNT(*) AS n FROM ${s}.tokens WHERE subject_id = ANY($1)`, [ids])).toBe(0);
  const checks = await setup.check(people.map((email) => parseInput(CheckItemSchema, { email })));
  expect(checks.map((c) => [c.allowed, c.subjectId])).toEqual(people.map(() => [false, null]));
});

test('mailbox lease: a second worker waits, and takes over when the first is killed', async () => {
  const config = newLedgerConfig();
  const store = await open(config);
  const first = new Child(['lease', JSON.stringify(config), 'INBOX']);
  await first.step('held');
  const second = new Child(['lease', JSON.stringify(config), 'INBOX']);
  await second.step('waiting');
  // The second is queued on the lock in the server, not merely slow.
  await waitFor(async () => (await count("SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) === 1, { what: 'the second worker to wait on the lock' });
  expect(second.has('held')).toBe(false);
  expect(await store.acquireMailboxLease!('INBOX', { wait: false })).toBeNull();

  await first.kill();
  const taken = await second.step<{ pid: number }>('held');
  expect(taken.pid).toBe(second.process.pid);
  // Another mailbox is not held by anyone.
  const other = await store.acquireMailboxLease!('Requests', { wait: false });
  expect(other).not.toBeNull();
  await other!.release();
  expect(await store.acquireMailboxLease!('INBOX', { wait: false })).toBeNull();
  await second.kill();
});

test('two processes opening a new ledger at once end up with one suppression key: an erasure by one is known to the other', async () => {
  for (let round = 0; round < 5; round++) {
    const config = newLedgerConfig(2);
    const [a, b] = await Promise.all([open(config), open(config)]);
    const [ledgerA, ledgerB] = [new Ledger(a, { secret: SECRET }), new Ledger(b, { secret: SECRET })];
    const [first, second] = await Promise.all([ledgerA.verifySecret(), ledgerB.verifySecret()]);
    expect([first.isNewLedger, second.isNewLedger].filter(Boolean)).toHaveLength(1);
    await ledgerA.erase({ email: `erased-${round}@example.nl` });
    const [check] = await ledgerB.check([parseInput(CheckItemSchema, { email: `erased-${round}@example.nl` })]);
    expect([round, check.reason]).toEqual([round, 'suppressed']);
  }
});

describe('the morning run (reminders) racing a confirmation and a second run', () => {
  // The rows a run finds are read before it locks the people; the window is made here by holding
  // the people's row locks from another connection until the runs wait for them.
  const day0 = new Date('2026-03-02T08:00:00Z');
  const day8 = fixedClock(new Date(day0.getTime() + 8 * 86_400_000));

  async function invite(config: StoreConfig, emails: string[]): Promise<Ledger> {
    const ledger = new Ledger(await open(config), { secret: SECRET }, fixedClock(day0));
    await ledger.request(emails.map((email) => item({ email })), 'campaign');
    return ledger;
  }

  /** Holds every subject's row lock in a transaction of its own; resolves with a release function once the runs wait on it. */
  async function holdPeople(schema: string | undefined, waiters: number, whileHeld: (c: pg.Client) => Promise<void> = async () => undefined) {
    const client = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, database });
    await client.connect();
    await client.query('BEGIN');
    await client.query(`SELECT id FROM ${schema}.subjects ORDER BY id FOR NO KEY UPDATE`);
    return {
      client,
      afterWaiting: async () => {
        await waitFor(async () => (await count("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) >= waiters, {
          what: 'the runs to wait on the people',
        });
        await whileHeld(client);
        await client.query('COMMIT');
        await client.end();
      },
    };
  }

  test('two runs at once: each invitation reminded once, one reminder each', async () => {
    const config = newLedgerConfig();
    const people = Array.from({ length: 20 }, (_, i) => `twice-${i}@example.nl`);
    await invite(config, people);
    const [a, b] = await Promise.all([open(config), open(config)]).then((stores) => stores.map((s) => new Ledger(s, { secret: SECRET }, day8)));
    const hold = await holdPeople(config.schema, 2);

    const [first, second] = await Promise.all([a.remind({ afterDays: 7, maxReminders: 2 }), b.remind({ afterDays: 7, maxReminders: 2 }), hold.afterWaiting()]);

    expect(first.length + second.length).toBe(people.length);
    expect(await count(`SELECT COUNT(*) AS n FROM ${config.schema}.events WHERE action = 'remind'`)).toBe(people.length);
    expect(await count(`SELECT COUNT(*) AS n FROM ${config.schema}.consents WHERE reminders = 1`)).toBe(people.length);
  });

  test('a confirmation committed while the run waits: that person is not reminded and stays confirmed', async () => {
    const config = newLedgerConfig();
    await invite(config, ['quick@example.nl', 'slow@example.nl']);
    const run = new Ledger(await open(config), { secret: SECRET }, day8);
    // What a confirmation writes, committed after the run found its rows and before it locked them.
    const hold = await holdPeople(config.schema, 1, async (client) => {
      await client.query(
        `UPDATE ${config.schema}.consents SET status = 'confirmed' FROM ${config.schema}.subjects s WHERE s.id = subject_id AND s.email = 'quick@example.nl'`,
      );
    });

    const [reminded] = await Promise.all([run.remind({ afterDays: 7, maxReminders: 2 }), hold.afterWaiting()]);

    expect(reminded.map((r) => r.email)).toEqual(['slow@example.nl']);
    const { rows } = await admin.query(`SELECT s.email, c.status FROM ${config.schema}.consents c JOIN ${config.schema}.subjects s ON s.id = c.subject_id ORDER BY s.email`);
    expect(rows).toEqual([
      { email: 'quick@example.nl', status: 'confirmed' },
      { email: 'slow@example.nl', status: 'reminded' },
    ]);
  });
});

describe('the event feed (the consent service, REST hooks) in commit order', () => {
  // An event's id is taken when it is written, not when its transaction commits: a reader that
  // saw a later id committed first, then moved its cursor past an earlier one still open, would
  // never be shown that earlier event. The feed holds back what could still be overtaken.
  // The slow confirmation's transaction is let go after each test, also one that failed half way.
  const stillOpen: (() => void)[] = [];
  afterEach(() => stillOpen.splice(0).forEach((commit) => commit()));

  async function twoSignups(config: StoreConfig) {
    const [one, two] = await Promise.all([open(config), open(config)]).then((stores) => stores.map((s) => new Ledger(s, { secret: SECRET })));
    const [slow, quick] = await one.request([item({ email: 'slow@example.nl' }), item({ email: 'quick@example.nl' })], 'signup');
    return { one, two, slowToken: slow.confirmToken!, quickToken: quick.confirmToken! };
  }

  /** A confirmation whose event is written and whose transaction stays open until commit(). */
  async function confirmHeldOpen(ledger: Ledger, token: string) {
    let written!: () => void;
    let release!: () => void;
    const writtenNow = new Promise<void>((resolve) => (written = resolve));
    const mayCommit = new Promise<void>((resolve) => (release = resolve));
    stillOpen.push(release);
    const done = ledger.atomically(async () => {
      await ledger.confirm(token, {});
      written();
      await mayCommit;
    });
    await writtenNow;
    return {
      commit: async () => {
        release();
        await done;
      },
    };
  }

  test('a confirmation committed after a later one: a poller sees both, each once, the earlier first', async () => {
    const config = newLedgerConfig();
    const { one, two, slowToken, quickToken } = await twoSignups(config);
    const poller = new Ledger(await open(config), { secret: SECRET });
    const start = await poller.listFeed({});
    expect(start.events).toEqual([]);

    // The slow confirmation writes its event (the lower id) and stays open while the quick one commits.
    const slow = await confirmHeldOpen(one, slowToken);
    await two.confirm(quickToken, {});
    expect(await count(`SELECT COUNT(*) AS n FROM ${config.schema}.events WHERE to_status = 'confirmed'`)).toBe(1); // the quick one, committed

    const during = await poller.listFeed({ after: start.next ?? undefined });
    expect(during.events).toEqual([]); // held back while the slow one may still commit before it

    await slow.commit();
    const after = await poller.listFeed({ after: during.next ?? undefined });
    expect(after.events.map((e) => [e.type, e.email])).toEqual([
      ['confirmed', 'slow@example.nl'],
      ['confirmed', 'quick@example.nl'],
    ]);
    expect(Number(after.events[0].id)).toBeLessThan(Number(after.events[1].id));
    expect((await poller.listFeed({ after: after.next ?? undefined })).events).toEqual([]);
    // Newest first gives the same two the other way round, and paging by one loses none.
    expect((await poller.listFeed({ order: 'desc' })).events.map((e) => e.email)).toEqual(['quick@example.nl', 'slow@example.nl']);
    const firstPage = await poller.listFeed({ limit: 1 });
    const secondPage = await poller.listFeed({ limit: 1, after: firstPage.next ?? undefined });
    expect([...firstPage.events, ...secondPage.events].map((e) => e.email)).toEqual(['slow@example.nl', 'quick@example.nl']);
  });

  test('a hook made while a confirmation is open, after a later one committed, still gets it (it starts at the last settled event)', async () => {
    const config = newLedgerConfig();
    const { one, two, slowToken, quickToken } = await twoSignups(config);
    const slow = await confirmHeldOpen(one, slowToken);
    await two.confirm(quickToken, {});
    const hook = await two.createHook({ url: 'https://receiver.example.nl/hook', types: ['confirmed'] }, null);
    await slow.commit();
    const [stored] = (await two.listHooks()).filter((h) => h.id === hook.id);
    const page = await two.listFeed({ after: stored.position, types: 'confirmed' });
    // The quick one committed before the hook was made, but after an event that was still open: the hook gets both.
    expect(page.events.map((e) => e.email)).toEqual(['slow@example.nl', 'quick@example.nl']);
  });
});
