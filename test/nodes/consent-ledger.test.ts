// The Consent Ledger node inside the real n8n engine: import (items and a CSV file, the same rules
// as the CLI), history of one person, a manual status change (the ledger asks for proof),
// retention holds, and the report.
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
}, 20 * 60_000);

afterAll(async () => {
  await closeLedgers();
  await t?.dispose();
  await disposeEngine();
});

const credentials = () => ({ consentLedgerApi: ledgerCredential(t.path) });

function ledgerWorkflow(parameters: Record<string, unknown>, more: Record<string, unknown> = {}) {
  return workflow([start(), node('Consent Ledger', 'consentLedger', { resource: 'contact', ...parameters }, more)], [['Start', 'Consent Ledger']]);
}

async function check(email: string, topic = 'newsletter', channel: 'email' | 'phone' = 'email') {
  const [c] = await t.ledger.check([{ email, topic, channel }]);
  return c;
}

describe('import', () => {
  test('from items named like the CSV columns: imported, kept and invalid rows, each paired with its item', async () => {
    const result = await runWorkflow(
      ledgerWorkflow({ operation: 'importContacts', input: 'items', sourceRef: 'crm-export-2026-11', operator: 'Ilse' }),
      runOptions(credentials(), {
        items: [
          { email: 'ida@example.test', name: 'Ida', status: 'subscribed', basis: 'consent', optin_who: 'Ida', optin_source: 'beurs 2025', optin_date: '2025-03-14', optin_id: 'F-12' },
          { email: 'not-an-address', previously_mailed: true },
          { email: 'pim@example.test', previously_mailed: true },
          { email: 'nina@example.test', no_mailings: 'ja', topic: 'events' },
        ],
      }),
    );

    expect(result.status).toBe('success');
    expect(result.json('Consent Ledger')).toEqual([
      { row: 2, item: 0, outcome: 'imported', reason: null, subjectId: 1, topic: 'newsletter', channel: 'email', status: 'subscribed' },
      { row: 3, item: 1, outcome: 'invalid', reason: expect.stringMatching(/^item 1, email: "not-an-address" is not an email address/) },
      { row: 4, item: 2, outcome: 'imported', reason: null, subjectId: 2, topic: 'newsletter', channel: 'email', status: 'subscribed' },
      { row: 5, item: 3, outcome: 'imported', reason: null, subjectId: 3, topic: 'events', channel: 'email', status: 'unsubscribed' },
    ]);
    expect(result.output('Consent Ledger').map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
    expect(await check('ida@example.test')).toMatchObject({
      allowed: true,
      basis: 'consent',
      optin_who: 'Ida',
      optin_source: 'beurs 2025',
      optin_date: '2025-03-14',
      optin_id: 'F-12',
    });
    expect(await check('pim@example.test')).toMatchObject({ allowed: true, basis: 'legitimate_interest' });
    expect(await check('nina@example.test', 'events')).toMatchObject({ allowed: false, status: 'unsubscribed' });
    const [event] = (await t.ledger.export({ email: 'pim@example.test' }))!.events;
    expect(event).toMatchObject({ action: 'import', actorKind: 'operator', actorName: 'Ilse', sourceKind: 'import', sourceRef: 'crm-export-2026-11' });
  });

  test('from a CSV file (Dutch Excel, semicolons): rows reported by their line in the file', async () => {
    const csv = [
      'email;name;phone;channel;status;basis;consent_text',
      'joop@example.test;Joop;;email;confirmed;consent;Ja, stuur mij de nieuwsbrief.',
      'kees@example.test;Kees;06-123;email;;;',
      ';Lies;0612345679;phone;subscribed;consent;Ja, u mag mij bellen.',
    ].join('\r\n');
    const result = await runWorkflow(
      ledgerWorkflow({ operation: 'importContacts', input: 'binary', binaryPropertyName: 'file' }),
      runOptions(credentials(), {
        items: [{ json: {}, binary: { file: { data: Buffer.from(csv).toString('base64'), mimeType: 'text/csv', fileName: 'contacten.csv' } } }],
      }),
    );

    expect(result.status).toBe('success');
    expect(result.json('Consent Ledger').map((r) => [r.row, r.line, r.file, r.outcome, r.status ?? r.reason])).toEqual([
      [2, 2, 'contacten.csv', 'imported', 'confirmed'],
      [3, 3, 'contacten.csv', 'invalid', 'row 3 (line 3), phone: "06-123" is not a phone number (use +31612345678 or 0612345678)'],
      [4, 4, 'contacten.csv', 'imported', 'subscribed'],
    ]);
    expect(await check('joop@example.test')).toMatchObject({ allowed: true, reason: 'consent' });
    const [phone] = await t.ledger.check([{ phone: '+31612345679', topic: 'newsletter', channel: 'phone' }]);
    expect(phone).toMatchObject({ allowed: true, policy: 'strict' });
    const [event] = (await t.ledger.export({ email: 'joop@example.test' }))!.events;
    expect(event).toMatchObject({ sourceKind: 'import', sourceRef: 'contacten.csv' });
  });

  test('a Latin-1 file from Excel: detected, or read as the Encoding option says; never a replacement character', async () => {
    const csv = Buffer.from('email;name;topic;previously_mailed\r\nmüller@example.test;Jürgen Müller;beurs;ja\r\nmüller@example.test;Jürgen Müller;beurs;ja\r\n', 'latin1');
    const items = [{ json: {}, binary: { file: { data: csv.toString('base64'), mimeType: 'text/csv', fileName: 'excel.csv' } } }];
    const strict = await runWorkflow(ledgerWorkflow({ operation: 'importContacts', input: 'binary', binaryPropertyName: 'file', encoding: 'utf-8' }), runOptions(credentials(), { items }));
    expect(strict.json('Consent Ledger')[0]).toMatchObject({ row: 2, line: 2, outcome: 'invalid', reason: expect.stringContaining('the line is not valid UTF-8 (byte 0xFC at position 2)') });
    expect(await t.ledger.export({ email: 'm\uFFFDller@example.test' })).toBeUndefined();

    for (const encoding of ['auto', 'windows-1252']) {
      const result = await runWorkflow(ledgerWorkflow({ operation: 'importContacts', input: 'binary', binaryPropertyName: 'file', encoding }), runOptions(credentials(), { items }));
      expect(result.json('Consent Ledger').map((r) => [r.row, r.outcome])).toEqual([
        [2, encoding === 'auto' ? 'imported' : 'kept'],
        [3, 'duplicate'],
      ]);
      expect(result.json('Consent Ledger')[1]).toMatchObject({ duplicateOf: { row: 2, line: 2 }, reason: expect.stringContaining('the same person, topic and channel as row 2 (line 2)') });
    }
    expect((await t.ledger.export({ email: 'müller@example.test' }))!.subject).toMatchObject({ name: 'Jürgen Müller' });
  });

  test('fields that are not import columns stop the import and list the columns', async () => {
    const result = await runWorkflow(
      ledgerWorkflow({ operation: 'importContacts', input: 'items' }),
      runOptions(credentials(), { items: [{ email: 'x@example.test', row_number: 2 }] }),
    );

    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/^Unknown column\(s\) "row_number"; the columns are: email, name, phone, external_id, topic/);
  });
});

