import { createHmac, hash, randomUUID } from 'node:crypto';
import { z } from 'zod/v4';
import { addDays, addOneMonth, type Clock, systemClock } from './clock';
import { decide, DEFAULT_CHANNEL_POLICY, type ChannelPolicy, type DecisionReason } from './consent/decide';
import { EvidenceSchema, type Evidence } from './consent/evidence';
import {
  ChannelSchema,
  EmailSchema,
  onlyIfValid,
  ExternalIdSchema,
  LocaleSchema,
  PhoneSchema,
  SubjectRefSchema,
  TopicSchema,
  type SubjectRef,
} from './consent/identity';
import { BASES, CONTACTABLE, PENDING, STATUSES, type Basis, type Channel, type Status, type StatusOrNone } from './consent/statuses';
import { resolveTransition, type Action } from './consent/transitions';
import { InvalidInput, TokenRejected, TransitionRefused, type TokenProblem } from './errors';
import { ImportSession, type RowRef } from './import-session';
import { freeText, parseInput, singleLine } from './validation';
import { LedgerKeys, MAX_PREVIOUS_SECRETS, SecretSchema } from './secrets';
import { openStore, type StoreConfig } from './store/open';
import type { ConsentChange, ConsentRow, ConsentState, EventRow, MailboxLease, NewEvent, RequestRow, Store, StoreTx, SubjectRow, TokenRow } from './store/store';
import { issueToken, randomTokenBytes, readToken, SINGLE_USE, tokenHash, verifyToken, type TokenPurpose } from './tokens';
import { formatRequestDetail } from './request-detail';

/**
 * The ledger: the one façade that nodes, the CLI and the mailbox worker call. It owns the rules
 * (through the transition table and decide), the evidence and the tokens; the Store owns the SQL.
 * Batch methods take already validated items (see the *Schema exports) and run in one transaction.
 */

export const LedgerSettingsSchema = z.object({
  secret: SecretSchema,
  previousSecret: SecretSchema.optional(),
  /** Older secrets while rotating, newest first: links made under any of them still verify. */
  previousSecrets: z.array(SecretSchema).max(MAX_PREVIOUS_SECRETS, `at most ${MAX_PREVIOUS_SECRETS} previous secrets; drop those whose links have expired`).default([]),
  strict: z.boolean().default(false),
  channelPolicy: z.partialRecord(ChannelSchema, z.enum(['standard', 'strict'])).default({}),
  confirmDays: z.number().int().min(1).max(365).default(30),
  unsubscribeDays: z.number().int().min(30).max(3650).default(730),
  eraseDays: z.number().int().min(1).max(60).default(7),
  /** list-bombing guard: at most one pending invitation per address in this window */
  resendWindowMinutes: z.number().int().min(0).max(10_080).default(60),
});
export type LedgerSettings = z.input<typeof LedgerSettingsSchema>;

// ---- input schemas (one per input; callers parse with parseInput and pass the output) ----

const identity = {
  email: EmailSchema.optional(),
  phone: PhoneSchema.optional(),
  externalId: ExternalIdSchema.optional(),
  subjectId: z.coerce.number().int().positive().optional(),
};
const needsIdentity = (r: { email?: string; phone?: string; externalId?: string; subjectId?: number }) =>
  Boolean(r.email || r.phone || r.externalId || r.subjectId);

export const RequestItemSchema = z
  .object({
    ...identity,
    name: singleLine(200).optional(),
    locale: LocaleSchema.optional(),
    topics: z.array(TopicSchema).min(1, 'give at least one topic').default(['newsletter']),
    channel: ChannelSchema.default('email'),
    consentText: freeText(10_000).min(1, 'the consent text the person sees is required'),
    /** Who asked, from where. Absent: the system, through the API (one shared value, not one per item). */
    evidence: EvidenceSchema.optional(),
  })
  .refine(needsIdentity, { message: 'give an email, a phone number, an external id or a subject id', when: onlyIfValid });
export type RequestItem = z.output<typeof RequestItemSchema>;
export type RequestMode = 'signup' | 'campaign';

export const CheckItemSchema = z
  .object({ ...identity, topic: TopicSchema.default('newsletter'), channel: ChannelSchema.default('email') })
  .refine(needsIdentity, { message: 'give an email, a phone number, an external id or a subject id', when: onlyIfValid });
export type CheckItem = z.output<typeof CheckItemSchema>;

export const ImportRowSchema = z
  .object({
    email: EmailSchema.optional(),
    phone: PhoneSchema.optional(),
    externalId: ExternalIdSchema.optional(),
    name: singleLine(200).optional(),
    locale: LocaleSchema.optional(),
    topic: TopicSchema.default('newsletter'),
    channel: ChannelSchema.default('email'),
    status: z.enum(STATUSES).optional(),
    basis: z.enum(BASES).optional(),
    consentText: freeText(10_000).optional(),
    optinWho: singleLine(200).optional(),
    optinSource: singleLine(500).optional(),
    optinDate: z.coerce.date().optional(),
    optinId: singleLine(200).optional(),
    optinDescription: freeText(2000).optional(),
    previouslyMailed: z.boolean().default(false),
    noMailings: z.boolean().default(false),
  })
  .refine((r) => r.email || r.phone || r.externalId, { message: 'give an email, a phone number or an external id', when: onlyIfValid })
  .refine((r) => !(r.status === 'subscribed' && r.basis === 'none'), {
    message: 'subscribed needs a basis: consent, legitimate_interest or contract',
    path: ['basis'],
  })
  .refine((r) => r.status !== 'confirmed' || (r.basis ?? 'consent') === 'consent', {
    message: 'confirmed always holds on consent',
    path: ['basis'],
  })
  // Explicit consent counts in strict mode (phone, sms): an import must bring what it rests on.
  .refine((r) => !(r.status === 'confirmed' || (r.status === 'subscribed' && r.basis === 'consent')) || Boolean(r.consentText || r.optinId || r.optinDescription), {
    message: 'consent needs its evidence: give consent_text, optin_id or optin_description',
    path: ['consentText'],
    when: onlyIfValid,
  });
export type ImportRow = z.output<typeof ImportRowSchema>;

/** Why an erasure or a hold was made: free text, kept with the receipt or the hold. */
const ReasonSchema = z.object({ reason: freeText(1000) });

export const TopicsScopeSchema = z.union([z.literal('all'), z.array(TopicSchema).min(1)]);
export type TopicsScope = z.output<typeof TopicsScopeSchema>;

// ---- results ----

export interface TopicOutcome {
  topic: string;
  from: StatusOrNone;
  status: StatusOrNone;
  outcome: 'changed' | 'kept' | 'refused';
  reason: string | null;
}

export interface RequestResult {
  index: number;
  outcome: 'requested' | 'throttled' | 'skipped';
  reason: string | null;
  subjectId: number | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  locale: string | null;
  channel: Channel;
  topics: TopicOutcome[];
  confirmToken: string | null;
  unsubscribeToken: string | null;
  expiresAt: string | null;
}

export interface CheckResult {
  index: number;
  allowed: boolean;
  reason: DecisionReason;
  policy: ChannelPolicy;
  subjectId: number | null;
  topic: string;
  channel: Channel;
  status: StatusOrNone;
  basis: Basis;
  since: string | null;
  optin_who: string | null;
  optin_source: string | null;
  optin_date: string | null;
  optin_id: string | null;
  optin_description: string | null;
}

export interface TokenActionResult {
  outcome: 'confirmed' | 'unsubscribed' | 'updated' | 'unchanged' | 'refused';
  subjectId: number;
  channel: Channel;
  locale: string | null;
  topics: TopicOutcome[];
}

/**
 * completeEraseVerification's answer. replyTo, locale and requestDetail are for the acknowledgement
 * only (core/inbox/answer.ts erasureAcknowledgement): the request no longer keeps the address, so
 * hand them on to nothing else (never into a node's output or a log).
 */
export interface VerifiedErasure extends EraseResult {
  requestMessageId: string;
  /** The request's address (where the verification link went), null when none was kept. */
  replyTo: string | null;
  /** The erased person's stored language, read before the erasure. */
  locale: string | null;
  /** The request log's detail as the mailbox worker left it (the reply's language). */
  requestDetail: string | null;
}

export interface TokenView {
  purpose: TokenPurpose;
  subjectId: number | null;
  channel: Channel | null;
  topics: string[];
  locale: string | null;
  used: boolean;
  ref: string | null;
  /**
   * A used confirm link: those of its topics its person holds as confirmed now (only Ledger.confirm
   * uses up a confirm link, so it was used for that confirmation). Empty otherwise.
   */
  confirmedTopics: string[];
}

export interface PreferenceView {
  subjectId: number;
  locale: string | null;
  channel: Channel;
  topics: { topic: string; status: Status; subscribed: boolean; pending: boolean }[];
}

export interface EraseResult {
  outcome: 'erased' | 'suppressed' | 'not_found';
  receiptId: string;
  subjectId: number | null;
  externalIds: string[];
  holdReason: string | null;
  holdUntil: string | null;
}

export interface UnsuppressResult {
  outcome: 'lifted' | 'not_suppressed';
  /** How many keyed hashes went (the email address, the phone number). */
  lifted: number;
  /** The recorded lift (the audit row without the address). */
  liftId: number | null;
  subjectId: number | null;
}

