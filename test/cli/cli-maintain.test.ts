import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `n8n-consent maintain` (issue 13) as a user runs it: the built CLI in a separate process, the
 * ledger's "now" given with --now (nothing here depends on today's date).
 */
const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const SECRET = 'cli-test-secret-0123456789-abcdefghijklmnop';
let dir: string;
let db: string;

function cli(args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args, '--db', db], { encoding: 'utf8', env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET } });
  const lines = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: run.status, stdout: run.stdout, lines, stderr: run.stderr, first: lines[0] };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'consent-cli-'));
  db = join(dir, 'ledger.sqlite');
  expect(cli(['init']).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NOW = '2026-11-23T09:00:00Z';
const LATER = '2027-01-23T09:00:00Z'; // 61 days on

test('maintain: a dry run says what it would do and changes nothing; then it purges the unconfirmed signup (counts only, no address) and lists the hold ending soon', () => {
  cli(['request', 'wacht.nog@example.nl', '--signup', '--consent-text', 'Ja, houd mij op de hoogte.', '--now', NOW]);
  const kept = cli(['request', 'lid@example.nl', '--signup', '--consent-text', 'Ja', '--now', NOW]).first;
  cli(['confirm', kept.confirmToken as string, '--now', NOW]);
  cli(['hold', 'lid@example.nl', '--until', '2027-02-10', '--reason', 'warranty claim', '--now', NOW]);

  const dry = cli(['maintain', '--dry-run', '--now', LATER]);
  expect(dry.code).toBe(0);
  expect(dry.lines).toEqual([
    expect.objectContaining({
      dryRun: true,
      purge: expect.objectContaining({ afterDays: 60, unconfirmedSignups: 1, expiredInvitations: 0, purged: 1, receipts: [] }),
      holds: expect.objectContaining({ erased: 0, released: 0, endingWithinDays: 30, ending: [expect.objectContaining({ email: 'lid@example.nl', holdUntil: '2027-02-10T00:00:00.000Z', holdReason: 'warranty claim', erasureWaiting: false })] }),
    }),
  ]);
  expect(dry.stdout).not.toContain('wacht.nog');
  expect(cli(['export', 'wacht.nog@example.nl', '--now', LATER]).first).toMatchObject({ subject: { email: 'wacht.nog@example.nl' } });

  // A longer term: not yet.
  expect(cli(['maintain', '--purge-after-days', '90', '--now', LATER]).first).toMatchObject({ dryRun: false, purge: { afterDays: 90, purged: 0 } });

  const done = cli(['maintain', '--now', LATER, '--operator', 'Privacy Officer']);
  expect(done.code).toBe(0);
  expect(done.first).toMatchObject({ dryRun: false, purge: { unconfirmedSignups: 1, purged: 1, receipts: [expect.stringMatching(/^erasure-/)] } });
  expect(done.stdout).not.toContain('wacht.nog');
  expect(cli(['export', 'wacht.nog@example.nl', '--now', LATER]).first).toEqual({ found: false });
  expect(cli(['check', 'lid@example.nl', '--now', LATER]).first).toMatchObject({ allowed: true, status: 'confirmed' });
  expect(cli(['maintain', '--now', LATER]).first).toMatchObject({ purge: { purged: 0 } });
});

test('maintain: bad options get one clear line naming the option, exit code 2', () => {
  const word = cli(['maintain', '--purge-after-days', 'soon']);
  expect([word.code, word.stderr]).toEqual([2, expect.stringContaining('--purge-after-days: give a number of days')]);
  const short = cli(['maintain', '--purge-after-days', '7']);
  expect([short.code, short.stderr]).toEqual([2, expect.stringContaining("purgeAfterDays: at least the confirmation link's life (30 days")]);
  const holds = cli(['maintain', '--holds-within', '-3']);
  expect(holds.code).toBe(2);
  expect(holds.stderr).toContain('--holds-within');
});
