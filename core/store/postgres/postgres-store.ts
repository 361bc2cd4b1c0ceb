import { Client, DatabaseError, Pool, types as pgTypes, type ClientConfig, type PoolClient, type QueryResultRow } from 'pg';
import { StoreUnavailable } from '../../errors';
import type {
  CheckHit,
  CheckLookup,
  ConsentChange,
  ErasureRow,
  MailboxLease,
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
import { POSTGRES_MIGRATIONS } from './migrations';
import { num, str, toConsent, toEvent, toRequest, toSubject, toSuppressionLift, toToken } from '../rows';

/**
 * The PostgreSQL ledger (pg), for n8n in queue mode and several mailbox workers. All SQL of this
 * dialect is in this file (the schema is in migrations.ts).
 *
 * - Batches are set-wise: each array crosses as one array parameter per column (unnest, = ANY),
 *   so a batch of 100,000 items is a handful of round trips and never hits the parameter limit.
 * - READ COMMITTED, one pooled connection per transaction. lockSubjects takes row locks in id
 *   order; rows this transaction inserted need none (nobody else can see them yet). A transaction
 *   that loses a race (deadlock, a unique or foreign key another transaction made true or false
 *   meanwhile) is run again from the start (see Store.transaction).
 * - Instants are TIMESTAMPTZ and come back as ISO 8601 UTC strings.
 * - No flushErased: a deleted row's bytes stay in its heap page until VACUUM reuses the space and
 *   in the WAL until it is recycled; VACUUM does not zero them either, so running it after each
 *   erasure would cost a lot and promise nothing. The rows are gone for every reader; the
 *   database's disks are the operator's to protect (encryption at rest, backup retention).
 */

/** A schema name we create and quote ourselves: lower case letters, digits and _, not pg_*. */
export const SCHEMA_NAME = /^(?!pg_)[a-z_][a-z0-9_]{0,62}$/;
export const SCHEMA_NAME_HINT = 'use lower-case letters, digits and "_", starting with a letter or "_" (e.g. consent)';

export interface PostgresOptions {
  /** host, port, database, user, password, ssl, or connectionString */
  connection: ClientConfig;
  schema: string;
  /** Connections this process may hold at once (default 10). */
  poolSize?: number;
}

const TIMESTAMPTZ = 1184;
const parseTimestamp = pgTypes.getTypeParser(TIMESTAMPTZ, 'text') as (value: string) => Date;
const UTC_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

/**
 * TIMESTAMPTZ as the ISO 8601 string instants are on the Store interface. Sessions run in UTC
 * (see SESSION_SETUP), so the server's text is rearranged rather than parsed into a Date and
 * formatted again: a check or campaign reads four instants per consent row.
 */
export function isoFromTimestamptz(value: string): string {
  const m = UTC_TIMESTAMP.exec(value);
  if (!m) return parseTimestamp(value).toISOString();
  return `${m[1]}T${m[2]}.${((m[3] ?? '') + '000').slice(0, 3)}Z`;
}
const storeTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ ? isoFromTimestamptz : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser,
};

/**
 * Per connection: UTC, so instants come back in the shape isoFromTimestamptz rearranges; no JIT,
 * whose compile time (a quarter second) outweighs what it saves on these short batch statements.
 */
const SESSION_SETUP = "SET TIME ZONE 'UTC'; SET jit = off";

/** SQLSTATEs of a race this transaction lost; running it again reads the new state. */
const LOST_RACE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '23505', // unique_violation: another transaction added the address meanwhile
  '23503', // foreign_key_violation: another transaction erased the subject meanwhile
]);
const MAX_ATTEMPTS = 5;

/**
 * A subject this transaction looked for and did not find was added by another one before this
 * transaction could add it. What the transaction decided from "not there" is stale: run it again.
 */
class SubjectAppeared extends Error {
  constructor() {
    super('A subject was added by another transaction meanwhile.');
  }
}

/** A waiting lease's lock request ends now and then and is made again (a backstop: abort cancels it). */
const LEASE_WAIT_SLICE_MS = 5000;
const LEASE_HEARTBEAT_MS = 15_000;

type Row = Record<string, unknown>;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

// ------------------------------------------------------------------------------------------ SQL

const SUBJECT_COLUMNS = 'id, email, phone, external_id, name, locale, created_at, hold_reason, hold_until, suppressed_at';
const CONSENT_COLUMNS =
  'subject_id, topic, channel, status, basis, since, invited_at, last_sent_at, reminders, event_id, consent_text_hash, ev_who, ev_source, ev_at, ev_optin_id, ev_description';
const C_CONSENT_COLUMNS = CONSENT_COLUMNS.split(', ').map((c) => `c.${c}`).join(', ');
const EVENT_COLUMNS = `e.id, e.subject_id, e.topic, e.channel, e.action, e.from_status, e.to_status, e.basis, e.at, e.recorded_at,
  e.actor_kind, e.source_kind, e.source_ref, e.consent_text_hash, t.text AS consent_text, e.optin_id, e.message_id,
  v.actor_name, v.ip, v.user_agent, v.description, v.proof_ref`;
const EVENT_JOINS = 'LEFT JOIN {s}.evidence v ON v.event_id = e.id LEFT JOIN {s}.consent_texts t ON t.hash = e.consent_text_hash';

/**
 * The columns of a batch, each crossing as one array parameter: `unnestOf` writes the SQL that
 * unpacks them and `columnsOf` the values, from the same list, so the two cannot drift apart.
 */
type ColumnType = 'bigint' | 'int' | 'text' | 'timestamptz' | 'boolean' | 'bytea';
interface BatchColumn<R> {
  name: string;
  type: ColumnType;
  pick: (row: R) => unknown;
}

/**
 * One column of a batch as a PostgreSQL array literal, the value of one parameter (never SQL
 * text). Written here rather than by pg because a campaign sends millions of elements and pg
 * escapes every one with two regular expressions. A column with no value at all is sent empty:
 * unnest pads it with NULLs to the length of the others.
 */
