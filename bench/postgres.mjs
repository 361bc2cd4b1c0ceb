// PostgreSQL ledger benchmarks: each figure is a ratio against a baseline measured in the same run
// on the same private PostgreSQL server, so the machine's speed cancels out.
//   node bench/postgres.mjs          (after `npm run build`; Node 24; PostgreSQL server binaries)
// Prints (stdout, exactly): BENCH pg_request_bulk_ratio, pg_check_batch_ratio, pg_workers_scaling.
// Details go to stderr. The server is started by test/support/postgres.ts (Node strips its types),
// with PostgreSQL's default durability (fsync, synchronous commit): what a real ledger runs with;
// WAL is sized so that no checkpoint starts in the middle of a timed part (each starts after one).
// Each timed part runs ROUNDS times, alternating baseline and ledger; the fastest of each counts
// (the least disturbed by whatever else the machine is doing).
//   BENCH_PG_SETTINGS='{"log_min_duration_statement":"0"}' adds server settings, and
//   BENCH_PG_LOG=<file> keeps the server's log there, BENCH_PG_ONLY=request,check,workers runs
//   only those parts: for profiling.
import { spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

process.removeAllListeners('warning');
const require = createRequire(import.meta.url);
const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, '..', 'dist', 'core');
if (!existsSync(join(dist, 'store', 'postgres', 'postgres-store.js'))) {
  console.error('dist/ is missing or old: run `npx tsup` (or `npm run build`) first.');
  process.exit(2);
}
const pg = require('pg');
const { Ledger, RequestItemSchema, CheckItemSchema } = require(join(dist, 'ledger'));
const { openStore } = require(join(dist, 'store', 'open.js'));
const { parseInput } = require(join(dist, 'validation.js'));

const SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const TEXT = 'Ja, ik wil de nieuwsbrief ontvangen. Afmelden kan altijd via de link in elke mail.';
// BENCH_SMALL=1: a smoke run (.ci/run) that takes seconds and still prints every BENCH line.
const SMALL = process.env.BENCH_SMALL === '1';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? (SMALL ? 500 : 100_000));
const SUBJECTS = Number(process.env.BENCH_PG_SUBJECTS ?? (SMALL ? 2_000 : 1_000_000));
const CHECKS = Number(process.env.BENCH_PG_CHECKS ?? (SMALL ? 200 : 20_000));
const WRITER_OPS = Number(process.env.BENCH_PG_WRITER_OPS ?? (SMALL ? 20 : 300));
const ROUNDS = Number(process.env.BENCH_PG_ROUNDS ?? (SMALL ? 1 : 3));
const CHUNK = 2000;

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const note = (line) => process.stderr.write(`# ${line}\n`);

