import type { SQLInputValue, StatementSync } from 'node:sqlite';
import type { Status } from '../../consent/statuses';
import type {
  CheckHit,
  FeedQuery,
  CheckLookup,
  ConsentChange,
  ConsentRow,
  ErasureRow,
  MailboxState,
  MessageRow,
  NewEvent,
  NewSubject,
  PendingQuery,
  PurposeChange,
  NewRequest,
  RequestPatch,
  RequestQuery,
  RequestRow,
  StoreTx,
  SubjectLookup,
  SubjectRow,
  SuppressionLift,
  TokenRow,
} from '../store';
import {
  hasEvidence,
  patchColumns,
  REQUEST_PATCH_COLUMNS,
  str,
  SUBJECT_PATCH_COLUMNS,
  toConsent,
  toErasure,
  toEvent,
  toMailboxState,
  toMessage,
  toPurpose,
  toPurposeCount,
  toRequest,
  toStatusCount,
  toSubject,
  toSuppressionLift,
  toToken,
  toFeedRow,
} from '../rows';
import { SCHEMA_VERSION, SQL, updateSql } from './sql';
import { toCampaignCount, toMonthCount, toWeekStatusCount, type FunnelCounts, type FunnelQuery } from '../funnel';

/**
 * The work of a transaction on the SQLite ledger: the store runs one at a time inside
 * BEGIN IMMEDIATE, so nobody else writes meanwhile. The SQL is in sql.ts.
 */
type Row = Record<string, SQLInputValue>;

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

export class SqliteTx implements StoreTx {
  /** Consent texts written in this transaction: a campaign's one text is inserted once, not per row. */
  readonly textsWritten = new Set<string>();

  /** `statement` prepares a statement once per SQL text (the store's cache). */
  constructor(private readonly statement: (sql: string) => StatementSync) {}

