import { LocaleSchema, type Locale } from '../consent/identity';
import type { Ledger, PrivacyMailPlan, VerifiedErasure } from '../ledger';
import { composeMail, type ComposedMail } from '../mail/compose';
import { isStandInMessageId } from '../mail/request-mail';
import { describeSendFailure, SendFailed } from '../mail/send';
import type { TemplateKind } from '../mail/templates';
import { formatRequestDetail, parseRequestDetail } from '../request-detail';
import type { Context, ReplyPlan } from './context';
import { parseRequestOptions, type Options, type RequestMailResult, type RequestOptions } from './options';

/**
 * Answering a request: which reply, in which language, to whom (never to a mailer daemon, a list
 * or ourselves), sent by the caller's hook or handed back; and the acknowledgement after an erasure
 * verified by link.
 */
/** After the trigger node's own mail node sent the reply it was given. */
export async function markReplySent(ledger: Ledger, messageId: string): Promise<void> {
  // The rest of the detail (proof, receipt) stays: only the reply's state changes.
  const row = await ledger.findRequest(messageId);
  await ledger.updateRequest(messageId, { detail: formatRequestDetail({ ...parseRequestDetail(row?.detail ?? null), reply: 'sent', error: undefined, sender: undefined }) });
}

/**
 * A reply's language: the person's stored language when the ledger knows them, else the language
 * the mail was written in, else the configured default. Every LOCALES language has its templates.
 */
export function replyPlan(ctx: Context, kind: TemplateKind, storedLocale?: string | null, eraseToken?: string): ReplyPlan {
  return { kind, locale: replyLocale(storedLocale, ctx.classification.language, ctx.options.defaultLocale), eraseToken };
}

export function replyLocale(stored: string | null | undefined, language: string | null | undefined, fallback: Locale): Locale {
  const own = LocaleSchema.safeParse(stored);
  if (own.success) return own.data;
  const written = LocaleSchema.safeParse(language);
  return written.success ? written.data : fallback;
}

/** The stored language of the person with this address, if any (a read). */
export async function storedLocaleOf(ctx: Context, address: string | null): Promise<string | null> {
  if (!address) return null;
  return (await ctx.ledger.export({ email: address }))?.subject.locale ?? null;
}

/** RFC 3834 §2: never answer the null sender, a mailer daemon, a list, or ourselves. */
export function mayReply(ctx: Context, to: string | null): to is string {
  const { mail, options } = ctx;
  if (!to || mail.returnPath === '') return false;
  if (mail.headers.has('list-id')) return false;
  if (to === options.replyFrom.address) return false;
  return !isMachineAddress(to);
}

/** A mailer daemon's, a no-reply or a list's own address: never answered. */
export function isMachineAddress(address: string): boolean {
  const local = address.split('@')[0];
  return /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|owner-.*|.*-request)$/i.test(local);
}

export async function sendReply(ctx: Context, plan: ReplyPlan): Promise<RequestMailResult['reply']> {
  return deliverReply(ctx, composeReply(ctx, plan));
}

/**
 * The reply written, not sent: `pending` with its mail, or `none` (nobody to answer) or
 * `unsendable` (it cannot be written). No I/O, so it can be decided inside the ledger transaction.
 */
export function composeReply(ctx: Context, plan: ReplyPlan): RequestMailResult['reply'] {
  const to = ctx.classification.address;
  if (!mayReply(ctx, to)) return { status: 'none', mail: null, error: null };
  let mail: ComposedMail;
  try {
    mail = composeMail(plan.kind, {
      to,
      from: formatFrom(ctx.options.replyFrom),
      locale: plan.locale,
      organisation: ctx.options.organisation,
      privacyUrl: ctx.options.privacyUrl,
      baseUrl: ctx.options.baseUrl,
      eraseToken: plan.eraseToken,
      accessToken: plan.accessToken,
      ...(ctx.mail.hasOwnMessageId ? { inReplyTo: ctx.mail.messageId, references: ctx.mail.references } : {}),
    });
  } catch (error) {
    // The ledger has acted; a reply that cannot be written (a References entry over 998
    // characters, say) is not retried for ever: the mail goes to review with the reason.
    return { status: 'unsendable', mail: null, error: `${UNSENDABLE}: ${(error as Error).message}`.slice(0, 300) };
  }
  return { status: 'pending', mail, error: null };
}

/** Sends a composed reply by the caller's hook; without one it stays `pending` (handed back). */
export async function deliverReply(ctx: Context, reply: RequestMailResult['reply']): Promise<RequestMailResult['reply']> {
  const mail = reply.mail;
  if (reply.status !== 'pending' || !mail || !ctx.hooks.sendReply) return reply;
  try {
    await ctx.hooks.sendReply(mail);
    return { status: 'sent', mail, error: null };
  } catch (error) {
    const isPermanent = error instanceof SendFailed && error.isPermanent;
    return { status: isPermanent ? 'rejected' : 'failed', mail, error: describeSendFailure(error) };
  }
}

/** The start of a reply's error when it could not be composed: the review reason says it. */
export const UNSENDABLE = 'the reply could not be composed';

export function formatFrom(from: { address: string; name?: string }): string {
  return from.name ? `"${from.name.replace(/["\\]/g, '')}" <${from.address}>` : from.address;
}

/** The acknowledgement of an erasure request, by what the erasure did. */
export function erasureAckKind(outcome: string): TemplateKind {
  return outcome === 'erased' ? 'ack-erased' : outcome === 'suppressed' ? 'ack-suppressed' : 'ack-no-data';
}

/**
 * The acknowledgement after an erasure the person confirmed with the verification link's button
 * (Ledger.completeEraseVerification): the same mail a proven sender gets at once (eraseNow), to the
 * address the request came from, in reply to the request, in the person's stored language, else the
 * language the verification mail was in. Returns null when there is nobody to answer.
 */
export function erasureAcknowledgement(
  erasure: Pick<VerifiedErasure, 'outcome' | 'replyTo' | 'locale' | 'requestDetail' | 'requestMessageId'>,
  optionsInput: RequestOptions | Options,
): ComposedMail | null {
  if (!erasure.replyTo) return null;
  const options = parseRequestOptions(optionsInput);
  const locale = replyLocale(erasure.locale, parseRequestDetail(erasure.requestDetail).lang, options.defaultLocale);
  return composeMail(erasureAckKind(erasure.outcome), {
    to: erasure.replyTo,
    from: formatFrom(options.replyFrom),
    locale,
    organisation: options.organisation,
    privacyUrl: options.privacyUrl,
    baseUrl: options.baseUrl,
    ...(isStandInMessageId(erasure.requestMessageId) ? {} : { inReplyTo: erasure.requestMessageId, references: [erasure.requestMessageId] }),
  });
}

/**
 * The mail a submission of the privacy request form sends (Ledger.submitPrivacyRequest): the
 * confirmation link to a known address, else "we hold no data about you" (ack-no-data, the mail the
 * mailbox sends an unknown sender). In the person's stored language, else the page's.
 */
export function privacyRequestMail(plan: Pick<PrivacyMailPlan, 'to' | 'token' | 'locale'>, optionsInput: RequestOptions | Options): ComposedMail {
  const options = parseRequestOptions(optionsInput);
  return composeMail(plan.token ? 'privacy-request' : 'ack-no-data', {
    to: plan.to,
    from: formatFrom(options.replyFrom),
    locale: replyLocale(plan.locale, null, options.defaultLocale),
    organisation: options.organisation,
    privacyUrl: options.privacyUrl,
    baseUrl: options.baseUrl,
    ...(plan.token ? { privacyToken: plan.token } : {}),
  });
}
