import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type PostgresCluster } from '../support/postgres';

/**
 * What cannot be stored faithfully is refused at the CLI on both ledgers, with the field named and
 * exit code 2: a control character in an argument, a NUL in a CSV cell (SQLite used to cut the text
 * there, PostgreSQL answered "invalid byte sequence"). Tab and line breaks in a consent text are kept.
 */
const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const SECRET = 'cli-test-secret-0123456789-abcdefghijklmnop';
const NOW = '2026-11-23T09:00:00Z';
let pg: PostgresCluster;
let dir: string;

beforeAll(async () => {
  pg = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'consent-cli-inputs-'));
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]) {
  const done = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET } });
  return { code: done.status, stderr: done.stderr, lines: done.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const dialects: [string, () => Promise<string[]>][] = [
  [
    'sqlite',
    async () => {
      const db = join(mkdtempSync(join(dir, 'db-')), 'ledger.sqlite');
      expect(run(['init', '--db', db]).code).toBe(0);
      return ['--db', db];
    },
  ],
  ['postgres', async () => ['--postgres', pg.url(await pg.createDatabase())]],
];

describe.each(dialects)('CLI on %s', (_dialect, ledger) => {
  test('a control character in an argument or a NUL in a CSV cell is refused, naming the field; nothing is stored', async () => {
    const at = await ledger();
    const text = run(['request', 'anna@example.nl', '--signup', '--consent-text', 'Ja\u001b[2J, graag', '--now', NOW, ...at]);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('consentText: contains a control character (U+001B at character 3), which cannot be stored: remove it');
    const operator = run(['request', 'anna@example.nl', '--signup', '--consent-text', 'Ja', '--operator', 'Eve\u0007', '--now', NOW, ...at]);
    expect(operator.code).toBe(2);
    expect(operator.stderr).toContain('actor.name: contains a control character (U+0007 at character 4)');

    const csv = join(dir, `nul-${_dialect}.csv`);
    writeFileSync(csv, 'email;external_id;name;previously_mailed\nkim@example.nl;CRM-1\u0000x;Kim;ja\nlee@example.nl;CRM-2;Lee\u0000;ja\nok@example.nl;CRM-3;Ok;ja\n');
    const imported = run(['import', csv, '--now', NOW, ...at]);
    expect(imported.stderr).not.toContain('invalid byte sequence');
    const byRow = Object.fromEntries(imported.lines.map((l) => [l.row, l]));
    expect(byRow[2]).toMatchObject({ outcome: 'invalid', reason: expect.stringContaining('contains a control character (U+0000 at character 6)') });
    expect(byRow[2].reason).toMatch(/external_?id/i);
    expect(byRow[3]).toMatchObject({ outcome: 'invalid', reason: expect.stringMatching(/name: contains a control character \(U\+0000 at character 4\)/) });
    expect(byRow[4]).toMatchObject({ outcome: 'imported' });

    // Nothing of the refused rows is in the ledger, not even cut short at the NUL.
    for (const person of [['kim@example.nl'], ['--external-id', 'CRM-1'], ['lee@example.nl']]) {
      expect(run(['export', ...person, ...at]).lines[0]).toMatchObject({ found: false });
    }
    expect(run(['export', 'anna@example.nl', ...at]).lines[0]).toMatchObject({ found: false });
  });

  test('a consent text keeps its tab and line breaks exactly', async () => {
    const at = await ledger();
    const consentText = 'Ja, ik wil:\n\t- de nieuwsbrief\r\n\t- uitnodigingen';
    expect(run(['request', 'bo@example.nl', '--signup', '--consent-text', consentText, '--now', NOW, ...at]).code).toBe(0);
    const exported = run(['export', 'bo@example.nl', ...at]).lines[0] as { events: { consentText: string }[] };
    expect(exported.events[0].consentText).toBe(consentText);
  });
});
