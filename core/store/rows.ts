import type { ConsentRow, ErasureRow, EventRow, FeedRow, MailboxState, MessageRow, NewEvent, PurposeCount, PurposeRow, RequestRow, StatusCount, SubjectRow, SuppressionLift, TokenRow } from './store';

/**
 * Rows as both dialects return them (snake_case columns, instants already as ISO text) into the
 * Store's shapes. One mapping, so the dialects cannot drift apart in what they hand the ledger.
 */
export type DbRow = Record<string, unknown>;

// The columns the mappings below read, the same in both dialects' schemas.
export const SUBJECT_COLUMNS = 'id, email, phone, external_id, name, locale, created_at, hold_reason, hold_until, suppressed_at';
export const CONSENT_COLUMNS =
  'subject_id, topic, channel, status, basis, since, invited_at, last_sent_at, reminders, event_id, consent_text_hash, ev_who, ev_source, ev_at, ev_optin_id, ev_description';
/** CONSENT_COLUMNS of a consents table named `c` in a join. */
export const C_CONSENT_COLUMNS = CONSENT_COLUMNS.split(', ').map((c) => `c.${c}`).join(', ');
export const PURPOSE_COLUMNS = 'subject_id, purpose, state, basis, since, until, reason, event_id, ev_who, ev_source, ev_at';
/** toEvent's columns, from events `e` joined with evidence `v` and consent_texts `t`. */
export const EVENT_COLUMNS = `e.id, e.subject_id, e.topic, e.channel, e.purpose, e.action, e.from_status, e.to_status, e.basis, e.at, e.recorded_at,
  e.actor_kind, e.source_kind, e.source_ref, e.consent_text_hash, t.text AS consent_text, e.optin_id, e.message_id,
  v.actor_name, v.ip, v.user_agent, v.description, v.proof_ref`;

/** The fields Store.updateSubject and Store.updateRequest may change, and their columns. */
export const SUBJECT_PATCH_COLUMNS: Record<string, string> = {
  email: 'email', phone: 'phone', externalId: 'external_id', name: 'name', locale: 'locale',
  holdReason: 'hold_reason', holdUntil: 'hold_until', suppressedAt: 'suppressed_at',
};
export const REQUEST_PATCH_COLUMNS: Record<string, string> = {
  outcome: 'outcome', subjectId: 'subject_id', detail: 'detail', address: 'address', updatedAt: 'updated_at',
  dueAt: 'due_at', extendedAt: 'extended_at', extensionReason: 'extension_reason', closedAt: 'closed_at', closeNote: 'close_note', handledBy: 'handled_by',
};

/** A patch's fields that have a column, as the columns to set and their values (undefined as NULL). */
export function patchColumns(patch: object, columns: Record<string, string>): { columns: string[]; values: unknown[] } {
  const keys = Object.keys(patch).filter((k) => k in columns);
  return { columns: keys.map((k) => columns[k]), values: keys.map((k) => (patch as Record<string, unknown>)[k] ?? null) };
}

/** The evidence table holds an event's PII; an event without any gets no row there. */
export function hasEvidence(e: NewEvent): boolean {
  return Boolean(e.actorName || e.ip || e.userAgent || e.description || e.proofRef);
}

