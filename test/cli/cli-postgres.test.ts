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
