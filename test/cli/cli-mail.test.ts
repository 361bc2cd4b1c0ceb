import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dovecot } from '../support/dovecot';
import { SmtpPeer } from '../support/smtp-peer';

/** The mail side of the CLI as a privacy officer runs it: `worker --once` and `classify FILE.eml`. */
const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const SECRET = 'cli-test-secret-0123456789-abcdefghijklmnop';
let dovecot: Dovecot;
let peer: SmtpPeer;
let dir: string;

beforeAll(async () => {
  dovecot = await Dovecot.start();
  peer = await SmtpPeer.start();
}, 60_000);
afterAll(async () => {
  await peer?.stop();
  await dovecot?.stop();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'consent-cli-mail-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Async: the SMTP peer lives in this process and must keep answering while the CLI runs. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stderr, stdout, lines: stdout.split('\n').filter((l) => l.startsWith('{"') && !l.includes('"event":')).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const mail = (from: string, subject: string, id: string, body: string) =>
  [`From: ${from}`, 'To: privacy@shop.example', `Subject: ${subject}`, `Message-ID: <${id}@example.nl>`, 'Date: Mon, 23 Nov 2026 10:00:00 +0100', '', body, ''].join('\r\n');

test('classify FILE.eml prints the classification, without a ledger or a mailbox', async () => {
  const file = join(dir, 'request.eml');
  writeFileSync(file, mail('Jan <jan@example.nl>', 'VERWIJDER', 'c1', 'Graag mijn gegevens verwijderen.'));
  const run = await cli(['classify', file]);
  expect(run.code).toBe(0);
  expect(run.lines).toEqual([expect.objectContaining({ intent: 'erase', language: 'nl', address: 'jan@example.nl', proof: 'none' })]);
  expect(await cli(['classify', join(dir, 'missing.eml')])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read') });
});

test('worker --once drains the mailbox into the ledger: an unsubscribe acted on, an unproven erasure answered with a verification link', async () => {
  const db = join(dir, 'ledger.sqlite');
  const env = {
    CONSENT_SECRET: SECRET,
    CONSENT_IMAP_HOST: dovecot.host,
    CONSENT_IMAP_PORT: String(dovecot.imapPort),
    CONSENT_IMAP_SECURE: 'false',
    CONSENT_IMAP_REJECT_UNAUTHORIZED: 'false',
    CONSENT_IMAP_USER: dovecot.user,
    CONSENT_IMAP_PASSWORD: dovecot.password,
    CONSENT_SMTP_HOST: '127.0.0.1',
    CONSENT_SMTP_PORT: String(peer.port),
    CONSENT_SMTP_SECURE: 'false',
    CONSENT_SMTP_REJECT_UNAUTHORIZED: 'false',
    CONSENT_REPLY_FROM: 'Privacy De Winkel <privacy@shop.example>',
    CONSENT_ORGANISATION: 'De Winkel',
    CONSENT_BASE_URL: 'https://shop.example/consent',
  };
  expect((await cli(['init', '--db', db], env)).code).toBe(0);
  const signup = await cli(['request', 'anna@example.nl', '--signup', '--consent-text', 'Ja', '--db', db], env);
  await cli(['confirm', signup.lines[0].confirmToken as string, '--db', db], env);
  await dovecot.append([
    mail('Anna <anna@example.nl>', 'afmelden', 'u1', 'Ik wil de nieuwsbrief niet meer.'),
    mail('Spoofed <anna@example.nl>', 'VERWIJDER mijn gegevens', 'e1', 'Graag mijn gegevens verwijderen.'),
  ]);

  const run = await cli(['worker', '--once', '--db', db], env);
  expect(run.code).toBe(0);
  // One log line per mail: uid, intent, outcome.
  const log = run.stdout.split('\n').filter((l) => l.includes('"event":"mail"')).map((l) => JSON.parse(l) as Record<string, unknown>);
  // Mails are handled a few at a time, so the lines may come in any order.
  expect(log.map((l) => [l.uid, l.intent]).sort()).toEqual([
    [1, 'unsubscribe'],
    [2, 'erase'],
  ]);
  expect(await dovecot.count('INBOX')).toBe(0);
  expect((await cli(['check', 'anna@example.nl', '--db', db], env)).lines[0]).toMatchObject({ allowed: false, reason: 'unsubscribed' });
  // The erasure was not proven: Anna is still there, and a verification link went out to her.
  expect((await cli(['export', 'anna@example.nl', '--db', db], env)).lines[0]).toMatchObject({ subject: { email: 'anna@example.nl' } });
  const verification = peer.received.find((m) => m.parsed.text?.includes('https://shop.example/consent/erase?token='));
  expect(verification?.to).toContain('anna@example.nl');
});
