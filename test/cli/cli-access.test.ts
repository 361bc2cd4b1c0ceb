import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../core/clock';
import { Ledger } from '../../core/ledger';
import { handleLinkRequest } from '../../core/pages/handle';

/**
 * `n8n-consent access PERSON` (GDPR Art. 15): the person's access link, printed for the officer to
 * pass on, and the request in the register (answered, or not_found when nothing is held), also when
 * it answers a request already there (--request ID). The built CLI; every instant given with --now.
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

async function withLedger<T>(at: string, fn: (ledger: Ledger) => Promise<T>): Promise<T> {
  const { ledger } = await Ledger.open({ store: { kind: 'sqlite', path: db }, settings: { secret: SECRET }, clock: fixedClock(new Date(at)) });
  try {
    return await fn(ledger);
  } finally {
    await ledger.close();
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'consent-cli-access-'));
  db = join(dir, 'ledger.sqlite');
  expect(cli(['init']).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('access prints the link that opens the person\'s data and logs the request as answered; nobody held: not_found, no link', async () => {
  expect(cli(['request', 'anna@example.nl', '--consent-text', 'Ja, de nieuwsbrief.', '--now', '2026-11-23T09:00:00Z']).code).toBe(0);
  const run = cli(['access', 'anna@example.nl', '--base-url', 'https://shop.example/consent', '--operator', 'Eva de Vries', '--now', '2026-11-24T09:00:00Z']);
  expect(run.code).toBe(0);
  expect(run.first).toMatchObject({ found: true, expiresAt: '2026-12-01T09:00:00.000Z', requestId: expect.stringMatching(/^cli-/) });
  const url = new URL(run.first!.accessUrl as string);
  expect(url.origin + url.pathname).toBe('https://shop.example/consent/access');
  expect(url.searchParams.get('token')).toBe(run.first!.accessToken);
  expect(run.stderr).toContain('Give this link only to the person');

  const page = await withLedger('2026-11-25T09:00:00Z', (ledger) =>
    handleLinkRequest(ledger, { method: 'GET', path: url.pathname, query: { token: url.searchParams.get('token')!, format: 'json' }, headers: {} }, { organisation: 'Shop', privacyUrl: 'https://shop.example/privacy' }),
  );
  expect(page.status).toBe(200);
  expect(JSON.parse(page.html)).toMatchObject({ person: { email: 'anna@example.nl' }, consents: [{ topic: 'newsletter', status: 'invited', consentText: 'Ja, de nieuwsbrief.' }] });

  const nobody = cli(['access', 'nobody@example.nl', '--now', '2026-11-24T10:00:00Z']);
  expect(nobody.first).toEqual({ found: false, requestId: expect.stringMatching(/^cli-/) });
  expect(nobody.stderr).toBe('');

  const register = cli(['requests', '--now', '2026-11-25T10:00:00Z']);
  expect(register.lines).toEqual([
    expect.objectContaining({ id: run.first!.requestId, channel: 'cli', kind: 'access', status: 'closed', outcome: 'answered', handledBy: 'Eva de Vries', address: 'anna@example.nl', dueAt: '2026-12-24T09:00:00.000Z' }),
    expect.objectContaining({ id: nobody.first!.requestId, channel: 'cli', kind: 'access', status: 'closed', outcome: 'not_found', address: 'nobody@example.nl' }),
  ]);
  expect(cli(['requests', '--open', '--now', '2026-11-25T10:00:00Z']).lines).toEqual([]);
});

test('--request ID answers an access request already in the register (a mail left to the operator); without a base URL only the token is printed', async () => {
  expect(cli(['request', 'kim@example.nl', '--consent-text', 'Ja.', '--now', '2026-11-20T08:00:00Z']).code).toBe(0);
  await withLedger('2026-11-20T08:00:00Z', (ledger) =>
    ledger.recordRequest({ messageId: '<kim@example.nl>', mailbox: 'INBOX', kind: 'access', receivedAt: new Date('2026-11-20T08:00:00Z'), address: 'kim@example.nl', outcome: 'awaiting_operator' }),
  );
  expect(cli(['requests', '--open', '--now', '2026-11-21T08:00:00Z']).lines.map((l) => l.id)).toEqual(['<kim@example.nl>']);
  const run = cli(['access', 'kim@example.nl', '--request', '<kim@example.nl>', '--now', '2026-11-21T08:00:00Z']);
  expect(run.first).toMatchObject({ found: true, requestId: '<kim@example.nl>', accessToken: expect.stringMatching(/^a1\./) });
  expect(run.first).not.toHaveProperty('accessUrl');
  expect(cli(['requests', '--open', '--now', '2026-11-21T08:00:00Z']).lines).toEqual([]);
  expect(cli(['requests', '--now', '2026-11-21T08:00:00Z']).first).toMatchObject({ id: '<kim@example.nl>', channel: 'mail', outcome: 'answered', handledBy: 'operator (CLI)' });
});

test('a wrong PERSON is refused with a clear line', () => {
  const run = cli(['access', '--now', '2026-11-21T08:00:00Z']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('give exactly one EMAIL, +PHONE, --phone NUMBER or --external-id ID');
});
