import { closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { StoreUnavailable } from '../../errors';
import type {
  ConsentChange,
  CheckHit,
  CheckLookup,
  ConsentRow,
  ErasureRow,
  MailboxState,
  MessageRow,
  NewEvent,
  NewSubject,
  PendingQuery,
  RequestRow,
  StatusCount,
  Store,
  StoreTx,
  SubjectLookup,
  SubjectRow,
  SuppressionLift,
  TokenRow,
} from '../store';
import { SQLITE_MIGRATIONS } from './migrations';
import { str, toConsent, toEvent, toRequest, toSubject, toSuppressionLift, toToken } from '../rows';

/**
 * The embedded ledger on node:sqlite (built into Node 24; no native build). WAL, so readers do not
 * block the writer; BEGIN IMMEDIATE plus a busy timeout, so n8n and the mailbox worker can share
 * one file; secure_delete, so erased PII is overwritten rather than left in free pages.
 * All SQL of this dialect is in this file.
 */
type Row = Record<string, SQLInputValue>;

const SUBJECT_COLUMNS = 'id, email, phone, external_id, name, locale, created_at, hold_reason, hold_until, suppressed_at';
const CONSENT_COLUMNS =
  'subject_id, topic, channel, status, basis, since, invited_at, last_sent_at, reminders, event_id, consent_text_hash, ev_who, ev_source, ev_at, ev_optin_id, ev_description';
const C_CONSENT_COLUMNS = CONSENT_COLUMNS.split(', ').map((c) => `c.${c}`).join(', ');
const CHECK_BY = Object.fromEntries(
  ['email', 'phone', 'external_id', 'id'].map((column) => [
    column,
    `SELECT s.id AS sid, ${C_CONSENT_COLUMNS} FROM subjects s
     LEFT JOIN consents c ON c.subject_id = s.id AND c.topic = ?2 AND c.channel = ?3 WHERE s.${column} = ?1`,
  ]),
) as Record<'email' | 'phone' | 'external_id' | 'id', string>;
// Statements are built once: the statement cache is keyed by the SQL text.
const SUBJECT_BY = {
  id: `SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE id = ?`,
  email: `SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE email = ?`,
  phone: `SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE phone = ?`,
  externalId: `SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE external_id = ?`,
};
const FIND_SUBJECTS = ['id', 'email', 'phone', 'external_id']
  .map((column, k) => `SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE ${column} IN (SELECT value FROM json_each(?${k + 1}))`)
  .join(' UNION ');
const CONSENTS_OF = `SELECT ${CONSENT_COLUMNS} FROM consents WHERE subject_id = ?1 AND (?2 IS NULL OR topic = ?2) AND (?3 IS NULL OR channel = ?3)`;
const UPSERT_CONSENT = `INSERT INTO consents (${CONSENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (subject_id, topic, channel) DO UPDATE SET status = excluded.status, basis = excluded.basis,
    since = excluded.since, invited_at = excluded.invited_at, last_sent_at = excluded.last_sent_at,
    reminders = excluded.reminders, event_id = excluded.event_id, consent_text_hash = excluded.consent_text_hash,
    ev_who = excluded.ev_who, ev_source = excluded.ev_source, ev_at = excluded.ev_at,
    ev_optin_id = excluded.ev_optin_id, ev_description = excluded.ev_description`;
const EVENT_COLUMNS = `e.id, e.subject_id, e.topic, e.channel, e.action, e.from_status, e.to_status, e.basis, e.at, e.recorded_at,
  e.actor_kind, e.source_kind, e.source_ref, e.consent_text_hash, t.text AS consent_text, e.optin_id, e.message_id,
  v.actor_name, v.ip, v.user_agent, v.description, v.proof_ref`;
const EVENT_JOINS = 'LEFT JOIN evidence v ON v.event_id = e.id LEFT JOIN consent_texts t ON t.hash = e.consent_text_hash';

/**
 * A new ledger file is made readable by its owner only (0600), whatever the umask: it holds
 * personal data. SQLite gives the -wal and -shm files it makes the mode of the database file.
 * An existing file keeps the mode its owner chose.
 */
function createPrivately(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

export interface SqliteOptions {
  path: string;
  /** @internal Tests only: stop at this schema version, to build a ledger as an older release left it. */
  migrateTo?: number;
}

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly tx: SqliteTx;

  private constructor(readonly path: string) {
    try {
      if (path !== ':memory:') {
        mkdirSync(dirname(path), { recursive: true });
        createPrivately(path);
      }
      this.db = new DatabaseSync(path);
      this.db.exec('PRAGMA busy_timeout = 10000');
      this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec('PRAGMA synchronous = FULL');
      this.db.exec('PRAGMA secure_delete = ON');
    } catch (error) {
      throw new StoreUnavailable(`Cannot open the SQLite ledger at ${path}: ${(error as Error).message}. Check that the folder exists and is writable.`);
    }
    this.tx = new SqliteTx(this);
  }

  static async open(options: SqliteOptions): Promise<SqliteStore> {
    const store = new SqliteStore(options.path);
    store.migrate(options.migrateTo);
    return store;
  }

  private migrate(upTo = Infinity): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const current = Number((this.db.prepare('PRAGMA user_version').get() as Row).user_version);
      for (const migration of SQLITE_MIGRATIONS) {
        if (migration.version <= current || migration.version > upTo) continue;
        this.db.exec(migration.sql);
        this.db.exec(`PRAGMA user_version = ${migration.version}`);
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** @internal */
  statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    // One connection: transactions of this process run one after another.
    const run = this.queue.then(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      this.tx.textsWritten.clear();
      try {
        const result = await fn(this.tx);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Moves everything from the write-ahead log into the database file and empties the log, so
   * overwritten (erased) bytes do not linger in the -wal file.
   */
  async flushErased(): Promise<void> {
    await this.queue;
    this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.db.isOpen) {
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      this.db.close();
    }
  }
}

/** A campaign's tokens all carry the same topics: their JSON is made once, not per row. */
const lastTopics = { list: [] as string[], json: '[]' };
function topicsJson(topics: string[]): string {
  if (topics.length !== lastTopics.list.length || topics.some((t, i) => t !== lastTopics.list[i])) {
    lastTopics.list = [...topics]; // a copy: the caller may change its array later
    lastTopics.json = JSON.stringify(topics);
  }
  return lastTopics.json;
}

function sqliteToken(r: Row): TokenRow {
  return toToken(r, Buffer.from(r.hash as Uint8Array), JSON.parse(String(r.topics)) as string[]);
}

class SqliteTx implements StoreTx {
  /** Consent texts written in this transaction: a campaign's one text is inserted once, not per row. */
  readonly textsWritten = new Set<string>();

  constructor(private readonly store: SqliteStore) {}

  private all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.store.statement(sql).all(...params) as Row[];
  }
  private get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.store.statement(sql).get(...params) as Row | undefined;
  }
  private run(sql: string, ...params: SQLInputValue[]) {
    return this.store.statement(sql).run(...params);
  }

  async getMeta(key: string) {
    const row = this.get('SELECT value FROM meta WHERE key = ?', key);
    return row ? String(row.value) : undefined;
  }
  async insertMetaIfAbsent(key: string, value: string) {
    return this.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', key, value).changes === 1;
  }
  async setMeta(key: string, value: string) {
    this.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);
  }

  async hasSuppressions() {
    return this.get('SELECT 1 AS x FROM suppressions LIMIT 1') !== undefined;
  }
  async findSuppressed(hashes: Buffer[]) {
    const found = new Set<string>();
    for (const hash of hashes) {
      if (this.get('SELECT 1 AS x FROM suppressions WHERE hash = ?', hash)) found.add(hash.toString('hex'));
    }
    return found;
  }
  async addSuppressions(rows: { hash: Buffer; reason: string; at: string }[]) {
    for (const r of rows) this.run('INSERT OR IGNORE INTO suppressions (hash, reason, at) VALUES (?, ?, ?)', r.hash, r.reason, r.at);
  }
  async removeSuppressions(hashes: Buffer[]) {
    let removed = 0;
    for (const hash of hashes) removed += Number(this.run('DELETE FROM suppressions WHERE hash = ?', hash).changes);
    return removed;
  }
  async insertSuppressionLift(r: SuppressionLift) {
    return Number(
      this.run(
        'INSERT INTO suppression_lifts (at, lifted, actor_kind, actor_name, source_kind, proof_ref, description) VALUES (?, ?, ?, ?, ?, ?, ?)',
        r.at, r.lifted, r.actorKind, r.actorName, r.sourceKind, r.proofRef, r.description,
      ).lastInsertRowid,
    );
  }
  async listSuppressionLifts() {
    return this.all('SELECT * FROM suppression_lifts ORDER BY id').map(toSuppressionLift);
  }

  async findSubjects(lookup: SubjectLookup) {
    const { ids = [], emails = [], phones = [], externalIds = [] } = lookup;
    const count = ids.length + emails.length + phones.length + externalIds.length;
    const byId = new Map<number, SubjectRow>();
    const add = (row: Row | undefined) => {
      if (row) byId.set(Number(row.id), toSubject(row));
    };
    if (count > 16) {
      // A batch (an import): one statement for all, not one per value.
      for (const row of this.all(FIND_SUBJECTS, JSON.stringify(ids), JSON.stringify(emails), JSON.stringify(phones), JSON.stringify(externalIds))) add(row);
      return [...byId.values()];
    }
    for (const v of ids) add(this.get(SUBJECT_BY.id, v));
    for (const v of emails) add(this.get(SUBJECT_BY.email, v));
    for (const v of phones) add(this.get(SUBJECT_BY.phone, v));
    for (const v of externalIds) add(this.get(SUBJECT_BY.externalId, v));
    return [...byId.values()];
  }
  async insertSubjects(rows: NewSubject[]) {
    // Inside BEGIN IMMEDIATE nobody else writes, so a plain insert cannot race.
    return rows.map((r) => {
      const result = this.run(
        'INSERT INTO subjects (email, phone, external_id, name, locale, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        r.email, r.phone, r.externalId, r.name, r.locale, r.createdAt,
      );
      return { ...r, id: Number(result.lastInsertRowid), holdReason: null, holdUntil: null, suppressedAt: null };
    });
  }
  async updateSubject(id: number, patch: Partial<Omit<SubjectRow, 'id' | 'createdAt'>>) {
    const columns: Record<string, string> = {
      email: 'email', phone: 'phone', externalId: 'external_id', name: 'name', locale: 'locale',
      holdReason: 'hold_reason', holdUntil: 'hold_until', suppressedAt: 'suppressed_at',
    };
    const keys = Object.keys(patch).filter((k) => k in columns) as (keyof typeof patch)[];
    if (keys.length === 0) return;
    this.run(
      `UPDATE subjects SET ${keys.map((k) => `${columns[k]} = ?`).join(', ')} WHERE id = ?`,
      ...keys.map((k) => (patch[k] ?? null) as SQLInputValue), id,
    );
  }
  async listSubjectIdsWithEmail(afterId: number, limit: number) {
    return this.all('SELECT id FROM subjects WHERE id > ? AND email IS NOT NULL ORDER BY id LIMIT ?', afterId, limit).map((r) => Number(r.id));
  }
  async listPhoneSubjects(topic: string, afterId: number, limit: number) {
    return this.all(
      `SELECT s.id, s.phone, s.name FROM subjects s JOIN consents c ON c.subject_id = s.id AND c.topic = ? AND c.channel = 'phone'
       WHERE s.id > ? AND s.phone IS NOT NULL ORDER BY s.id LIMIT ?`,
      topic, afterId, limit,
    ).map((r) => ({ id: Number(r.id), phone: String(r.phone), name: str(r.name) }));
  }
  async lockSubjects() {
    // BEGIN IMMEDIATE already holds the write lock of the whole file.
  }

  async getConsents(subjectIds: number[], topic?: string, channel?: string) {
    const out: ConsentRow[] = [];
    for (const id of subjectIds) {
      const rows = this.all(CONSENTS_OF, id, topic ?? null, channel ?? null);
      for (const r of rows) out.push(toConsent(r));
    }
    return out;
  }
  async checkConsents(items: CheckLookup[]) {
    return items.map((item): CheckHit | undefined => {
      // The unique index on each identity column holds the subject id: no subject row is read.
      const [sql, value] =
        item.email !== undefined
          ? [CHECK_BY.email, item.email]
          : item.phone !== undefined
            ? [CHECK_BY.phone, item.phone]
            : item.externalId !== undefined
              ? [CHECK_BY.external_id, item.externalId]
              : [CHECK_BY.id, item.subjectId ?? null];
      const row = this.get(sql, value, item.topic, item.channel);
      if (!row) return undefined;
      const consent = row.status === null ? null : toConsent(row);
      const suppressedAt =
        consent === null || consent.status === 'blacklisted'
          ? str(this.get('SELECT suppressed_at FROM subjects WHERE id = ?', row.sid)?.suppressed_at ?? null)
          : null;
      return { subjectId: Number(row.sid), suppressedAt, consent };
    });
  }
  async findPending(q: PendingQuery) {
    const column = q.column === 'invitedAt' ? 'invited_at' : 'last_sent_at';
    const statuses = JSON.stringify(q.statuses);
    return this.all(
      `SELECT ${CONSENT_COLUMNS} FROM consents
       WHERE status IN (SELECT value FROM json_each(?1)) AND ${column} <= ?2
         AND (?3 IS NULL OR reminders < ?3) AND (?4 IS NULL OR topic = ?4) AND (?5 IS NULL OR channel = ?5)
       ORDER BY ${column}, subject_id LIMIT ?6`,
      statuses, q.before, q.maxReminders ?? null, q.topic ?? null, q.channel ?? null, q.limit,
    ).map(toConsent);
  }
  async writeChanges(changes: ConsentChange[]) {
    return changes.map(({ consent: c, event: e }) => {
      const eventId = this.appendEvent(e);
      this.run(
        UPSERT_CONSENT,
        c.subjectId, c.topic, c.channel, c.status, c.basis, c.since, c.invitedAt, c.lastSentAt, c.reminders, eventId,
        e.consentTextHash, e.actorName ?? e.actorKind, e.sourceRef ?? e.sourceKind, e.at, e.optinId, e.description,
      );
      return eventId;
    });
  }
  async appendEvents(events: NewEvent[]) {
    return events.map((e) => this.appendEvent(e));
  }
  private appendEvent(e: NewEvent): number {
    if (e.consentTextHash && e.consentText !== null && !this.textsWritten.has(e.consentTextHash)) {
      this.run('INSERT OR IGNORE INTO consent_texts (hash, text) VALUES (?, ?)', e.consentTextHash, e.consentText);
      this.textsWritten.add(e.consentTextHash);
    }
    const id = Number(
      this.run(
        `INSERT INTO events (subject_id, topic, channel, action, from_status, to_status, basis, at, recorded_at,
           actor_kind, source_kind, source_ref, consent_text_hash, optin_id, message_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        e.subjectId, e.topic, e.channel, e.action, e.fromStatus, e.toStatus, e.basis, e.at, e.recordedAt,
        e.actorKind, e.sourceKind, e.sourceRef, e.consentTextHash, e.optinId, e.messageId,
      ).lastInsertRowid,
    );
    if (e.actorName || e.ip || e.userAgent || e.description || e.proofRef) {
      this.run(
        'INSERT INTO evidence (event_id, subject_id, actor_name, ip, user_agent, description, proof_ref) VALUES (?, ?, ?, ?, ?, ?, ?)',
        id, e.subjectId, e.actorName, e.ip, e.userAgent, e.description, e.proofRef,
      );
    }
    return id;
  }
  async listEvents(subjectId: number) {
    return this.all(`SELECT ${EVENT_COLUMNS} FROM events e ${EVENT_JOINS} WHERE e.subject_id = ? ORDER BY e.id`, subjectId).map(toEvent);
  }
  async countStatuses() {
    return this.all('SELECT topic, channel, status, COUNT(*) AS n FROM consents GROUP BY topic, channel, status ORDER BY topic, channel, status').map(
      (r): StatusCount => ({ topic: String(r.topic), channel: r.channel as StatusCount['channel'], status: r.status as StatusCount['status'], count: Number(r.n) }),
    );
  }

  async insertTokens(rows: TokenRow[]) {
    for (const t of rows) {
      this.run(
        `INSERT INTO tokens (hash, purpose, subject_id, channel, topics, consent_text_hash, ref, pending_name, created_at, expires_at, used_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        t.hash, t.purpose, t.subjectId, t.channel, topicsJson(t.topics), t.consentTextHash, t.ref, t.pendingName, t.createdAt, t.expiresAt, t.usedAt,
      );
    }
  }
  async findToken(hash: Buffer) {
    const row = this.get('SELECT * FROM tokens WHERE hash = ?', hash);
    return row ? sqliteToken(row) : undefined;
  }
  async claimToken(hash: Buffer, at: string) {
    return this.run('UPDATE tokens SET used_at = ?, pending_name = NULL WHERE hash = ? AND used_at IS NULL', at, hash).changes === 1;
  }
  async clearPendingNames(subjectId: number, createdAt: string) {
    this.run('UPDATE tokens SET pending_name = NULL WHERE subject_id = ? AND created_at <= ? AND pending_name IS NOT NULL', subjectId, createdAt);
  }
  async countTokens(subjectId: number) {
    return Number(this.get('SELECT COUNT(*) AS n FROM tokens WHERE subject_id = ?', subjectId)?.n ?? 0);
  }

  async insertMessages(rows: MessageRow[]) {
    for (const m of rows) {
      this.run(
        'INSERT INTO messages (subject_id, message_id, template, topics, channel, sent_at) VALUES (?, ?, ?, ?, ?, ?)',
        m.subjectId, m.messageId, m.template, JSON.stringify(m.topics), m.channel, m.sentAt,
      );
    }
  }
  async listMessages(subjectId: number) {
    return this.all('SELECT * FROM messages WHERE subject_id = ? ORDER BY id', subjectId).map(
      (r): MessageRow => ({
        subjectId: Number(r.subject_id),
        messageId: String(r.message_id),
        template: String(r.template),
        topics: JSON.parse(String(r.topics)) as string[],
        channel: r.channel as MessageRow['channel'],
        sentAt: String(r.sent_at),
      }),
    );
  }

  async upsertRequest(row: Omit<RequestRow, 'attempts'>) {
    const created =
      this.run(
        `INSERT INTO requests (message_id, mailbox, kind, received_at, due_at, outcome, subject_id, address, detail, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
        row.messageId, row.mailbox, row.kind, row.receivedAt, row.dueAt, row.outcome, row.subjectId, row.address, row.detail, row.updatedAt,
      ).changes === 1;
    return { row: (await this.findRequest(row.messageId)) as RequestRow, created };
  }
  async updateRequest(messageId: string, patch: Partial<Pick<RequestRow, 'outcome' | 'subjectId' | 'detail' | 'address' | 'updatedAt'>>) {
    const columns: Record<string, string> = { outcome: 'outcome', subjectId: 'subject_id', detail: 'detail', address: 'address', updatedAt: 'updated_at' };
    const keys = Object.keys(patch).filter((k) => k in columns) as (keyof typeof patch)[];
    if (keys.length === 0) return;
    this.run(
      `UPDATE requests SET ${keys.map((k) => `${columns[k]} = ?`).join(', ')} WHERE message_id = ?`,
      ...keys.map((k) => (patch[k] ?? null) as SQLInputValue), messageId,
    );
  }
  async countRequestAttempt(messageId: string, updatedAt: string) {
    const row = this.get('UPDATE requests SET attempts = attempts + 1, updated_at = ? WHERE message_id = ? RETURNING attempts', updatedAt, messageId);
    return row ? Number(row.attempts) : 0;
  }
  async findRequest(messageId: string) {
    const row = this.get('SELECT * FROM requests WHERE message_id = ?', messageId);
    return row ? toRequest(row) : undefined;
  }
  async listRequests(subjectId: number) {
    return this.all('SELECT * FROM requests WHERE subject_id = ? ORDER BY received_at', subjectId).map(toRequest);
  }

  async eraseSubject(subjectId: number) {
    this.run('DELETE FROM evidence WHERE subject_id = ?', subjectId);
    this.run('DELETE FROM tokens WHERE subject_id = ?', subjectId);
    this.run('DELETE FROM messages WHERE subject_id = ?', subjectId);
    this.run('DELETE FROM consents WHERE subject_id = ?', subjectId);
    this.run(
      'UPDATE requests SET address = NULL WHERE subject_id = ?1 OR address = (SELECT email FROM subjects WHERE id = ?1)',
      subjectId,
    );
    this.run('DELETE FROM subjects WHERE id = ?', subjectId);
  }
  async insertErasure(row: ErasureRow) {
    this.run(
      'INSERT INTO erasures (receipt_id, subject_id, at, outcome, reason, actor_kind, source_kind) VALUES (?, ?, ?, ?, ?, ?, ?)',
      row.receiptId, row.subjectId, row.at, row.outcome, row.reason, row.actorKind, row.sourceKind,
    );
  }
  async findErasure(receiptId: string) {
    const r = this.get('SELECT * FROM erasures WHERE receipt_id = ?', receiptId);
    return r
      ? {
          receiptId: String(r.receipt_id),
          subjectId: r.subject_id === null ? null : Number(r.subject_id),
          at: String(r.at),
          outcome: r.outcome as ErasureRow['outcome'],
          reason: str(r.reason),
          actorKind: String(r.actor_kind),
          sourceKind: String(r.source_kind),
        }
      : undefined;
  }

  async getMailboxState(mailbox: string) {
    const r = this.get('SELECT * FROM mailboxes WHERE mailbox = ?', mailbox);
    return r
      ? { mailbox: String(r.mailbox), uidValidity: Number(r.uid_validity), lastUid: Number(r.last_uid), updatedAt: String(r.updated_at) }
      : undefined;
  }
  async setMailboxState(s: MailboxState) {
    this.run(
      `INSERT INTO mailboxes (mailbox, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (mailbox) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`,
      s.mailbox, s.uidValidity, s.lastUid, s.updatedAt,
    );
  }
}
