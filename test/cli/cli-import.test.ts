// `n8n-consent import` as a user runs it (the built binary, a separate process): every row of the
// file is on stdout with its row and line, the summary line adds up, Latin-1 files are read right
// (detected, or with --encoding), and rows that would mix up people are reported, not a raw error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const SECRET = 'cli-test-secret-0123456789-abcdefghijklmnop';
const NOW = '2026-11-23T09:00:00Z';
let dir: string;
let db: string;

type Line = Record<string, unknown> & { summary?: Record<string, number | string> };

function cli(args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args, '--db', db, '--now', NOW], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET },
  });
  const lines = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
  const rows = lines.filter((l) => !l.summary);
  return { code: run.status, rows, summary: lines.find((l) => l.summary)?.summary, stderr: run.stderr, byRow: new Map(rows.map((r) => [r.row, r])) };
}

function file(name: string, content: string | Buffer) {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'consent-cli-import-'));
  db = join(dir, 'ledger.sqlite');
  expect(cli(['init']).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('1,000 rows with an unterminated quote at row 502: row 502 is reported by row and line, every other row is imported', () => {
  const lines = ['email;name;external_id;previously_mailed'];
  for (let row = 2; row <= 1000; row++) lines.push(row === 502 ? `p${row}@example.nl;"Jansen;CRM-${row};ja` : `p${row}@example.nl;Naam ${row};CRM-${row};ja`);
  const run = cli(['import', file('contacts.csv', `${lines.join('\r\n')}\r\n`)]);

  expect(run.code).toBe(0);
  expect(run.rows).toHaveLength(999);
  expect(run.rows.map((r) => r.row)).toEqual(Array.from({ length: 999 }, (_, i) => i + 2));
  expect(run.byRow.get(502)).toMatchObject({ line: 502, outcome: 'invalid', reason: expect.stringMatching(/^row 502 \(line 502\), a quoted cell that starts on this line is not closed/) });
  expect(run.rows.filter((r) => r.outcome === 'imported')).toHaveLength(998);
  expect(run.summary).toMatchObject({ rows: 999, imported: 998, kept: 0, skipped: 0, duplicate: 0, conflict: 0, invalid: 1, empty: 0, lines: 1000 });
  expect(run.stderr).toContain('999 row(s): 998 imported, 1 invalid (read as utf-8: valid UTF-8).');
  expect(cli(['check', 'p1000@example.nl']).rows[0]).toMatchObject({ allowed: true, status: 'subscribed' });

  // Importing the same file again changes nothing and still accounts for every row.
  expect(cli(['import', join(dir, 'contacts.csv')]).summary).toMatchObject({ rows: 999, kept: 998, invalid: 1 });
});

test('a Latin-1 file: detected without --encoding, read with --encoding latin1, refused row by row with --encoding utf-8', () => {
  const latin1 = file('excel.csv', Buffer.from('email,name,previously_mailed\nmüller@example.nl,Jürgen Müller,ja\nbakker@example.nl,Bakker,ja\n', 'latin1'));

  const strict = cli(['import', latin1, '--encoding', 'utf-8']);
  expect(strict.byRow.get(2)).toMatchObject({
    outcome: 'invalid',
    reason: 'row 2 (line 2), the line is not valid UTF-8 (byte 0xFC at position 2); if the file is from Excel on Windows, import it with --encoding windows-1252',
  });
  expect(strict.summary).toMatchObject({ rows: 2, imported: 1, invalid: 1 });
  expect(cli(['export', 'm\uFFFDller@example.nl']).rows[0]).toMatchObject({ found: false });

  const given = cli(['import', latin1, '--encoding', 'latin1']);
  expect(given.summary).toMatchObject({ rows: 2, imported: 1, kept: 1, encoding: 'windows-1252', encodingFrom: '--encoding latin1' });
  expect(cli(['export', 'müller@example.nl']).rows[0]).toMatchObject({ subject: { email: 'müller@example.nl', name: 'Jürgen Müller' } });

  db = join(dir, 'fresh.sqlite');
  expect(cli(['init']).code).toBe(0);
  const detected = cli(['import', latin1]);
  expect(detected.summary).toMatchObject({ rows: 2, imported: 2, encoding: 'windows-1252', encodingFrom: 'line 2 is not UTF-8 (byte 0xFC at position 2)' });
  expect(cli(['export', 'müller@example.nl']).rows[0]).toMatchObject({ subject: { name: 'Jürgen Müller' } });

  const wrong = cli(['import', latin1, '--encoding', 'ebcdic']);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toContain('--encoding');
  expect(wrong.stderr).toContain('use one of: auto, utf-8, windows-1252, latin1');
});

test('extra cells, in-file duplicates and an external id of another person: each reported with its rows, the rest imported', () => {
  expect(cli(['import', file('crm.csv', 'email,external_id,previously_mailed\ntom@example.nl,CRM-7,ja\n')]).summary).toMatchObject({ imported: 1 });
  const run = cli([
    'import',
    file(
      'export.csv',
      [
        'email,external_id,previously_mailed',
        'kim@example.nl,CRM-7,ja', // CRM-7 is Tom's
        'ann@example.nl,CRM-1,ja',
        'bas@example.nl,CRM-1,ja', // CRM-1 is Ann's, from row 3
        'ann@example.nl,CRM-1,ja', // Ann again
        'cor@example.nl,CRM-3,ja,Utrecht', // a cell with no column
        'dirk@example.nl,CRM-4,ja',
      ].join('\n'),
    ),
  ]);

  expect(run.code).toBe(0);
  expect(run.stderr).not.toContain('UNIQUE');
  expect(run.rows.map((r) => [r.row, r.line, r.outcome])).toEqual([
    [2, 2, 'conflict'],
    [3, 3, 'imported'],
    [4, 4, 'conflict'],
    [5, 5, 'duplicate'],
    [6, 6, 'invalid'],
    [7, 7, 'imported'],
  ]);
  expect(run.byRow.get(2)!.reason).toBe("row 2 (line 2), external_id CRM-7 belongs to a person already in the ledger, who has another email address; correct the row, or that person's address first");
  expect(run.byRow.get(4)!.reason).toBe("row 4 (line 4), external_id CRM-1 belongs to the person of row 3 (line 3), who has another email address; correct the row, or that person's address first");
  expect(run.byRow.get(5)).toMatchObject({ duplicateOf: { row: 3, line: 3 }, reason: 'row 5 (line 5), the same person, topic and channel as row 3 (line 3): only that row counts; merge the two rows' });
  expect(run.byRow.get(6)!.reason).toBe('row 6 (line 6), cell 4 "Utrecht": the header has no column for it (it names 3); a value holding "," must be in double quotes');
  expect(run.summary).toMatchObject({ rows: 6, imported: 2, conflict: 2, duplicate: 1, invalid: 1 });
  expect(run.stderr).toContain('6 row(s): 2 imported, 1 duplicate, 2 conflict, 1 invalid');
  for (const email of ['kim@example.nl', 'bas@example.nl', 'cor@example.nl']) expect(cli(['export', email]).rows[0]).toMatchObject({ found: false });
  expect(cli(['export', '--external-id', 'CRM-7']).rows[0]).toMatchObject({ subject: { email: 'tom@example.nl' } });
});
