#!/usr/bin/env node
// n8n's queue mode with this package, all on 127.0.0.1: what users who outgrow one n8n run.
//
//   PostgreSQL (a private cluster: n8n's own database and the consent ledger, two databases)
//   Redis (a private redis-server from Debian's package: no persistence, stopped afterwards)
//   n8n main       `n8n start`: the editor, and the one instance that activates triggers and pollers
//   n8n workers    `n8n worker` (two by default): they take the executions from Redis and run them
//   n8n webhook    `n8n webhook` (one by default): it answers /webhook/ and /form/ URLs and hands
//                  each execution to Redis for a worker; the main answers no production webhook
//                  (N8N_DISABLE_PRODUCTION_MAIN_PROCESS)
//   mail sandbox   the try-out's SMTP peer that keeps every mail (scripts/mail-sandbox.mjs); when a
//                  workflow reads the privacy mailbox (the inbox sample), also its private Dovecot:
//                  mail sent to the privacy address over SMTP is delivered into it over LMTP
//
// The package is installed the way n8n's installer does it into the main's user folder and copied
// to the others (each n8n instance loads community packages from its own folder), the webform
// double opt-in sample is imported and published, its Consent Ledger credential points at the
// ledger database. test/e2e/queue-mode.test.ts drives this; a person starts the same with
//   npm run queue-mode          (Node 24: it imports test/support/postgres.ts, whose types Node strips)
// which prints the URLs and runs until Ctrl-C, then stops everything it started.
//
// As a command for jest (which cannot import ESM): `node scripts/queue-mode.mjs serve '{...}'`
// prints one JSON line once everything is up, then reads JSON commands, one a line, on stdin:
//   {"kill": "worker-1"}    SIGKILL to that instance's process group (n8n and its task runner)
//   {"start": "worker-1"}   starts it again (same user folder, same ports)
// and answers each with one JSON line. It stops everything when stdin closes or on SIGTERM/SIGINT.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureN8nHost, importCredentials, importWorkflow, installPackageIntoN8n, publishWorkflow, startN8n } from './n8n-host.mjs';
import { startMailSandbox } from './mail-sandbox.mjs';
import { freePorts, LOOPBACK } from './ports.cjs';
import { localiseWorkflow, readsPrivacyMailbox, SAMPLE_PATHS, tryOutCredentials } from './try-out-settings.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const QUEUE_MODE_WORKFLOWS = Object.freeze(['workflows/webform-double-opt-in.json']);

function logStep(message) {
  process.stderr.write(`[queue-mode] ${message}\n`);
}

// ------------------------------------------------------------------------------------------ Redis

/**
 * A private redis-server on 127.0.0.1 and a free port: no RDB snapshots, no AOF, its folder is
 * the caller's. Resolves once it accepts connections; stop() ends it (SIGTERM, then SIGKILL).
 */
