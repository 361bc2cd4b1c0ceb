// The Consent Ledger node's Maintain operation inside the real n8n engine (issue 13): a dry run
// counts and changes nothing; the run purges an unconfirmed signup past the term, carries out the
// erasure a hold deferred once it ended, lists a hold that ends soon, and puts out no purged
// address; a wrong parameter is an error naming it. Time is the test clock (CONSENT_CLOCK_FILE).
import { RequestItemSchema } from '../../core/ledger';
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

const maintain = (parameters: Record<string, unknown>) =>
  runWorkflow(
    workflow([start(), node('Maintain', 'consentLedger', { resource: 'ledger', operation: 'maintain', ...parameters })], [['Start', 'Maintain']]),
    runOptions({ consentLedgerApi: ledgerCredential(t.path) }),
  );

test('dry run, then the run: the signup purged, the deferred erasure carried out, the hold ending soon listed; no purged address in the output', async () => {
  const start = t.clock.now();
  const day = (n: number) => new Date(start.getTime() + n * 86_400_000);
  await t.ledger.request([parseInput(RequestItemSchema, { email: 'never.confirmed@example.test', consentText: 'Yes' })], 'signup');
  for (const email of ['leaving@example.test', 'staying@example.test']) {
    const [r] = await t.ledger.request([parseInput(RequestItemSchema, { email, consentText: 'Yes' })], 'signup');
    await t.ledger.confirm(r.confirmToken, {});
  }
  await t.ledger.hold({ email: 'leaving@example.test' }, day(40), 'invoices');
  expect(await t.ledger.erase({ email: 'leaving@example.test' })).toMatchObject({ outcome: 'suppressed' });
  await t.ledger.hold({ email: 'staying@example.test' }, day(70), 'warranty');
  t.clock.advanceDays(61);

  const dry = await maintain({ dryRun: true });
  expect(dry.status).toBe('success');
  expect(dry.json('Maintain')).toEqual([
    expect.objectContaining({
      dryRun: true,
      purge: expect.objectContaining({ afterDays: 60, unconfirmedSignups: 1, purged: 1, receipts: [] }),
      holds: expect.objectContaining({ erased: 1, receipts: [], ending: [expect.objectContaining({ email: 'staying@example.test', holdUntil: day(70).toISOString(), erasureWaiting: false })] }),
    }),
  ]);
  expect(await t.ledger.export({ email: 'never.confirmed@example.test' })).toBeDefined();
  expect(await t.ledger.export({ email: 'leaving@example.test' })).toBeDefined();

  const run = await maintain({});
  expect(run.status).toBe('success');
  const [done] = run.json('Maintain');
  expect(done).toMatchObject({ dryRun: false, purge: { purged: 1, unconfirmedSignups: 1 }, holds: { erased: 1, released: 0 } });
  expect(JSON.stringify(done)).not.toContain('never.confirmed');
  expect(JSON.stringify(done)).not.toContain('leaving@');
  expect(await t.ledger.export({ email: 'never.confirmed@example.test' })).toBeUndefined();
  expect(await t.ledger.export({ email: 'leaving@example.test' })).toBeUndefined();
  expect(await t.ledger.export({ email: 'staying@example.test' })).toBeDefined();
});

test('a term shorter than a confirmation link lives is an error naming the field', async () => {
  const wrong = await maintain({ purgeAfterDays: 5 });
  expect(wrong.status).toBe('error');
  expect(wrong.error?.message).toContain("purgeAfterDays: at least the confirmation link's life");
});
