#!/usr/bin/env node
// The try-out: a real n8n with this package, the sample workflows and the mail sandbox, all on
// 127.0.0.1. `npm start` (scripts/start.mjs) runs it in ./.try-out; the end-to-end tests run the
// very same code in a temporary folder, so what the tests prove is what a person gets.
//
// As a library: import { startTryOut } from './try-out.mjs'.
// As a command (for jest, which cannot import ESM): options as one JSON argument,
//   node scripts/try-out.mjs serve '{"dir": "/tmp/t", "ports": {}}'
// prints one JSON line (URLs, ports, owner login, ledger, mailbox) once n8n's workflows are live,
// and runs until SIGTERM/SIGINT or until its stdin closes; then it stops everything it started.

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureN8nHost, importCredentials, importWorkflow, installPackageIntoN8n, publishWorkflow, startN8n, unpublishWorkflow } from './n8n-host.mjs';
import { startMailSandbox } from './mail-sandbox.mjs';
import { freePorts, isPortFree, LOOPBACK } from './ports.cjs';
import { localiseWorkflow, N8N_CREDENTIAL_TYPES, readsPrivacyMailbox, tryOutCredentials, SAMPLE_WORKFLOW_FILES, TRYOUT_SETTINGS } from './try-out-settings.mjs';
import { stopOnSignalOrEndOfInput } from './serve.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The ports `npm start` prefers, so that its links stay the same between starts. */
export const PREFERRED_PORTS = Object.freeze({ n8n: 5678, broker: 5679, inbox: 8025, smtp: 2525, imap: 1143 });

function logStep(message) {
  process.stderr.write(`[try-out] ${message}\n`);
}

/** The preferred port when it is free, else any free one (0 means: any free one). */
async function portOrFree(preferred, what, log, taken) {
  if (preferred && !taken.has(preferred) && (await isPortFree(preferred))) {
    taken.add(preferred);
    return preferred;
  }
  const [port] = await freePorts(1, taken);
  if (preferred) log(`port ${preferred} (${what}) is taken; using ${port}`);
  return port;
}

function sha256(...parts) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(typeof part === 'string' ? part : JSON.stringify(part)).update('\0');
  return hash.digest('hex');
}

