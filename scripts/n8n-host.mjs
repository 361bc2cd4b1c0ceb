#!/usr/bin/env node
// The real n8n that `npm start` and the end-to-end tests run.
//
// n8n is the host, never a dependency of our package: it is installed from n8n-host/package.json
// and its lockfile into a cache folder outside the checkout (keyed by their hash), started on
// 127.0.0.1 only with an offline environment, and given our package the way n8n's own community
// package installer does it. Plain ESM that runs on Node 20 and 24; n8n itself runs on the Node 24
// that the host install brings along.
//
// As a library: import { ensureN8nHost, startN8n, ... } from './n8n-host.mjs'.
// As a command (for jest, which cannot import ESM, and for people), options as one JSON argument:
//   node scripts/n8n-host.mjs ensure
//   node scripts/n8n-host.mjs install '{"userFolder": "/tmp/u", "packageDir": "."}'
//   node scripts/n8n-host.mjs import-workflow '{"userFolder": "/tmp/u", "file": "workflows/x.json"}'
//   node scripts/n8n-host.mjs publish-workflow '{"userFolder": "/tmp/u", "id": "..."}'
//   node scripts/n8n-host.mjs import-credentials '{"userFolder": "/tmp/u", "credentials": [...]}'
//   node scripts/n8n-host.mjs serve '{"userFolder": "/tmp/u", "port": 5678}'
//     (runs until SIGTERM/SIGINT or until its stdin closes, then stops n8n)
// Each prints one JSON line on stdout when done; progress goes to stderr.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePorts, isPortClosed, LOOPBACK } from './ports.cjs';
import { stopOnSignalOrEndOfInput } from './serve.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST_SOURCE_DIR = path.join(REPO_ROOT, 'n8n-host');
const HOST_FILES = ['package.json', 'package-lock.json'];
// Part of the cache key: bump it when the install steps below change, so that an install made by
// older steps is not reused.
const INSTALL_RECIPE = 1;
const READY_MARKER = '.n8n-host-ready.json';
const READY_LINE = 'Editor is now accessible';
// What each n8n command prints once it serves: `n8n start` (main), and queue mode's `n8n worker`
// and `n8n webhook` (scripts/queue-mode.mjs).
const READY_LINES = Object.freeze({ start: READY_LINE, worker: 'n8n worker is now ready', webhook: 'Webhook listener waiting for requests' });

export const DEFAULT_OWNER = Object.freeze({
  email: 'owner@example.test',
  password: 'Consent-Owner-Passw0rd',
  firstName: 'Test',
  lastName: 'Owner',
});

function logStep(message) {
  process.stderr.write(`[n8n-host] ${message}\n`);
}

/** The folder that holds host installs: $N8N_CONSENT_CACHE_DIR, else ~/.cache/n8n-nodes-consent. */
export function n8nHostCacheRoot() {
  if (process.env.N8N_CONSENT_CACHE_DIR) return path.resolve(process.env.N8N_CONSENT_CACHE_DIR);
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'n8n-nodes-consent');
}