export function str(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

export function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function toSuppressionLift(r: DbRow): SuppressionLift & { id: number } {
  return {
    id: Number(r.id),
    at: String(r.at),
    lifted: Number(r.lifted),
    actorKind: String(r.actor_kind),
    actorName: str(r.actor_name),
    sourceKind: String(r.source_kind),
    proofRef: str(r.proof_ref),
    description: str(r.description),
  };
}

export function toSubject(r: DbRow): SubjectRow {
  return {
    id: Number(r.id),
    email: str(r.email),
    phone: str(r.phone),
    externalId: str(r.external_id),
    name: str(r.name),
    locale: str(r.locale),
    createdAt: String(r.created_at),
    holdReason: str(r.hold_reason),
    holdUntil: str(r.hold_until),
    suppressedAt: str(r.suppressed_at),
  };
}

export function toConsent(r: DbRow): ConsentRow {
  return {
    subjectId: Number(r.subject_id),
    topic: String(r.topic),
    channel: r.channel as ConsentRow['channel'],
    status: r.status as ConsentRow['status'],
    basis: r.basis as ConsentRow['basis'],
    since: String(r.since),
    invitedAt: str(r.invited_at),
    lastSentAt: str(r.last_sent_at),
    reminders: Number(r.reminders),
    eventId: Number(r.event_id),
    consentTextHash: str(r.consent_text_hash),
    evidence: {
      who: str(r.ev_who),
      source: str(r.ev_source),
      at: String(r.ev_at),
      optinId: str(r.ev_optin_id),
      description: str(r.ev_description),
    },
  };
}

export function toFeedRow(r: DbRow): FeedRow {
  return {
    id: Number(r.id),
    subjectId: Number(r.subject_id),
    type: String(r.type) as FeedRow['type'],
    topic: str(r.topic),
    channel: str(r.channel),
    at: String(r.at),
    sourceKind: String(r.source_kind),
    email: str(r.email),
    receiptId: str(r.receipt_id),
  };
}

export function toEvent(r: DbRow): EventRow {
  return {
    id: Number(r.id),
    subjectId: Number(r.subject_id),
    topic: str(r.topic),
    channel: str(r.channel) as EventRow['channel'],
    ...(r.purpose ? { purpose: String(r.purpose) } : {}), // a purpose's event only
    action: r.action as EventRow['action'],
    fromStatus: str(r.from_status) as EventRow['fromStatus'],
    toStatus: str(r.to_status) as EventRow['toStatus'],
    basis: str(r.basis) as EventRow['basis'],
    at: String(r.at),
    recordedAt: String(r.recorded_at),
    actorKind: String(r.actor_kind),
    sourceKind: String(r.source_kind),
    sourceRef: str(r.source_ref),
    consentText: str(r.consent_text),
    consentTextHash: str(r.consent_text_hash),
    optinId: str(r.optin_id),
    messageId: str(r.message_id),
    actorName: str(r.actor_name),
    ip: str(r.ip),
    userAgent: str(r.user_agent),
    description: str(r.description),
    proofRef: str(r.proof_ref),
  };
}

/** A token row; `hash` and `topics` come as each dialect stores them (bytes, a list). */
export function toToken(r: DbRow, hash: Buffer, topics: string[]): TokenRow {
  return {
    hash,
    purpose: r.purpose as TokenRow['purpose'],
    subjectId: num(r.subject_id),
    channel: str(r.channel) as TokenRow['channel'],
    topics,
    consentTextHash: str(r.consent_text_hash),
    ref: str(r.ref),
    pendingName: str(r.pending_name),
    createdAt: String(r.created_at),
    expiresAt: String(r.expires_at),
    usedAt: str(r.used_at),
  };
}

export function toRequest(r: DbRow): RequestRow {
  return {
    messageId: String(r.message_id),
    mailbox: String(r.mailbox),
    kind: String(r.kind),
    receivedAt: String(r.received_at),
    dueAt: String(r.due_at),
    outcome: String(r.outcome),
    subjectId: num(r.subject_id),
    address: str(r.address),
    detail: str(r.detail),
    updatedAt: String(r.updated_at),
    attempts: Number(r.attempts ?? 1),
    channel: String(r.channel ?? 'mail'),
    handledBy: str(r.handled_by),
    extendedAt: str(r.extended_at),
    extensionReason: str(r.extension_reason),
    closedAt: str(r.closed_at),
    closeNote: str(r.close_note),
  };
}

export function toErasure(r: DbRow): ErasureRow {
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

export function toMailboxState(r: DbRow): MailboxState {
  return { mailbox: String(r.mailbox), uidValidity: Number(r.uid_validity), lastUid: Number(r.last_uid), updatedAt: String(r.updated_at) };
}

/** A sent message; `topics` come as each dialect stores them (JSON text, a list). */
export function toMessage(r: DbRow, topics: string[]): MessageRow {
  return {
    subjectId: Number(r.subject_id),
    messageId: String(r.message_id),
    template: String(r.template),
    topics,
    channel: r.channel as MessageRow['channel'],
    sentAt: String(r.sent_at),
  };
}

export function toStatusCount(r: DbRow): StatusCount {
  return { topic: String(r.topic), channel: r.channel as StatusCount['channel'], status: r.status as StatusCount['status'], count: Number(r.n) };
}

export function toPurpose(r: DbRow): PurposeRow {
  return {
    subjectId: Number(r.subject_id),
    purpose: String(r.purpose),
    state: r.state as PurposeRow['state'],
    basis: r.basis as PurposeRow['basis'],
    since: String(r.since),
    until: str(r.until),
    reason: str(r.reason),
    eventId: Number(r.event_id),
    evidence: { who: str(r.ev_who), source: str(r.ev_source), at: String(r.ev_at) },
  };
}

export function toPurposeCount(r: DbRow): PurposeCount {
  return { purpose: String(r.purpose), basis: r.basis as PurposeCount['basis'], state: r.state as PurposeCount['state'], count: Number(r.n) };
}