export interface ImportResult {
  row: number;
  /** The physical line the row starts on, when the caller gave it (a CSV file). */
  line: number | null;
  outcome: 'imported' | 'kept' | 'skipped' | 'duplicate' | 'conflict';
  reason: string | null;
  /** For a duplicate: the earlier row that gave the same person, topic and channel. */
  duplicateOf?: RowRef;
  subjectId: number | null;
  topic: string;
  channel: Channel;
  status: StatusOrNone;
}

export interface DueItem {
  subjectId: number;
  email: string | null;
  phone: string | null;
  name: string | null;
  locale: string | null;
  topic: string;
  channel: Channel;
  status: StatusOrNone;
  reminders: number;
  confirmToken: string | null;
  unsubscribeToken: string | null;
}

export interface SubjectExport {
  subject: SubjectRow;
  consents: ConsentRow[];
  events: EventRow[];
  messages: Awaited<ReturnType<StoreTx['listMessages']>>;
  requests: RequestRow[];
  activeTokens: number;
}

const REQUEST_CHUNK = 250;

/** What the ledger keeps as the reason of an erasure carried out (the caller's own words are not kept). */
export const ERASURE_REASON = 'erasure request';

const SYSTEM_EVIDENCE: Evidence = Object.freeze({ actor: Object.freeze({ kind: 'system' as const }), source: Object.freeze({ kind: 'api' as const }) });

/**
 * ISO 8601 of an instant, remembering the last few: a batch stamps every row with the same
 * "now" and the same expiry dates, and formatting them anew for each of 100k rows shows in a profile.
 */