/** Hash of what decides the install's content: the host's package.json + lockfile, platform, steps. */
export function n8nHostKey() {
  const hash = createHash('sha256');
  hash.update(`recipe ${INSTALL_RECIPE} ${process.platform}-${process.arch}\n`);
  for (const file of HOST_FILES) {
    hash.update(`${file}\n`);
    hash.update(fs.readFileSync(path.join(HOST_SOURCE_DIR, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

function hostPaths(dir) {
  const nodeModules = path.join(dir, 'node_modules');
  return {
    dir,
    n8nBin: path.join(nodeModules, 'n8n', 'bin', 'n8n'),
    nodeBin: path.join(nodeModules, 'node', 'bin', 'node'),
    nodesBaseDir: path.join(nodeModules, 'n8n-nodes-base'),
  };
}

function readReadyMarker(dir) {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dir, READY_MARKER), 'utf8'));
    const paths = hostPaths(dir);
    if (!fs.existsSync(paths.n8nBin) || !fs.existsSync(paths.nodeBin)) return null;
    return { ...paths, n8nVersion: marker.n8nVersion, nodeVersion: marker.nodeVersion, headersDir: marker.headersDir };
  } catch {
    return null;
  }
}

/**
 * Installs n8n (n8n-host/) into the cache folder once per lockfile and returns where it is.
 * Steps: `npm install --ignore-scripts` from the lockfile (n8n's tree has install scripts that download sources), then the
 * `node` package's install script (it fetches the Node 24 binary n8n requires), then sqlite3 and
 * isolated-vm built against that Node's headers. The ready marker is written last, so a broken or
 * interrupted install is redone; a lock folder keeps parallel callers (jest workers) from
 * installing twice.
 * @returns {Promise<{dir: string, n8nBin: string, nodeBin: string, nodesBaseDir: string,
 *   n8nVersion: string, nodeVersion: string, headersDir: string, installedNow: boolean}>}
 */
export async function ensureN8nHost({ log = logStep } = {}) {
  const dir = path.join(n8nHostCacheRoot(), `n8n-${n8nHostKey()}`);
  const ready = readReadyMarker(dir);
  if (ready) {
    markUsed(dir);
    return { ...ready, installedNow: false };
  }

  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const release = await acquireLock(`${dir}.lock`, log);
  try {
    const readyMeanwhile = readReadyMarker(dir);
    if (readyMeanwhile) return { ...readyMeanwhile, installedNow: false };
    await installHost(dir, log);
    const installed = readReadyMarker(dir);
    if (!installed) throw new Error(`n8n host install in ${dir} finished without its ready marker`);
    pruneOtherInstalls(dir, log);
    return { ...installed, installedNow: true };
  } finally {
    release();
  }
}

async function installHost(dir, log) {
  const started = Date.now();
  const step = (message) => log(`${message} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const file of HOST_FILES) fs.copyFileSync(path.join(HOST_SOURCE_DIR, file), path.join(dir, file));
  const env = npmEnv();

  // `npm install` with the lockfile in place installs the locked versions, like `npm ci`; but
  // `npm ci` refuses a lockfile that lacks optional platform packages a registry mirror does not
  // carry (msgpackr-extract's darwin/win32 builds), where `npm install` skips them as optional.
  step(`installing n8n into ${dir}: npm install --ignore-scripts (from the lockfile)`);
  await run('npm', ['install', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env });

  step('running the install script of the `node` package (Node 24 binary for n8n)');
  await run('npm', ['rebuild', 'node', '--loglevel=error'], { cwd: dir, env });
  const { nodeBin, n8nBin } = hostPaths(dir);
  if (!fs.existsSync(nodeBin)) {
    throw new Error(
      `The \`node\` package's install script did not run (${nodeBin} is missing). ` +
        'Approve it in the "allowScripts" field of n8n-host/package.json ("node": true).',
    );
  }
  const headersDir = findNodeHeaders(path.join(dir, 'node_modules', 'node', 'node_modules'));
  const nodeVersion = (await run(nodeBin, ['--version'], { cwd: dir, env })).trim();

  step(`building sqlite3 and isolated-vm for Node ${nodeVersion}`);
  await run('npm', ['rebuild', 'sqlite3', 'isolated-vm', '--loglevel=error'], {
    cwd: dir,
    env: {
      ...env,
      npm_config_nodedir: headersDir,
      // sqlite3's script would first try to download a prebuilt binary from outside the registry.
      npm_config_build_from_source: 'sqlite3',
      PATH: `${path.dirname(nodeBin)}${path.delimiter}${env.PATH ?? ''}`,
    },
  });
  await run(nodeBin, ['-e', "require('sqlite3'); require('isolated-vm')"], { cwd: dir, env }).catch((error) => {
    throw new Error(
      `sqlite3 or isolated-vm did not build for n8n's Node: ${error.message}\n` +
        'Both need "allowScripts" approval in n8n-host/package.json and a C++ toolchain (make, g++, python3).',
    );
  });

  const n8nVersion = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
  if (!fs.existsSync(n8nBin)) throw new Error(`n8n's command is missing after install: ${n8nBin}`);
  const marker = { n8nVersion, nodeVersion, headersDir, installSeconds: Math.round((Date.now() - started) / 1000), at: new Date().toISOString() };
  fs.writeFileSync(path.join(dir, READY_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
  step(`n8n ${n8nVersion} on Node ${nodeVersion} is installed`);
}

// An install takes about 3 GB: one made from another lockfile (another branch) is removed when it
// has not been used for two weeks, an unfinished one nobody is working on at once.
const UNUSED_INSTALL_KEPT_MS = 14 * 24 * 60 * 60 * 1000;

function markUsed(dir) {
  const now = new Date();
  try {
    fs.utimesSync(path.join(dir, READY_MARKER), now, now);
  } catch {
    // A read-only cache still works; it is only never pruned.
  }
}

function pruneOtherInstalls(keep, log) {
  const root = path.dirname(keep);
  for (const name of fs.readdirSync(root)) {
    const dir = path.join(root, name);
    if (dir === keep || !/^n8n-[0-9a-f]{16}$/.test(name) || fs.existsSync(`${dir}.lock`)) continue;
    const marker = fs.statSync(path.join(dir, READY_MARKER), { throwIfNoEntry: false });
    if (marker && Date.now() - marker.mtimeMs < UNUSED_INSTALL_KEPT_MS) continue;
    log(`removing ${marker ? 'an unused' : 'an unfinished'} n8n install: ${dir}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function findNodeHeaders(nodePackageModules) {
  const candidates = fs.existsSync(nodePackageModules) ? fs.readdirSync(nodePackageModules) : [];
  for (const name of candidates) {
    const dir = path.join(nodePackageModules, name);
    if (fs.existsSync(path.join(dir, 'include', 'node', 'node.h'))) return dir;
  }
  throw new Error(`No Node headers (include/node/node.h) under ${nodePackageModules}: the \`node\` package install is incomplete`);
}

/** The environment for npm runs: without the variables an outer `npm run`/`npx` hands down. */
function npmEnv() {
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  for (const key of Object.keys(env)) {
    if (/^npm_(package|lifecycle)_/.test(key) || key === 'npm_config_local_prefix' || key === 'npm_config_nodedir' || key === 'INIT_CWD') {
      delete env[key];
    }
  }
  return env;
}

async function acquireLock(lockDir, log) {
  const deadline = Date.now() + 30 * 60_000;
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'owner'), `${process.pid} ${os.hostname()}\n`);
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (lockIsStale(lockDir)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!told) {
      log(`waiting for another process installing n8n (${lockDir})`);
      told = true;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for the n8n install lock ${lockDir}`);
    await sleep(1000);
  }
}

function lockIsStale(lockDir) {
  let owner;
  try {
    owner = fs.readFileSync(path.join(lockDir, 'owner'), 'utf8').trim().split(' ');
  } catch {
    // Just created by its owner, which has not written its pid yet; or left empty by a crash.
    const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    return age > 10_000;
  }
  const [pid, host] = owner;
  if (host !== os.hostname()) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

/**
 * Runs a command; resolves with its stdout, rejects with the tail of its output.
 * @returns {Promise<string>}
 */
function run(command, args, { cwd, env, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      output = (output + chunk).slice(-20_000);
    });
    child.stderr.on('data', (chunk) => {
      output = (output + chunk).slice(-20_000);
    });
    if (input !== undefined) child.stdin.end(input);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) failed with ${signal ?? `exit code ${code}`}:\n${output}`));
    });
  });
}

