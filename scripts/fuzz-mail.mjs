// The big "never stop" fuzz run: malformed mails (scripts/fuzz-mails.cjs, the same ones for the
// same seed) through what `n8n-consent classify` runs, in this process: readRequestMail, then
// classifyRequest. A crash is anything but a classification: a throw or rejection, an uncaught
// exception or unhandled rejection while the run goes on (an error escaping mailparser's event
// handlers was one), or a parse that never settles.
//   node scripts/fuzz-mail.mjs [--count 10000] [--seed 20261204] [--big-every 2000] [--settle-ms 120000]   (after `npm run build`)
// Prints one JSON object: mails, crashes (with the first few, by kind), how many had a parse
// error (they go to review), intents, per-kind counts, the slowest parse, peak RSS. Exit 1 on a crash.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, '..', 'dist');
const { readRequestMail } = require(join(dist, 'core/mail/request-mail.js'));
const { classifyRequest } = require(join(dist, 'core/mail/classify.js'));
const { malformedMails } = require('./fuzz-mails.cjs');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const count = option('count', 10_000);
const seed = option('seed', 20261204);
const bigEvery = option('big-every', 2000);
// Well above the parser's own limit (30 s): a promise still open then has escaped it.
const SETTLE_MS = option('settle-ms', 120_000);

const crashes = [];
const escaped = [];
process.on('uncaughtException', (error) => escaped.push(`uncaught: ${error?.message ?? error}`));
process.on('unhandledRejection', (error) => escaped.push(`unhandled rejection: ${error?.message ?? error}`));

const figures = { mails: 0, crashes: 0, parseErrors: 0, intents: {}, kinds: {}, bytes: 0, slowestMs: 0, slowestKind: null, peakRssMb: 0 };
const started = process.hrtime.bigint();
let index = 0;
for (const { kind, bytes } of malformedMails(count, seed, { bigEvery })) {
  figures.mails++;
  figures.bytes += bytes.length;
  figures.kinds[kind] = (figures.kinds[kind] ?? 0) + 1;
  const before = escaped.length;
  const problems = [];
  const t0 = process.hrtime.bigint();
  let timer;
  try {
    const settled = new Promise((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`not settled after ${SETTLE_MS} ms`)), SETTLE_MS)));
    const mail = await Promise.race([readRequestMail(bytes), settled]);
    const c = classifyRequest(mail);
    if (mail.parseError) figures.parseErrors++;
    figures.intents[c.intent] = (figures.intents[c.intent] ?? 0) + 1;
  } catch (error) {
    problems.push(String(error?.message ?? error));
  } finally {
    clearTimeout(timer);
  }
  // An escaped error shows up on a later tick: give it one before the next mail.
  await new Promise((resolve) => setImmediate(resolve));
  problems.push(...escaped.slice(before));
  if (problems.length > 0) crashes.push({ index, kind, error: problems.join('; ').slice(0, 300) });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (ms > figures.slowestMs) Object.assign(figures, { slowestMs: Math.round(ms), slowestKind: kind });
  if (index % 250 === 0) figures.peakRssMb = Math.max(figures.peakRssMb, Math.round(process.memoryUsage().rss / 1024 / 1024));
  index++;
}
figures.crashes = crashes.length;
figures.seconds = Math.round(Number(process.hrtime.bigint() - started) / 1e7) / 100;
figures.megabytes = Math.round(figures.bytes / 1024 / 1024);
delete figures.bytes;
figures.peakRssMb = Math.max(figures.peakRssMb, Math.round(process.memoryUsage().rss / 1024 / 1024));
console.log(JSON.stringify({ seed, ...figures, firstCrashes: crashes.slice(0, 10) }, null, 2));
process.exitCode = crashes.length > 0 ? 1 : 0;