const isoCache = new Map<number, string>();
function iso(at: Date): string {
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
const TEXT_HASH = (text: string): string => {
  if (text !== lastText.text) {
    lastText.text = text;
    lastText.hash = hash('sha256', text, 'hex');
  }
  return lastText.hash;
};


/** What a face (CLI, worker, nodes, credential test) needs to open a ledger. */
export interface LedgerConfig {
  /** Which database: the SQLite file or the PostgreSQL server (validated; a wrong field is named). */
  store: StoreConfig;
  settings: LedgerSettings;
  clock?: Clock;
}

export interface OpenedLedger {
  ledger: Ledger;
  /** True when this open set up a new, empty ledger (its suppression key was made now). */
  isNewLedger: boolean;
}

export type { MailboxLease, StoreConfig };

/** Errors Ledger.open met while opening the store itself (not the secret): see failedOpeningStore. */
const storeFailures = new WeakSet<object>();

/** Whether `error` came from opening the ledger's database (the credential test says so in words). */
export function failedOpeningStore(error: unknown): boolean {
  return typeof error === 'object' && error !== null && storeFailures.has(error);
}

/**
 * Mailboxes leased inside this process, for a store without a lease of its own (SQLite: one
 * process): a queue per mailbox, so two workers in one process never drain the same one.
 */
const processLeases = new Map<string, Promise<void>>();

export class Ledger {
  /**
   * The one way a face reaches a ledger: opens the store, builds the ledger and checks the secret
   * against it. On any failure the store is closed again (no pool connection is left open).
   */
  static async open(config: LedgerConfig): Promise<OpenedLedger> {
    let store: Store;
    try {
      store = await openStore(config.store);
    } catch (error) {
      if (typeof error === 'object' && error !== null) storeFailures.add(error);
      throw error;
    }
    try {
      const ledger = new Ledger(store, config.settings, config.clock);
      const { isNewLedger } = await ledger.verifySecret();
      return { ledger, isNewLedger };
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
  }

  readonly settings: z.output<typeof LedgerSettingsSchema>;
  private readonly keys: LedgerKeys;
  private readonly policies: Record<Channel, ChannelPolicy>;
  private suppressionKey?: Buffer;

  constructor(
    readonly store: Store,
    settings: LedgerSettings,
    readonly clock: Clock = systemClock,
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

  close(): Promise<void> {
    return this.store.close();
  }

  /** Which database holds this ledger. */
  get dialect(): Store['dialect'] {
    return this.store.dialect;
  }

  private now(): Date {
    return this.clock();
  }

  // ---------------------------------------------------------------- keys and suppression

  /**
   * The suppression key, made on first use in a transaction of its own and cached only once it is
   * committed (a store may run a transaction's function twice; nothing may leak out of a failed one).
   */
  private async loadSuppressionKey(): Promise<Buffer> {
    return this.suppressionKey ?? (await this.openSuppressionKey()).key;
  }

  private async openSuppressionKey(): Promise<{ key: Buffer; isNew: boolean }> {
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

  /** The keyed hash an erased address leaves behind: no address, but a later import still matches. */
  private suppressionHash(key: Buffer, kind: 'email' | 'phone', value: string): Buffer {
    return createHmac('sha256', key).update(`${kind}:${value}`).digest();
  }

  private suppressionHashes(key: Buffer, s: { email?: string | null; phone?: string | null }): Buffer[] {
    const out: Buffer[] = [];
    if (s.email) out.push(this.suppressionHash(key, 'email', s.email));
    if (s.phone) out.push(this.suppressionHash(key, 'phone', s.phone));
    return out;
  }

  /** Checks the secret against this ledger (the credential test and the CLI call it). */
  async verifySecret(): Promise<{ isNewLedger: boolean }> {
    return { isNewLedger: (await this.openSuppressionKey()).isNew };
  }

  // ---------------------------------------------------------------- helpers

  private eventFrom(
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
  private nextConsent(
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

  private async findSubject(tx: StoreTx, ref: SubjectRef): Promise<SubjectRow | undefined> {
    ref = parseInput(SubjectRefSchema, ref, 'subject');
    const found = await tx.findSubjects({
      emails: ref.email ? [ref.email] : [],
      phones: ref.phone ? [ref.phone] : [],
      externalIds: ref.externalId ? [ref.externalId] : [],
      ids: ref.subjectId ? [ref.subjectId] : [],
    });
    return pickSubject(found, ref);
  }

  /**
   * The links of one mail: a confirm and an unsubscribe/preferences token that share one random
   * part, so one stored row serves both. Each has its own purpose and expiry under its own MAC,
   * so holding the unsubscribe link does not give the confirm link.
   */
  private newLinkSet(now: Date, fields: Pick<TokenRow, 'subjectId' | 'channel' | 'topics' | 'consentTextHash'> & Partial<Pick<TokenRow, 'pendingName'>>) {
    const random = randomTokenBytes();
    const hash = tokenHash(random);
    const key = this.keys.tokenKeys[0];
    const confirm = issueToken(key, 'confirm', addDays(now, this.settings.confirmDays), random, hash);
    const unsubscribe = issueToken(key, 'unsubscribe', addDays(now, this.settings.unsubscribeDays), random, hash);
    return {
      confirm,
      unsubscribe,
      row: this.tokenRow({ hash: confirm.hash, expiresAt: unsubscribe.expiresAt }, 'confirm', fields, now),
    };
  }

  private newToken(purpose: TokenPurpose, now: Date, days: number) {
    return issueToken(this.keys.tokenKeys[0], purpose, addDays(now, days));
  }

  private tokenRow(
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

  // ---------------------------------------------------------------- request (signup, campaign)

  /**
   * Asks for consent. signup: the person asked (webform); campaign: bulk re-permission, which the
   * transition table limits (never unsubscribed, bounced, blacklisted, or already consenting).
   * Suppressed addresses are skipped in both. Returns one result per item, in order.
   */
  async request(items: RequestItem[], mode: RequestMode): Promise<RequestResult[]> {
    const now = this.now();
    const key = await this.loadSuppressionKey();
    return this.store.transaction(async (tx) => {
      // Chunks keep memory flat on a 100k campaign and give a dialect batches of a fair size.
      const results: RequestResult[] = [];
      for (let from = 0; from < items.length; from += REQUEST_CHUNK) {
        results.push(...(await this.requestChunk(tx, items.slice(from, from + REQUEST_CHUNK), key, from, mode, now)));
      }
      return results;
    });
  }

  private async requestChunk(tx: StoreTx, items: RequestItem[], key: Buffer, offset: number, mode: RequestMode, now: Date): Promise<RequestResult[]> {
    const hashes = items.map((item) => this.suppressionHashes(key, item));
    const at = iso(now);
    const action: Action = mode === 'signup' ? 'signup' : 'request';
    const windowStart = new Date(now.getTime() - this.settings.resendWindowMinutes * 60_000).toISOString();
    const suppressed = await tx.findSuppressed(hashes.flat());
    // An erased address may come back through the person's own double opt-in: a signup on email
    // still mails the confirmation to it (the same neutral answer as for any address, under the
    // same list-bombing limit), and only the person's confirmation lifts the suppression (confirm).
    // Campaigns, imports and any other suppressed identifier stay blocked. (An item with an email
    // has that address's hash first.)
    const mayComeBack = (item: RequestItem) => mode === 'signup' && item.channel === 'email' && Boolean(item.email);
    const isSuppressed = items.map((item, i) => hashes[i].some((h, k) => suppressed.has(h.toString('hex')) && !(k === 0 && mayComeBack(item))));

    // A signup's name is only what someone typed into a form: it waits with the signup's link and
    // names the subject once that link is used (confirm). A campaign's comes from the operator.
    const forSubjects = mode === 'signup' ? items.map(({ name: _pending, ...rest }) => rest) : items;
    const { subjects, created } = await this.resolveSubjectsWithNew(tx, forSubjects, (item, i) => !isSuppressed[i] && Boolean(item.email || item.phone || item.externalId), at);
    await this.markSuppressedSubjects(tx, key, subjects, hashes, isSuppressed);
    const ids = [...new Set([...subjects.values()].map((s) => s.id))];
    await tx.lockSubjects(ids);
    // A subject made in this chunk has no consents yet: only the known ones are read.
    const consents = await loadConsents(tx, ids.filter((id) => !created.has(id)));

    const changes: ConsentChange[] = [];
    const tokens: TokenRow[] = [];
    const results = items.map((item, i): RequestResult => {
      const subject = subjects.get(i);
      const result: RequestResult = {
        index: offset + i,
        outcome: 'skipped',
        reason: null,
        subjectId: subject?.id ?? null,
        email: subject?.email ?? item.email ?? null,
        phone: subject?.phone ?? item.phone ?? null,
        // The mail of a signup greets the name given in that signup, never another one waiting.
        name: mode === 'signup' ? (item.name ?? subject?.name ?? null) : (subject?.name ?? item.name ?? null),
        locale: subject?.locale ?? item.locale ?? null,
        channel: item.channel,
        topics: [],
        confirmToken: null,
        unsubscribeToken: null,
        expiresAt: null,
      };
      if (isSuppressed[i] || subject?.suppressedAt) {
        result.reason = 'suppressed';
        return result;
      }
      if (!subject) {
        result.reason = 'not in the ledger';
        return result;
      }
      const textHash = TEXT_HASH(item.consentText);
      const current = item.topics.map((topic) => consents.get(consentKey(subject.id, topic, item.channel)));
      // List-bombing guard: an address mailed for any of these topics within the window is not
      // mailed again, whatever its status (a signup of someone subscribed sends a confirmation too).
      if (mode === 'signup' && current.some((c) => (c?.lastSentAt ?? '') > windowStart)) {
        result.outcome = 'throttled';
        result.reason = `a confirmation was sent less than ${this.settings.resendWindowMinutes} minutes ago`;
        result.topics = item.topics.map((topic, t) => {
          const from: StatusOrNone = current[t]?.status ?? 'none';
          return { topic, from, status: from, outcome: 'kept', reason: result.reason };
        });
        return result;
      }
      const changed: string[] = [];
      item.topics.forEach((topic, t) => {
        const c = current[t];
        const from: StatusOrNone = c?.status ?? 'none';
        const transition = resolveTransition(action, from, { basis: c?.basis ?? 'none' });
        if (transition.kind !== 'change') {
          result.topics.push({ topic, from, status: from, outcome: transition.kind === 'keep' ? 'kept' : 'refused', reason: transition.reason });
          return;
        }
        const next = this.nextConsent(c, { subjectId: subject.id, topic, channel: item.channel }, transition.to, transition.basis, action, at);
        const event = this.eventFrom(
          item.evidence ?? SYSTEM_EVIDENCE,
          { subjectId: subject.id, topic, channel: item.channel, action, fromStatus: from, toStatus: transition.to, basis: transition.basis },
          now,
          { text: item.consentText, hash: textHash },
        );
        changes.push({ consent: next, event });
        consents.set(consentKey(subject.id, topic, item.channel), next);
        result.topics.push({ topic, from, status: transition.to, outcome: 'changed', reason: null });
        changed.push(topic);
      });
      if (changed.length === 0) {
        result.reason = result.topics.map((x) => `${x.topic}: ${x.reason}`).join('; ');
        return result;
      }
      const { confirm, unsubscribe, row } = this.newLinkSet(now, {
        subjectId: subject.id,
        channel: item.channel,
        topics: item.topics,
        consentTextHash: textHash,
        pendingName: mode === 'signup' ? (item.name ?? null) : null,
      });
      tokens.push(row);
      result.outcome = 'requested';
      result.confirmToken = confirm.token;
      result.unsubscribeToken = unsubscribe.token;
      result.expiresAt = iso(confirm.expiresAt);
      return result;
    });
    await tx.writeChanges(changes);
    await tx.insertTokens(tokens);
    return results;
  }

  /**
   * A subject named by another identifier than its address (a campaign names people by id) may
   * still have a suppressed address: one waiting for its person's confirmation after an erasure.
   * Those items are marked suppressed too.
   */
  private async markSuppressedSubjects(tx: StoreTx, key: Buffer, subjects: Map<number, SubjectRow>, itemHashes: Buffer[][], isSuppressed: boolean[]): Promise<void> {
    const bySubject = new Map<number, Buffer[]>();
    for (const [i, subject] of subjects) {
      if (isSuppressed[i]) continue;
      const more = this.suppressionHashes(key, subject).filter((h) => !itemHashes[i].some((known) => known.equals(h)));
      if (more.length > 0) bySubject.set(i, more);
    }
    if (bySubject.size === 0) return;
    const found = await tx.findSuppressed([...bySubject.values()].flat());
    for (const [i, hs] of bySubject) if (hs.some((h) => found.has(h.toString('hex')))) isSuppressed[i] = true;
  }

  /**
   * Finds each item's subject, creating the missing ones (one insert for the batch). Items that
   * name the same person share one subject. Missing identity fields are filled in, never replaced.
   */
  private async resolveSubjectsWithNew<I extends { email?: string; phone?: string; externalId?: string; subjectId?: number; name?: string; locale?: string }>(
    tx: StoreTx,
    items: I[],
    mayCreate: (item: I, index: number) => boolean,
    at: string,
  ): Promise<{ subjects: Map<number, SubjectRow>; created: Set<number> }> {
    const found = await tx.findSubjects({
      emails: items.flatMap((i) => (i.email ? [i.email] : [])),
      phones: items.flatMap((i) => (i.phone ? [i.phone] : [])),
      externalIds: items.flatMap((i) => (i.externalId ? [i.externalId] : [])),
      ids: items.flatMap((i) => (i.subjectId ? [i.subjectId] : [])),
    });
    const index = new SubjectIndex(found);
    const byItem = new Map<number, SubjectRow>();
    const toCreate = new Map<string, { row: Parameters<StoreTx['insertSubjects']>[0][number]; items: number[] }>();
    items.forEach((item, i) => {
      const subject = index.match(item);
      if (subject) {
        byItem.set(i, subject);
        return;
      }
      if (!mayCreate(item, i)) return;
      const key = item.email ? `e:${item.email}` : item.phone ? `p:${item.phone}` : `x:${item.externalId}`;
      const pending = toCreate.get(key);
      if (pending) {
        pending.items.push(i);
        return;
      }
      toCreate.set(key, {
        row: {
          email: item.email ?? null,
          phone: item.phone ?? null,
          externalId: item.externalId ?? null,
          name: item.name ?? null,
          locale: item.locale ?? null,
          createdAt: at,
        },
        items: [i],
      });
    });
    const created = new Set<number>();
    if (toCreate.size > 0) {
      const pending = [...toCreate.values()];
      const made = await tx.insertSubjects(pending.map((p) => p.row));
      made.forEach((subject, k) => {
        created.add(subject.id);
        pending[k].items.forEach((i) => byItem.set(i, subject));
      });
    }
    // Fill in blanks on known subjects (a name given at signup, a phone from an import).
    for (const [i, subject] of byItem) {
      const item = items[i];
      const patch: Partial<SubjectRow> = {};
      if (!subject.name && item.name) patch.name = item.name;
      if (!subject.locale && item.locale) patch.locale = item.locale;
      if (!subject.phone && item.phone && !index.hasPhone(item.phone)) patch.phone = item.phone;
      if (!subject.email && item.email && !index.hasEmail(item.email)) patch.email = item.email;
      if (!subject.externalId && item.externalId && !index.hasExternalId(item.externalId)) patch.externalId = item.externalId;
      if (Object.keys(patch).length > 0) {
        await tx.updateSubject(subject.id, patch);
        Object.assign(subject, patch);
        index.add(subject);
      }
    }
    return { subjects: byItem, created };
  }

  // ---------------------------------------------------------------- tokens: view, confirm

  /**
   * The first look at a link, before anything else: shape, MAC, purpose and expiry, with no
   * database, no promise and no exception. A flood of forged links costs about one HMAC each.
   * Returns null for a link worth looking up, else the problem.
   */
  checkLink(token: unknown, purpose: TokenPurpose): TokenProblem | null {
    const read = readToken(this.keys.tokenKeys, token, purpose, this.now());
    return typeof read === 'string' ? read : null;
  }

  /** What a link is about, for the page a GET shows. Changes nothing. Throws TokenRejected. */
  async viewToken(token: unknown, purpose: TokenPurpose): Promise<TokenView> {
    const verified = verifyToken(this.keys.tokenKeys, token, purpose, this.now());
    return this.store.transaction(async (tx) => {
      const row = await tx.findToken(verified.hash);
      if (!row) throw TokenRejected.of('unknown');
      const subject = row.subjectId ? (await tx.findSubjects({ ids: [row.subjectId] }))[0] : undefined;
      if (row.subjectId && !subject) throw TokenRejected.of('unknown');
      return {
        purpose,
        subjectId: row.subjectId,
        channel: row.channel,
        topics: row.topics,
        locale: subject?.locale ?? null,
        used: SINGLE_USE[purpose] && row.usedAt !== null,
        ref: row.ref,
        confirmedTopics: await usedConfirmTopics(tx, purpose, row),
      };
    });
  }

  /** The POST behind a confirm link: single use; records the click's time, IP and user agent. */
  async confirm(token: unknown, evidenceInput: unknown): Promise<TokenActionResult> {
    const now = this.now();
    const verified = verifyToken(this.keys.tokenKeys, token, 'confirm', now);
    const evidence = parseEvidence(evidenceInput ?? {});
    const key = await this.loadSuppressionKey();
    return this.store.transaction(async (tx) => {
      const row = await tx.findToken(verified.hash);
      if (!row || row.subjectId === null || row.channel === null) throw TokenRejected.of('unknown');
      // The subject first, then the token: the same order as erase, so the two never deadlock.
      await tx.lockSubjects([row.subjectId]);
      if (!(await tx.claimToken(verified.hash, now.toISOString()))) throw TokenRejected.of('used');
      const subject = (await tx.findSubjects({ ids: [row.subjectId] }))[0];
      if (!subject) throw TokenRejected.of('unknown');
      const text = row.consentTextHash ? { text: null, hash: row.consentTextHash } : undefined;
      const topics = await this.applyToTopics(tx, subject, row.channel, row.topics, 'confirm', evidence, now, text);
      const outcome = outcomeOf(topics, 'confirmed');
      // The person proved the mailbox: the name they gave in this signup is now theirs, replacing
      // one given in an earlier signup or by an operator. The names waiting on older links (a
      // stranger's signup among them) can no longer replace it.
      if (row.pendingName && outcome !== 'refused') {
        if (row.pendingName !== subject.name) await tx.updateSubject(subject.id, { name: row.pendingName });
        await tx.clearPendingNames(subject.id, row.createdAt);
      }
      // An erased person who signed up again and now confirmed from that mailbox is back: the
      // suppression of the address lifts, recorded with the evidence of this confirmation.
      if (row.channel === 'email' && subject.email && outcome === 'confirmed') {
        if ((await tx.removeSuppressions([this.suppressionHash(key, 'email', subject.email)])) > 0) {
          await tx.appendEvents([
            this.eventFrom({ ...evidence, description: 'suppression lifted: the person confirmed their own signup' }, {
              subjectId: subject.id, topic: null, channel: 'email', action: 'unsuppress', fromStatus: null, toStatus: null, basis: null,
            }, now),
          ]);
        }
      }
      return {
        outcome,
        subjectId: subject.id,
        channel: row.channel,
        locale: subject.locale,
        topics,
      };
    });
  }

  /** Applies one action to several topics of one subject; returns what happened per topic. */
  private async applyToTopics(
    tx: StoreTx,
    subject: SubjectRow,
    channel: Channel,
    topics: string[],
    action: Action,
    evidence: Evidence,
    now: Date,
    text?: { text: string | null; hash: string | null },
    ctx: { target?: Status; givenBasis?: Basis; hasProof?: boolean } = {},
  ): Promise<TopicOutcome[]> {
    const at = now.toISOString();
    const current = new Map((await tx.getConsents([subject.id], undefined, channel)).map((c) => [c.topic, c]));
    const changes: ConsentChange[] = [];
    const outcomes = topics.map((topic): TopicOutcome => {
      const c = current.get(topic);
      const from: StatusOrNone = c?.status ?? 'none';
      const transition = resolveTransition(action, from, { basis: c?.basis ?? 'none', ...ctx });
      if (transition.kind !== 'change') {
        return { topic, from, status: from, outcome: transition.kind === 'keep' ? 'kept' : 'refused', reason: transition.reason };
      }
      const since = evidence.at?.toISOString();
      changes.push({
        consent: this.nextConsent(c, { subjectId: subject.id, topic, channel }, transition.to, transition.basis, action, at, since),
        event: this.eventFrom(
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

  // ---------------------------------------------------------------- unsubscribe, preferences

  /**
   * Unsubscribe through a link (GET shows a page; this is the POST, or the RFC 8058 one-click POST).
   * Not single-use: a second click changes nothing and says so.
   */
  async unsubscribeByToken(token: unknown, scope: TopicsScope | 'link', evidenceInput: unknown): Promise<TokenActionResult> {
    const now = this.now();
    const verified = verifyToken(this.keys.tokenKeys, token, 'unsubscribe', now);
    const evidence = parseEvidence(evidenceInput ?? {});
    return this.store.transaction(async (tx) => {
      const row = await tx.findToken(verified.hash);
      if (!row || row.subjectId === null || row.channel === null) throw TokenRejected.of('unknown');
      const subject = (await tx.findSubjects({ ids: [row.subjectId] }))[0];
      if (!subject) throw TokenRejected.of('unknown');
      await tx.lockSubjects([subject.id]);
      const topics =
        scope === 'link' ? row.topics : scope === 'all' ? (await tx.getConsents([subject.id], undefined, row.channel)).map((c) => c.topic) : scope;
      const outcomes = await this.applyToTopics(tx, subject, row.channel, topics, 'unsubscribe', evidence, now);
      return { outcome: outcomeOf(outcomes, 'unsubscribed'), subjectId: subject.id, channel: row.channel, locale: subject.locale, topics: outcomes };
    });
  }

  /** Unsubscribe by address, for trusted input (a CRM, an operator, a proven mail). */
  async unsubscribeByRef(
    ref: SubjectRef,
    scope: TopicsScope,
    channel: Channel,
    evidenceInput: unknown,
  ): Promise<(TokenActionResult & { found: true }) | { found: false; outcome: 'not_found' }> {
    ref = parseInput(SubjectRefSchema, ref, 'subject');
    const now = this.now();
    const evidence = parseEvidence(evidenceInput ?? {});
    const key = await this.loadSuppressionKey();
    const hashes = this.suppressionHashes(key, ref);
    return this.store.transaction(async (tx) => {
      let subject = await this.findSubject(tx, ref);
      // An erased address stays erased: its refusal is already kept as a suppression.
      const isSuppressed = !subject && hashes.length > 0 && (await tx.findSuppressed(hashes)).size > 0;
      if (!subject && !isSuppressed && scope !== 'all' && (ref.email || ref.phone)) {
        // Remember the refusal, so no campaign asks this address later.
        [subject] = await tx.insertSubjects([
          { email: ref.email ?? null, phone: ref.phone ?? null, externalId: ref.externalId ?? null, name: null, locale: null, createdAt: now.toISOString() },
        ]);
      }
      if (!subject) return { found: false as const, outcome: 'not_found' as const };
      await tx.lockSubjects([subject.id]);
      const topics = scope === 'all' ? (await tx.getConsents([subject.id], undefined, channel)).map((c) => c.topic) : scope;
      const outcomes = await this.applyToTopics(tx, subject, channel, topics, 'unsubscribe', evidence, now);
      return { found: true as const, outcome: outcomeOf(outcomes, 'unsubscribed'), subjectId: subject.id, channel, locale: subject.locale, topics: outcomes };
    });
  }

  /** The preferences page: the topics the person has on the link's channel. Changes nothing. */
  async preferences(token: unknown): Promise<PreferenceView> {
    const verified = verifyToken(this.keys.tokenKeys, token, 'unsubscribe', this.now());
    return this.store.transaction(async (tx) => {
      const row = await tx.findToken(verified.hash);
      if (!row || row.subjectId === null || row.channel === null) throw TokenRejected.of('unknown');
      const subject = (await tx.findSubjects({ ids: [row.subjectId] }))[0];
      if (!subject) throw TokenRejected.of('unknown');
      const consents = await tx.getConsents([subject.id], undefined, row.channel);
      return {
        subjectId: subject.id,
        locale: subject.locale,
        channel: row.channel,
        // A pending topic is not ticked: a pre-ticked box is not consent (CJEU C-673/17, Planet49).
        topics: consents.map((c) => ({ topic: c.topic, status: c.status, subscribed: CONTACTABLE.includes(c.status), pending: PENDING.includes(c.status) })),
      };
    });
  }

  /**
   * Applies the preferences form: an unticked topic is unsubscribed; a ticked one that is not
   * subscribed is signed up and confirmed at once (the link proves the mailbox, like a confirm
   * link does). Only topics the person already has can change; others in the form are ignored.
   */
  async setPreferences(token: unknown, wanted: Record<string, boolean>, consentText: string, evidenceInput: unknown): Promise<TokenActionResult> {
    const now = this.now();
    const verified = verifyToken(this.keys.tokenKeys, token, 'unsubscribe', now);
    const evidence = parseEvidence(evidenceInput ?? {});
    const text = { text: consentText, hash: TEXT_HASH(consentText) };
    return this.store.transaction(async (tx) => {
      const row = await tx.findToken(verified.hash);
      if (!row || row.subjectId === null || row.channel === null) throw TokenRejected.of('unknown');
      const subject = (await tx.findSubjects({ ids: [row.subjectId] }))[0];
      if (!subject) throw TokenRejected.of('unknown');
      await tx.lockSubjects([subject.id]);
      const consents = await tx.getConsents([subject.id], undefined, row.channel);
      const off = consents.filter((c) => wanted[c.topic] === false && (CONTACTABLE.includes(c.status) || PENDING.includes(c.status))).map((c) => c.topic);
      const on = consents.filter((c) => wanted[c.topic] === true && !CONTACTABLE.includes(c.status)).map((c) => c.topic);
      const turnedOff = await this.applyToTopics(tx, subject, row.channel, off, 'unsubscribe', evidence, now);
      const signedUp = await this.applyToTopics(tx, subject, row.channel, on, 'signup', evidence, now, text);
      const confirmable = signedUp.filter((t) => t.outcome === 'changed').map((t) => t.topic);
      const confirmed = new Map(
        (await this.applyToTopics(tx, subject, row.channel, confirmable, 'confirm', evidence, now, text)).map((t) => [t.topic, t]),
      );
      // A ticked topic reports its whole step: from where it was to confirmed.
      const turnedOn = signedUp.map((t) => {
        const c = confirmed.get(t.topic);
        return c ? { ...c, from: t.from } : t;
      });
      const topics = [...turnedOff, ...turnedOn];
      return {
        outcome: topics.some((t) => t.outcome === 'changed') ? 'updated' : 'unchanged',
        subjectId: subject.id,
        channel: row.channel,
        locale: subject.locale,
        topics,
      };
    });
  }

  // ---------------------------------------------------------------- check

  /** May I contact this subject on this channel for this topic now? One transaction per batch. */
  async check(items: CheckItem[], options: { strict?: boolean } = {}): Promise<CheckResult[]> {
    const strict = options.strict ?? this.settings.strict;
    const hits = await this.store.transaction((tx) => tx.checkConsents(items));
    // Only an unknown address needs its suppression hash: it tells "erased" from "never known".
    const unknown = items.flatMap((item, i) => (hits[i] === undefined && (item.email || item.phone) ? [i] : []));
    const suppressedAt = new Set<number>();
    if (unknown.length > 0) {
      const key = await this.loadSuppressionKey();
      const hashes = unknown.map((i) => this.suppressionHashes(key, items[i]));
      const found = await this.store.transaction((tx) => tx.findSuppressed(hashes.flat()));
      unknown.forEach((i, k) => hashes[k].some((h) => found.has(h.toString('hex'))) && suppressedAt.add(i));
    }
    return items.map((item, i): CheckResult => {
      const hit = hits[i];
      const c = hit?.consent ?? null;
      const decision = decide(
        {
          known: hit !== undefined,
          suppressed: hit ? hit.suppressedAt !== null : suppressedAt.has(i),
          status: c?.status ?? 'none',
          basis: c?.basis ?? 'none',
          channel: item.channel,
        },
        strict,
        this.policies,
      );
      return {
        index: i,
        ...decision,
        subjectId: hit?.subjectId ?? null,
        topic: item.topic,
        channel: item.channel,
        status: c?.status ?? 'none',
        basis: c?.basis ?? 'none',
        since: c?.since ?? null,
        // CallPro opt-in fields, from the evidence of the event that set the current status.
        optin_who: c?.evidence.who ?? null,
        optin_source: c?.evidence.source ?? null,
        optin_date: c ? c.evidence.at.slice(0, 10) : null,
        // CallPro wants an id for every opt-in: the external one, else the ledger's event.
        optin_id: c ? (c.evidence.optinId ?? `ledger-event-${c.eventId}`) : null,
        optin_description: c?.evidence.description ?? null,
      };
    });
  }

  // ---------------------------------------------------------------- reminders and expiry

  /**
   * Invitations waiting more than `afterDays` since the last mail, with fewer than `maxReminders`
   * reminders: each becomes `reminded` and gets fresh links for the reminder mail.
   */
  async remind(options: { afterDays: number; maxReminders: number; topic?: string; channel?: Channel; limit?: number; evidence?: unknown }): Promise<DueItem[]> {
    const now = this.now();
    const evidence = parseEvidence(options.evidence ?? { actor: { kind: 'system' }, source: { kind: 'workflow', ref: 'reminders' } });
    return this.store.transaction(async (tx) => {
      const due = await tx.findPending({
        statuses: ['invited', 'reminded'],
        column: 'lastSentAt',
        before: addDays(now, -options.afterDays).toISOString(),
        maxReminders: options.maxReminders,
        topic: options.topic,
        channel: options.channel,
        limit: options.limit ?? 100_000,
      });
      return this.advance(tx, due, 'remind', evidence, now);
    });
  }

  /** Signups and invitations unanswered for more than `afterDays` since they began: expired. */
  async expire(options: { afterDays: number; topic?: string; channel?: Channel; limit?: number; evidence?: unknown }): Promise<DueItem[]> {
    const now = this.now();
    const evidence = parseEvidence(options.evidence ?? { actor: { kind: 'system' }, source: { kind: 'workflow', ref: 'expiry' } });
    return this.store.transaction(async (tx) => {
      const lapsed = await tx.findPending({
        statuses: ['optin', 'invited', 'reminded'],
        column: 'invitedAt',
        before: addDays(now, -options.afterDays).toISOString(),
        topic: options.topic,
        channel: options.channel,
        limit: options.limit ?? 100_000,
      });
      return this.advance(tx, lapsed, 'expire', evidence, now);
    });
  }

  private async advance(tx: StoreTx, rows: ConsentRow[], action: 'remind' | 'expire', evidence: Evidence, now: Date): Promise<DueItem[]> {
    const at = now.toISOString();
    const ids = [...new Set(rows.map((r) => r.subjectId))];
    await tx.lockSubjects(ids);
    const subjects = new Map((await tx.findSubjects({ ids })).map((s) => [s.id, s]));
    const changes: ConsentChange[] = [];
    const tokens: TokenRow[] = [];
    const items: DueItem[] = [];
    for (const c of rows) {
      const subject = subjects.get(c.subjectId);
      const transition = resolveTransition(action, c.status, { basis: c.basis });
      if (!subject || transition.kind !== 'change') continue;
      // The text the person was asked to agree to travels along with each reminder and its link.
      const textHash = c.consentTextHash;
      changes.push({
        consent: this.nextConsent(c, c, transition.to, transition.basis, action, at),
        event: this.eventFrom(
          evidence,
          { subjectId: c.subjectId, topic: c.topic, channel: c.channel, action, fromStatus: c.status, toStatus: transition.to, basis: transition.basis },
          now,
          { text: null, hash: textHash },
        ),
      });
      const item: DueItem = {
        subjectId: subject.id,
        email: subject.email,
        phone: subject.phone,
        name: subject.name,
        locale: subject.locale,
        topic: c.topic,
        channel: c.channel,
        status: transition.to,
        reminders: action === 'remind' ? c.reminders + 1 : c.reminders,
        confirmToken: null,
        unsubscribeToken: null,
      };
      if (action === 'remind') {
        // Only a hash of the first link is stored, so a reminder carries a new one; both work.
        const { confirm, unsubscribe, row } = this.newLinkSet(now, { subjectId: subject.id, channel: c.channel, topics: [c.topic], consentTextHash: textHash });
        tokens.push(row);
        item.confirmToken = confirm.token;
        item.unsubscribeToken = unsubscribe.token;
      }
      items.push(item);
    }
    await tx.writeChanges(changes);
    await tx.insertTokens(tokens);
    return items;
  }

  // ---------------------------------------------------------------- import, manual change, bounce

  /**
   * Imports existing contacts with their basis (SuperOffice's migration rules when no status is
   * given: no_mailings → unsubscribed; previously mailed → subscribed on legitimate interest;
   * neither → the person is recorded with no consent). Suppressed addresses are skipped.
   * `rows` pairs each parsed row with its row number (and line) in the file; one call is one
   * transaction, so a file is imported in batches (core/import.ts) that share one `session`.
   *
   * One row names one person. A row whose email, phone and external id belong to different
   * people (in the ledger, or made by an earlier row), or whose email or external id belongs to
   * a person who has another one, is a `conflict`: reported with the row, nothing written. A row
   * that gives a person, topic and channel an earlier row of the same import gave is a
   * `duplicate` of that row: the first one counts.
   */
  async importContacts(rows: { row: number; line?: number; data: ImportRow }[], evidenceInput: unknown, session = new ImportSession()): Promise<ImportResult[]> {
    const now = this.now();
    const at = now.toISOString();
    const base = parseEvidence(evidenceInput ?? { actor: { kind: 'operator' }, source: { kind: 'import' } });
    const key = await this.loadSuppressionKey();
    const data = rows.map((r) => r.data);
    const ref = (i: number): RowRef => ({ row: rows[i].row, line: rows[i].line ?? 0 });
    const where = (r: RowRef) => `row ${r.row}${r.line ? ` (line ${r.line})` : ''}`;
    const { results, firstRows, firstConsents } = await this.store.transaction(async (tx) => {
      // A ledger nobody was erased from has no suppression list: then no row needs hashing.
      let isSuppressedAt: boolean[] = new Array<boolean>(data.length).fill(false);
      if (await tx.hasSuppressions()) {
        const hashes = data.map((d) => this.suppressionHashes(key, d));
        const suppressed = await tx.findSuppressed(hashes.flat());
        isSuppressedAt = data.map((_, i) => hashes[i].some((h) => suppressed.has(h.toString('hex'))));
      }
      const live = data.filter((_, i) => !isSuppressedAt[i]);
      const found = await tx.findSubjects({
        emails: live.flatMap((d) => (d.email ? [d.email] : [])),
        phones: live.flatMap((d) => (d.phone ? [d.phone] : [])),
        externalIds: live.flatMap((d) => (d.externalId ? [d.externalId] : [])),
      });
      // Who each identifier belongs to: the ledger's people, then those this batch makes.
      const byEmail = new Map<string, SubjectRow>();
      const byPhone = new Map<string, SubjectRow>();
      const byExternal = new Map<string, SubjectRow>();
      const index = (s: SubjectRow) => {
        if (s.email) byEmail.set(s.email, s);
        if (s.phone) byPhone.set(s.phone, s);
        if (s.externalId) byExternal.set(s.externalId, s);
      };
      found.forEach(index);
      const known = new Set(found.map((s) => s.id));
      const firstIn = new Map<SubjectRow, RowRef>(); // the row of this batch that first named a person
      const made: SubjectRow[] = [];
      const patches = new Map<SubjectRow, Partial<SubjectRow>>();
      const whose = (s: SubjectRow) => {
        const first = firstIn.get(s) ?? (known.has(s.id) ? session.subjects.get(ImportSession.subjectKey(s.id)) : undefined);
        return first ? `the person of ${where(first)}` : 'a person already in the ledger';
      };

      const subjectOf = data.map((d, i): SubjectRow | string | undefined => {
        if (isSuppressedAt[i]) return undefined;
        const e = d.email ? byEmail.get(d.email) : undefined;
        const x = d.externalId ? byExternal.get(d.externalId) : undefined;
        const p = d.phone ? byPhone.get(d.phone) : undefined;
        const subject = e ?? x ?? p;
        const by = e ? `email ${d.email}` : x ? `external_id ${d.externalId}` : `phone ${d.phone}`;
        const other = x && x !== subject ? ['external_id', d.externalId, x] as const : p && p !== subject ? ['phone', d.phone, p] as const : undefined;
        if (other) return `${by} and ${other[0]} ${other[1]} belong to two different people (${whose(subject!)}; ${whose(other[2])}): one row names one person`;
        if (subject) {
          if (d.email && subject.email && subject.email !== d.email) return `${by} belongs to ${whose(subject)}, who has another email address; correct the row, or that person's address first`;
          if (d.externalId && subject.externalId && subject.externalId !== d.externalId) return `${by} belongs to ${whose(subject)}, whose external_id is ${subject.externalId}; correct the row, or that person's external_id first`;
          // Fill in blanks (a name, a phone number the ledger did not have yet).
          const patch: Partial<SubjectRow> = {};
          if (!subject.name && d.name) patch.name = d.name;
          if (!subject.locale && d.locale) patch.locale = d.locale;
          if (!subject.phone && d.phone) patch.phone = d.phone;
          if (!subject.email && d.email) patch.email = d.email;
          if (!subject.externalId && d.externalId) patch.externalId = d.externalId;
          if (Object.keys(patch).length > 0) {
            Object.assign(subject, patch);
            index(subject);
            if (subject.id !== 0) patches.set(subject, { ...patches.get(subject), ...patch });
          }
          if (!firstIn.has(subject) && !(known.has(subject.id) && session.subjects.get(ImportSession.subjectKey(subject.id)))) firstIn.set(subject, ref(i));
          return subject;
        }
        const created: SubjectRow = {
          id: 0,
          email: d.email ?? null,
          phone: d.phone ?? null,
          externalId: d.externalId ?? null,
          name: d.name ?? null,
          locale: d.locale ?? null,
          createdAt: at,
          holdReason: null,
          holdUntil: null,
          suppressedAt: null,
        };
        index(created);
        made.push(created);
        firstIn.set(created, ref(i));
        return created;
      });
      if (made.length > 0) {
        const inserted = await tx.insertSubjects(made.map(({ email, phone, externalId, name, locale, createdAt }) => ({ email, phone, externalId, name, locale, createdAt })));
        inserted.forEach((s, k) => Object.assign(made[k], s));
      }
      for (const [subject, patch] of patches) await tx.updateSubject(subject.id, patch);

      const ids = [...new Set(subjectOf.flatMap((s) => (typeof s === 'object' ? [s.id] : [])))];
      await tx.lockSubjects(ids);
      const consents = await loadConsents(tx, ids.filter((id) => known.has(id)));
      const firstConsents = new Map<string, { key: [number, number]; ref: RowRef }>();
      const changes: ConsentChange[] = [];
      const results = rows.map(({ row, data: d }, i): ImportResult => {
        const s = subjectOf[i];
        const subject = typeof s === 'object' ? s : undefined;
        const result: ImportResult = { row, line: rows[i].line ?? null, outcome: 'skipped', reason: null, subjectId: subject?.id ?? null, topic: d.topic, channel: d.channel, status: 'none' };
        if (isSuppressedAt[i] || subject?.suppressedAt) {
          result.reason = 'suppressed';
          return result;
        }
        if (!subject) {
          result.outcome = 'conflict';
          result.reason = `${where(ref(i))}, ${s}`;
          return result;
        }
        const ck = consentKey(subject.id, d.topic, d.channel);
        const hashed = ImportSession.consentKey(subject.id, d.topic, d.channel);
        const earlier = firstConsents.get(ck)?.ref ?? session.consents.get(hashed);
        if (earlier) {
          result.outcome = 'duplicate';
          result.reason = `${where(ref(i))}, the same person, topic and channel as ${where(earlier)}: only that row counts; merge the two rows`;
          result.duplicateOf = earlier;
          return result;
        }
        firstConsents.set(ck, { key: hashed, ref: ref(i) });
        const target: Status | undefined = d.status ?? (d.noMailings ? 'unsubscribed' : d.previouslyMailed ? 'subscribed' : undefined);
        const current = consents.get(ck);
        const from: StatusOrNone = current?.status ?? 'none';
        result.status = from;
        if (!target) {
          result.outcome = 'imported';
          result.reason = 'no consent: recorded without a status';
          return result;
        }
        const givenBasis: Basis | undefined = d.basis ?? (d.status ? undefined : d.previouslyMailed && !d.noMailings ? 'legitimate_interest' : undefined);
        const transition = resolveTransition('import', from, { basis: current?.basis ?? 'none', target, givenBasis });
        if (transition.kind !== 'change') {
          result.outcome = transition.kind === 'keep' ? 'kept' : 'skipped';
          result.reason = transition.reason;
          return result;
        }
        const evidence: Evidence = {
          ...base,
          actor: d.optinWho ? { kind: base.actor.kind, name: d.optinWho } : base.actor,
          source: d.optinSource ? { kind: 'import', ref: d.optinSource } : base.source,
          consentText: d.consentText ?? base.consentText,
          optinId: d.optinId ?? base.optinId,
          description: d.optinDescription ?? base.description,
          at: d.optinDate,
        };
        const next = this.nextConsent(current, { subjectId: subject.id, topic: d.topic, channel: d.channel }, transition.to, transition.basis, 'import', at, d.optinDate?.toISOString());
        changes.push({
          consent: next,
          event: this.eventFrom(evidence, { subjectId: subject.id, topic: d.topic, channel: d.channel, action: 'import', fromStatus: from, toStatus: transition.to, basis: transition.basis }, now),
        });
        consents.set(ck, next);
        result.outcome = 'imported';
        result.status = transition.to;
        return result;
      });
      await tx.writeChanges(changes);
      const firstRows = [...firstIn].map(([s, r]) => ({ id: s.id, ref: r }));
      return { results, firstRows, firstConsents: [...firstConsents.values()] };
    });
    // Only what committed is remembered (a PostgreSQL transaction may have run more than once).
    for (const { id, ref: r } of firstRows) session.subjects.setIfAbsent(ImportSession.subjectKey(id), r);
    for (const { key: k, ref: r } of firstConsents) session.consents.setIfAbsent(k, r);
    return results;
  }

  /** A manual status change by an operator. To subscribed or confirmed, or out of blacklisted, it needs proof. */
  async setStatus(
    ref: SubjectRef,
    change: { topic: string; channel: Channel; status: Status; basis?: Basis },
    evidenceInput: unknown,
  ): Promise<TopicOutcome & { subjectId: number }> {
    const now = this.now();
    const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'operator' } });
    return this.store.transaction(async (tx) => {
      const subject = await this.requireSubject(tx, ref);
      await tx.lockSubjects([subject.id]);
      const [outcome] = await this.applyToTopics(tx, subject, change.channel, [change.topic], 'set', evidence, now, undefined, {
        target: change.status,
        givenBasis: change.basis,
        hasProof: Boolean(evidence.proofRef || evidence.description),
      });
      if (outcome.outcome === 'refused') throw new TransitionRefused('set', outcome.from, outcome.reason ?? 'not allowed');
      return { ...outcome, subjectId: subject.id };
    });
  }

  /** A hard bounce for an address: its mail consents become bounced. */
  async bounce(email: string, evidenceInput: unknown): Promise<{ found: boolean; topics: TopicOutcome[] }> {
    const now = this.now();
    const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'system' }, source: { kind: 'mailbox' } });
    return this.store.transaction(async (tx) => {
      const subject = await this.findSubject(tx, { email });
      if (!subject) return { found: false, topics: [] };
      await tx.lockSubjects([subject.id]);
      const topics = (await tx.getConsents([subject.id], undefined, 'email')).map((c) => c.topic);
      return { found: true, topics: await this.applyToTopics(tx, subject, 'email', topics, 'bounce', evidence, now) };
    });
  }

  private async requireSubject(tx: StoreTx, ref: SubjectRef): Promise<SubjectRow> {
    ref = parseInput(SubjectRefSchema, ref, 'subject');
    const subject = await this.findSubject(tx, ref);
    if (!subject) throw new InvalidInput(`No subject in the ledger for ${describeRef(ref)}.`);
    return subject;
  }

  // ---------------------------------------------------------------- erasure and holds

  /**
   * Erases a person: their subject row, the PII in their evidence, their tokens, messages and
   * consent rows. A keyed hash of each address stays so they are never mailed again, and a receipt
   * without PII. Under a retention hold the person is suppressed (blacklisted) instead, and told so.
   * `reason` (free text: it may name the person) is kept only in that case, with the hold.
   */
  async erase(ref: SubjectRef, options: { reason?: string; evidence?: unknown } = {}): Promise<EraseResult> {
    const now = this.now();
    const evidence = parseEvidence(options.evidence ?? { actor: { kind: 'operator' }, source: { kind: 'api' } });
    ref = parseInput(SubjectRefSchema, ref, 'subject');
    const reason = parseInput(ReasonSchema.partial(), { reason: options.reason }).reason || ERASURE_REASON;
    const key = await this.loadSuppressionKey();
    const result = await this.store.transaction((tx) => this.eraseWithin(tx, ref, key, reason, evidence, now));
    if (result.outcome === 'erased') await this.store.flushErased?.();
    return result;
  }

  /** The erasure itself, inside the caller's transaction (so a verification link and its erasure commit together). */
  private async eraseWithin(tx: StoreTx, ref: SubjectRef, key: Buffer, reason: string, evidence: Evidence, now: Date): Promise<EraseResult> {
    const at = now.toISOString();
    const receiptId = `erasure-${randomUUID()}`;
    const found = await this.findSubject(tx, ref);
    if (found) await tx.lockSubjects([found.id]);
    // Read again under the lock: a hold set meanwhile must count.
    const subject = found ? (await tx.findSubjects({ ids: [found.id] }))[0] : undefined;
    // The caller's reason is free text and may name the person: it is kept only with a person who
    // stays (suppressed under a retention hold, where the receipt names the hold). A real erasure,
    // or one of someone not held, keeps the plain ERASURE_REASON; the receipt's actor and source say the rest.
    const receipt = { receiptId, at, reason: ERASURE_REASON, actorKind: evidence.actor.kind, sourceKind: evidence.source.kind };
    const suppression = { reason: ERASURE_REASON, at };
    if (!subject) {
      // Not held, but never to be added by a later import either.
      await tx.addSuppressions(this.suppressionHashes(key, ref).map((hash) => ({ hash, ...suppression })));
      await tx.insertErasure({ ...receipt, subjectId: null, outcome: 'not_found' });
      return { outcome: 'not_found', receiptId, subjectId: null, externalIds: [], holdReason: null, holdUntil: null };
    }
    await tx.addSuppressions(this.suppressionHashes(key, subject).map((hash) => ({ hash, ...suppression })));
    const held = subject.holdUntil !== null && subject.holdUntil > at;
    if (held) {
      const topics = await tx.getConsents([subject.id]);
      for (const channel of new Set(topics.map((c) => c.channel))) {
        const onChannel = topics.filter((c) => c.channel === channel).map((c) => c.topic);
        await this.applyToTopics(tx, subject, channel, onChannel, 'suppress', { ...evidence, description: `retention hold: ${subject.holdReason}` }, now);
      }
      await tx.updateSubject(subject.id, { suppressedAt: at });
      await tx.insertErasure({ ...receipt, subjectId: subject.id, outcome: 'suppressed', reason: `${reason}; retention hold: ${subject.holdReason}` });
      return { outcome: 'suppressed', receiptId, subjectId: subject.id, externalIds: [], holdReason: subject.holdReason, holdUntil: subject.holdUntil };
    }
    await tx.appendEvents([
      this.eventFrom({ ...evidence, actor: { kind: evidence.actor.kind }, ip: undefined, userAgent: undefined, description: undefined, proofRef: undefined }, {
        subjectId: subject.id, topic: null, channel: null, action: 'erase', fromStatus: null, toStatus: null, basis: null,
      }, now),
    ]);
    await tx.eraseSubject(subject.id);
    await tx.insertErasure({ ...receipt, subjectId: subject.id, outcome: 'erased' });
    return { outcome: 'erased', receiptId, subjectId: subject.id, externalIds: subject.externalId ? [subject.externalId] : [], holdReason: null, holdUntil: null };
  }

  /** A retention hold (e.g. a tax record for 7 years): erasure then suppresses instead of deleting. */
  async hold(ref: SubjectRef, until: Date, reason: string, evidenceInput?: unknown): Promise<SubjectRow> {
    const now = this.now();
    if (!reason.trim()) throw new InvalidInput('reason: say why the data must be kept (e.g. "invoice, tax law: 7 years").');
    reason = parseInput(ReasonSchema, { reason }).reason;
    const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'operator' } });
    return this.store.transaction(async (tx) => {
      const subject = await this.requireSubject(tx, ref);
      await tx.lockSubjects([subject.id]);
      const patch = { holdReason: reason.trim(), holdUntil: until.toISOString() };
      await tx.updateSubject(subject.id, patch);
      await tx.appendEvents([
        this.eventFrom({ ...evidence, description: `hold until ${patch.holdUntil}: ${patch.holdReason}` }, {
          subjectId: subject.id, topic: null, channel: null, action: 'hold', fromStatus: null, toStatus: null, basis: null,
        }, now),
      ]);
      return { ...subject, ...patch };
    });
  }

  async releaseHold(ref: SubjectRef, evidenceInput?: unknown): Promise<SubjectRow> {
    const now = this.now();
    const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'operator' } });
    return this.store.transaction(async (tx) => {
      const subject = await this.requireSubject(tx, ref);
      await tx.lockSubjects([subject.id]);
      await tx.updateSubject(subject.id, { holdReason: null, holdUntil: null });
      await tx.appendEvents([
        this.eventFrom(evidence, { subjectId: subject.id, topic: null, channel: null, action: 'release', fromStatus: null, toStatus: null, basis: null }, now),
      ]);
      return { ...subject, holdReason: null, holdUntil: null };
    });
  }

  /**
   * An operator lifts a suppression made in error (a typo in an erasure, the wrong person), only
   * with proof: a proof reference and a description are required. The keyed hash of the address
   * goes; the lift is recorded without the address (the person may not exist): who, when, on what
   * proof. A person the ledger holds under that address (suppressed under a hold, or waiting for
   * their confirmation) gets an event too, and a hold's suppression mark is cleared; blacklisted
   * consents stay until an operator sets them with proof.
   */
  async unsuppress(ref: SubjectRef, evidenceInput: unknown): Promise<UnsuppressResult> {
    const now = this.now();
    ref = parseInput(SubjectRefSchema, ref, 'subject');
    if (!ref.email && !ref.phone) throw new InvalidInput('subject: give the email address or phone number that was suppressed (only addresses are suppressed)');
    const evidence = parseEvidence(evidenceInput ?? {});
    if (!evidence.proofRef || !evidence.description?.trim()) {
      throw new InvalidInput('evidence: lifting a suppression needs proof: a proof reference (proofRef: a ticket, the signed form) and a description (what went wrong)');
    }
    const key = await this.loadSuppressionKey();
    const at = iso(now);
    return this.store.transaction(async (tx) => {
      const lifted = await tx.removeSuppressions(this.suppressionHashes(key, ref));
      if (lifted === 0) return { outcome: 'not_suppressed', lifted: 0, liftId: null, subjectId: null };
      const liftId = await tx.insertSuppressionLift({
        at,
        lifted,
        actorKind: evidence.actor.kind,
        actorName: evidence.actor.name ?? null,
        sourceKind: evidence.source.kind,
        proofRef: evidence.proofRef ?? null,
        description: evidence.description ?? null,
      });
      const subject = await this.findSubject(tx, ref);
      if (subject) {
        await tx.lockSubjects([subject.id]);
        if (subject.suppressedAt) await tx.updateSubject(subject.id, { suppressedAt: null });
        await tx.appendEvents([
          this.eventFrom(evidence, { subjectId: subject.id, topic: null, channel: null, action: 'unsuppress', fromStatus: null, toStatus: null, basis: null }, now),
        ]);
      }
      return { outcome: 'lifted', lifted, liftId, subjectId: subject?.id ?? null };
    });
  }

  // ---------------------------------------------------------------- export, report, history

  /** Everything held about one person, history included (GDPR Art. 15). */
  async export(ref: SubjectRef): Promise<SubjectExport | undefined> {
    return this.store.transaction(async (tx) => {
      const subject = await this.findSubject(tx, ref);
      if (!subject) return undefined;
      return {
        subject,
        consents: await tx.getConsents([subject.id]),
        events: await tx.listEvents(subject.id),
        messages: await tx.listMessages(subject.id),
        requests: await tx.listRequests(subject.id),
        activeTokens: await tx.countTokens(subject.id),
      };
    });
  }

  async report() {
    return this.store.transaction((tx) => tx.countStatuses());
  }

  /** A page of the ids of subjects with an email address, ascending, after `after` (a campaign to all). */
  async subjectIdsWithEmail(after: number, limit: number): Promise<number[]> {
    return this.store.transaction((tx) => tx.listSubjectIdsWithEmail(after, limit));
  }

  /** A page of the subjects with a phone number and a consent for `topic` (the call list's candidates). */
  async phoneSubjects(topic: string, after: number, limit: number) {
    return this.store.transaction((tx) => tx.listPhoneSubjects(topic, after, limit));
  }

  /** The message history: every mail sent to a subject. */
  async recordMessages(rows: { subjectId: number; messageId: string; template: string; topics: string[]; channel: Channel; sentAt?: Date }[]) {
    const at = this.now().toISOString();
    await this.store.transaction((tx) => tx.insertMessages(rows.map((r) => ({ ...r, sentAt: r.sentAt?.toISOString() ?? at }))));
  }

  // ---------------------------------------------------------------- mailbox requests

  /**
   * Records a request that arrived by mail, once per Message-ID; `created` is false when it was
   * already recorded (a repeated delivery or a restart), so its effect is not applied twice.
   */
  async recordRequest(row: { messageId: string; mailbox: string; kind: string; receivedAt: Date; address: string | null; outcome: string; subjectId?: number | null; detail?: string | null }) {
    const now = this.now().toISOString();
    return this.store.transaction((tx) =>
      tx.upsertRequest({
        messageId: row.messageId,
        mailbox: row.mailbox,
        kind: row.kind,
        receivedAt: row.receivedAt.toISOString(),
        dueAt: addOneMonth(row.receivedAt).toISOString(),
        outcome: row.outcome,
        subjectId: row.subjectId ?? null,
        address: row.address,
        detail: row.detail ?? null,
        updatedAt: now,
      }),
    );
  }

  /** An erase-verification link for an unproven sender: single use, tied to the request. */
  async issueEraseVerification(requestMessageId: string): Promise<{ token: string; expiresAt: string }> {
    const now = this.now();
    const issued = this.newToken('erase', now, this.settings.eraseDays);
    await this.store.transaction((tx) => tx.insertTokens([this.tokenRow(issued, 'erase', { ref: requestMessageId }, now)]));
    return { token: issued.token, expiresAt: issued.expiresAt.toISOString() };
  }

  /**
   * The POST behind an erase-verification link: the person proved the mailbox, so the request it
   * belongs to is carried out now (erased, or suppressed under a retention hold) and closed. The
   * link is used up in the same transaction as the erasure: a failure leaves both undone, so the
   * person can press the button again.
   */
  async completeEraseVerification(token: unknown, evidenceInput: unknown): Promise<VerifiedErasure> {
    const now = this.now();
    const verified = verifyToken(this.keys.tokenKeys, token, 'erase', now);
    const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'person' }, source: { kind: 'link' } });
    const key = await this.loadSuppressionKey();
    const result = await this.store.transaction(async (tx) => {
      const row = await tx.findToken(verified.hash);
      const request = row?.ref ? await tx.findRequest(row.ref) : undefined;
      if (!row || !request) throw TokenRejected.of('unknown');
      if (!(await tx.claimToken(verified.hash, now.toISOString()))) throw TokenRejected.of('used');
      // For the acknowledgement (core/inbox/answer.ts), read before the erasure takes them.
      const reply = { replyTo: request.address, requestDetail: request.detail, locale: request.address ? ((await this.findSubject(tx, { email: request.address }))?.locale ?? null) : null };
      const done: EraseResult = request.address
        ? await this.eraseWithin(tx, { email: request.address }, key, 'erasure request by mail, verified by link', evidence, now)
        : { outcome: 'not_found', receiptId: '', subjectId: null, externalIds: [], holdReason: null, holdUntil: null };
      // The request stays as the record that it was answered, without the address.
      await tx.updateRequest(request.messageId, { outcome: done.outcome, subjectId: done.subjectId, detail: formatRequestDetail({ receipt: done.receiptId, note: 'verified by link' }), address: null, updatedAt: now.toISOString() });
      return { ...done, requestMessageId: request.messageId, ...reply };
    });
    // The request's address was cleared in every case, the person's data too when erased.
    await this.store.flushErased?.();
    return result;
  }

  async updateRequest(messageId: string, patch: { outcome?: string; subjectId?: number | null; detail?: string | null; address?: null }) {
    const updatedAt = this.now().toISOString();
    await this.store.transaction((tx) => tx.updateRequest(messageId, { ...patch, updatedAt }));
    // A cleared address must not linger in SQLite's write-ahead log either.
    if (patch.address === null) await this.store.flushErased?.();
  }

  /** A request that arrived by mail, by its Message-ID. */
  async findRequest(messageId: string): Promise<RequestRow | undefined> {
    return this.store.transaction((tx) => tx.findRequest(messageId));
  }

  async mailboxState(mailbox: string) {
    return this.store.transaction((tx) => tx.getMailboxState(mailbox));
  }

  async saveMailboxState(mailbox: string, uidValidity: number, lastUid: number) {
    const updatedAt = this.now().toISOString();
    await this.store.transaction((tx) => tx.setMailboxState({ mailbox, uidValidity, lastUid, updatedAt }));
  }

  /**
   * Holds `mailbox` for this worker until released: with PostgreSQL across processes (the store's
   * advisory lock, released when the process dies), else within this process. Waits while another
   * worker holds it (`onWaiting` is told when it starts waiting); null when `signal` aborts the wait.
   */
  async acquireMailboxLease(mailbox: string, options: { signal: AbortSignal; onWaiting?: () => void }): Promise<MailboxLease | null> {
    if (typeof this.store.acquireMailboxLease !== 'function') return acquireProcessLease(mailbox, options);
    options.onWaiting?.();
    return this.store.acquireMailboxLease(mailbox, { wait: true, signal: options.signal });
  }
}

