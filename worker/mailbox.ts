import { ImapFlow } from 'imapflow';
import { normaliseEmail } from '../core/consent/identity';
import type { Ledger, MailboxLease } from '../core/ledger';
import type { DnsResolver } from '../core/mail/authenticity';
import { GAVE_UP, giveUpRequestMail, processRequestMail, parseRequestOptions, type ReplyRecord, type RequestHooks, type RequestMailResult } from '../core/inbox';
import { MailSender, type SentMail } from '../core/mail/send';
import type { ComposedMail } from '../core/mail/compose';
import type { RequestMail } from '../core/mail/request-mail';
import { fetchMeta, fetchRequestMails, takeBatch, type FetchedMail, type FetchLimits } from './imap-messages';
import { parseWorkerSettings, type WorkerSettings, type WorkerSettingsInput } from './settings';

/**
 * The mailbox worker: one IMAP connection, one mailbox lock, IDLE for new mail (with a poll timer
 * too: an EXISTS can be missed), mails handled in UID order. Per mail: parse → classify → ledger
 * (idempotent by Message-ID) → reply → mark and move. Nothing is marked or moved before its ledger
 * commit, nothing is ever deleted; a crash anywhere repeats at most some mails, whose repeat
 * changes nothing. The cursor (UIDVALIDITY, last UID) is kept in the ledger, so a restart resumes
 * where the last one left off; after a UIDVALIDITY change the mailbox is read again from the
 * start and Message-IDs keep the effects single.
 * With PostgreSQL the worker holds the mailbox through an advisory lock: several may run, one works.
 */
export interface WorkerLogLine {
  event: string;
  [field: string]: unknown;
}

export interface WorkerDeps {
  /** Where the log lines go: one JSON object per line on stdout by default. */
  log?: (line: WorkerLogLine) => void;
  /** DNS for the DKIM check (tests serve their own keys). */
  resolver?: DnsResolver;
  /**
   * Sends replies; by default over the settings' SMTP server. `null`: the worker sends nothing and
   * each reply comes back composed, status `pending`, for someone else to send (the n8n trigger).
   */
  sendReply?: ((mail: ComposedMail) => Promise<SentMail>) | null;
  /** Handles one mail instead of processRequestMail (same contract), e.g. the trigger's "record only". */
  processMail?: (ledger: Ledger, mail: RequestMail, options: ReturnType<typeof parseRequestOptions>, hooks: RequestHooks) => Promise<RequestMailResult>;
  /**
   * Called with each batch's finished mails after their ledger commits and before any of them is
   * marked or moved: the n8n trigger hands them to a workflow here and returns when the run is over.
   * Mails it names in `keep` stay in the inbox and come back later (as repeats: the ledger has them),
   * counted as failed attempts; if it throws, all stay. `signal` aborts when the worker was told to
   * stop and `stopGraceSeconds` have passed: then give up waiting and keep what is not finished.
   */
  onBatch?: (mails: HandedMail[], signal: AbortSignal) => Promise<{ keep?: number[] } | void>;
  /**
   * A mail that could not be handled (processing threw), with the error itself: the n8n trigger
   * reports it to n8n. It stays in the inbox and is tried again, up to maxAttempts, then goes to review.
   */
  onFailed?: (failure: { uid: number; messageId: string | null; subject: string | null; attempts: number; maxAttempts: number; error: unknown }) => void;
  /** After a failed session, with the error itself (the log line has only its text). */
  onDisconnected?: (error: unknown, info: { failures: number; retryInSeconds: number }) => void;
  /** How long stop() waits for onBatch to finish before aborting its signal. Default 30. */
  stopGraceSeconds?: number;
}

/** A mail whose ledger work is done, on its way to being marked and moved. */
export interface HandedMail {
  uid: number;
  result: RequestMailResult;
}

const KEYWORDS: Record<string, string> = {
  unsubscribe: '$ConsentUnsubscribe',
  erase: '$ConsentErase',
  access: '$ConsentAccess',
  bounce: '$ConsentBounce',
  auto_reply: '$ConsentAutoReply',
  unknown: '$ConsentUnknown',
  failed: '$ConsentFailed',
};

