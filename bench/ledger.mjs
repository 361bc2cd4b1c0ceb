// Ledger benchmarks: each figure is a ratio against a raw node:sqlite / node:crypto baseline that
// does the same rows in the same run, so the machine's speed cancels out.
//   node bench/ledger.mjs            (after `npm run build`; Node 24)
// Prints: BENCH request_bulk_ratio, check_batch_ratio, forged_reject_ratio, request_bulk_rss_mb.
import { spawnSync } from 'node:child_process';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.removeAllListeners('warning');
const require = createRequire(import.meta.url);
const dist = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist', 'core');
const { DatabaseSync } = require('node:sqlite');
const { Ledger, RequestItemSchema, CheckItemSchema } = require(join(dist, 'ledger'));
const { openStore } = require(join(dist, 'store', 'open.js'));
const { parseInput } = require(join(dist, 'validation.js'));

const SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const TEXT = 'Ja, ik wil de nieuwsbrief ontvangen. Afmelden kan altijd via de link in elke mail.';
// BENCH_SMALL=1: a smoke run (.ci/run) that takes seconds and still prints every BENCH line.
const SMALL = process.env.BENCH_SMALL === '1';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? (SMALL ? 500 : 100_000));
const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? (SMALL ? 2_000 : 1_000_000));
const CHECKS = Number(process.env.BENCH_CHECKS ?? (SMALL ? 500 : 100_000));
const FORGED = Number(process.env.BENCH_FORGED ?? (SMALL ? 1_000 : 200_000));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SMALL ? 1 : 5));

const tempDir = () => mkdtempSync(join(tmpdir(), 'consent-bench-'));
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const PRAGMAS = ['PRAGMA journal_mode = WAL', 'PRAGMA synchronous = FULL', 'PRAGMA secure_delete = ON'];

/** The ledger's own schema, for baselines that write the very same tables with plain SQL. */
async function emptyLedgerFile(dir) {
  const path = join(dir, 'ledger.sqlite');
  const store = await openStore({ kind: 'sqlite', path });
  await store.close();
  const db = new DatabaseSync(path);
  PRAGMAS.forEach((p) => db.exec(p));
  return { path, db };
}

// ------------------------------------------------------------------ request_bulk
async function requestBaseline() {
  // The same four rows per request (subject, consent, event, token) plus one HMAC, as prepared
  // inserts in one transaction.
  const base = await emptyLedgerFile(tempDir());
  const key = randomBytes(32);
  const ins = {
    subject: base.db.prepare('INSERT INTO subjects (email, created_at) VALUES (?, ?)'),
    consent: base.db.prepare("INSERT INTO consents (subject_id, topic, channel, status, basis, since, invited_at, last_sent_at, reminders, event_id, consent_text_hash, ev_who, ev_source, ev_at, ev_optin_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'system', 'api', ?, ?)"),
    event: base.db.prepare("INSERT INTO events (subject_id, topic, channel, action, from_status, to_status, basis, at, recorded_at, actor_kind, source_kind, consent_text_hash) VALUES (?, 'newsletter', 'email', 'request', 'none', 'invited', 'none', ?, ?, 'system', 'api', ?)"),
    token: base.db.prepare("INSERT INTO tokens (hash, purpose, subject_id, channel, topics, created_at, expires_at) VALUES (?, ?, ?, 'email', '[\"newsletter\"]', ?, ?)"),
  };
  const textHash = createHash('sha256').update(TEXT).digest('hex');
  const start = process.hrtime.bigint();
  const at = new Date().toISOString();
  base.db.exec('BEGIN IMMEDIATE');
  for (let i = 0; i < REQUESTS; i++) {
    const id = Number(ins.subject.run(`person${i}@example.com`, at).lastInsertRowid);
    const eventId = Number(ins.event.run(id, at, at, textHash).lastInsertRowid);
    ins.consent.run(id, 'newsletter', 'email', 'invited', 'none', at, at, at, eventId, textHash, at, `ledger-event-${eventId}`);
    const mac = createHmac('sha256', key).update(`c1.${i}`).digest();
    ins.token.run(mac, 'confirm', id, at, at);
  }
  base.db.exec('COMMIT');
  const seconds_ = seconds(start);
  base.db.close();
  return seconds_;
}

