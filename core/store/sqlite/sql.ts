import { CONSENT_COLUMNS, C_CONSENT_COLUMNS, EVENT_COLUMNS, PURPOSE_COLUMNS, SUBJECT_COLUMNS } from '../rows';

/**
 * All SQL of the SQLite dialect but the schema (migrations.ts). Statements are built once: the
 * store's statement cache is keyed by the SQL text.
 */

/** At open: WAL, so readers do not block the writer; a busy timeout, so n8n and the mailbox worker can share one file; secure_delete, so erased PII is overwritten rather than left in free pages. */
export const OPEN_PRAGMAS = ['PRAGMA busy_timeout = 10000', 'PRAGMA journal_mode = WAL', 'PRAGMA synchronous = FULL', 'PRAGMA secure_delete = ON'];
/** Moves everything from the write-ahead log into the database file and empties the log. */
export const CHECKPOINT = 'PRAGMA wal_checkpoint(TRUNCATE)';
export const SCHEMA_VERSION = 'PRAGMA user_version';
export const setSchemaVersion = (version: number) => `PRAGMA user_version = ${version}`;

const EVENT_JOINS = 'LEFT JOIN evidence v ON v.event_id = e.id LEFT JOIN consent_texts t ON t.hash = e.consent_text_hash';

/** check: the unique index on each identity column holds the subject id, so no subject row is read. */
const checkBy = (column: string) => `SELECT s.id AS sid, ${C_CONSENT_COLUMNS} FROM subjects s
     LEFT JOIN consents c ON c.subject_id = s.id AND c.topic = ?2 AND c.channel = ?3 WHERE s.${column} = ?1`;

const pendingBy = (column: string) => `SELECT ${CONSENT_COLUMNS} FROM consents
       WHERE status IN (SELECT value FROM json_each(?1)) AND ${column} <= ?2
         AND (?3 IS NULL OR reminders < ?3) AND (?4 IS NULL OR topic = ?4) AND (?5 IS NULL OR channel = ?5)
       ORDER BY ${column}, subject_id LIMIT ?6`;

