import { z } from 'zod/v4';
import { SOURCE_KINDS, type EvidenceInput } from '../consent/evidence';
import { InvalidInput } from '../errors';
import type { Ledger } from '../ledger';
import type { Proof } from '../mail/authenticity';
import { composeMail, type ComposedMail } from '../mail/compose';
import { isStandInMessageId } from '../mail/request-mail';
import { describeSendFailure, SendFailed } from '../mail/send';
import type { TemplateKind } from '../mail/templates';
import { formatRequestDetail, parseRequestDetail, type RequestDetail } from '../request-detail';
import type { RequestRow } from '../store/store';
import { freeText, parseInput, singleLine } from '../validation';
import { erasureAckKind, formatFrom, isMachineAddress } from './answer';
import { REVIEW_OUTCOMES } from './context';
import { RequestOptionsSchema, type ReplyStatus, type RequestHooks } from './options';
import { LEFT_TO_WORKFLOW } from './record';

/**
 * A person's decision on a request mail that went to review (the trigger's Review output, the
 * Review folder): carried out through the ledger with the same proof rules as the worker. The
 * officer is the actor of every event it writes; the decision and who took it stay in the request
 * log (also after an erasure, when the events' names are gone with the person).
 *  - unsubscribe: every mail topic of the sender (or the person their token proved) unsubscribed;
 *  - erase: at once only when the sender was proven when the mail came (a token of the same
 *    address, a trusted header, DKIM aligned with DMARC); otherwise a verification link goes to
 *    the sender's address and nothing happens until the person presses its button;
 *  - access: recorded as an access request for the operator (GDPR Art. 15), acknowledged;
 *  - reject: nothing is done; the decision is recorded.
 */
export const REVIEW_DECISIONS = ['unsubscribe', 'erase', 'access', 'reject'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** An expression that found nothing (a field missing from the form) counts as empty. */
const given = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === undefined || v === null ? '' : v), schema);

export const ReviewDecisionSchema = z.object({
  requestRef: given(singleLine(998).min(1, "give the request's reference: requestRef of the trigger's Review item (the mail's Message-ID)")),
  decision: z.enum(REVIEW_DECISIONS, { error: `one of ${REVIEW_DECISIONS.join(', ')}` }),
  actor: given(singleLine(200).min(1, 'give the name of the person who decided (kept as the actor of the events)')),
  note: freeText(2000).optional(),
});
export type ReviewDecisionInput = z.input<typeof ReviewDecisionSchema>;

/** What a reply is written with: the privacy mailbox, the organisation, where links point. */
export const ReplyOptionsSchema = RequestOptionsSchema.pick({ replyFrom: true, organisation: true, baseUrl: true, privacyUrl: true, defaultLocale: true });
export type ReplyOptions = z.input<typeof ReplyOptionsSchema>;

export interface ActOnRequestOptions {
  /** Without them no reply is written; an unproven erasure then cannot send its verification link. */
  replies?: ReplyOptions;
  /** Sends the reply; without it the reply comes back composed (status `pending`) for a mail node. */
  sendReply?: RequestHooks['sendReply'];
  /** Where the decision was taken (the events' source). Default: an API call. */
  source?: { kind: (typeof SOURCE_KINDS)[number]; ref?: string };
}

export interface ReviewDecisionResult {
  requestRef: string;
  decision: ReviewDecision;
  actor: string;
  /** erased, suppressed, not_found, unsubscribed, unchanged, awaiting_verification, awaiting_operator, rejected */
  outcome: string;
  /** The sender proof the decision rested on. */
  proof: Proof;
  subjectId: number | null;
  receiptId: string | null;
  /** CRM IDs of the person erased, for the CRM's own delete. */
  externalIds: string[];
  /** The request was decided before with this same decision: nothing was done again. */
  isRepeat: boolean;
  reply: { status: ReplyStatus; mail: ComposedMail | null; error: string | null };
}

/** Request-log outcomes a person can still decide on (review, or left to the workflow when only recording). */
const DECIDABLE = new Set([...REVIEW_OUTCOMES, LEFT_TO_WORKFLOW]);
const PROVEN: ReadonlySet<Proof> = new Set(['token', 'dkim', 'authserv']);
const NO_REPLY = { status: 'none', mail: null, error: null } as const;