// ---------------------------------------------------------------- small pure helpers

async function acquireProcessLease(mailbox: string, options: { signal: AbortSignal; onWaiting?: () => void }): Promise<MailboxLease | null> {
  const before = processLeases.get(mailbox);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const tail = (before ?? Promise.resolve()).then(() => held);
  processLeases.set(mailbox, tail);
  const free = () => {
    release();
    if (processLeases.get(mailbox) === tail) processLeases.delete(mailbox);
  };
  if (before) {
    options.onWaiting?.();
    const stopped = new Promise<false>((resolve) => options.signal.addEventListener('abort', () => resolve(false), { once: true }));
    if (!(await Promise.race([before.then(() => true), stopped]))) {
      free(); // our place in the queue passes straight on to whoever is after us
      return null;
    }
  }
  return { mailbox, lost: new Promise<Error>(() => undefined), release: async () => free() };
}

/** TokenView.confirmedTopics: read only for a confirm link that was used. */
async function usedConfirmTopics(tx: StoreTx, purpose: TokenPurpose, row: TokenRow): Promise<string[]> {
  if (purpose !== 'confirm' || row.usedAt === null || row.subjectId === null || row.channel === null) return [];
  const consents = await tx.getConsents([row.subjectId], undefined, row.channel);
  return row.topics.filter((topic) => consents.some((c) => c.topic === topic && c.status === 'confirmed'));
}