async function requestLedger() {
  // Each item parsed with the same schema the nodes and CLI use, then one batch.
  const dir = tempDir();
  const ledger = new Ledger(await openStore({ kind: 'sqlite', path: join(dir, 'ledger.sqlite') }), { secret: SECRET });
  const start = process.hrtime.bigint();
  const items = [];
  for (let i = 0; i < REQUESTS; i++) items.push(parseInput(RequestItemSchema, { email: `person${i}@example.com`, consentText: TEXT }));
  const results = await ledger.request(items, 'campaign');
  const ours = seconds(start);
  if (results.filter((r) => r.outcome === 'requested').length !== REQUESTS) throw new Error('not every request was made');
  await ledger.close();
  return ours;
}

async function benchRequest() {
  const baseline = await requestBaseline();
  const ours = await requestLedger();
  return { ratio: baseline / ours, baselineSeconds: baseline, ledgerSeconds: ours };
}

async function benchRequestRss() {
  await requestLedger();
  return { rssMb: process.resourceUsage().maxRSS / 1024 };
}

// ------------------------------------------------------------------ check_batch
async function benchCheck() {
  const dir = tempDir();
  const { path, db } = await emptyLedgerFile(dir);
  // A 1M-subject ledger, written straight into the ledger's tables (set-up, not measured).
  const at = '2026-01-01T00:00:00.000Z';
  const s = db.prepare('INSERT INTO subjects (id, email, created_at) VALUES (?, ?, ?)');
  const e = db.prepare("INSERT INTO events (id, subject_id, topic, channel, action, from_status, to_status, basis, at, recorded_at, actor_kind, source_kind, source_ref) VALUES (?, ?, 'newsletter', 'email', 'import', 'none', ?, ?, ?, ?, 'operator', 'import', 'crm.csv')");
  const c = db.prepare("INSERT INTO consents (subject_id, topic, channel, status, basis, since, reminders, event_id, ev_who, ev_source, ev_at, ev_optin_id) VALUES (?, 'newsletter', 'email', ?, ?, ?, 0, ?, 'operator', 'crm.csv', ?, ?)");
  // Every topic sits under the e-marketing purpose, which check also asks (as a migrated ledger has it:
  // on the topic's basis, none for the unsubscribed), with its event.
  const pe = db.prepare("INSERT INTO events (id, subject_id, action, from_status, to_status, basis, at, recorded_at, actor_kind, source_kind, source_ref, purpose) VALUES (?, ?, 'import', 'none', 'active', ?, ?, ?, 'operator', 'import', 'crm.csv', 'emarketing')");
  const p = db.prepare("INSERT INTO purposes (subject_id, purpose, state, basis, since, event_id, ev_who, ev_source, ev_at) VALUES (?, 'emarketing', 'active', ?, ?, ?, 'operator', 'crm.csv', ?)");
  db.exec('BEGIN');
  for (let i = 1; i <= SUBJECTS; i++) {
    const status = i % 3 === 0 ? 'unsubscribed' : 'subscribed';
    const basis = status === 'subscribed' ? 'legitimate_interest' : 'none';
    s.run(i, `person${i}@example.com`, at);
    e.run(i, i, status, basis, at, at);
    c.run(i, status, basis, at, i, at, `ledger-event-${i}`);
    pe.run(SUBJECTS + i, i, basis, at, at);
    p.run(i, basis, at, SUBJECTS + i, at);
  }
  db.exec('COMMIT');
  db.exec('ANALYZE');
  const emails = Array.from({ length: CHECKS }, (_, i) => `person${1 + ((i * 7919) % (SUBJECTS + CHECKS / 10))}@example.com`); // ~9% unknown

  // Baseline: one raw point lookup per check, answering the topic's status and basis and its purpose's state and basis.
  const lookup = db.prepare(
    "SELECT c.status, c.basis, p.state AS pstate, p.basis AS pbasis FROM subjects s JOIN consents c ON c.subject_id = s.id AND c.topic = 'newsletter' AND c.channel = 'email' LEFT JOIN purposes p ON p.subject_id = s.id AND p.purpose = 'emarketing' WHERE s.email = ?",
  );
  const ALLOWING = new Set(['consent', 'contract', 'legitimate_interest']);
  const ledger = new Ledger(await openStore({ kind: 'sqlite', path }), { secret: SECRET });
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    let start = process.hrtime.bigint();
    let allowedRaw = 0;
    db.exec('BEGIN');
    for (const email of emails) {
      const row = lookup.get(email);
      if (row && row.status === 'subscribed' && row.pstate === 'active' && ALLOWING.has(row.pbasis)) allowedRaw++;
    }
    db.exec('COMMIT');
    const baseline = seconds(start);
    start = process.hrtime.bigint();
    const items = emails.map((email) => parseInput(CheckItemSchema, { email }));
    const results = await ledger.check(items);
    const ours = seconds(start);
    const allowed = results.filter((r) => r.allowed).length;
    if (allowed !== allowedRaw) throw new Error(`check disagrees with the baseline: ${allowed} vs ${allowedRaw}`);
    rounds.push({ ratio: baseline / ours, baselineSeconds: baseline, ledgerSeconds: ours });
  }
  db.close();
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
  return median(rounds);
}