/**
 * Installs a community node package into an n8n user folder the way n8n's own installer does
 * (n8n 2.40 community-packages.service): npm pack, unpack into .n8n/nodes/node_modules/<name>,
 * drop dev/peer/optional dependencies, `npm install --ignore-scripts` inside it, list it in
 * .n8n/nodes/package.json. Build the package first: `npm pack` packs what is on disk.
 * @returns {Promise<{name: string, version: string, dir: string}>}
 */
export async function installPackageIntoN8n(userFolder, packageDir) {
  const env = npmEnv();
  const nodesDir = path.join(path.resolve(userFolder), '.n8n', 'nodes');
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pack-'));
  try {
    // --ignore-scripts: the package's prepack (rm -rf dist && tsup) would print into the JSON and
    // remove dist/ under tests that run at the same time; the caller builds first.
    const packed = JSON.parse(
      await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir, path.resolve(packageDir)], { cwd: packDir, env }),
    );
    const { name, version, filename } = packed[0];
    const target = path.join(nodesDir, 'node_modules', ...name.split('/'));
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target, { recursive: true });
    await run('tar', ['-xzf', path.join(packDir, path.basename(filename)), '-C', target, '--strip-components=1'], { cwd: packDir, env });

    const manifestPath = path.join(target, 'package.json');
    // n8n never installs these: a community package's runtime needs belong in `dependencies`.
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[field];
    fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    await run(
      'npm',
      ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
      { cwd: target, env },
    );

    const ledgerPath = path.join(nodesDir, 'package.json');
    const ledger = fs.existsSync(ledgerPath)
      ? JSON.parse(fs.readFileSync(ledgerPath, 'utf8'))
      : { name: 'installed-nodes', private: true, dependencies: {} };
    ledger.dependencies = { ...ledger.dependencies, [name]: version };
    fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2));
    return { name, version, dir: target };
  } finally {
    fs.rmSync(packDir, { recursive: true, force: true });
  }
}

