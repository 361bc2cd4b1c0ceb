// Mailbox worker benchmark: 5,000 request mails in a private Dovecot, drained by the worker
// (parse, classify, ledger, reply over SMTP, mark and move), against a baseline pipeline written
// plainly in this file that does the same kinds of work without the product's rules, on the same
// mails, the same Dovecot and the same SMTP sink in the same run, so the machine's speed cancels out.
//   node bench/worker.mjs            (after `npm run build`; Node 24; Dovecot installed; root)
// The baseline (mode `baseline`, a process of its own like the worker's), in batches of 100 UIDs
// (the worker's batchSize), 4 mails at a time (its concurrency): one imapflow FETCH of the batch's
// sources; per mail mailparser's simpleParser, one INSERT into a node:sqlite table in its own
// transaction (journal_mode=WAL, synchronous=FULL, as the ledger opens its file: one durable commit
// per mail), one reply through nodemailer (a pooled transport, as the worker's) to the same sink;
// then one UID MOVE of the batch. Its mails are a copy of the worker's in a folder of their own,
// and it warms up on a copy of the worker's warm-up mails first, as the worker does.
// The mails are drained in rounds (default 5 of 1,000): per round the baseline drains its copy,
// then the worker its own, each a fresh process; the ledger keeps growing across rounds. Rounds
// interleave the two, so a load that comes and goes on the machine hits both alike.
// Prints (stdout, exactly):
//   BENCH worker_drain_ratio <x> ratio     baseline seconds ÷ worker drain seconds, the median of
//                                          the rounds (goal ≥ 0.5)
//   BENCH worker_rss_growth_mb <x> MB      the worker process's peak RSS during a round's drain
//                                          minus its RSS just before it, after a warm-up of 300
//                                          mails in another folder; the largest round (goal < 100)
// Details go to stderr. Four processes, so none takes event-loop time or memory from another:
// this one (Dovecot, the mails), the SMTP sink that takes the replies, the baseline, the worker
// (the baseline first, then the worker; never both at once).
//   BENCH_WORKER_MAILS   number of mails (default 5000), BENCH_WORKER_ROUNDS (default 5)
//   BENCH_WORKER_SETTINGS / BENCH_SMTP_SETTINGS   JSON merged into the worker's / its SMTP settings
//   BENCH_WORKER_WARM_UP  mails in the warm-up folder (default 300; 0 measures from a cold start)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

process.removeAllListeners('warning');
const require = createRequire(import.meta.url);
const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, '..', 'dist');
const SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const note = (line) => process.stderr.write(`# ${line}\n`);
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const mb = (bytes) => bytes / 1024 / 1024;
const mode = process.argv[2];
// BENCH_SMALL=1: a smoke run (.ci/run) that takes seconds and still prints every BENCH line.
const SMALL = process.env.BENCH_SMALL === '1';
const WARM_UP_MAILS = Number(process.env.BENCH_WORKER_WARM_UP ?? (SMALL ? 20 : 300));

