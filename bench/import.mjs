// CSV import benchmark: the `n8n-consent import` command on a contacts file, against a raw
// node:sqlite insert of the same rows in the same run, so the machine's speed cancels out.
//   node bench/import.mjs            (after `npm run build`; Node 24)
//   BENCH_SMALL=1 node bench/import.mjs      smoke run: 5,000 rows (figures not meaningful)
//   BENCH_IMPORT_ROWS=N node bench/import.mjs  any size (default 1,000,000)
// Prints: BENCH import_ratio (raw seconds / import seconds; goal >= 0.5) and BENCH import_rss_mb
// (peak RSS of the importing process; goal < 300 whatever the file's size).
//
// The file: one person per row (email, name, phone for every third, external_id,
// previously_mailed), every tenth name quoted with a comma in it. Each row becomes a subject, an
// event and a consent row (subscribed on legitimate interest), and the two purposes every import
// holds a person for (sales_and_service and emarketing on legitimate interest: a purpose row and
// its event each), which is what the baseline inserts: the same seven rows per person with
// prepared statements in one transaction, from rows already in memory (no file reading, no
// parsing, no checks, no suppression list: the floor).
// The import is timed end to end as cli/main.ts runs it: a worker thread reads the file, checks
// each row, writes in batches and prints one JSON line per row (to /dev/null here).
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.removeAllListeners('warning');
const require = createRequire(import.meta.url);
const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, '..', 'dist');
const SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const SMALL = process.env.BENCH_SMALL === '1' || process.argv.includes('--small');
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? (SMALL ? 5_000 : 1_000_000));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SMALL ? 1 : 3));

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const person = (i) => ({
  email: `person${i}@example.nl`,
  name: i % 10 === 0 ? `Jansen, Piet ${i}` : `Person ${i}`,
  phone: i % 3 === 0 ? `+316${String(10_000_000 + i).slice(-8)}` : null,
  externalId: `CRM-${i}`,
});

