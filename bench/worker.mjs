// Mailbox worker benchmark: 5,000 request mails in a private Dovecot, drained by the worker
// (parse, classify, ledger, reply over SMTP, mark and move), against a raw imapflow fetch of the
// same mailbox in the same run, so the machine's speed cancels out.
//   node bench/worker.mjs            (after `npm run build`; Node 24; Dovecot installed; root)
// Prints (stdout, exactly):
//   BENCH worker_drain_ratio <x> ratio     raw fetch seconds ÷ worker drain seconds (goal ≥ 0.5)
//   BENCH worker_rss_growth_mb <x> MB      the worker process's peak RSS during the drain minus
//                                          its RSS just before it, after a warm-up of 300 mails
//                                          in another folder (goal < 100)
// Details go to stderr. Three processes, so none takes event-loop time or memory from another:
// this one (Dovecot, the mails, the baseline), the SMTP sink that takes the replies, the worker.
//   BENCH_WORKER_MAILS   number of mails (default 5000)
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
const WARM_UP_FOLDER = 'Warmup';
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
  const [, , , ledgerPath, settingsJson] = process.argv;
  const { Ledger } = require(join(dist, 'core', 'ledger'));
  const { openStore } = require(join(dist, 'core', 'store', 'open.js'));
  const { MailboxWorker } = require(join(dist, 'worker', 'mailbox.js'));
  const ledger = new Ledger(await openStore({ kind: 'sqlite', path: ledgerPath }), { secret: SECRET });
  const settings = JSON.parse(settingsJson);
  // Warm-up on a folder of its own, so the figure is the drain's own growth, not V8 sizing its
  // young generation and compiling code, which any busy Node process does once.
  // BENCH_WORKER_NO_REPLIES=1 drops the replies instead of sending them: to see what SMTP costs.
  const deps = { log: () => undefined, ...(process.env.BENCH_WORKER_NO_REPLIES ? { sendReply: async () => ({ messageId: '', accepted: [], rejected: [], response: '' }) } : {}) };
  const warmUp = new MailboxWorker(ledger, { ...settings, imap: { ...settings.imap, mailbox: WARM_UP_FOLDER } }, deps);
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
} else {
  await main();
}

async function main() {
  if (!existsSync(join(dist, 'worker', 'mailbox.js')) || !existsSync(join(dist, 'core', 'mail', 'words.json'))) {
    console.error('dist/ is missing or old: run `npx tsup` (or `npm run build`) first.');
    process.exit(2);
  }

  const { ImapFlow } = require('imapflow');
  const { Ledger, ImportRowSchema } = require(join(dist, 'core', 'ledger'));
  const { openStore } = require(join(dist, 'core', 'store', 'open.js'));
  const { parseInput } = require(join(dist, 'core', 'validation.js'));
  const { Dovecot } = await import('../test/support/dovecot.ts');
  const MAILS = Number(process.env.BENCH_WORKER_MAILS ?? (SMALL ? 100 : 5000));

  const dir = mkdtempSync(join(tmpdir(), 'consent-bench-worker-'));
  const dovecot = await Dovecot.start();
  const sink = await startChild(['smtp-sink'], { stdin: true });
  try {
    const ledgerPath = join(dir, 'ledger.sqlite');
    const ledger = new Ledger(await openStore({ kind: 'sqlite', path: ledgerPath }), { secret: SECRET });
    const rows = Array.from({ length: MAILS + WARM_UP_MAILS }, (_, i) => ({ row: i + 2, data: parseInput(ImportRowSchema, { email: `person${i}@example.nl`, status: 'confirmed', consentText: 'Ja' }) }));
    await ledger.importContacts(rows, { actor: { kind: 'operator' }, source: { kind: 'import' } });
    await ledger.close();
    const mails = Array.from({ length: MAILS }, (_, i) => requestMail(i));
    await dovecot.append(mails);
    await dovecot.withClient((client) => client.mailboxCreate(WARM_UP_FOLDER));
    if (WARM_UP_MAILS > 0) await dovecot.append(Array.from({ length: WARM_UP_MAILS }, (_, i) => requestMail(MAILS + i)), WARM_UP_FOLDER);
    note(`${MAILS} mails in INBOX (${mb(mails.reduce((n, m) => n + m.length, 0)).toFixed(1)} MB), ${MAILS} subscribers in the ledger`);

    // Baseline: the same mailbox read raw with imapflow, one FETCH of every source; best of three.
    let baseline = Infinity;
    for (let round = 0; round < 3; round++) {
      const client = new ImapFlow({ host: dovecot.host, port: dovecot.imapPort, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false, doSTARTTLS: false });
      client.on('error', () => undefined);
      await client.connect();
      const lock = await client.getMailboxLock('INBOX');
      const start = process.hrtime.bigint();
      const fetched = await client.fetchAll('1:*', { uid: true, size: true, internalDate: true, source: true });
      const took = seconds(start);
      lock.release();
      await client.logout();
      if (fetched.length !== MAILS) throw new Error(`raw fetch saw ${fetched.length} mails, not ${MAILS}`);
      baseline = Math.min(baseline, took);
    }
    note(`raw imapflow fetch: ${baseline.toFixed(3)} s (${Math.round(MAILS / baseline)} mails/s)`);

    // The worker drains the mailbox: every mail handled, answered where due, marked and moved.
    const port = Number(await sink.line());
    const settings = {
      imap: dovecot.imapSettings(),
      smtp: { host: '127.0.0.1', port, secure: false, rejectUnauthorized: false, ...JSON.parse(process.env.BENCH_SMTP_SETTINGS ?? '{}') },
      replyFrom: 'Privacy <privacy@shop.example>',
      organisation: 'De Winkel',
      baseUrl: 'https://shop.example/consent',
      verifyDkim: false, // no DNS from a benchmark
      ...JSON.parse(process.env.BENCH_WORKER_SETTINGS ?? '{}'),
    };
    const drainer = await startChild(['drain', ledgerPath, JSON.stringify(settings)]);
    const drain = JSON.parse(await drainer.line());
    sink.end();
    const replies = Number(await sink.line());

    const left = await dovecot.count('INBOX');
    const moved = (await dovecot.count('Processed')) + (await dovecot.count('Review')) - WARM_UP_MAILS;
    if (left !== 0 || moved !== MAILS) throw new Error(`the worker left ${left} mails in INBOX and moved ${moved}`);
    const growth = Math.max(0, drain.peak - drain.rssBefore);
    note(`worker drain: ${drain.seconds.toFixed(3)} s (${Math.round(MAILS / drain.seconds)} mails/s), ${replies} replies (${WARM_UP_MAILS} mails' worth were the warm-up's); worker RSS ${mb(drain.rssBefore).toFixed(1)} MB after the warm-up, peak ${mb(drain.peak).toFixed(1)} MB during the drain`);
    console.log(`BENCH worker_drain_ratio ${(baseline / drain.seconds).toFixed(3)} ratio`);
    console.log(`BENCH worker_rss_growth_mb ${mb(growth).toFixed(1)} MB`);
  } finally {
    sink.kill();
    await dovecot.stop();
    rmSync(dir, { recursive: true, force: true });
  }
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
