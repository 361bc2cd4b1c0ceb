#!/usr/bin/env node
// How much memory n8n's webhook processor keeps per signup form post, in queue mode
// (scripts/queue-mode.mjs). Posts the webform sample's form as a browser does (multipart, a
// browser's user agent: the sample ignores bots), 50 at a time, in rounds, and after each round
// prints the webhook processor's resident memory (/proc) and its JavaScript heap, both after a full
// garbage collection (scripts/process-memory.cjs: through its inspector on 127.0.0.1).
//
//   node_modules/.bin/node scripts/form-memory.mjs [--rounds 2] [--per-round 150]
//        [--workflow FILE] [--engine vm|legacy|quickjs]
//
// --workflow another form workflow (e.g. the sample before it answered on submission:
//   git show dad08b7:workflows/webform-double-opt-in.json > /tmp/ending-page.json)
// --engine   n8n's N8N_EXPRESSION_ENGINE for every instance (n8n 2.40's default: vm)
// Prints one `FORM_MEMORY` line per round and a last line with MB kept per post, in all and in the
// last round (a leak keeps the same each round; a warming process levels off after the first).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { memoryAfterGc } from './process-memory.cjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '2' }, 'per-round': { type: 'string', default: '150' }, workflow: { type: 'string' }, engine: { type: 'string' } },
});
const rounds = Number(args.rounds);
const perRound = Number(args['per-round']);
if (!(rounds >= 1 && perRound >= 1)) throw new Error('--rounds and --per-round take whole numbers of at least 1');
if (args.engine && !['vm', 'legacy', 'quickjs'].includes(args.engine)) throw new Error('--engine is one of vm, legacy, quickjs');
const AT_ONCE = 50;
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const MB = 2 ** 20;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'form-memory-'));
const options = {
  dir,
  n8nEnv: args.engine ? { N8N_EXPRESSION_ENGINE: args.engine } : {},
  ...(args.workflow ? { workflows: [path.resolve(args.workflow)] } : {}),
};
const setup = spawn(process.execPath, [path.join(ROOT, 'scripts', 'queue-mode.mjs'), 'serve', JSON.stringify(options)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
const info = await new Promise((resolve, reject) => {
  createInterface({ input: setup.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  setup.once('exit', (code) => reject(new Error(`queue mode did not start (exit ${code})`)));
});
const memory = () => memoryAfterGc(info.instances['webhook-1']);

async function post(i) {
  const form = new FormData();
  form.append('field-0', `Person ${i}`);
  form.append('field-1', `form-memory-${i}@example.test`);
  form.append('field-3', JSON.stringify(['Yes, keep me informed by email']));
  const response = await fetch(info.urls.signupForm, { method: 'POST', body: form, headers: { 'user-agent': USER_AGENT } });
  await response.arrayBuffer();
  return response.status;
}

const line = (label, m) => console.log(`FORM_MEMORY ${label} rss_mb=${(m.rss / MB).toFixed(0)} heap_used_mb=${(m.heapUsed / MB).toFixed(0)}`);
let posted = 0;
const statuses = {};
try {
  const first = await memory();
  line('posts=0', first);
  let last = first;
  let previous = first;
  for (let round = 0; round < rounds; round++) {
    for (let done = 0; done < perRound; done += AT_ONCE) {
      const batch = Math.min(AT_ONCE, perRound - done);
      for (const status of await Promise.all(Array.from({ length: batch }, (_, k) => post(posted + k)))) statuses[status] = (statuses[status] ?? 0) + 1;
      posted += batch;
    }
    await new Promise((resolve) => setTimeout(resolve, 30_000)); // the workers finish the runs
    [previous, last] = [last, await memory()];
    line(`posts=${posted}`, last);
  }
  console.log(
    `FORM_MEMORY engine=${args.engine ?? 'vm (default)'} workflow=${args.workflow ?? 'workflows/webform-double-opt-in.json'} answers=${JSON.stringify(statuses)} ` +
      `kept_mb_per_post=${((last.rss - first.rss) / posted / MB).toFixed(2)} last_round_mb_per_post=${((last.rss - previous.rss) / perRound / MB).toFixed(2)} ` +
      `heap_mb_per_post=${((last.heapUsed - first.heapUsed) / posted / MB).toFixed(2)}`,
  );
} finally {
  setup.stdin.end();
  await new Promise((resolve) => setup.once('exit', resolve));
  fs.rmSync(dir, { recursive: true, force: true });
}
