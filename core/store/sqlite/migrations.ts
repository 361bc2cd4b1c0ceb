/**
 * The SQLite schema, as numbered migrations applied at open (PRAGMA user_version holds the number).
 * Never edit a migration that has shipped: add the next one.
 */
export const SQLITE_MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- The only row with a person's identity in it: erasure deletes it.
CREATE TABLE subjects (
  id INTEGER PRIMARY KEY,
  email TEXT UNIQUE,
  phone TEXT UNIQUE,
  external_id TEXT UNIQUE,
  name TEXT,
  locale TEXT,
  created_at TEXT NOT NULL,
  hold_reason TEXT,
  hold_until TEXT,
  suppressed_at TEXT
);

-- Current state per subject x topic x channel, derived from events, written in the same transaction.
CREATE TABLE consents (
  subject_id INTEGER NOT NULL,
  topic TEXT NOT NULL,
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  basis TEXT NOT NULL,
  since TEXT NOT NULL,
  invited_at TEXT,
  last_sent_at TEXT,
  reminders INTEGER NOT NULL DEFAULT 0,
  event_id INTEGER NOT NULL,
  -- a copy of that event's evidence summary, so check reads one row (PII: erased with the row)
  consent_text_hash TEXT,
  ev_who TEXT,
  ev_source TEXT,
  ev_at TEXT NOT NULL,
  ev_optin_id TEXT,
  ev_description TEXT,
  PRIMARY KEY (subject_id, topic, channel)
) WITHOUT ROWID;
CREATE INDEX consents_by_status ON consents (status, topic, channel);

CREATE TABLE consent_texts (hash TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID;

-- Append-only. No PII here: that is in evidence, keyed by event id.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  subject_id INTEGER NOT NULL,
  topic TEXT,
  channel TEXT,
  action TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  basis TEXT,
  at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  actor_kind TEXT NOT NULL,
  source_kind TEXT NOT NULL,
  source_ref TEXT,
  consent_text_hash TEXT,
  optin_id TEXT,
  message_id TEXT
);
CREATE INDEX events_by_subject ON events (subject_id);

CREATE TABLE evidence (
  event_id INTEGER PRIMARY KEY,
  subject_id INTEGER NOT NULL,
  actor_name TEXT,
  ip TEXT,
  user_agent TEXT,
  description TEXT,
  proof_ref TEXT
);
CREATE INDEX evidence_by_subject ON evidence (subject_id);

CREATE TABLE tokens (
  hash BLOB PRIMARY KEY,
  purpose TEXT NOT NULL,
  subject_id INTEGER,
  channel TEXT,
  topics TEXT NOT NULL,
  consent_text_hash TEXT,
  ref TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
) WITHOUT ROWID;
CREATE INDEX tokens_by_subject ON tokens (subject_id);

