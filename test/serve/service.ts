import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Ledger, type StoreConfig } from '../../core/ledger';
import { SECRET } from '../support/ledger';

/**
 * The consent service as a user runs it: the built CLI's `serve` in a child process on 127.0.0.1
 * and a free port (--port 0), its JSON log lines read from stdout; keys made with `keys create`.
 */
export const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

export function cli(store: string[], args: string[], env: Record<string, string> = {}) {
  // Bounded: a CLI call that hangs would block this whole process (spawnSync), every test's timer with it.
  const run = spawnSync(process.execPath, [BIN, ...args, ...store], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL', env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET, ...env } });
  if (run.error || run.signal) throw new Error(`n8n-consent ${args.join(' ')}: ${run.error?.message ?? `killed by ${run.signal}`}\n${run.stderr}`);
  return { code: run.status, stderr: run.stderr, stdout: run.stdout, lines: run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

export interface Service {
  url: string;
  /** Every stdout line so far (the log). */
  stdout(): string;
  lines(): Record<string, unknown>[];
  /** Every stderr line so far. */
  stderr(): string;
  /** Not stopped (nor exited) yet. */
  running(): boolean;
  /** SIGTERM, then the exit code (SIGKILL if it has not stopped after 20 s: a test never hangs on it). */
  stop(): Promise<number | null>;
  /** kill -9: a crash, nothing let go in an orderly way. */
  kill(): Promise<void>;
}

export async function startServe(store: string[], args: string[], env: Record<string, string>): Promise<Service> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', '0', ...args, ...store], {
    env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) {
        child.stdout!.off('data', onData);
        resolve((JSON.parse(line) as { listening: string }).listening);
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`serve exited (${code}): ${err}`)));
  });
  return {
    url,
    stdout: () => out,
    stderr: () => err,
    running: () => child.exitCode === null && child.signalCode === null,
    lines: () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    async stop() {
      child.kill('SIGTERM');
      const hard = setTimeout(() => child.kill('SIGKILL'), 20_000);
      try {
        return await exited;
      } finally {
        clearTimeout(hard);
      }
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function call(service: Service, method: string, path: string, options: { key?: string; json?: unknown; body?: string; contentType?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.Authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/x-www-form-urlencoded';
    body = options.body;
  }
  const url = path.startsWith('http') ? path : `${service.url}${path}`;
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body });
  } catch (error) {
    // cli() blocks this process (spawnSync), so fetch's timer that retires an idle keep-alive
    // connection cannot run: the next call may take a connection the server has just closed.
    // A GET or DELETE is sent again once then; anything else fails as it is.
    const closed = /other side closed|ECONNRESET/.test(String((error as { cause?: unknown }).cause));
    if (!closed || (method !== 'GET' && method !== 'DELETE')) throw error;
    response = await fetch(url, { method, headers, body });
  }
  const text = await response.text();
  // The answers' shapes are what the tests assert on, field by field.
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, headers: response.headers, text, json: (isJson && text ? JSON.parse(text) : undefined) as Record<string, any> };
}

/** The ledger the service serves, opened in this process (for what no API call does: a bounce is the mailbox worker's). */
export async function openLedgerOf(store: string[], clock: () => Date): Promise<Ledger> {
  const config: StoreConfig = store[0] === '--db' ? { kind: 'sqlite', path: store[1] } : { kind: 'postgres', url: store[1] };
  return (await Ledger.open({ store: config, settings: { secret: SECRET }, clock })).ledger;
}

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A REST hook receiver on 127.0.0.1: answers each POST with `answer(n)` (n counts from 0) and keeps what came. */
export async function startReceiver(answer: (n: number) => number) {
  const got: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = answer(got.length);
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
