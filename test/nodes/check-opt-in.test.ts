// Check Opt-in inside the real n8n engine: Start → Check Opt-In → (Allowed → Send, Denied → Skip),
// on a real SQLite ledger, seeded through the ledger as an import would.
import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { ImportRowSchema, Ledger } from '../../core/ledger';
import { parseInput } from '../../core/validation';
import { CheckOptIn } from '../../nodes/CheckOptIn/CheckOptIn.node';
import { closeLedgers } from '../../nodes/shared/ledger-connection';
import { disposeEngine, ensureN8nHostForEngine, runWorkflow } from '../support/n8n-engine';
import { tempLedger } from '../support/ledger';
import { ledgerCredential, node, runOptions, start, workflow } from './support';

let t: Awaited<ReturnType<typeof tempLedger>>;

beforeAll(async () => {
  await ensureN8nHostForEngine();
  t = await tempLedger();
  const rows = [
    { email: 'anna@example.test', status: 'confirmed', consentText: 'Ja, graag de nieuwsbrief.' },
    { email: 'bob@example.test', previouslyMailed: true },
    { email: 'carla@example.test', status: 'unsubscribed' },
    {
      phone: '+31612345678',
      channel: 'phone',
      status: 'subscribed',
      basis: 'consent',
      optinWho: 'Belteam Noord',
      optinSource: 'call-2026-0042',
      optinDate: '2026-11-01',
      optinId: 'CP-1',
      optinDescription: 'mondeling ja tijdens gesprek',
    },
  ];
  await t.ledger.importContacts(rows.map((r, i) => ({ row: i + 2, data: parseInput(ImportRowSchema, r) })), undefined);
}, 20 * 60_000);

afterAll(async () => {
  await closeLedgers();
  await t?.dispose();
  await disposeEngine();
});

const credentials = () => ({ consentLedgerApi: ledgerCredential(t.path) });

function checkWorkflow(parameters: Record<string, unknown> = {}, more: Record<string, unknown> = {}) {
  return workflow(
    [
      start(),
      node('Check Opt-In', 'checkOptIn', { email: '={{ $json.email }}', ...parameters }, more),
      node('Send', 'n8n-nodes-base.noOp'),
      node('Skip', 'n8n-nodes-base.noOp'),
    ],
    [
      ['Start', 'Check Opt-In'],
      ['Check Opt-In', 'Send', 0],
      ['Check Opt-In', 'Skip', 1],
    ],
  );
}

