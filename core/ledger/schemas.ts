import { z } from 'zod/v4';
import type { ChannelPolicy, DecisionReason } from '../consent/decide';
import { EvidenceSchema } from '../consent/evidence';
import { ChannelSchema, EmailSchema, ExternalIdSchema, LocaleSchema, onlyIfValid, PhoneSchema, TopicSchema } from '../consent/identity';
import { basisFor } from '../consent/transitions';
import { BASES, DEFAULT_PURPOSES, LEGAL_BASES, PURPOSE_ID, PURPOSE_STATES, STATUSES, type Basis, type Channel, type LegalBasis, type PurposeState, type Status, type StatusOrNone, type TokenPurpose } from '../consent/statuses';
import type { RowRef } from '../import-session';
import { MAX_PREVIOUS_SECRETS, SecretSchema } from '../secrets';
import type { ConsentRow, EventRow, RequestRow, StoreTx, SubjectRow } from '../store/store';
import { freeText, singleLine } from '../validation';

/**
 * The ledger's inputs and answers: the settings, one schema per input (callers parse with
 * parseInput and pass the output), and the result of each use case.
 */

/** A purpose id (sales_and_service, emarketing, or one of your own). */
export const PurposeIdSchema = z
  .string()
  .regex(PURPOSE_ID, 'a purpose id is lower-case letters, digits and underscores, starting with a letter (e.g. emarketing, sales_and_service)');

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
  /** How long an access link (the person's data package, GDPR Art. 15) shows the package. */
  accessDays: z.number().int().min(1).max(60).default(7),
  /** list-bombing guard: at most one pending invitation per address in this window */
  resendWindowMinutes: z.number().int().min(0).max(10_080).default(60),
  /** The names of the default purposes (issue 16): sales_and_service, emarketing, retention. */
  purposes: z
    .object({
      salesAndService: PurposeIdSchema.default(DEFAULT_PURPOSES.salesAndService),
      emarketing: PurposeIdSchema.default(DEFAULT_PURPOSES.emarketing),
      retention: PurposeIdSchema.default(DEFAULT_PURPOSES.retention),
    })
    .prefault({}),
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

/**
 * A CSV cell of purposes the person is held for: purpose:basis pairs separated by ";", "," or "|"
 * (e.g. "contract_admin:contract; loyalty:consent"), the basis one of Art. 6(1)'s or none.
 */
export const PurposesCellSchema = z.string().transform((value, ctx) => {
  const out: { purpose: string; basis: LegalBasis }[] = [];
  for (const part of value.split(/[;,|]/).map((p) => p.trim()).filter(Boolean)) {
    const [purpose, basis = '', ...rest] = part.split(':').map((x) => x.trim());
    if (!PURPOSE_ID.test(purpose) || !(LEGAL_BASES as readonly string[]).includes(basis) || rest.length > 0) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not purpose:basis (e.g. contract_admin:contract; the bases: ${LEGAL_BASES.join(', ')})` });
      return z.NEVER;
    }
    out.push({ purpose, basis: basis as LegalBasis });
  }
  return out;
});

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
    purposes: PurposesCellSchema.optional(),
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
  // Explicit consent counts in strict mode (phone, sms): an import that will hold on consent (the
  // transition table's basisFor: confirmed, or subscribed on consent) must bring what it rests on.
  .refine((r) => !(r.status && basisFor(r.status, r.basis) === 'consent') || Boolean(r.consentText || r.optinId || r.optinDescription), {
    message: 'consent needs its evidence: give consent_text, optin_id or optin_description',
    path: ['consentText'],
    when: onlyIfValid,
  });
export type ImportRow = z.output<typeof ImportRowSchema>;

/** Why an erasure or a hold was made: free text, kept with the receipt or the hold. */
export const ReasonSchema = z.object({ reason: freeText(1000) });

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
  /** What else the person is held for, and why (read-only on the page): active purposes other than e-marketing. */
  held: { purpose: string; basis: LegalBasis; since: string }[];
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
  /** Why the person is held (GDPR Art. 13/15(1)(a)): each purpose, its basis, since when, its source and the retention that applies. */
  purposes: PurposeExport[];
}

export interface PurposeExport {
  purpose: string;
  state: PurposeState;
  basis: LegalBasis;
  since: string;
  source: string | null;
  setBy: string | null;
  /** The retention that applies: a hold's end date and reason (on this purpose, or the person's hold). */
  retention: { until: string | null; reason: string | null } | null;
}

/** An operator's change of a purpose: its state and basis; making it active on a basis needs proof. */
export const PurposeSetSchema = z.object({
  purpose: PurposeIdSchema,
  state: z.enum(PURPOSE_STATES).default('active'),
  basis: z.enum(LEGAL_BASES).default('none'),
});
export type PurposeSet = z.output<typeof PurposeSetSchema>;

/** What the ledger keeps as the reason of an erasure carried out (the caller's own words are not kept). */
export const ERASURE_REASON = 'erasure request';
