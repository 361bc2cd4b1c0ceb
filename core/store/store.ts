import type { Action, PurposeAction } from '../consent/transitions';
import type { Basis, Channel, LegalBasis, PurposeState, PurposeStateOrNone, Status, StatusOrNone, TokenPurpose } from '../consent/statuses';
import type { FunnelCounts, FunnelQuery } from './funnel';

/**
 * The Store: what the ledger needs from a database, and nothing about rules. Every dialect
 * (sqlite/, postgres/) implements it and passes the same contract suite (test/store/contract.ts).
 * Operations take and return arrays so a dialect can do a batch in one statement.
 * Instants cross this interface as ISO 8601 UTC strings.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction: all of it commits, or none of it. Serialised per subject.
   * A dialect with concurrent writers (PostgreSQL) runs `fn` again from the start when the
   * database reports a race it lost (deadlock, a row another transaction inserted or removed
   * meanwhile), so `fn` must have no effect outside `tx`.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** After an erasure commits: make sure no copy of the erased bytes lingers (SQLite's WAL). */
  flushErased?(): Promise<void>;
  /**
   * Several mailbox workers (PostgreSQL only): holds `mailbox` for this process until released
   * or until the process dies, whichever comes first. With `wait` (the default) it waits while
   * another process holds it and takes over when that one lets go or dies; without, it returns
   * null at once. Returns null when `signal` aborts the wait.
   */
  acquireMailboxLease?(mailbox: string, options?: { wait?: boolean; signal?: AbortSignal }): Promise<MailboxLease | null>;
  close(): Promise<void>;
}