// ------------------------------------------------------------------ a writer process
// `node bench/postgres.mjs writer '<store config>' <prefix> <ops>`: webform signups and their
// confirm clicks, one at a time, as one n8n worker handles them. Waits for "go" on stdin.
if (process.argv[2] === 'writer') {
  const [, , , configJson, prefix, ops] = process.argv;
  const ledger = new Ledger(await openStore(JSON.parse(configJson)), { secret: SECRET });
  const items = Array.from({ length: Number(ops) }, (_, i) => parseInput(RequestItemSchema, { email: `${prefix}-${i}@example.com`, consentText: TEXT }));
  await ledger.verifySecret(); // the suppression key is read once, before the clock starts
  process.stdout.write('ready\n');
  await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
  for (const item of items) {
    const [r] = await ledger.request([item], 'signup');
    const confirmed = await ledger.confirm(r.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' }, ip: '192.0.2.1' });
    if (confirmed.outcome !== 'confirmed') throw new Error(`not confirmed: ${JSON.stringify(confirmed)}`);
  }
  await ledger.close();
  process.stdout.write('done\n', () => process.exit(0));
} else {
  await main();
}

async function main() {
  const { startPostgres } = await import('../test/support/postgres.ts');
  const cluster = await startPostgres({
    settings: { max_wal_size: '8GB', checkpoint_timeout: '1h', ...JSON.parse(process.env.BENCH_PG_SETTINGS ?? '{}') },
  });
  try {
    const database = await cluster.createDatabase('bench');
    const config = (schema, poolSize = 4) => ({ kind: 'postgres', host: cluster.host, port: cluster.port, user: cluster.user, database, schema, poolSize });
    const connect = async () => {
      const client = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, database });
      await client.connect();
      return client;
    };
    /** An empty ledger schema, made by the dialect's own migrations, for a baseline to write into. */
    const emptySchema = async (schema) => (await openStore(config(schema))).close();

    const only = (process.env.BENCH_PG_ONLY ?? 'request,check,workers').split(',');
    if (only.includes('request')) {
      const request = await benchRequest(config, connect, emptySchema);
      console.log(`BENCH pg_request_bulk_ratio ${request.ratio.toFixed(2)} ratio`);
      note(`pg_request_bulk: goal >= 0.3; raw pg ${request.baselineSeconds.toFixed(2)} s, ledger ${request.ledgerSeconds.toFixed(2)} s, ${REQUESTS} campaign items`);
    }
    if (only.includes('check')) {
      const check = await benchCheck(config, connect);
      console.log(`BENCH pg_check_batch_ratio ${check.ratio.toFixed(2)} ratio`);
      note(`pg_check_batch: goal >= 0.3; raw point lookups ${check.baselineSeconds.toFixed(2)} s, ledger batch ${check.ledgerSeconds.toFixed(2)} s, ${CHECKS} checks on ${SUBJECTS} subjects`);
    }
    if (only.includes('workers')) {
      const scaling = await benchWorkers(config);
      console.log(`BENCH pg_workers_scaling ${scaling.ratio.toFixed(2)} ratio`);
      note(`pg_workers_scaling: goal >= 1.5; 1 writer ${scaling.one.toFixed(0)} ops/s, 4 writers ${scaling.four.toFixed(0)} ops/s (op = signup + confirm)`);
    }
  } finally {
    if (process.env.BENCH_PG_LOG) copyFileSync(join(cluster.dataDir, '..', 'server.log'), process.env.BENCH_PG_LOG);
    await cluster.stop();
  }
}

// ------------------------------------------------------------------ pg_request_bulk
async function benchRequest(config, connect, emptySchema) {
  // Warm both paths up (connections, statement plans, V8) on a throwaway schema.
  await runLedgerRequests(config('warm_ledger'), 2 * CHUNK);
  await emptySchema('warm_raw');
  await runRawRequests(connect, 'warm_raw', 2 * CHUNK);

  // Baseline: the rows one campaign request writes (subject, event, consent, token, and the
  // consent text once) with plain pg, set-wise in chunks of 2000, one HMAC per token, in one
  // transaction: the least it can cost to put these rows into these tables.
  let baseline = Infinity;
  let ours = Infinity;
  for (let round = 1; round <= ROUNDS; round++) {
    await emptySchema(`raw_${round}`);
    await checkpoint(connect);
    baseline = Math.min(baseline, await runRawRequests(connect, `raw_${round}`, REQUESTS));
    await checkpoint(connect);
    ours = Math.min(ours, await runLedgerRequests(config(`ledger_${round}`), REQUESTS));
  }
  return { ratio: baseline / ours, baselineSeconds: baseline, ledgerSeconds: ours };
}

async function checkpoint(connect) {
  const client = await connect();
  await client.query('CHECKPOINT');
  await client.end();
}

async function runRawRequests(connect, schema, n) {
  const client = await connect();
  const key = randomBytes(32);
  const textHash = createHash('sha256').update(TEXT).digest('hex');
  const start = process.hrtime.bigint();
  const at = new Date().toISOString();
  const expires = new Date(Date.now() + 730 * 86_400_000).toISOString();
  await client.query('BEGIN');
  await client.query(`INSERT INTO ${schema}.consent_texts (hash, text) VALUES ($1, $2)`, [textHash, TEXT]);
  for (let from = 0; from < n; from += CHUNK) {
    const count = Math.min(CHUNK, n - from);
    const emails = Array.from({ length: count }, (_, i) => `person${from + i}@example.com`);
    const subjects = (await client.query(`INSERT INTO ${schema}.subjects (email, created_at) SELECT e, $2 FROM unnest($1::text[]) AS e RETURNING id`, [emails, at])).rows.map((r) => r.id);
    const events = (
      await client.query(
        `INSERT INTO ${schema}.events (subject_id, topic, channel, action, from_status, to_status, basis, at, recorded_at, actor_kind, source_kind, consent_text_hash)
         SELECT s, 'newsletter', 'email', 'request', 'none', 'invited', 'none', $2, $2, 'system', 'api', $3 FROM unnest($1::bigint[]) AS s RETURNING id`,
        [subjects, at, textHash],
      )
    ).rows.map((r) => r.id);
    await client.query(
      `INSERT INTO ${schema}.consents (subject_id, topic, channel, status, basis, since, invited_at, last_sent_at, reminders, event_id, consent_text_hash, ev_who, ev_source, ev_at, ev_optin_id)
       SELECT s, 'newsletter', 'email', 'invited', 'none', $3, $3, $3, 0, e, $4, 'system', 'api', $3, 'ledger-event-' || e FROM unnest($1::bigint[], $2::bigint[]) AS u(s, e)`,
      [subjects, events, at, textHash],
    );
    const hashes = emails.map((_, i) => createHmac('sha256', key).update(`c1.${from + i}`).digest());
    await client.query(
      `INSERT INTO ${schema}.tokens (hash, purpose, subject_id, channel, topics, consent_text_hash, created_at, expires_at)
       SELECT h, 'confirm', s, 'email', '{newsletter}', $3, $4, $5 FROM unnest($1::bytea[], $2::bigint[]) AS u(h, s)`,
      [hashes, subjects, textHash, at, expires],
    );
  }
  await client.query('COMMIT');
  const elapsed = seconds(start);
  await client.end();
  return elapsed;
}

