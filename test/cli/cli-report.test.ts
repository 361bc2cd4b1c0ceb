import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `n8n-consent report --svg FILE` (issue 13): the built CLI, as a user runs it, writes the consent
 * funnel's picture and prints its numbers; the days are given with --now, never today's date.
 */
const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const SECRET = 'cli-test-secret-0123456789-abcdefghijklmnop';
let dir: string;
let db: string;

function cli(args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args, '--db', db], { encoding: 'utf8', env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET } });
  const lines = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: run.status, lines, stderr: run.stderr, first: lines[0] };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'consent-cli-report-'));
  db = join(dir, 'ledger.sqlite');
  expect(cli(['init']).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('report --svg FILE: the picture written (owner only), its numbers printed; --weeks chooses the window', () => {
  const csv = join(dir, 'contacts.csv');
  writeFileSync(csv, ['email;name;previously_mailed;topic', 'ann@example.nl;Ann;ja;newsletter', 'bob@example.nl;Bob;ja;newsletter', 'cas@example.nl;Cas;ja;newsletter'].join('\n'));
  expect(cli(['import', csv, '--now', '2026-10-01T09:00:00Z']).code).toBe(0);
  const asked = cli(['request', '--all-eligible', '--consent-text', 'Yes, keep me posted.', '--now', '2026-11-02T09:00:00Z']);
  expect(asked.lines).toHaveLength(3);
  expect(cli(['confirm', String(asked.lines[0].confirmToken), '--now', '2026-11-03T09:00:00Z']).code).toBe(0);
  expect(cli(['unsubscribe', String(asked.lines[1].unsubscribeToken), '--now', '2026-11-04T09:00:00Z']).code).toBe(0);

  const file = join(dir, 'funnel.svg');
  const run = cli(['report', '--svg', file, '--now', '2026-11-23T09:00:00Z']);
  expect(run.code).toBe(0);
  expect(run.lines).toHaveLength(1);
  expect(run.first).toMatchObject({ svg: file, asOf: '2026-11-23T09:00:00.000Z', weeks: 12 });
  expect(run.first.campaigns).toEqual([
    expect.objectContaining({ kind: 'campaign', name: 'cli', topic: 'newsletter', channel: 'email', invited: 3, reminded: 0, confirmed: 1, unsubscribed: 1, expired: 0, open: 1 }),
  ]);
  const weeks = run.first.topics as { weekEnding: string; allowed: number; notAllowed: number }[];
  expect(weeks.map((w) => [w.weekEnding.slice(0, 10), w.allowed, w.notAllowed]).slice(-4)).toEqual([
    ['2026-11-02', 0, 3], // the week ends at 09:00, the very instant of the campaign: counted in
    ['2026-11-09', 1, 2],
    ['2026-11-16', 1, 2],
    ['2026-11-23', 1, 2],
  ]);
  const svg = readFileSync(file, 'utf8');
  expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg).toContain('campaign: cli');
  expect(svg).toContain('3 asked · 0 reminded · 1 confirmed · 0 expired · 1 unsubscribed · 1 no answer yet');
  expect(statSync(file).mode & 0o777).toBe(0o600);

  const four = cli(['report', '--svg', file, '--weeks', '4', '--now', '2026-11-23T09:00:00Z']);
  expect((four.first.topics as unknown[]).length).toBe(4);
  expect(readFileSync(file, 'utf8')).toContain('last 4 weeks');
});

test('report: --weeks needs --svg, and a wrong number of weeks is named', () => {
  expect(cli(['report', '--weeks', '4'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--weeks goes with --svg FILE') });
  const wrong = cli(['report', '--svg', join(dir, 'x.svg'), '--weeks', '0']);
  expect(wrong).toMatchObject({ code: 2, stderr: expect.stringContaining('weeks: at least 1') });
  expect(() => statSync(join(dir, 'x.svg'))).toThrow();
  // Without --svg: the counts as before.
  expect(cli(['report']).code).toBe(0);
});
