import type { ConsentChange, MessageRow, NewEvent, NewSubject, PurposeChange, TokenRow } from '../store';
import { CONSENT_COLUMNS, C_CONSENT_COLUMNS, EVENT_COLUMNS, hasEvidence, PURPOSE_COLUMNS, SUBJECT_COLUMNS } from '../rows';
import { textArrayLiteral, unnestOf, type BatchColumn } from './batch';

/**
 * All SQL of the PostgreSQL dialect but the schema (migrations.ts): the named statements, the
 * batch column lists they unpack, the migration runner's and the mailbox lease's statements.
 * `{s}` stands for the quoted schema name (statementsFor).
 */

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Per connection: UTC, so instants come back in the shape isoFromTimestamptz rearranges; no JIT,
 * whose compile time (a quarter second) outweighs what it saves on these short batch statements.
 */
export const SESSION_SETUP = "SET TIME ZONE 'UTC'; SET jit = off";

/** The event was written by a transaction older than every one still running: it can no longer be overtaken. */
const SETTLED = 'xact < pg_snapshot_xmin(pg_current_snapshot())::text::bigint';

/**
 * The event feed in commit order (migration 9): only events of transactions older than every
 * transaction still running (a later reader can never find one before what it has read), ordered
 * by (transaction, id). The cursor $1 is an event id; it stands for the (transaction, id) of that
 * event, or of the nearest one before it when it is gone (an erasure deletes a person's events).
 */
function feedQuery(order: 'asc' | 'desc'): string {
  const [cmp, dir] = order === 'asc' ? ['>', 'ASC'] : ['<', 'DESC'];
  return `WITH pos AS (
      SELECT COALESCE(c.xact, ${order === 'asc' ? '-1' : '0'}) AS xact, COALESCE(c.id, $1::bigint) AS id
      FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT xact, id FROM {s}.events WHERE id <= $1::bigint ORDER BY id DESC LIMIT 1) c ON true)
    SELECT e.id, e.subject_id, e.topic, e.channel, e.at, e.source_kind, s.email, r.receipt_id,
      CASE WHEN e.action = 'erase' THEN 'erased' ELSE e.to_status END AS type
    FROM {s}.events e CROSS JOIN pos
    LEFT JOIN {s}.subjects s ON s.id = e.subject_id AND e.action <> 'erase'
    LEFT JOIN {s}.erasures r ON e.action = 'erase' AND r.subject_id = e.subject_id AND r.outcome = 'erased'
    WHERE (e.action = 'erase' OR (e.to_status IN ('confirmed', 'unsubscribed', 'bounced') AND s.id IS NOT NULL AND e.from_status IS DISTINCT FROM e.to_status))
      AND e.${SETTLED}
      AND ($1::bigint IS NULL OR (e.xact, e.id) ${cmp} (pos.xact, pos.id))
      AND (CASE WHEN e.action = 'erase' THEN 'erased' ELSE e.to_status END) = ANY($2::text[])
    ORDER BY e.xact ${dir}, e.id ${dir} LIMIT $3`;
}

const EVENT_JOINS = 'LEFT JOIN {s}.evidence v ON v.event_id = e.id LEFT JOIN {s}.consent_texts t ON t.hash = e.consent_text_hash';

export const EVENT_COLUMNS_IN: BatchColumn<NewEvent>[] = [
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
  { name: 'purpose', type: 'text', pick: (e) => e.purpose ?? null },
];

/** A purpose row with its event's id and evidence summary (the event is appended first). */
export type PurposeRowIn = PurposeChange['purpose'] & { eventId: number; who: string; source: string; at: string };
export const PURPOSE_COLUMNS_IN: BatchColumn<PurposeRowIn>[] = [
  { name: 'subject_id', type: 'bigint', pick: (p) => p.subjectId },
  { name: 'purpose', type: 'text', pick: (p) => p.purpose },
  { name: 'state', type: 'text', pick: (p) => p.state },
  { name: 'basis', type: 'text', pick: (p) => p.basis },
  { name: 'since', type: 'timestamptz', pick: (p) => p.since },
  { name: 'until', type: 'timestamptz', pick: (p) => p.until },
  { name: 'reason', type: 'text', pick: (p) => p.reason },
  { name: 'event_id', type: 'bigint', pick: (p) => p.eventId },
  { name: 'ev_who', type: 'text', pick: (p) => p.who },
  { name: 'ev_source', type: 'text', pick: (p) => p.source },
  { name: 'ev_at', type: 'timestamptz', pick: (p) => p.at },
];