export interface MailboxLease {
  readonly mailbox: string;
  /** Settles when the lease is lost without release() (its connection dropped): stop work then. */
  readonly lost: Promise<Error>;
  release(): Promise<void>;
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

/** The current state of one consent: subject × topic × channel. */
export interface ConsentState {
  subjectId: number;
  topic: string;
  channel: Channel;
  status: Status;
  basis: Basis;
  since: string; // when the current status began
  invitedAt: string | null; // first invitation or signup of the pending period
  lastSentAt: string | null; // last invitation, signup mail or reminder
  reminders: number;
}

/**
 * A consent row as stored: the state, the event that set it, and a copy of that event's evidence
 * summary and consent text hash, written in the same transaction, so a check needs no join.
 */
export interface ConsentRow extends ConsentState {
  eventId: number;
  consentTextHash: string | null;
  evidence: {
    who: string | null; // actor name, else actor kind
    source: string | null; // source ref, else source kind
    at: string; // when it happened
    optinId: string | null; // the external opt-in id, if the event had one
    description: string | null;
  };
}

/** Why a person is held: one purpose of one subject, on a legal basis (GDPR Art. 6(1)). */
export interface HeldPurpose {
  subjectId: number;
  purpose: string;
  state: PurposeState;
  basis: LegalBasis;
  since: string; // when the current state and basis began
  until: string | null; // a retention hold's end date
  reason: string | null; // a retention hold's reason
}

/** A purpose row as stored: its state, the event that set it and that event's evidence summary. */
export interface PurposeRow extends HeldPurpose {
  eventId: number;
  evidence: { who: string | null; source: string | null; at: string };
}

/**
 * One purpose change: the purpose row to write, its event, and the topic consent rows it changes
 * with it (withdrawing e-marketing withdraws every topic under it): those rows point at the same
 * one event.
 */
export interface PurposeChange {
  purpose: HeldPurpose;
  event: NewEvent;
  consents?: ConsentState[];
}

export interface PurposeCount {
  purpose: string;
  basis: LegalBasis;
  state: PurposeState;
  count: number;
}

/** One status change: the consent state to write and the event (with its evidence) to append. */
export interface ConsentChange {
  consent: ConsentState;
  event: NewEvent;
}

export interface NewEvent {
  subjectId: number;
  topic: string | null;
  channel: Channel | null;
  action: Action | PurposeAction | 'erase' | 'hold' | 'release' | 'unsuppress' | 'migrate' | 'access';
  /** A purpose's event (topic and channel null) holds the purpose's states here. */
  fromStatus: StatusOrNone | PurposeStateOrNone | null;
  toStatus: Status | PurposeState | null;
  basis: LegalBasis | null;
  /** The purpose a purpose event is about (null for a topic's event). */
  purpose?: string | null;
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

/**
 * A stored link token (only its hash). A mail's confirm and unsubscribe links share one row
 * (purpose 'confirm': the one purpose that uses it up); an erase verification has its own.
 */
export interface TokenRow {
  hash: Buffer;
  purpose: TokenPurpose;
  subjectId: number | null;
  channel: Channel | null;
  topics: string[];
  consentTextHash: string | null;
  ref: string | null; // e.g. the request (mail) an erase verification belongs to
  /**
   * PII: the name given in the signup this link confirms. It becomes the subject's name only when
   * the link is used (a stranger's signup cannot name someone else); cleared then.
   */
  pendingName: string | null;
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
  /**
   * How many times handling this mail was started: 1 when recorded, one more for every run that
   * found it still in progress (a crash, a failed reply, a restart). Kept here, not in a process,
   * so a mail that keeps failing goes to review after the limit, also under `--once`.
   */
  attempts: number;
  /** How the request came: mail (the mailbox), cli, node, form or operator. */
  channel: string;
  /** Who handled it: the operator, the workflow, the mailbox worker; null when not (yet) known. */
  handledBy: string | null;
  /** The term extended once by two months (GDPR Art. 12(3)): when, and why. */
  extendedAt: string | null;
  extensionReason: string | null;
  /** Closed by hand (an answer given outside the ledger): when, and the note saying how. */
  closedAt: string | null;
  closeNote: string | null;
}

export type RequestPatch = Partial<Pick<RequestRow, 'outcome' | 'subjectId' | 'detail' | 'address' | 'updatedAt' | 'dueAt' | 'extendedAt' | 'extensionReason' | 'closedAt' | 'closeNote' | 'handledBy'>>;

/** A request to record: the register's fields are optional (a mail's request: channel 'mail'). */
export type NewRequest = Omit<RequestRow, 'attempts' | 'channel' | 'handledBy' | 'extendedAt' | 'extensionReason' | 'closedAt' | 'closeNote'> &
  Partial<Pick<RequestRow, 'channel' | 'handledBy'>>;

/** The register's filter: its rules (which kinds count, which outcomes finish a request) come from the ledger. */
export interface RequestQuery {
  kinds: string[];
  /** Only requests neither closed by hand nor finished with one of `finalOutcomes`. */
  openOnly: boolean;
  finalOutcomes: string[];
  /** Only requests due at or before this instant. */
  dueBy?: string;
  /** Paging: the requests after this one, in order of due date, then id. */
  after?: { dueAt: string; messageId: string };
  limit: number;
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

/**
 * An operator's lift of a suppression made in error (a typo): who, when, on what proof. It names
 * no address and keeps no hash (the person may not exist; the lift is the record that it was done).
 */
export interface SuppressionLift {
  at: string;
  /** How many keyed hashes were removed (email, phone). */
  lifted: number;
  actorKind: string;
  actorName: string | null;
  sourceKind: string;
  proofRef: string | null;
  description: string | null;
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

export interface CheckLookup {
  email?: string;
  phone?: string;
  externalId?: string;
  subjectId?: number;
  topic: string;
  channel: Channel;
}

export interface CheckHit {
  subjectId: number;
  suppressedAt: string | null;
  consent: ConsentRow | null;
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

/** What the consent service's event feed tells other tools (core/ledger/feed.ts). */
export const FEED_TYPES = ['confirmed', 'unsubscribed', 'erased', 'bounced'] as const;
export type FeedType = (typeof FEED_TYPES)[number];

/** One ledger event as the feed reads it: no evidence, only the address of a person still there. */
export interface FeedRow {
  id: number;
  subjectId: number;
  type: FeedType;
  topic: string | null;
  channel: string | null;
  at: string;
  sourceKind: string;
  /** The subject's email (confirmed, unsubscribed, bounced); null for an erasure. */
  email: string | null;
  /** The erasure receipt (erased only). */
  receiptId: string | null;
}

export interface FeedQuery {
  /** Events after this id (asc) or before it (desc); null: from the start (asc) or the newest (desc). */
  after: number | null;
  types: FeedType[];
  order: 'asc' | 'desc';
  limit: number;
}

export interface StoreTx {
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  /** Sets the key only if it has no value yet; true when this call set it (first writer wins). */
  insertMetaIfAbsent(key: string, value: string): Promise<boolean>;

