import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startPostgres, type PostgresCluster } from '../support/postgres';

/** The same CLI on a PostgreSQL ledger: --postgres URL, or CONSENT_POSTGRES_URL. */
const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const SECRET = 'cli-test-secret-0123456789-abcdefghijklmnop';
let pg: PostgresCluster;
let url: string;

beforeAll(async () => {
  pg = await startPostgres();
  url = pg.url(await pg.createDatabase('cli'));
}, 120_000);
afterAll(() => pg?.stop());

function cli(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET, ...env } });
  return { code: run.status, stderr: run.stderr, lines: run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('request, confirm and check on PostgreSQL, by flag and by environment', () => {
  const requested = cli(['request', 'pg@example.com', '--signup', '--consent-text', 'Yes', '--postgres', url]);
  expect(requested.code).toBe(0);
  expect(cli(['confirm', requested.lines[0].confirmToken as string], { CONSENT_POSTGRES_URL: url }).lines[0]).toMatchObject({ outcome: 'confirmed' });
  expect(cli(['check', 'pg@example.com', '--strict'], { CONSENT_POSTGRES_URL: url }).lines[0]).toMatchObject({ allowed: true, reason: 'consent' });
});

test('SQLite and PostgreSQL at once is refused; a wrong URL is bad input', () => {
  expect(cli(['report', '--postgres', url, '--db', 'x.sqlite'])).toMatchObject({ code: 2, stderr: expect.stringContaining('not both') });
  expect(cli(['report', '--postgres', 'mysql://nope'])).toMatchObject({ code: 2, stderr: expect.stringContaining('postgres://user:password@host:5432/database') });
});

test('the requests register on PostgreSQL: erase and unsubscribe logged with who handled them, listed by filter; a closed one is neither extended nor closed again', () => {
  const db = ['--postgres', url];
  expect(cli(['request', 'reg@example.com', '--consent-text', 'Yes', '--now', '2026-11-23T09:00:00Z', ...db]).code).toBe(0);
  const unsubscribed = cli(['unsubscribe', 'reg@example.com', '--operator', 'Eva', '--now', '2026-11-23T10:00:00Z', ...db]).lines[0];
  const erased = cli(['erase', 'gone@example.com', '--now', '2026-11-24T10:00:00Z', ...db]).lines[0];
  expect(erased).toMatchObject({ outcome: 'not_found', requestId: expect.stringMatching(/^cli-/) });
  const all = cli(['requests', '--now', '2026-11-25T09:00:00Z', ...db]).lines;
  expect(all).toEqual([
    expect.objectContaining({ id: unsubscribed.requestId, channel: 'cli', kind: 'unsubscribe', status: 'closed', handledBy: 'Eva', dueAt: '2026-12-23T10:00:00.000Z', address: 'reg@example.com' }),
    expect.objectContaining({ id: erased.requestId, kind: 'erase', status: 'closed', outcome: 'not_found', handledBy: 'operator (CLI)', dueAt: '2026-12-24T10:00:00.000Z', address: null }),
  ]);
  expect(cli(['requests', '--open', '--now', '2026-11-25T09:00:00Z', ...db]).lines).toEqual([]);
  // Closed requests are neither extended nor closed again.
  expect(cli(['requests', 'extend', erased.requestId as string, '--reason', 'busy', '--now', '2026-11-25T09:00:00Z', ...db])).toMatchObject({ code: 2, stderr: expect.stringContaining('is closed') });
  expect(cli(['requests', 'close', erased.requestId as string, '--note', 'again', '--now', '2026-11-25T09:00:00Z', ...db])).toMatchObject({ code: 2, stderr: expect.stringContaining('is closed already') });
});
