import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Rotating the ledger secret from the CLI (and so for the worker, which the CLI starts): links live
 * up to two years, so several rotations may be in flight; each older secret is given as a previous one.
 */
const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const A = 'secret-A-0123456789-abcdefghijklmnopqrstuv';
const B = 'secret-B-0123456789-abcdefghijklmnopqrstuv';
const C = 'secret-C-0123456789-abcdefghijklmnopqrstuv';
const NOW = '2026-11-23T09:00:00Z';
let dir: string;
let db: string;

function cli(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [BIN, ...args, '--db', db, '--now', NOW], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  const lines = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: run.status, lines, stderr: run.stderr, first: lines[0] };
}

function signup(email: string, secret: string) {
  const r = cli(['request', email, '--signup', '--consent-text', 'Yes, keep me informed.'], { CONSENT_SECRET: secret });
  expect(r.first).toMatchObject({ outcome: 'requested' });
  return { confirm: r.first.confirmToken as string, unsubscribe: r.first.unsubscribeToken as string };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'consent-rotation-'));
  db = join(dir, 'ledger.sqlite');
  expect(cli(['init'], { CONSENT_SECRET: A }).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('links made under A and B still work after rotating to C with previous B,A; a wrong secret is still refused', () => {
  const underA = signup('anna@example.nl', A);
  // First rotation, A -> B: the suppression key is re-wrapped with B.
  // Without A as the previous secret, B cannot open this ledger.
  expect(cli(['check', 'anna@example.nl'], { CONSENT_SECRET: B })).toMatchObject({ code: 2, stderr: expect.stringContaining('created with another secret') });
  const b = cli(['request', 'bram@example.nl', '--signup', '--consent-text', 'Yes, keep me informed.', '--secret', B, '--previous-secret', A]);
  expect(b.first).toMatchObject({ outcome: 'requested' });

  // Second rotation, B -> C, both older secrets given (repeatable flag, newest first).
  const rotated = ['--secret', C, '--previous-secret', B, '--previous-secret', A];
  expect(cli(['confirm', underA.confirm, ...rotated]).first).toMatchObject({ outcome: 'confirmed' });
  expect(cli(['confirm', b.first.confirmToken as string, ...rotated]).first).toMatchObject({ outcome: 'confirmed' });
  // The same from the environment (comma-separated), as the worker would be started.
  const byEnv = cli(['unsubscribe', underA.unsubscribe], { CONSENT_SECRET: C, CONSENT_PREVIOUS_SECRETS: `${B},${A}` });
  expect(byEnv.first).toMatchObject({ outcome: 'unsubscribed' });

  // The worker's side: a mail carrying a two-rotations-old unsubscribe token is proven by it.
  const mail = join(dir, 'unsubscribe.eml');
  writeFileSync(mail, `From: Bram <bram@example.nl>\r\nTo: privacy@example.org\r\nSubject: unsubscribe ${b.first.unsubscribeToken as string}\r\nMessage-ID: <u1@example.nl>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nPlease unsubscribe me.\r\n`);
  const secretFile = join(dir, 'previous-secrets');
  writeFileSync(secretFile, `${B}\n${A}\n`, { mode: 0o600 });
  expect(cli(['classify', mail, '--secret', C, '--previous-secret-file', secretFile]).first).toMatchObject({ proof: 'token' });
  expect(cli(['classify', mail, '--secret', C]).first).toMatchObject({ proof: 'none' });

  // Once rotated, C alone opens the ledger (the key was re-wrapped), but no longer accepts A's links.
  const fresh = signup('cor@example.nl', C);
  const refused = cli(['confirm', underA.confirm, '--secret', C]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/link/i);
  expect(cli(['confirm', fresh.confirm, '--secret', C]).first).toMatchObject({ outcome: 'confirmed' });
  // A secret this ledger never had is refused, previous secrets or not.
  const wrong = cli(['check', 'anna@example.nl', '--secret', 'secret-X-0123456789-abcdefghijklmnopqrstuv', '--previous-secret', 'secret-Y-0123456789-abcdefghijklmnopqrstuv']);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toContain('created with another secret');
});

test('a previous secret that is too short is refused, naming which one', () => {
  const r = cli(['check', 'anna@example.nl', '--secret', B, '--previous-secret', A, '--previous-secret', 'short']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('previous secret 2, must be at least 32 characters');
  const both = cli(['check', 'anna@example.nl', '--secret', B, '--previous-secret', A, '--previous-secret-file', join(dir, 'x')]);
  expect(both.stderr).toContain('give --previous-secret or --previous-secret-file, not both');
});