describe('one person', () => {
  beforeAll(async () => {
    await t.ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'quinn@example.test', externalId: 'CRM-Q', previouslyMailed: true }) }], undefined);
  });

  test('history: everything held about them, or found: false', async () => {
    const result = await runWorkflow(
      ledgerWorkflow({ operation: 'getHistory', email: '={{ $json.email }}' }),
      runOptions(credentials(), { items: [{ email: 'quinn@example.test' }, { email: 'unknown@example.test' }] }),
    );

    const [found, missing] = result.json('Consent Ledger');
    expect(found).toMatchObject({
      found: true,
      subject: { email: 'quinn@example.test', externalId: 'CRM-Q' },
      consents: [{ topic: 'newsletter', status: 'subscribed', basis: 'legitimate_interest' }],
      // The topic's import, then why Quinn is held (issue 16): sales and service, e-marketing.
      events: [
        { action: 'import', toStatus: 'subscribed' },
        { action: 'import', purpose: 'sales_and_service', toStatus: 'active', basis: 'legitimate_interest' },
        { action: 'import', purpose: 'emarketing', toStatus: 'active', basis: 'legitimate_interest' },
      ],
      messages: [],
      activeTokens: 0,
      purposes: [
        { purpose: 'emarketing', state: 'active', basis: 'legitimate_interest' },
        { purpose: 'sales_and_service', state: 'active', basis: 'legitimate_interest' },
      ],
    });
    expect(missing).toEqual({ found: false });
  });

  test("a manual change to subscribed needs proof: the ledger's refusal is the node's error", async () => {
    const refused = await runWorkflow(
      ledgerWorkflow({ operation: 'setStatus', email: 'quinn@example.test', topic: 'events', channel: 'email', status: 'subscribed', basis: 'consent' }),
      runOptions(credentials()),
    );

    expect(refused.status).toBe('error');
    expect(refused.error?.message).toBe('Cannot set from status "none": a manual change to subscribed needs proof (a proof reference or a description).');
    expect(await check('quinn@example.test', 'events')).toMatchObject({ status: 'none' });

    const done = await runWorkflow(
      ledgerWorkflow({
        operation: 'setStatus',
        email: 'quinn@example.test',
        topic: 'events',
        channel: 'email',
        status: 'subscribed',
        basis: 'consent',
        proofRef: 'signed-form-2026-11-23.pdf',
        description: 'signed at the counter',
        operator: 'Ops',
      }),
      runOptions(credentials()),
    );
    expect(done.json('Consent Ledger')).toEqual([
      { topic: 'events', from: 'none', status: 'subscribed', outcome: 'changed', reason: null, subjectId: expect.any(Number), channel: 'email' },
    ]);
    expect(await check('quinn@example.test', 'events')).toMatchObject({ allowed: true, basis: 'consent', optin_who: 'Ops' });
    const history = await t.ledger.export({ email: 'quinn@example.test' });
    expect(history!.events.at(-1)).toMatchObject({ action: 'set', actorName: 'Ops', proofRef: 'signed-form-2026-11-23.pdf', description: 'signed at the counter' });
  });

  test('Set Purpose: a basis needs proof (the refusal is the node\'s error); withdrawing emarketing takes every topic with it', async () => {
    const refused = await runWorkflow(
      ledgerWorkflow({ operation: 'setPurpose', email: 'quinn@example.test', purpose: 'contract_admin', state: 'active', basis: 'contract' }),
      runOptions(credentials()),
    );
    expect(refused.status).toBe('error');
    expect(refused.error?.message).toContain('a manual change to contract needs proof');

    const done = await runWorkflow(
      ledgerWorkflow({ operation: 'setPurpose', email: 'quinn@example.test', purpose: 'contract_admin', state: 'active', basis: 'contract', proofRef: 'contract-2026-14.pdf', operator: 'Ops' }),
      runOptions(credentials()),
    );
    expect(done.json('Consent Ledger')).toEqual([
      { purpose: 'contract_admin', from: 'none', state: 'active', basis: 'contract', outcome: 'changed', reason: null, subjectId: expect.any(Number) },
    ]);

    const withdrawn = await runWorkflow(ledgerWorkflow({ operation: 'setPurpose', email: 'quinn@example.test', purpose: 'emarketing', state: 'withdrawn' }), runOptions(credentials()));
    expect(withdrawn.json('Consent Ledger')).toEqual([expect.objectContaining({ purpose: 'emarketing', from: 'active', state: 'withdrawn', outcome: 'changed' })]);
    expect(await check('quinn@example.test', 'newsletter')).toMatchObject({ allowed: false, status: 'unsubscribed' });
    const held = (await t.ledger.export({ email: 'quinn@example.test' }))!.purposes;
    expect(held.map((p) => [p.purpose, p.state, p.basis])).toEqual([
      ['contract_admin', 'active', 'contract'],
      ['emarketing', 'withdrawn', 'none'],
      ['sales_and_service', 'active', 'legitimate_interest'],
    ]);
  });

  test('a retention hold is set with its date and reason, refused without a reason, and lifted', async () => {
    const held = await runWorkflow(
      ledgerWorkflow({ operation: 'setHold', email: 'quinn@example.test', until: '2032-12-31T00:00:00.000Z', reason: 'contract: 5 years' }),
      runOptions(credentials()),
    );
    expect(held.json('Consent Ledger')).toEqual([{ subjectId: expect.any(Number), holdUntil: '2032-12-31T00:00:00.000Z', holdReason: 'contract: 5 years' }]);

    const noReason = await runWorkflow(ledgerWorkflow({ operation: 'setHold', email: 'quinn@example.test', until: '2032-12-31', reason: ' ' }), runOptions(credentials()));
    expect(noReason.error?.message).toBe('item 0, reason: say why the data must be kept (e.g. "invoices: tax law, 7 years")');

    const lifted = await runWorkflow(ledgerWorkflow({ operation: 'releaseHold', email: 'quinn@example.test' }), runOptions(credentials()));
    expect(lifted.json('Consent Ledger')).toEqual([{ subjectId: expect.any(Number), holdUntil: null, holdReason: null }]);
    expect((await t.ledger.export({ email: 'quinn@example.test' }))!.subject.holdUntil).toBeNull();
  });

  test('an unknown person is an error naming the item, or an error item with continue on fail', async () => {
    const result = await runWorkflow(
      ledgerWorkflow({ operation: 'releaseHold', email: '={{ $json.email }}' }, { onError: 'continueRegularOutput' }),
      runOptions(credentials(), { items: [{ email: 'ghost@example.test' }, { email: 'quinn@example.test' }] }),
    );

    expect(result.json('Consent Ledger')).toEqual([
      { error: 'No subject in the ledger for that email address.' },
      expect.objectContaining({ holdUntil: null }),
    ]);
  });
});