/** Evidence from a caller: a wrong field is an InvalidInput naming it ("evidence, actor.name: ..."). */
function parseEvidence(input: unknown): Evidence {
  return parseInput(EvidenceSchema, input, 'evidence');
}

function consentKey(subjectId: number, topic: string, channel: string): string {
  return `${subjectId}|${topic}|${channel}`;
}

async function loadConsents(tx: StoreTx, ids: number[]): Promise<Map<string, ConsentState>> {
  const rows = ids.length > 0 ? await tx.getConsents(ids) : [];
  return new Map(rows.map((c) => [consentKey(c.subjectId, c.topic, c.channel), c]));
}

function outcomeOf(topics: TopicOutcome[], changed: 'confirmed' | 'unsubscribed'): TokenActionResult['outcome'] {
  if (topics.some((t) => t.outcome === 'changed')) return changed;
  if (topics.length > 0 && topics.every((t) => t.outcome === 'refused')) return 'refused';
  return 'unchanged';
}

function describeRef(ref: SubjectRef): string {
  if (ref.subjectId) return `subject id ${ref.subjectId}`;
  if (ref.externalId) return `external id ${ref.externalId}`;
  return ref.email ? 'that email address' : 'that phone number';
}

/** Which subject a reference means: email first, then phone, external id, ledger id. */
function pickSubject(found: SubjectRow[], ref: { email?: string; phone?: string; externalId?: string; subjectId?: number }): SubjectRow | undefined {
  return new SubjectIndex(found).match(ref);
}