// ------------------------------------------------------------------ forged_reject
async function benchForged() {
  const dir = tempDir();
  const ledger = new Ledger(await openStore({ kind: 'sqlite', path: join(dir, 'ledger.sqlite') }), { secret: SECRET });
  const [r] = await ledger.request([parseInput(RequestItemSchema, { email: 'real@example.com', consentText: TEXT })], 'signup');
  const forged = Array.from({ length: 1000 }, () => {
    const t = r.confirmToken;
    return `${t.slice(0, t.lastIndexOf('.') + 1)}${randomBytes(16).toString('base64url')}`;
  });
  // Baseline: a raw HMAC-SHA256 verify of the same text, constant-time compare.
  const key = randomBytes(32);
  const perRound = Math.ceil(FORGED / ROUNDS);
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    let start = process.hrtime.bigint();
    let rejectedRaw = 0;
    for (let i = 0; i < perRound; i++) {
      const t = forged[i % forged.length];
      const dot = t.lastIndexOf('.');
      const mac = createHmac('sha256', key).update(t.slice(0, dot)).digest().subarray(0, 16);
      if (!timingSafeEqual(mac, Buffer.from(t.slice(dot + 1), 'base64url'))) rejectedRaw++;
    }
    const baseline = seconds(start);
    start = process.hrtime.bigint();
    let rejected = 0;
    // What the link pages do first with every token: Ledger.checkLink (no database, no throw).
    for (let i = 0; i < perRound; i++) {
      if (ledger.checkLink(forged[i % forged.length], 'confirm') === 'forged') rejected++;
    }
    const ours = seconds(start);
    if (rejected !== perRound || rejectedRaw !== perRound) throw new Error('not every forged token was rejected');
    rounds.push({ ratio: baseline / ours, baselineSeconds: baseline, ledgerSeconds: ours });
  }
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
  return median(rounds);
}

/** The round with the median ratio: the machine's other work disturbs single rounds, not the median. */
function median(rounds) {
  return [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)];
}

const parts = { request: benchRequest, 'request-rss': benchRequestRss, check: benchCheck, forged: benchForged };
const only = process.argv[2];
if (only) {
  // A child run: one part, its result as JSON (peak RSS is then this part's alone).
  const result = await parts[only]();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const run = (part) => {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), part], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) throw new Error(`bench part ${part} failed`);
    return JSON.parse(child.stdout.trim().split('\n').pop());
  };
  // The bulk request writes a fresh ledger each round: each round is its own process.
  const requestRounds = Array.from({ length: 3 }, () => run('request'));
  const request = median(requestRounds);
  console.log(`BENCH request_bulk_ratio ${request.ratio.toFixed(2)} ratio (goal >= 0.5; median of 3 rounds; baseline ${request.baselineSeconds.toFixed(2)} s, ledger ${request.ledgerSeconds.toFixed(2)} s, ${REQUESTS} requests)`);
  const check = run('check');
  console.log(`BENCH check_batch_ratio ${check.ratio.toFixed(2)} ratio (goal >= 0.5; median of ${ROUNDS} rounds; baseline ${check.baselineSeconds.toFixed(2)} s, ledger ${check.ledgerSeconds.toFixed(2)} s, ${CHECKS} checks on ${SUBJECTS} subjects)`);
  const forged = run('forged');
  console.log(`BENCH forged_reject_ratio ${forged.ratio.toFixed(2)} ratio (goal >= 0.8; median of ${ROUNDS} rounds; ${FORGED} forged tokens)`);
  const rss = run('request-rss');
  console.log(`BENCH request_bulk_rss_mb ${rss.rssMb.toFixed(0)} MB (goal < 300; peak RSS of a process that makes ${REQUESTS} requests)`);
}