if (mode === 'smtp-sink') {
  // Counts the replies it accepts and keeps nothing; prints its port, then the count at stdin's end.
  const { SmtpPeer } = await import('../test/support/smtp-peer.ts');
  const sink = await SmtpPeer.start({ keep: false });
  process.stdout.write(`${sink.port}\n`);
  process.stdin.resume();
  process.stdin.on('end', async () => {
    process.stdout.write(`${sink.accepted}\n`);
    await sink.stop();
    process.exit(0);
  });
} else if (mode === 'drain') {
  // The worker, as `n8n-consent worker --once` runs it: prints {seconds, rssBefore, peak}.
  const [, , , ledgerPath, settingsJson, warmUpFolder] = process.argv;
  const { Ledger } = require(join(dist, 'core', 'ledger'));
  const { openStore } = require(join(dist, 'core', 'store', 'open.js'));
  const { MailboxWorker } = require(join(dist, 'worker', 'mailbox.js'));
  const ledger = new Ledger(await openStore({ kind: 'sqlite', path: ledgerPath }), { secret: SECRET });
  const settings = JSON.parse(settingsJson);
  // Warm-up on a folder of its own, so the figure is the drain's own growth, not V8 sizing its
  // young generation and compiling code, which any busy Node process does once.
  // BENCH_WORKER_NO_REPLIES=1 drops the replies instead of sending them: to see what SMTP costs.
  const deps = { log: () => undefined, ...(process.env.BENCH_WORKER_NO_REPLIES ? { sendReply: async () => ({ messageId: '', accepted: [], rejected: [], response: '' }) } : {}) };
  const warmUp = new MailboxWorker(ledger, { ...settings, imap: { ...settings.imap, mailbox: warmUpFolder } }, deps);
  await warmUp.run({ once: true });
  const worker = new MailboxWorker(ledger, settings, deps);
  const rssBefore = process.memoryUsage().rss;
  writeFileSync('/proc/self/clear_refs', '5'); // the peak (VmHWM) counts from here
  const start = process.hrtime.bigint();
  await worker.run({ once: true });
  const took = seconds(start);
  const peak = Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
  await ledger.close();
  process.stdout.write(`${JSON.stringify({ seconds: took, rssBefore, peak })}\n`);
} else if (mode === 'baseline') {
  // The plain pipeline: prints {seconds, mails, replies} (the replies include the warm-up's).
  const [, , , dbPath, settingsJson, folder, warmUpFolder] = process.argv;
  const settings = JSON.parse(settingsJson);
  const { ImapFlow } = require('imapflow');
  const { simpleParser } = require('mailparser');
  const nodemailer = require('nodemailer');
  const { DatabaseSync } = require('node:sqlite');
  const db = new DatabaseSync(dbPath);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  db.exec('CREATE TABLE requests (message_id TEXT PRIMARY KEY, sender TEXT NOT NULL, subject TEXT, body TEXT, received_at TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO requests (message_id, sender, subject, body, received_at) VALUES (?, ?, ?, ?, ?)');
  const smtp = settings.smtp;
  const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, pool: true, tls: { rejectUnauthorized: false } });
  const imap = settings.imap;
  const client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.password }, logger: false, doSTARTTLS: false });
  client.on('error', () => undefined);
  await client.connect();
  const pipeline = async (folder) => {
    let mails = 0;
    let replies = 0;
    const lock = await client.getMailboxLock(folder);
    try {
      const uids = (await client.search({ all: true }, { uid: true })) || [];
      for (let at = 0; at < uids.length; at += 100) {
        const batch = uids.slice(at, at + 100).join(',');
        const rows = await client.fetchAll(batch, { uid: true, source: true }, { uid: true });
        let next = 0;
        const lane = async () => {
          while (next < rows.length) {
            const row = rows[next++];
            const mail = await simpleParser(row.source);
            const sender = mail.from?.value[0]?.address ?? '';
            insert.run(mail.messageId ?? `uid-${row.uid}`, sender, mail.subject ?? null, mail.text ?? null, new Date().toISOString());
            const info = await transport.sendMail({
              from: 'Privacy <privacy@shop.example>',
              to: sender,
              subject: `Re: ${mail.subject ?? ''}`,
              inReplyTo: mail.messageId,
              references: mail.messageId,
              text: 'We have received your request and will act on it.',
            });
            replies += info.accepted.length > 0 ? 1 : 0;
            mails++;
          }
        };
        await Promise.all(Array.from({ length: 4 }, lane));
        await client.messageMove(batch, `${folder}Done`, { uid: true });
      }
    } finally {
      lock.release();
    }
    return { mails, replies };
  };
  const warmUp = await pipeline(warmUpFolder);
  const start = process.hrtime.bigint();
  const done = await pipeline(folder);
  const took = seconds(start);
  done.replies += warmUp.replies; // all the sink had from this process
  await client.logout();
  transport.close();
  db.close();
  process.stdout.write(`${JSON.stringify({ seconds: took, ...done })}\n`);
} else {
  await main();
}