export function arrayLiteral(type: ColumnType, values: readonly unknown[]): string {
  if (values.every((v) => v === null || v === undefined)) return '{}';
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (type === 'text' || type === 'timestamptz') parts[i] = quoteElement(String(v));
    else if (type === 'boolean') parts[i] = v ? 't' : 'f';
    else if (type === 'bytea') parts[i] = `"\\\\x${(v as Buffer).toString('hex')}"`;
    else if (typeof v === 'number' && Number.isSafeInteger(v)) parts[i] = String(v);
    else throw new TypeError(`not an integer for a ${type} column: ${String(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Inside double quotes only " and \ need a backslash (array literal syntax). */
function quoteElement(value: string): string {
  return value.includes('"') || value.includes('\\') ? `"${value.replace(/[\\"]/g, '\\$&')}"` : `"${value}"`;
}

function unnestOf(columns: BatchColumn<never>[], firstParam = 1): string {
  const params = columns.map((c, i) => `$${firstParam + i}::${c.type}[]`).join(', ');
  return `unnest(${params}) WITH ORDINALITY AS u(${columns.map((c) => c.name).join(', ')}, n)`;
}

function columnsOf<R>(columns: BatchColumn<R>[], rows: R[]): string[] {
  return columns.map((c) => arrayLiteral(c.type, rows.map(c.pick)));
}

/** The evidence table holds an event's PII; an event without any gets no row there. */
function hasEvidence(e: NewEvent): boolean {
  return Boolean(e.actorName || e.ip || e.userAgent || e.description || e.proofRef);
}

const EVENT_COLUMNS_IN: BatchColumn<NewEvent>[] = [
  { name: 'subject_id', type: 'bigint', pick: (e) => e.subjectId },
  { name: 'topic', type: 'text', pick: (e) => e.topic },
  { name: 'channel', type: 'text', pick: (e) => e.channel },
  { name: 'action', type: 'text', pick: (e) => e.action },
  { name: 'from_status', type: 'text', pick: (e) => e.fromStatus },
  { name: 'to_status', type: 'text', pick: (e) => e.toStatus },
  { name: 'basis', type: 'text', pick: (e) => e.basis },
  { name: 'at', type: 'timestamptz', pick: (e) => e.at },
  { name: 'recorded_at', type: 'timestamptz', pick: (e) => e.recordedAt },
  { name: 'actor_kind', type: 'text', pick: (e) => e.actorKind },
  { name: 'source_kind', type: 'text', pick: (e) => e.sourceKind },
  { name: 'source_ref', type: 'text', pick: (e) => e.sourceRef },
  { name: 'consent_text_hash', type: 'text', pick: (e) => e.consentTextHash },
  { name: 'optin_id', type: 'text', pick: (e) => e.optinId },
  { name: 'message_id', type: 'text', pick: (e) => e.messageId },
  { name: 'has_evidence', type: 'boolean', pick: hasEvidence },
  { name: 'actor_name', type: 'text', pick: (e) => e.actorName },
  { name: 'ip', type: 'text', pick: (e) => e.ip },
  { name: 'user_agent', type: 'text', pick: (e) => e.userAgent },
  { name: 'description', type: 'text', pick: (e) => e.description },
  { name: 'proof_ref', type: 'text', pick: (e) => e.proofRef },
];

/** A change: its event's columns, then its consent's; `is_last` marks the change that stands. */
type ChangeRow = ConsentChange & { isLast: boolean };
const CHANGE_COLUMNS_IN: BatchColumn<ChangeRow>[] = [
  ...EVENT_COLUMNS_IN.map((c) => ({ ...c, pick: (r: ChangeRow) => c.pick(r.event) })),
  { name: 'c_subject_id', type: 'bigint', pick: (r) => r.consent.subjectId },
  { name: 'c_topic', type: 'text', pick: (r) => r.consent.topic },
  { name: 'c_channel', type: 'text', pick: (r) => r.consent.channel },
  { name: 'c_status', type: 'text', pick: (r) => r.consent.status },
  { name: 'c_basis', type: 'text', pick: (r) => r.consent.basis },
  { name: 'c_since', type: 'timestamptz', pick: (r) => r.consent.since },
  { name: 'c_invited_at', type: 'timestamptz', pick: (r) => r.consent.invitedAt },
  { name: 'c_last_sent_at', type: 'timestamptz', pick: (r) => r.consent.lastSentAt },
  { name: 'c_reminders', type: 'int', pick: (r) => r.consent.reminders },
  { name: 'is_last', type: 'boolean', pick: (r) => r.isLast },
];

/**
 * Appends a batch of events: ids drawn in input order, the consent texts (sent once per hash, as
 * the last two parameters, not once per event), the events, and the evidence of those with PII.
 */
function appendSql(columns: BatchColumn<never>[]): string {
  const texts = columns.length + 1;
  return `
  input AS MATERIALIZED (
    SELECT nextval('{s}.events_id_seq') AS id, u.* FROM ${unnestOf(columns)}
  ),
  texts AS (
    INSERT INTO {s}.consent_texts (hash, text)
    SELECT * FROM unnest($${texts}::text[], $${texts + 1}::text[]) ON CONFLICT (hash) DO NOTHING
  ),
  appended AS (
    INSERT INTO {s}.events (id, subject_id, topic, channel, action, from_status, to_status, basis, at, recorded_at,
                            actor_kind, source_kind, source_ref, consent_text_hash, optin_id, message_id)
    SELECT id, subject_id, topic, channel, action, from_status, to_status, basis, at, recorded_at,
           actor_kind, source_kind, source_ref, consent_text_hash, optin_id, message_id
    FROM input
  ),
  evidence AS (
    INSERT INTO {s}.evidence (event_id, subject_id, actor_name, ip, user_agent, description, proof_ref)
    SELECT id, subject_id, actor_name, ip, user_agent, description, proof_ref FROM input WHERE has_evidence
  )`;
}

/** The texts of a batch, once per hash: an event that only names a hash adds none. */
function textsOf(events: NewEvent[]): [string, string] {
  const texts = new Map<string, string>();
  for (const e of events) {
    if (e.consentTextHash && e.consentText !== null && !texts.has(e.consentTextHash)) texts.set(e.consentTextHash, e.consentText);
  }
  return [arrayLiteral('text', [...texts.keys()]), arrayLiteral('text', [...texts.values()])];
}

