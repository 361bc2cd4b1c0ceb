import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

/**
 * A private Dovecot for one test file: its own config, IMAP and LMTP on free 127.0.0.1 ports, a
 * maildir in a temp folder with Processed and Review folders. Started in the foreground as its
 * own process group, so kill() (-9) takes every Dovecot process down at once, like a crash;
 * start() again on the same ports and maildir is a restart. Missing binaries fail loudly.
 */
const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find(existsSync);
const DOVEADM = ['/usr/bin/doveadm', '/usr/local/bin/doveadm'].find(existsSync);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function nobodyIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('nobody:'));
  if (!line) throw new Error('test/support/dovecot: no "nobody" user on this machine to own the maildir');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export interface MailboxMessage {
  uid: number;
  flags: string[];
  subject: string;
  messageId: string;
}

export class Dovecot {
  readonly host = '127.0.0.1';
  readonly user = 'privacy@shop.example';
  readonly password = 'dovecot-test-password';
  readonly dir: string;
  readonly imapPort: number;
  readonly lmtpPort: number;
  private child?: ChildProcess;
  private output = '';

  // Plain erasable TypeScript (no parameter properties): bench/worker.mjs imports this file as it is.
  private constructor(dir: string, imapPort: number, lmtpPort: number) {
    this.dir = dir;
    this.imapPort = imapPort;
    this.lmtpPort = lmtpPort;
  }

  get conf(): string {
    return join(this.dir, 'dovecot.conf');
  }

  static async start(): Promise<Dovecot> {
    if (!DOVECOT || !DOVEADM) {
      throw new Error('test/support/dovecot: dovecot is not installed; install it with: apt-get install -y dovecot-imapd dovecot-lmtpd');
    }
    if (process.getuid?.() !== 0) throw new Error('test/support/dovecot: the private Dovecot needs root (it drops to nobody and dovenull)');
    const dir = mkdtempSync(join(tmpdir(), 'consent-dovecot-'));
    chmodSync(dir, 0o755); // Dovecot's own processes (dovenull, nobody) must reach the folders below
    const dovecot = new Dovecot(dir, await freePort(), await freePort());
    dovecot.writeConfig();
    await dovecot.launch();
    return dovecot;
  }

  private writeConfig(): void {
    const { uid, gid } = nobodyIds();
    const home = join(this.dir, 'home');
    for (const d of ['base', 'state', home]) mkdirSync(join(this.dir, d), { recursive: true });
    mkdirSync(home, { recursive: true });
    chownSync(home, uid, gid);
    writeFileSync(join(this.dir, 'users'), `${this.user}:{PLAIN}${this.password}:${uid}:${gid}::${home}\n`);
    writeFileSync(
      this.conf,
      `base_dir = ${this.dir}/base
state_dir = ${this.dir}/state
log_path = ${this.dir}/dovecot.log
listen = 127.0.0.1
protocols = imap lmtp
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = ${this.dir}/users
}
userdb {
  driver = passwd-file
  args = ${this.dir}/users
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${this.lmtpPort}
  }
}
namespace inbox {
  inbox = yes
  mailbox Processed {
    auto = create
  }
  mailbox Review {
    auto = create
  }
}
`,
    );
  }

