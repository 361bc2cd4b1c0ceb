import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestClock } from '../support/ledger';
import { ensureN8nHost, importCredentials, importWorkflow, installPackageIntoN8n, makeUserFolder, publishWorkflow, startN8n, type RunningN8n } from '../support/n8n-host';
import { waitFor } from '../support/wait';
import { call, cli, startServe, type Service } from '../serve/service';

// The n8n Cloud package (cloud/, n8n-nodes-consent-service) in a real n8n against a real consent
// service: packed as published (scripts/check-cloud-package.mjs --pack-only), installed into a
// fresh n8n user folder the way n8n installs community packages, its nodes run in workflows that
// n8n runs, calling `n8n-consent serve` on 127.0.0.1. The ledger is read back with the CLI.

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE = 'n8n-nodes-consent-service';
const ACTIONS = ['request', 'check', 'find', 'unsubscribe', 'erase', 'badkey', 'noscope'] as const;

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${path.basename(command)} failed: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

/** One workflow, one Webhook per action, each into a Consent Service node reading the webhook's JSON body. */
function actionsWorkflow() {
  const operation: Record<(typeof ACTIONS)[number], string> = {
    request: 'requestConsent', check: 'checkOptIn', find: 'findConsent', unsubscribe: 'unsubscribe', erase: 'eraseContact', badkey: 'checkOptIn', noscope: 'eraseContact',
  };
  const nodes: object[] = [];
  const connections: Record<string, object> = {};
  ACTIONS.forEach((action, i) => {
    const hook = `Webhook ${action}`;
    const node = `Consent ${action}`;
    nodes.push({
      id: `c10d0000-0000-4000-8000-00000000010${i}`, name: hook, type: 'n8n-nodes-base.webhook', typeVersion: 2.1, position: [0, i * 200],
      webhookId: `c10d0000-0000-4000-8000-00000000020${i}`,
      parameters: { httpMethod: 'POST', path: `cloud/${action}`, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
    });
    nodes.push({
      id: `c10d0000-0000-4000-8000-00000000030${i}`, name: node, type: `${PACKAGE}.consentService`, typeVersion: 1, position: [300, i * 200],
      parameters: {
        operation: operation[action],
        email: '={{ $json.body.email }}',
        consentText: 'Yes, Example Shop may email me its newsletter. I can unsubscribe at any time.',
        mode: 'signup', topics: 'newsletter', personName: '={{ $json.body.name ?? "" }}', topic: 'newsletter', channel: 'email', unsubscribeTopics: 'all', reason: '',
      },
      credentials: { consentServiceApi: action === 'badkey' ? { id: 'consentSvcBadKey1', name: 'Wrong key' } : action === 'noscope' ? { id: 'consentSvcCheck01', name: 'Check-only key' } : { id: 'consentSvcCloud01', name: 'Consent service' } },
      // The errors a user reads: with "continue", the node's message is the item.
      ...(action === 'badkey' || action === 'noscope' ? { onError: 'continueRegularOutput' } : {}),
    });
    connections[hook] = { main: [[{ node, type: 'main', index: 0 }]] };
  });
  return { id: 'cloudActionsWf01', name: 'Cloud actions', nodes, connections, settings: { executionOrder: 'v1' }, active: false };
}

/** The polling trigger (confirmations, every minute) posting each event to the test's collector. */
function triggerWorkflow(collectorUrl: string) {
  return {
    id: 'cloudTriggerWf01',
    name: 'Cloud trigger',
    active: false,
    settings: { executionOrder: 'v1' },
    nodes: [
      {
        id: 'c10d0000-0000-4000-8000-000000000401', name: 'On confirmation', type: `${PACKAGE}.consentServiceTrigger`, typeVersion: 1, position: [0, 0],
        parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, events: ['confirmed'] },
        credentials: { consentServiceApi: { id: 'consentSvcCloud01', name: 'Consent service' } },
      },
      {
        id: 'c10d0000-0000-4000-8000-000000000402', name: 'To the collector', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [300, 0],
        parameters: { method: 'POST', url: collectorUrl, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify($json) }}', options: {} },
      },
    ],
    connections: { 'On confirmation': { main: [[{ node: 'To the collector', type: 'main', index: 0 }]] } },
  };
}