describe('Check Opt-In', () => {
  test('checks a purpose instead of a topic: allowed while it is active on a legal basis (strict: consent)', async () => {
    const items = ['anna@example.test', 'bob@example.test', 'carla@example.test', 'dave@example.test'].map((email) => ({ email }));
    const run = async (options: Record<string, unknown>) => {
      const result = await runWorkflow(checkWorkflow({ options: { ...options, resultField: 'held' } }), runOptions(credentials(), { items }));
      expect(result.status).toBe('success');
      return { send: result.json('Send'), skip: result.json('Skip') };
    };
    const sales = await run({ purpose: 'sales_and_service' });
    expect(sales.send.map((i) => i.email)).toEqual(['anna@example.test', 'bob@example.test', 'carla@example.test']);
    expect(sales.send[0].held).toMatchObject({ allowed: true, reason: 'legitimate_interest', purpose: 'sales_and_service', state: 'active', basis: 'legitimate_interest' });
    expect(sales.skip).toEqual([expect.objectContaining({ email: 'dave@example.test', held: expect.objectContaining({ allowed: false, reason: 'unknown' }) })]);

    const marketing = await run({ purpose: 'emarketing' });
    expect(marketing.send.map((i) => [i.email, (i.held as { basis: string }).basis])).toEqual([['anna@example.test', 'consent'], ['bob@example.test', 'legitimate_interest']]);
    expect(marketing.skip.map((i) => [i.email, (i.held as { reason: string }).reason])).toEqual([['carla@example.test', 'no_purpose_basis'], ['dave@example.test', 'unknown']]);

    const strict = await run({ purpose: 'emarketing', strict: true });
    expect(strict.send.map((i) => i.email)).toEqual(['anna@example.test']);
    expect(strict.skip[0]).toMatchObject({ email: 'bob@example.test', held: { allowed: false, reason: 'strict_requires_consent' } });
  });

  test('sends each item to Allowed or Denied with the reason, status, basis and since, passing the item on', async () => {
    const result = await runWorkflow(
      checkWorkflow(),
      runOptions(credentials(), {
        items: [
          { email: 'Anna@Example.test', crmId: 7 },
          { email: 'bob@example.test', crmId: 8 },
          { email: 'carla@example.test', crmId: 9 },
          { email: 'dave@example.test', crmId: 10 },
        ],
      }),
    );

    expect(result.status).toBe('success');
    expect(result.executionOrder).toEqual(['Start', 'Check Opt-In', 'Send', 'Skip']);
    const allowed = result.json('Send');
    expect(allowed.map((i) => i.crmId)).toEqual([7, 8]);
    expect(allowed[0]).toMatchObject({
      email: 'Anna@Example.test',
      consent: { allowed: true, reason: 'consent', status: 'confirmed', basis: 'consent', topic: 'newsletter', channel: 'email', policy: 'standard' },
    });
    expect((allowed[0].consent as { since: string }).since).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(allowed[1]).toMatchObject({ consent: { allowed: true, reason: 'legitimate_interest', status: 'subscribed', basis: 'legitimate_interest' } });

    const denied = result.json('Skip');
    expect(denied.map((i) => [i.crmId, (i.consent as { reason: string }).reason])).toEqual([
      [9, 'unsubscribed'],
      [10, 'unknown'],
    ]);
    expect(denied[1]).toMatchObject({ consent: { allowed: false, status: 'none', basis: 'none', since: null, subjectId: null } });
    expect(result.output('Check Opt-In', 1)[0].pairedItem).toEqual({ item: 2 });
  });

  test('strict mode lets only explicit consent through', async () => {
    const result = await runWorkflow(
      checkWorkflow({ options: { strict: true } }),
      runOptions(credentials(), { items: [{ email: 'anna@example.test' }, { email: 'bob@example.test' }] }),
    );

    expect(result.json('Send').map((i) => i.email)).toEqual(['anna@example.test']);
    expect(result.json('Skip')[0]).toMatchObject({
      email: 'bob@example.test',
      consent: { allowed: false, reason: 'strict_requires_consent', policy: 'strict', status: 'subscribed' },
    });
  });

  test('phone checks carry the CallPro opt-in fields, from an expression per item', async () => {
    const result = await runWorkflow(
      checkWorkflow({ email: '', phone: '={{ $json.contact.mobile }}', channel: 'phone', options: { resultField: 'optin' } }),
      runOptions(credentials(), { items: [{ contact: { mobile: '06 1234 5678' } }, { contact: { mobile: '+31698765432' } }] }),
    );

    expect(result.status).toBe('success');
    expect(result.json('Send')).toEqual([
      {
        contact: { mobile: '06 1234 5678' },
        optin: expect.objectContaining({
          allowed: true,
          reason: 'consent',
          channel: 'phone',
          policy: 'strict',
          optin_who: 'Belteam Noord',
          optin_source: 'call-2026-0042',
          optin_date: '2026-11-01',
          optin_id: 'CP-1',
          optin_description: 'mondeling ja tijdens gesprek',
        }),
      },
    ]);
    expect(result.json('Skip')[0]).toMatchObject({ optin: { allowed: false, reason: 'unknown', optin_who: null } });
  });

  test('all items of a run are checked with one ledger call', async () => {
    const check = jest.spyOn(Ledger.prototype, 'check');
    try {
      const items = Array.from({ length: 250 }, (_, i) => ({ email: i === 0 ? 'anna@example.test' : `person${i}@example.test` }));
      const result = await runWorkflow(checkWorkflow(), runOptions(credentials(), { items }));

      expect(result.json('Send')).toHaveLength(1);
      expect(result.json('Skip')).toHaveLength(249);
      expect(check).toHaveBeenCalledTimes(1);
      expect(check.mock.calls[0][0]).toHaveLength(250);
    } finally {
      check.mockRestore();
    }
  });

  test('a wrong field stops the run with a message naming the field and the item', async () => {
    const result = await runWorkflow(
      checkWorkflow(),
      runOptions(credentials(), { items: [{ email: 'anna@example.test' }, { email: 'not-an-address' }] }),
    );

    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/^item 1, email: "not-an-address" is not an email address/);
    expect(result.error?.node?.name).toBe('Check Opt-In');
  });

  test('an item without any identity says what to give', async () => {
    const result = await runWorkflow(checkWorkflow({ topic: 'events' }), runOptions(credentials(), { items: [{ name: 'no address' }] }));

    expect(result.status).toBe('error');
    expect(result.error?.message).toBe('item 0, give an email, a phone number, an external id or a subject id');
  });

  test('continue on fail: the failing item becomes an error item on Denied, never Allowed; the others go on', async () => {
    const result = await runWorkflow(
      checkWorkflow({}, { onError: 'continueRegularOutput' }),
      runOptions(credentials(), { items: [{ email: 'broken' }, { email: 'anna@example.test' }, { email: 'carla@example.test' }] }),
    );

    expect(result.status).toBe('success');
    expect(result.json('Send').map((i) => i.email)).toEqual(['anna@example.test']);
    expect(result.json('Skip')).toEqual([
      { error: expect.stringMatching(/^item 0, email: "broken" is not an email address/) },
      expect.objectContaining({ email: 'carla@example.test' }),
    ]);
  });

  test("continue on fail with an error output: the failing item goes to n8n's error branch with its input", async () => {
    const result = await runWorkflow(
      checkWorkflow({}, { onError: 'continueErrorOutput' }),
      runOptions(credentials(), { items: [{ email: 'broken' }, { email: 'anna@example.test' }] }),
    );

    expect(result.branchCount('Check Opt-In')).toBe(3);
    expect(result.json('Check Opt-In', 2)).toEqual([{ email: 'broken', error: expect.stringMatching(/^item 0, email: "broken" is not an email address/) }]);
    expect(result.json('Check Opt-In', 1)).toEqual([]);
    expect(result.json('Send').map((i) => i.email)).toEqual(['anna@example.test']);
  });

  test('a wrong credential is reported in the words of the credential form', async () => {
    const result = await runWorkflow(
      checkWorkflow(),
      runOptions({ consentLedgerApi: ledgerCredential(t.path, { secret: 'short', privacyUrl: 'javascript:alert(1)' }) }, { items: [{ email: 'anna@example.test' }] }),
    );

    expect(result.status).toBe('error');
    expect(result.error?.message).toBe(
      'Consent Ledger credential, Secret: must be at least 32 characters; make one with: openssl rand -base64 32; Privacy Policy URL: must be an absolute https:// URL, e.g. https://example.com/privacy',
    );
  });
});

