import type { PrivacyChoice, PrivacyMailPlan } from '../ledger';
import { InvalidInput } from '../errors';
import { formatRequestDetail } from '../request-detail';
import type { LinkHooks, LinkLedger, Ready } from './act';
import { renderDonePage } from './done';
import { chooseLocale, type PageOptions } from './options';
import { renderPrivacyConfirm, renderPrivacyDone, renderPrivacyForm, renderPrivacySent } from './privacy';
import { pageContext } from './render';
import type { Form } from './request';
import { base, respond, type LinkResponse } from './respond';

/**
 * The privacy request form (core/ledger/privacy.ts) as pages:
 *   GET, HEAD without a token   the form
 *   POST without a token        the submission: the ledger records it and says what to mail; the
 *                               host's hook mails it; the answer is the one neutral page, byte for
 *                               byte the same for a known, unknown or throttled address
 *   GET, HEAD with the token    what was asked, with the button
 *   POST with the token         carried out once (a second press says it was done)
 * The form has no token to protect, and needs none: it acts on nothing the browser holds (no
 * cookie, no session), so a cross-site post can do no more than anyone typing the address.
 */

export function showPrivacyForm(options: PageOptions, acceptLanguage: string | undefined, head: boolean): LinkResponse {
  const locale = chooseLocale(null, options, acceptLanguage);
  return respond(renderPrivacyForm(pageContext(locale, options)), head, 200, base('privacy', 'show', locale, { outcome: 'shown' }));
}

export async function submitPrivacyForm(ledger: LinkLedger, form: Form, options: PageOptions, acceptLanguage: string | undefined, hooks: LinkHooks): Promise<LinkResponse> {
  const locale = chooseLocale(null, options, acceptLanguage);
  const ctx = pageContext(locale, options);
  const email = form.get('email')?.[0] ?? '';
  const choice = form.get('choice')?.[0] ?? '';
  let submitted;
  try {
    submitted = await ledger.submitPrivacyRequest({ email, choice });
  } catch (error) {
    if (!(error instanceof InvalidInput)) throw error;
    // What was typed comes back (escaped) with a note; nothing was recorded.
    return respond(renderPrivacyForm(ctx, { email: email.slice(0, 254), choice, invalid: true }), false, 400, base('privacy', 'privacy_request', locale, { outcome: 'invalid', problem: 'bad_request' }));
  }
  if (submitted.outcome === 'mailed') await mail(ledger, { ...submitted.mail, locale: submitted.mail.locale ?? locale }, hooks);
  // The same page and the same result whatever happened: the register keeps what it was.
  return respond(renderPrivacySent(ctx), false, 200, base('privacy', 'privacy_request', locale, { outcome: 'received' }));
}

async function mail(ledger: LinkLedger, plan: PrivacyMailPlan, hooks: LinkHooks): Promise<void> {
  try {
    if (!hooks.mailPrivacyRequest) throw new Error('the privacy request form needs a mailer: pass hooks.mailPrivacyRequest');
    await hooks.mailPrivacyRequest(plan);
  } catch (error) {
    // Not sent: the request is closed as such and its address dropped, so the person may try again
    // at once (the list-bombing limit counts only requests that were mailed); they see "try again later".
    await ledger.updateRequest(plan.requestId, { outcome: 'ignored', detail: formatRequestDetail({ note: 'the mail could not be sent; the person was asked to try again' }), address: null });
    throw error;
  }
}

export async function showPrivacyConfirm(ledger: LinkLedger, r: Ready): Promise<LinkResponse> {
  const head = r.method === 'HEAD';
  const view = await ledger.viewPrivacyRequest(r.token);
  const locale = chooseLocale(view.locale, r.options, r.acceptLanguage);
  const ctx = pageContext(locale, r.options);
  if (view.done) {
    return respond(renderPrivacyDone(ctx, { choice: view.choice, outcome: view.done, repeated: true }), head, 200, base('privacy', 'show', locale, { outcome: 'already_done' }));
  }
  return respond(renderPrivacyConfirm(ctx, { token: r.token, choice: view.choice }), head, 200, base('privacy', 'show', locale, { outcome: 'shown', topics: [] }));
}

export async function carryOutPrivacyRequest(ledger: LinkLedger, r: Ready): Promise<LinkResponse> {
  const done = await ledger.completePrivacyRequest(r.token, r.evidence('privacy request form, confirmation link'));
  const locale = chooseLocale(done.locale, r.options, r.acceptLanguage);
  const ctx = pageContext(locale, r.options);
  const erased = done.choice === 'erase' && !done.repeated && done.outcome !== 'not_found';
  const page = erased
    ? renderDonePage(ctx, done.outcome === 'suppressed' ? { kind: 'verification_received', retained: true } : { kind: 'erased' })
    : renderPrivacyDone(ctx, done);
  return respond(page, false, 200, base('privacy', 'privacy_confirm', locale, {
    outcome: done.repeated ? 'already_done' : done.outcome,
    subjectId: done.subjectId,
    requestId: done.requestId,
    privacyChoice: done.choice satisfies PrivacyChoice,
    topics: done.topics?.map((t) => t.topic) ?? [],
    changes: done.topics ?? [],
    ...(done.receiptId ? { receiptId: done.receiptId } : {}),
    ...(done.externalIds ? { externalIds: done.externalIds } : {}),
  }));
}