describe('the n8n Cloud package (cloud/) in a real n8n, against n8n-consent serve', () => {
  let work: string;
  let db: string[];
  let clock: TestClock;
  let env: Record<string, string>;
  let service: Service;
  let n8n: RunningN8n;
  let userFolder: string;
  let collector: Server;
  let tarball: string;
  const collected: Array<Record<string, unknown>> = [];
  const keys: Record<string, string> = {};

  /** POSTs to a webhook on a new connection each time (a kept-alive one that n8n closes while idle fails the next call). */
  async function action(name: (typeof ACTIONS)[number], body: object): Promise<Array<Record<string, unknown>>> {
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${n8n.baseUrl}/webhook/cloud/${name}`, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
    if (status !== 200) throw new Error(`webhook cloud/${name} answered ${status}: ${text}\nn8n: ${readFileSync(n8n.logFile, 'utf8').slice(-3000)}`);
    return JSON.parse(text) as Array<Record<string, unknown>>;
  }

  const ledgerCheck = (email: string) => cli(db, ['check', email, '--topic', 'newsletter'], env).lines[0];

  /** Signs a person up and confirms through the service's own page, as the person would. */
  async function confirmed(email: string) {
    const asked = await call(service, 'POST', '/v1/request', { key: keys.cloud, json: { mode: 'signup', items: [{ email, consentText: 'Yes, the newsletter' }] } });
    const token = asked.json.results[0].confirmToken as string;
    expect((await call(service, 'POST', '/consent/confirm', { body: new URLSearchParams({ token }).toString() })).status).toBe(200);
  }

  const eventPolls = () => service.lines().filter((l) => l.path === '/v1/events' && l.method === 'GET').length;

  beforeAll(async () => {
    const host = ensureN8nHost();
    work = mkdtempSync(path.join(tmpdir(), 'consent-cloud-e2e-'));
    db = ['--db', path.join(work, 'ledger.sqlite')];
    clock = new TestClock(new Date('2026-11-23T10:00:00Z'));
    env = { CONSENT_CLOCK_FILE: clock.file };
    expect(cli(db, ['init'], env).code).toBe(0);
    for (const [name, scope] of [['cloud', 'request,check,unsubscribe,erase,events'], ['checkOnly', 'check']]) {
      const made = cli(db, ['keys', 'create', '--scope', scope, '--name', name], env);
      expect(made.code).toBe(0);
      keys[name] = made.lines[0].key as string;
    }
    service = await startServe(db, ['--organisation', 'Example Shop', '--privacy-url', 'https://example.com/privacy'], env);
    // Confirmed before the trigger is live: its first poll only notes where the feed ends.
    await confirmed('before@example.com');

    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        collected.push(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/events`;

    await host;
    tarball = (JSON.parse((await run(process.execPath, [path.join(ROOT, 'scripts', 'check-cloud-package.mjs'), '--out', work, '--pack-only'], ROOT)).trim().split('\n').pop()!) as { tarball: string }).tarball;
    userFolder = makeUserFolder('consent-cloud-n8n-');
    const installed = await installPackageIntoN8n(userFolder, tarball);
    expect(installed.name).toBe(PACKAGE);
    await importCredentials({
      userFolder,
      credentials: [
        { id: 'consentSvcCloud01', name: 'Consent service', type: 'consentServiceApi', data: { url: service.url, apiKey: keys.cloud } },
        { id: 'consentSvcCheck01', name: 'Check-only key', type: 'consentServiceApi', data: { url: `${service.url}/`, apiKey: keys.checkOnly } },
        { id: 'consentSvcBadKey1', name: 'Wrong key', type: 'consentServiceApi', data: { url: service.url, apiKey: `${keys.cloud.slice(0, -4)}AAAA` } },
      ],
    });
    const ids = await importWorkflow({ userFolder, workflow: [actionsWorkflow(), triggerWorkflow(collectorUrl)] });
    for (const id of ids) await publishWorkflow({ userFolder, id });
    n8n = await startN8n({ userFolder });
  }, 20 * 60_000);

  afterAll(async () => {
    await n8n?.stop();
    await service?.stop();
    await new Promise((resolve) => (collector ? collector.close(resolve) : resolve(undefined)));
    for (const dir of [work, userFolder]) if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('request -> (the person confirms) -> check, find -> unsubscribe -> erase, each through a Consent Service node, each changing the real ledger', async () => {
    const [requested] = await action('request', { email: 'dora@example.com', name: 'Dora' });
    expect(requested).toMatchObject({ outcome: 'requested', confirmUrl: expect.stringContaining(`${service.url}/consent/confirm?token=`) });
    expect(ledgerCheck('dora@example.com')).toMatchObject({ allowed: false, status: 'optin' });
    expect((await action('check', { email: 'dora@example.com' }))[0]).toEqual({ email: 'dora@example.com', allowed: false, reason: expect.any(String), topic: 'newsletter', channel: 'email', status: 'optin' });

    // The person clicks the mailed link and confirms on the service's page.
    expect((await call(service, 'POST', '/consent/confirm', { body: new URLSearchParams({ token: requested.confirmToken as string }).toString() })).status).toBe(200);
    expect((await action('check', { email: 'dora@example.com' }))[0]).toMatchObject({ allowed: true, status: 'confirmed' });
    const [found] = await action('find', { email: 'dora@example.com' });
    expect(found).toMatchObject({ email: 'dora@example.com', found: true, status: 'confirmed', topic: 'newsletter', subjectId: expect.any(Number), optin_date: expect.any(String) });
    expect((await action('find', { email: 'nobody@example.com' }))[0]).toMatchObject({ found: false, status: 'none', subjectId: null });

    const [unsubscribed] = await action('unsubscribe', { email: 'dora@example.com' });
    expect(unsubscribed).toMatchObject({ found: true, outcome: 'unsubscribed', subjectId: found.subjectId, topics: [{ topic: 'newsletter', from: 'confirmed', status: 'unsubscribed', outcome: 'changed', reason: null }], requestId: expect.any(String) });
    expect(ledgerCheck('dora@example.com')).toMatchObject({ allowed: false, status: 'unsubscribed' });

    const [erased] = await action('erase', { email: 'dora@example.com' });
    expect(erased).toMatchObject({ outcome: 'erased', receiptId: expect.any(String), subjectId: found.subjectId });
    expect(ledgerCheck('dora@example.com')).toMatchObject({ allowed: false, subjectId: null });
    // Every call carried the cloud key: the service logged them under its id, none refused.
    const calls = service.lines().filter((l) => typeof l.path === 'string' && (l.path as string).startsWith('/v1/') && l.path !== '/v1/events');
    expect(calls.every((l) => l.status === 200 && typeof l.key === 'string')).toBe(true);
  });

  test('a wrong key and a key without the scope give errors that say what to do', async () => {
    const [wrong] = await action('badkey', { email: 'dora@example.com' });
    expect(wrong.error).toBe('The consent service refused the API key: give a valid API key: Authorization: Bearer <key> (make one with n8n-consent keys create)');
    const [outside] = await action('noscope', { email: 'dora@example.com' });
    expect(outside.error).toBe("The API key's scopes do not allow this operation: this key's scopes (check) do not include erase");
  });

  test('the polling trigger emits each new confirmation once, across polls (its cursor kept), none from before it was live', async () => {
    await confirmed('anna@example.com');
    await waitFor(() => collected.some((e) => e.email === 'anna@example.com'), { timeoutMs: 150_000, what: "anna's confirmation from the trigger" });
    await confirmed('bob@example.com');
    await confirmed('carla@example.com');
    await waitFor(() => collected.some((e) => e.email === 'carla@example.com'), { timeoutMs: 150_000, what: "bob's and carla's confirmations" });
    // One more poll after that: nothing again.
    const polls = eventPolls();
    await waitFor(() => eventPolls() > polls, { timeoutMs: 150_000, what: 'another poll of /v1/events' });
    // dora (the first test) was confirmed while the trigger was live, then erased: her event is in a poll or not, by timing (the feed leaves out the events of an erased person).
    const confirmations = collected.filter((e) => e.email !== 'dora@example.com').map((e) => e.email);
    expect(collected.every((e) => e.type === 'confirmed')).toBe(true);
    expect(confirmations).toEqual(['anna@example.com', 'bob@example.com', 'carla@example.com']);
    expect(collected.find((e) => e.email === 'anna@example.com')).toEqual({ id: expect.any(String), type: 'confirmed', occurredAt: '2026-11-23T10:00:00.000Z', subjectId: expect.any(Number), email: 'anna@example.com', topics: ['newsletter'], channel: 'email', source: expect.any(String) });
  }, 8 * 60_000);

  test('the packed package has no runtime dependencies, only n8n-workflow as a peer', async () => {
    const listed = await run('tar', ['-xzOf', tarball, 'package/package.json'], work);
    const manifest = JSON.parse(listed) as Record<string, Record<string, unknown> | undefined>;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
    expect(manifest.n8n).toMatchObject({ strict: true, nodes: ['dist/nodes/ConsentService/ConsentService.node.js', 'dist/nodes/ConsentServiceTrigger/ConsentServiceTrigger.node.js'] });
  });
});