export async function actOnRequest(ledger: Ledger, input: ReviewDecisionInput, options: ActOnRequestOptions = {}): Promise<ReviewDecisionResult> {
  const d = parseInput(ReviewDecisionSchema, input);
  const replies = options.replies === undefined ? undefined : parseInput(ReplyOptionsSchema, options.replies, 'replies');
  const row = await ledger.findRequest(d.requestRef);
  if (!row) throw new InvalidInput(`requestRef: no request mail with this reference in the ledger; use requestRef of the trigger's Review item`);
  const detail = parseRequestDetail(row.detail);
  const proof = (detail.proof as Proof | undefined) ?? 'none';
  const base = { requestRef: row.messageId, decision: d.decision, actor: d.actor, proof, subjectId: row.subjectId, receiptId: detail.receipt ?? null, externalIds: [] as string[] };
  if (detail.decision) {
    // n8n may run a node again (a retry, a second click on the form): the same decision is done already.
    if (detail.decision === d.decision) return { ...base, outcome: row.outcome, isRepeat: true, reply: { ...NO_REPLY, status: 'done' } };
    throw new InvalidInput(`decision: this request was already decided (${detail.decision}, by ${detail.by ?? 'someone'}); change the person's status with Set Status or Erase Contact`);
  }
  if (!DECIDABLE.has(row.outcome)) throw new InvalidInput(`requestRef: this request was already acted on (outcome ${row.outcome}); nothing is left to decide`);

  const evidence: EvidenceInput = {
    actor: { kind: 'operator', name: d.actor },
    source: options.source ?? { kind: 'api' },
    messageId: row.messageId,
    description: `decision on a request by mail (${d.decision})${d.note ? `: ${d.note}` : ''}`.slice(0, 2000),
  };
  const decided: RequestDetail = { proof, lang: detail.lang, decision: d.decision, by: d.actor, note: d.note };
  const reply = (kind: TemplateKind, locale?: string | null, eraseToken?: string) => answer(row, detail, replies, options.sendReply, kind, locale, eraseToken);

  switch (d.decision) {
    case 'reject':
    case 'access': {
      // Linked to the person the ledger holds under the address, so their history (Art. 15) shows it.
      const held = row.subjectId === null && row.address ? await ledger.export({ email: row.address }) : undefined;
      const subjectId = row.subjectId ?? held?.subject.id ?? null;
      const outcome = d.decision === 'reject' ? 'rejected' : 'awaiting_operator';
      const sent = d.decision === 'access' ? await reply('ack-access', held?.subject.locale) : NO_REPLY;
      await ledger.updateRequest(row.messageId, { outcome, subjectId, detail: formatRequestDetail({ ...decided, ...replyDetail(sent) }) });
      return { ...base, outcome, subjectId, isRepeat: false, reply: sent };
    }
    case 'unsubscribe': {
      const ref = row.subjectId !== null ? { subjectId: row.subjectId } : row.address ? { email: row.address } : undefined;
      if (!ref) throw new InvalidInput("requestRef: this request has no sender address; unsubscribe the person with Set Status");
      const done = await ledger.unsubscribeByRef(ref, 'all', 'email', evidence);
      const sent = await reply('ack-unsubscribed', done.found ? done.locale : null);
      const subjectId = done.found ? done.subjectId : null;
      await ledger.updateRequest(row.messageId, { outcome: done.outcome, subjectId, detail: formatRequestDetail({ ...decided, ...replyDetail(sent) }) });
      return { ...base, outcome: done.outcome, subjectId, isRepeat: false, reply: sent };
    }
    case 'erase':
      return PROVEN.has(proof) ? eraseNow(ledger, row, base, decided, evidence, reply) : sendVerification(ledger, row, detail, base, decided, replies, reply);
  }
}

async function eraseNow(
  ledger: Ledger,
  row: RequestRow,
  base: Omit<ReviewDecisionResult, 'outcome' | 'isRepeat' | 'reply'>,
  decided: RequestDetail,
  evidence: EvidenceInput,
  reply: (kind: TemplateKind, locale?: string | null) => Promise<ReviewDecisionResult['reply']>,
): Promise<ReviewDecisionResult> {
  // A token proved the person (proof `token`, subjectId kept at review); else the proven From address.
  const ref = base.proof === 'token' && row.subjectId !== null ? { subjectId: row.subjectId } : row.address ? { email: row.address } : undefined;
  if (!ref) throw new InvalidInput('requestRef: this request has no sender address left to erase');
  const locale = (await ledger.export(ref))?.subject.locale ?? null;
  const done = await ledger.erase(ref, { reason: 'erasure request by mail, decided in review', evidence });
  const sent = await reply(erasureAckKind(done.outcome), locale);
  // The request stays as the record of the decision, without the address; the note (free text,
  // it may name the person) goes with the person, except under a retention hold.
  const kept = done.outcome === 'suppressed' ? decided : { ...decided, note: undefined };
  await ledger.updateRequest(row.messageId, { outcome: done.outcome, subjectId: done.subjectId, address: null, detail: formatRequestDetail({ ...kept, receipt: done.receiptId, ...replyDetail(sent) }) });
  return { ...base, outcome: done.outcome, subjectId: done.subjectId, receiptId: done.receiptId, externalIds: done.externalIds, isRepeat: false, reply: sent };
}