const SQL = {
  getMeta: 'SELECT value FROM {s}.meta WHERE key = $1',
  setMeta: 'INSERT INTO {s}.meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
  insertMetaIfAbsent: 'INSERT INTO {s}.meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',

  findSuppressed: 'SELECT hash FROM {s}.suppressions WHERE hash = ANY($1::bytea[])',
  hasSuppressions: 'SELECT EXISTS (SELECT 1 FROM {s}.suppressions) AS x',
  addSuppressions: `INSERT INTO {s}.suppressions (hash, reason, at)
    SELECT * FROM unnest($1::bytea[], $2::text[], $3::timestamptz[]) ON CONFLICT (hash) DO NOTHING`,
  removeSuppressions: 'DELETE FROM {s}.suppressions WHERE hash = ANY($1::bytea[])',
  insertSuppressionLift: `INSERT INTO {s}.suppression_lifts (at, lifted, actor_kind, actor_name, source_kind, proof_ref, description)
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
  listSuppressionLifts: 'SELECT * FROM {s}.suppression_lifts ORDER BY id',

  // One index probe per value (lateral, so the planner cannot turn a large list into a scan of
  // every subject), once per identifier kind; UNION drops a subject found twice.
  // "IS NOT NULL" lets the partial unique indexes serve.
  findSubjects: ['id', 'email', 'phone', 'external_id']
    .map(
      (column, i) => `SELECT s.* FROM unnest($${i + 1}::${column === 'id' ? 'bigint' : 'text'}[]) AS k(v)
      CROSS JOIN LATERAL (
        SELECT ${SUBJECT_COLUMNS} FROM {s}.subjects WHERE ${column} = k.v${column === 'id' ? '' : ` AND ${column} IS NOT NULL`} LIMIT 1
      ) s`,
    )
    .join('\n    UNION ')
    .concat('\n    ORDER BY id'),
  // Ids are drawn first, so the answer (the ids drawn, in input order, and those inserted) says
  // which input rows this statement added. A row whose address exists, or that another
  // transaction is adding (the insert waits for it), is left out and insertSubjects reads it
  // back. Inserting in address order keeps two batches from deadlocking.
  insertSubjects: `
    WITH input AS MATERIALIZED (
      SELECT nextval('{s}.subjects_id_seq') AS id, u.*
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
        WITH ORDINALITY AS u(email, phone, external_id, name, locale, created_at, n)
    ),
    added AS (
      INSERT INTO {s}.subjects (id, email, phone, external_id, name, locale, created_at)
      SELECT id, email, phone, external_id, name, locale, created_at FROM input ORDER BY email, phone, external_id
      ON CONFLICT DO NOTHING
      RETURNING id
    )
    SELECT (SELECT array_agg(id ORDER BY n) FROM input) AS ids, (SELECT array_agg(id) FROM added) AS added`,
  listSubjectIdsWithEmail: 'SELECT id FROM {s}.subjects WHERE id > $1 AND email IS NOT NULL ORDER BY id LIMIT $2',
  listPhoneSubjects: `SELECT s.id, s.phone, s.name FROM {s}.subjects s
    JOIN {s}.consents c ON c.subject_id = s.id AND c.topic = $1 AND c.channel = 'phone'
    WHERE s.id > $2 AND s.phone IS NOT NULL ORDER BY s.id LIMIT $3`,
  // Rows are locked in the order the sort emits them: ascending id, the same in every transaction.
  lockSubjects: 'SELECT id FROM {s}.subjects WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE',

  getConsents: `SELECT ${CONSENT_COLUMNS} FROM {s}.consents
    WHERE subject_id = ANY($1::bigint[]) AND ($2::text IS NULL OR topic = $2) AND ($3::text IS NULL OR channel = $3)
    ORDER BY subject_id, topic, channel`,
  // Each item names its subject by one identifier (the others are null). Lateral lookups, so
  // each item is a few index probes whatever the batch and table sizes (a hash join would read
  // every subject and every consent of a large ledger for a batch of thousands).
  // suppressed_at only where check reads it: no consent, or blacklisted.
  checkConsents: `
    SELECT k.n, s.id AS sid,
           CASE WHEN c.status IS NULL OR c.status = 'blacklisted' THEN s.suppressed_at END AS sid_suppressed_at,
           ${C_CONSENT_COLUMNS}
    FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[]) WITH ORDINALITY
      AS k(email, phone, external_id, subject_id, topic, channel, n)
    CROSS JOIN LATERAL (
      SELECT id, suppressed_at FROM {s}.subjects WHERE email = k.email AND email IS NOT NULL
      UNION ALL SELECT id, suppressed_at FROM {s}.subjects WHERE phone = k.phone AND phone IS NOT NULL
      UNION ALL SELECT id, suppressed_at FROM {s}.subjects WHERE external_id = k.external_id AND external_id IS NOT NULL
      UNION ALL SELECT id, suppressed_at FROM {s}.subjects WHERE id = k.subject_id
      LIMIT 1
    ) s
    LEFT JOIN LATERAL (
      SELECT ${CONSENT_COLUMNS} FROM {s}.consents
      WHERE subject_id = s.id AND topic = k.topic AND channel = k.channel
      LIMIT 1
    ) c ON true`,
  findPendingByInvitedAt: `SELECT ${CONSENT_COLUMNS} FROM {s}.consents
    WHERE status = ANY($1::text[]) AND invited_at <= $2
      AND ($3::int IS NULL OR reminders < $3) AND ($4::text IS NULL OR topic = $4) AND ($5::text IS NULL OR channel = $5)
    ORDER BY invited_at, subject_id, topic, channel LIMIT $6`,
  findPendingByLastSentAt: `SELECT ${CONSENT_COLUMNS} FROM {s}.consents
    WHERE status = ANY($1::text[]) AND last_sent_at <= $2
      AND ($3::int IS NULL OR reminders < $3) AND ($4::text IS NULL OR topic = $4) AND ($5::text IS NULL OR channel = $5)
    ORDER BY last_sent_at, subject_id, topic, channel LIMIT $6`,
  appendEvents: `WITH ${appendSql(EVENT_COLUMNS_IN as BatchColumn<never>[])}
    SELECT id FROM input ORDER BY n`,
  // Events and consent rows in one statement. Of several changes to one consent in a batch only
  // the last is written to the row (an upsert may not touch a row twice); every event is kept.
  // The evidence summary on the row is copied from the event that set it.
  writeChanges: `WITH ${appendSql(CHANGE_COLUMNS_IN as BatchColumn<never>[])},
  changed AS (
    INSERT INTO {s}.consents (${CONSENT_COLUMNS})
    SELECT c_subject_id, c_topic, c_channel, c_status, c_basis, c_since, c_invited_at, c_last_sent_at, c_reminders, id,
           consent_text_hash, COALESCE(actor_name, actor_kind), COALESCE(source_ref, source_kind), at,
           optin_id, description
    FROM input WHERE is_last
    ON CONFLICT (subject_id, topic, channel) DO UPDATE SET status = EXCLUDED.status, basis = EXCLUDED.basis,
      since = EXCLUDED.since, invited_at = EXCLUDED.invited_at, last_sent_at = EXCLUDED.last_sent_at,
      reminders = EXCLUDED.reminders, event_id = EXCLUDED.event_id, consent_text_hash = EXCLUDED.consent_text_hash,
      ev_who = EXCLUDED.ev_who, ev_source = EXCLUDED.ev_source, ev_at = EXCLUDED.ev_at,
      ev_optin_id = EXCLUDED.ev_optin_id, ev_description = EXCLUDED.ev_description
  )
  SELECT id FROM input ORDER BY n`,
  listEvents: `SELECT ${EVENT_COLUMNS} FROM {s}.events e ${EVENT_JOINS} WHERE e.subject_id = $1 ORDER BY e.id`,
  countStatuses: `SELECT topic, channel, status, COUNT(*) AS n FROM {s}.consents
    GROUP BY topic, channel, status ORDER BY topic, channel, status`,

  // Topic lists cross as array literals (one text per row) and are cast per row: unnest cannot
  // take an array of arrays of different lengths.
  insertTokens: `INSERT INTO {s}.tokens (hash, purpose, subject_id, channel, topics, consent_text_hash, ref, created_at, expires_at, used_at, pending_name)
    SELECT hash, purpose, subject_id, channel, topics::text[], consent_text_hash, ref, created_at, expires_at, used_at, pending_name
    FROM unnest($1::bytea[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[],
                $9::timestamptz[], $10::timestamptz[], $11::text[])
      AS u(hash, purpose, subject_id, channel, topics, consent_text_hash, ref, created_at, expires_at, used_at, pending_name)`,
  findToken: `SELECT hash, purpose, subject_id, channel, topics, consent_text_hash, ref, created_at, expires_at, used_at, pending_name
    FROM {s}.tokens WHERE hash = $1`,
  // Under READ COMMITTED a second claimer waits for the first to commit, then re-reads the row
  // and finds used_at set: exactly one caller gets a row back.
  claimToken: 'UPDATE {s}.tokens SET used_at = $1, pending_name = NULL WHERE hash = $2 AND used_at IS NULL',
  countTokens: 'SELECT COUNT(*) AS n FROM {s}.tokens WHERE subject_id = $1',
  clearPendingNames: 'UPDATE {s}.tokens SET pending_name = NULL WHERE subject_id = $1 AND created_at <= $2 AND pending_name IS NOT NULL',

  insertMessages: `INSERT INTO {s}.messages (subject_id, message_id, template, topics, channel, sent_at)
    SELECT subject_id, message_id, template, topics::text[], channel, sent_at
    FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) WITH ORDINALITY
      AS u(subject_id, message_id, template, topics, channel, sent_at, n)
    ORDER BY n`,
  listMessages: 'SELECT subject_id, message_id, template, topics, channel, sent_at FROM {s}.messages WHERE subject_id = $1 ORDER BY id',

  // Two statements, not one: a row another transaction committed while this insert waited is
  // visible only to the next statement.
  insertRequest: `INSERT INTO {s}.requests (message_id, mailbox, kind, received_at, due_at, outcome, subject_id, address, detail, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (message_id) DO NOTHING`,
  findRequest: 'SELECT * FROM {s}.requests WHERE message_id = $1',
  countRequestAttempt: 'UPDATE {s}.requests SET attempts = attempts + 1, updated_at = $2 WHERE message_id = $1 RETURNING attempts',
  listRequests: 'SELECT * FROM {s}.requests WHERE subject_id = $1 ORDER BY received_at, message_id',

  eraseSubject: `
    WITH subject AS (SELECT email FROM {s}.subjects WHERE id = $1),
    evidence AS (DELETE FROM {s}.evidence WHERE subject_id = $1),
    tokens AS (DELETE FROM {s}.tokens WHERE subject_id = $1),
    messages AS (DELETE FROM {s}.messages WHERE subject_id = $1),
    consents AS (DELETE FROM {s}.consents WHERE subject_id = $1),
    requests AS (
      UPDATE {s}.requests SET address = NULL
      WHERE subject_id = $1 OR (address IS NOT NULL AND address = (SELECT email FROM subject))
    )
    DELETE FROM {s}.subjects WHERE id = $1`,
  insertErasure: `INSERT INTO {s}.erasures (receipt_id, subject_id, at, outcome, reason, actor_kind, source_kind)
    VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  findErasure: 'SELECT * FROM {s}.erasures WHERE receipt_id = $1',

  getMailboxState: 'SELECT * FROM {s}.mailboxes WHERE mailbox = $1',
  setMailboxState: `INSERT INTO {s}.mailboxes (mailbox, uid_validity, last_uid, updated_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (mailbox) DO UPDATE SET uid_validity = EXCLUDED.uid_validity, last_uid = EXCLUDED.last_uid,
      updated_at = EXCLUDED.updated_at`,
} as const;
type StatementName = keyof typeof SQL;

