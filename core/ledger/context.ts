import { createHmac, hash } from 'node:crypto';
import { addDays, type Clock } from '../clock';
import { DEFAULT_CHANNEL_POLICY, type ChannelPolicy } from '../consent/decide';
import { EvidenceSchema, type Evidence } from '../consent/evidence';
import { PENDING, type Basis, type Channel, type Status, type StatusOrNone, type TokenPurpose } from '../consent/statuses';
import { resolveTransition, type Action } from '../consent/transitions';
import { InvalidInput } from '../errors';
import { LedgerKeys } from '../secrets';
import type { ConsentChange, ConsentState, NewEvent, Store, StoreTx, SubjectRow, TokenRow } from '../store/store';
import { issueToken, randomTokenBytes, tokenHash } from '../tokens';
import { parseInput } from '../validation';
import { LedgerSettingsSchema, type LedgerSettings, type TokenActionResult, type TopicOutcome } from './schemas';

/**
 * What every use case of the ledger shares: the store, the settings and the keys derived from the
 * secret, the clock, the channel policies and the suppression key; and the helpers they all use to
 * write a change (an event with its evidence, the next consent row, a link's token row).
 */
export class LedgerContext {
  readonly settings: ReturnType<typeof LedgerSettingsSchema.parse>;
  readonly keys: LedgerKeys;
  readonly policies: Record<Channel, ChannelPolicy>;
  private suppressionKey?: Buffer;

  constructor(
    readonly store: Store,
    settings: LedgerSettings,
    readonly clock: Clock,
  ) {
    const parsed = LedgerSettingsSchema.safeParse(settings);
    if (!parsed.success) {
      throw new InvalidInput(
        parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; '),
      );
    }
    this.settings = parsed.data;
    this.keys = new LedgerKeys(this.settings);
    this.policies = { ...DEFAULT_CHANNEL_POLICY, ...this.settings.channelPolicy };
  }

  now(): Date {
    return this.clock();
  }

  /**
   * The suppression key, made on first use in a transaction of its own and cached only once it is
   * committed (a store may run a transaction's function twice; nothing may leak out of a failed one).
   */
  async loadSuppressionKey(): Promise<Buffer> {
    return this.suppressionKey ?? (await this.openSuppressionKey()).key;
  }

  async openSuppressionKey(): Promise<{ key: Buffer; isNew: boolean }> {
    const opened = await this.store.transaction(async (tx) => {
      let wrapped = await tx.getMeta('suppression_key');
      if (!wrapped) {
        // Several processes may open a new ledger at once: the first key written is the key.
        const made = this.keys.newWrappedSuppressionKey();
        if (await tx.insertMetaIfAbsent('suppression_key', made.wrapped)) return { key: made.key, isNew: true };
        wrapped = (await tx.getMeta('suppression_key')) as string;
      }
      const { key, rewrapped } = this.keys.unwrap(wrapped);
      if (rewrapped) await tx.setMeta('suppression_key', rewrapped);
      return { key, isNew: false };
    });
    this.suppressionKey = opened.key;
    return opened;
  }

  /**
   * The links of one mail: a confirm and an unsubscribe/preferences token that share one random
   * part, so one stored row serves both. Each has its own purpose and expiry under its own MAC,
   * so holding the unsubscribe link does not give the confirm link.
   */
  newLinkSet(now: Date, fields: Pick<TokenRow, 'subjectId' | 'channel' | 'topics' | 'consentTextHash'> & Partial<Pick<TokenRow, 'pendingName'>>) {
    const random = randomTokenBytes();
    const hash = tokenHash(random);
    const key = this.keys.tokenKeys[0];
    const confirm = issueToken(key, 'confirm', addDays(now, this.settings.confirmDays), random, hash);
    const unsubscribe = issueToken(key, 'unsubscribe', addDays(now, this.settings.unsubscribeDays), random, hash);
    return {
      confirm,
      unsubscribe,
      row: tokenRow({ hash: confirm.hash, expiresAt: unsubscribe.expiresAt }, 'confirm', fields, now),
    };
  }

