import { z } from 'zod/v4';
import { ChannelSchema } from '../../core/consent/identity';
import { EvidenceSchema } from '../../core/consent/evidence';
import { CheckItemSchema, FEED_TYPES, ReasonSchema, RequestItemSchema, SubjectRefSchema, TopicsScopeSchema } from '../../core/ledger';
import { freeText } from '../../core/validation';
import { ImportEncodingSchema } from '../../core/import';

/**
 * The consent service's request bodies: core's own schemas (the same the CLI and the nodes parse
 * with), only put together per operation. The OpenAPI document is generated from these.
 */

export const MAX_BATCH = 1000;

export const RequestBodySchema = z.object({
  /** signup: a person asked on a form (double opt-in); campaign: asking people already known. */
  mode: z.enum(['signup', 'campaign']).default('signup'),
  items: z.array(RequestItemSchema).min(1, 'give at least one item').max(MAX_BATCH, `at most ${MAX_BATCH} items per call`),
});

export const CheckBodySchema = z.object({
  items: z.array(CheckItemSchema).min(1, 'give at least one item').max(MAX_BATCH, `at most ${MAX_BATCH} items per call`),
  /** Strict mode for this call (explicit consent only); default: the ledger's setting. */
  strict: z.boolean().optional(),
});

/** One check: the item's fields at the top level (the answer is then one result, not a list). */
export const CheckOneSchema = CheckItemSchema;

export const UnsubscribeBodySchema = z
  .object({
    /** The unsubscribe token of a link, or a person (email, phone, externalId, subjectId). */
    token: z.string().trim().min(1).max(2000).optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    externalId: z.string().optional(),
    subjectId: z.number().int().positive().optional(),
    topics: TopicsScopeSchema.default('all'),
    channel: ChannelSchema.default('email'),
    evidence: EvidenceSchema.optional(),
  })
  .refine((b) => Boolean(b.token) !== Boolean(b.email || b.phone || b.externalId || b.subjectId), {
    message: 'give a token or a person (email, phone, externalId or subjectId), one of the two',
    path: ['token'],
  });

export const EraseBodySchema = z.object({
  email: z.string().optional(),
  phone: z.string().optional(),
  externalId: z.string().optional(),
  subjectId: z.number().int().positive().optional(),
  /** Kept only if a retention hold keeps the person (it may name them). */
  reason: ReasonSchema.shape.reason.optional(),
  /** Who acted (default: an operator through the API). */
  evidence: EvidenceSchema.optional(),
});

/** The person of an erase or unsubscribe body, checked by core's own subject schema. */
export const PersonSchema = SubjectRefSchema;

export const RequestsQuerySchema = z.object({
  open: z.enum(['true', 'false']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  dueWithinDays: z.string().regex(/^\d+$/, 'dueWithinDays: a whole number of days').optional(),
});

export const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: freeText(2000) }) });

/** An event of the feed and of a REST hook's POST body (core/ledger/feed.ts makes them; this documents them). */
export const FeedEventSchema = z.object({
  id: z.string().describe('opaque; the cursor: pass it as `after`'),
  type: z.enum(FEED_TYPES),
  occurredAt: z.string().describe('ISO 8601'),
  subjectId: z.number().int().describe("the ledger's id of the person (also after an erasure)"),
  email: z.string().optional().describe('confirmed, unsubscribed, bounced: the address (absent for a person with only a phone number)'),
  topics: z.array(z.string()).describe('the topics the change was to (empty for an erasure)'),
  channel: z.string().describe('email, sms, …; "all" for an erasure'),
  source: z.string().describe('where the change came from: webform, link, api, import, mailbox, …'),
  receiptId: z.string().optional().describe('erased: the erasure receipt'),
  externalIds: z.array(z.string()).optional().describe('erased: always empty, the ledger deletes the external id with the person (the erase call answers with it)'),
});

export const FeedPageSchema = z.object({
  events: z.array(FeedEventSchema),
  next: z.string().nullable().describe('pass as `after` next time: the last event\'s id, or the `after` given when there were none'),
});

export const HookCreatedSchema = z.object({
  id: z.string(),
  url: z.string(),
  types: z.array(z.enum(FEED_TYPES)),
  secret: z.string().describe('the HMAC-SHA256 key of the Consent-Signature header; shown this once'),
  createdAt: z.string(),
});

/** A retention hold (e.g. invoices, tax law: 7 years): erasure then suppresses instead of deleting. `release: true` ends it. */
export const HoldBodySchema = z
  .object({
    email: z.string().optional(),
    phone: z.string().optional(),
    externalId: z.string().optional(),
    subjectId: z.number().int().positive().optional(),
    /** The date the data must be kept until (ISO 8601: 2033-01-01 or a full timestamp). */
    until: z.string().trim().max(40).optional(),
    /** Why it must be kept (e.g. "invoices, tax law: 7 years"). */
    reason: ReasonSchema.shape.reason.optional(),
    release: z.boolean().optional(),
    evidence: EvidenceSchema.optional(),
  })
  .refine((b) => (b.release === true) !== Boolean(b.until || b.reason), { message: 'give until and reason (a hold) or release: true (end it), one of the two', path: ['until'] })
  .refine((b) => b.release === true || (b.until && b.reason), { message: 'a hold needs both until (a date) and reason', path: ['until'] });

/** One person's data (GDPR Art. 15). `asRequest`: it answers an access request, logged in the register (as the CLI's --as-request). */
export const ExportBodySchema = z.object({
  email: z.string().optional(),
  phone: z.string().optional(),
  externalId: z.string().optional(),
  subjectId: z.number().int().positive().optional(),
  asRequest: z.boolean().default(false),
  /** The register entry this answers (an id from GET /v1/requests); implies asRequest. */
  requestId: z.string().trim().min(1).max(200).optional(),
});

export const ImportQuerySchema = z.object({
  encoding: ImportEncodingSchema.optional(),
});
