import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isPortClosed } from '../../scripts/ports.cjs';
import { waitFor } from '../support/wait';
import { REPO_ROOT } from './support/try-out';

// `npm start` as a person runs it (scripts/start.mjs, in a temporary try-out folder): what it
// prints works, Ctrl-C leaves nothing running, and a second start reuses what the first made.

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(dir: string, env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'start.mjs')], {
    cwd: REPO_ROOT,
    // dist/ is built once by the test setup; a rebuild here would rewrite it under other tests.
    env: { ...process.env, TRYOUT_DIR: dir, TRYOUT_SKIP_BUILD: '1', TRYOUT_OWNER_EMAIL: '', TRYOUT_OWNER_PASSWORD: '', CONSENT_POSTGRES_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function untilRunning(run: Run): Promise<string> {
  let exit: { code: number | null } | undefined;
  void run.exited.then((code) => (exit = { code }));
  await waitFor(
    () => {
      if (exit) throw new Error(`npm start exited (${String(exit.code)}):\n${run.stdout()}\n${run.stderr().slice(-4000)}`);
      return run.stdout().includes('Ctrl-C stops everything.');
    },
    { what: () => `npm start to get ready ("Ctrl-C stops everything."):\n${run.stdout()}\n${run.stderr().slice(-4000)}`, timeoutMs: 15 * 60_000, intervalMs: 200 },
  );
  return run.stdout();
}

function printed(output: string, label: string): string {
  const line = output.split('\n').find((l) => l.trimStart().startsWith(label));
  if (!line) throw new Error(`npm start printed no "${label}" line:\n${output}`);
  return line.trim().slice(label.length).trim();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start (scripts/start.mjs)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'consent-npm-start-'));
  let run: Run | undefined;

  afterAll(async () => {
    if (run && run.child.exitCode === null) {
      run.child.kill('SIGINT');
      await run.exited;
    }
    // As root the privacy mailbox's mail lives outside the try-out folder (scripts/mail-sandbox.mjs).
    const marker = path.join(dir, 'mail-sandbox', 'dovecot', 'data-folder');
    if (existsSync(marker)) rmSync(readFileSync(marker, 'utf8').trim(), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('prints the editor with its login, the signup form and the inbox; they answer; Ctrl-C stops every process', async () => {
    run = start(dir);
    const output = await untilRunning(run);
    const editor = printed(output, 'n8n editor').split(/\s+/)[0];
    const [email, password] = printed(output, 'log in as').split(' / ');
    const form = printed(output, 'Signup form');
    const inbox = printed(output, 'Mail inbox').split(/\s+/)[0];
    const groups = (JSON.parse(readFileSync(path.join(dir, 'running.json'), 'utf8')) as { groups: Array<{ pid: number; what: string }> }).groups;

    const login = await fetch(`${editor}rest/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ emailOrLdapLoginId: email, password }),
    });
    expect(login.status).toBe(200);
    const formPage = await fetch(form, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0.0.0 Safari/537.36' } });
    expect(formPage.status).toBe(200);
    expect(await formPage.text()).toContain('Stay in touch with Example Shop');
    const inboxPage = await fetch(inbox);
    expect(inboxPage.status).toBe(200);
    expect(inboxPage.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(output).toContain(`Privacy mailbox  privacy@example-shop.test`);
    expect(groups.map((g) => g.what).sort()).toEqual(['Dovecot', 'n8n']);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);

    for (const url of [editor, inbox]) expect(await isPortClosed(Number(new URL(url).port))).toBe(true);
    for (const { pid } of groups) expect(isAlive(pid)).toBe(false);
    expect(existsSync(path.join(dir, 'running.json'))).toBe(false);
  }, 20 * 60_000);

  test('a second start reuses the try-out folder: same login, no new install or import', async () => {
    const first = run!.stdout();
    run = start(dir);
    const output = await untilRunning(run);

    expect(printed(output, 'log in as')).toBe(printed(first, 'log in as'));
    // (The credentials are made again only when a preferred port was taken and the links moved.)
    // (A changed dist/, e.g. rebuilt from edited sources meanwhile, is installed again: rightly.)
    expect(run.stderr().split('\n').filter((line) => /installing this package|importing \d+ workflow|publishing workflow/.test(line))).toEqual([]);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  }, 20 * 60_000);
});

// A machine without Dovecot, or with half of it: `npm start` runs without the privacy mailbox and
// says so (the inbox-erasure workflow imported, not published), and the same folder gets the
// mailbox on the first start that has a working Dovecot. Where scripts/mail-sandbox.mjs looks for
// Dovecot is DOVECOT_BIN (else PATH): here it names a file that is not there, then a Dovecot
// without its LMTP server (the real binary with the lmtp program dovecot-lmtpd installs missing).
describe('npm start without a working Dovecot, then with one, in the same folder', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'consent-npm-start-nodovecot-'));
  const bin = mkdtempSync(path.join(tmpdir(), 'consent-dovecot-bin-'));
  const halfInstalled = path.join(bin, 'dovecot');
  let run: Run | undefined;

  beforeAll(() => {
    writeFileSync(halfInstalled, '#!/bin/sh\nexec /usr/sbin/dovecot "$@" -o service/lmtp/executable=/usr/lib/dovecot/not-installed/lmtp\n', { mode: 0o755 });
  });

  afterAll(async () => {
    if (run && run.child.exitCode === null) {
      run.child.kill('SIGINT');
      await run.exited;
    }
    const marker = path.join(dir, 'mail-sandbox', 'dovecot', 'data-folder');
    if (existsSync(marker)) rmSync(readFileSync(marker, 'utf8').trim(), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  }, 120_000);

  /** The sample workflows as n8n holds them: name → published? (as the owner, through n8n's API). */
  async function publishedWorkflows(output: string): Promise<Record<string, boolean>> {
    const editor = printed(output, 'n8n editor').split(/\s+/)[0];
    const [email, password] = printed(output, 'log in as').split(' / ');
    const login = await fetch(`${editor}rest/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ emailOrLdapLoginId: email, password }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const list = (await (await fetch(`${editor}rest/workflows`, { headers: { cookie } })).json()) as { data: Array<{ name: string; activeVersionId: string | null }> };
    return Object.fromEntries(list.data.map((w) => [w.name, Boolean(w.activeVersionId)]));
  }

  async function stop(r: Run): Promise<void> {
    r.child.kill('SIGINT');
    expect(await r.exited).toBe(0);
  }

  const SIGNUP = 'Consent: webform double opt-in';
  const INBOX = 'Consent: inbox erasure requests';

  test('no Dovecot: it starts, says the privacy mailbox is not available, and leaves only the inbox-erasure workflow unpublished', async () => {
    run = start(dir, { DOVECOT_BIN: path.join(bin, 'not-installed', 'dovecot') });
    const output = await untilRunning(run);
    expect(printed(output, 'Privacy mailbox')).toMatch(/^not available: Dovecot is not installed/);
    expect(output).toContain(`"${INBOX}" is imported but not published; the next \`npm start\` with Dovecot publishes it`);
    const form = await fetch(printed(output, 'Signup form'), { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0.0.0 Safari/537.36' } });
    expect(form.status).toBe(200);
    const workflows = await publishedWorkflows(output);
    expect(workflows[SIGNUP]).toBe(true);
    expect(workflows[INBOX]).toBe(false);
    const groups = (JSON.parse(readFileSync(path.join(dir, 'running.json'), 'utf8')) as { groups: Array<{ what: string }> }).groups;
    expect(groups.map((g) => g.what)).toEqual(['n8n']);
    await stop(run);
  }, 20 * 60_000);

  test('a half-installed Dovecot (no LMTP) that fails to start: the same, with its reason', async () => {
    run = start(dir, { DOVECOT_BIN: halfInstalled });
    const output = await untilRunning(run);
    expect(printed(output, 'Privacy mailbox')).toBe(
      'not available: Dovecot did not start: Fatal: service(lmtp) access(/usr/lib/dovecot/not-installed/lmtp) failed: No such file or directory (is all of it installed? apt-get install dovecot-imapd dovecot-lmtpd)',
    );
    expect((await publishedWorkflows(output))[INBOX]).toBe(false);
    await stop(run);
  }, 20 * 60_000);

  test('once Dovecot works, the same folder starts with the privacy mailbox and publishes the inbox-erasure workflow', async () => {
    run = start(dir);
    const output = await untilRunning(run);
    expect(output).toContain('Privacy mailbox  privacy@example-shop.test: write to it from the inbox page');
    expect(output).not.toContain('not published');
    // startTryOut waits until every published workflow's triggers are live: the mailbox trigger too.
    const workflows = await publishedWorkflows(output);
    expect(workflows[INBOX]).toBe(true);
    expect(workflows[SIGNUP]).toBe(true);
    const groups = (JSON.parse(readFileSync(path.join(dir, 'running.json'), 'utf8')) as { groups: Array<{ what: string }> }).groups;
    expect(groups.map((g) => g.what).sort()).toEqual(['Dovecot', 'n8n']);
    await stop(run);
  }, 20 * 60_000);
});
