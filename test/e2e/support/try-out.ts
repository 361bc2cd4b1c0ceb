// The try-out of `npm start` (scripts/try-out.mjs) for the end-to-end tests: the same setup code,
// run in a temporary folder on free ports. Jest cannot import that ESM script, so it runs as a
// `serve` process that owns n8n, Dovecot and the mail sandbox and stops them on stop(), or by
// itself when jest goes away (its stdin closes).

import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPT = path.join(REPO_ROOT, 'scripts', 'try-out.mjs');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output', 'screenshots');

export interface SandboxMail {
  id: number;
  receivedAt: string;
  envelope: { from: string; to: string[] };
  deliveredTo: string[];
  messageId: string | null;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  /** Lower-case header names; repeated headers joined by a line break. */
  headers: Record<string, string>;
  /** The http(s) links in the text part, in order. */
  links: string[];
  raw?: string;
}

export interface TryOut {
  dir: string;
  urls: { editor: string; signupForm: string; repermissionForm: string; inbox: string } & Record<string, string>;
  owner: { email: string; password: string };
  ledger: { kind: 'sqlite'; path: string; secret: string } | { kind: 'postgres'; url: string; secret: string };
  n8n: { baseUrl: string; port: number; brokerPort: number; logFile: string; version: string; pid: number };
  sandbox: {
    inboxUrl: string;
    apiUrl: string;
    smtp: { host: string; port: number };
    imap: { host: string; port: number; user: string; password: string } | null;
    privacyAddress: string;
    authservId: string;
    dovecotReason: string | null;
  };
  stop(): Promise<void>;
}

export interface TryOutOptions {
  /** Workflow JSON files relative to the repository (default: the sample workflows). */
  workflows?: string[];
  /** More workflows, as objects (e.g. a sample with its Schedule Trigger swapped for a Webhook). */
  extraWorkflows?: object[];
  n8nEnv?: Record<string, string>;
  postgresUrl?: string;
}

/**
 * Starts the try-out in a fresh temporary folder (n8n user folder, ledger, sandbox mail) on free
 * ports. Every part is required here: a missing Dovecot or n8n fails the suite, never skips it.
 */
export function startTryOut(options: TryOutOptions = {}): Promise<TryOut> {
  const dir = mkdtempSync(path.join(tmpdir(), 'consent-e2e-'));
  const serveOptions = {
    dir,
    ports: {},
    dovecot: 'require',
    ephemeral: true,
    ...(options.workflows ? { workflows: options.workflows.map((f) => path.join(REPO_ROOT, f)) } : {}),
    ...(options.extraWorkflows ? { extraWorkflows: options.extraWorkflows } : {}),
    ...(options.n8nEnv ? { n8nEnv: options.n8nEnv } : {}),
    ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, 'serve', JSON.stringify(serveOptions)], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let started = false;
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.stderr!.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-40_000);
    });
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      if (started || !stdout.includes('\n')) return;
      started = true;
      const info = JSON.parse(stdout.split('\n')[0]) as Omit<TryOut, 'stop'>;
      resolve({
        ...info,
        stop: async () => {
          child.kill('SIGTERM');
          const code = await exited;
          rmSync(dir, { recursive: true, force: true });
          if (code !== 0) throw new Error(`Stopping the try-out failed (exit ${code}): ${stderr.slice(-4000)}`);
        },
      });
    });
    void exited.then((code) => {
      if (started) return;
      rmSync(dir, { recursive: true, force: true });
      reject(new Error(`The try-out did not start (exit ${code}): ${stderr.slice(-8000)}`));
    });
  });
}

// ------------------------------------------------------------------------------ the mail sandbox

/** Whatever runs the mail sandbox: the try-out, or queue mode (test/support/queue-mode.ts). */
export type WithSandbox = { sandbox: { apiUrl: string } };

export async function mails(owner: WithSandbox, filter: { to?: string } = {}): Promise<SandboxMail[]> {
  const query = new URLSearchParams(filter.to ? { to: filter.to } : {});
  const response = await fetch(`${owner.sandbox.apiUrl}/messages?${query}`);
  if (!response.ok) throw new Error(`sandbox /api/messages answered ${response.status}`);
  return (await response.json()) as SandboxMail[];
}

