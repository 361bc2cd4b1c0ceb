import type { Action } from '../consent/transitions';
import type { Basis, Channel, Status, StatusOrNone } from '../consent/statuses';
import type { TokenPurpose } from '../tokens';

/**
 * The Store: what the ledger needs from a database, and nothing about rules. Every dialect
 * (sqlite/, postgres/) implements it and passes the same contract suite (test/store/contract.ts).
 * Operations take and return arrays so a dialect can do a batch in one statement.
 * Instants cross this interface as ISO 8601 UTC strings.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction: all of it commits, or none of it. Serialised per subject. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** After an erasure commits: make sure no copy of the erased bytes lingers (SQLite's WAL). */
  flushErased?(): Promise<void>;
  close(): Promise<void>;
}

export interface SubjectRow {
  id: number;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  name: string | null;
  locale: string | null;
  createdAt: string;
  holdReason: string | null;
  holdUntil: string | null;
  suppressedAt: string | null;
}

export type NewSubject = Pick<SubjectRow, 'email' | 'phone' | 'externalId' | 'name' | 'locale' | 'createdAt'>;

export interface ConsentRow {
  subjectId: number;
  topic: string;
  channel: Channel;
  status: Status;
  basis: Basis;
  since: string; // when the current status began
  invitedAt: string | null; // first invitation or signup of the pending period
  lastSentAt: string | null; // last invitation, signup mail or reminder
  reminders: number;
  eventId: number; // the event that set the current status: its evidence
}

/** One status change: the consent row to write and the event (with its evidence) to append. */
export interface ConsentChange {
  consent: Omit<ConsentRow, 'eventId'>;
  event: NewEvent;
}

export interface NewEvent {
  subjectId: number;
  topic: string | null;
  channel: Channel | null;
  action: Action | 'erase' | 'hold' | 'release';
  fromStatus: StatusOrNone | null;
  toStatus: Status | null;
  basis: Basis | null;
  at: string; // when it happened (an imported consent's own date)
  recordedAt: string; // when the ledger learned of it
  actorKind: string;
  sourceKind: string;
  sourceRef: string | null;
  consentText: string | null; // stored once per distinct text, referenced by hash
  consentTextHash: string | null;
  optinId: string | null;
  messageId: string | null;
  // PII, held apart (evidence table) and removed on erasure:
  actorName: string | null;
  ip: string | null;
  userAgent: string | null;
  description: string | null;
  proofRef: string | null;
}

export interface EventRow extends NewEvent {
  id: number;
}

export interface TokenRow {
  hash: Buffer;
  purpose: TokenPurpose;
  subjectId: number | null;
  channel: Channel | null;
  topics: string[];
  consentTextHash: string | null;
  ref: string | null; // e.g. the request (mail) an erase verification belongs to
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface MessageRow {
  subjectId: number;
  messageId: string;
  template: string;
  topics: string[];
  channel: Channel;
  sentAt: string;
}

export interface RequestRow {
  messageId: string; // the mail's Message-ID: requests are idempotent by it
  mailbox: string;
  kind: string; // unsubscribe | erase | access | bounce | auto_reply | unknown
  receivedAt: string;
  dueAt: string; // received + one month (GDPR Art. 12(3))
  outcome: string;
  subjectId: number | null;
  address: string | null; // PII: removed on erasure
  detail: string | null;
  updatedAt: string;
}

export interface ErasureRow {
  receiptId: string;
  subjectId: number | null;
  at: string;
  outcome: 'erased' | 'suppressed' | 'not_found';
  reason: string | null;
  actorKind: string;
  sourceKind: string;
}

export interface MailboxState {
  mailbox: string;
  uidValidity: number;
  lastUid: number;
  updatedAt: string;
}

export interface SubjectLookup {
  emails?: string[];
  phones?: string[];
  externalIds?: string[];
  ids?: number[];
}

export interface ConsentKey {
  subjectId: number;
  topic: string;
  channel: Channel;
}

export interface PendingQuery {
  statuses: Status[];
  /** rows whose `column` is at or before this instant */
  column: 'invitedAt' | 'lastSentAt';
  before: string;
  maxReminders?: number; // only rows with fewer reminders
  topic?: string;
  channel?: Channel;
  limit: number;
}

export interface StatusCount {
  topic: string;
  channel: Channel;
  status: Status;
  count: number;
}

export interface StoreTx {
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  /** Which of these keyed hashes are suppressed (returned as hex). */
  findSuppressed(hashes: Buffer[]): Promise<Set<string>>;
  addSuppressions(rows: { hash: Buffer; reason: string; at: string }[]): Promise<void>;

  findSubjects(lookup: SubjectLookup): Promise<SubjectRow[]>;
  /** Inserts subjects; one that another process inserted meanwhile is returned, not duplicated. */
  insertSubjects(rows: NewSubject[]): Promise<SubjectRow[]>;
  updateSubject(id: number, patch: Partial<Omit<SubjectRow, 'id' | 'createdAt'>>): Promise<void>;
  /** Ids of subjects that have an email address, ascending, after `afterId` (for paging). */
  listSubjectIdsWithEmail(afterId: number, limit: number): Promise<number[]>;
  /** Holds these subjects for the rest of the transaction (other processes wait). */
  lockSubjects(ids: number[]): Promise<void>;

  getConsents(subjectIds: number[], topic?: string, channel?: Channel): Promise<ConsentRow[]>;
  /** The consent rows with the evidence of the event that set each, for check. */
  getConsentsWithEvidence(keys: ConsentKey[]): Promise<(ConsentRow & { event: EventRow | null })[]>;
  findPending(query: PendingQuery): Promise<ConsentRow[]>;
  /** Writes each consent row and appends its event; returns the event ids in order. */
  writeChanges(changes: ConsentChange[]): Promise<number[]>;
  /** Appends events that change no consent (erase, hold, release). */
  appendEvents(events: NewEvent[]): Promise<number[]>;
  listEvents(subjectId: number): Promise<EventRow[]>;
  countStatuses(): Promise<StatusCount[]>;

  insertTokens(rows: TokenRow[]): Promise<void>;
  findToken(hash: Buffer): Promise<TokenRow | undefined>;
  /** Marks a token used if it was not; true only for the one caller that did. */
  claimToken(hash: Buffer, at: string): Promise<boolean>;
  countTokens(subjectId: number): Promise<number>;

  insertMessages(rows: MessageRow[]): Promise<void>;
  listMessages(subjectId: number): Promise<MessageRow[]>;

  /** Inserts the request unless one with this Message-ID exists; returns the stored row. */
  upsertRequest(row: RequestRow): Promise<{ row: RequestRow; created: boolean }>;
  updateRequest(messageId: string, patch: Partial<Pick<RequestRow, 'outcome' | 'subjectId' | 'detail' | 'address' | 'updatedAt'>>): Promise<void>;
  findRequest(messageId: string): Promise<RequestRow | undefined>;
  listRequests(subjectId: number): Promise<RequestRow[]>;

  /**
   * Erases a subject: its row, the PII of its evidence, its tokens, messages and consent rows,
   * and the address on its requests (those linked to it, and those from its email address).
   * Events stay (they hold no PII).
   */
  eraseSubject(subjectId: number): Promise<void>;
  insertErasure(row: ErasureRow): Promise<void>;
  findErasure(receiptId: string): Promise<ErasureRow | undefined>;

  getMailboxState(mailbox: string): Promise<MailboxState | undefined>;
  setMailboxState(state: MailboxState): Promise<void>;
}