async function main() {
  if (!existsSync(join(dist, 'worker', 'mailbox.js')) || !existsSync(join(dist, 'core', 'mail', 'words.json'))) {
    console.error('dist/ is missing or old: run `npx tsup` (or `npm run build`) first.');
    process.exit(2);
  }

  const { Ledger, ImportRowSchema } = require(join(dist, 'core', 'ledger'));
  const { openStore } = require(join(dist, 'core', 'store', 'open.js'));
  const { parseInput } = require(join(dist, 'core', 'validation.js'));
  const { Dovecot } = await import('../test/support/dovecot.ts');
  const ROUNDS = Number(process.env.BENCH_WORKER_ROUNDS ?? (SMALL ? 1 : 5));
  const PER_ROUND = Math.ceil(Number(process.env.BENCH_WORKER_MAILS ?? (SMALL ? 100 : 5000)) / ROUNDS);
  const MAILS = PER_ROUND * ROUNDS;

  const dir = mkdtempSync(join(tmpdir(), 'consent-bench-worker-'));
  const dovecot = await Dovecot.start();
  const sink = await startChild(['smtp-sink'], { stdin: true });
  try {
    const ledgerPath = join(dir, 'ledger.sqlite');
    const ledger = new Ledger(await openStore({ kind: 'sqlite', path: ledgerPath }), { secret: SECRET });
    const rows = Array.from({ length: MAILS + ROUNDS * WARM_UP_MAILS }, (_, i) => ({ row: i + 2, data: parseInput(ImportRowSchema, { email: `person${i}@example.nl`, status: 'confirmed', consentText: 'Ja' }) }));
    await ledger.importContacts(rows, { actor: { kind: 'operator' }, source: { kind: 'import' } });
    await ledger.close();
    note(`${MAILS} subscribers in the ledger; ${ROUNDS} rounds of ${PER_ROUND} mails, each drained by the baseline and then by the worker`);
    const port = Number(await sink.line());
    const smtp = { host: '127.0.0.1', port, secure: false, rejectUnauthorized: false, ...JSON.parse(process.env.BENCH_SMTP_SETTINGS ?? '{}') };
    const settings = {
      imap: dovecot.imapSettings(),
      smtp,
      replyFrom: 'Privacy <privacy@shop.example>',
      organisation: 'De Winkel',
      baseUrl: 'https://shop.example/consent',
      verifyDkim: false, // no DNS from a benchmark
      ...JSON.parse(process.env.BENCH_WORKER_SETTINGS ?? '{}'),
    };
    const ratios = [];
    const growths = [];
    let baselineTotal = 0;
    let drainTotal = 0;
    let baseReplies = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Each round: its own mails (a copy for the baseline), its own warm-up folders; the ledger grows.
      const first = round * PER_ROUND;
      const mails = Array.from({ length: PER_ROUND }, (_, i) => requestMail(first + i));
      const warmUpMails = Array.from({ length: WARM_UP_MAILS }, (_, i) => requestMail(MAILS + round * WARM_UP_MAILS + i));
      const f = { inbox: `Round${round}`, warmUp: `Round${round}Warmup`, base: `Baseline${round}`, baseWarmUp: `Baseline${round}Warmup` };
      await dovecot.withClient(async (client) => {
        for (const folder of Object.values(f)) {
          await client.mailboxCreate(folder);
          await client.mailboxCreate(`${folder}Done`);
        }
      });
      await dovecot.append(mails, f.inbox);
      await dovecot.append(mails, f.base);
      if (WARM_UP_MAILS > 0) {
        await dovecot.append(warmUpMails, f.warmUp);
        await dovecot.append(warmUpMails, f.baseWarmUp);
      }

      // Baseline: the plain pipeline on its copy of the mails (see the header), in a process of its own.
      const baseliner = await startChild(['baseline', join(dir, `baseline-${round}.sqlite`), JSON.stringify({ imap: dovecot.imapSettings(), smtp }), f.base, f.baseWarmUp]);
      const base = JSON.parse(await baseliner.line());
      if (base.mails !== PER_ROUND || (await dovecot.count(`${f.base}Done`)) !== PER_ROUND) throw new Error(`the baseline handled ${base.mails} mails, not ${PER_ROUND}`);
      baseReplies += base.replies;

      // The worker drains the same mails: every mail handled, answered where due, marked and moved.
      const before = (await dovecot.count('Processed')) + (await dovecot.count('Review'));
      const drainer = await startChild(['drain', ledgerPath, JSON.stringify({ ...settings, imap: { ...settings.imap, mailbox: f.inbox } }), f.warmUp]);
      const drain = JSON.parse(await drainer.line());
      const left = await dovecot.count(f.inbox);
      const moved = (await dovecot.count('Processed')) + (await dovecot.count('Review')) - before - WARM_UP_MAILS;
      if (left !== 0 || moved !== PER_ROUND) throw new Error(`the worker left ${left} mails in ${f.inbox} and moved ${moved}`);
      const growth = Math.max(0, drain.peak - drain.rssBefore);
      ratios.push(base.seconds / drain.seconds);
      growths.push(growth);
      baselineTotal += base.seconds;
      drainTotal += drain.seconds;
      note(
        `round ${round + 1}: baseline ${base.seconds.toFixed(3)} s (${Math.round(PER_ROUND / base.seconds)} mails/s), worker ${drain.seconds.toFixed(3)} s (${Math.round(PER_ROUND / drain.seconds)} mails/s), ` +
          `ratio ${(base.seconds / drain.seconds).toFixed(3)}; worker RSS ${mb(drain.rssBefore).toFixed(1)} MB after the warm-up, peak ${mb(drain.peak).toFixed(1)} MB`,
      );
    }
    sink.end();
    const replies = Number(await sink.line()) - baseReplies;
    note(`all rounds: baseline ${baselineTotal.toFixed(3)} s, worker ${drainTotal.toFixed(3)} s (${Math.round(MAILS / drainTotal)} mails/s), ratio of the sums ${(baselineTotal / drainTotal).toFixed(3)}; the worker sent ${replies} replies (warm-ups included)`);
    console.log(`BENCH worker_drain_ratio ${median(ratios).toFixed(3)} ratio`);
    console.log(`BENCH worker_rss_growth_mb ${mb(Math.max(...growths)).toFixed(1)} MB`);
  } finally {
    sink.kill();
    await dovecot.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** This file again, in another mode, in a process of its own; reads its stdout line by line. */
async function startChild(args, options = {}) {
  // BENCH_WORKER_NODE_ARGS: extra node flags for the worker process (e.g. --cpu-prof), for profiling.
  const nodeArgs = args[0] === 'drain' && process.env.BENCH_WORKER_NODE_ARGS ? process.env.BENCH_WORKER_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, fileURLToPath(import.meta.url), ...args], { stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async line() {
      const next = await lines.next();
      if (next.done) throw new Error(`bench child "${args[0]}" ended without answering`);
      return next.value;
    },
    end: () => child.stdin?.end(),
    kill: () => child.exitCode === null && child.kill('SIGKILL'),
  };
}