/** bcrypt hash made with the bcryptjs that n8n itself uses to check passwords. */
export function hashPasswordForN8n(host, password) {
  const requireFromN8n = createRequire(path.join(host.dir, 'node_modules', 'n8n', 'package.json'));
  return requireFromN8n('bcryptjs').hashSync(password, 10);
}

/**
 * The environment n8n runs with: built from scratch (only PATH, locale and time zone pass
 * through), so no N8N_* or DB_* variable of the caller's shell leaks in; nothing phones home.
 */
export function n8nEnv({ host, userFolder, port, brokerPort, owner = DEFAULT_OWNER, env = {} }) {
  const base = {};
  for (const key of ['LANG', 'LC_ALL', 'TZ', 'TMPDIR']) if (process.env[key] !== undefined) base[key] = process.env[key];
  const listen = {};
  if (port !== undefined) {
    Object.assign(listen, {
      N8N_PORT: String(port),
      N8N_LISTEN_ADDRESS: LOOPBACK,
      N8N_HOST: LOOPBACK,
      N8N_PROTOCOL: 'http',
      N8N_WEBHOOK_URL: `http://${LOOPBACK}:${port}/`,
      N8N_EDITOR_BASE_URL: `http://${LOOPBACK}:${port}/`,
    });
  }
  if (brokerPort !== undefined) {
    Object.assign(listen, { N8N_RUNNERS_BROKER_PORT: String(brokerPort), N8N_RUNNERS_BROKER_LISTEN_ADDRESS: LOOPBACK });
  }
  return {
    ...base,
    // n8n's task runner is started with the node on PATH: it must be n8n's Node 24.
    PATH: `${path.dirname(host.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: path.resolve(userFolder),
    N8N_USER_FOLDER: path.resolve(userFolder),
    ...listen,
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
    N8N_DYNAMIC_BANNERS_ENABLED: 'false',
    N8N_AI_ENABLED: 'false',
    N8N_DISABLED_MODULES: 'mcp-registry,agents',
    N8N_VERIFIED_PACKAGES_ENABLED: 'false',
    N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
    N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
    N8N_REINSTALL_MISSING_PACKAGES: 'false',
    N8N_SECURE_COOKIE: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
    N8N_LOG_OUTPUT: 'console',
    N8N_LOG_LEVEL: 'info',
    N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
    N8N_INSTANCE_OWNER_EMAIL: owner.email,
    N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
    N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
    N8N_INSTANCE_OWNER_PASSWORD_HASH: owner.passwordHash ?? hashPasswordForN8n(host, owner.password),
    ...env,
  };
}

async function runN8nCommand(userFolder, args, { owner, env } = {}) {
  const host = await ensureN8nHost();
  fs.mkdirSync(userFolder, { recursive: true });
  return await run(host.nodeBin, [host.n8nBin, ...args], { cwd: userFolder, env: n8nEnv({ host, userFolder, owner, env }) });
}

function writeJsonInput(userFolder, prefix, value) {
  fs.mkdirSync(userFolder, { recursive: true });
  const file = path.join(path.resolve(userFolder), `${prefix}-${randomBytes(4).toString('hex')}.json`);
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

/**
 * `n8n import:workflow` (before start). Takes a file path or the workflow object(s) as n8n exports
 * them; a workflow without an id gets one, since publishing needs it.
 * @returns {Promise<string[]>} the ids of the imported workflows
 */
export async function importWorkflow({ userFolder, workflow, file, owner, env }) {
  let workflows = workflow ?? JSON.parse(fs.readFileSync(file, 'utf8'));
  workflows = (Array.isArray(workflows) ? workflows : [workflows]).map((w) => ({ ...w, id: w.id ?? randomBytes(8).toString('hex') }));
  const input = writeJsonInput(userFolder, 'import-workflow', workflows.length === 1 ? workflows[0] : workflows);
  try {
    await runN8nCommand(userFolder, ['import:workflow', `--input=${input}`], { owner, env });
  } finally {
    fs.rmSync(input, { force: true });
  }
  return workflows.map((w) => w.id);
}

/** `n8n publish:workflow --id=ID` (before start): n8n 2.x runs only published workflows. */
export async function publishWorkflow({ userFolder, id, owner, env }) {
  await runN8nCommand(userFolder, ['publish:workflow', `--id=${id}`], { owner, env });
}

/** `n8n unpublish:workflow --id=ID` (before start): the workflow stays, its triggers do not run. */
export async function unpublishWorkflow({ userFolder, id, owner, env }) {
  await runN8nCommand(userFolder, ['unpublish:workflow', `--id=${id}`], { owner, env });
}

/**
 * `n8n import:credentials` (before start): plaintext credential objects
 * ({ id, name, type, data }), which n8n encrypts with the user folder's key.
 */
export async function importCredentials({ userFolder, credentials, owner, env }) {
  const list = Array.isArray(credentials) ? credentials : [credentials];
  const input = writeJsonInput(userFolder, 'import-credentials', list);
  try {
    await runN8nCommand(userFolder, ['import:credentials', `--input=${input}`], { owner, env });
  } finally {
    fs.rmSync(input, { force: true });
  }
  return list.map((c) => c.id);
}

/**
 * Starts `n8n start` for a user folder on 127.0.0.1, waits for "Editor is now accessible" and then
 * (unless waitForPublishedWorkflows is false) until every published workflow is live, so that its
 * webhooks answer. stop() ends the whole process group (n8n and its task runner) and resolves
 * once the port is closed. `command: 'worker'` or `'webhook'` starts a queue-mode worker or webhook
 * processor instead (its ready line, no publication wait; `port` is then the worker's health port
 * or the webhook processor's port, which the caller's env must name for a worker).
 * @returns {Promise<{baseUrl: string, port: number, brokerPort: number, pid: number, owner: object,
 *   logFile: string, output: () => string, stop: () => Promise<void>}>}
 */
export async function startN8n({
  userFolder,
  port,
  brokerPort,
  env,
  owner = DEFAULT_OWNER,
  timeoutMs = 180_000,
  waitForPublishedWorkflows = true,
  log = logStep,
  onSpawn,
  command = 'start',
} = {}) {
  const readyLine = READY_LINES[command];
  if (!readyLine) throw new Error(`startN8n: command must be one of ${Object.keys(READY_LINES).join(', ')}, not ${command}`);
  const started = Date.now();
  if (!userFolder) throw new Error('startN8n: userFolder is required (a folder n8n may own: its database and keys go there)');
  const host = await ensureN8nHost();
  userFolder = path.resolve(userFolder);
  fs.mkdirSync(userFolder, { recursive: true });
  const taken = new Set([port, brokerPort].filter(Boolean));
  port = port ?? (await freePorts(1, taken))[0];
  brokerPort = brokerPort ?? (await freePorts(1, taken))[0];

  const logFile = path.join(userFolder, 'n8n.log');
  const logStream = fs.createWriteStream(logFile, { flags: 'a' });
  let output = '';
  const child = spawn(host.nodeBin, [host.n8nBin, command], {
    cwd: userFolder,
    env: n8nEnv({ host, userFolder, port, brokerPort, owner, env }),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // For a caller that must be able to stop n8n while it is still starting (Ctrl-C in `npm start`).
  onSpawn?.(child.pid);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let exitInfo;
  exited.then((info) => {
    exitInfo = info;
  });

  const ready = new Promise((resolve) => {
    const onData = (chunk) => {
      logStream.write(chunk);
      output = (output + chunk).slice(-200_000);
      if (output.includes(readyLine)) resolve(true);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  child.on('close', () => logStream.end());

  const baseUrl = `http://${LOOPBACK}:${port}`;
  const stop = async () => {
    if (exitInfo === undefined) {
      killGroup(child.pid, 'SIGTERM');
      const forced = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 20_000);
      await exited;
      clearTimeout(forced);
    }
    // The task runner is in the same group; make sure nothing of it outlives n8n.
    killGroup(child.pid, 'SIGKILL');
    await waitForPortClosed(port, 20_000);
  };

  const startTimer = new AbortController();
  const outcome = await Promise.race([
    ready.then(() => 'ready'),
    exited.then(() => 'exited'),
    sleep(timeoutMs, 'timeout', { signal: startTimer.signal }).catch(() => 'aborted'),
  ]);
  startTimer.abort();
  if (outcome !== 'ready') {
    await stop().catch(() => {});
    const why = outcome === 'timeout' ? `was not ready after ${timeoutMs} ms` : `exited (${JSON.stringify(exitInfo)})`;
    throw new Error(`n8n ${why}; see ${logFile}. Last output:\n${output.slice(-4000)}`);
  }
  log(`n8n ${command === 'start' ? '' : `${command} `}is up on ${baseUrl} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (command === 'start' && waitForPublishedWorkflows && owner.password) {
    try {
      const count = await waitForPublications(baseUrl, owner, started + timeoutMs);
      log(`${count} published workflow(s) live after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      await stop().catch(() => {});
      throw new Error(`${error.message}; see ${logFile}`);
    }
  }
  return { baseUrl, port, brokerPort, pid: child.pid, owner, logFile, output: () => output, stop };
}

