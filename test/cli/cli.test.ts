import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs the built CLI as a user does: a separate process, JSON lines on stdout. */
const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const SECRET = 'cli-test-secret-0123456789-abcdefghijklmnop';
let dir: string;
let db: string;

function cli(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [BIN, ...args, '--db', db], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET, ...env },
  });
  const lines = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: run.status, lines, stderr: run.stderr, first: lines[0] };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'consent-cli-'));
  db = join(dir, 'ledger.sqlite');
  expect(cli(['init']).first).toEqual({ created: true, path: db }); // only init makes a ledger file
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NOW = '2026-11-23T09:00:00Z';

test('a re-permission round: import, request all eligible, confirm, check, remind, expire, report', () => {
  const csv = join(dir, 'contacts.csv');
  writeFileSync(
    csv,
    [
      'email;name;phone;external_id;previously_mailed;no_mailings;consent_text;optin_date',
      'klant@example.nl;Klant Een;06-11112222;CRM-1;ja;;;',
      'weg@example.nl;Weg Wezer;;CRM-2;ja;ja;;',
      'nieuw@example.nl;"Nieuw; met puntkomma";;CRM-3;;;;',
      'fout-adres;Fout;;;;;;',
      'stil@example.nl;Stil;;CRM-4;ja;;;',
    ].join('\n'),
  );
  const imported = cli(['import', csv, '--now', NOW, '--operator', 'Privacy Officer']);
  expect(imported.code).toBe(0);
  expect(imported.lines.map((l) => [l.row, l.outcome, l.status ?? null])).toEqual([
    [2, 'imported', 'subscribed'],
    [3, 'imported', 'unsubscribed'],
    [4, 'imported', 'none'],
    [5, 'invalid', null],
    [6, 'imported', 'subscribed'],
    [undefined, undefined, null],
  ]);
  expect(imported.lines[3].reason).toBe('row 5 (line 5), email: "fout-adres" is not an email address');
  expect(imported.lines[5]).toMatchObject({ summary: { rows: 5, imported: 4, invalid: 1 } });
  expect(imported.stderr).toContain('5 row(s): 4 imported, 1 invalid');

  const requested = cli(['request', '--all-eligible', '--consent-text', 'Ja, houd mij op de hoogte.', '--base-url', 'https://n8n.example.nl/webhook/consent', '--now', NOW]);
  expect(requested.code).toBe(0);
  expect(requested.lines.map((l) => l.email)).toEqual(['klant@example.nl', 'nieuw@example.nl', 'stil@example.nl']);
  const klant = requested.lines[0];
  expect(klant.confirmUrl).toBe(`https://n8n.example.nl/webhook/consent/confirm?token=${klant.confirmToken as string}`);

  const confirmed = cli(['confirm', klant.confirmToken as string, '--ip', '192.0.2.1', '--user-agent', 'curl', '--now', '2026-11-24T09:00:00Z']);
  expect(confirmed.first).toMatchObject({ outcome: 'confirmed' });
  expect(cli(['check', 'KLANT@example.nl', '--strict', '--now', '2026-11-24T10:00:00Z']).first).toMatchObject({ allowed: true, reason: 'consent', optin_date: '2026-11-24' });
  expect(cli(['check', 'weg@example.nl', '--now', NOW]).first).toMatchObject({ allowed: false, reason: 'unsubscribed' });

  const reminded = cli(['remind', '--after', '7', '--max', '2', '--now', '2026-12-01T09:00:00Z']);
  expect(reminded.lines.map((l) => [l.email, l.reminders])).toEqual([
    ['nieuw@example.nl', 1],
    ['stil@example.nl', 1],
  ]);
  const expired = cli(['expire', '--after', '30', '--now', '2026-12-24T09:00:00Z']);
  expect(expired.lines.map((l) => [l.email, l.status])).toEqual([
    ['nieuw@example.nl', 'expired'],
    ['stil@example.nl', 'expired'],
  ]);
  expect(cli(['report']).lines).toEqual([
    { topic: 'newsletter', channel: 'email', status: 'confirmed', count: 1 },
    { topic: 'newsletter', channel: 'email', status: 'expired', count: 2 },
    { topic: 'newsletter', channel: 'email', status: 'unsubscribed', count: 1 },
    // Why they are held (SuperOffice's upgrade rules): everyone for sales and service; e-marketing
    // on legitimate interest when mailed before, with no basis when never mailed, withdrawn for "no mailings".
    // Klant confirmed by double opt-in: e-marketing on consent since.
    { purpose: 'emarketing', basis: 'consent', state: 'active', count: 1 },
    { purpose: 'emarketing', basis: 'legitimate_interest', state: 'active', count: 1 },
    { purpose: 'emarketing', basis: 'none', state: 'active', count: 1 },
    { purpose: 'emarketing', basis: 'none', state: 'withdrawn', count: 1 },
    { purpose: 'sales_and_service', basis: 'legitimate_interest', state: 'active', count: 4 },
  ]);
  expect((cli(['export', 'nieuw@example.nl']).first as { purposes: unknown[] }).purposes).toEqual([
    expect.objectContaining({ purpose: 'emarketing', state: 'active', basis: 'none' }),
    expect.objectContaining({ purpose: 'sales_and_service', state: 'active', basis: 'legitimate_interest', setBy: 'Privacy Officer' }),
  ]);
  // An operator sets a basis only with proof; withdrawing e-marketing unsubscribes every topic.
  expect(cli(['purpose', 'stil@example.nl', '--purpose', 'sales_and_service', '--basis', 'contract'])).toMatchObject({ code: 2, stderr: expect.stringContaining('needs proof') });
  expect(cli(['purpose', 'stil@example.nl', '--purpose', 'sales_and_service', '--basis', 'contract', '--proof-ref', 'contract-7.pdf']).first).toMatchObject({ state: 'active', basis: 'contract' });
  expect(cli(['purpose', 'klant@example.nl', '--purpose', 'emarketing', '--withdraw']).first).toMatchObject({ state: 'withdrawn' });
  expect(cli(['check', 'klant@example.nl']).first).toMatchObject({ allowed: false, reason: 'unsubscribed' });
});

