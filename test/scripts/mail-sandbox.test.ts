import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';
import nodemailer from 'nodemailer';

// The try-out's mail sandbox, run as the command the e2e tests use (jest cannot import its ESM).
const SCRIPT = resolve(__dirname, '../../scripts/mail-sandbox.mjs');

let dir: string;
let child: ChildProcessWithoutNullStreams;
let port: number;
let smtpPort: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mail-sandbox-'));
  child = spawn(process.execPath, [SCRIPT, 'serve', JSON.stringify({ dir, dovecot: 'off' })], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const firstLine = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout }).once('line', done);
    child.once('exit', (code) => fail(new Error(`the sandbox ended (${String(code)}): ${stderr.join('')}`)));
  });
  const info = JSON.parse(firstLine) as { inboxUrl: string; smtp: { port: number } };
  port = Number(new URL(info.inboxUrl).port);
  smtpPort = info.smtp.port;
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

describe("the sandbox's SMTP delay (POST /api/smtp-delay): a busy mail server", () => {
  const api = (path: string) => `http://127.0.0.1:${port}/api${path}`;
  const setDelay = (body: string, contentType = 'application/json') =>
    fetch(api('/smtp-delay'), { method: 'POST', headers: { 'content-type': contentType }, body });
  const subjects = async () => ((await (await fetch(api('/messages'))).json()) as { subject: string }[]).map((m) => m.subject);

  /** Hands a mail over the way a client killed mid-send does: the whole DATA, then gone before the answer. */
  function sendAndLeave(subject: string): Promise<void> {
    return new Promise((done, fail) => {
      const socket = createConnection({ host: '127.0.0.1', port: smtpPort });
      const steps = ['EHLO leaver.test', 'MAIL FROM:<leaver@example.test>', 'RCPT TO:<someone@example.test>', 'DATA', `Subject: ${subject}\r\n\r\nbody\r\n.`];
      let buffer = '';
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        // One step per complete reply (a reply's last line has a space after its code).
        while (/^\d{3} .*\r\n/m.test(buffer)) {
          buffer = buffer.replace(/^[\s\S]*?^\d{3} .*\r\n/m, '');
          const next = steps.shift();
          if (next === undefined) return;
          socket.write(`${next}\r\n`);
          if (steps.length === 0) {
            socket.destroy();
            done();
            return;
          }
        }
      });
      socket.on('error', fail);
    });
  }

  test('refuses what is not whole milliseconds from 0 to 60000, and anything but JSON', async () => {
    for (const body of ['{"ms": -1}', '{"ms": 1.5}', '{"ms": "500"}', '{"ms": 60001}', '{}', 'null', '{"ms": 5']) expect([body, (await setDelay(body)).status]).toEqual([body, 400]);
    expect((await setDelay('ms=5', 'application/x-www-form-urlencoded')).status).toBe(415);
  });

  test('a client that leaves before the late answer has not handed its mail over; one that waits has', async () => {
    expect((await setDelay('{"ms": 800}')).status).toBe(200);
    try {
      await sendAndLeave('left before the answer');
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
      // Sent after the first, with the same delay: when it is answered, the first one's delay is over.
      await transport.sendMail({ from: 'stayer@example.test', to: 'someone@example.test', subject: 'waited for the answer', text: 'body' });
      transport.close();
    } finally {
      await setDelay('{"ms": 0}');
    }
    const kept = await subjects();
    expect(kept).toContain('waited for the answer');
    expect(kept).not.toContain('left before the answer');
  });
});
