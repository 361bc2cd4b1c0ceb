import { chownSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { startDovecot, type RunningDovecot } from '../../scripts/dovecot.cjs';

export interface MailboxMessage {
  uid: number;
  flags: string[];
  subject: string;
  messageId: string;
}

const USER = 'privacy@shop.example';
const PASSWORD = 'dovecot-test-password';

/**
 * A private Dovecot for one test file, started by the launcher the try-out uses too
 * (scripts/dovecot.cjs): IMAP and LMTP on free 127.0.0.1 ports, a maildir with Processed and
 * Review folders. kill() (-9) takes every Dovecot process down at once, like a crash; restart()
 * starts it again on the same ports and maildir. A missing Dovecot fails loudly.
 */
export class Dovecot {
  readonly host = '127.0.0.1';
  readonly user = USER;
  readonly password = PASSWORD;
  readonly dir: string;
  private readonly server: RunningDovecot;

  // Plain erasable TypeScript (no parameter properties): bench/worker.mjs imports this file as it is.
  private constructor(dir: string, server: RunningDovecot) {
    this.dir = dir;
    this.server = server;
  }

  get imapPort(): number {
    return this.server.imapPort;
  }

  get lmtpPort(): number {
    return this.server.lmtpPort;
  }

  get conf(): string {
    return this.server.conf;
  }

  static async start(): Promise<Dovecot> {
    const dir = mkdtempSync(join(tmpdir(), 'consent-dovecot-'));
    try {
      const server = await startDovecot({ dir, users: [{ user: USER, password: PASSWORD }], ephemeral: true, log: () => undefined });
      return new Dovecot(dir, server);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  log(): string {
    return this.server.log();
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
    await this.server.deliver(raw, { from, to: [this.user] });
  }

  /**
   * Writes a mail straight into the maildir, as a local delivery agent does, also while Dovecot
   * is down: it appears in INBOX when Dovecot next looks.
   */
  dropIntoMaildir(raw: string | Buffer): void {
    const { uid, gid } = this.server.mailOwner;
    const own = (path: string) => process.getuid?.() === 0 && chownSync(path, uid, gid);
    const maildir = this.server.maildir(this.user);
    for (const sub of ['tmp', 'new', 'cur']) {
      mkdirSync(join(maildir, sub), { recursive: true });
      own(join(maildir, sub));
    }
    own(maildir);
    const name = `${Date.now()}.M${Math.floor(Math.random() * 1e9)}P${process.pid}.consent-test`;
    writeFileSync(join(maildir, 'tmp', name), raw);
    own(join(maildir, 'tmp', name));
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
    this.server.setUidValidity(this.user, value, mailbox);
  }

  /** kill -9 of every Dovecot process: connections drop mid-session, like a crash. */
  async kill(): Promise<void> {
    await this.server.kill();
  }

  /** Starts again on the same ports and maildir. */
  async restart(): Promise<void> {
    await this.server.restart();
  }

  async stop(): Promise<void> {
    await this.server.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