  /** Which of these keyed hashes are suppressed (returned as hex). */
  findSuppressed(hashes: Buffer[]): Promise<Set<string>>;
  /** Whether any hash is suppressed at all (a ledger nobody was erased from has none: an import then hashes nothing). */
  hasSuppressions(): Promise<boolean>;
  addSuppressions(rows: { hash: Buffer; reason: string; at: string }[]): Promise<void>;
  /** Removes these keyed hashes from the suppression list; returns how many were there. */
  removeSuppressions(hashes: Buffer[]): Promise<number>;
  /** Records an operator's lift of a suppression; returns its id. */
  insertSuppressionLift(row: SuppressionLift): Promise<number>;
  /** The lifts, oldest first (the audit of every suppression an operator lifted). */
  listSuppressionLifts(): Promise<(SuppressionLift & { id: number })[]>;

  findSubjects(lookup: SubjectLookup): Promise<SubjectRow[]>;
  /** Inserts subjects; one that another process inserted meanwhile is returned, not duplicated. */
  insertSubjects(rows: NewSubject[]): Promise<SubjectRow[]>;
  updateSubject(id: number, patch: Partial<Omit<SubjectRow, 'id' | 'createdAt'>>): Promise<void>;
  /** Ids of subjects that have an email address, ascending, after `afterId` (for paging). */
  listSubjectIdsWithEmail(afterId: number, limit: number): Promise<number[]>;
  /**
   * Subjects with a phone number and a consent row for `topic` on the phone channel, ascending id,
   * after `afterId` (for paging the call list; whether each may be called is check's to decide).
   */
  listPhoneSubjects(topic: string, afterId: number, limit: number): Promise<{ id: number; phone: string; name: string | null }[]>;
  /** Holds these subjects for the rest of the transaction (other processes wait). */
  lockSubjects(ids: number[]): Promise<void>;

  getConsents(subjectIds: number[], topic?: string, channel?: Channel): Promise<ConsentRow[]>;
  /**
   * For check, per item in order: the subject it names (found by email, else phone, external id,
   * id) and its consent for topic × channel, or undefined when no subject matches. `suppressedAt`
   * is read only where it can matter: when there is no consent row, or it is blacklisted.
   */
  checkConsents(items: CheckLookup[]): Promise<(CheckHit | undefined)[]>;
  findPending(query: PendingQuery): Promise<ConsentRow[]>;
  /** Writes each consent row and appends its event; returns the event ids in order. */
  writeChanges(changes: ConsentChange[]): Promise<number[]>;
  /** Appends events that change no consent (erase, hold, release). */
  appendEvents(events: NewEvent[]): Promise<number[]>;
  listEvents(subjectId: number): Promise<EventRow[]>;
  countStatuses(): Promise<StatusCount[]>;
  /**
   * The events other tools are told of, in id order: a topic confirmed, unsubscribed or bounced
   * (a change into that status) of a person still in the ledger, and an erasure.
   */
  listFeed(query: FeedQuery): Promise<FeedRow[]>;
  /** The newest event id (0 on an empty ledger). */
  lastEventId(): Promise<number>;