type WakeReason = 'mail' | 'timer' | 'closed' | 'lease' | 'stop';

interface Finished {
  uid: number;
  folder: string;
  keyword: string;
  seen: boolean;
  /** Absent for a mail given up on after too many failures (it goes to review unprocessed). */
  result?: RequestMailResult;
}

/** A NOOP this often while onBatch runs keeps the idle connection from timing out. */
const KEEPALIVE_MS = 60_000;

interface Retry {
  attempts: number;
  nextAt: number;
}

export class MailboxWorker {
  readonly settings: WorkerSettings;
  private readonly log: (line: WorkerLogLine) => void;
  private readonly sender?: MailSender;
  private readonly sendReply?: (mail: ComposedMail) => Promise<SentMail>;
  private readonly requestOptions: ReturnType<typeof parseRequestOptions>;
  private readonly limits: FetchLimits;
  private readonly retries = new Map<number, Retry>();
  /** How this batch's replies went: written to the request log in one transaction before the batch moves. */
  private replyRecords: ReplyRecord[] = [];
  private stopping = false;
  /** Who waits for the next event (new mail, a drop, stop), and an event that came while no one did. */
  private waiter?: (reason: WakeReason) => void;
  private pendingWake?: WakeReason;
  private stopped: Promise<void> = Promise.resolve();
  private client?: ImapFlow;
  /** Settles when stop() is called: every wait races it. */
  private readonly stopSignal = new AbortController();
  /** Aborts stopGraceSeconds after stop(): onBatch stops waiting for its workflow. */
  private readonly giveUp = new AbortController();