test('unsubscribe by token and by address; export; hold then erase; erase', () => {
  const r = cli(['request', 'lid@example.com', '--signup', '--topic', 'newsletter', '--topic', 'events', '--consent-text', 'Yes']).first;
  cli(['confirm', r.confirmToken as string]);
  expect(cli(['unsubscribe', r.unsubscribeToken as string, '--topic', 'events']).first).toMatchObject({
    outcome: 'unsubscribed',
    topics: [{ topic: 'events', status: 'unsubscribed' }],
  });
  expect(cli(['unsubscribe', 'lid@example.com']).first).toMatchObject({ outcome: 'unsubscribed', topics: [{ topic: 'events', outcome: 'kept' }, { topic: 'newsletter', status: 'unsubscribed' }] });

  const exported = cli(['export', 'lid@example.com', '--operator', 'Els']).first as { subject: { email: string }; events: { action: string }[] };
  expect(exported.subject.email).toBe('lid@example.com');
  // The two topics' signups and confirmations (and e-marketing held on consent with them), then the unsubscribes.
  expect(exported.events.map((e) => e.action)).toEqual(['signup', 'signup', 'confirm', 'confirm', 'confirm', 'unsubscribe', 'unsubscribe']);

  expect(cli(['hold', 'lid@example.com', '--until', '2033-01-01', '--reason', 'invoices: 7 years']).first).toMatchObject({ holdUntil: '2033-01-01T00:00:00.000Z' });
  expect(cli(['erase', 'lid@example.com', '--reason', 'asked by phone']).first).toMatchObject({ outcome: 'suppressed', holdReason: 'invoices: 7 years' });
  // Kept only for the retention purpose; when the hold ends, the erasure it deferred follows.
  const held = (cli(['export', 'lid@example.com']).first as { purposes: { purpose: string; state: string; basis: string }[] }).purposes;
  expect(held.map((p) => [p.purpose, p.state, p.basis])).toEqual([['emarketing', 'withdrawn', 'none'], ['retention', 'active', 'legal_obligation']]);
  expect(cli(['end-holds', '--now', '2032-12-31T00:00:00Z']).lines).toEqual([]);
  expect(cli(['end-holds', '--now', '2033-01-02T00:00:00Z']).lines).toEqual([expect.objectContaining({ outcome: 'erased', holdUntil: '2033-01-01T00:00:00.000Z' })]);
  expect(cli(['export', 'lid@example.com']).first).toEqual({ found: false });

  cli(['request', 'ander@example.com', '--signup', '--consent-text', 'Yes']);
  expect(cli(['erase', 'ander@example.com']).first).toMatchObject({ outcome: 'erased' });
  expect(cli(['export', 'ander@example.com']).first).toEqual({ found: false });
  expect(cli(['check', 'ander@example.com']).first).toMatchObject({ allowed: false, reason: 'suppressed' });
});

test.each([
  [['check'], 'give exactly one EMAIL'],
  [['check', 'not-an-address'], 'email: "not-an-address" is not an email address'],
  [['check', 'a@example.com', '--channel', 'fax'], 'channel: one of email, phone, sms, post'],
  [['request', 'a@example.com'], '--consent-text: the exact text the person is asked to agree to is required'],
  [['remind', '--after', 'soon'], '--after: give a number of days'],
  [['hold', 'a@example.com', '--until', '2033-01-01'], '--reason: say why the data must be kept'],
  [['confirm', 'c1.abc.def.ghi'], 'The link token was rejected (malformed)'],
  [['check', 'a@example.com', '--now', 'yesterday'], '--now: "yesterday" is not a date'],
  [['check', 'a@example.com', '--bogus'], "Unknown option '--bogus'"],
  [['frobnicate'], 'unknown command "frobnicate"'],
])('bad input %j → exit 2 and one clear line on stderr', (args, message) => {
  const run = cli(args);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.lines).toEqual([]);
});

test('no secret → exit 2 saying how to make one; a wrong secret cannot read the ledger', () => {
  expect(spawnSync(process.execPath, [BIN, 'report', '--db', db], { encoding: 'utf8', env: { PATH: process.env.PATH } })).toMatchObject({
    status: 2,
    stderr: expect.stringContaining('set CONSENT_SECRET'),
  });
  cli(['erase', 'x@example.com']);
  const wrong = cli(['report'], { CONSENT_SECRET: 'another-secret-entirely-0123456789abcdef' });
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toContain('created with another secret');
});