/** A change: its event's columns, then its consent's; `is_last` marks the change that stands. */
export type ChangeRow = ConsentChange & { isLast: boolean };
export const CHANGE_COLUMNS_IN: BatchColumn<ChangeRow>[] = [
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

export const SUBJECT_COLUMNS_IN: BatchColumn<NewSubject>[] = [
  { name: 'email', type: 'text', pick: (r) => r.email },
  { name: 'phone', type: 'text', pick: (r) => r.phone },
  { name: 'external_id', type: 'text', pick: (r) => r.externalId },
  { name: 'name', type: 'text', pick: (r) => r.name },
  { name: 'locale', type: 'text', pick: (r) => r.locale },
  { name: 'created_at', type: 'timestamptz', pick: (r) => r.createdAt },
];

/** A token's topics cross as one array literal per row (textArrayLiteral), cast back per row. */
export const TOKEN_COLUMNS_IN: BatchColumn<TokenRow>[] = [
  { name: 'hash', type: 'bytea', pick: (t) => t.hash },
  { name: 'purpose', type: 'text', pick: (t) => t.purpose },
  { name: 'subject_id', type: 'bigint', pick: (t) => t.subjectId },
  { name: 'channel', type: 'text', pick: (t) => t.channel },
  { name: 'topics', type: 'text', pick: (t) => textArrayLiteral(t.topics) },
  { name: 'consent_text_hash', type: 'text', pick: (t) => t.consentTextHash },
  { name: 'ref', type: 'text', pick: (t) => t.ref },
  { name: 'created_at', type: 'timestamptz', pick: (t) => t.createdAt },
  { name: 'expires_at', type: 'timestamptz', pick: (t) => t.expiresAt },
  { name: 'used_at', type: 'timestamptz', pick: (t) => t.usedAt },
  { name: 'pending_name', type: 'text', pick: (t) => t.pendingName },
];

export const MESSAGE_COLUMNS_IN: BatchColumn<MessageRow>[] = [
  { name: 'subject_id', type: 'bigint', pick: (m) => m.subjectId },
  { name: 'message_id', type: 'text', pick: (m) => m.messageId },
  { name: 'template', type: 'text', pick: (m) => m.template },
  { name: 'topics', type: 'text', pick: (m) => textArrayLiteral(m.topics) },
  { name: 'channel', type: 'text', pick: (m) => m.channel },
  { name: 'sent_at', type: 'timestamptz', pick: (m) => m.sentAt },
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
                            actor_kind, source_kind, source_ref, consent_text_hash, optin_id, message_id, purpose)
    SELECT id, subject_id, topic, channel, action, from_status, to_status, basis, at, recorded_at,
           actor_kind, source_kind, source_ref, consent_text_hash, optin_id, message_id, purpose
    FROM input
  ),
  evidence AS (
    INSERT INTO {s}.evidence (event_id, subject_id, actor_name, ip, user_agent, description, proof_ref)
    SELECT id, subject_id, actor_name, ip, user_agent, description, proof_ref FROM input WHERE has_evidence
  )`;
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
      FROM ${unnestOf(SUBJECT_COLUMNS_IN as BatchColumn<never>[])}
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
  // The consent service's event feed: changes into confirmed/unsubscribed/bounced of a person still here, erasures.
  listFeedAsc: feedQuery('asc'),
  listFeedDesc: feedQuery('desc'),
  // Where a new hook starts: the newest event the feed can show (a later one may still be committing).
  lastEventId: `SELECT COALESCE((SELECT id FROM {s}.events WHERE ${SETTLED} ORDER BY xact DESC, id DESC LIMIT 1), 0) AS id`,
  countStatuses: `SELECT topic, channel, status, COUNT(*) AS n FROM {s}.consents
    GROUP BY topic, channel, status ORDER BY topic, channel, status`,

  getPurposes: `SELECT ${PURPOSE_COLUMNS} FROM {s}.purposes
    WHERE subject_id = ANY($1::bigint[]) AND ($2::text IS NULL OR purpose = $2) ORDER BY subject_id, purpose`,
  upsertPurposes: `INSERT INTO {s}.purposes (${PURPOSE_COLUMNS})
    SELECT subject_id, purpose, state, basis, since, until, reason, event_id, ev_who, ev_source, ev_at
    FROM ${unnestOf(PURPOSE_COLUMNS_IN as BatchColumn<never>[])} ORDER BY subject_id, purpose
    ON CONFLICT (subject_id, purpose) DO UPDATE SET state = EXCLUDED.state, basis = EXCLUDED.basis, since = EXCLUDED.since,
      until = EXCLUDED.until, reason = EXCLUDED.reason, event_id = EXCLUDED.event_id, ev_who = EXCLUDED.ev_who,
      ev_source = EXCLUDED.ev_source, ev_at = EXCLUDED.ev_at`,
  // A consent row a purpose change carries: it points at the purpose's event (already appended).
  upsertConsentOfEvent: `INSERT INTO {s}.consents (${CONSENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
    ON CONFLICT (subject_id, topic, channel) DO UPDATE SET status = EXCLUDED.status, basis = EXCLUDED.basis,
      since = EXCLUDED.since, invited_at = EXCLUDED.invited_at, last_sent_at = EXCLUDED.last_sent_at,
      reminders = EXCLUDED.reminders, event_id = EXCLUDED.event_id, consent_text_hash = EXCLUDED.consent_text_hash,
      ev_who = EXCLUDED.ev_who, ev_source = EXCLUDED.ev_source, ev_at = EXCLUDED.ev_at,
      ev_optin_id = EXCLUDED.ev_optin_id, ev_description = EXCLUDED.ev_description`,
  listEndedHolds: `SELECT ${SUBJECT_COLUMNS} FROM {s}.subjects WHERE hold_until IS NOT NULL AND hold_until <= $1 ORDER BY hold_until, id LIMIT $2`,
  listLapsedSubjects: `SELECT ${SUBJECT_COLUMNS} FROM {s}.subjects s
    WHERE s.id IN (SELECT subject_id FROM {s}.consents WHERE status = ANY($1::text[]) AND subject_id > $3)
      AND s.hold_until IS NULL AND s.suppressed_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM {s}.consents o WHERE o.subject_id = s.id
            AND (o.status <> ALL($1::text[]) OR o.since > $2 OR o.last_sent_at > $2))
    ORDER BY s.id LIMIT $4`,
  countPurposes: `SELECT purpose, basis, state, COUNT(*) AS n FROM {s}.purposes
    GROUP BY purpose, basis, state ORDER BY purpose, basis, state`,

  // Topic lists cross as array literals (one text per row) and are cast per row: unnest cannot
  // take an array of arrays of different lengths.
  insertTokens: `INSERT INTO {s}.tokens (hash, purpose, subject_id, channel, topics, consent_text_hash, ref, created_at, expires_at, used_at, pending_name)
    SELECT hash, purpose, subject_id, channel, topics::text[], consent_text_hash, ref, created_at, expires_at, used_at, pending_name
    FROM ${unnestOf(TOKEN_COLUMNS_IN as BatchColumn<never>[])}`,
  findToken: `SELECT hash, purpose, subject_id, channel, topics, consent_text_hash, ref, created_at, expires_at, used_at, pending_name
    FROM {s}.tokens WHERE hash = $1`,
  // Under READ COMMITTED a second claimer waits for the first to commit, then re-reads the row
  // and finds used_at set: exactly one caller gets a row back.
  claimToken: 'UPDATE {s}.tokens SET used_at = $1, pending_name = NULL WHERE hash = $2 AND used_at IS NULL',
  countTokens: 'SELECT COUNT(*) AS n FROM {s}.tokens WHERE subject_id = $1',
  clearPendingNames: 'UPDATE {s}.tokens SET pending_name = NULL WHERE subject_id = $1 AND created_at <= $2 AND pending_name IS NOT NULL',

  insertMessages: `INSERT INTO {s}.messages (subject_id, message_id, template, topics, channel, sent_at)
    SELECT subject_id, message_id, template, topics::text[], channel, sent_at
    FROM ${unnestOf(MESSAGE_COLUMNS_IN as BatchColumn<never>[])}
    ORDER BY n`,
  listMessages: 'SELECT subject_id, message_id, template, topics, channel, sent_at FROM {s}.messages WHERE subject_id = $1 ORDER BY id',
  lastMailedAt: 'SELECT subject_id, max(sent_at) AS sent_at FROM {s}.messages WHERE subject_id = ANY($1::bigint[]) GROUP BY subject_id',
  findMessage: 'SELECT subject_id, message_id, template, topics, channel, sent_at FROM {s}.messages WHERE message_id = $1 ORDER BY id LIMIT 1',

  // Two statements, not one: a row another transaction committed while this insert waited is
  // visible only to the next statement.
  insertRequest: `INSERT INTO {s}.requests (message_id, mailbox, kind, received_at, due_at, outcome, subject_id, address, detail, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (message_id) DO NOTHING`,
  findRequest: 'SELECT * FROM {s}.requests WHERE message_id = $1',
  countRequestAttempt: 'UPDATE {s}.requests SET attempts = attempts + 1, updated_at = $2 WHERE message_id = $1 RETURNING attempts',
  listRequests: 'SELECT * FROM {s}.requests WHERE subject_id = $1 ORDER BY received_at, message_id',
  lastRequestFrom: 'SELECT max(received_at) AS at FROM {s}.requests WHERE address = $1 AND channel = $2',
  // The requests register (schema 7 on): a request of another channel than the mailbox, and the filter.
  insertRegisterRequest: `INSERT INTO {s}.requests (message_id, mailbox, kind, received_at, due_at, outcome, subject_id, address, detail, updated_at, channel, handled_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (message_id) DO NOTHING`,
  queryRequests: `SELECT * FROM {s}.requests
    WHERE kind = ANY($1::text[])
      AND (NOT $2::boolean OR (closed_at IS NULL AND NOT (outcome = ANY($3::text[]))))
      AND ($4::timestamptz IS NULL OR due_at <= $4::timestamptz)
      AND ($5::timestamptz IS NULL OR (due_at, message_id) > ($5::timestamptz, $6::text))
    ORDER BY due_at, message_id LIMIT $7`,

  /**
   * The consent funnel (issue 13; the counts the ledger names in core/ledger/funnel.ts). An ask
   * (request or signup) ends at the first confirm, expire, unsubscribe, bounce or suppress of the
   * same topic and channel, or erase of the person, before the next ask; $1..$2 the asks' window.
   */
  funnelCampaigns: `WITH asks AS (
      SELECT id, subject_id, topic, channel, action, source_kind, source_ref, at,
        LEAD(id) OVER (PARTITION BY subject_id, topic, channel ORDER BY id) AS next_id
      FROM {s}.events WHERE action IN ('request', 'signup') AND topic IS NOT NULL),
    ended AS (
      SELECT a.*,
        CASE WHEN EXISTS (SELECT 1 FROM {s}.events r WHERE r.subject_id = a.subject_id AND r.topic = a.topic AND r.channel = a.channel
          AND r.id > a.id AND (a.next_id IS NULL OR r.id < a.next_id) AND r.action = 'remind') THEN 1 ELSE 0 END AS was_reminded,
        (SELECT r.action FROM {s}.events r WHERE r.subject_id = a.subject_id AND r.id > a.id AND (a.next_id IS NULL OR r.id < a.next_id)
          AND (r.action = 'erase' OR (r.topic = a.topic AND r.channel = a.channel AND r.action IN ('confirm', 'expire', 'unsubscribe', 'bounce', 'suppress')))
          ORDER BY r.id LIMIT 1) AS outcome
      FROM asks a WHERE a.at >= $1::timestamptz AND a.at <= $2::timestamptz)
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
  /** Each topic x channel's statuses at each instant of $1: a person's last event then, unless erased by then. */
  funnelStatuses: `WITH weeks AS (SELECT unnest($1::timestamptz[]) AS week_end),
    spans AS (
      SELECT id, subject_id, topic, channel, to_status, basis, at,
        LEAD(at) OVER (PARTITION BY subject_id, topic, channel ORDER BY id) AS until
      FROM {s}.events WHERE topic IS NOT NULL AND to_status IS NOT NULL AND at <= $2::timestamptz)
    SELECT w.week_end, s.topic, s.channel,
      CASE WHEN EXISTS (SELECT 1 FROM {s}.events x WHERE x.subject_id = s.subject_id AND x.id > s.id AND x.at <= w.week_end
        AND x.purpose = $3 AND x.to_status = 'withdrawn') THEN 'withdrawn' ELSE s.to_status END AS status,
      s.basis, COUNT(*) AS n
    FROM weeks w JOIN spans s ON s.at <= w.week_end AND (s.until IS NULL OR s.until > w.week_end)
    WHERE NOT EXISTS (SELECT 1 FROM {s}.events x WHERE x.subject_id = s.subject_id AND x.action = 'erase' AND x.at <= w.week_end)
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
  funnelErasures: `SELECT to_char(at, 'YYYY-MM') AS month, outcome AS kind, COUNT(*) AS n FROM {s}.erasures
    WHERE at >= $1::timestamptz AND at <= $2::timestamptz GROUP BY 1, 2 ORDER BY 1, 2`,
  funnelRequests: `SELECT to_char(received_at, 'YYYY-MM') AS month, kind, COUNT(*) AS n FROM {s}.requests
    WHERE received_at >= $1::timestamptz AND received_at <= $2::timestamptz AND kind = ANY($3::text[]) GROUP BY 1, 2 ORDER BY 1, 2`,
  funnelLeaveReasons: `SELECT month, reason AS kind, count AS n FROM {s}.leave_reasons WHERE month >= $1 AND month <= $2 ORDER BY 1, 2`,
  countLeaveReason: `INSERT INTO {s}.leave_reasons (month, reason, count) VALUES ($1, $2, 1)
       ON CONFLICT (month, reason) DO UPDATE SET count = {s}.leave_reasons.count + 1`,

  eraseSubject: `
    WITH subject AS (SELECT email FROM {s}.subjects WHERE id = $1),
    evidence AS (DELETE FROM {s}.evidence WHERE subject_id = $1),
    tokens AS (DELETE FROM {s}.tokens WHERE subject_id = $1),
    messages AS (DELETE FROM {s}.messages WHERE subject_id = $1),
    consents AS (DELETE FROM {s}.consents WHERE subject_id = $1),
    purposes AS (DELETE FROM {s}.purposes WHERE subject_id = $1),
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

export type StatementName = keyof typeof SQL;

/** The tables Store.updateSubject and Store.updateRequest patch, by the column that names the row. */
const PATCH_KEY = { subjects: 'id', requests: 'message_id' } as const;

export interface Statements {
  /** The schema's name, quoted. */
  readonly schema: string;
  text(name: StatementName): string;
  /** UPDATE of the given columns of one row: $1 names the row, $2… are the columns' values. */
  update(table: keyof typeof PATCH_KEY, columns: string[]): string;
}

export function statementsFor(schema: string): Statements {
  const s = quoteIdent(schema);
  const texts = Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, text.replaceAll('{s}', s)])) as Record<StatementName, string>;
  return {
    schema: s,
    text: (name) => texts[name],
    update: (table, columns) => `UPDATE ${s}.${table} SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE ${PATCH_KEY[table]} = $1`,
  };
}