const SUBJECT_PATCH_COLUMNS: Record<string, string> = {
  email: 'email', phone: 'phone', externalId: 'external_id', name: 'name', locale: 'locale',
  holdReason: 'hold_reason', holdUntil: 'hold_until', suppressedAt: 'suppressed_at',
};
const REQUEST_PATCH_COLUMNS: Record<string, string> = {
  outcome: 'outcome', subjectId: 'subject_id', detail: 'detail', address: 'address', updatedAt: 'updated_at',
};

const MIGRATION_LOCK = 'n8n-nodes-consent migrate';
const MAILBOX_LOCK = 'n8n-nodes-consent mailbox';

// ------------------------------------------------------------------------------------------ store

export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  private readonly statements: Record<StatementName, string>;
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly connection: ClientConfig,
    readonly schema: string,
  ) {
    const s = quoteIdent(schema);
    this.statements = Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, text.replaceAll('{s}', s)])) as Record<StatementName, string>;
  }

  static async open(options: PostgresOptions): Promise<PostgresStore> {
    if (!SCHEMA_NAME.test(options.schema)) {
      throw new StoreUnavailable(`PostgreSQL schema "${options.schema}" is not a plain name: ${SCHEMA_NAME_HINT}.`);
    }
    const connection: ClientConfig = { application_name: 'n8n-nodes-consent', connectionTimeoutMillis: 15_000, ...options.connection, types: storeTypes };
    const pool = new Pool({ ...connection, max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 });
    // An idle connection the server dropped is discarded by the pool; without a listener the
    // 'error' event would end the process.
    pool.on('error', () => undefined);
    // Queued before anything else the pool's user sends on the new connection.
    pool.on('connect', (client) => void client.query(SESSION_SETUP).catch(() => undefined));
    const store = new PostgresStore(pool, connection, options.schema);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw unavailable(error, 'open');
    }
    return store;
  }

  /** @internal the SQL of one statement for this schema */
  sql(name: StatementName): string {
    return this.statements[name];
  }

  /**
   * Creates the schema and applies what is missing, all in one transaction under an advisory
   * lock: the first process to open a new ledger migrates it, the others wait and find it done.
   */
  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    const s = quoteIdent(this.schema);
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${MIGRATION_LOCK} ${this.schema}`]);
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
      if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      const current = Number((await client.query(`SELECT COALESCE(MAX(version), 0) AS v FROM ${s}.schema_migrations`)).rows[0].v);
      const latest = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1].version;
      if (current > latest) {
        throw new StoreUnavailable(
          `The ledger in schema "${this.schema}" has schema version ${current}, newer than this n8n-nodes-consent knows (${latest}). Update n8n-nodes-consent on every machine that opens it.`,
        );
      }
      for (const migration of POSTGRES_MIGRATIONS) {
        if (migration.version <= current) continue;
        await client.query(migration.sql.replaceAll('{schema}', s));
        await client.query(`INSERT INTO ${s}.schema_migrations (version) VALUES ($1)`, [migration.version]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async connect(): Promise<PoolClient> {
    if (this.closed) throw new StoreUnavailable('The PostgreSQL ledger is closed.');
    try {
      return await this.pool.connect();
    } catch (error) {
      throw unavailable(error, 'connect');
    }
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.connect();
      let reusable = true;
      try {
        await client.query('BEGIN');
        const result = await fn(new PostgresTx(this, client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        reusable = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        const lostRace = error instanceof SubjectAppeared || (error instanceof DatabaseError && LOST_RACE.has(error.code ?? ''));
        if (lostRace && attempt < MAX_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
          continue;
        }
        throw isConnectionError(error) ? unavailable(error, 'query') : error;
      } finally {
        // A connection whose rollback failed is broken: the pool must not hand it out again.
        client.release(reusable ? undefined : true);
      }
    }
  }

  /**
   * A session advisory lock on a connection of its own: the server releases it when that
   * connection ends, which includes the holding process dying (its socket closes).
   */
  async acquireMailboxLease(mailbox: string, options: { wait?: boolean; signal?: AbortSignal } = {}): Promise<MailboxLease | null> {
    const { wait = true, signal } = options;
    if (signal?.aborted) return null;
    const client = new Client({ ...this.connection, keepAlive: true, application_name: 'n8n-nodes-consent mailbox' });
    let settleLost: (error: Error) => void = () => undefined;
    const lost = new Promise<Error>((resolve) => (settleLost = resolve));
    client.on('error', (error) => settleLost(error));
    try {
      await client.connect();
    } catch (error) {
      throw unavailable(error, 'connect');
    }
    const key = `${MAILBOX_LOCK} ${this.schema} ${mailbox}`;
    // An abort cancels the lock request the server keeps waiting, through another connection.
    let backendPid: number | undefined;
    const onAbort = () => {
      if (backendPid !== undefined) void this.pool.query('SELECT pg_cancel_backend($1)', [backendPid]).catch(() => undefined);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (!wait) {
        const held = await client.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held', [key]);
        if (!held.rows[0].held) {
          await client.end();
          return null;
        }
      } else {
        backendPid = Number((await client.query(`SELECT pg_backend_pid() AS pid, set_config('lock_timeout', '${LEASE_WAIT_SLICE_MS}', false)`)).rows[0].pid);
        for (;;) {
          if (signal?.aborted) throw signal.reason;
          try {
            await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
            break;
          } catch (error) {
            // 55P03 lock_not_available: the slice ended; 57014 query_canceled: by onAbort
            if (!(error instanceof DatabaseError && (error.code === '55P03' || error.code === '57014'))) throw error;
          }
        }
        await client.query('RESET lock_timeout');
        if (signal?.aborted) throw signal.reason; // granted just as the abort came: let go again
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      if (signal?.aborted) return null;
      throw isConnectionError(error) ? unavailable(error, 'query') : error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }

    let released = false;
    client.on('end', () => {
      if (!released) settleLost(new StoreUnavailable(`The connection holding mailbox "${mailbox}" ended; another worker may hold it now.`));
    });
    // TCP keepalive finds a dead peer only after minutes; a small query finds it sooner.
    const heartbeat = setInterval(() => {
      client.query('SELECT 1').catch((error: Error) => {
        if (!released) settleLost(error);
      });
    }, LEASE_HEARTBEAT_MS);
    heartbeat.unref();
    return {
      mailbox,
      lost,
      async release() {
        if (released) return;
        released = true;
        clearInterval(heartbeat);
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => undefined);
        await client.end().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

function isConnectionError(error: unknown): boolean {
  if (error instanceof DatabaseError) return /^(08|57P0[1-3])/.test(error.code ?? '');
  const code = (error as { code?: string })?.code;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE'].includes(code ?? '') ||
    /Connection terminated|timeout exceeded when trying to connect/i.test((error as Error)?.message ?? '')
  );
}

function unavailable(error: unknown, step: 'open' | 'connect' | 'query'): Error {
  if (error instanceof StoreUnavailable) return error;
  if (step === 'open' || isConnectionError(error)) {
    const reason = (error as Error)?.message ?? String(error);
    return new StoreUnavailable(
      `Cannot ${step === 'query' ? 'reach' : 'open'} the PostgreSQL ledger: ${reason}. Check host, port, database, user, password and SSL, and that the user may create tables in the schema.`,
    );
  }
  return error as Error;
}

// ------------------------------------------------------------------------------------------ rows

function pgToken(r: Row): TokenRow {
  return toToken(r, r.hash as Buffer, r.topics as string[]);
}

function identifiers(s: SubjectRow): string[] {
  return [...(s.email ? [`e:${s.email}`] : []), ...(s.phone ? [`p:${s.phone}`] : []), ...(s.externalId ? [`x:${s.externalId}`] : [])];
}

/** A row's list inside a column of lists: unnest cannot take an array of arrays of different lengths. */
function textArrayLiteral(values: string[]): string {
  return `{${values.map(quoteElement).join(',')}}`;
}

// ------------------------------------------------------------------------------------------ tx

class PostgresTx implements StoreTx {
  /** Subjects this transaction inserted: invisible to others until commit, so no lock needed. */
  private readonly added = new Set<number>();
  /** Identifiers findSubjects looked up and did not find (e:, p:, x: + value). */
  private readonly missing = new Set<string>();

  constructor(
    private readonly store: PostgresStore,
    private readonly client: PoolClient,
  ) {}

  /** A named statement: parsed and planned once per connection. */
  private async run<R extends QueryResultRow = Row>(name: StatementName, values: unknown[]) {
    return this.client.query<R>({ name, text: this.store.sql(name), values });
  }

  async getMeta(key: string) {
    const { rows } = await this.run('getMeta', [key]);
    return rows.length ? String(rows[0].value) : undefined;
  }
  async setMeta(key: string, value: string) {
    await this.run('setMeta', [key, value]);
  }
  async insertMetaIfAbsent(key: string, value: string) {
    return ((await this.run('insertMetaIfAbsent', [key, value])).rowCount ?? 0) === 1;
  }

  async hasSuppressions() {
    const { rows } = await this.run('hasSuppressions', []);
    return rows[0].x === true;
  }
  async findSuppressed(hashes: Buffer[]) {
    if (hashes.length === 0) return new Set<string>();
    const { rows } = await this.run('findSuppressed', [arrayLiteral('bytea', hashes)]);
    return new Set(rows.map((r) => (r.hash as Buffer).toString('hex')));
  }
  async addSuppressions(rows: { hash: Buffer; reason: string; at: string }[]) {
    if (rows.length === 0) return;
    await this.run('addSuppressions', [arrayLiteral('bytea', rows.map((r) => r.hash)), arrayLiteral('text', rows.map((r) => r.reason)), arrayLiteral('timestamptz', rows.map((r) => r.at))]);
  }
  async removeSuppressions(hashes: Buffer[]) {
    if (hashes.length === 0) return 0;
    return (await this.run('removeSuppressions', [arrayLiteral('bytea', hashes)])).rowCount ?? 0;
  }
  async insertSuppressionLift(r: SuppressionLift) {
    const { rows } = await this.run('insertSuppressionLift', [r.at, r.lifted, r.actorKind, r.actorName, r.sourceKind, r.proofRef, r.description]);
    return Number(rows[0].id);
  }
  async listSuppressionLifts() {
    return (await this.run('listSuppressionLifts', [])).rows.map(toSuppressionLift);
  }

  async findSubjects(lookup: SubjectLookup) {
    const found = await this.selectSubjects(lookup);
    const seen = new Set(found.flatMap(identifiers));
    for (const key of [...(lookup.emails ?? []).map((v) => `e:${v}`), ...(lookup.phones ?? []).map((v) => `p:${v}`), ...(lookup.externalIds ?? []).map((v) => `x:${v}`)]) {
      if (seen.has(key)) this.missing.delete(key);
      else this.missing.add(key);
    }
    return found;
  }
  private async selectSubjects(lookup: SubjectLookup) {
    const { ids = [], emails = [], phones = [], externalIds = [] } = lookup;
    if (ids.length + emails.length + phones.length + externalIds.length === 0) return [];
    const { rows } = await this.run('findSubjects', [arrayLiteral('bigint', ids), arrayLiteral('text', emails), arrayLiteral('text', phones), arrayLiteral('text', externalIds)]);
    return rows.map(toSubject);
  }

  async insertSubjects(rows: NewSubject[]) {
    const out: (SubjectRow | undefined)[] = new Array(rows.length);
    let pending = rows.map((_, i) => i);
    // A row that conflicted is read back; if that subject was erased before we could read it,
    // the next round inserts it again.
    for (let round = 0; pending.length > 0; round++) {
      if (round === 3) throw new Error('insertSubjects: subjects kept disappearing while being inserted');
      const batch = pending.map((i) => rows[i]);
      const { rows: answer } = await this.run<{ ids: string[]; added: string[] | null }>('insertSubjects', [
        arrayLiteral('text', batch.map((r) => r.email)),
        arrayLiteral('text', batch.map((r) => r.phone)),
        arrayLiteral('text', batch.map((r) => r.externalId)),
        arrayLiteral('text', batch.map((r) => r.name)),
        arrayLiteral('text', batch.map((r) => r.locale)),
        arrayLiteral('timestamptz', batch.map((r) => r.createdAt)),
      ]);
      const added = new Set(answer[0].added ?? []);
      const conflicted: number[] = [];
      answer[0].ids.forEach((drawn, k) => {
        const i = pending[k];
        if (!added.has(drawn)) {
          conflicted.push(i);
          return;
        }
        const id = Number(drawn);
        this.added.add(id);
        out[i] = { ...rows[i], id, holdReason: null, holdUntil: null, suppressedAt: null };
      });
      if (conflicted.length === 0) break;
      const existing = await this.selectSubjects({
        emails: conflicted.flatMap((i) => (rows[i].email ? [rows[i].email!] : [])),
        phones: conflicted.flatMap((i) => (rows[i].phone ? [rows[i].phone!] : [])),
        externalIds: conflicted.flatMap((i) => (rows[i].externalId ? [rows[i].externalId!] : [])),
      });
      // The same precedence as the ledger's: email, then phone, then external id.
      const byEmail = new Map(existing.filter((s) => s.email).map((s) => [s.email!, s]));
      const byPhone = new Map(existing.filter((s) => s.phone).map((s) => [s.phone!, s]));
      const byExternal = new Map(existing.filter((s) => s.externalId).map((s) => [s.externalId!, s]));
      pending = [];
      for (const i of conflicted) {
        const r = rows[i];
        const found =
          (r.email ? byEmail.get(r.email) : undefined) ??
          (r.phone ? byPhone.get(r.phone) : undefined) ??
          (r.externalId ? byExternal.get(r.externalId) : undefined);
        if (!found) pending.push(i);
        else if (!this.added.has(found.id) && identifiers(found).some((key) => this.missing.has(key))) throw new SubjectAppeared();
        else out[i] = found;
      }
    }
    return out as SubjectRow[];
  }

  async updateSubject(id: number, patch: Partial<Omit<SubjectRow, 'id' | 'createdAt'>>) {
    const keys = Object.keys(patch).filter((k) => k in SUBJECT_PATCH_COLUMNS) as (keyof typeof patch)[];
    if (keys.length === 0) return;
    const s = quoteIdent(this.store.schema);
    await this.client.query(
      `UPDATE ${s}.subjects SET ${keys.map((k, i) => `${SUBJECT_PATCH_COLUMNS[k]} = $${i + 2}`).join(', ')} WHERE id = $1`,
      [id, ...keys.map((k) => patch[k] ?? null)],
    );
  }
  async listSubjectIdsWithEmail(afterId: number, limit: number) {
    const { rows } = await this.run('listSubjectIdsWithEmail', [afterId, limit]);
    return rows.map((r) => Number(r.id));
  }
  async listPhoneSubjects(topic: string, afterId: number, limit: number) {
    const { rows } = await this.run('listPhoneSubjects', [topic, afterId, limit]);
    return rows.map((r) => ({ id: Number(r.id), phone: String(r.phone), name: (r.name as string | null) ?? null }));
  }
  async lockSubjects(ids: number[]) {
    const others = [...new Set(ids)].filter((id) => !this.added.has(id)).sort((a, b) => a - b);
    if (others.length > 0) await this.run('lockSubjects', [arrayLiteral('bigint', others)]);
  }

  async getConsents(subjectIds: number[], topic?: string, channel?: string) {
    if (subjectIds.length === 0) return [];
    const { rows } = await this.run('getConsents', [arrayLiteral('bigint', subjectIds), topic ?? null, channel ?? null]);
    return rows.map(toConsent);
  }
  async checkConsents(items: CheckLookup[]) {
    const out: (CheckHit | undefined)[] = new Array(items.length).fill(undefined);
    if (items.length === 0) return out;
    // The first identifier an item gives is the one it is looked up by.
    const by = items.map((i) => (i.email !== undefined ? 'email' : i.phone !== undefined ? 'phone' : i.externalId !== undefined ? 'externalId' : 'subjectId'));
    const { rows } = await this.run('checkConsents', [
      arrayLiteral('text', items.map((i, k) => (by[k] === 'email' ? i.email : null))),
      arrayLiteral('text', items.map((i, k) => (by[k] === 'phone' ? i.phone : null))),
      arrayLiteral('text', items.map((i, k) => (by[k] === 'externalId' ? i.externalId : null))),
      arrayLiteral('bigint', items.map((i, k) => (by[k] === 'subjectId' ? (i.subjectId ?? null) : null))),
      arrayLiteral('text', items.map((i) => i.topic)),
      arrayLiteral('text', items.map((i) => i.channel)),
    ]);
    for (const r of rows) {
      out[Number(r.n) - 1] = { subjectId: Number(r.sid), suppressedAt: str(r.sid_suppressed_at), consent: r.status === null ? null : toConsent(r) };
    }
    return out;
  }
  async findPending(q: PendingQuery) {
    const name = q.column === 'invitedAt' ? 'findPendingByInvitedAt' : 'findPendingByLastSentAt';
    const { rows } = await this.run(name, [q.statuses, q.before, q.maxReminders ?? null, q.topic ?? null, q.channel ?? null, q.limit]);
    return rows.map(toConsent);
  }
  async writeChanges(changes: ConsentChange[]) {
    if (changes.length === 0) return [];
    const last = new Map(changes.map((c, i) => [`${c.consent.subjectId}|${c.consent.topic}|${c.consent.channel}`, i]));
    const rows = changes.map((c, i) => ({ ...c, isLast: last.get(`${c.consent.subjectId}|${c.consent.topic}|${c.consent.channel}`) === i }));
    const { rows: ids } = await this.run('writeChanges', [...columnsOf(CHANGE_COLUMNS_IN, rows), ...textsOf(changes.map((c) => c.event))]);
    return ids.map((r) => Number(r.id));
  }
  async appendEvents(events: NewEvent[]) {
    if (events.length === 0) return [];
    const { rows } = await this.run('appendEvents', [...columnsOf(EVENT_COLUMNS_IN, events), ...textsOf(events)]);
    return rows.map((r) => Number(r.id));
  }
  async listEvents(subjectId: number) {
    const { rows } = await this.run('listEvents', [subjectId]);
    return rows.map(toEvent);
  }
  async countStatuses() {
    const { rows } = await this.run('countStatuses', []);
    return rows.map(
      (r): StatusCount => ({ topic: String(r.topic), channel: r.channel as StatusCount['channel'], status: r.status as StatusCount['status'], count: Number(r.n) }),
    );
  }

  async insertTokens(rows: TokenRow[]) {
    if (rows.length === 0) return;
    await this.run('insertTokens', [
      arrayLiteral('bytea', rows.map((t) => t.hash)),
      arrayLiteral('text', rows.map((t) => t.purpose)),
      arrayLiteral('bigint', rows.map((t) => t.subjectId)),
      arrayLiteral('text', rows.map((t) => t.channel)),
      arrayLiteral('text', rows.map((t) => textArrayLiteral(t.topics))),
      arrayLiteral('text', rows.map((t) => t.consentTextHash)),
      arrayLiteral('text', rows.map((t) => t.ref)),
      arrayLiteral('timestamptz', rows.map((t) => t.createdAt)),
      arrayLiteral('timestamptz', rows.map((t) => t.expiresAt)),
      arrayLiteral('timestamptz', rows.map((t) => t.usedAt)),
      arrayLiteral('text', rows.map((t) => t.pendingName)),
    ]);
  }
  async findToken(hash: Buffer) {
    const { rows } = await this.run('findToken', [hash]);
    return rows.length ? pgToken(rows[0]) : undefined;
  }
  async claimToken(hash: Buffer, at: string) {
    return (await this.run('claimToken', [at, hash])).rowCount === 1;
  }
  async clearPendingNames(subjectId: number, createdAt: string) {
    await this.run('clearPendingNames', [subjectId, createdAt]);
  }
  async countTokens(subjectId: number) {
    const { rows } = await this.run('countTokens', [subjectId]);
    return Number(rows[0].n);
  }

  async insertMessages(rows: MessageRow[]) {
    if (rows.length === 0) return;
    await this.run('insertMessages', [
      arrayLiteral('bigint', rows.map((m) => m.subjectId)),
      arrayLiteral('text', rows.map((m) => m.messageId)),
      arrayLiteral('text', rows.map((m) => m.template)),
      arrayLiteral('text', rows.map((m) => textArrayLiteral(m.topics))),
      arrayLiteral('text', rows.map((m) => m.channel)),
      arrayLiteral('timestamptz', rows.map((m) => m.sentAt)),
    ]);
  }
  async listMessages(subjectId: number) {
    const { rows } = await this.run('listMessages', [subjectId]);
    return rows.map(
      (r): MessageRow => ({
        subjectId: Number(r.subject_id),
        messageId: String(r.message_id),
        template: String(r.template),
        topics: r.topics as string[],
        channel: r.channel as MessageRow['channel'],
        sentAt: String(r.sent_at),
      }),
    );
  }

  async upsertRequest(row: Omit<RequestRow, 'attempts'>) {
    const inserted = await this.run('insertRequest', [
      row.messageId, row.mailbox, row.kind, row.receivedAt, row.dueAt, row.outcome, row.subjectId, row.address, row.detail, row.updatedAt,
    ]);
    return { row: (await this.findRequest(row.messageId)) as RequestRow, created: inserted.rowCount === 1 };
  }
  async updateRequest(messageId: string, patch: Partial<Pick<RequestRow, 'outcome' | 'subjectId' | 'detail' | 'address' | 'updatedAt'>>) {
    const keys = Object.keys(patch).filter((k) => k in REQUEST_PATCH_COLUMNS) as (keyof typeof patch)[];
    if (keys.length === 0) return;
    const s = quoteIdent(this.store.schema);
    await this.client.query(
      `UPDATE ${s}.requests SET ${keys.map((k, i) => `${REQUEST_PATCH_COLUMNS[k]} = $${i + 2}`).join(', ')} WHERE message_id = $1`,
      [messageId, ...keys.map((k) => patch[k] ?? null)],
    );
  }
  async countRequestAttempt(messageId: string, updatedAt: string) {
    const { rows } = await this.run('countRequestAttempt', [messageId, updatedAt]);
    return rows.length ? Number(rows[0].attempts) : 0;
  }
  async findRequest(messageId: string) {
    const { rows } = await this.run('findRequest', [messageId]);
    return rows.length ? toRequest(rows[0]) : undefined;
  }
  async listRequests(subjectId: number) {
    const { rows } = await this.run('listRequests', [subjectId]);
    return rows.map(toRequest);
  }

  async eraseSubject(subjectId: number) {
    await this.run('eraseSubject', [subjectId]);
  }
  async insertErasure(row: ErasureRow) {
    await this.run('insertErasure', [row.receiptId, row.subjectId, row.at, row.outcome, row.reason, row.actorKind, row.sourceKind]);
  }
  async findErasure(receiptId: string) {
    const { rows } = await this.run('findErasure', [receiptId]);
    if (!rows.length) return undefined;
    const r = rows[0];
    return {
      receiptId: String(r.receipt_id),
      subjectId: num(r.subject_id),
      at: String(r.at),
      outcome: r.outcome as ErasureRow['outcome'],
      reason: str(r.reason),
      actorKind: String(r.actor_kind),
      sourceKind: String(r.source_kind),
    };
  }

  async getMailboxState(mailbox: string) {
    const { rows } = await this.run('getMailboxState', [mailbox]);
    if (!rows.length) return undefined;
    const r = rows[0];
    return { mailbox: String(r.mailbox), uidValidity: Number(r.uid_validity), lastUid: Number(r.last_uid), updatedAt: String(r.updated_at) };
  }
  async setMailboxState(s: MailboxState) {
    await this.run('setMailboxState', [s.mailbox, s.uidValidity, s.lastUid, s.updatedAt]);
  }
}