describe('report', () => {
  // A ledger of its own, filled here: the counts do not depend on what the tests above wrote, and
  // the test runs alone (jest -t report) as well as after them.
  let own: Awaited<ReturnType<typeof tempLedger>>;

  beforeAll(async () => {
    own = await tempLedger({}, t.clock);
    const rows = [
      { email: 'ida@example.test', previouslyMailed: true },
      { email: 'pim@example.test', previouslyMailed: true },
      { email: 'quinn@example.test', previouslyMailed: true },
      { email: 'nina@example.test', noMailings: true, topic: 'events' },
      { email: 'joop@example.test', noMailings: true },
    ];
    await own.ledger.importContacts(rows.map((data, i) => ({ row: i + 2, data: parseInput(ImportRowSchema, data) })), undefined);
  });

  afterAll(async () => {
    await own?.dispose();
  });

  test('report: counts per topic, channel and status', async () => {
    const result = await runWorkflow(
      workflow([start(), node('Consent Ledger', 'consentLedger', { resource: 'ledger', operation: 'report' })], [['Start', 'Consent Ledger']]),
      runOptions({ consentLedgerApi: ledgerCredential(own.path) }),
    );

    const counts = result.json('Consent Ledger');
    expect(counts).toEqual(expect.arrayContaining([{ topic: 'newsletter', channel: 'email', status: 'subscribed', count: expect.any(Number) }]));
    const total = counts.reduce((n, c) => n + (c.count as number), 0);
    const [subscribedEmail] = counts.filter((c) => c.topic === 'newsletter' && c.channel === 'email' && c.status === 'subscribed');
    expect(subscribedEmail.count).toBe(3); // ida, pim, quinn
    expect(total).toBe(5);
    expect(counts).toEqual(
      expect.arrayContaining([
        { topic: 'newsletter', channel: 'email', status: 'unsubscribed', count: 1 }, // joop
        { topic: 'events', channel: 'email', status: 'unsubscribed', count: 1 }, // nina
      ]),
    );
  });

  test('report, funnel: the SVG picture as binary on the first item, then the numbers as items (campaign, week, month)', async () => {
    const result = await runWorkflow(
      workflow(
        [start(), node('Consent Ledger', 'consentLedger', { resource: 'ledger', operation: 'report', output: 'funnel', weeks: 3, binaryPropertyName: 'picture' })],
        [['Start', 'Consent Ledger']],
      ),
      runOptions({ consentLedgerApi: ledgerCredential(own.path) }),
    );
    expect(result.status).toBe('success');
    const [first, ...rest] = result.output('Consent Ledger');
    const asOf = t.clock.at.toISOString();
    const fileName = `consent-funnel-${asOf.slice(0, 10)}.svg`;
    expect(first.json).toEqual({ section: 'picture', asOf, weeks: 3, from: new Date(t.clock.at.getTime() - 21 * 86_400_000).toISOString(), fileName, campaigns: 0 });
    expect(first.binary?.picture).toMatchObject({ fileName, mimeType: 'image/svg+xml', fileExtension: 'svg' });
    const svg = Buffer.from(first.binary!.picture.data, 'base64').toString('utf8');
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('newsletter · email');
    expect(svg).toContain('now 3 allowed, 1 not'); // ida, pim, quinn; joop unsubscribed
    // The imports came today: each topic's weeks, the last one counting them.
    const weeks = rest.map((i) => i.json).filter((j) => j.section === 'week');
    expect(weeks.filter((w) => w.topic === 'newsletter').map((w) => [w.allowed, w.notAllowed])).toEqual([[0, 0], [0, 0], [3, 1]]);
    expect(weeks.filter((w) => w.topic === 'events').map((w) => [w.allowed, w.notAllowed])).toEqual([[0, 0], [0, 0], [0, 1]]);
    expect(rest.filter((i) => i.json.section === 'campaign')).toEqual([]);
    expect(rest.filter((i) => i.json.section === 'month').length).toBeGreaterThanOrEqual(1);
    expect(rest.every((i) => i.binary === undefined)).toBe(true);
  });

  test('report, funnel: a wrong number of weeks is the node\'s error, naming the field', async () => {
    const result = await runWorkflow(
      workflow([start(), node('Consent Ledger', 'consentLedger', { resource: 'ledger', operation: 'report', output: 'funnel', weeks: 0 })], [['Start', 'Consent Ledger']]),
      runOptions({ consentLedgerApi: ledgerCredential(own.path) }),
    );
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/^weeks: at least 1$/);
  });
});