class SubjectIndex {
  private readonly byEmail = new Map<string, SubjectRow>();
  private readonly byPhone = new Map<string, SubjectRow>();
  private readonly byExternal = new Map<string, SubjectRow>();
  private readonly byId = new Map<number, SubjectRow>();

  constructor(rows: SubjectRow[]) {
    rows.forEach((r) => this.add(r));
  }

  add(r: SubjectRow): void {
    if (r.email) this.byEmail.set(r.email, r);
    if (r.phone) this.byPhone.set(r.phone, r);
    if (r.externalId) this.byExternal.set(r.externalId, r);
    this.byId.set(r.id, r);
  }

  match(ref: { email?: string; phone?: string; externalId?: string; subjectId?: number }): SubjectRow | undefined {
    return (
      (ref.email ? this.byEmail.get(ref.email) : undefined) ??
      (ref.phone ? this.byPhone.get(ref.phone) : undefined) ??
      (ref.externalId ? this.byExternal.get(ref.externalId) : undefined) ??
      (ref.subjectId ? this.byId.get(ref.subjectId) : undefined)
    );
  }

  hasEmail(v: string) {
    return this.byEmail.has(v);
  }
  hasPhone(v: string) {
    return this.byPhone.has(v);
  }
  hasExternalId(v: string) {
    return this.byExternal.has(v);
  }
}

export { SubjectRefSchema };