/** The request mails people write: mostly unsubscribes (nl/en/de), some erasures, access requests, out-of-office. */
function requestMail(i) {
  const kinds = [
    ['Afmelden', 'Graag afmelden voor de nieuwsbrief.\r\n\r\nMet vriendelijke groet,\r\nPerson'],
    ['Unsubscribe', 'Please remove me from your mailing list.\r\n\r\nThanks'],
    ['Abmelden', 'Bitte tragen Sie mich aus dem Verteiler aus.'],
    ['Re: Nieuwsbrief november', 'Stop\r\n\r\nOp ma 23 nov 2026 om 09:00 schreef Shop <nieuws@shop.example>:\r\n> Afmelden? Klik hier.'],
  ];
  let [subject, text] = kinds[i % kinds.length];
  const headers = [];
  if (i % 20 === 7) [subject, text] = ['VERWIJDER', 'Verwijder al mijn gegevens.'];
  if (i % 20 === 13) [subject, text] = ['Inzageverzoek', 'Welke gegevens heeft u van mij?'];
  if (i % 20 === 17) {
    [subject, text] = ['Automatisch antwoord: Nieuwsbrief', 'Ik ben tot maandag afwezig.'];
    headers.push('Auto-Submitted: auto-replied');
  }
  return [
    `From: Person ${i} <person${i}@example.nl>`,
    'To: privacy@shop.example',
    `Subject: ${subject}`,
    'Date: Mon, 23 Nov 2026 09:00:00 +0100',
    `Message-ID: <bench-${i}@example.nl>`,
    ...headers,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '',
  ].join('\r\n');
}