describe('list requests', () => {
  // A ledger of its own on the test clock (the node reads it too): the register does not depend on today's date.
  let own: Awaited<ReturnType<typeof tempLedger>>;
  let before: Date;

  beforeAll(async () => {
    before = t.clock.at;
    own = await tempLedger({}, t.clock);
    const mail = (messageId: string, kind: string, receivedAt: string, outcome: string) =>
      own.ledger.recordRequest({ messageId, mailbox: 'INBOX', kind, receivedAt: new Date(receivedAt), address: 'kim@example.test', outcome });
    await mail('<late@mail.example>', 'access', '2026-10-01T08:00:00.000Z', 'awaiting_operator'); // due 1 Nov
    await mail('<soon@mail.example>', 'erase', '2026-10-28T08:00:00.000Z', 'awaiting_verification'); // due 28 Nov
    await mail('<later@mail.example>', 'unknown', '2026-11-20T08:00:00.000Z', 'needs_review'); // due 20 Dec
    await mail('<done@mail.example>', 'unsubscribe', '2026-11-01T08:00:00.000Z', 'unsubscribed');
    await mail('<bounce@mail.example>', 'bounce', '2026-11-01T08:00:00.000Z', 'needs_review');
    t.clock.at = new Date('2026-11-23T09:00:00Z');
  });

  afterAll(async () => {
    t.clock.at = before;
    await own?.dispose();
  });

  const list = async (filters: Record<string, number | boolean>) => {
    const result = await runWorkflow(
      workflow([start(), node('Consent Ledger', 'consentLedger', { resource: 'request', operation: 'listRequests', filters })], [['Start', 'Consent Ledger']]),
      runOptions({ consentLedgerApi: ledgerCredential(own.path) }),
    );
    return result;
  };
  const ids = async (filters: Record<string, number | boolean>) => (await list(filters)).json('Consent Ledger').map((r) => r.id);

  test('every request, the most urgent first; open, overdue and due within days as the CLI filters them', async () => {
    const all = await list({});
    expect(all.status).toBe('success');
    expect(all.json('Consent Ledger').map((r) => r.id)).toEqual(['<late@mail.example>', '<soon@mail.example>', '<done@mail.example>', '<later@mail.example>']);
    expect(all.json('Consent Ledger')[0]).toEqual({
      id: '<late@mail.example>', channel: 'mail', kind: 'access', status: 'open', overdue: true, receivedAt: '2026-10-01T08:00:00.000Z', dueAt: '2026-11-01T08:00:00.000Z', daysLeft: -22,
      outcome: 'awaiting_operator', handledBy: null, subjectId: null, address: 'kim@example.test', extendedAt: null, extensionReason: null, closedAt: null, closeNote: null,
    });
    expect(await ids({ open: true })).toEqual(['<late@mail.example>', '<soon@mail.example>', '<later@mail.example>']);
    expect(await ids({ overdue: true })).toEqual(['<late@mail.example>']);
    expect(await ids({ dueWithinDays: 7 })).toEqual(['<late@mail.example>', '<soon@mail.example>']);
  });

  test('nothing due: no items; a wrong filter is an error naming it', async () => {
    t.clock.at = new Date('2026-10-15T09:00:00Z');
    try {
      const none = await list({ dueWithinDays: 7 });
      expect(none.status).toBe('success');
      expect(none.json('Consent Ledger')).toEqual([]);
    } finally {
      t.clock.at = new Date('2026-11-23T09:00:00Z');
    }
    const wrong = await list({ dueWithinDays: 1.5 });
    expect(wrong.status).toBe('error');
    expect(wrong.error?.message).toContain('dueWithinDays: a whole number of days');
  });
});
