// The nodes on a PostgreSQL ledger, as n8n's queue mode needs it (EXECUTIONS_MODE=queue: SQLite
// is refused there). Each step runs on a fresh ledger connection, the way different n8n workers
// would: nothing a node needs may live in process memory.
import { CredentialTestContext } from 'n8n-core';
import { closeLedgers } from '../../nodes/shared/ledger-connection';
import { CheckOptIn } from '../../nodes/CheckOptIn/CheckOptIn.node';
import { disposeEngine, ensureN8nHostForEngine, runWorkflow } from '../support/n8n-engine';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { SECRET } from '../support/ledger';
import { BASE_URL, linkWorkflow, node, ORGANISATION, PRIVACY_URL, runOptions, start, tokenOf, webhookItem, workflow } from './support';

let cluster: PostgresCluster;
let credential: Record<string, string | number>;
const mode = process.env.EXECUTIONS_MODE;

beforeAll(async () => {
  await ensureN8nHostForEngine();
  cluster = await startPostgres({ settings: { fsync: 'off' } });
  credential = {
    store: 'postgres',
    pgHost: cluster.host,
    pgPort: cluster.port,
    pgDatabase: await cluster.createDatabase('consent_nodes'),
    pgUser: cluster.user,
    pgSchema: 'ledger',
    secret: SECRET,
    baseUrl: BASE_URL,
    organisation: ORGANISATION,
    privacyUrl: PRIVACY_URL,
  };
  process.env.EXECUTIONS_MODE = 'queue';
}, 20 * 60_000);

afterAll(async () => {
  if (mode === undefined) delete process.env.EXECUTIONS_MODE;
  else process.env.EXECUTIONS_MODE = mode;
  await closeLedgers();
  await cluster?.stop();
  await disposeEngine();
});

const options = (items: object[] = [{}], startNode?: string) => runOptions({ consentLedgerApi: credential }, { items: items as never, ...(startNode ? { startNode } : {}) });

test('in queue mode: request on one connection, confirm on another, check on a third', async () => {
  const requested = await runWorkflow(
    workflow(
      [start(), node('Request Consent', 'requestConsent', { operation: 'request', mode: 'signup', consentText: 'Ja, graag.', delivery: 'linksOnly', mailFrom: 'news@voorbeeld.example' })],
      [['Start', 'Request Consent']],
    ),
    options([{ email: 'queue@example.test' }, { email: 'other@example.test' }]),
  );
  expect(requested.status).toBe('success');
  expect(requested.json('Request Consent', 0).map((i) => i.outcome)).toEqual(['requested', 'requested']);
  await closeLedgers();

  const token = tokenOf(requested.json('Request Consent', 0)[0].confirmUrl as string);
  const confirmed = await runWorkflow(
    linkWorkflow('consent/confirm', node('Confirm Token', 'confirmToken', { link: 'confirm', method: 'auto' })),
    options([webhookItem({ path: 'consent/confirm', body: { token } })], 'Link (POST)'),
  );
  expect(confirmed.json('Confirm Token')[0]).toMatchObject({ status: 200, outcome: 'confirmed' });
  await closeLedgers();

  const checked = await runWorkflow(
    workflow([start(), node('Check Opt-In', 'checkOptIn', { email: '={{ $json.email }}' })], [['Start', 'Check Opt-In']]),
    options([{ email: 'queue@example.test' }, { email: 'other@example.test' }]),
  );
  expect(checked.json('Check Opt-In', 0).map((i) => i.email)).toEqual(['queue@example.test']);
  expect(checked.json('Check Opt-In', 1)).toEqual([expect.objectContaining({ email: 'other@example.test', consent: expect.objectContaining({ reason: 'pending' }) })]);
});

test('the credential test reaches the PostgreSQL ledger in queue mode, and names a wrong database', async () => {
  const testCredential = (data: Record<string, string | number>) =>
    new CheckOptIn().methods.credentialTest.consentLedgerApiTest.call(new CredentialTestContext(), { id: '1', name: 'pg', type: 'consentLedgerApi', data });

  expect(await testCredential(credential)).toEqual({ status: 'OK', message: 'Connected to the ledger in the PostgreSQL schema ledger; the secret matches.' });
  const wrong = await testCredential({ ...credential, pgDatabase: 'no_such_database' });
  expect(wrong.status).toBe('Error');
  expect(wrong.message).toMatch(/^The ledger store cannot be opened: .*no_such_database/);
});