// ------------------------------------------------------------------------------------------ migrate

const MIGRATION_LOCK = 'n8n-nodes-consent migrate';

/** The migration runner's statements for schema `name` (`s`: the same, quoted). */
export function migrationSql(name: string) {
  const s = quoteIdent(name);
  return {
    lock: { text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', values: [`${MIGRATION_LOCK} ${name}`] },
    schemaExists: { text: 'SELECT 1 FROM pg_namespace WHERE nspname = $1', values: [name] },
    createSchema: `CREATE SCHEMA ${s}`,
    createVersions: `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    currentVersion: `SELECT COALESCE(MAX(version), 0) AS v FROM ${s}.schema_migrations`,
    /** A migration's SQL names the schema as {schema}. */
    migration: (sql: string) => sql.replaceAll('{schema}', s),
    recordVersion: `INSERT INTO ${s}.schema_migrations (version) VALUES ($1)`,
  };
}

// ------------------------------------------------------------------------------------------ lease

const MAILBOX_LOCK = 'n8n-nodes-consent mailbox';

/** A mailbox lease: a session advisory lock keyed by schema and mailbox. */
export const LEASE_SQL = {
  key: (schema: string, mailbox: string) => `${MAILBOX_LOCK} ${schema} ${mailbox}`,
  tryLock: 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held',
  /** The backend to cancel on abort, and a lock_timeout that ends each wait after `sliceMs`. */
  prepareWait: (sliceMs: number) => `SELECT pg_backend_pid() AS pid, set_config('lock_timeout', '${sliceMs}', false)`,
  lock: 'SELECT pg_advisory_lock(hashtextextended($1, 0))',
  resetTimeout: 'RESET lock_timeout',
  cancel: 'SELECT pg_cancel_backend($1)',
  heartbeat: 'SELECT 1',
  unlock: 'SELECT pg_advisory_unlock(hashtextextended($1, 0))',
};
/** SQLSTATEs of a lock wait that ended without the lock: 55P03 lock_not_available (the slice), 57014 query_canceled (the abort). */
export const LOCK_WAIT_ENDED = ['55P03', '57014'];