  /** The consent funnel's counts over time (core/store/funnel.ts). */
  countFunnel(query: FunnelQuery): Promise<FunnelCounts>;
  /** One more "why are you leaving?" answer for `month` ('YYYY-MM') and `reason`: a count, nothing about who. */
  countLeaveReason(month: string, reason: string): Promise<void>;

  /** The purposes of these subjects (only `purpose` when given), by subject id then purpose. */
  getPurposes(subjectIds: number[], purpose?: string): Promise<PurposeRow[]>;
  /**
   * Writes each purpose row, appends its one event, and writes the consent rows it carries with
   * that event's id (and evidence summary); returns the event ids in order.
   */
  writePurposes(changes: PurposeChange[]): Promise<number[]>;
  /** How many subjects per purpose × basis × state. */
  countPurposes(): Promise<PurposeCount[]>;
  /** Subjects whose retention hold ended at or before `before`, the earliest end first. */
  listEndedHolds(before: string, limit: number): Promise<SubjectRow[]>;
  /**
   * The retention purge's candidates: subjects after `afterId` (ascending id) with at least one
   * consent, every consent in `statuses` since at or before `before` and not sent to after it, and
   * no hold and no suppression mark. Whatever else holds them (purposes, requests) the ledger decides.
   */
  listLapsedSubjects(statuses: Status[], before: string, afterId: number, limit: number): Promise<SubjectRow[]>;

  insertTokens(rows: TokenRow[]): Promise<void>;
  findToken(hash: Buffer): Promise<TokenRow | undefined>;
  /** Marks a token used if it was not (and clears its pending name); true only for the one caller that did. */
  claimToken(hash: Buffer, at: string): Promise<boolean>;
  countTokens(subjectId: number): Promise<number>;
  /** Clears the pending name of a subject's links made at or before `createdAt` (a newer confirmed signup named them). */
  clearPendingNames(subjectId: number, createdAt: string): Promise<void>;

  insertMessages(rows: MessageRow[]): Promise<void>;
  listMessages(subjectId: number): Promise<MessageRow[]>;
  /** When each of these subjects was last sent a mail we recorded (subjects never mailed are absent). */
  lastMailedAt(subjectIds: number[]): Promise<Map<number, string>>;
  /** The mail we sent with this Message-ID (an abuse report names it), or undefined. */
  findMessage(messageId: string): Promise<MessageRow | undefined>;

  /** Inserts the request unless one with this Message-ID exists; returns the stored row. */
  upsertRequest(row: NewRequest): Promise<{ row: RequestRow; created: boolean }>;
  /** One more attempt at handling the request (see RequestRow.attempts); returns the count, 0 when there is no such request. */
  countRequestAttempt(messageId: string, updatedAt: string): Promise<number>;
  updateRequest(messageId: string, patch: RequestPatch): Promise<void>;
  findRequest(messageId: string): Promise<RequestRow | undefined>;
  listRequests(subjectId: number): Promise<RequestRow[]>;
  /** When the last request of this channel came from this address (the request form's list-bombing guard), or null. */
  lastRequestFrom(address: string, channel: string): Promise<string | null>;
  /** The register: requests matching `query`, by due date then id. */
  queryRequests(query: RequestQuery): Promise<RequestRow[]>;

  /**
   * Erases a subject: its row, the PII of its evidence, its tokens, messages, consent and purpose rows,
   * and the address on its requests (those linked to it, and those from its email address).
   * Events stay (they hold no PII).
   */
  eraseSubject(subjectId: number): Promise<void>;
  insertErasure(row: ErasureRow): Promise<void>;
  findErasure(receiptId: string): Promise<ErasureRow | undefined>;

  getMailboxState(mailbox: string): Promise<MailboxState | undefined>;
  setMailboxState(state: MailboxState): Promise<void>;
}