async function writeCsv(path) {
  const out = createWriteStream(path);
  const write = (text) => (out.write(text) ? undefined : new Promise((resolve) => out.once('drain', resolve)));
  await write('email,name,phone,external_id,previously_mailed\n');
  let chunk = '';
  for (let i = 0; i < ROWS; i++) {
    const p = person(i);
    chunk += `${p.email},${p.name.includes(',') ? `"${p.name}"` : p.name},${p.phone ?? ''},${p.externalId},ja\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

// ---------------------------------------------------------------- child parts (own process each)

/** The raw floor: the same three rows per person as prepared inserts in one transaction. */
async function baseline(dir) {
  const { DatabaseSync } = require('node:sqlite');
  const { openStore } = require(join(dist, 'core', 'store', 'open.js'));
  const path = join(dir, 'raw.sqlite');
  await (await openStore({ kind: 'sqlite', path })).close(); // the ledger's own schema
  const db = new DatabaseSync(path);
  ['PRAGMA journal_mode = WAL', 'PRAGMA synchronous = FULL', 'PRAGMA secure_delete = ON'].forEach((p) => db.exec(p));
  const subject = db.prepare('INSERT INTO subjects (email, phone, external_id, name, created_at) VALUES (?, ?, ?, ?, ?)');
  const event = db.prepare(
    "INSERT INTO events (subject_id, topic, channel, action, from_status, to_status, basis, at, recorded_at, actor_kind, source_kind, source_ref) VALUES (?, 'newsletter', 'email', 'import', 'none', 'subscribed', 'legitimate_interest', ?, ?, 'operator', 'import', 'contacts.csv')",
  );
  const consent = db.prepare(
    "INSERT INTO consents (subject_id, topic, channel, status, basis, since, reminders, event_id, ev_who, ev_source, ev_at) VALUES (?, 'newsletter', 'email', 'subscribed', 'legitimate_interest', ?, 0, ?, 'operator', 'contacts.csv', ?)",
  );
  const purposeEvent = db.prepare(
    "INSERT INTO events (subject_id, action, from_status, to_status, basis, at, recorded_at, actor_kind, source_kind, source_ref, purpose) VALUES (?, 'import', 'none', 'active', 'legitimate_interest', ?, ?, 'operator', 'import', 'contacts.csv', ?)",
  );
  const purpose = db.prepare(
    "INSERT INTO purposes (subject_id, purpose, state, basis, since, event_id, ev_who, ev_source, ev_at) VALUES (?, ?, 'active', 'legitimate_interest', ?, ?, 'operator', 'contacts.csv', ?)",
  );
  const rows = Array.from({ length: ROWS }, (_, i) => person(i));
  const at = new Date().toISOString();
  const start = process.hrtime.bigint();
  db.exec('BEGIN IMMEDIATE');
  for (const p of rows) {
    const id = Number(subject.run(p.email, p.phone, p.externalId, p.name, at).lastInsertRowid);
    const eventId = Number(event.run(id, at, at).lastInsertRowid);
    consent.run(id, at, eventId, at);
    for (const name of ['sales_and_service', 'emarketing']) purpose.run(id, name, at, Number(purposeEvent.run(id, at, at, name).lastInsertRowid), at);
  }
  db.exec('COMMIT');
  const s = seconds(start);
  db.close();
  return { seconds: s };
}

/**
 * The import command as cli/main.ts runs it: in a worker thread under the CLI's limits
 * (cli/import-isolate.ts), its JSON lines written to this process's stdout (/dev/null here).
 * This process loads nothing else (the ledger file is made and checked by the parent), so its
 * peak RSS is what the command's: the main thread and the worker together.
 */
async function importFile(dir, csv) {
  const { runCliInWorker } = require(join(dist, 'cli', 'import-isolate.js'));
  const start = process.hrtime.bigint();
  const code = await runCliInWorker(join(dist, 'cli', 'main.js'), ['import', csv, '--db', join(dir, 'ledger.sqlite')]);
  const s = seconds(start);
  if (code !== 0) throw new Error(`import exited ${code}`);
  return { seconds: s, rssMb: process.resourceUsage().maxRSS / 1024 };
}

/** Before the import: a new ledger file (only `init` makes one). */
async function init(dir) {
  const { runCli } = require(join(dist, 'cli', 'commands.js'));
  if ((await runCli(['init', '--db', join(dir, 'ledger.sqlite')], () => {})) !== 0) throw new Error('init failed');
}

/** After the import: every row is in the ledger, subscribed. */
async function verify(dir) {
  const { Ledger } = require(join(dist, 'core', 'ledger')); // ledger.js, or ledger/index.js
  const { openStore } = require(join(dist, 'core', 'store', 'open.js'));
  const ledger = new Ledger(await openStore({ kind: 'sqlite', path: join(dir, 'ledger.sqlite') }), { secret: SECRET });
  const subscribed = (await ledger.report()).reduce((n, c) => n + (c.status === 'subscribed' ? c.count : 0), 0);
  await ledger.close();
  if (subscribed !== ROWS) throw new Error(`not every row was imported: ${subscribed} of ${ROWS}`);
}

process.env.CONSENT_SECRET = SECRET;
const parts = { baseline, import: importFile };
const [part, partDir, partCsv] = process.argv.slice(2).filter((a) => a !== '--small');
if (part) {
  // The result goes to a file: stdout is where the import writes its rows.
  writeFileSync(join(partDir, 'result.json'), JSON.stringify(await parts[part](partDir, partCsv)));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'consent-bench-import-'));
  try {
    await writeCsv(join(dir, 'contacts.csv'));
    const run = async (name) => {
      const roundDir = mkdtempSync(join(dir, `${name}-`));
      if (name === 'import') await init(roundDir);
      // stderr: the import's one summary line is dropped, anything else is shown.
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), name, roundDir, join(dir, 'contacts.csv')], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
      process.stderr.write(child.stderr.split('\n').filter((l) => l && !l.includes('row(s):')).map((l) => `${l}\n`).join(''));
      if (child.status !== 0) throw new Error(`bench import part ${name} failed`);
      // The CSV stays; each round's ledger goes, so the disk does not fill up.
      const result = JSON.parse(readFileSync(join(roundDir, 'result.json'), 'utf8'));
      if (name === 'import') await verify(roundDir);
      rmSync(roundDir, { recursive: true, force: true });
      return result;
    };
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      const base = await run('baseline');
      const ours = await run('import');
      rounds.push({ ratio: base.seconds / ours.seconds, base: base.seconds, ours: ours.seconds, rssMb: ours.rssMb });
    }
    const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)];
    const rss = Math.max(...rounds.map((r) => r.rssMb));
    console.log(
      `BENCH import_ratio ${median.ratio.toFixed(2)} ratio (goal >= 0.5; median of ${ROUNDS}; raw insert ${median.base.toFixed(2)} s, import ${median.ours.toFixed(2)} s = ${Math.round(ROWS / median.ours).toLocaleString('en')} rows/s, ${ROWS} rows)`,
    );
    console.log(`BENCH import_rss_mb ${rss.toFixed(0)} MB (goal < 300; peak RSS of the importing process, ${ROWS} rows)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