  newToken(purpose: TokenPurpose, now: Date, days: number) {
    return issueToken(this.keys.tokenKeys[0], purpose, addDays(now, days));
  }
}

export const SYSTEM_EVIDENCE: Evidence = Object.freeze({ actor: Object.freeze({ kind: 'system' as const }), source: Object.freeze({ kind: 'api' as const }) });

/**
 * ISO 8601 of an instant, remembering the last few: a batch stamps every row with the same
 * "now" and the same expiry dates, and formatting them anew for each of 100k rows shows in a profile.
 */
const isoCache = new Map<number, string>();
export function iso(at: Date): string {
  const time = at.getTime();
  let text = isoCache.get(time);
  if (text === undefined) {
    if (isoCache.size >= 16) isoCache.clear();
    text = at.toISOString();
    isoCache.set(time, text);
  }
  return text;
}

/** The consent text's version hash. A campaign has one text for all its people: hashed once. */
const lastText = { text: '', hash: hash('sha256', '', 'hex') };
export const TEXT_HASH = (text: string): string => {
  if (text !== lastText.text) {
    lastText.text = text;
    lastText.hash = hash('sha256', text, 'hex');
  }
  return lastText.hash;
};

/** The keyed hash an erased address leaves behind: no address, but a later import still matches. */
export function suppressionHash(key: Buffer, kind: 'email' | 'phone', value: string): Buffer {
  return createHmac('sha256', key).update(`${kind}:${value}`).digest();
}

/** The keyed hashes of a person's or an item's addresses (email first, then phone). */
export function suppressionHashes(key: Buffer, s: { email?: string | null; phone?: string | null }): Buffer[] {
  const out: Buffer[] = [];
  if (s.email) out.push(suppressionHash(key, 'email', s.email));
  if (s.phone) out.push(suppressionHash(key, 'phone', s.phone));
  return out;
}

/**
 * The one suppression test: for each list of keyed hashes (one item's email and phone), whether
 * any of them is suppressed, in one query for the whole batch. `ignore(item, k)` leaves the k-th
 * hash of an item out (a signup's own address, which its person's confirmation may bring back).
 */
export async function isSuppressedEach(tx: StoreTx, hashes: Buffer[][], ignore?: (item: number, k: number) => boolean): Promise<boolean[]> {
  const all = hashes.flat();
  const found = all.length > 0 ? await tx.findSuppressed(all) : new Set<string>();
  return hashes.map((hs, i) => hs.some((h, k) => found.has(h.toString('hex')) && !ignore?.(i, k)));
}

/** An event row for a change, with its evidence (and the consent text's hash). */
export function eventFrom(
  evidence: Evidence,
  base: Pick<NewEvent, 'subjectId' | 'topic' | 'channel' | 'action' | 'fromStatus' | 'toStatus' | 'basis'>,
  now: Date,
  consentText?: { text: string | null; hash: string | null },
): NewEvent {
  const text = consentText ?? (evidence.consentText ? { text: evidence.consentText, hash: TEXT_HASH(evidence.consentText) } : { text: null, hash: null });
  return {
    ...base,
    at: iso(evidence.at ?? now),
    recordedAt: iso(now),
    actorKind: evidence.actor.kind,
    sourceKind: evidence.source.kind,
    sourceRef: evidence.source.ref ?? null,
    consentText: text.text,
    consentTextHash: text.hash,
    optinId: evidence.optinId ?? null,
    messageId: evidence.messageId ?? null,
    actorName: evidence.actor.name ?? null,
    ip: evidence.ip ?? null,
    userAgent: evidence.userAgent ?? null,
    description: evidence.description ?? null,
    proofRef: evidence.proofRef ?? null,
  };
}