/** Not proven: closed loop. The link goes to the sender's own address; its button erases (Ledger.completeEraseVerification). */
async function sendVerification(
  ledger: Ledger,
  row: RequestRow,
  detail: RequestDetail,
  base: Omit<ReviewDecisionResult, 'outcome' | 'isRepeat' | 'reply'>,
  decided: RequestDetail,
  replies: z.output<typeof ReplyOptionsSchema> | undefined,
  reply: (kind: TemplateKind, locale?: string | null, eraseToken?: string) => Promise<ReviewDecisionResult['reply']>,
): Promise<ReviewDecisionResult> {
  const to = row.address;
  const why = !to
    ? 'it has no single From address'
    : detail.answer === 'no' || isMachineAddress(to) || to === replies?.replyFrom.address
      ? 'its sender may not be answered (a mailer daemon, a list or ourselves)'
      : undefined;
  if (why) throw new InvalidInput(`decision: the sender of this request is not proven and no verification link can go to it: ${why}. Erase with Erase Contact once you have other proof`);
  if (!replies) throw new InvalidInput("replies: the sender is not proven, so erasing first mails a verification link to the sender's address: give Reply From (or the Privacy Mailbox of the Consent Ledger credential)");
  const { token } = await ledger.issueEraseVerification(row.messageId);
  const held = await ledger.export({ email: to! });
  const sent = await reply('erase-verification', held?.subject.locale ?? null, token);
  const subjectId = row.subjectId ?? held?.subject.id ?? null;
  await ledger.updateRequest(row.messageId, { outcome: 'awaiting_verification', subjectId, detail: formatRequestDetail({ ...decided, ...replyDetail(sent) }) });
  return { ...base, outcome: 'awaiting_verification', subjectId, isRepeat: false, reply: sent };
}

/** The reply after a decision: to the request's sender, in reply to the mail, sent here or handed back. */
async function answer(
  row: RequestRow,
  detail: RequestDetail,
  replies: z.output<typeof ReplyOptionsSchema> | undefined,
  send: RequestHooks['sendReply'],
  kind: TemplateKind,
  storedLocale?: string | null,
  eraseToken?: string,
): Promise<ReviewDecisionResult['reply']> {
  const to = row.address;
  if (!replies || !to || detail.answer === 'no' || isMachineAddress(to) || to === replies.replyFrom.address) return NO_REPLY;
  const locale = storedLocale === 'nl' || storedLocale === 'en' ? storedLocale : detail.lang === 'nl' || detail.lang === 'en' ? detail.lang : replies.defaultLocale;
  let mail: ComposedMail;
  try {
    mail = composeMail(kind, {
      to,
      from: formatFrom(replies.replyFrom),
      locale,
      organisation: replies.organisation,
      privacyUrl: replies.privacyUrl,
      baseUrl: replies.baseUrl,
      eraseToken,
      ...(isStandInMessageId(row.messageId) ? {} : { inReplyTo: row.messageId, references: [row.messageId] }),
    });
  } catch (error) {
    return { status: 'unsendable', mail: null, error: `the reply could not be composed: ${(error as Error).message}`.slice(0, 300) };
  }
  if (!send) return { status: 'pending', mail, error: null };
  try {
    await send(mail);
    return { status: 'sent', mail, error: null };
  } catch (error) {
    const isPermanent = error instanceof SendFailed && error.isPermanent;
    return { status: isPermanent ? 'rejected' : 'failed', mail, error: describeSendFailure(error) };
  }
}

function replyDetail(reply: ReviewDecisionResult['reply']): RequestDetail {
  return reply.status === 'none' ? {} : { reply: reply.status, error: reply.error ?? undefined };
}