  private all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }
  private get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined;
  }
  private run(sql: string, ...params: SQLInputValue[]) {
    return this.statement(sql).run(...params);
  }

  async getMeta(key: string) {
    const row = this.get(SQL.getMeta, key);
    return row ? String(row.value) : undefined;
  }
  async insertMetaIfAbsent(key: string, value: string) {
    return this.run(SQL.insertMetaIfAbsent, key, value).changes === 1;
  }
  async setMeta(key: string, value: string) {
    this.run(SQL.setMeta, key, value);
  }

  async hasSuppressions() {
    return this.get(SQL.hasSuppressions) !== undefined;
  }
  async findSuppressed(hashes: Buffer[]) {
    const found = new Set<string>();
    for (const hash of hashes) {
      if (this.get(SQL.isSuppressed, hash)) found.add(hash.toString('hex'));
    }
    return found;
  }
  async addSuppressions(rows: { hash: Buffer; reason: string; at: string }[]) {
    for (const r of rows) this.run(SQL.addSuppression, r.hash, r.reason, r.at);
  }
  async removeSuppressions(hashes: Buffer[]) {
    let removed = 0;
    for (const hash of hashes) removed += Number(this.run(SQL.removeSuppression, hash).changes);
    return removed;
  }
  async insertSuppressionLift(r: SuppressionLift) {
    return Number(this.run(SQL.insertSuppressionLift, r.at, r.lifted, r.actorKind, r.actorName, r.sourceKind, r.proofRef, r.description).lastInsertRowid);
  }
  async listSuppressionLifts() {
    return this.all(SQL.listSuppressionLifts).map(toSuppressionLift);
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
      for (const row of this.all(SQL.findSubjects, JSON.stringify(ids), JSON.stringify(emails), JSON.stringify(phones), JSON.stringify(externalIds))) add(row);
      return [...byId.values()];
    }
    for (const v of ids) add(this.get(SQL.subjectBy.id, v));
    for (const v of emails) add(this.get(SQL.subjectBy.email, v));
    for (const v of phones) add(this.get(SQL.subjectBy.phone, v));
    for (const v of externalIds) add(this.get(SQL.subjectBy.externalId, v));
    return [...byId.values()];
  }
  async insertSubjects(rows: NewSubject[]) {
    // Inside BEGIN IMMEDIATE nobody else writes, so a plain insert cannot race.
    return rows.map((r) => {
      const result = this.run(SQL.insertSubject, r.email, r.phone, r.externalId, r.name, r.locale, r.createdAt);
      return { ...r, id: Number(result.lastInsertRowid), holdReason: null, holdUntil: null, suppressedAt: null };
    });
  }
  async updateSubject(id: number, patch: Partial<Omit<SubjectRow, 'id' | 'createdAt'>>) {
    const { columns, values } = patchColumns(patch, SUBJECT_PATCH_COLUMNS);
    if (columns.length > 0) this.run(updateSql('subjects', columns), ...(values as SQLInputValue[]), id);
  }
  async listSubjectIdsWithEmail(afterId: number, limit: number) {
    return this.all(SQL.listSubjectIdsWithEmail, afterId, limit).map((r) => Number(r.id));
  }
  async listPhoneSubjects(topic: string, afterId: number, limit: number) {
    return this.all(SQL.listPhoneSubjects, topic, afterId, limit).map((r) => ({ id: Number(r.id), phone: String(r.phone), name: str(r.name) }));
  }
  async lockSubjects() {
    // BEGIN IMMEDIATE already holds the write lock of the whole file.
  }

  async getConsents(subjectIds: number[], topic?: string, channel?: string) {
    const out: ConsentRow[] = [];
    for (const id of subjectIds) {
      const rows = this.all(SQL.consentsOf, id, topic ?? null, channel ?? null);
      for (const r of rows) out.push(toConsent(r));
    }
    return out;
  }
  async checkConsents(items: CheckLookup[]) {
    return items.map((item): CheckHit | undefined => {
      const [sql, value] =
        item.email !== undefined
          ? [SQL.checkBy.email, item.email]
          : item.phone !== undefined
            ? [SQL.checkBy.phone, item.phone]
            : item.externalId !== undefined
              ? [SQL.checkBy.externalId, item.externalId]
              : [SQL.checkBy.id, item.subjectId ?? null];
      const row = this.get(sql, value, item.topic, item.channel);
      if (!row) return undefined;
      const consent = row.status === null ? null : toConsent(row);
      const suppressedAt =
        consent === null || consent.status === 'blacklisted' ? str(this.get(SQL.suppressedAtOf, row.sid)?.suppressed_at ?? null) : null;
      return { subjectId: Number(row.sid), suppressedAt, consent };
    });
  }
  async findPending(q: PendingQuery) {
    return this.all(
      SQL.pendingBy[q.column === 'invitedAt' ? 'invitedAt' : 'lastSentAt'],
      JSON.stringify(q.statuses), q.before, q.maxReminders ?? null, q.topic ?? null, q.channel ?? null, q.limit,
    ).map(toConsent);
  }
  async writeChanges(changes: ConsentChange[]) {
    return changes.map(({ consent: c, event: e }) => {
      const eventId = this.appendEvent(e);
      this.upsertConsent(c, e, eventId);
      return eventId;
    });
  }
  private upsertConsent(c: ConsentChange['consent'], e: NewEvent, eventId: number) {
    this.run(
      SQL.upsertConsent,
      c.subjectId, c.topic, c.channel, c.status, c.basis, c.since, c.invitedAt, c.lastSentAt, c.reminders, eventId,
      e.consentTextHash, e.actorName ?? e.actorKind, e.sourceRef ?? e.sourceKind, e.at, e.optinId, e.description,
    );
  }
  /**
   * Whether this ledger has purposes (schema 7 on). Only a test opens one left at an older version
   * (SqliteStore.open's migrateTo, to play an older release): there it has none, as that release had.
   */
  private purposesKnown?: boolean;
  private hasPurposes(): boolean {
    this.purposesKnown ??= Number(this.get(SCHEMA_VERSION)?.user_version ?? 0) >= 7;
    return this.purposesKnown;
  }
  async getPurposes(subjectIds: number[], purpose?: string) {
    if (!this.hasPurposes()) return [];
    return subjectIds.flatMap((id) => this.all(SQL.purposesOf, id, purpose ?? null).map(toPurpose));
  }
  async writePurposes(changes: PurposeChange[]) {
    if (!this.hasPurposes()) return this.writeChanges(changes.flatMap(({ event, consents = [] }) => consents.map((consent) => ({ consent, event: { ...event, topic: consent.topic, channel: consent.channel } }))));
    return changes.map(({ purpose: p, event: e, consents = [] }) => {
      const eventId = this.appendEvent(e);
      this.run(SQL.upsertPurpose, p.subjectId, p.purpose, p.state, p.basis, p.since, p.until, p.reason, eventId, e.actorName ?? e.actorKind, e.sourceRef ?? e.sourceKind, e.at);
      for (const c of consents) this.upsertConsent(c, e, eventId);
      return eventId;
    });
  }
  async listEndedHolds(before: string, limit: number) {
    return this.all(SQL.listEndedHolds, before, limit).map(toSubject);
  }
  async listLapsedSubjects(statuses: Status[], before: string, afterId: number, limit: number) {
    return this.all(SQL.listLapsedSubjects, JSON.stringify(statuses), before, afterId, limit).map(toSubject);
  }
  async countFunnel(q: FunnelQuery): Promise<FunnelCounts> {
    const lastWeek = q.weekEnds.reduce((a, b) => (a > b ? a : b), q.to);
    return {
      campaigns: this.all(SQL.funnelCampaigns, q.from, q.to).map(toCampaignCount),
      statuses: q.weekEnds.length === 0 ? [] : this.all(SQL.funnelStatuses, JSON.stringify(q.weekEnds), lastWeek, q.withdrawnPurpose).map(toWeekStatusCount),
      erasures: this.all(SQL.funnelErasures, q.monthsFrom, q.to).map(toMonthCount),
      requests: this.all(SQL.funnelRequests, q.monthsFrom, q.to, JSON.stringify(q.requestKinds)).map(toMonthCount),
      leaveReasons: this.all(SQL.funnelLeaveReasons, q.monthsFrom.slice(0, 7), q.to.slice(0, 7)).map(toMonthCount),
    };
  }
  async countLeaveReason(month: string, reason: string) {
    this.run(SQL.countLeaveReason, month, reason);
  }
  async countPurposes() {
    if (!this.hasPurposes()) return [];
    return this.all(SQL.countPurposes).map(toPurposeCount);
  }
  async appendEvents(events: NewEvent[]) {
    return events.map((e) => this.appendEvent(e));
  }
  private appendEvent(e: NewEvent): number {
    if (e.consentTextHash && e.consentText !== null && !this.textsWritten.has(e.consentTextHash)) {
      this.run(SQL.insertConsentText, e.consentTextHash, e.consentText);
      this.textsWritten.add(e.consentTextHash);
    }
    const values: SQLInputValue[] = [
      e.subjectId, e.topic, e.channel, e.action, e.fromStatus, e.toStatus, e.basis, e.at, e.recordedAt,
      e.actorKind, e.sourceKind, e.sourceRef, e.consentTextHash, e.optinId, e.messageId,
    ];
    const id = Number((e.purpose ? this.run(SQL.insertPurposeEvent, ...values, e.purpose) : this.run(SQL.insertEvent, ...values)).lastInsertRowid);
    if (hasEvidence(e)) this.run(SQL.insertEvidence, id, e.subjectId, e.actorName, e.ip, e.userAgent, e.description, e.proofRef);
    return id;
  }
  async listEvents(subjectId: number) {
    return this.all(this.hasPurposes() ? SQL.listEvents : SQL.listEventsBefore7, subjectId).map(toEvent);
  }
  async listFeed(q: FeedQuery) {
    return this.all(q.order === 'asc' ? SQL.listFeedAsc : SQL.listFeedDesc, q.after, JSON.stringify(q.types), q.limit).map(toFeedRow);
  }
  async lastEventId() {
    return Number(this.get(SQL.lastEventId)?.id ?? 0);
  }
  async countStatuses() {
    return this.all(SQL.countStatuses).map(toStatusCount);
  }

  async insertTokens(rows: TokenRow[]) {
    for (const t of rows) {
      this.run(
        SQL.insertToken,
        t.hash, t.purpose, t.subjectId, t.channel, topicsJson(t.topics), t.consentTextHash, t.ref, t.pendingName, t.createdAt, t.expiresAt, t.usedAt,
      );
    }
  }
  async findToken(hash: Buffer) {
    const row = this.get(SQL.findToken, hash);
    return row ? sqliteToken(row) : undefined;
  }
  async claimToken(hash: Buffer, at: string) {
    return this.run(SQL.claimToken, at, hash).changes === 1;
  }
  async clearPendingNames(subjectId: number, createdAt: string) {
    this.run(SQL.clearPendingNames, subjectId, createdAt);
  }
  async countTokens(subjectId: number) {
    return Number(this.get(SQL.countTokens, subjectId)?.n ?? 0);
  }

  async insertMessages(rows: MessageRow[]) {
    for (const m of rows) this.run(SQL.insertMessage, m.subjectId, m.messageId, m.template, JSON.stringify(m.topics), m.channel, m.sentAt);
  }
  async listMessages(subjectId: number) {
    return this.all(SQL.listMessages, subjectId).map((r) => toMessage(r, JSON.parse(String(r.topics)) as string[]));
  }
  async lastMailedAt(subjectIds: number[]) {
    if (subjectIds.length === 0) return new Map<number, string>();
    return new Map(this.all(SQL.lastMailedAt, JSON.stringify(subjectIds)).map((r) => [Number(r.subject_id), String(r.sent_at)] as const));
  }
  async findMessage(messageId: string) {
    const r = this.get(SQL.findMessage, messageId);
    return r ? toMessage(r, JSON.parse(String(r.topics)) as string[]) : undefined;
  }

  async upsertRequest(row: NewRequest) {
    const fields: SQLInputValue[] = [row.messageId, row.mailbox, row.kind, row.receivedAt, row.dueAt, row.outcome, row.subjectId, row.address, row.detail, row.updatedAt];
    // A mail's request names no channel: the statement every schema version has (an older release's ledger, in a test).
    const isMail = row.channel === undefined && row.handledBy === undefined;
    const created = (isMail ? this.run(SQL.insertRequest, ...fields) : this.run(SQL.insertRegisterRequest, ...fields, row.channel ?? 'mail', row.handledBy ?? null)).changes === 1;
    return { row: (await this.findRequest(row.messageId)) as RequestRow, created };
  }
  async updateRequest(messageId: string, patch: RequestPatch) {
    const { columns, values } = patchColumns(patch, REQUEST_PATCH_COLUMNS);
    if (columns.length > 0) this.run(updateSql('requests', columns), ...(values as SQLInputValue[]), messageId);
  }
  async queryRequests(q: RequestQuery) {
    return this.all(
      SQL.queryRequests,
      JSON.stringify(q.kinds), q.openOnly ? 1 : 0, JSON.stringify(q.finalOutcomes), q.dueBy ?? null, q.after?.dueAt ?? null, q.after?.messageId ?? null, q.limit,
    ).map(toRequest);
  }
  async countRequestAttempt(messageId: string, updatedAt: string) {
    const row = this.get(SQL.countRequestAttempt, updatedAt, messageId);
    return row ? Number(row.attempts) : 0;
  }
  async findRequest(messageId: string) {
    const row = this.get(SQL.findRequest, messageId);
    return row ? toRequest(row) : undefined;
  }
  async listRequests(subjectId: number) {
    return this.all(SQL.listRequests, subjectId).map(toRequest);
  }
  async lastRequestFrom(address: string, channel: string) {
    const at = this.get(SQL.lastRequestFrom, address, channel)?.at;
    return at ? String(at) : null;
  }

  async eraseSubject(subjectId: number) {
    for (const sql of SQL.eraseSubject) if (this.hasPurposes() || !sql.includes('purposes')) this.run(sql, subjectId);
  }
  async insertErasure(row: ErasureRow) {
    this.run(SQL.insertErasure, row.receiptId, row.subjectId, row.at, row.outcome, row.reason, row.actorKind, row.sourceKind);
  }
  async findErasure(receiptId: string) {
    const r = this.get(SQL.findErasure, receiptId);
    return r ? toErasure(r) : undefined;
  }

  async getMailboxState(mailbox: string) {
    const r = this.get(SQL.getMailboxState, mailbox);
    return r ? toMailboxState(r) : undefined;
  }
  async setMailboxState(s: MailboxState) {
    this.run(SQL.setMailboxState, s.mailbox, s.uidValidity, s.lastUid, s.updatedAt);
  }
}
