import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeService } from './contract';
import { cli } from './service';

const dir = mkdtempSync(join(tmpdir(), 'consent-serve-'));
const db = join(dir, 'ledger.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeService('sqlite', async () => {
  expect(cli(['--db', db], ['init']).code).toBe(0);
  return { store: ['--db', db] };
});

test('API keys are stored hashed: the key\'s bytes are in no ledger file, and a revoked key stays revoked', () => {
  const other = join(dir, 'keys.sqlite');
  expect(cli(['--db', other], ['init']).code).toBe(0);
  const made = cli(['--db', other], ['keys', 'create', '--scope', 'check']).lines[0];
  const key = made.key as string;
  const secretPart = key.split('_')[2];
  const files = readdirSync(dir).filter((f) => f.startsWith('keys.sqlite'));
  expect(files).toContain('keys.sqlite');
  for (const file of files) {
    const bytes = readFileSync(join(dir, file));
    expect(bytes.includes(Buffer.from(key))).toBe(false);
    expect(bytes.includes(Buffer.from(secretPart))).toBe(false);
  }
  const bad = cli(['--db', other], ['keys', 'create', '--scope', 'check,everything']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/scopes\.1: a scope is one of check, request/);
  expect(cli(['--db', other], ['keys', 'revoke', 'nope']).stderr).toMatch(/no API key with id "nope"/);
});

test('serve refuses without the page settings, naming the flag', () => {
  const run = cli(['--db', db], ['serve', '--port', '0']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/--organisation/);
});
