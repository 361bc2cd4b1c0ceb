import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SECRET } from '../support/ledger';

/**
 * The consent service as a user runs it: the built CLI's `serve` in a child process on 127.0.0.1
 * and a free port (--port 0), its JSON log lines read from stdout; keys made with `keys create`.
 */
export const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

export function cli(store: string[], args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [BIN, ...args, ...store], { encoding: 'utf8', env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET, ...env } });
  return { code: run.status, stderr: run.stderr, stdout: run.stdout, lines: run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

export interface Service {
  url: string;
  /** Every stdout line so far (the log). */
  stdout(): string;
  lines(): Record<string, unknown>[];
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
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
    lines: () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export async function call(service: Service, method: string, path: string, options: { key?: string; json?: unknown; body?: string; contentType?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.key) headers.Authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/x-www-form-urlencoded';
    body = options.body;
  }
  const response = await fetch(path.startsWith('http') ? path : `${service.url}${path}`, { method, headers, body });
  const text = await response.text();
  // The answers' shapes are what the tests assert on, field by field.
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, headers: response.headers, text, json: (isJson && text ? JSON.parse(text) : undefined) as Record<string, any> };
}