/** A hash of what `npm pack` would pack: package.json and every file under dist/. */
function packageHash(packageDir) {
  const hash = createHash('sha256');
  hash.update(fs.readFileSync(path.join(packageDir, 'package.json')));
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        hash.update(path.relative(packageDir, full)).update('\0');
        hash.update(fs.readFileSync(full));
      }
    }
  };
  const dist = path.join(packageDir, 'dist');
  if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: build the package first (npm run build)`);
  walk(dist);
  return hash.digest('hex');
}

/**
 * The try-out's front door: a small reverse proxy on the public port in front of n8n, as n8n runs
 * in production (nginx, Caddy). It appends the client's address to X-Forwarded-For, which is how
 * the Form Trigger and Confirm Token learn the IP address they keep as evidence (n8n does not
 * hand a workflow the connection's own address). WebSockets (the editor's push) pass through.
 */
export function startReverseProxy({ port, targetPort, log = logStep }) {
  const forwarded = (req) => {
    const previous = req.headers['x-forwarded-for'];
    const client = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '';
    return {
      ...req.headers,
      'x-forwarded-for': previous ? `${previous}, ${client}` : client,
      'x-forwarded-proto': 'http',
      'x-forwarded-host': req.headers.host ?? `${LOOPBACK}:${port}`,
    };
  };
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      { host: LOOPBACK, port: targetPort, method: req.method, path: req.url, headers: forwarded(req) },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`n8n is not answering (${error.message})`);
    });
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = net.connect(targetPort, LOOPBACK, () => {
      const headers = forwarded(req);
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`, ...Object.entries(headers).flatMap(([k, v]) => [v].flat().map((x) => `${k}: ${x}`))];
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head?.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      log(`reverse proxy ${LOOPBACK}:${port} -> n8n on ${targetPort}`);
      resolve({
        port,
        stop: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** The credential types the package declares (package.json → n8n.credentials → dist files). */
function credentialTypesOf(packageDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  return new Set(
    (manifest.n8n?.credentials ?? []).map((file) => {
      const base = path.basename(file).replace(/\.credentials\.js$/, '');
      return base.charAt(0).toLowerCase() + base.slice(1);
    }),
  );
}

/** A secret kept in the try-out folder (0600), made once. */
function keptSecret(file, make) {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const value = make();
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

/**
 * The n8n owner: from TRYOUT_OWNER_EMAIL / TRYOUT_OWNER_PASSWORD when set, else one made up on
 * the first start and kept in the try-out folder, so the printed login stays the same.
 */
function tryOutOwner(dir, env = process.env) {
  if (env.TRYOUT_OWNER_EMAIL || env.TRYOUT_OWNER_PASSWORD) {
    if (!env.TRYOUT_OWNER_EMAIL || !env.TRYOUT_OWNER_PASSWORD) {
      throw new Error('Set both TRYOUT_OWNER_EMAIL and TRYOUT_OWNER_PASSWORD, or neither (then a login is made up and printed).');
    }
    if (env.TRYOUT_OWNER_PASSWORD.length < 8 || !/\d/.test(env.TRYOUT_OWNER_PASSWORD) || !/[A-Z]/.test(env.TRYOUT_OWNER_PASSWORD)) {
      throw new Error('TRYOUT_OWNER_PASSWORD: n8n wants at least 8 characters with a digit and a capital letter.');
    }
    return { email: env.TRYOUT_OWNER_EMAIL, password: env.TRYOUT_OWNER_PASSWORD, firstName: 'Try-out', lastName: 'Owner', fromEnvironment: true };
  }
  const file = path.join(dir, 'owner.json');
  if (fs.existsSync(file)) return { ...JSON.parse(fs.readFileSync(file, 'utf8')), fromEnvironment: false };
  const owner = { email: 'owner@example-shop.test', password: `Try-${randomBytes(9).toString('base64url')}-7`, firstName: 'Try-out', lastName: 'Owner' };
  fs.writeFileSync(file, `${JSON.stringify(owner, null, 2)}\n`, { mode: 0o600 });
  return { ...owner, fromEnvironment: false };
}

/**
 * Kills the process groups (n8n, Dovecot) recorded in the folder's running.json: for a start that
 * is interrupted before startTryOut returned its stop().
 */
export function killRecordedGroups(dir, log = logStep) {
  const file = path.join(path.resolve(dir), 'running.json');
  if (!fs.existsSync(file)) return;
  const running = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (running.pid !== process.pid) return;
  for (const { pid, what } of running.groups ?? []) {
    try {
      process.kill(-pid, 'SIGKILL');
      log(`stopped ${what} (process group ${pid})`);
    } catch {
      // already gone
    }
  }
  fs.rmSync(file, { force: true });
}

/** The pids a previous run left (a crash, kill -9): stopped before a new start uses the folder. */
function stopLeftovers(dir, log) {
  const file = path.join(dir, 'running.json');
  if (!fs.existsSync(file)) return;
  let running;
  try {
    running = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    fs.rmSync(file, { force: true });
    return;
  }
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (running.pid && running.pid !== process.pid && alive(running.pid) && commandLineOf(running.pid).includes('try-out')) {
    throw new Error(`Another try-out (pid ${running.pid}) is running in ${dir}. Stop it first (Ctrl-C in its terminal).`);
  }
  for (const { pid, what } of running.groups ?? []) {
    // Only a process group that still runs our command for this folder: a pid may have been reused.
    if (!alive(pid) || !commandLineOf(pid).includes(running.marker ?? dir)) continue;
    log(`stopping ${what} left running by an earlier try-out (process group ${pid})`);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  fs.rmSync(file, { force: true });
}

function commandLineOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/**
 * Starts the try-out in `dir` and resolves when n8n's sample workflows are live.
 * Options:
 *  dir            the try-out folder (n8n's user folder, the ledger, the sandbox's mail, secrets)
 *  ports          { n8n, broker, inbox, smtp, imap }: preferred ports (taken ones are replaced by
 *                 free ones); 0 or absent means any free port
 *  workflows      workflow JSON files (default: the sample workflows); `extraWorkflows`: objects
 *  n8nEnv         extra environment for n8n
 *  postgresUrl    a PostgreSQL ledger instead of the SQLite file (CONSENT_POSTGRES_URL)
 *  dovecot        'auto' | 'require' | 'off' (the privacy mailbox of the inbox-erasure workflow)
 *  ephemeral      the folder is thrown away after stop (tests): so is the mailbox's mail
 *  packageDir     the package to install (default: this repository, built)
 * @returns {Promise<{urls: object, owner: object, ledger: object, n8n: object, sandbox: object, stop: () => Promise<void>}>}
 */
export async function startTryOut({
  dir,
  ports = {},
  workflows,
  extraWorkflows = [],
  n8nEnv = {},
  postgresUrl,
  dovecot = 'auto',
  ephemeral = false,
  packageDir = REPO_ROOT,
  log = logStep,
} = {}) {
  if (!dir) throw new Error('startTryOut: dir is required');
  if (!workflows) {
    workflows = SAMPLE_WORKFLOW_FILES.map((f) => path.join(REPO_ROOT, f)).filter((file) => {
      if (fs.existsSync(file)) return true;
      log(`sample workflow ${path.relative(REPO_ROOT, file)} is missing; starting without it`);
      return false;
    });
  }
  dir = path.resolve(dir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  stopLeftovers(dir, log);
  const userFolder = path.join(dir, 'n8n');
  fs.mkdirSync(userFolder, { recursive: true });
  const statePath = path.join(userFolder, '.try-out-state.json');
  const state = fs.existsSync(statePath) ? JSON.parse(fs.readFileSync(statePath, 'utf8')) : {};
  const saveState = () => fs.writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);

  const host = await ensureN8nHost({ log });
  const owner = tryOutOwner(dir);
  const secret = keptSecret(path.join(dir, 'ledger-secret'), () => randomBytes(32).toString('base64'));
  const ledger = postgresUrl ? { kind: 'postgres', url: postgresUrl } : { kind: 'sqlite', path: path.join(dir, 'consent-ledger.sqlite') };

  const taken = new Set();
  // The public port (links, forms, editor) is the reverse proxy's; n8n itself listens behind it.
  const port = await portOrFree(ports.n8n, 'n8n', log, taken);
  const n8nPort = await portOrFree(0, 'n8n behind the proxy', log, taken);
  const brokerPort = await portOrFree(ports.broker, "n8n's task broker", log, taken);
  const inboxPort = await portOrFree(ports.inbox, 'the inbox page', log, taken);
  const smtpPort = await portOrFree(ports.smtp, 'the sandbox SMTP server', log, taken);
  const imapPort = await portOrFree(ports.imap, 'the privacy mailbox (IMAP)', log, taken);
  const baseUrl = `http://${LOOPBACK}:${port}`;

  const stoppers = [];
  const groups = [];
  const stop = async () => {
    for (const s of stoppers.splice(0).reverse()) await s().catch((error) => log(`while stopping: ${error.message}`));
    fs.rmSync(path.join(dir, 'running.json'), { force: true });
  };
  const writeRunning = () =>
    fs.writeFileSync(path.join(dir, 'running.json'), `${JSON.stringify({ pid: process.pid, marker: dir, groups }, null, 2)}\n`);

  try {
    // -- the mail sandbox (SMTP peer, privacy mailbox in Dovecot, inbox page)
    const sandbox = await startMailSandbox({ dir: path.join(dir, 'mail-sandbox'), smtpPort, webPort: inboxPort, imapPort, dovecot, ephemeral, log });
    stoppers.push(() => sandbox.stop());
    if (sandbox.imap) groups.push({ pid: sandbox.imap.pid, what: 'Dovecot' });
    writeRunning();

    // -- this package, installed the way n8n's community package installer does it
    const pkgHash = packageHash(packageDir);
    const nodesDir = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
    if (state.package !== pkgHash || !fs.existsSync(nodesDir)) {
      log('installing this package into n8n (npm pack, then npm install inside it, as n8n does)');
      await installPackageIntoN8n(userFolder, packageDir);
      state.package = pkgHash;
      saveState();
    }

    // -- credentials (n8n encrypts them with the user folder's key) and workflows
    const settings = { baseUrl, ledger, secret, sandbox, owner };
    const credentials = tryOutCredentials(settings).filter((c) => {
      if (credentialTypesOf(packageDir).has(c.type) || N8N_CREDENTIAL_TYPES.has(c.type)) return true;
      log(`this package has no credential type ${c.type} (yet); "${c.name}" is not created`);
      return false;
    });
    const credentialsHash = sha256(credentials);
    if (state.credentials !== credentialsHash) {
      log(`creating the credentials: ${credentials.map((c) => c.name).join(', ')}`);
      await importCredentials({ userFolder, credentials, owner });
      state.credentials = credentialsHash;
      saveState();
    }
    const allWorkflows = [...workflows.map((file) => JSON.parse(fs.readFileSync(file, 'utf8'))), ...extraWorkflows].map((w) => localiseWorkflow(w, settings));
    // Without the privacy mailbox, a workflow that reads it is imported but not published (n8n
    // could not activate its trigger); the next start that has the mailbox publishes it.
    const waiting = sandbox.imap ? [] : allWorkflows.filter(readsPrivacyMailbox);
    const changed = allWorkflows.filter((w) => state.workflows?.[w.id] !== sha256(w));
    // Folders from before this was kept: every imported workflow was published.
    state.published ??= Object.fromEntries(Object.keys(state.workflows ?? {}).map((id) => [id, true]));
    if (changed.length > 0) {
      log(`importing ${changed.length} workflow(s): ${changed.map((w) => w.name).join('; ')}`);
      await importWorkflow({ userFolder, workflow: changed, owner }); // n8n unpublishes what it imports
      for (const w of changed) {
        state.workflows = { ...state.workflows, [w.id]: sha256(w) };
        state.published[w.id] = false;
      }
      saveState();
    }
    for (const w of allWorkflows) {
      const publish = !waiting.includes(w);
      if (Boolean(state.published[w.id]) === publish) continue;
      log(`${publish ? 'publishing' : 'unpublishing (no privacy mailbox)'} workflow: ${w.name}`);
      await (publish ? publishWorkflow : unpublishWorkflow)({ userFolder, id: w.id, owner });
      state.published[w.id] = publish;
      saveState();
    }
    if (waiting.length > 0) log(`not published without the privacy mailbox: ${waiting.map((w) => w.name).join('; ')}`);

    // -- n8n itself
    const proxy = await startReverseProxy({ port, targetPort: n8nPort, log });
    stoppers.push(() => proxy.stop());
    const n8n = await startN8n({
      userFolder,
      port: n8nPort,
      brokerPort,
      owner,
      env: {
        N8N_WEBHOOK_URL: `${baseUrl}/`,
        N8N_EDITOR_BASE_URL: `${baseUrl}/`,
        N8N_PROXY_HOPS: '1',
        ...TRYOUT_SETTINGS.n8nEnv(settings),
        ...n8nEnv,
      },
      log,
      onSpawn: (pid) => {
        groups.push({ pid, what: 'n8n' });
        writeRunning();
      },
    });
    stoppers.push(() => n8n.stop());

    const urls = {
      editor: `${baseUrl}/`,
      ...TRYOUT_SETTINGS.urls(settings),
      inbox: sandbox.inboxUrl,
    };
    return {
      dir,
      urls,
      owner: { email: owner.email, password: owner.password, fromEnvironment: owner.fromEnvironment },
      ledger: { ...ledger, secret },
      n8n: { baseUrl, port, internalPort: n8nPort, brokerPort, logFile: n8n.logFile, version: host.n8nVersion, pid: n8n.pid },
      sandbox: {
        inboxUrl: sandbox.inboxUrl,
        apiUrl: sandbox.apiUrl,
        smtp: sandbox.smtp,
        imap: sandbox.imap && { host: sandbox.imap.host, port: sandbox.imap.port, user: sandbox.imap.user, password: sandbox.imap.password },
        privacyAddress: sandbox.privacyAddress,
        authservId: sandbox.authservId,
        dovecotReason: sandbox.dovecotReason,
      },
      /** Workflows imported but not published, because the privacy mailbox is not there. */
      unpublished: waiting.map((w) => ({ id: w.id, name: w.name })),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------- as a command

async function main(argv) {
  const [command, json] = argv;
  if (command !== 'serve') throw new Error(`usage: try-out.mjs serve '{"dir": "...", "ports": {...}}'`);
  const options = json ? JSON.parse(json) : {};
  const { stop, ...info } = await startTryOut(options);
  process.stdout.write(`${JSON.stringify(info)}\n`);
  stopOnSignalOrEndOfInput(stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