/**
 * Waits for the first mail after mail id `after` that matches; the sandbox answers as soon as it
 * arrives (no polling interval to tune).
 */
export async function waitForMail(
  tryOut: TryOut,
  match: { to?: string; subject?: string; after?: number; raw?: boolean },
  timeoutMs = 60_000,
): Promise<SandboxMail> {
  const query = new URLSearchParams({ timeoutMs: String(timeoutMs), after: String(match.after ?? 0) });
  if (match.to) query.set('to', match.to);
  if (match.subject) query.set('subject', match.subject);
  if (match.raw) query.set('raw', '1');
  const response = await fetch(`${tryOut.sandbox.apiUrl}/wait?${query}`);
  if (response.status === 408) {
    const seen = (await mails(tryOut)).map((m) => `#${m.id} to ${m.envelope.to.join(',')}: ${m.subject}`);
    throw new Error(`No mail ${JSON.stringify(match)} within ${timeoutMs} ms. The sandbox has: ${seen.join(' | ') || 'nothing'}. n8n log: ${n8nLogTail(tryOut)}`);
  }
  if (!response.ok) throw new Error(`sandbox /api/wait answered ${response.status}`);
  return (await response.json()) as SandboxMail;
}

/** Waits until the sandbox holds mail number `count` (its ids count up from 1), in waits of at most 30 s. */
export async function waitForMailCount(owner: WithSandbox, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`The sandbox did not get ${count} mails within ${timeoutMs} ms; it has ${(await mails(owner)).length}`);
    const response = await fetch(`${owner.sandbox.apiUrl}/wait?after=${count - 1}&timeoutMs=${Math.min(left, 30_000)}`);
    await response.text();
    if (response.ok) return;
    if (response.status !== 408) throw new Error(`sandbox /api/wait answered ${response.status}`);
  }
}

/** The mails per recipient address. */
export function mailsByAddress(list: SandboxMail[]): Map<string, SandboxMail[]> {
  const byAddress = new Map<string, SandboxMail[]>();
  for (const mail of list) for (const to of mail.envelope.to) byAddress.set(to, [...(byAddress.get(to) ?? []), mail]);
  return byAddress;
}

/** The highest mail id so far: pass it as `after` to wait for the next mail only. */
export async function lastMailId(tryOut: TryOut): Promise<number> {
  return (await mails(tryOut)).reduce((max, m) => Math.max(max, m.id), 0);
}

