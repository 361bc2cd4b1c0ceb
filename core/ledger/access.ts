import type { SubjectRef } from '../consent/identity';
import { TokenRejected } from '../errors';
import { parseRequestDetail } from '../request-detail';
import type { ErasureRow, EventRow, StoreTx, SubjectRow } from '../store/store';
import { verifyToken } from '../tokens';
import { tokenRow, type LedgerContext } from './context';
import { exportPurposes } from './purposes';
import type { PurposeExport } from './schemas';
import { findSubject } from './subjects';

/**
 * The right of access (GDPR Art. 15): a link for one person, mailed only to the address held (or
 * printed for an officer who hands it over), and behind it the person's data package: what we hold,
 * each consent with its text and evidence, the purposes, the mails sent, the requests, the erasure
 * receipts. The link only shows: reading the package changes nothing (GET never changes state).
 */

/** How a piece of evidence reads in the package: who, how, when, and the person's own traces. */
export interface AccessEvidence {
  at: string;
  recordedAt: string;
  actor: string;
  actorName: string | null;
  source: string;
  sourceRef: string | null;
  ip: string | null;
  userAgent: string | null;
  description: string | null;
  proofRef: string | null;
  optinId: string | null;
  messageId: string | null;
}

export interface AccessConsent {
  topic: string;
  channel: string;
  status: string;
  basis: string;
  since: string;
  /** The exact text the person agreed to (or was asked to), as stored. */
  consentText: string | null;
  consentTextHash: string | null;
  evidence: AccessEvidence | null;
}

export interface AccessEvent {
  at: string;
  action: string;
  topic: string | null;
  channel: string | null;
  purpose: string | null;
  from: string | null;
  to: string | null;
  basis: string | null;
  consentText: string | null;
  evidence: AccessEvidence;
}

export interface AccessRequest {
  id: string;
  channel: string;
  kind: string;
  receivedAt: string;
  dueAt: string;
  outcome: string;
  closedAt: string | null;
  address: string | null;
}

/** Everything held about one person, as the person sees it (page and JSON). No token, no internal keys. */
export interface AccessPackage {
  generatedAt: string;
  /** Until when the link that shows this works. */
  linkExpiresAt: string;
  person: Pick<SubjectRow, 'email' | 'phone' | 'externalId' | 'name' | 'locale' | 'createdAt' | 'holdReason' | 'holdUntil' | 'suppressedAt'> & { id: number };
  consents: AccessConsent[];
  purposes: PurposeExport[];
  history: AccessEvent[];
  mails: { sentAt: string; template: string; topics: string[]; channel: string; messageId: string }[];
  requests: AccessRequest[];
  erasures: Pick<ErasureRow, 'receiptId' | 'at' | 'outcome' | 'reason' | 'actorKind' | 'sourceKind'>[];
}

export type AccessLink = { found: false } | { found: true; subjectId: number; locale: string | null; token: string; expiresAt: string };

/**
 * An access link for the person `ref` names, or `found: false` when we hold nothing about them
 * (the caller answers that too, to the address itself). `requestId` ties the link to the request
 * it answers. Joins the caller's transaction (a request mail records its outcome in the same commit).
 */
export async function issueAccessLink(ctx: LedgerContext, ref: SubjectRef, requestId?: string): Promise<AccessLink> {
  const now = ctx.now();
  return ctx.store.transaction(async (tx) => {
    const subject = await findSubject(tx, ref);
    if (!subject) return { found: false } as const;
    const issued = ctx.newToken('access', now, ctx.settings.accessDays);
    await tx.insertTokens([tokenRow(issued, 'access', { subjectId: subject.id, ref: requestId ?? null }, now)]);
    return { found: true, subjectId: subject.id, locale: subject.locale, token: issued.token, expiresAt: issued.expiresAt.toISOString() } as const;
  });
}