async function runLedgerRequests(storeConfig, n) {
  const ledger = new Ledger(await openStore(storeConfig), { secret: SECRET });
  await ledger.verifySecret();
  const start = process.hrtime.bigint();
  // As the nodes and the CLI do: each item parsed with the ledger's schema, then one batch.
  const items = [];
  for (let i = 0; i < n; i++) items.push(parseInput(RequestItemSchema, { email: `person${i}@example.com`, consentText: TEXT }));
  const results = await ledger.request(items, 'campaign');
  const elapsed = seconds(start);
  if (results.filter((r) => r.outcome === 'requested').length !== n) throw new Error('not every request was made');
  await ledger.close();
  return elapsed;
}

// ------------------------------------------------------------------ pg_check_batch
async function benchCheck(config, connect) {
  await openStore(config('checks')).then((s) => s.close());
  const client = await connect();
  // A ledger of SUBJECTS people, written server-side straight into the ledger's tables (set-up).
  const at = '2026-01-01T00:00:00+00';
  await client.query('BEGIN');
  await client.query(`INSERT INTO checks.subjects (id, email, created_at) SELECT i, 'person' || i || '@example.com', $1 FROM generate_series(1, $2::int) i`, [at, SUBJECTS]);
  await client.query(
    `INSERT INTO checks.events (id, subject_id, topic, channel, action, from_status, to_status, basis, at, recorded_at, actor_kind, source_kind, source_ref)
     SELECT i, i, 'newsletter', 'email', 'import', 'none', CASE WHEN i % 3 = 0 THEN 'unsubscribed' ELSE 'subscribed' END,
            CASE WHEN i % 3 = 0 THEN 'none' ELSE 'legitimate_interest' END, $1, $1, 'operator', 'import', 'crm.csv'
     FROM generate_series(1, $2::int) i`,
    [at, SUBJECTS],
  );
  await client.query(
    `INSERT INTO checks.consents (subject_id, topic, channel, status, basis, since, reminders, event_id, ev_who, ev_source, ev_at, ev_optin_id)
     SELECT i, 'newsletter', 'email', CASE WHEN i % 3 = 0 THEN 'unsubscribed' ELSE 'subscribed' END,
            CASE WHEN i % 3 = 0 THEN 'none' ELSE 'legitimate_interest' END, $1, 0, i, 'operator', 'crm.csv', $1, 'ledger-event-' || i
     FROM generate_series(1, $2::int) i`,
    [at, SUBJECTS],
  );
  // Every topic sits under the e-marketing purpose, which check also asks (as a migrated ledger has
  // it: on the topic's basis, none for the unsubscribed), with its event.
  await client.query(
    `INSERT INTO checks.events (id, subject_id, action, from_status, to_status, basis, at, recorded_at, actor_kind, source_kind, source_ref, purpose)
     SELECT $2::int + i, i, 'import', 'none', 'active', CASE WHEN i % 3 = 0 THEN 'none' ELSE 'legitimate_interest' END, $1, $1, 'operator', 'import', 'crm.csv', 'emarketing'
     FROM generate_series(1, $2::int) i`,
    [at, SUBJECTS],
  );
  await client.query(
    `INSERT INTO checks.purposes (subject_id, purpose, state, basis, since, event_id, ev_who, ev_source, ev_at)
     SELECT i, 'emarketing', 'active', CASE WHEN i % 3 = 0 THEN 'none' ELSE 'legitimate_interest' END, $1, $2::int + i, 'operator', 'crm.csv', $1
     FROM generate_series(1, $2::int) i`,
    [at, SUBJECTS],
  );
  await client.query(`SELECT setval('checks.subjects_id_seq', $1::bigint), setval('checks.events_id_seq', 2 * $1::bigint)`, [SUBJECTS]);
  await client.query('COMMIT');
  await client.query('VACUUM ANALYZE checks.subjects, checks.consents, checks.events, checks.purposes');
  const emails = Array.from({ length: CHECKS }, (_, i) => `person${1 + ((i * 7919) % (SUBJECTS + SUBJECTS / 10))}@example.com`); // ~9% unknown

  // Baseline: one raw point lookup per check (a prepared statement), answering the topic's status
  // and basis and its purpose's state and basis.
  const lookup = {
    name: 'point-check',
    text: "SELECT c.status, c.basis, p.state AS pstate, p.basis AS pbasis FROM checks.subjects s JOIN checks.consents c ON c.subject_id = s.id AND c.topic = 'newsletter' AND c.channel = 'email' LEFT JOIN checks.purposes p ON p.subject_id = s.id AND p.purpose = 'emarketing' WHERE s.email = $1",
  };
  const ALLOWING = new Set(['consent', 'contract', 'legitimate_interest']);
  const ledger = new Ledger(await openStore(config('checks')), { secret: SECRET });
  for (const email of emails.slice(0, 500)) await client.query({ ...lookup, values: [email] }); // warm
  await ledger.check(emails.slice(0, 500).map((email) => parseInput(CheckItemSchema, { email })));
  let baseline = Infinity;
  let ours = Infinity;
  for (let round = 1; round <= ROUNDS; round++) {
    let start = process.hrtime.bigint();
    let allowedRaw = 0;
    for (const email of emails) {
      const { rows } = await client.query({ ...lookup, values: [email] });
      if (rows[0]?.status === 'subscribed' && rows[0].pstate === 'active' && ALLOWING.has(rows[0].pbasis)) allowedRaw++;
    }
    baseline = Math.min(baseline, seconds(start));

    start = process.hrtime.bigint();
    const items = emails.map((email) => parseInput(CheckItemSchema, { email }));
    const results = await ledger.check(items);
    ours = Math.min(ours, seconds(start));
    const allowed = results.filter((r) => r.allowed).length;
    if (allowed !== allowedRaw) throw new Error(`check disagrees with the baseline: ${allowed} vs ${allowedRaw}`);
  }
  await client.end();
  await ledger.close();
  return { ratio: baseline / ours, baselineSeconds: baseline, ledgerSeconds: ours };
}