  constructor(
    readonly ledger: Ledger,
    settingsInput: WorkerSettingsInput | WorkerSettings,
    private readonly deps: WorkerDeps = {},
  ) {
    this.settings = parseWorkerSettings(settingsInput);
    const s = this.settings;
    this.log = deps.log ?? ((line) => process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), ...line })}\n`));
    if (deps.sendReply) this.sendReply = deps.sendReply;
    else if (deps.sendReply !== null) {
      this.sender = new MailSender(s.smtp);
      this.sendReply = (mail) => this.sender!.send(mail);
    }
    this.requestOptions = parseRequestOptions({
      mailbox: this.mailboxKey,
      baseUrl: s.baseUrl,
      organisation: s.organisation,
      privacyUrl: s.privacyUrl,
      replyFrom: s.replyFrom.name ? `${s.replyFrom.name} <${s.replyFrom.address}>` : s.replyFrom.address,
      trustedAuthservIds: s.trustedAuthservIds,
      // Mail from the mailbox itself (its login is usually its address) is our own coming back.
      ownAddresses: [...s.ownAddresses, ...(normaliseEmail(s.imap.user) ? [s.imap.user] : [])],
      actOnUnprovenUnsubscribe: s.actOnUnprovenUnsubscribe,
      verifyDkim: s.verifyDkim,
      defaultLocale: s.defaultLocale,
      maxAttempts: s.maxAttempts,
      limits: { maxTextBytes: s.maxTextBytes },
    });
    this.limits = { maxTextBytes: s.maxTextBytes, maxWholeMessageBytes: s.maxWholeMessageBytes, maxBatchBytes: Math.max(8 * 1024 * 1024, s.maxWholeMessageBytes) };
  }

  /** In IDLE right now, waiting for the server to announce mail. */
  get isIdle(): boolean {
    return this.client?.idling ?? false;
  }

  /** The mailbox's name in the ledger (request log, cursor, lease): account and folder. */
  get mailboxKey(): string {
    const { user, host, mailbox } = this.settings.imap;
    return `${user}@${host}/${mailbox}`;
  }

  /**
   * Runs until stop(): connects, works, and after any drop reconnects with a doubling wait.
   * With `once`, reads the mailbox once and returns (for a cron job); a failure then throws.
   */
  run(options: { once?: boolean } = {}): Promise<void> {
    this.stopped = this.loop(options.once ?? false);
    return this.stopped;
  }

  /** Finishes the mail in hand, logs out and returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    this.notify('stop');
    const grace = setTimeout(() => this.giveUp.abort(), (this.deps.stopGraceSeconds ?? 30) * 1000);
    try {
      await this.stopped.catch(() => undefined);
    } finally {
      clearTimeout(grace);
    }
  }

  private async loop(once: boolean): Promise<void> {
    let failures = 0;
    try {
      while (!this.stopping) {
        try {
          await this.session(once, () => (failures = 0));
          if (once) return;
        } catch (error) {
          if (once) throw error;
          if (this.stopping) break;
          failures++;
          const waitMs = Math.min(this.settings.reconnectMaxSeconds * 1000, 1000 * 2 ** Math.min(failures - 1, 16)) * (0.75 + Math.random() / 2);
          this.log({ event: 'disconnected', error: describe(error), retryInSeconds: Math.round(waitMs / 100) / 10 });
          this.deps.onDisconnected?.(error, { failures, retryInSeconds: Math.round(waitMs / 100) / 10 });
          await this.sleep(waitMs);
        }
      }
    } finally {
      this.sender?.close();
      this.log({ event: 'stopped' });
    }
  }

  private async session(once: boolean, onConnected: () => void): Promise<void> {
    const lease = await this.acquireLease();
    if (this.stopping) return void (await lease?.release());
    const s = this.settings.imap;
    const client = new ImapFlow({
      host: s.host,
      port: s.port ?? (s.secure ? 993 : 143),
      secure: s.secure,
      auth: s.accessToken ? { user: s.user, accessToken: s.accessToken } : { user: s.user, pass: s.password },
      tls: { rejectUnauthorized: s.rejectUnauthorized },
      logger: false,
      // IDLE is restarted often and backed by a poll; without IDLE, NOOP polls (NOTES-mail.md).
      // No auto-IDLE: the worker holds the mailbox lock and IDLEs itself between rounds.
      maxIdleTime: Math.round(this.settings.idleMinutes * 60_000),
      missingIdleCommand: 'NOOP',
      socketTimeout: Math.max(5 * 60_000, Math.round(this.settings.idleMinutes * 60_000) + 60_000),
      connectionTimeout: 30_000,
      greetingTimeout: 16_000,
      disableAutoIdle: true,
    });
    this.client = client;
    let closedError: Error | undefined;
    const closed = new Promise<void>((resolve) => {
      client.on('close', () => resolve());
      // Without an error listener an error would end the process (imapflow emits, then closes).
      client.on('error', (error: Error) => (closedError = error));
    });
    // One listener each per session (not per wait): a long-lived connection collects nothing.
    this.pendingWake = undefined;
    client.on('exists', () => this.notify('mail'));
    void closed.then(() => this.client === client && this.notify('closed'));
    void lease?.lost.then(() => this.client === client && this.notify('lease'));
    try {
      await client.connect();
      const lock = await client.getMailboxLock(s.mailbox);
      try {
        await this.ensureFolders(client);
        onConnected();
        this.log({ event: 'connected', mailbox: this.mailboxKey, idle: client.capabilities.has('IDLE') });
        while (!this.stopping) {
          await this.drain(client);
          if (once) return;
          const reason = await this.waitForMail(client);
          if (reason === 'closed') throw closedError ?? new Error('the IMAP connection closed');
          if (reason === 'lease') throw new Error('the mailbox lease was lost; another worker may hold the mailbox now');
        }
      } finally {
        if (client.usable) lock.release();
      }
    } finally {
      this.client = undefined;
      if (client.usable) await client.logout().catch(() => client.close());
      else client.close();
      await lease?.release().catch(() => undefined);
    }
  }

  /**
   * PostgreSQL: one worker per mailbox (advisory lock); SQLite has one process: a lease within it,
   * so an n8n trigger being tested in the editor waits while the active workflow's trigger reads the mailbox.
   */
  private acquireLease(): Promise<MailboxLease | null> {
    return this.ledger.acquireMailboxLease(this.mailboxKey, {
      signal: this.stopSignal.signal,
      onWaiting: () => this.log({ event: 'waiting_for_lease', mailbox: this.mailboxKey }),
    });
  }

  private async ensureFolders(client: ImapFlow): Promise<void> {
    const existing = new Set((await client.list()).map((m) => m.path));
    for (const folder of [this.settings.imap.processedFolder, this.settings.imap.reviewFolder]) {
      if (!existing.has(folder)) await client.mailboxCreate(folder).catch(() => undefined);
    }
  }

  private notify(reason: WakeReason): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter(reason);
    } else if (this.pendingWake === undefined || this.pendingWake === 'mail') {
      // Remembered for the next wait: an EXISTS during a drain is not lost; a drop outranks mail.
      this.pendingWake = reason;
    }
  }

  /** Until new mail is announced, the poll timer fires, the connection or lease is lost, or stop(). */
  private waitForMail(client: ImapFlow): Promise<WakeReason> {
    if (this.stopping) return Promise.resolve('stop');
    const pending = this.pendingWake;
    this.pendingWake = undefined;
    if (pending) return Promise.resolve(pending);
    // imapflow starts no auto-IDLE while a lock is held; the holder may IDLE inside it. The next
    // command (the drain's SEARCH) ends it; maxIdleTime restarts it meanwhile.
    void client.idle().catch(() => undefined);
    return this.waitFor(this.settings.pollSeconds * 1000);
  }

  private sleep(ms: number): Promise<WakeReason> {
    this.pendingWake = undefined;
    return this.waitFor(ms);
  }

  private waitFor(ms: number): Promise<WakeReason> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve('timer');
      }, ms);
      this.waiter = (reason) => {
        clearTimeout(timer);
        resolve(reason);
      };
    });
  }

  /** Handles every mail above the cursor, in UID order and in batches; the cursor follows. */
  async drain(client: ImapFlow): Promise<void> {
    if (!client.mailbox) throw new Error('no mailbox selected');
    const uidValidity = Number(client.mailbox.uidValidity);
    const state = await this.ledger.mailboxState(this.mailboxKey);
    let cursor = state && state.uidValidity === uidValidity ? state.lastUid : 0;
    if (!state || state.uidValidity !== uidValidity) {
      // New mailbox, or its UIDs were renumbered: read it all again; Message-IDs keep effects single.
      if (state) this.log({ event: 'uidvalidity_changed', from: state.uidValidity, to: uidValidity });
      this.retries.clear();
      await this.ledger.saveMailboxState(this.mailboxKey, uidValidity, 0);
    }
    const handled = new Set<number>();
    while (!this.stopping) {
      // `UID n:*` also returns the last message when nothing is newer: filter (RFC 3501 §6.4.8).
      const found = ((await client.search({ uid: `${cursor + 1}:*` }, { uid: true })) || []).filter((u) => u > cursor).sort((a, b) => a - b);
      const now = Date.now();
      const due = found.filter((u) => !handled.has(u) && (this.retries.get(u)?.nextAt ?? 0) <= now).slice(0, this.settings.batchSize);
      if (due.length === 0) return;
      const present = await fetchMeta(client, due);
      const meta = takeBatch(present, this.limits);
      const isPresent = new Set(present.map((m) => m.uid));
      due.filter((u) => !isPresent.has(u)).forEach((u) => handled.add(u)); // expunged by someone else meanwhile
      meta.forEach((m) => handled.add(m.uid));
      const handledBatch = await this.handleBatch(await fetchRequestMails(client, meta, this.limits));
      await this.writeReplyRecords();
      const done = await this.handOver(client, handledBatch);
      await this.markAndMove(client, done);
      // The cursor passes a mail only once it is finished: it stops below the first one still here.
      const moved = new Set(done.map((d) => d.uid));
      const remaining = found.filter((u) => !moved.has(u) && (handled.has(u) ? this.retries.has(u) : true));
      const next = remaining.length > 0 ? remaining[0] - 1 : found[found.length - 1];
      if (next > cursor) {
        cursor = next;
        await this.ledger.saveMailboxState(this.mailboxKey, uidValidity, cursor);
      }
    }
  }

  private async handleBatch(fetched: FetchedMail[]): Promise<Finished[]> {
    const done: Finished[] = [];
    // The same Message-ID twice in one batch (a double delivery) runs one after the other.
    const chains = new Map<string, Promise<unknown>>();
    let next = 0;
    const workers = Array.from({ length: Math.min(this.settings.concurrency, fetched.length) }, async () => {
      while (next < fetched.length && !this.stopping) {
        const item = fetched[next++];
        let mail: RequestMail | undefined;
        try {
          mail = await item.load();
        } catch (error) {
          const attempts = this.noteFailure(item.uid);
          this.log({ event: 'failed', uid: item.uid, attempts, error: describe(error) });
          this.deps.onFailed?.({ uid: item.uid, messageId: null, subject: null, attempts, maxAttempts: this.settings.maxAttempts, error });
          if (attempts >= this.settings.maxAttempts) done.push({ uid: item.uid, folder: this.settings.imap.reviewFolder, keyword: KEYWORDS.failed, seen: false });
          continue;
        }
        if (!mail) continue; // expunged by someone else meanwhile
        const before = chains.get(mail.messageId);
        // A second delivery in the batch sees the first one's reply as written, not as still owed.
        const run = before ? before.then(() => this.writeReplyRecords()).then(() => this.handleOne(item, mail)) : this.handleOne(item, mail);
        chains.set(mail.messageId, run.catch(() => undefined));
        const outcome = await run;
        if (outcome) done.push({ uid: item.uid, ...outcome });
      }
    });
    await Promise.all(workers);
    // Stopped half-way: what was fetched but never started stays below the cursor, not counted as a failure.
    for (const item of fetched.slice(next)) if (!this.retries.has(item.uid)) this.retries.set(item.uid, { attempts: 0, nextAt: 0 });
    return done.sort((a, b) => a.uid - b.uid);
  }

  private async handleOne(item: FetchedMail, mail: RequestMail): Promise<Omit<Finished, 'uid'> | undefined> {
    const s = this.settings;
    let result: RequestMailResult;
    try {
      result = await (this.deps.processMail ?? processRequestMail)(this.ledger, mail, this.requestOptions, {
        receivedAt: item.internalDate ?? undefined,
        source: item.source,
        resolver: this.deps.resolver,
        sendReply: this.sendReply,
        recordReply: (record) => void this.replyRecords.push(record),
      });
    } catch (error) {
      const attempts = this.noteFailure(item.uid);
      this.log({ event: 'failed', uid: item.uid, messageId: mail.messageId, attempts, error: describe(error) });
      this.deps.onFailed?.({ uid: item.uid, messageId: mail.messageId, subject: mail.subject, attempts, maxAttempts: s.maxAttempts, error });
      if (attempts < s.maxAttempts) return undefined;
      // Never lost: after too many tries a person gets it, in the review folder; the request log says so too.
      await giveUpRequestMail(this.ledger, mail.messageId, attempts).catch(() => undefined);
      return { folder: s.imap.reviewFolder, keyword: KEYWORDS.failed, seen: false };
    }
    this.log({
      event: 'mail',
      uid: item.uid,
      messageId: result.messageId,
      intent: result.intent,
      outcome: result.outcome,
      proof: result.proof,
      reply: result.reply.status,
      ...(result.reply.error ? { replyError: result.reply.error } : {}),
      folder: result.isDone ? result.folder : 'inbox',
      ...(result.isRepeat ? { repeat: true } : {}),
    });
    if (!result.isDone) {
      const attempts = this.noteFailure(item.uid);
      if (attempts < s.maxAttempts) return undefined;
      return { folder: s.imap.reviewFolder, keyword: KEYWORDS.failed, seen: false };
    }
    this.retries.delete(item.uid);
    const isReview = result.folder === 'review';
    // Given up on (its attempts counted in the request log, across restarts): flagged as failed.
    const keyword = result.outcome === GAVE_UP ? KEYWORDS.failed : (KEYWORDS[result.intent] ?? KEYWORDS.unknown);
    return { folder: isReview ? s.imap.reviewFolder : s.imap.processedFolder, keyword, seen: !isReview, result };
  }

  /**
   * deps.onBatch sees the batch before anything is moved; what it keeps stays in the inbox and is
   * tried again like a failed reply (to review after maxAttempts). No onBatch: all move on.
   */
  private async handOver(client: ImapFlow, done: Finished[]): Promise<Finished[]> {
    const onBatch = this.deps.onBatch;
    const mails = done.flatMap((d) => (d.result ? [{ uid: d.uid, result: d.result }] : []));
    if (!onBatch || mails.length === 0) return done;
    let keep: Set<number>;
    const keepAlive = setInterval(() => void client.noop().catch(() => undefined), KEEPALIVE_MS);
    try {
      keep = new Set((await onBatch(mails, this.giveUp.signal))?.keep ?? []);
    } catch (error) {
      this.log({ event: 'handover_failed', error: describe(error) });
      keep = new Set(mails.map((m) => m.uid));
    } finally {
      clearInterval(keepAlive);
    }
    if (keep.size === 0) return done;
    const moving: Finished[] = [];
    for (const d of done) {
      if (!keep.has(d.uid)) {
        moving.push(d);
        continue;
      }
      if (this.stopping) {
        // Handed over again after the restart, not counted as a failure; the cursor stays below it.
        if (!this.retries.has(d.uid)) this.retries.set(d.uid, { attempts: 0, nextAt: 0 });
        continue;
      }
      const attempts = this.noteFailure(d.uid);
      this.log({ event: 'kept', uid: d.uid, messageId: d.result?.messageId, attempts });
      if (attempts >= this.settings.maxAttempts) moving.push({ uid: d.uid, folder: this.settings.imap.reviewFolder, keyword: KEYWORDS.failed, seen: false });
    }
    return moving;
  }

  /** The batch's reply outcomes, one transaction (the mails' own commits came before their replies). */
  private async writeReplyRecords(): Promise<void> {
    const records = this.replyRecords;
    if (records.length === 0) return;
    this.replyRecords = [];
    await this.ledger.recordReplies(records);
  }

  private noteFailure(uid: number): number {
    const retry = this.retries.get(uid) ?? { attempts: 0, nextAt: 0 };
    retry.attempts++;
    retry.nextAt = Date.now() + this.settings.retrySeconds * 1000 * 2 ** Math.min(retry.attempts - 1, 10);
    this.retries.set(uid, retry);
    return retry.attempts;
  }

  /** After the ledger commit only: flags (\Seen for the processed, a keyword per intent), then MOVE. */
  private async markAndMove(client: ImapFlow, done: Finished[]): Promise<void> {
    const byFlags = groupBy(done, (d) => `${d.keyword}|${d.seen}`);
    for (const group of byFlags.values()) {
      const flags = group[0].seen ? ['\\Seen', group[0].keyword] : [group[0].keyword];
      await client.messageFlagsAdd(group.map((d) => d.uid).join(','), flags, { uid: true });
    }
    for (const [folder, group] of groupBy(done, (d) => d.folder)) {
      await client.messageMove(group.map((d) => d.uid).join(','), folder, { uid: true });
      group.forEach((d) => this.retries.delete(d.uid));
    }
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

function describe(error: unknown): string {
  const e = error as Error & { code?: string; responseText?: string };
  return [e.code, e.message, e.responseText].filter(Boolean).join(': ').slice(0, 500);
}

/** Runs a worker until SIGTERM or SIGINT, then stops it cleanly. */
export async function runWorker(ledger: Ledger, settings: WorkerSettingsInput | WorkerSettings, deps: WorkerDeps = {}, options: { once?: boolean } = {}): Promise<void> {
  const worker = new MailboxWorker(ledger, settings, deps);
  const onSignal = () => void worker.stop();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    await worker.run(options);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