CREATE TABLE suppressions (hash BLOB PRIMARY KEY, reason TEXT NOT NULL, at TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE erasures (
  receipt_id TEXT PRIMARY KEY,
  subject_id INTEGER,
  at TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT,
  actor_kind TEXT NOT NULL,
  source_kind TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  subject_id INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  template TEXT NOT NULL,
  topics TEXT NOT NULL,
  channel TEXT NOT NULL,
  sent_at TEXT NOT NULL
);
CREATE INDEX messages_by_subject ON messages (subject_id);

CREATE TABLE requests (
  message_id TEXT PRIMARY KEY,
  mailbox TEXT NOT NULL,
  kind TEXT NOT NULL,
  received_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  outcome TEXT NOT NULL,
  subject_id INTEGER,
  address TEXT,
  detail TEXT,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX requests_by_subject ON requests (subject_id);

CREATE TABLE mailboxes (
  mailbox TEXT PRIMARY KEY,
  uid_validity INTEGER NOT NULL,
  last_uid INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
`,
  },
  {
    // A subject id is never used twice. Events, erasure receipts and requests keep the id of a
    // person after their erasure; without AUTOINCREMENT SQLite handed the highest erased id to the
    // next new person, who then saw the erased person's history. SQLite cannot alter a primary
    // key, so the table is rebuilt (no table declares a foreign key to it here), and the sequence
    // starts past every id any row still names. A ledger where the reuse already happened is
    // repaired as far as the rows prove it: what a live subject's id carries up to an erasure of
    // that id (events up to the erase event, receipts and requests of that time or earlier)
    // belonged to the erased person and moves to a fresh id no one has.
    version: 2,
    sql: `
CREATE TABLE subjects_v2 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT UNIQUE,
  phone TEXT UNIQUE,
  external_id TEXT UNIQUE,
  name TEXT,
  locale TEXT,
  created_at TEXT NOT NULL,
  hold_reason TEXT,
  hold_until TEXT,
  suppressed_at TEXT
);
INSERT INTO subjects_v2 (id, email, phone, external_id, name, locale, created_at, hold_reason, hold_until, suppressed_at)
  SELECT id, email, phone, external_id, name, locale, created_at, hold_reason, hold_until, suppressed_at FROM subjects;
DROP TABLE subjects;
ALTER TABLE subjects_v2 RENAME TO subjects;

DELETE FROM sqlite_sequence WHERE name = 'subjects';
INSERT INTO sqlite_sequence (name, seq) SELECT 'subjects', MAX(id) FROM (
  SELECT 0 AS id
  UNION ALL SELECT MAX(id) FROM subjects
  UNION ALL SELECT MAX(subject_id) FROM events
  UNION ALL SELECT MAX(subject_id) FROM evidence
  UNION ALL SELECT MAX(subject_id) FROM consents
  UNION ALL SELECT MAX(subject_id) FROM tokens
  UNION ALL SELECT MAX(subject_id) FROM messages
  UNION ALL SELECT MAX(subject_id) FROM requests
  UNION ALL SELECT MAX(subject_id) FROM erasures
);

CREATE TEMP TABLE reused_ids AS
  SELECT s.id AS old_id, MAX(e.id) AS erase_event, MAX(e.recorded_at) AS erased_at,
         (SELECT seq FROM sqlite_sequence WHERE name = 'subjects') + ROW_NUMBER() OVER (ORDER BY s.id) AS new_id
  FROM subjects s JOIN events e ON e.subject_id = s.id AND e.action = 'erase'
  GROUP BY s.id;
UPDATE events SET subject_id = (SELECT r.new_id FROM reused_ids r WHERE r.old_id = events.subject_id)
  WHERE EXISTS (SELECT 1 FROM reused_ids r WHERE r.old_id = events.subject_id AND events.id <= r.erase_event);
UPDATE erasures SET subject_id = (SELECT r.new_id FROM reused_ids r WHERE r.old_id = erasures.subject_id)
  WHERE EXISTS (SELECT 1 FROM reused_ids r WHERE r.old_id = erasures.subject_id AND erasures.at <= r.erased_at);
UPDATE requests SET subject_id = (SELECT r.new_id FROM reused_ids r WHERE r.old_id = requests.subject_id)
  WHERE EXISTS (SELECT 1 FROM reused_ids r WHERE r.old_id = requests.subject_id AND requests.received_at <= r.erased_at);
UPDATE sqlite_sequence SET seq = seq + (SELECT COUNT(*) FROM reused_ids) WHERE name = 'subjects';
DROP TABLE temp.reused_ids;
`,
  },
  {
    // A name is what the person gave in a request they confirmed. A signup's name waits on the
    // row of its link until that link is used; only then does it become the subject's name. Names
    // with a line break (accepted before inputs refused them) would break every mail to the
    // address, and no person gave such a name: they are dropped.
    version: 3,
    sql: `
ALTER TABLE tokens ADD COLUMN pending_name TEXT;
UPDATE subjects SET name = NULL WHERE instr(name, char(13)) > 0 OR instr(name, char(10)) > 0 OR instr(name, char(0)) > 0;
`,
  },
  {
    // An operator may lift a suppression made in error (a typo), only with proof. The lift is
    // recorded here: who, when, on what proof; no address and no hash (the person may not exist).
    version: 4,
    sql: `
CREATE TABLE suppression_lifts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  lifted INTEGER NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_name TEXT,
  source_kind TEXT NOT NULL,
  proof_ref TEXT,
  description TEXT
);
`,
  },
  {
    // Attempts at handling a request mail, counted in the request log so they outlive the process:
    // a mail that keeps failing goes to review after the limit, also under --once and restarts.
    version: 5,
    sql: `
ALTER TABLE requests ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
`,
  },
  {
    // An abuse report (RFC 5965) names the Message-ID of the mail complained about: found here.
    version: 6,
    sql: `
CREATE INDEX messages_by_message_id ON messages (message_id);
`,
  },
  {
    // Purposes (issue 16): why each person is held, on which legal basis (GDPR Art. 6(1)). One row
    // per subject x purpose, written with its event (events.purpose names it). An existing ledger
    // gets 'emarketing' for the people who have topics, on the strongest basis their contactable
    // topics hold (so nothing allowed before is denied now), and nothing else.
    version: 7,
    sql: `
CREATE TABLE purposes (
  subject_id INTEGER NOT NULL,
  purpose TEXT NOT NULL,
  state TEXT NOT NULL,
  basis TEXT NOT NULL,
  since TEXT NOT NULL,
  until TEXT,
  reason TEXT,
  event_id INTEGER NOT NULL,
  ev_who TEXT,
  ev_source TEXT,
  ev_at TEXT NOT NULL,
  PRIMARY KEY (subject_id, purpose)
) WITHOUT ROWID;
CREATE INDEX purposes_by_state ON purposes (purpose, basis, state);
ALTER TABLE events ADD COLUMN purpose TEXT;

INSERT INTO events (subject_id, topic, channel, purpose, action, from_status, to_status, basis, at, recorded_at, actor_kind, source_kind, source_ref)
SELECT subject_id, NULL, NULL, 'emarketing', 'migrate', 'none', 'active',
       CASE WHEN SUM(status IN ('confirmed', 'subscribed') AND basis = 'consent') > 0 THEN 'consent'
            WHEN SUM(status IN ('confirmed', 'subscribed') AND basis = 'contract') > 0 THEN 'contract'
            WHEN SUM(status IN ('confirmed', 'subscribed') AND basis = 'legitimate_interest') > 0 THEN 'legitimate_interest'
            ELSE 'none' END,
       MIN(since), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'system', 'migration', 'schema 7: e-marketing for existing topics'
FROM consents GROUP BY subject_id ORDER BY subject_id;
INSERT INTO purposes (subject_id, purpose, state, basis, since, until, reason, event_id, ev_who, ev_source, ev_at)
SELECT subject_id, purpose, to_status, basis, at, NULL, NULL, id, actor_kind, source_ref, at
FROM events WHERE action = 'migrate' AND purpose = 'emarketing';
`,
  },
  {
    // The requests register (issue 13): every request, whatever its channel (mail, CLI, node,
    // operator), with who handled it; an extension of the answer's term (GDPR Art. 12(3): once,
    // two more months, with its reason) and a close by hand with its note. due_at is the term in
    // force (received + one month, or + three when extended).
    version: 8,
    sql: `
ALTER TABLE requests ADD COLUMN channel TEXT NOT NULL DEFAULT 'mail';
ALTER TABLE requests ADD COLUMN handled_by TEXT;
ALTER TABLE requests ADD COLUMN extended_at TEXT;
ALTER TABLE requests ADD COLUMN extension_reason TEXT;
ALTER TABLE requests ADD COLUMN closed_at TEXT;
ALTER TABLE requests ADD COLUMN close_note TEXT;
CREATE INDEX requests_by_due ON requests (due_at, message_id);
`,
  },
  {
    // "Why are you leaving?" on the unsubscribe page (issue 13): a count per month and fixed
    // reason, nothing else: no person, no time of day, no free text.
    version: 9,
    sql: `
CREATE TABLE leave_reasons (
  month TEXT NOT NULL,
  reason TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (month, reason)
) WITHOUT ROWID;
`,
  },
];
