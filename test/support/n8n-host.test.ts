import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  ensureN8nHost,
  importCredentials,
  importWorkflow,
  installPackageIntoN8n,
  isPortClosed,
  makeUserFolder,
  publishWorkflow,
  startN8n,
} from './n8n-host';
import type { RunningN8n } from './n8n-host';

// A throwaway community package with one node, its own credential type and one runtime
// dependency, built the way a published package looks (compiled JS in dist/, n8n-workflow as a
// peer), to prove that the host installs a package like n8n's installer does, that an imported
// credential reaches the node, and that n8n runs the node from a webhook.
const PACKAGE = 'n8n-nodes-throwaway-echo';

function writePackage(root: string): string {
  const greeting = path.join(root, 'greeting');
  mkdirSync(greeting, { recursive: true });
  writeFileSync(path.join(greeting, 'package.json'), JSON.stringify({ name: 'throwaway-greeting', version: '1.0.0', main: 'index.js' }));
  writeFileSync(path.join(greeting, 'index.js'), 'module.exports = (greeting, name) => `${greeting}, ${name}`;\n');

  const pkg = path.join(root, 'package');
  mkdirSync(path.join(pkg, 'dist', 'nodes', 'Echo'), { recursive: true });
  mkdirSync(path.join(pkg, 'dist', 'credentials'), { recursive: true });
  writeFileSync(
    path.join(pkg, 'package.json'),
    JSON.stringify({
      name: PACKAGE,
      version: '0.0.1',
      keywords: ['n8n-community-node-package'],
      files: ['dist'],
      n8n: {
        n8nNodesApiVersion: 1,
        strict: true,
        nodes: ['dist/nodes/Echo/Echo.node.js'],
        credentials: ['dist/credentials/EchoApi.credentials.js'],
      },
      dependencies: { 'throwaway-greeting': `file:${greeting}` },
      peerDependencies: { 'n8n-workflow': '*' },
      devDependencies: { typescript: '^5.9.3' },
    }),
  );
  writeFileSync(
    path.join(pkg, 'dist', 'credentials', 'EchoApi.credentials.js'),
    `class EchoApi {
  name = 'echoApi';
  displayName = 'Echo API';
  properties = [{ displayName: 'Greeting', name: 'greeting', type: 'string', default: 'Hello' }];
}
module.exports = { EchoApi };
`,
  );
  writeFileSync(
    path.join(pkg, 'dist', 'nodes', 'Echo', 'Echo.node.js'),
    `const { NodeConnectionTypes } = require('n8n-workflow');
const greet = require('throwaway-greeting');
class Echo {
  description = {
    displayName: 'Echo', name: 'echo', group: ['transform'], version: 1, description: 'Greets',
    defaults: { name: 'Echo' }, inputs: [NodeConnectionTypes.Main], outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'echoApi', required: true }],
    properties: [{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Who to greet' }],
  };
  async execute() {
    const { greeting } = await this.getCredentials('echoApi');
    return [this.getInputData().map((_, i) => ({
      json: { message: greet(greeting, this.getNodeParameter('name', i)) },
      pairedItem: { item: i },
    }))];
  }
}
module.exports = { Echo };
`,
  );
  return pkg;
}

const echoWorkflow = {
  id: 'throwawayEcho0001',
  name: 'Throwaway echo',
  active: false,
  settings: { executionOrder: 'v1' },
  nodes: [
    {
      id: 'a1',
      name: 'Webhook',
      type: 'n8n-nodes-base.webhook',
      typeVersion: 2.1,
      position: [0, 0],
      webhookId: '7f0c2a4e-1111-4c2b-9a55-000000000001',
      parameters: { httpMethod: 'POST', path: 'throwaway-echo', responseMode: 'responseNode', options: {} },
    },
    {
      id: 'a2',
      name: 'Echo',
      type: `${PACKAGE}.echo`,
      typeVersion: 1,
      position: [200, 0],
      parameters: { name: '={{ $json.body.name }}' },
      credentials: { echoApi: { id: 'echoCredential01', name: 'Echo in Dutch' } },
    },
    {
      id: 'a3',
      name: 'Respond to Webhook',
      type: 'n8n-nodes-base.respondToWebhook',
      typeVersion: 1.5,
      position: [400, 0],
      parameters: { respondWith: 'firstIncomingItem', options: {} },
    },
  ],
  connections: {
    Webhook: { main: [[{ node: 'Echo', type: 'main', index: 0 }]] },
    Echo: { main: [[{ node: 'Respond to Webhook', type: 'main', index: 0 }]] },
  },
};

describe('n8n host: a community package installed like n8n does, run by a real n8n', () => {
  const root = makeUserFolder('n8n-host-test-');
  const userFolder = path.join(root, 'user');
  let n8n: RunningN8n | undefined;

  beforeAll(async () => {
    await ensureN8nHost();
    await installPackageIntoN8n(userFolder, writePackage(root));
    await importCredentials({
      userFolder,
      credentials: [{ id: 'echoCredential01', name: 'Echo in Dutch', type: 'echoApi', data: { greeting: 'Hoi' } }],
    });
    const [id] = await importWorkflow({ userFolder, workflow: echoWorkflow });
    await publishWorkflow({ userFolder, id });
    n8n = await startN8n({ userFolder });
  }, 20 * 60_000); // a clean machine installs n8n first

  afterAll(async () => {
    await n8n?.stop();
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  test('the package sits in .n8n/nodes with its runtime dependency and without dev or peer dependencies', () => {
    const nodes = path.join(userFolder, '.n8n', 'nodes');
    const installed = path.join(nodes, 'node_modules', PACKAGE);
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));

    expect(manifest.dependencies).toEqual({ 'throwaway-greeting': expect.stringContaining('file:') });
    expect(manifest).not.toHaveProperty('devDependencies');
    expect(manifest).not.toHaveProperty('peerDependencies');
    expect(existsSync(path.join(installed, 'node_modules', 'throwaway-greeting', 'index.js'))).toBe(true);
    expect(existsSync(path.join(installed, 'node_modules', 'typescript'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(nodes, 'package.json'), 'utf8')).dependencies).toEqual({ [PACKAGE]: '0.0.1' });
  });

  test("a webhook runs the package's node with its imported credential; Respond to Webhook answers", async () => {
    const response = await fetch(`${n8n!.baseUrl}/webhook/throwaway-echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Anna' }),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: 'Hoi, Anna' });
  });

  test('the owner set up from the environment can log in; a wrong password cannot', async () => {
    const login = (password: string) =>
      fetch(`${n8n!.baseUrl}/rest/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ emailOrLdapLoginId: n8n!.owner.email, password }),
      });

    const ok = await login(n8n!.owner.password);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { data: Record<string, unknown> };
    expect(body.data).toMatchObject({ email: n8n!.owner.email, role: 'global:owner' });
    expect(ok.headers.get('set-cookie')).toMatch(/^n8n-auth=/);

    const wrong = await login(`${n8n!.owner.password}-wrong`);
    expect(wrong.status).toBe(401);
  });

  test('stop() ends n8n and its task broker: both ports close', async () => {
    const { port, brokerPort } = n8n!;
    expect(await isPortClosed(port)).toBe(false);

    await n8n!.stop();
    n8n = undefined;

    expect(await isPortClosed(port)).toBe(true);
    expect(await isPortClosed(brokerPort)).toBe(true);
  });
});
