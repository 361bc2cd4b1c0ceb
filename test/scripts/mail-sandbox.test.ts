import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

// The try-out's mail sandbox, run as the command the e2e tests use (jest cannot import its ESM).
const SCRIPT = resolve(__dirname, '../../scripts/mail-sandbox.mjs');

let dir: string;
let child: ChildProcessWithoutNullStreams;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mail-sandbox-'));
  child = spawn(process.execPath, [SCRIPT, 'serve', JSON.stringify({ dir, dovecot: 'off' })], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const firstLine = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout }).once('line', done);
    child.once('exit', (code) => fail(new Error(`the sandbox ended (${String(code)}): ${stderr.join('')}`)));
  });
  port = Number(new URL((JSON.parse(firstLine) as { inboxUrl: string }).inboxUrl).port);
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const ended = new Promise((done) => child.once('exit', done));
    child.stdin.end(); // the sandbox stops when its input closes
    await ended;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A GET to the sandbox on 127.0.0.1 carrying the given Host header, as a rebound DNS name would. */
function get(path: string, host: string | null): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const request = http.request({ host: '127.0.0.1', port, path, method: 'GET', setHost: false, headers: host === null ? {} : { host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => done({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', fail);
    request.end();
  });
}

describe('the mail sandbox answers only to its own host names (DNS rebinding)', () => {
  test('127.0.0.1 and localhost with its port: the inbox page and the API answer', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect([host, (await get('/', host)).status]).toEqual([host, 200]);
      expect([host, (await get('/api/messages', host)).status]).toEqual([host, 200]);
    }
  });

  test('any other Host, or none, is refused with 403 before anything is read', async () => {
    for (const host of [`rebind.attacker.example:${port}`, 'rebind.attacker.example', `127.0.0.1:${port + 1}`, '127.0.0.1', `localhost.attacker.example:${port}`, null]) {
      for (const path of ['/', '/api/messages', '/api/wait?timeoutMs=1', '/mail/1', '/compose']) {
        const answer = await get(path, host);
        // Without any Host, Node's HTTP server refuses an HTTP/1.1 request itself (400).
        expect([host, path, answer.status]).toEqual([host, path, host === null ? 400 : 403]);
        expect(answer.body).not.toContain('Inbox');
      }
    }
  });
});
