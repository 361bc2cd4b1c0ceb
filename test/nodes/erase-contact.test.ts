// Erase Contact inside the real n8n engine: three outputs (Erased, Suppressed, Not Found), the
// receipt and the CRM ids to delete, and what is left in the ledger afterwards.
import { readFileSync } from 'node:fs';
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
    { email: 'erik@example.test', externalId: 'CRM-1', name: 'Erik Eraseme', status: 'confirmed', consentText: 'Ja, graag.' },
    { email: 'hanna@example.test', externalId: 'CRM-2', previouslyMailed: true },
  ];
  await t.ledger.importContacts(rows.map((r, i) => ({ row: i + 2, data: parseInput(ImportRowSchema, r) })), undefined);
  await t.ledger.hold({ email: 'hanna@example.test' }, new Date('2033-12-31'), 'invoices: tax law, 7 years');
}, 20 * 60_000);

afterAll(async () => {
  await closeLedgers();
  await t?.dispose();
  await disposeEngine();
});

function eraseWorkflow(parameters: Record<string, unknown> = {}, more: Record<string, unknown> = {}) {
  return workflow(
    [
      start(),
      node('Erase Contact', 'eraseContact', { email: '={{ $json.email }}', reason: 'erasure request by mail', ...parameters }, more),
      node('Delete in CRM', 'n8n-nodes-base.noOp'),
      node('Tell Held', 'n8n-nodes-base.noOp'),
      node('Tell Unknown', 'n8n-nodes-base.noOp'),
    ],
    [
      ['Start', 'Erase Contact'],
      ['Erase Contact', 'Delete in CRM', 0],
      ['Erase Contact', 'Tell Held', 1],
      ['Erase Contact', 'Tell Unknown', 2],
    ],
  );
}

const credentials = () => ({ consentLedgerApi: ledgerCredential(t.path) });

test('erased, suppressed under a retention hold, or not found: each on its own output, with its receipt', async () => {
  const result = await runWorkflow(
    eraseWorkflow({ evidence: { sourceKind: 'mailbox', operator: 'Privacy desk' } }),
    runOptions(credentials(), { items: [{ email: 'erik@example.test' }, { email: 'hanna@example.test' }, { email: 'nobody@example.test' }] }),
  );

  expect(result.status).toBe('success');
  expect(result.json('Delete in CRM')).toEqual([
    { outcome: 'erased', receiptId: expect.stringMatching(/^erasure-/), subjectId: 1, externalIds: ['CRM-1'], holdReason: null, holdUntil: null },
  ]);
  expect(result.json('Tell Held')).toEqual([
    {
      outcome: 'suppressed',
      receiptId: expect.stringMatching(/^erasure-/),
      subjectId: 2,
      externalIds: [],
      holdReason: 'invoices: tax law, 7 years',
      holdUntil: '2033-12-31T00:00:00.000Z',
    },
  ]);
  expect(result.json('Tell Unknown')).toEqual([
    { outcome: 'not_found', receiptId: expect.stringMatching(/^erasure-/), subjectId: null, externalIds: [], holdReason: null, holdUntil: null },
  ]);
  expect(result.output('Erase Contact', 2)[0].pairedItem).toEqual({ item: 2 });

  // The ledger after: Erik is gone (no trace of his address or name in the file), Hanna is blocked.
  expect(await t.ledger.export({ email: 'erik@example.test' })).toBeUndefined();
  const file = readFileSync(t.path);
  expect(file.includes('erik@example.test')).toBe(false);
  expect(file.includes('Erik Eraseme')).toBe(false);
  const [held] = await t.ledger.check([{ email: 'hanna@example.test', topic: 'newsletter', channel: 'email' }]);
  expect(held).toMatchObject({ allowed: false, reason: 'suppressed' });
  // An erased or unknown address is never imported again.
  const again = await t.ledger.importContacts(
    ['erik@example.test', 'nobody@example.test'].map((email, i) => ({ row: i + 2, data: parseInput(ImportRowSchema, { email, previouslyMailed: true }) })),
    undefined,
  );
  expect(again.map((r) => r.reason)).toEqual(['suppressed', 'suppressed']);
});