/** A consent row after a change, keeping the pending-period bookkeeping right. */
export function nextConsent(
  current: ConsentState | undefined,
  key: { subjectId: number; topic: string; channel: Channel },
  to: Status,
  basis: Basis,
  action: Action,
  at: string,
  since?: string,
): ConsentState {
  const wasPending = current ? PENDING.includes(current.status) : false;
  const isPending = PENDING.includes(to);
  const sends = action === 'signup' || action === 'request' || action === 'remind';
  return {
    ...key,
    status: to,
    basis,
    since: current && current.status === to ? current.since : (since ?? at),
    invitedAt: isPending ? (wasPending && action !== 'signup' ? (current?.invitedAt ?? at) : at) : null,
    lastSentAt: sends ? at : isPending ? (current?.lastSentAt ?? null) : null,
    reminders: action === 'remind' ? (current?.reminders ?? 0) + 1 : isPending && wasPending && action !== 'signup' ? (current?.reminders ?? 0) : 0,
  };
}

/** The stored row of an issued link: its hash, never the link. */
export function tokenRow(
  issued: { hash: Buffer; expiresAt: Date },
  purpose: TokenPurpose,
  fields: Partial<Pick<TokenRow, 'subjectId' | 'channel' | 'topics' | 'consentTextHash' | 'ref' | 'pendingName'>>,
  now: Date,
): TokenRow {
  return {
    hash: issued.hash,
    purpose,
    subjectId: fields.subjectId ?? null,
    channel: fields.channel ?? null,
    topics: fields.topics ?? [],
    consentTextHash: fields.consentTextHash ?? null,
    ref: fields.ref ?? null,
    pendingName: fields.pendingName ?? null,
    createdAt: iso(now),
    expiresAt: iso(issued.expiresAt),
    usedAt: null,
  };
}

/** Applies one action to several topics of one subject; returns what happened per topic. */
export async function applyToTopics(
  tx: StoreTx,
  subject: SubjectRow,
  channel: Channel,
  topics: string[],
  action: Action,
  evidence: Evidence,
  now: Date,
  text?: { text: string | null; hash: string | null },
  given: { target?: Status; givenBasis?: Basis; hasProof?: boolean } = {},
): Promise<TopicOutcome[]> {
  const at = now.toISOString();
  const current = new Map((await tx.getConsents([subject.id], undefined, channel)).map((c) => [c.topic, c]));
  const changes: ConsentChange[] = [];
  const outcomes = topics.map((topic): TopicOutcome => {
    const c = current.get(topic);
    const from: StatusOrNone = c?.status ?? 'none';
    const transition = resolveTransition(action, from, { basis: c?.basis ?? 'none', ...given });
    if (transition.kind !== 'change') {
      return { topic, from, status: from, outcome: transition.kind === 'keep' ? 'kept' : 'refused', reason: transition.reason };
    }
    const since = evidence.at?.toISOString();
    changes.push({
      consent: nextConsent(c, { subjectId: subject.id, topic, channel }, transition.to, transition.basis, action, at, since),
      event: eventFrom(
        evidence,
        { subjectId: subject.id, topic, channel, action, fromStatus: from, toStatus: transition.to, basis: transition.basis },
        now,
        text,
      ),
    });
    return { topic, from, status: transition.to, outcome: 'changed', reason: null };
  });
  await tx.writeChanges(changes);
  return outcomes;
}

/** Evidence from a caller: a wrong field is an InvalidInput naming it ("evidence, actor.name: ..."). */
export function parseEvidence(input: unknown): Evidence {
  return parseInput(EvidenceSchema, input, 'evidence');
}

export function consentKey(subjectId: number, topic: string, channel: string): string {
  return `${subjectId}|${topic}|${channel}`;
}

export async function loadConsents(tx: StoreTx, ids: number[]): Promise<Map<string, ConsentState>> {
  const rows = ids.length > 0 ? await tx.getConsents(ids) : [];
  return new Map(rows.map((c) => [consentKey(c.subjectId, c.topic, c.channel), c]));
}

export function outcomeOf(topics: TopicOutcome[], changed: 'confirmed' | 'unsubscribed'): TokenActionResult['outcome'] {
  if (topics.some((t) => t.outcome === 'changed')) return changed;
  if (topics.length > 0 && topics.every((t) => t.outcome === 'refused')) return 'refused';
  return 'unchanged';
}