/** The package behind an access link. Reads only. Throws TokenRejected (forged, expired, unknown, the person erased). */
export async function accessPackage(ctx: LedgerContext, token: unknown): Promise<AccessPackage> {
  const now = ctx.now();
  const verified = verifyToken(ctx.keys.tokenKeys, token, 'access', now);
  return ctx.store.transaction(async (tx) => {
    const row = await tx.findToken(verified.hash);
    if (!row || row.purpose !== 'access' || row.subjectId === null) throw TokenRejected.of('unknown');
    const subject = (await tx.findSubjects({ ids: [row.subjectId] }))[0];
    if (!subject) throw TokenRejected.of('unknown');
    return packageOf(tx, subject, now, row.expiresAt);
  });
}

async function packageOf(tx: StoreTx, subject: SubjectRow, now: Date, linkExpiresAt: string): Promise<AccessPackage> {
  const events = await tx.listEvents(subject.id);
  const byId = new Map(events.map((e) => [e.id, e]));
  const consents = await tx.getConsents([subject.id]);
  const requests = await tx.listRequests(subject.id);
  const receipts = [...new Set(requests.map((r) => parseRequestDetail(r.detail).receipt).filter((r): r is string => Boolean(r)))];
  const erasures: AccessPackage['erasures'] = [];
  for (const id of receipts) {
    const found = await tx.findErasure(id);
    if (found) erasures.push({ receiptId: found.receiptId, at: found.at, outcome: found.outcome, reason: found.reason, actorKind: found.actorKind, sourceKind: found.sourceKind });
  }
  const { id, email, phone, externalId, name, locale, createdAt, holdReason, holdUntil, suppressedAt } = subject;
  return {
    generatedAt: now.toISOString(),
    linkExpiresAt: new Date(linkExpiresAt).toISOString(),
    person: { id, email, phone, externalId, name, locale, createdAt, holdReason, holdUntil, suppressedAt },
    consents: consents.map((c) => {
      const event = byId.get(c.eventId);
      return {
        topic: c.topic,
        channel: c.channel,
        status: c.status,
        basis: c.basis,
        since: c.since,
        consentText: event?.consentText ?? consentTextOf(events, c.consentTextHash),
        consentTextHash: c.consentTextHash,
        evidence: event ? evidenceOf(event) : null,
      };
    }),
    purposes: exportPurposes(await tx.getPurposes([subject.id]), subject),
    history: events.map((e) => ({
      at: e.at,
      action: e.action,
      topic: e.topic,
      channel: e.channel,
      purpose: e.purpose ?? null,
      from: e.fromStatus,
      to: e.toStatus,
      basis: e.basis,
      consentText: e.consentText,
      evidence: evidenceOf(e),
    })),
    mails: (await tx.listMessages(subject.id)).map((m) => ({ sentAt: m.sentAt, template: m.template, topics: m.topics, channel: m.channel, messageId: m.messageId })),
    requests: requests.map((r) => ({ id: r.messageId, channel: r.channel, kind: r.kind, receivedAt: r.receivedAt, dueAt: r.dueAt, outcome: r.outcome, closedAt: r.closedAt, address: r.address })),
    erasures,
  };
}

/** A consent whose own event carries only the text's hash (a confirmation): the text from the event that stored it. */
function consentTextOf(events: EventRow[], hash: string | null): string | null {
  if (!hash) return null;
  return events.find((e) => e.consentTextHash === hash && e.consentText)?.consentText ?? null;
}

function evidenceOf(e: EventRow): AccessEvidence {
  return {
    at: e.at,
    recordedAt: e.recordedAt,
    actor: e.actorKind,
    actorName: e.actorName,
    source: e.sourceKind,
    sourceRef: e.sourceRef,
    ip: e.ip,
    userAgent: e.userAgent,
    description: e.description,
    proofRef: e.proofRef,
    optinId: e.optinId,
    messageId: e.messageId,
  };
}