export async function startRedis({ dir, log = logStep }) {
  const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((f) => fs.existsSync(f)) ?? 'redis-server';
  fs.mkdirSync(dir, { recursive: true });
  const [port] = await freePorts(1);
  const args = ['--bind', LOOPBACK, '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'yes', '--logfile', ''];
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const spawnFailed = new Promise((resolve) => child.on('error', resolve));
  const ready = new Promise((resolve) => {
    const onData = (chunk) => {
      output = (output + chunk).slice(-20_000);
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  const outcome = await Promise.race([
    ready.then(() => 'ready'),
    exited.then(() => 'exited'),
    spawnFailed.then((error) => `error: ${error.message}`),
    new Promise((resolve) => setTimeout(resolve, 30_000, 'timeout').unref()),
  ]);
  const stop = async () => {
    if (gone) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const forced = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, 10_000);
    await exited;
    clearTimeout(forced);
  };
  if (outcome !== 'ready') {
    await stop();
    throw new Error(
      `redis-server did not start (${outcome}). n8n's queue mode needs Redis: install Debian's package once as root ` +
        `(sudo node scripts/system-packages.mjs). Output:\n${output.slice(-2000)}`,
    );
  }
  log(`redis-server on ${LOOPBACK}:${port}`);
  return { host: LOOPBACK, port, pid: child.pid, stop };
}

// ------------------------------------------------------------------------------------ PostgreSQL

async function loadPostgres() {
  const [major] = process.versions.node.split('.').map(Number);
  if (major < 24) {
    throw new Error(`Queue mode imports test/support/postgres.ts, which needs Node 24 (this is ${process.version}): run it with npm run queue-mode.`);
  }
  return import(pathToFileURL(path.join(REPO_ROOT, 'test', 'support', 'postgres.ts')).href);
}

// ------------------------------------------------------------------------------------ the n8n set

/**
 * Starts the whole queue-mode set in `dir` (a fresh folder) and resolves when the main has its
 * workflows live, the workers and the webhook processor are ready.
 * Options: workers (2), webhookProcessors (1), workerConcurrency (10, n8n's default),
 * workflows (repository paths, or workflow objects: a sample a test changed; default the webform
 * sample), packageDir, n8nEnv (extra, for all),
 * dovecot ('auto': the privacy mailbox when a workflow reads it; 'require' or 'off').
 * A workflow that reads the privacy mailbox gets the try-out's settings (localiseWorkflow: the
 * sandbox's authserv-id trusted, no DNS for DKIM, a 5 s poll) and its Privacy mailbox credential.
 * @returns {Promise<{dir, urls, ledger, n8nDatabaseUrl, redis, instances, sandbox, kill, start, stop}>}
 */
export async function startQueueMode({
  dir,
  workers = 2,
  webhookProcessors = 1,
  workerConcurrency = 10,
  workflows = QUEUE_MODE_WORKFLOWS,
  packageDir = REPO_ROOT,
  n8nEnv: extraEnv = {},
  dovecot = 'auto',
  log = logStep,
} = {}) {
  if (!dir) throw new Error('startQueueMode: dir is required');
  dir = path.resolve(dir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stoppers = [];
  const stop = async () => {
    for (const s of stoppers.splice(0).reverse()) await s().catch((error) => log(`while stopping: ${error.message}`));
  };

  try {
    const host = await ensureN8nHost({ log });

    // -- PostgreSQL: n8n's database and the ledger's, on one private cluster
    const { startPostgres } = await loadPostgres();
    const cluster = await startPostgres({ settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' } });
    stoppers.push(() => cluster.stop());
    const n8nDatabase = await cluster.createDatabase('n8n');
    const ledgerUrl = cluster.url(await cluster.createDatabase('consent_ledger'));
    log(`PostgreSQL on ${cluster.host}:${cluster.port}: databases ${n8nDatabase} and consent_ledger`);

    // -- Redis
    const redis = await startRedis({ dir: path.join(dir, 'redis'), log });
    stoppers.push(() => redis.stop());

    // -- the mail sandbox: SMTP, and Dovecot (the privacy mailbox) when a workflow reads it
    const workflowFiles = workflows.map((file) => (typeof file === 'string' ? JSON.parse(fs.readFileSync(path.resolve(REPO_ROOT, file), 'utf8')) : file));
    const readsMailbox = workflowFiles.some(readsPrivacyMailbox);
    const taken = new Set();
    const [smtpPort, inboxPort] = await freePorts(2, taken);
    const sandbox = await startMailSandbox({
      dir: path.join(dir, 'mail-sandbox'),
      smtpPort,
      webPort: inboxPort,
      dovecot: dovecot === 'auto' ? (readsMailbox ? 'require' : 'off') : dovecot,
      ephemeral: true,
      log,
    });
    stoppers.push(() => sandbox.stop());

    // -- ports and folders of the n8n instances
    const names = [
      'main',
      ...Array.from({ length: workers }, (_, i) => `worker-${i + 1}`),
      ...Array.from({ length: webhookProcessors }, (_, i) => `webhook-${i + 1}`),
    ];
    const instances = {};
    for (const name of names) {
      const [port, brokerPort, inspectPort] = await freePorts(3, taken);
      const command = name === 'main' ? 'start' : name.startsWith('worker-') ? 'worker' : 'webhook';
      instances[name] = { name, command, port, brokerPort, inspectPort, userFolder: path.join(dir, name) };
    }
    const webhookBase = `http://${LOOPBACK}:${instances[names.find((n) => n.startsWith('webhook-')) ?? 'main'].port}`;
    const mainBase = `http://${LOOPBACK}:${instances.main.port}`;

    const encryptionKey = randomBytes(24).toString('base64url');
    const owner = { email: 'owner@example-shop.test', password: `Queue-${randomBytes(9).toString('base64url')}-7`, firstName: 'Queue', lastName: 'Owner' };
    // What every instance shares: the queue, n8n's database, the key its credentials are encrypted with.
    const queueEnv = {
      EXECUTIONS_MODE: 'queue',
      QUEUE_BULL_REDIS_HOST: redis.host,
      QUEUE_BULL_REDIS_PORT: String(redis.port),
      DB_TYPE: 'postgresdb',
      DB_POSTGRESDB_HOST: cluster.host,
      DB_POSTGRESDB_PORT: String(cluster.port),
      DB_POSTGRESDB_DATABASE: n8nDatabase,
      DB_POSTGRESDB_USER: cluster.user,
      DB_POSTGRESDB_PASSWORD: '',
      // n8n's default pool is 2 connections: too few for a webhook processor taking many forms at once.
      // n8n pings its database every 2 s *through this pool* (it waits for a free connection first)
      // and answers every request with 503 "Database is not ready!" after one ping that took longer
      // than DB_PING_TIMEOUT_MS. With 10 connections and 50 forms at once on a loaded 2-core machine
      // the ping queued behind the forms and 249 of 2,000 signups got the 503 (6 Dec 2026): a pool
      // above the concurrent requests leaves the ping a free connection, a minute's timeout rides out
      // a starved CPU. 5 instances x 30 stay under the cluster's max_connections (300).
      DB_POSTGRESDB_POOL_SIZE: '30',
      DB_PING_TIMEOUT_MS: '60000',
      N8N_ENCRYPTION_KEY: encryptionKey,
      // Links and form URLs n8n shows are the webhook processor's; the main takes no production webhook.
      N8N_WEBHOOK_URL: `${webhookBase}/`,
      N8N_EDITOR_BASE_URL: `${mainBase}/`,
      N8N_DISABLE_PRODUCTION_MAIN_PROCESS: webhookProcessors > 0 ? 'true' : 'false',
      OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
      N8N_CONCURRENCY_PRODUCTION_LIMIT: String(workerConcurrency),
      N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '15',
      ...extraEnv,
    };
    const envOf = (instance) => ({
      ...queueEnv,
      // Where Node's inspector opens once the process gets SIGUSR1 (nothing listens before): a
      // debugger, or scripts/process-memory.cjs's garbage collection before it reads the memory.
      NODE_OPTIONS: `--inspect-port=${LOOPBACK}:${instance.inspectPort}`,
      ...(instance.command === 'worker'
        ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(instance.port), N8N_WORKER_SERVER_ADDRESS: LOOPBACK }
        : {}),
    });

    // -- this package, as n8n's installer puts it, in every instance's user folder
    log('installing this package into n8n (npm pack, then npm install inside it, as n8n does)');
    await installPackageIntoN8n(instances.main.userFolder, packageDir);
    for (const name of names.slice(1)) {
      fs.mkdirSync(path.join(instances[name].userFolder, '.n8n'), { recursive: true });
      fs.cpSync(path.join(instances.main.userFolder, '.n8n', 'nodes'), path.join(instances[name].userFolder, '.n8n', 'nodes'), { recursive: true });
    }

    // -- credentials and workflows, into n8n's PostgreSQL database (the CLI runs with the main's env)
    const secret = randomBytes(32).toString('base64');
    const ledger = { kind: 'postgres', url: ledgerUrl };
    const settings = { baseUrl: webhookBase, ledger, secret, sandbox, owner };
    const credentials = tryOutCredentials(settings);
    const cliOptions = { userFolder: instances.main.userFolder, owner, env: envOf(instances.main) };
    log(`creating the credentials: ${credentials.map((c) => c.name).join(', ')}`);
    await importCredentials({ ...cliOptions, credentials });
    const workflowObjects = workflowFiles.map((workflow) => localiseWorkflow(workflow, { sandbox }));
    log(`importing and publishing: ${workflowObjects.map((w) => w.name).join('; ')}`);
    const ids = await importWorkflow({ ...cliOptions, workflow: workflowObjects });
    for (const id of ids) await publishWorkflow({ ...cliOptions, id });

    // -- n8n: the main first (it runs the database migrations), then the others side by side
    const running = {};
    const start = async (name) => {
      const instance = instances[name];
      if (!instance) throw new Error(`no instance ${name}; there are ${names.join(', ')}`);
      if (running[name]) throw new Error(`${name} is running`);
      const n8n = await startN8n({
        userFolder: instance.userFolder,
        port: instance.port,
        brokerPort: instance.brokerPort,
        owner,
        env: envOf(instance),
        command: instance.command,
        log,
      });
      running[name] = n8n;
      instance.pid = n8n.pid;
      instance.logFile = n8n.logFile;
      return { name, pid: n8n.pid };
    };
    const stopInstance = async (name) => {
      const n8n = running[name];
      delete running[name];
      await n8n?.stop();
    };
    stoppers.push(async () => {
      // Webhook processors and the main first (no new executions), then the workers.
      const order = [...names.filter((n) => !n.startsWith('worker-')), ...names.filter((n) => n.startsWith('worker-'))];
      for (const name of order) await stopInstance(name).catch((error) => log(`stopping ${name}: ${error.message}`));
    });
    await start('main');
    await Promise.all(names.slice(1).map((name) => start(name)));
    // What a load balancer waits for: n8n's readiness (database connected and migrated).
    for (const name of names) {
      const { port } = instances[name];
      const path_ = '/healthz/readiness'; // the worker's health server has it too
      const deadline = Date.now() + 120_000;
      for (;;) {
        const ok = await fetch(`http://${LOOPBACK}:${port}${path_}`).then((r) => r.ok, () => false);
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`${name} did not report ready (${path_}) within 120 s; see ${instances[name].logFile}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }

    /** A crash: SIGKILL to the instance's process group (n8n and its task runner), no shutdown at all. */
    const kill = async (name) => {
      const n8n = running[name];
      if (!n8n) throw new Error(`${name} is not running`);
      delete running[name];
      try {
        process.kill(-n8n.pid, 'SIGKILL');
      } catch (error) {
        if (error.code !== 'ESRCH') throw error;
      }
      await n8n.stop(); // waits for the exit and the port to close
      return { name, killed: n8n.pid };
    };

    const urls = {
      editor: `${mainBase}/`,
      signupForm: `${webhookBase}/form/${SAMPLE_PATHS.signupForm}`,
      confirmBase: `${webhookBase}/webhook/${SAMPLE_PATHS.linkBase}/confirm`,
      inbox: sandbox.inboxUrl,
    };
    return {
      dir,
      urls,
      owner: { email: owner.email, password: owner.password },
      ledger: { ...ledger, secret },
      n8nDatabaseUrl: cluster.url(n8nDatabase),
      redis: { host: redis.host, port: redis.port },
      n8nVersion: host.n8nVersion,
      instances: Object.fromEntries(names.map((n) => [n, { ...instances[n], logFile: path.join(instances[n].userFolder, 'n8n.log') }])),
      sandbox: {
        inboxUrl: sandbox.inboxUrl,
        apiUrl: sandbox.apiUrl,
        smtp: sandbox.smtp,
        privacyAddress: sandbox.privacyAddress,
        // The privacy mailbox (Dovecot), when it runs: its IMAP login, for a look at its folders.
        imap: sandbox.imap ? { host: sandbox.imap.host, port: sandbox.imap.port, user: sandbox.imap.user, password: sandbox.imap.password } : null,
      },
      kill,
      start,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------- as a command

async function serve(options, { human }) {
  const ownDir = !options.dir;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'consent-queue-mode-'));
  let setup;
  let stopping;
  const shutdown = (code = 0) => {
    stopping ??= (async () => {
      await setup?.stop().catch((error) => logStep(`while stopping: ${error.message}`));
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
      process.exit(code);
    })();
  };
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(0));
  try {
    setup = await startQueueMode({ ...options, dir });
  } catch (error) {
    if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const { kill, start, stop: _stop, ...info } = setup;
  if (human) {
    const lines = [
      `n8n ${info.n8nVersion} in queue mode is running (Ctrl-C stops everything):`,
      `  signup form     ${info.urls.signupForm}   (the webhook processor)`,
      `  editor          ${info.urls.editor}   login ${info.owner.email} / ${info.owner.password}`,
      `  mail sandbox    ${info.urls.inbox}`,
      ...(info.sandbox.imap ? [`  privacy mailbox imap://${info.sandbox.imap.host}:${info.sandbox.imap.port}   login ${info.sandbox.imap.user} / ${info.sandbox.imap.password}`] : []),
      `  ledger          ${info.ledger.url}   (CONSENT_POSTGRES_URL for n8n-consent, with CONSENT_SECRET=${info.ledger.secret})`,
      `  n8n database    ${info.n8nDatabaseUrl}`,
      `  redis           ${info.redis.host}:${info.redis.port}`,
      ...Object.values(info.instances).map((i) => `  ${i.name.padEnd(15)} pid ${i.pid}, port ${i.port}, log ${i.logFile} (kill -USR1 ${i.pid}: inspector on ${LOOPBACK}:${i.inspectPort})`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } else {
    process.stdout.write(`${JSON.stringify(info)}\n`);
  }
  const answer = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (!line.trim()) return;
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      answer({ error: `not JSON: ${line.slice(0, 200)}` });
      return;
    }
    const action = request.kill ? kill(request.kill) : request.start ? start(request.start) : Promise.reject(new Error('give {"kill": NAME} or {"start": NAME}'));
    action.then(
      (result) => answer({ ok: true, ...result, instances: undefined }),
      (error) => answer({ error: error.message }),
    );
  });
  // The caller went away (jest ended, a crash): nothing may outlive it. Started by hand, it runs
  // until Ctrl-C.
  input.on('close', () => {
    if (!human) shutdown(0);
  });
}

async function main(argv) {
  const [command, json] = argv;
  if (command === undefined) return serve({}, { human: true });
  if (command !== 'serve') throw new Error(`usage: queue-mode.mjs [serve '{"dir": "...", "workers": 2, "webhookProcessors": 1}']`);
  return serve(json ? JSON.parse(json) : {}, { human: false });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
