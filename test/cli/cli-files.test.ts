// The CLI's files, through the built binary: a --db that names no ledger is refused (only init
// makes one), init makes it readable by its owner only, and the secret can come from a file so it
// is not in the process list.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const SECRET = 'cli-test-secret-0123456789-abcdefghijklmnop';
let dir: string;

/** Runs the CLI under umask 022 (the usual one), so a file's mode shows what the CLI asked for. */
function cli(args: string[], env: Record<string, string> = { CONSENT_SECRET: SECRET }) {
  const run = spawnSync('/bin/sh', ['-c', 'umask 022; exec "$0" "$@"', process.execPath, BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  const lines = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: run.status, lines, stderr: run.stderr, first: lines[0] };
}

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'consent-cli-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('--db naming no ledger', () => {
  test.each([['export', 'anna@example.nl'], ['check', 'anna@example.nl'], ['report'], ['erase', 'anna@example.nl']])(
    '%s on a mistyped path: exit 2, saying how to make a ledger; no file is made',
    (...args) => {
      const typo = join(dir, 'consent-ledgr.sqlite');
      const run = cli([...args, '--db', typo]);
      expect(run.code).toBe(2);
      expect(run.lines).toEqual([]); // never `{"found":false}`: that would be a wrong Art. 15 answer
      expect(run.stderr).toBe(`n8n-consent ${args[0]}: --db: there is no ledger at ${typo}. Check the path; to make a new ledger there, run: n8n-consent init --db ${typo}\n`);
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  test('the default ./consent-ledger.sqlite is not made either, and no folder is made on the way', () => {
    const run = spawnSync(process.execPath, [BIN, 'report'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('run: n8n-consent init --db ./consent-ledger.sqlite');
    expect(cli(['report', '--db', join(dir, 'new', 'folder', 'ledger.sqlite')]).code).toBe(2);
    expect(cli(['init', '--db', join(dir, 'new', 'folder', 'ledger.sqlite')])).toMatchObject({ code: 2, stderr: expect.stringContaining(`the folder ${join(dir, 'new', 'folder')} does not exist`) });
    expect(readdirSync(dir)).toEqual([]);
  });

  test('init makes the ledger (0600) once; the commands then work on it; init again changes nothing', () => {
    const db = join(dir, 'ledger.sqlite');
    expect(cli(['init', '--db', db])).toMatchObject({ code: 0, lines: [{ created: true, path: db }] });
    expect(mode(db)).toBe('600');
    expect(cli(['export', 'anna@example.nl', '--db', db])).toMatchObject({ code: 0, lines: [{ found: false }] });
    expect(cli(['init', '--db', db])).toMatchObject({ code: 0, lines: [{ created: false, path: db }] });
    // The secret the ledger was made with is checked by init too.
    expect(cli(['init', '--db', db], { CONSENT_SECRET: 'another-secret-entirely-0123456789abcdef' })).toMatchObject({ code: 2, stderr: expect.stringContaining('created with another secret') });
    expect(readdirSync(dir)).toEqual(['ledger.sqlite']);
  });
});

describe('--secret-file', () => {
  const secretFile = () => {
    const file = join(dir, 'ledger-secret');
    writeFileSync(file, `${SECRET}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return file;
  };

  test('the secret from a file (its final line break is not part of it), as --secret-file or CONSENT_SECRET_FILE', () => {
    const file = secretFile();
    const db = join(dir, 'ledger.sqlite');
    expect(cli(['init', '--db', db, '--secret-file', file], {})).toMatchObject({ code: 0, stderr: '', lines: [{ created: true }] });
    // The very same secret: a ledger made with the file opens with the variable, and the other way round.
    expect(cli(['report', '--db', db], { CONSENT_SECRET: SECRET })).toMatchObject({ code: 0, stderr: '' });
    expect(cli(['report', '--db', db], { CONSENT_SECRET_FILE: file })).toMatchObject({ code: 0, stderr: '' });
    // An explicit file wins over the variable.
    expect(cli(['report', '--db', db, '--secret-file', file], { CONSENT_SECRET: 'another-secret-entirely-0123456789abcdef' })).toMatchObject({ code: 0 });
    expect(cli(['report', '--db', db, '--secret-file', file, '--secret', SECRET], {})).toMatchObject({ code: 2, stderr: expect.stringContaining('give --secret or --secret-file, not both') });
  });

  test('a missing or empty secret file is a clear error (exit 2)', () => {
    const db = join(dir, 'ledger.sqlite');
    const missing = join(dir, 'no-such-secret');
    expect(cli(['init', '--db', db, '--secret-file', missing], {})).toMatchObject({
      code: 2,
      lines: [],
      stderr: `n8n-consent init: --secret-file: cannot read the secret from ${missing}: there is no such file\n`,
    });
    expect(cli(['init', '--db', db], { CONSENT_SECRET_FILE: missing })).toMatchObject({ code: 2, stderr: expect.stringContaining(`CONSENT_SECRET_FILE: cannot read the secret from ${missing}`) });
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n', { mode: 0o600 });
    expect(cli(['init', '--db', db, '--secret-file', empty], {})).toMatchObject({ code: 2, stderr: expect.stringContaining(`--secret-file: ${empty} is empty`) });
    expect(existsSync(db)).toBe(false);
  });

  test('a secret file other users can read works, with a warning to chmod 600 it', () => {
    const file = secretFile();
    chmodSync(file, 0o644);
    const run = cli(['init', '--db', join(dir, 'ledger.sqlite'), '--secret-file', file], {});
    expect(run).toMatchObject({ code: 0, lines: [{ created: true }] });
    expect(run.stderr).toBe(`n8n-consent init: warning: other users have access to the secret file ${file} (mode 0644); make it private: chmod 600 ${file}\n`);
  });
});
