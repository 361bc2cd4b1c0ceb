import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type StoreConfig } from '../../core/store/open';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'consent-open-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openStore in n8n queue mode', () => {
  test('the embedded SQLite ledger is refused, pointing to PostgreSQL', async () => {
    const opening = openStore({ kind: 'sqlite', path: join(dir, 'queue.sqlite') }, { EXECUTIONS_MODE: 'queue' });
    await expect(opening).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('EXECUTIONS_MODE=queue') });
    await expect(opening).rejects.toThrow(/Use a PostgreSQL ledger/);
  });

  test('the process environment is what it reads by default', async () => {
    const before = process.env.EXECUTIONS_MODE;
    process.env.EXECUTIONS_MODE = 'queue';
    try {
      await expect(openStore({ kind: 'sqlite', path: join(dir, 'env.sqlite') })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      if (before === undefined) delete process.env.EXECUTIONS_MODE;
      else process.env.EXECUTIONS_MODE = before;
    }
  });

  test('in regular mode SQLite opens', async () => {
    const store = await openStore({ kind: 'sqlite', path: join(dir, 'regular.sqlite') }, { EXECUTIONS_MODE: 'regular' });
    expect(store.dialect).toBe('sqlite');
    await store.close();
  });
});

describe('a new SQLite ledger is private', () => {
  const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);
  let umask: number;
  beforeEach(() => {
    umask = process.umask(0o022); // the usual umask, which leaves new files readable by everyone
  });
  afterEach(() => process.umask(umask));

  test('the file, its -wal and its -shm are made 0600 (as the n8n credential and the worker open it)', async () => {
    const path = join(dir, 'private', 'ledger.sqlite');
    const store = await openStore({ kind: 'sqlite', path });
    try {
      await store.transaction((tx) => tx.setMeta('probe', 'written')); // a write: the WAL is in use
      expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual(['600', '600', '600']);
    } finally {
      await store.close();
    }
  });

  test('an existing ledger file keeps the mode its owner gave it', async () => {
    const path = join(dir, 'shared.sqlite');
    writeFileSync(path, '');
    chmodSync(path, 0o640);
    const store = await openStore({ kind: 'sqlite', path });
    await store.close();
    expect(mode(path)).toBe('640');
  });
});

describe('store settings are checked before anything is opened, naming the field', () => {
  const cases: [string, unknown, RegExp][] = [
    ['no kind', { path: 'x' }, /^store, kind: one of sqlite, postgres/],
    ['unknown kind', { kind: 'mysql' }, /^store, kind: one of sqlite, postgres$/],
    ['sqlite without a path', { kind: 'sqlite', path: ' ' }, /path: give the path of the SQLite ledger file/],
    ['postgres without database', { kind: 'postgres', user: 'n8n' }, /database: give the database name \(or a connection URL\)/],
    ['postgres without user', { kind: 'postgres', database: 'n8n' }, /user: give the user name \(or a connection URL\)/],
    ['port out of range', { kind: 'postgres', database: 'n8n', user: 'n8n', port: 70000 }, /port: a TCP port, 1 to 65535/],
    ['ssl mode unknown', { kind: 'postgres', database: 'n8n', user: 'n8n', ssl: 'yes' }, /ssl: one of disable, require, verify-full/],
    ['schema not a plain name', { kind: 'postgres', database: 'n8n', user: 'n8n', schema: 'Consent-Ledger' }, /schema: use lower-case letters/],
    ['schema in the pg_ namespace', { kind: 'postgres', database: 'n8n', user: 'n8n', schema: 'pg_consent' }, /schema: use lower-case letters/],
    ['url of another kind', { kind: 'postgres', url: 'mysql://h/db' }, /url: a URL like postgres:\/\//],
  ];
  test.each(cases)('%s', async (_, config, message) => {
    await expect(openStore(config as StoreConfig)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });
  });
});