test('by external id from the CRM, and a missing identity named by item', async () => {
  await t.ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'via-crm@example.test', externalId: 'CRM-3' }) }], undefined);

  const result = await runWorkflow(eraseWorkflow({ email: '', externalId: '={{ $json.id }}' }), runOptions(credentials(), { items: [{ id: 'CRM-3' }] }));
  expect(result.json('Delete in CRM')).toEqual([expect.objectContaining({ outcome: 'erased', externalIds: ['CRM-3'] })]);

  const missing = await runWorkflow(eraseWorkflow({ email: '', externalId: '={{ $json.id }}' }), runOptions(credentials(), { items: [{ id: 'CRM-4' }, { other: 1 }] }));
  expect(missing.status).toBe('error');
  expect(missing.error?.message).toBe('item 1, give an email, a phone number, a subject id or an external id');
  // Every item is checked before anything is erased: item 0 of a run that stops is not touched.
  await t.ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'kept@example.test', externalId: 'CRM-5' }) }], undefined);
  const stopped = await runWorkflow(eraseWorkflow({ email: '', externalId: '={{ $json.id }}' }), runOptions(credentials(), { items: [{ id: 'CRM-5' }, { other: 1 }] }));
  expect(stopped.status).toBe('error');
  expect(await t.ledger.export({ externalId: 'CRM-5' })).toBeDefined();
});

test('continue on fail: the bad item becomes an error item, the others are erased', async () => {
  await t.ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'cof-erase@example.test' }) }], undefined);
  const result = await runWorkflow(
    eraseWorkflow({}, { onError: 'continueErrorOutput' }),
    runOptions(credentials(), { items: [{ email: 'not an address' }, { email: 'cof-erase@example.test' }] }),
  );

  expect(result.status).toBe('success');
  expect(result.json('Erase Contact', 3)).toEqual([{ email: 'not an address', error: expect.stringMatching(/^item 0, email: "not an address" is not an email address/) }]);
  expect(result.json('Delete in CRM')).toEqual([expect.objectContaining({ outcome: 'erased' })]);
});

test('each erasure is in the requests register: handled by the workflow (or the operator named); with a Request ID, that request gets the outcome', async () => {
  await t.ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'anne@example.test', externalId: 'CRM-6', previouslyMailed: true }) }], undefined);
  // A mail's erase request the mailbox trigger left to the workflow (Act Automatically off).
  await t.ledger.recordRequest({ messageId: '<erase-anne@mail.example>', mailbox: 'INBOX', kind: 'erase', receivedAt: t.ledger.clock(), address: 'anne@example.test', outcome: 'left_to_workflow' });
  const open = async () => {
    const ids: string[] = [];
    for await (const entry of t.ledger.listRequests({ open: true })) ids.push(entry.id);
    return ids;
  };
  expect(await open()).toContain('<erase-anne@mail.example>');

  const result = await runWorkflow(
    eraseWorkflow({ evidence: { requestId: '={{ $json.messageId }}' } }),
    runOptions(credentials(), { items: [{ email: 'anne@example.test', messageId: '<erase-anne@mail.example>' }, { email: 'zoe@example.test', messageId: '' }] }),
  );
  expect(result.status).toBe('success');
  const entries = [];
  for await (const entry of t.ledger.listRequests()) entries.push(entry);
  expect(entries.find((e) => e.id === '<erase-anne@mail.example>')).toMatchObject({
    channel: 'mail', kind: 'erase', status: 'closed', outcome: 'erased', handledBy: 'workflow "consent test"', address: null,
  });
  const zoe = entries.filter((e) => e.channel === 'node' && e.outcome === 'not_found' && e.handledBy !== 'Privacy desk');
  expect(zoe).toEqual([expect.objectContaining({ id: expect.stringMatching(/^node-/), kind: 'erase', status: 'closed', handledBy: 'workflow "consent test"', address: null, subjectId: null })]);
  expect(await open()).not.toContain('<erase-anne@mail.example>');
  // The first test's erasures were handled by the operator it named.
  expect(entries.filter((e) => e.handledBy === 'Privacy desk').map((e) => e.outcome).sort()).toEqual(['erased', 'not_found', 'suppressed']);

  const unknown = await runWorkflow(eraseWorkflow({ evidence: { requestId: '<nobody@mail.example>' } }), runOptions(credentials(), { items: [{ email: 'nobody2@example.test' }] }));
  expect(unknown.status).toBe('error');
  expect(unknown.error?.message).toContain('requestId: no request "<nobody@mail.example>" in the request log');
});
