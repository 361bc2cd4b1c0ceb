// n8n's queue mode (scripts/queue-mode.mjs) for jest: PostgreSQL, Redis, n8n main + workers +
// webhook processor and the mail sandbox, run by a `serve` process that owns them all. Jest cannot
// import that ESM script; the process stops everything on stop(), or by itself when jest goes away
// (its stdin closes). kill()/start() crash and restart one instance through its stdin.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(REPO_ROOT, 'scripts', 'queue-mode.mjs');

export interface QueueInstance {
  name: string;
  command: 'start' | 'worker' | 'webhook';
  port: number;
  brokerPort: number;
  /** Where Node's inspector of this instance opens on SIGUSR1 (scripts/process-memory.cjs). */
  inspectPort: number;
  userFolder: string;
  pid: number;
  /** n8n's own log of this instance (stdout and stderr). */
  logFile: string;
}

export interface QueueMode {
  dir: string;
  urls: { editor: string; signupForm: string; confirmBase: string; inbox: string };
  owner: { email: string; password: string };
  ledger: { kind: 'postgres'; url: string; secret: string };
  /** n8n's own database (executions, workflows). */
  n8nDatabaseUrl: string;
  redis: { host: string; port: number };
  n8nVersion: string;
  instances: Record<string, QueueInstance>;
  sandbox: {
    inboxUrl: string;
    apiUrl: string;
    smtp: { host: string; port: number };
    /** The address whose mail the sandbox delivers into Dovecot (the privacy mailbox). */
    privacyAddress: string;
    /** The privacy mailbox's IMAP login, when Dovecot runs (a workflow reads the mailbox). */
    imap: { host: string; port: number; user: string; password: string } | null;
  };
  /** SIGKILL to the instance's process group: a crash, no shutdown. */
  kill(name: string): Promise<void>;
  /** Starts a stopped or killed instance again (same folder, same ports); resolves when it is ready. */
  start(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface QueueModeOptions {
  workers?: number;
  webhookProcessors?: number;
  workerConcurrency?: number;
  /** Extra environment for every n8n instance. */
  n8nEnv?: Record<string, string>;
  /** Workflows to import and publish: repository paths, or workflow objects (a sample a test changed). Default the webform sample. */
  workflows?: Array<string | object>;
  /** The privacy mailbox (Dovecot): 'auto' (default) starts it when a workflow reads it. */
  dovecot?: 'auto' | 'require' | 'off';
}

export function startQueueMode(options: QueueModeOptions = {}): Promise<QueueMode> {
  const dir = mkdtempSync(path.join(tmpdir(), 'consent-queue-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, 'serve', JSON.stringify({ dir, ...options })], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let started = false;
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.stderr!.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-40_000);
    });
    // Answers to kill/start come back in order, one line each.
    const waiting: Array<(answer: { ok?: boolean; error?: string }) => void> = [];
    const ask = (request: object) =>
      new Promise<void>((done, fail) => {
        waiting.push((answer) => (answer.ok ? done() : fail(new Error(`queue-mode ${JSON.stringify(request)}: ${answer.error}`))));
        child.stdin!.write(`${JSON.stringify(request)}\n`);
      });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!started) {
        started = true;
        const info = JSON.parse(line) as Omit<QueueMode, 'kill' | 'start' | 'stop'>;
        resolve({
          ...info,
          kill: (name) => ask({ kill: name }),
          start: (name) => ask({ start: name }),
          stop: async () => {
            child.stdin!.end();
            const code = await exited;
            rmSync(dir, { recursive: true, force: true });
            if (code !== 0) throw new Error(`Stopping queue mode failed (exit ${code}): ${stderr.slice(-4000)}`);
          },
        });
        return;
      }
      waiting.shift()?.(JSON.parse(line));
    });
    void exited.then((code) => {
      for (const answer of waiting.splice(0)) answer({ error: `the queue-mode process exited (${code}): ${stderr.slice(-2000)}` });
      if (started) return;
      rmSync(dir, { recursive: true, force: true });
      reject(new Error(`Queue mode did not start (exit ${code}): ${stderr.slice(-8000)}`));
    });
  });
}