// ------------------------------------------------------------------ pg_workers_scaling
async function benchWorkers(config) {
  const storeConfig = config('workers', 2);
  await openStore(storeConfig).then((s) => s.close());
  let round = 0;
  const throughput = async (writers) => {
    round++;
    const children = Array.from({ length: writers }, (_, w) => startWriter(storeConfig, `r${round}w${w}`, WRITER_OPS));
    await Promise.all(children.map((c) => c.ready));
    const start = process.hrtime.bigint();
    children.forEach((c) => c.go());
    await Promise.all(children.map((c) => c.done));
    return (writers * WRITER_OPS) / seconds(start);
  };
  await throughput(1); // warm-up: the server's caches and the table's first pages
  let one = 0;
  let four = 0;
  for (let r = 1; r <= ROUNDS; r++) {
    one = Math.max(one, await throughput(1));
    four = Math.max(four, await throughput(4));
  }
  return { ratio: four / one, one, four };
}

function startWriter(storeConfig, prefix, ops) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'writer', JSON.stringify(storeConfig), prefix, String(ops)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waitFor = (word) =>
    new Promise((resolve, reject) => {
      lines.on('line', (line) => line === word && resolve());
      child.once('exit', (code) => reject(new Error(`writer ${prefix} exited (${code}) before "${word}"`)));
    });
  const ready = waitFor('ready');
  const done = waitFor('done');
  done.catch(() => undefined);
  return { ready, done, go: () => child.stdin.write('go\n') };
}