/** Puts a mail into the privacy mailbox (Dovecot), as the border mail server would. */
export async function deliverToPrivacyMailbox(tryOut: TryOut, raw: string, senderCheck: 'pass' | 'fail' | 'none'): Promise<SandboxMail> {
  const response = await fetch(`${tryOut.sandbox.apiUrl}/mailbox`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ raw, senderCheck }),
  });
  if (!response.ok) throw new Error(`sandbox /api/mailbox answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as SandboxMail;
}

export function linkTo(mail: SandboxMail, kind: 'confirm' | 'unsubscribe' | 'preferences' | 'erase'): string {
  const link = mail.links.find((l) => new URL(l).pathname.endsWith(`/${kind}`));
  if (!link) throw new Error(`mail "${mail.subject}" has no ${kind} link; links: ${mail.links.join(' ')}`);
  return link;
}

export function n8nLogTail(tryOut: TryOut, chars = 3000): string {
  try {
    return readFileSync(tryOut.n8n.logFile, 'utf8').slice(-chars);
  } catch {
    return '(no n8n log)';
  }
}

// -------------------------------------------------------------------------- the ledger, by CLI

/** What the ledger says about this address and topic (`check`): may it be mailed, and its status. */
export async function ledgerCheck(tryOut: TryOut, email: string, topic = 'newsletter'): Promise<{ allowed: boolean; status: string }> {
  const [result] = await ledgerCli(tryOut, ['check', email, '--topic', topic]);
  return result as { allowed: boolean; status: string };
}

/**
 * Runs the `n8n-consent` command (dist/cli/main.js, as users run it) on the try-out's ledger file
 * and returns its JSON lines. `now` acts as if it were that time.
 */
export function ledgerCli(tryOut: TryOut, args: string[], options: { now?: string } = {}): Promise<Record<string, unknown>[]> {
  if (tryOut.ledger.kind !== 'sqlite') throw new Error('ledgerCli reads the SQLite ledger file');
  const cli = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
  // Only `init` makes a ledger file (n8n's credential makes its own on first use): a step that
  // runs before any workflow touched the ledger makes it first, as a user would.
  if (!existsSync(tryOut.ledger.path) && args[0] !== 'init') return ledgerCli(tryOut, ['init']).then(() => ledgerCli(tryOut, args, options));
  const fullArgs = [cli, ...args, '--db', tryOut.ledger.path, ...(options.now ? ['--now', options.now] : [])];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      fullArgs,
      { cwd: REPO_ROOT, env: { ...process.env, CONSENT_SECRET: tryOut.ledger.secret } },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`n8n-consent ${args.join(' ')} failed: ${stderr || error.message}`));
          return;
        }
        resolve(
          stdout
            .split('\n')
            .filter((l) => l.trim())
            .map((l) => JSON.parse(l) as Record<string, unknown>),
        );
      },
    );
  });
}

// ------------------------------------------------------------------------------------- helpers

/** Where a screenshot of `name` goes (test-output/screenshots/, kept for a person to look at). */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}

export function sampleWorkflow(file: string): { id: string; name: string; nodes: Array<Record<string, unknown>>; connections: Record<string, unknown> } {
  const full = path.join(REPO_ROOT, 'workflows', file);
  if (!existsSync(full)) throw new Error(`sample workflow ${full} is missing`);
  return JSON.parse(readFileSync(full, 'utf8'));
}

/**
 * A sample whose Schedule Trigger (`trigger`, by name) is swapped for a Webhook (GET `path`,
 * answering with the last node's items), so a test runs "this morning" at once; the rest of the
 * sample stays as it ships.
 */
export function withScheduleAsWebhook(file: string, trigger: string, webhook: { path: string; id: string }): ReturnType<typeof sampleWorkflow> {
  const workflow = sampleWorkflow(file);
  if (!workflow.nodes.some((node) => node.name === trigger)) throw new Error(`${file} has no node named ${trigger}`);
  const nodes = workflow.nodes.map((node) =>
    node.name === trigger
      ? {
          ...node,
          type: 'n8n-nodes-base.webhook',
          typeVersion: 2.1,
          webhookId: webhook.id,
          parameters: { httpMethod: 'GET', path: webhook.path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
        }
      : node,
  );
  return { ...workflow, nodes };
}

/** Runs `work` over `items` with at most `limit` at a time (all at once when limit >= items). */
export async function concurrently<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

// ------------------------------------------------------------------------------ people and time

/**
 * What the webform sample shows once the form is sent (its Form Trigger answers on submission with
 * this text, the same whether the box was ticked or not).
 */
export const SIGNUP_THANKS = 'Thank you. We have your message.';

/**
 * A person's browser: a normal desktop user agent. The sample forms ignore bots (n8n's Form
 * Trigger option "Ignore Bots", which also turns away HeadlessChrome), as a live form should.
 */
export const PERSON_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

/**
 * The ledger's clock for a try-out: n8n is started with CONSENT_CLOCK_FILE pointing at a file this
 * writes, so days pass for reminders and expiry without waiting (the nodes read "now" from it).
 * n8n's own clock and the Schedule Trigger are untouched.
 */
export class LedgerClock {
  readonly file: string;
  private at = Date.now();

  constructor(dir: string) {
    this.file = path.join(dir, 'ledger-clock.txt');
  }

  /** The environment n8n needs to use this clock. */
  get env(): Record<string, string> {
    return { CONSENT_CLOCK_FILE: this.file };
  }

  advanceDays(days: number): void {
    this.at += days * 86_400_000;
    writeFileSync(this.file, new Date(this.at).toISOString());
  }
}
