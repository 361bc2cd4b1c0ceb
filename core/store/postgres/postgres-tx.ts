import type { PoolClient, QueryResultRow } from 'pg';
import type { Status } from '../../consent/statuses';
import type {
  CheckHit,
  FeedQuery,
  CheckLookup,
  ConsentChange,
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
import { arrayLiteral, columnsOf, textsOf } from './batch';
import { toCampaignCount, toMonthCount, toWeekStatusCount, type FunnelCounts, type FunnelQuery } from '../funnel';
import { SubjectAppeared } from './retry';
import { CHANGE_COLUMNS_IN, EVENT_COLUMNS_IN, MESSAGE_COLUMNS_IN, PURPOSE_COLUMNS_IN, SUBJECT_COLUMNS_IN, TOKEN_COLUMNS_IN, type PurposeRowIn, type StatementName, type Statements } from './sql';

/**
 * One transaction of the PostgreSQL ledger on one pooled connection (READ COMMITTED). Batches cross
 * as array parameters (batch.ts); the SQL is in sql.ts. lockSubjects takes row locks in id order;
 * rows this transaction inserted need none (nobody else can see them yet).
 */

type Row = Record<string, unknown>;

function pgToken(r: Row): TokenRow {
  return toToken(r, r.hash as Buffer, r.topics as string[]);
}

function identifiers(s: SubjectRow): string[] {
  return [...(s.email ? [`e:${s.email}`] : []), ...(s.phone ? [`p:${s.phone}`] : []), ...(s.externalId ? [`x:${s.externalId}`] : [])];
}

export class PostgresTx implements StoreTx {
  /** Subjects this transaction inserted: invisible to others until commit, so no lock needed. */
  private readonly added = new Set<number>();
  /** Identifiers findSubjects looked up and did not find (e:, p:, x: + value). */
  private readonly missing = new Set<string>();

  constructor(
    private readonly sql: Statements,
    private readonly client: PoolClient,
  ) {}

  /** A named statement: parsed and planned once per connection. */
  private async run<R extends QueryResultRow = Row>(name: StatementName, values: unknown[]) {
    return this.client.query<R>({ name, text: this.sql.text(name), values });
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
      const { rows: answer } = await this.run<{ ids: string[]; added: string[] | null }>('insertSubjects', columnsOf(SUBJECT_COLUMNS_IN, batch));
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
    const { columns, values } = patchColumns(patch, SUBJECT_PATCH_COLUMNS);
    if (columns.length > 0) await this.client.query(this.sql.update('subjects', columns), [id, ...values]);
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
  async listFeed(q: FeedQuery) {
    const { rows } = await this.run(q.order === 'asc' ? 'listFeedAsc' : 'listFeedDesc', [q.after, q.types, q.limit]);
    return rows.map(toFeedRow);
  }
  async lastEventId() {
    const { rows } = await this.run('lastEventId', []);
    return Number(rows[0]?.id ?? 0);
  }
  async countStatuses() {
    const { rows } = await this.run('countStatuses', []);
    return rows.map(toStatusCount);
  }

  async getPurposes(subjectIds: number[], purpose?: string) {
    if (subjectIds.length === 0) return [];
    const { rows } = await this.run('getPurposes', [arrayLiteral('bigint', subjectIds), purpose ?? null]);
    return rows.map(toPurpose);
  }
  async writePurposes(changes: PurposeChange[]) {
    if (changes.length === 0) return [];
    const ids = await this.appendEvents(changes.map((c) => c.event));
    // Of several changes to one purpose in a batch only the last is written to the row.
    const last = new Map(changes.map((c, i) => [`${c.purpose.subjectId}|${c.purpose.purpose}`, i]));
    const rows = changes.flatMap(({ purpose: p, event: e }, i): PurposeRowIn[] =>
      last.get(`${p.subjectId}|${p.purpose}`) === i ? [{ ...p, eventId: ids[i], who: e.actorName ?? e.actorKind, source: e.sourceRef ?? e.sourceKind, at: e.at }] : [],
    );
    await this.run('upsertPurposes', columnsOf(PURPOSE_COLUMNS_IN, rows));
    // The topics a purpose change carries (a withdrawal's): few, one at a time, on the change's event.
    for (const [i, { event: e, consents = [] }] of changes.entries()) {
      for (const c of consents) {
        await this.run('upsertConsentOfEvent', [
          c.subjectId, c.topic, c.channel, c.status, c.basis, c.since, c.invitedAt, c.lastSentAt, c.reminders, ids[i],
          e.consentTextHash, e.actorName ?? e.actorKind, e.sourceRef ?? e.sourceKind, e.at, e.optinId, e.description,
        ]);
      }
    }
    return ids;
  }
  async listEndedHolds(before: string, limit: number) {
    const { rows } = await this.run('listEndedHolds', [before, limit]);
    return rows.map(toSubject);
  }
  async listLapsedSubjects(statuses: Status[], before: string, afterId: number, limit: number) {
    const { rows } = await this.run('listLapsedSubjects', [statuses, before, afterId, limit]);
    return rows.map(toSubject);
  }
  async countFunnel(q: FunnelQuery): Promise<FunnelCounts> {
    const lastWeek = q.weekEnds.reduce((a, b) => (a > b ? a : b), q.to);
    const campaigns = (await this.run('funnelCampaigns', [q.from, q.to])).rows.map(toCampaignCount);
    const statuses = q.weekEnds.length === 0 ? [] : (await this.run('funnelStatuses', [arrayLiteral('timestamptz', q.weekEnds), lastWeek, q.withdrawnPurpose])).rows.map(toWeekStatusCount);
    const erasures = (await this.run('funnelErasures', [q.monthsFrom, q.to])).rows.map(toMonthCount);
    const requests = (await this.run('funnelRequests', [q.monthsFrom, q.to, q.requestKinds])).rows.map(toMonthCount);
    const leaveReasons = (await this.run('funnelLeaveReasons', [q.monthsFrom.slice(0, 7), q.to.slice(0, 7)])).rows.map(toMonthCount);
    return { campaigns, statuses, erasures, requests, leaveReasons };
  }
  async countLeaveReason(month: string, reason: string) {
    await this.run('countLeaveReason', [month, reason]);
  }
  async countPurposes() {
    const { rows } = await this.run('countPurposes', []);
    return rows.map(toPurposeCount);
  }

  async insertTokens(rows: TokenRow[]) {
    if (rows.length === 0) return;
    await this.run('insertTokens', columnsOf(TOKEN_COLUMNS_IN, rows));
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
    await this.run('insertMessages', columnsOf(MESSAGE_COLUMNS_IN, rows));
  }
  async listMessages(subjectId: number) {
    const { rows } = await this.run('listMessages', [subjectId]);
    return rows.map((r) => toMessage(r, r.topics as string[]));
  }
  async lastMailedAt(subjectIds: number[]) {
    if (subjectIds.length === 0) return new Map<number, string>();
    const { rows } = await this.run('lastMailedAt', [arrayLiteral('bigint', subjectIds)]);
    return new Map(rows.map((r) => [Number(r.subject_id), String(r.sent_at)] as const));
  }
  async findMessage(messageId: string) {
    const { rows } = await this.run('findMessage', [messageId]);
    return rows[0] ? toMessage(rows[0], rows[0].topics as string[]) : undefined;
  }

  async upsertRequest(row: NewRequest) {
    const fields = [row.messageId, row.mailbox, row.kind, row.receivedAt, row.dueAt, row.outcome, row.subjectId, row.address, row.detail, row.updatedAt];
    const isMail = row.channel === undefined && row.handledBy === undefined;
    const inserted = isMail ? await this.run('insertRequest', fields) : await this.run('insertRegisterRequest', [...fields, row.channel ?? 'mail', row.handledBy ?? null]);
    return { row: (await this.findRequest(row.messageId)) as RequestRow, created: inserted.rowCount === 1 };
  }
  async updateRequest(messageId: string, patch: RequestPatch) {
    const { columns, values } = patchColumns(patch, REQUEST_PATCH_COLUMNS);
    if (columns.length > 0) await this.client.query(this.sql.update('requests', columns), [messageId, ...values]);
  }
  async queryRequests(q: RequestQuery) {
    const { rows } = await this.run('queryRequests', [q.kinds, q.openOnly, q.finalOutcomes, q.dueBy ?? null, q.after?.dueAt ?? null, q.after?.messageId ?? null, q.limit]);
    return rows.map(toRequest);
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
  async lastRequestFrom(address: string, channel: string) {
    const { rows } = await this.run('lastRequestFrom', [address, channel]);
    const at = rows[0]?.at;
    return at ? (at instanceof Date ? at.toISOString() : String(at)) : null;
  }

  async eraseSubject(subjectId: number) {
    await this.run('eraseSubject', [subjectId]);
  }
  async insertErasure(row: ErasureRow) {
    await this.run('insertErasure', [row.receiptId, row.subjectId, row.at, row.outcome, row.reason, row.actorKind, row.sourceKind]);
  }
  async findErasure(receiptId: string) {
    const { rows } = await this.run('findErasure', [receiptId]);
    return rows.length ? toErasure(rows[0]) : undefined;
  }

  async getMailboxState(mailbox: string) {
    const { rows } = await this.run('getMailboxState', [mailbox]);
    return rows.length ? toMailboxState(rows[0]) : undefined;
  }
  async setMailboxState(s: MailboxState) {
    await this.run('setMailboxState', [s.mailbox, s.uidValidity, s.lastUid, s.updatedAt]);
  }
}