  private async launch(): Promise<void> {
    this.output = '';
    this.child = spawn(DOVECOT!, ['-F', '-c', this.conf], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    const exited = new Promise<never>((_, reject) => this.child!.once('exit', (code) => reject(new Error(`dovecot exited (${code}): ${this.output}${this.log()}`))));
    for (let i = 0; i < 200; i++) {
      const ready = await Promise.race([this.canLogin(), exited]);
      if (ready) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`dovecot did not accept logins: ${this.output}${this.log()}`);
  }

  private async canLogin(): Promise<boolean> {
    const client = this.client();
    try {
      await client.connect();
      await client.logout();
      return true;
    } catch {
      client.close();
      return false;
    }
  }

  log(): string {
    const path = join(this.dir, 'dovecot.log');
    return existsSync(path) ? readFileSync(path, 'utf8').slice(-4000) : '';
  }

  /** The settings block the worker takes for this server. */
  imapSettings() {
    return { host: this.host, port: this.imapPort, secure: false, user: this.user, password: this.password, rejectUnauthorized: false };
  }

  client(): ImapFlow {
    const client = new ImapFlow({ host: this.host, port: this.imapPort, secure: false, auth: { user: this.user, pass: this.password }, logger: false, doSTARTTLS: false });
    client.on('error', () => undefined);
    return client;
  }

  /** Runs `fn` on a fresh connection of its own (not the worker's). */
  async withClient<T>(fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = this.client();
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  /** IMAP APPEND of many mails on one connection. */
  async append(mails: (string | Buffer)[], mailbox = 'INBOX'): Promise<void> {
    await this.withClient(async (client) => {
      for (const raw of mails) await client.append(mailbox, raw);
    });
  }

  /** Delivers a mail the way an MTA would: LMTP into the user's INBOX. */
  async deliver(raw: string | Buffer, from = 'sender@example.nl'): Promise<void> {
    const connection = new SMTPConnection({ host: this.host, port: this.lmtpPort, lmtp: true, ignoreTLS: true, name: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      connection.once('error', reject);
      connection.connect(() => {
        connection.send({ from, to: [this.user] }, raw, (error) => {
          connection.quit();
          if (error) reject(error);
          else resolve();
        });
      });
    });
  }

  /**
   * Writes a mail straight into the maildir, as a local delivery agent does, also while Dovecot
   * is down: it appears in INBOX when Dovecot next looks.
   */
  dropIntoMaildir(raw: string | Buffer): void {
    const { uid, gid } = nobodyIds();
    const maildir = join(this.dir, 'home', 'Maildir');
    for (const sub of ['tmp', 'new', 'cur']) {
      mkdirSync(join(maildir, sub), { recursive: true });
      chownSync(join(maildir, sub), uid, gid);
    }
    chownSync(maildir, uid, gid);
    const name = `${Date.now()}.M${Math.floor(Math.random() * 1e9)}P${process.pid}.consent-test`;
    writeFileSync(join(maildir, 'tmp', name), raw);
    chownSync(join(maildir, 'tmp', name), uid, gid);
    renameSync(join(maildir, 'tmp', name), join(maildir, 'new', name));
  }

  async messages(mailbox: string): Promise<MailboxMessage[]> {
    return this.withClient(async (client) => {
      const lock = await client.getMailboxLock(mailbox, { readOnly: true });
      try {
        if (!client.mailbox || client.mailbox.exists === 0) return [];
        const rows = await client.fetchAll('1:*', { uid: true, flags: true, envelope: true });
        return rows.map((r) => ({ uid: r.uid, flags: [...(r.flags ?? [])], subject: r.envelope?.subject ?? '', messageId: r.envelope?.messageId ?? '' }));
      } finally {
        lock.release();
      }
    });
  }

  async count(mailbox: string): Promise<number> {
    return this.withClient(async (client) => {
      const status = await client.status(mailbox, { messages: true });
      return status ? (status.messages ?? 0) : 0;
    });
  }

  /** Simulates a mailbox rebuilt by the server: every UID renumbered (RFC 3501 §2.3.1.1). */
  setUidValidity(value: number, mailbox = 'INBOX'): void {
    const result = spawnSync(DOVEADM!, ['-c', this.conf, 'mailbox', 'update', '-u', this.user, '--uid-validity', String(value), mailbox], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`doveadm mailbox update failed: ${result.stderr}`);
  }

  /** kill -9 of every Dovecot process: connections drop mid-session, like a crash. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
    this.child = undefined;
    // The master is gone; its children may still hold the listening sockets for a moment.
    for (let i = 0; i < 200 && !((await isFree(this.imapPort)) && (await isFree(this.lmtpPort))); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Starts again on the same ports and maildir. */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
