import { randomUUID } from 'node:crypto';
import { addOneMonth } from '../clock';
import { normaliseEmail } from '../consent/identity';
import { InvalidInput, TokenRejected } from '../errors';
import { formatRequestDetail } from '../request-detail';
import type { RequestRow, StoreTx, TokenRow } from '../store/store';
import { verifyToken } from '../tokens';
import { applyToTopics, parseEvidence, tokenRow, type LedgerContext } from './context';
import { eraseWithin } from './erasure';
import { applyPurpose } from './purposes';
import { FINAL_OUTCOMES } from './register';
import { findSubject } from './subjects';
import type { EraseResult, TopicOutcome } from './schemas';

/**
 * The privacy request form (GDPR Art. 15, 17, 21): a person asks to see their data, to have it
 * erased, or to get no more mail, by giving an address. Nothing happens until the person proves
 * the mailbox by the link mailed to it, so the form never tells whether an address is known:
 * every accepted submission mails that address once, and the page answers the same.
 *
 *   known address    a confirmation link (token purpose `privacy`, single use, PRIVACY_LINK_DAYS)
 *   unknown address  the mail that says we hold nothing ("ack-no-data"); nothing else is kept
 *                    but the answered request, so no suppression is made on an unproven claim
 *   within the resend window of an earlier form request from the same address: nothing mailed
 *                    (the list-bombing limit of a signup, by address, for known and unknown alike)
 *
 * Each submission mailed is a line in the requests register (channel `form`): open while it awaits
 * the person's confirmation, closed with its outcome when the link's button carries it out.
 */

/** What the person chose on the form, as the register's kinds: see my data, erase my data, stop all mail. */
export const PRIVACY_CHOICES = ['access', 'erase', 'unsubscribe'] as const;
export type PrivacyChoice = (typeof PRIVACY_CHOICES)[number];

/** How long the confirmation link works: one day (the person just asked and waits for the mail; a link that erases should not lie about for a week). */
export const PRIVACY_LINK_DAYS = 1;

/** Who handled a form request, in the register. */
const HANDLED_BY = 'privacy request form';

export type PrivacySubmission =
  | { outcome: 'throttled' }
  | { outcome: 'mailed'; mail: PrivacyMailPlan };

/** The mail a submission sends: the confirmation link to a known address, or "we hold nothing". */
export interface PrivacyMailPlan {
  to: string;
  choice: PrivacyChoice;
  locale: string | null;
  /** The confirmation link's token (known address), or null: the mail says we hold nothing. */
  token: string | null;
  expiresAt: string | null;
  requestId: string;
}

/** A submission of the form: records it and says what to mail. Throws InvalidInput for a bad address or choice. */
export async function submitPrivacyRequest(ctx: LedgerContext, input: { email: unknown; choice: unknown }): Promise<PrivacySubmission> {
  const email = typeof input.email === 'string' ? normaliseEmail(input.email) : undefined;
  if (!email) throw new InvalidInput('email: not an email address');
  const choice = PRIVACY_CHOICES.find((c) => c === input.choice);
  if (!choice) throw new InvalidInput(`choice: one of ${PRIVACY_CHOICES.join(', ')}`);
  const now = ctx.now();
  const at = now.toISOString();
  const windowStart = now.getTime() - ctx.settings.resendWindowMinutes * 60_000;
  return ctx.store.transaction(async (tx) => {
    // The list-bombing limit: one mail per address per resend window, whether we know it or not.
    const last = await tx.lastRequestFrom(email, 'form');
    if (last && Date.parse(last) > windowStart) return { outcome: 'throttled' } as const;
    const subject = await findSubject(tx, { email });
    const requestId = `form-${randomUUID()}`;
    let token: { token: string; expiresAt: Date } | null = null;
    if (subject) {
      const issued = ctx.newToken('privacy', now, PRIVACY_LINK_DAYS);
      // The token names the request, not the person: the request carries the address, and a used
      // link outlives an erasure (a second press says it was done).
      await tx.insertTokens([tokenRow(issued, 'privacy', { ref: requestId }, now)]);
      token = issued;
    }
    await tx.upsertRequest({
      messageId: requestId,
      mailbox: '',
      kind: choice,
      receivedAt: at,
      dueAt: addOneMonth(now).toISOString(),
      // A known address waits for the person's confirmation; an unknown one is answered by the mail.
      outcome: subject ? 'awaiting_verification' : 'not_found',
      subjectId: subject?.id ?? null,
      address: email,
      detail: null,
      updatedAt: at,
      channel: 'form',
      handledBy: HANDLED_BY,
    });
    return {
      outcome: 'mailed',
      mail: { to: email, choice, locale: subject?.locale ?? null, token: token?.token ?? null, expiresAt: token ? token.expiresAt.toISOString() : null, requestId },
    } as const;
  });
}

/** What a confirmation link asks for, for the page a GET shows. Changes nothing. */
export async function viewPrivacyRequest(ctx: LedgerContext, token: unknown): Promise<{ choice: PrivacyChoice; locale: string | null; done: string | null }> {
  const verified = verifyToken(ctx.keys.tokenKeys, token, 'privacy', ctx.now());
  return ctx.store.transaction(async (tx) => {
    const { row, request } = await linkRequest(tx, verified.hash);
    const subject = request.address ? await findSubject(tx, { email: request.address }) : undefined;
    return { choice: request.kind as PrivacyChoice, locale: subject?.locale ?? null, done: row.usedAt ? request.outcome : null };
  });
}

