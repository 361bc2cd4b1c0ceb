// The n8n host (scripts/n8n-host.mjs) for jest tests. Jest runs tests as CommonJS and cannot
// import that ESM script, so each call runs it as a command; startN8n keeps a `serve` process
// that owns n8n and stops it on stop(), or by itself when jest goes away (its stdin closes).

import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// This file's folder is test/support; when it is bundled elsewhere (a bench script), the
// working directory is the repository (npm run).
const REPO_ROOT =
  [path.resolve(__dirname, '..', '..'), process.cwd()].find((dir) => existsSync(path.join(dir, 'scripts', 'n8n-host.mjs'))) ??
  path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(REPO_ROOT, 'scripts', 'n8n-host.mjs');

export interface N8nHost {
  dir: string;
  n8nBin: string;
  nodeBin: string;
  nodesBaseDir: string;
  n8nVersion: string;
  nodeVersion: string;
  installedNow: boolean;
}

export interface N8nOwner {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
}

export interface RunningN8n {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  port: number;
  brokerPort: number;
  /** The instance owner, with the plain password to POST /rest/login with. */
  owner: N8nOwner;
  /** n8n's own log (stdout and stderr), in the user folder. */
  logFile: string;
  /** Stops n8n (the whole process group) and resolves once its port is closed. */
  stop(): Promise<void>;
}

/** Options every host command takes besides its own. */
export interface HostCommandOptions {
  userFolder: string;
  /** Extra environment for n8n (e.g. N8N_LOG_LEVEL); the base environment is offline and clean. */
  env?: Record<string, string>;
  owner?: N8nOwner;
}

function runCommand<T>(command: string, options?: object): Promise<T> {
  const args = [SCRIPT, command, ...(options === undefined ? [] : [JSON.stringify(options)])];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`n8n-host ${command} failed: ${stderr.trim().slice(-6000) || error.message}`));
        return;
      }
      resolve(JSON.parse(stdout.trim().split('\n').pop() ?? 'null') as T);
    });
  });
}

/** Installs n8n into ~/.cache/n8n-nodes-consent on first use (minutes), else returns at once. */
export function ensureN8nHost(): Promise<N8nHost> {
  return runCommand<N8nHost>('ensure');
}

/** Installs a community node package into the user folder the way n8n's own installer does. */
export function installPackageIntoN8n(userFolder: string, packageDir: string): Promise<{ name: string; version: string; dir: string }> {
  return runCommand('install', { userFolder, packageDir });
}

/** `n8n import:workflow`; workflows without an id get one. Returns the ids. Run before startN8n. */
export async function importWorkflow(options: HostCommandOptions & { workflow: object | object[] }): Promise<string[]> {
  const { ids } = await runCommand<{ ids: string[] }>('import-workflow', options);
  return ids;
}

/** `n8n publish:workflow --id=ID` (n8n 2.x runs only published workflows). Run before startN8n. */
export async function publishWorkflow(options: HostCommandOptions & { id: string }): Promise<void> {
  await runCommand('publish-workflow', options);
}

/** `n8n import:credentials` with plaintext { id, name, type, data }; n8n encrypts them. */
export async function importCredentials(
  options: HostCommandOptions & { credentials: Array<{ id: string; name: string; type: string; data: object }> },
): Promise<string[]> {
  const { ids } = await runCommand<{ ids: string[] }>('import-credentials', options);
  return ids;
}

/**
 * Starts n8n on 127.0.0.1 (free ports unless given) and resolves when its editor and webhooks
 * are up ("Editor is now accessible").
 */
export function startN8n(options: HostCommandOptions & { port?: number; brokerPort?: number; timeoutMs?: number }): Promise<RunningN8n> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [SCRIPT, 'serve', JSON.stringify(options)], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let started = false;
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.stderr!.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      if (started || !stdout.includes('\n')) return;
      started = true;
      const info = JSON.parse(stdout.split('\n')[0]) as Omit<RunningN8n, 'stop'>;
      resolve({
        ...info,
        stop: async () => {
          child.kill('SIGTERM');
          const code = await exited;
          if (code !== 0) throw new Error(`Stopping n8n failed (exit ${code}): ${stderr.slice(-4000)}`);
        },
      });
    });
    void exited.then((code) => {
      if (!started) reject(new Error(`n8n did not start (exit ${code}): ${stderr.slice(-6000)}`));
    });
  });
}

/** A fresh, empty folder for one n8n instance (its database, keys and installed nodes). */
export function makeUserFolder(prefix = 'n8n-user-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Resolves true when nothing accepts TCP connections on 127.0.0.1:port. */
export { isPortClosed } from '../../scripts/ports.cjs';