/** How long a failed activation may be an earlier start's before it counts (see waitForPublications). */
const STALE_FAILURE_MS = 30_000;

/**
 * n8n 2.40 activates published workflows after "Editor is now accessible", through its
 * publication outbox: wait, as the owner, until every published workflow's triggers and webhooks
 * are live, and fail with n8n's own reason when one could not be activated.
 */
async function waitForPublications(baseUrl, owner, deadline) {
  const login = await fetch(`${baseUrl}/rest/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
  });
  if (!login.ok) throw new Error(`n8n refused the owner's login (${login.status}): ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const get = async (route) => {
    const response = await fetch(`${baseUrl}${route}`, { headers: { cookie } });
    if (!response.ok) throw new Error(`GET ${route} answered ${response.status}: ${await response.text()}`);
    return (await response.json()).data;
  };
  const published = (await get('/rest/workflows')).filter((w) => w.activeVersionId && !w.isArchived);
  for (const workflow of published) {
    // n8n keeps each trigger's last status across restarts, and re-activates the workflows one
    // after another: a failure seen before this start took the workflow in hand may be an earlier
    // start's (e.g. a credential that exists by now). It counts once this start has been at work
    // on the workflow ("in_progress" seen), or when it stays for STALE_FAILURE_MS.
    let isInHand = false;
    let failingSince;
    for (;;) {
      const { status, triggers } = await get(`/rest/workflows/${encodeURIComponent(workflow.id)}/publication-status`);
      if (status === 'published') break;
      if (status === 'in_progress') isInHand = true;
      if (status === 'failed' || status === 'partial') {
        failingSince ??= Date.now();
        if (isInHand || Date.now() - failingSince >= STALE_FAILURE_MS) {
          const reasons = triggers.filter((t) => t.status === 'failed').map((t) => `node ${t.nodeId}: ${t.errorMessage}`);
          throw new Error(`n8n could not activate workflow "${workflow.name}" (${workflow.id}): ${reasons.join('; ')}`);
        }
      } else {
        failingSince = undefined;
      }
      if (Date.now() > deadline) {
        throw new Error(`Workflow "${workflow.name}" (${workflow.id}) was still "${status}" when the start-up time ran out`);
      }
      await sleep(200);
    }
  }
  return published.length;
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

async function waitForPortClosed(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await isPortClosed(port))) {
    if (Date.now() > deadline) throw new Error(`Port ${port} still accepts connections after n8n stopped`);
    await sleep(200);
  }
}

const COMMANDS = {
  ensure: () => ensureN8nHost(),
  install: ({ userFolder, packageDir }) => installPackageIntoN8n(userFolder, packageDir),
  'import-workflow': async (options) => ({ ids: await importWorkflow(options) }),
  'publish-workflow': async (options) => {
    await publishWorkflow(options);
    return { published: options.id };
  },
  'import-credentials': async (options) => ({ ids: await importCredentials(options) }),
};

async function main(argv) {
  const [command, json] = argv;
  const options = json ? JSON.parse(json) : {};
  const print = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
  if (command in COMMANDS) return print(await COMMANDS[command](options));
  if (command !== 'serve') {
    throw new Error(`usage: n8n-host.mjs <${[...Object.keys(COMMANDS), 'serve'].join('|')}> ['{"userFolder": ..., ...}']`);
  }
  const { stop, output: _output, ...info } = await startN8n(options);
  print(info);
  stopOnSignalOrEndOfInput(stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
