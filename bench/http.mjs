// The consent service over HTTP (issue 14): `n8n-consent serve` (the built CLI, a child process on
// 127.0.0.1) on a temp SQLite ledger with one confirmed person; 4 concurrent keep-alive clients.
//   BENCH http_check_ratio  single-person POST /v1/check calls per second (API key, zod, the ledger's
//                           check) / GET /healthz calls per second (the same server's fixed answer,
//                           through the same middleware); goal >= 0.5
//   BENCH http_check_rps, http_bare_rps  the two rates behind it
//   BENCH_SMALL=1 node bench/http.mjs   smoke run (1 s per side; the figures mean little)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist', 'cli', 'main.js');
const SECONDS = process.env.BENCH_SMALL === '1' ? 1 : 5;
const CLIENTS = 4;
const dir = mkdtempSync(join(tmpdir(), 'bench-http-'));
const db = join(dir, 'ledger.sqlite');
const env = { PATH: process.env.PATH, CONSENT_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz' };
const cli = (...args) => {
  const run = spawnSync(process.execPath, [BIN, ...args, '--db', db], { encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`${args[0]}: ${run.stderr}`);
  return run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
};

cli('init');
const key = cli('keys', 'create', '--scope', 'check')[0].key;
const [asked] = cli('request', 'bench@example.com', '--signup', '--consent-text', 'Yes');
cli('confirm', asked.confirmToken);

const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--organisation', 'Bench', '--privacy-url', 'https://example.nl/privacy', '--db', db], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
    const line = out.split('\n').find((l) => l.includes('"listening"'));
    if (line) resolve(JSON.parse(line).listening);
  });
  child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
});
child.stdout.resume();

async function rate(makeRequest, check) {
  const until = performance.now() + SECONDS * 1000;
  let calls = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        const response = await makeRequest();
        const body = await response.json();
        if (!check(response, body)) throw new Error(`unexpected answer ${response.status} ${JSON.stringify(body)}`);
        calls++;
      }
    }),
  );
  return calls / ((performance.now() - started) / 1000);
}

const check = () =>
  fetch(`${url}/v1/check`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.com' }) });
const bare = () => fetch(`${url}/healthz`);
try {
  // warm-up, then each side measured
  await rate(bare, (r) => r.ok);
  await rate(check, (r, b) => r.ok && b.allowed === true);
  const checkRps = await rate(check, (r, b) => r.ok && b.allowed === true);
  const bareRps = await rate(bare, (r, b) => r.ok && b.ok === true);
  console.log(`BENCH http_check_rps ${checkRps.toFixed(0)} calls/s`);
  console.log(`BENCH http_bare_rps ${bareRps.toFixed(0)} calls/s`);
  console.log(`BENCH http_check_ratio ${(checkRps / bareRps).toFixed(2)} ratio (goal >= 0.5)`);
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
