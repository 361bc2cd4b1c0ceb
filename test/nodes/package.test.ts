// The built package loads in n8n: packed as it is published (scripts/check-package.mjs
// --pack-only), installed into a fresh n8n user folder the way n8n's own installer does
// (scripts/n8n-host.mjs), then read by n8n's own loader (n8n-core's PackageDirectoryLoader, from
// the n8n host install, with NODE_PATH set the way n8n sets it) in n8n's Node. n8n is not started:
// running the sample workflows in a started n8n is the end-to-end tests' job.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureN8nHost, installPackageIntoN8n, makeUserFolder, type N8nHost } from '../support/n8n-host';
import { PACKAGE } from './support';

const ROOT = path.resolve(__dirname, '..', '..');

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 32 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(command)} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

interface Loaded {
  nodes: Record<string, { name: string; displayName: string; usableAsTool: boolean; iconUrl: { light: string; dark: string }; categories: string[]; testedBy: string[]; credentialTests: string[] }>;
  credentials: Record<string, { displayName: string; iconUrl: { light: string; dark: string }; supportedNodes: string[] }>;
  credentialTest: { status: string; message: string };
}

// Runs in n8n's own Node with n8n's modules on NODE_PATH, as n8n's LoadNodesAndCredentials does.
const LOADER = `
const { PackageDirectoryLoader } = require('n8n-core');
(async () => {
  const [dir, ledgerFile] = process.argv.slice(1);
  const loader = new PackageDirectoryLoader(dir);
  await loader.loadAll();
  const nodes = {};
  for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
    const d = type.description;
    nodes[name] = {
      name: d.name, displayName: d.displayName, usableAsTool: d.usableAsTool === true, iconUrl: d.iconUrl,
      categories: d.codex?.categories ?? [], testedBy: (d.credentials ?? []).map((c) => c.testedBy),
      credentialTests: Object.keys(type.methods?.credentialTest ?? {}),
    };
  }
  const credentials = {};
  for (const [name, { type }] of Object.entries(loader.credentialTypes)) {
    credentials[name] = { displayName: type.displayName, iconUrl: type.iconUrl, supportedNodes: type.supportedNodes };
  }
  // The installed copy works, not only loads: its credential test opens a ledger with its own dependencies.
  const credentialTest = await loader.nodeTypes.checkOptIn.type.methods.credentialTest.consentLedgerApiTest.call({}, {
    id: '1', name: 'test', type: 'consentLedgerApi',
    data: { store: 'sqlite', sqlitePath: ledgerFile, secret: 'package-test-secret-0123456789abcdefghij', baseUrl: 'https://n8n.example.com/webhook/consent', organisation: 'Voorbeeld BV', privacyUrl: 'https://example.com/privacy' },
  });
  process.stdout.write(JSON.stringify({ nodes, credentials, credentialTest }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

let host: N8nHost;
let work: string;
let userFolder: string;
let installedDir: string;
let loaded: Loaded;

beforeAll(async () => {
  host = await ensureN8nHost();
  work = mkdtempSync(path.join(tmpdir(), 'consent-package-test-'));
  const packed = JSON.parse((await run(process.execPath, [path.join(ROOT, 'scripts', 'check-package.mjs'), '--out', work, '--pack-only'], { cwd: ROOT })).trim().split('\n').pop()!) as {
    tarball: string;
  };
  userFolder = makeUserFolder('consent-n8n-user-');
  ({ dir: installedDir } = await installPackageIntoN8n(userFolder, packed.tarball));
  const out = await run(host.nodeBin, ['-e', LOADER, installedDir, path.join(work, 'ledger.sqlite')], {
    cwd: work,
    env: { PATH: process.env.PATH, NODE_PATH: path.join(host.dir, 'node_modules'), N8N_USER_FOLDER: userFolder, N8N_LOG_LEVEL: 'silent' },
  });
  loaded = JSON.parse(out) as Loaded;
}, 10 * 60_000);

afterAll(() => {
  for (const dir of [work, userFolder]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };

test("n8n's loader finds every node and credential that package.json lists, under their type names", () => {
  const nodeNames = manifest.n8n.nodes.map((p) => path.basename(p, '.node.js')).map((c) => c[0].toLowerCase() + c.slice(1));
  expect(Object.keys(loaded.nodes).sort()).toEqual(nodeNames.sort());
  expect(Object.keys(loaded.nodes).sort()).toEqual(['checkOptIn', 'confirmToken', 'consentLedger', 'consentMailboxTrigger', 'eraseContact', 'requestConsent', 'unsubscribe']);
  for (const [name, node] of Object.entries(loaded.nodes)) {
    expect(node.name).toBe(name);
    // Action nodes are offered to AI agents as tools; a trigger is not (NOTES-n8n.md).
    expect(node.usableAsTool).toBe(!name.endsWith('Trigger'));
    expect(node.categories).toEqual(['Marketing', 'Utility']);
  }
  expect(loaded.credentials).toEqual({
    consentLedgerApi: expect.objectContaining({ displayName: 'Consent Ledger API', supportedNodes: Object.keys(loaded.nodes) }),
    consentSmtpApi: expect.objectContaining({ displayName: 'Consent SMTP', supportedNodes: ['requestConsent', 'confirmToken', 'unsubscribe', 'consentLedger', 'consentMailboxTrigger'] }),
    consentImapApi: expect.objectContaining({ displayName: 'Consent IMAP', supportedNodes: ['consentMailboxTrigger'] }),
  });
  expect(manifest.n8n.credentials).toHaveLength(3);
  // Workflows name them `<package>.<node>`: the names the sample workflows use.
  expect(PACKAGE).toBe('n8n-nodes-consent');
});

test('every icon n8n will serve is in the installed package, light and dark apart', () => {
  const icons = [...Object.values(loaded.nodes), ...Object.values(loaded.credentials)].map((x) => x.iconUrl);
  expect(icons).toHaveLength(10);
  for (const { light, dark } of icons) {
    expect(light).not.toBe(dark);
    for (const url of [light, dark]) {
      const file = path.join(installedDir, url.replace(`icons/${PACKAGE}/`, ''));
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toMatch(/^<svg /);
    }
  }
});

test('each credential test a node names is one the node offers', () => {
  for (const node of Object.values(loaded.nodes)) {
    for (const name of node.testedBy) expect(node.credentialTests).toContain(name);
  }
});

test('the installed copy runs with only its own dependencies: the credential test sets up a ledger', () => {
  expect(loaded.credentialTest).toEqual({ status: 'OK', message: expect.stringMatching(/^Connected: a new, empty ledger was set up in the SQLite file .*ledger\.sqlite\.$/) });
});