export interface PrivacyDone {
  choice: PrivacyChoice;
  requestId: string;
  /** erased, suppressed, not_found (erase); answered (access); unsubscribed, unchanged (stop all mail). */
  outcome: string;
  subjectId: number | null;
  locale: string | null;
  /** A second press: the request was carried out before, nothing was done now. */
  repeated: boolean;
  /** See my data: the access link (core/ledger/access.ts) the page leads to. */
  accessToken?: string;
  receiptId?: string;
  externalIds?: string[];
  topics?: TopicOutcome[];
}

/**
 * The POST behind a confirmation link: the person proved the mailbox, so the request is carried
 * out and closed in one transaction with the link used up. A second press changes nothing and
 * says what was done.
 */
export async function completePrivacyRequest(ctx: LedgerContext, token: unknown, evidenceInput: unknown): Promise<PrivacyDone> {
  const now = ctx.now();
  const verified = verifyToken(ctx.keys.tokenKeys, token, 'privacy', now);
  const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'person' }, source: { kind: 'link' } });
  const key = await ctx.loadSuppressionKey();
  const at = now.toISOString();
  const result = await ctx.store.transaction(async (tx): Promise<PrivacyDone> => {
    const { request } = await linkRequest(tx, verified.hash);
    const choice = request.kind as PrivacyChoice;
    const subject = request.address ? await findSubject(tx, { email: request.address }) : undefined;
    if (subject) await tx.lockSubjects([subject.id]);
    if (!(await tx.claimToken(verified.hash, at))) {
      const again = (await tx.findRequest(request.messageId)) ?? request;
      if (!FINAL_OUTCOMES.includes(again.outcome)) throw TokenRejected.of('used');
      return { choice, requestId: request.messageId, outcome: again.outcome, subjectId: again.subjectId, locale: subject?.locale ?? null, repeated: true };
    }
    const close = (outcome: string, patch: { subjectId?: number | null; detail?: string; address?: null } = {}) =>
      tx.updateRequest(request.messageId, { outcome, handledBy: HANDLED_BY, updatedAt: at, ...patch });
    if (!subject || !request.address) {
      // Erased or gone since the mail went out: nothing held, nothing to do.
      await close('not_found', { subjectId: null });
      return { choice, requestId: request.messageId, outcome: 'not_found', subjectId: null, locale: null, repeated: false };
    }
    if (choice === 'access') {
      const issued = ctx.newToken('access', now, ctx.settings.accessDays);
      await tx.insertTokens([tokenRow(issued, 'access', { subjectId: subject.id, ref: request.messageId }, now)]);
      await close('answered', { subjectId: subject.id, detail: formatRequestDetail({ note: 'access link shown after the link in the mail was confirmed' }) });
      return { choice, requestId: request.messageId, outcome: 'answered', subjectId: subject.id, locale: subject.locale, repeated: false, accessToken: issued.token };
    }
    if (choice === 'erase') {
      const done: EraseResult = await eraseWithin(tx, { email: request.address }, key, 'erasure request on the privacy request form, verified by link', evidence, now);
      // The request stays as the record that it was answered, without the address.
      await close(done.outcome, { subjectId: done.subjectId, detail: formatRequestDetail({ receipt: done.receiptId, note: 'verified by link' }), address: null });
      return { choice, requestId: request.messageId, outcome: done.outcome, subjectId: done.subjectId, locale: subject.locale, repeated: false, receiptId: done.receiptId, externalIds: done.externalIds };
    }
    // Stop all mail: every topic on every channel unsubscribed, and e-marketing withdrawn (an objection, Art. 21(2)).
    const consents = await tx.getConsents([subject.id]);
    const topics: TopicOutcome[] = [];
    for (const channel of new Set(consents.map((c) => c.channel))) {
      topics.push(...(await applyToTopics(tx, subject, channel, consents.filter((c) => c.channel === channel).map((c) => c.topic), 'unsubscribe', evidence, now)));
    }
    const purpose = await applyPurpose(ctx, tx, subject, ctx.settings.purposes.emarketing, 'withdraw', evidence, now, { target: 'withdrawn', givenBasis: 'none' });
    const outcome = topics.some((t) => t.outcome === 'changed') || purpose.outcome === 'changed' ? 'unsubscribed' : 'unchanged';
    await close(outcome, { subjectId: subject.id });
    return { choice, requestId: request.messageId, outcome, subjectId: subject.id, locale: subject.locale, repeated: false, topics };
  });
  if (result.choice === 'erase' && !result.repeated) await ctx.store.flushErased?.();
  return result;
}

async function linkRequest(tx: StoreTx, hash: Buffer): Promise<{ row: TokenRow; request: RequestRow }> {
  const row = await tx.findToken(hash);
  const request = row?.purpose === 'privacy' && row.ref ? await tx.findRequest(row.ref) : undefined;
  if (!row || !request || !(PRIVACY_CHOICES as readonly string[]).includes(request.kind)) throw TokenRejected.of('unknown');
  return { row, request };
}