export const SQL = {
  getMeta: 'SELECT value FROM meta WHERE key = ?',
  insertMetaIfAbsent: 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
  setMeta: 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',

  hasSuppressions: 'SELECT 1 AS x FROM suppressions LIMIT 1',
  isSuppressed: 'SELECT 1 AS x FROM suppressions WHERE hash = ?',
  addSuppression: 'INSERT OR IGNORE INTO suppressions (hash, reason, at) VALUES (?, ?, ?)',
  removeSuppression: 'DELETE FROM suppressions WHERE hash = ?',
  insertSuppressionLift:
    'INSERT INTO suppression_lifts (at, lifted, actor_kind, actor_name, source_kind, proof_ref, description) VALUES (?, ?, ?, ?, ?, ?, ?)',
  listSuppressionLifts: 'SELECT * FROM suppression_lifts ORDER BY id',

  subjectBy: {
    id: `SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE id = ?`,
    email: `SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE email = ?`,
    phone: `SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE phone = ?`,
    externalId: `SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE external_id = ?`,
  },
  /** A batch (an import): one statement for all, each kind of identifier as a JSON list. */
  findSubjects: ['id', 'email', 'phone', 'external_id']
    .map((column, k) => `SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE ${column} IN (SELECT value FROM json_each(?${k + 1}))`)
    .join(' UNION '),
  insertSubject: 'INSERT INTO subjects (email, phone, external_id, name, locale, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  listSubjectIdsWithEmail: 'SELECT id FROM subjects WHERE id > ? AND email IS NOT NULL ORDER BY id LIMIT ?',
  listPhoneSubjects: `SELECT s.id, s.phone, s.name FROM subjects s JOIN consents c ON c.subject_id = s.id AND c.topic = ? AND c.channel = 'phone'
       WHERE s.id > ? AND s.phone IS NOT NULL ORDER BY s.id LIMIT ?`,

  consentsOf: `SELECT ${CONSENT_COLUMNS} FROM consents WHERE subject_id = ?1 AND (?2 IS NULL OR topic = ?2) AND (?3 IS NULL OR channel = ?3)`,
  checkBy: { email: checkBy('email'), phone: checkBy('phone'), externalId: checkBy('external_id'), id: checkBy('id') },
  suppressedAtOf: 'SELECT suppressed_at FROM subjects WHERE id = ?',
  pendingBy: { invitedAt: pendingBy('invited_at'), lastSentAt: pendingBy('last_sent_at') },
  upsertConsent: `INSERT INTO consents (${CONSENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (subject_id, topic, channel) DO UPDATE SET status = excluded.status, basis = excluded.basis,
    since = excluded.since, invited_at = excluded.invited_at, last_sent_at = excluded.last_sent_at,
    reminders = excluded.reminders, event_id = excluded.event_id, consent_text_hash = excluded.consent_text_hash,
    ev_who = excluded.ev_who, ev_source = excluded.ev_source, ev_at = excluded.ev_at,
    ev_optin_id = excluded.ev_optin_id, ev_description = excluded.ev_description`,
  insertConsentText: 'INSERT OR IGNORE INTO consent_texts (hash, text) VALUES (?, ?)',
  insertEvent: `INSERT INTO events (subject_id, topic, channel, action, from_status, to_status, basis, at, recorded_at,
           actor_kind, source_kind, source_ref, consent_text_hash, optin_id, message_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  /** A purpose's event (schema 7 on); a topic's uses insertEvent, so a ledger left at an older version still takes it. */
  insertPurposeEvent: `INSERT INTO events (subject_id, topic, channel, action, from_status, to_status, basis, at, recorded_at,
           actor_kind, source_kind, source_ref, consent_text_hash, optin_id, message_id, purpose)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertEvidence: 'INSERT INTO evidence (event_id, subject_id, actor_name, ip, user_agent, description, proof_ref) VALUES (?, ?, ?, ?, ?, ?, ?)',
  listEvents: `SELECT ${EVENT_COLUMNS} FROM events e ${EVENT_JOINS} WHERE e.subject_id = ? ORDER BY e.id`,
  /** The same on a ledger before schema 7 (only a test opens one): no purpose column. */
  listEventsBefore7: `SELECT ${EVENT_COLUMNS.replace('e.purpose, ', '')} FROM events e ${EVENT_JOINS} WHERE e.subject_id = ? ORDER BY e.id`,
  // The consent service's event feed: changes into confirmed/unsubscribed/bounced of a person still here, erasures.
  listFeedAsc: `SELECT e.id, e.subject_id, e.topic, e.channel, e.at, e.source_kind, s.email, r.receipt_id,
      CASE WHEN e.action = 'erase' THEN 'erased' ELSE e.to_status END AS type
    FROM events e
    LEFT JOIN subjects s ON s.id = e.subject_id AND e.action <> 'erase'
    LEFT JOIN erasures r ON e.action = 'erase' AND r.subject_id = e.subject_id AND r.outcome = 'erased'
    WHERE (e.action = 'erase' OR (e.to_status IN ('confirmed', 'unsubscribed', 'bounced') AND s.id IS NOT NULL AND e.from_status IS NOT e.to_status))
      AND (?1 IS NULL OR e.id > ?1) AND (CASE WHEN e.action = 'erase' THEN 'erased' ELSE e.to_status END) IN (SELECT value FROM json_each(?2))
    ORDER BY e.id LIMIT ?3`,
  listFeedDesc: `SELECT e.id, e.subject_id, e.topic, e.channel, e.at, e.source_kind, s.email, r.receipt_id,
      CASE WHEN e.action = 'erase' THEN 'erased' ELSE e.to_status END AS type
    FROM events e
    LEFT JOIN subjects s ON s.id = e.subject_id AND e.action <> 'erase'
    LEFT JOIN erasures r ON e.action = 'erase' AND r.subject_id = e.subject_id AND r.outcome = 'erased'
    WHERE (e.action = 'erase' OR (e.to_status IN ('confirmed', 'unsubscribed', 'bounced') AND s.id IS NOT NULL AND e.from_status IS NOT e.to_status))
      AND (?1 IS NULL OR e.id < ?1) AND (CASE WHEN e.action = 'erase' THEN 'erased' ELSE e.to_status END) IN (SELECT value FROM json_each(?2))
    ORDER BY e.id DESC LIMIT ?3`,
  lastEventId: 'SELECT COALESCE(MAX(id), 0) AS id FROM events',
  countStatuses: 'SELECT topic, channel, status, COUNT(*) AS n FROM consents GROUP BY topic, channel, status ORDER BY topic, channel, status',

  purposesOf: `SELECT ${PURPOSE_COLUMNS} FROM purposes WHERE subject_id = ?1 AND (?2 IS NULL OR purpose = ?2) ORDER BY purpose`,
  upsertPurpose: `INSERT INTO purposes (${PURPOSE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (subject_id, purpose) DO UPDATE SET state = excluded.state, basis = excluded.basis, since = excluded.since,
    until = excluded.until, reason = excluded.reason, event_id = excluded.event_id, ev_who = excluded.ev_who,
    ev_source = excluded.ev_source, ev_at = excluded.ev_at`,
  listEndedHolds: `SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE hold_until IS NOT NULL AND hold_until <= ? ORDER BY hold_until, id LIMIT ?`,
  listLapsedSubjects: `SELECT ${SUBJECT_COLUMNS} FROM subjects
       WHERE id IN (SELECT subject_id FROM consents WHERE status IN (SELECT value FROM json_each(?1)) AND subject_id > ?3)
         AND hold_until IS NULL AND suppressed_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM consents o WHERE o.subject_id = subjects.id
               AND (o.status NOT IN (SELECT value FROM json_each(?1)) OR o.since > ?2 OR o.last_sent_at > ?2))
       ORDER BY id LIMIT ?4`,
  countPurposes: 'SELECT purpose, basis, state, COUNT(*) AS n FROM purposes GROUP BY purpose, basis, state ORDER BY purpose, basis, state',

  insertToken: `INSERT INTO tokens (hash, purpose, subject_id, channel, topics, consent_text_hash, ref, pending_name, created_at, expires_at, used_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  findToken: 'SELECT * FROM tokens WHERE hash = ?',
  claimToken: 'UPDATE tokens SET used_at = ?, pending_name = NULL WHERE hash = ? AND used_at IS NULL',
  clearPendingNames: 'UPDATE tokens SET pending_name = NULL WHERE subject_id = ? AND created_at <= ? AND pending_name IS NOT NULL',
  countTokens: 'SELECT COUNT(*) AS n FROM tokens WHERE subject_id = ?',

  insertMessage: 'INSERT INTO messages (subject_id, message_id, template, topics, channel, sent_at) VALUES (?, ?, ?, ?, ?, ?)',
  listMessages: 'SELECT * FROM messages WHERE subject_id = ? ORDER BY id',
  lastMailedAt: 'SELECT subject_id, max(sent_at) AS sent_at FROM messages WHERE subject_id IN (SELECT value FROM json_each(?1)) GROUP BY subject_id',
  findMessage: 'SELECT * FROM messages WHERE message_id = ? ORDER BY id LIMIT 1',

  insertRequest: `INSERT INTO requests (message_id, mailbox, kind, received_at, due_at, outcome, subject_id, address, detail, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
  countRequestAttempt: 'UPDATE requests SET attempts = attempts + 1, updated_at = ? WHERE message_id = ? RETURNING attempts',
  findRequest: 'SELECT * FROM requests WHERE message_id = ?',
  listRequests: 'SELECT * FROM requests WHERE subject_id = ? ORDER BY received_at',
  lastRequestFrom: 'SELECT max(received_at) AS at FROM requests WHERE address = ? AND channel = ?',
  // The requests register (schema 8 on): a request of another channel than the mailbox, and the filter.
  insertRegisterRequest: `INSERT INTO requests (message_id, mailbox, kind, received_at, due_at, outcome, subject_id, address, detail, updated_at, channel, handled_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
  queryRequests: `SELECT * FROM requests
    WHERE kind IN (SELECT value FROM json_each(?1))
      AND (?2 = 0 OR (closed_at IS NULL AND outcome NOT IN (SELECT value FROM json_each(?3))))
      AND (?4 IS NULL OR due_at <= ?4)
      AND (?5 IS NULL OR due_at > ?5 OR (due_at = ?5 AND message_id > ?6))
    ORDER BY due_at, message_id LIMIT ?7`,

  /** In this order; the request log keeps its rows without the address. */
  eraseSubject: [
    'DELETE FROM evidence WHERE subject_id = ?',
    'DELETE FROM tokens WHERE subject_id = ?',
    'DELETE FROM messages WHERE subject_id = ?',
    'DELETE FROM consents WHERE subject_id = ?',
    'DELETE FROM purposes WHERE subject_id = ?',
    'UPDATE requests SET address = NULL WHERE subject_id = ?1 OR address = (SELECT email FROM subjects WHERE id = ?1)',
    'DELETE FROM subjects WHERE id = ?',
  ],
  insertErasure: 'INSERT INTO erasures (receipt_id, subject_id, at, outcome, reason, actor_kind, source_kind) VALUES (?, ?, ?, ?, ?, ?, ?)',
  findErasure: 'SELECT * FROM erasures WHERE receipt_id = ?',

  /**
   * The consent funnel (issue 13; the counts the ledger names in core/ledger/funnel.ts). An ask
   * (request or signup) ends at the first confirm, expire, unsubscribe, bounce or suppress of the
   * same topic and channel, or erase of the person, before the next ask; ?1..?2 the asks' window.
   */
  funnelCampaigns: `WITH asks AS (
      SELECT id, subject_id, topic, channel, action, source_kind, source_ref, at,
        LEAD(id) OVER (PARTITION BY subject_id, topic, channel ORDER BY id) AS next_id
      FROM events WHERE action IN ('request', 'signup') AND topic IS NOT NULL),
    ended AS (
      SELECT a.*,
        CASE WHEN EXISTS (SELECT 1 FROM events r WHERE r.subject_id = a.subject_id AND r.topic = a.topic AND r.channel = a.channel
          AND r.id > a.id AND (a.next_id IS NULL OR r.id < a.next_id) AND r.action = 'remind') THEN 1 ELSE 0 END AS was_reminded,
        (SELECT r.action FROM events r WHERE r.subject_id = a.subject_id AND r.id > a.id AND (a.next_id IS NULL OR r.id < a.next_id)
          AND (r.action = 'erase' OR (r.topic = a.topic AND r.channel = a.channel AND r.action IN ('confirm', 'expire', 'unsubscribe', 'bounce', 'suppress')))
          ORDER BY r.id LIMIT 1) AS outcome
      FROM asks a WHERE a.at >= ?1 AND a.at <= ?2)
    SELECT action, source_kind, source_ref, topic, channel, MIN(at) AS first_at, MAX(at) AS last_at, COUNT(*) AS invited,
      SUM(was_reminded) AS reminded,
      SUM(CASE WHEN outcome = 'confirm' THEN 1 ELSE 0 END) AS confirmed,
      SUM(CASE WHEN outcome = 'expire' THEN 1 ELSE 0 END) AS expired,
      SUM(CASE WHEN outcome = 'unsubscribe' THEN 1 ELSE 0 END) AS unsubscribed,
      SUM(CASE WHEN outcome = 'bounce' THEN 1 ELSE 0 END) AS bounced,
      SUM(CASE WHEN outcome IN ('erase', 'suppress') THEN 1 ELSE 0 END) AS erased,
      SUM(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END) AS open
    FROM ended GROUP BY action, source_kind, source_ref, topic, channel
    ORDER BY first_at, action, source_kind, source_ref, topic, channel`,
  /** Each topic x channel's statuses at each instant of ?1 (a JSON list): a person's last event then, unless erased by then. */
  funnelStatuses: `WITH weeks AS (SELECT value AS week_end FROM json_each(?1)),
    spans AS (
      SELECT id, subject_id, topic, channel, to_status, basis, at,
        LEAD(at) OVER (PARTITION BY subject_id, topic, channel ORDER BY id) AS until
      FROM events WHERE topic IS NOT NULL AND to_status IS NOT NULL AND at <= ?2)
    SELECT w.week_end, s.topic, s.channel,
      CASE WHEN EXISTS (SELECT 1 FROM events x WHERE x.subject_id = s.subject_id AND x.id > s.id AND x.at <= w.week_end
        AND x.purpose = ?3 AND x.to_status = 'withdrawn') THEN 'withdrawn' ELSE s.to_status END AS status,
      s.basis, COUNT(*) AS n
    FROM weeks w JOIN spans s ON s.at <= w.week_end AND (s.until IS NULL OR s.until > w.week_end)
    WHERE NOT EXISTS (SELECT 1 FROM events x WHERE x.subject_id = s.subject_id AND x.action = 'erase' AND x.at <= w.week_end)
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
  funnelErasures: `SELECT substr(at, 1, 7) AS month, outcome AS kind, COUNT(*) AS n FROM erasures
    WHERE at >= ?1 AND at <= ?2 GROUP BY 1, 2 ORDER BY 1, 2`,
  funnelRequests: `SELECT substr(received_at, 1, 7) AS month, kind, COUNT(*) AS n FROM requests
    WHERE received_at >= ?1 AND received_at <= ?2 AND kind IN (SELECT value FROM json_each(?3)) GROUP BY 1, 2 ORDER BY 1, 2`,
  funnelLeaveReasons: `SELECT month, reason AS kind, count AS n FROM leave_reasons WHERE month >= ?1 AND month <= ?2 ORDER BY 1, 2`,
  countLeaveReason: `INSERT INTO leave_reasons (month, reason, count) VALUES (?, ?, 1)
       ON CONFLICT (month, reason) DO UPDATE SET count = leave_reasons.count + 1`,

  getMailboxState: 'SELECT * FROM mailboxes WHERE mailbox = ?',
  setMailboxState: `INSERT INTO mailboxes (mailbox, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (mailbox) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`,
};

/** The tables Store.updateSubject and Store.updateRequest patch, by the column that names the row. */
const PATCH_KEY = { subjects: 'id', requests: 'message_id' } as const;

/** UPDATE of the given columns of one row: the columns' values first, then the row's key. */
export function updateSql(table: keyof typeof PATCH_KEY, columns: string[]): string {
  return `UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE ${PATCH_KEY[table]} = ?`;
}