describe('the Consent Ledger credential test', () => {
  const test_ = (data: Record<string, unknown>) =>
    new CheckOptIn().methods.credentialTest.consentLedgerApiTest.call(new CredentialTestContext(), {
      id: '1',
      name: 'Consent Ledger account',
      type: 'consentLedgerApi',
      data: data as ICredentialDataDecryptedObject,
    });

  test('passes on the right secret and says which ledger it reached', async () => {
    expect(await test_(ledgerCredential(t.path))).toEqual({ status: 'OK', message: `Connected to the ledger in the SQLite file ${t.path}; the secret matches.` });
  });

  test('says a new ledger was set up when the file did not exist yet', async () => {
    const path = `${t.dir}/fresh/ledger.sqlite`;
    expect(await test_(ledgerCredential(path))).toEqual({ status: 'OK', message: `Connected: a new, empty ledger was set up in the SQLite file ${path}.` });
  });

  test('reports a secret this ledger was not made with', async () => {
    const result = await test_(ledgerCredential(t.path, { secret: 'another-secret-0123456789abcdefghijklmnop' }));
    expect(result.status).toBe('Error');
    expect(result.message).toContain('This ledger was created with another secret');
  });

  test('accepts the old secret as the previous one while rotating', async () => {
    const path = `${t.dir}/rotate/ledger.sqlite`;
    expect((await test_(ledgerCredential(path))).status).toBe('OK');
    const rotating = await test_(ledgerCredential(path, { secret: 'the-new-secret-0123456789abcdefghijklmnop', previousSecret: ledgerCredential('').secret }));
    expect(rotating.status).toBe('OK');
    // Once rotated, the new secret alone reads the ledger.
    expect((await test_(ledgerCredential(path, { secret: 'the-new-secret-0123456789abcdefghijklmnop' }))).status).toBe('OK');
  });

  test('reports wrong fields by their label', async () => {
    expect(await test_(ledgerCredential(t.path, { baseUrl: '', organisation: ' ' }))).toEqual({
      status: 'Error',
      message:
        'Consent Ledger credential, Public Base URL: give the public base URL of the links, e.g. https://n8n.example.com/webhook/consent; Organisation: give your organisation name',
    });
  });

  test('refuses an SQLite ledger in queue mode', async () => {
    process.env.EXECUTIONS_MODE = 'queue';
    try {
      const result = await test_(ledgerCredential(t.path));
      expect(result.status).toBe('Error');
      expect(result.message).toMatch(/^The ledger store cannot be opened: store: n8n runs in queue mode .* Use a PostgreSQL ledger/);
    } finally {
      delete process.env.EXECUTIONS_MODE;
    }
  });
});
