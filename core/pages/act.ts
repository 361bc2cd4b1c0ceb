import type { EvidenceInput } from '../consent/evidence';
import { TokenRejected } from '../errors';
import type { Ledger, PrivacyMailPlan, TokenActionResult, VerifiedErasure } from '../ledger';
import { isLeaveReason } from '../ledger/leave-reasons';
import type { LinkKind } from '../links';
import { renderAccessPage } from './access';
import { renderDonePage, type DonePage } from './done';
import { chooseLocale, type PageOptions } from './options';
import { renderPreferencesPage } from './preferences';
import { pageContext } from './render';
import { carryOutPrivacyRequest } from './privacy-act';
import type { Form } from './request';
import { base, respond, type LinkAction, type LinkResponse, type LinkResult } from './respond';

/** POST: what each link's button does (confirm, unsubscribe, preferences, erase), and its page. */

/** The ledger methods the pages use; all reads but the POST ones. */
export type LinkLedger = Pick<
  Ledger,
  | 'checkLink' | 'viewToken' | 'preferences' | 'confirm' | 'unsubscribeByToken' | 'setPreferences' | 'completeEraseVerification' | 'accessPackage' | 'accessByLink' | 'eraseByLink' | 'countLeaveReason'
  | 'submitPrivacyRequest' | 'viewPrivacyRequest' | 'completePrivacyRequest' | 'updateRequest'
>;

export interface LinkHooks {
  /** Called with an unexpected error (store down, a bug); the person sees only "try again later". */
  onError?: (error: unknown) => void;
  /**
   * After an erasure confirmed with the verification link's button: sends the acknowledgement
   * (core/inbox/answer.ts erasureAcknowledgement) and says whether it went out. The erasure stands
   * either way; a failure is reported through onError and in the result's `reply`.
   */
  acknowledgeErasure?: (erasure: VerifiedErasure) => Promise<'sent' | 'none'>;
  /**
   * The privacy request form: sends the mail a submission asks for (core/inbox privacyRequestMail
   * composes it). Without it the form answers "try again later". A failure is the page's too.
   */
  mailPrivacyRequest?: (plan: PrivacyMailPlan) => Promise<void>;
  /**
   * After a confirmation by the confirm link (the optional welcome mail, core/mail/follow-up.ts):
   * sends it and says whether it went out. The confirmation stands either way (result `reply`).
   */
  welcome?: (done: TokenActionResult) => Promise<'sent' | 'none'>;
  /** After an unsubscribe by the unsubscribe page's button (the optional goodbye mail; not after an RFC 8058 one-click). */
  goodbye?: (done: TokenActionResult, token: string) => Promise<'sent' | 'none'>;
}

/** Runs a mail hook: a failure is reported through onError and as 'failed'; the action stands. */
async function mailHook(hooks: LinkHooks, send: (() => Promise<'sent' | 'none'>) | undefined): Promise<LinkResult['reply']> {
  if (!send) return undefined;
  try {
    return await send();
  } catch (error) {
    hooks.onError?.(error);
    return 'failed';
  }
}

/** A request that passed the checks: a known link, an allowed method, a token with our MAC. */
export interface Ready {
  kind: LinkKind;
  method: 'GET' | 'HEAD' | 'POST';
  token: string;
  form: Form;
  acceptLanguage?: string;
  evidence: (ref: string) => EvidenceInput;
  options: PageOptions;
  /** An access link's download: format=json in the query. */
  format?: 'html' | 'json';
}

export function postAction(kind: LinkKind, form: Form): LinkAction {
  switch (kind) {
    case 'confirm':
      return 'confirm';
    case 'unsubscribe':
      return isOneClick(form) ? 'one_click_unsubscribe' : 'unsubscribe';
    case 'preferences': {
      // The preferences page's data section posts do=download or do=erase; its topics form posts neither.
      const what = form.get('do')?.[0];
      return what === 'download' ? 'download_data' : what === 'erase' ? 'erase_data' : 'set_preferences';
    }
    case 'erase':
      return 'erase';
    case 'access':
      return 'none'; // an access link only shows (handle.ts answers its POST with 405)
    case 'privacy':
      return 'privacy_confirm'; // with a token; the form's own submission has none (handle.ts)
  }
}

/** RFC 8058 §3.1: the mail client POSTs exactly "List-Unsubscribe=One-Click", nothing else from a person. */
function isOneClick(form: Form): boolean {
  return (form.get('List-Unsubscribe') ?? []).some((v) => v.trim() === 'One-Click');
}

export async function act(ledger: LinkLedger, r: Ready, action: LinkAction, hooks: LinkHooks): Promise<LinkResponse> {
  const { options } = r;
  switch (r.kind) {
    case 'confirm': {
      let done;
      try {
        done = await ledger.confirm(r.token, r.evidence('confirm page'));
      } catch (error) {
        // A second press (another tab, a double click) after the confirmation went through.
        if (!(error instanceof TokenRejected && error.problem === 'used')) throw error;
        const view = await ledger.viewToken(r.token, 'confirm');
        if (view.confirmedTopics.length === 0) throw error;
        return alreadyConfirmed(r, view, action);
      }
      const locale = chooseLocale(done.locale, options, r.acceptLanguage);
      const confirmed = done.topics.filter((t) => t.status === 'confirmed').map((t) => t.topic);
      const page: DonePage = done.outcome === 'refused' ? { kind: 'verification_received', retained: false } : { kind: 'confirmed', topics: confirmed };
      const welcome = hooks.welcome;
      const reply = done.outcome === 'confirmed' ? await mailHook(hooks, welcome && (() => welcome(done))) : undefined;
      return respond(renderDonePage(pageContext(locale, options), page), false, 200, base('confirm', action, locale, {
        outcome: done.outcome, subjectId: done.subjectId, channel: done.channel, topics: done.topics.map((t) => t.topic), changes: done.topics, ...(reply ? { reply } : {}),
      }));
    }
    case 'unsubscribe': {
      // One-click acts on the link's own list, as the mail's List-Unsubscribe promised.
      const scope = action === 'one_click_unsubscribe' ? 'link' : r.form.get('scope')?.[0] === 'all' ? 'all' : 'link';
      const ref = action === 'one_click_unsubscribe' ? 'List-Unsubscribe one-click (RFC 8058)' : 'unsubscribe page';
      const done = await ledger.unsubscribeByToken(r.token, scope, r.evidence(ref));
      const reason = r.form.get('reason')?.[0];
      if (options.askLeaveReason && action === 'unsubscribe' && isLeaveReason(reason) && done.topics.some((t) => t.outcome === 'changed')) {
        // Counted apart from the unsubscribe (no person, no event), once per unsubscribe that changed something.
        await ledger.countLeaveReason(reason).catch((error: unknown) => hooks.onError?.(error));
      }
      const locale = chooseLocale(done.locale, options, r.acceptLanguage);
      const page: DonePage =
        done.outcome === 'refused'
          ? { kind: 'verification_received', retained: false }
          : { kind: 'unsubscribed', scope, topics: done.topics.map((t) => t.topic) };
      // The goodbye follows the page's button only: a mail client's one-click promised the person no more mail.
      const goodbye = hooks.goodbye;
      const reply = action === 'unsubscribe' && done.outcome === 'unsubscribed' ? await mailHook(hooks, goodbye && (() => goodbye(done, r.token))) : undefined;
      return respond(renderDonePage(pageContext(locale, options), page), false, 200, base('unsubscribe', action, locale, {
        outcome: done.outcome, subjectId: done.subjectId, channel: done.channel, topics: done.topics.map((t) => t.topic), changes: done.topics, ...(reply ? { reply } : {}),
      }));
    }
    case 'preferences': {
      if (action === 'download_data' || action === 'erase_data') return ownData(ledger, r, action);
      // Read first: the consent text is stored in the language the page was shown in.
      const view = await ledger.preferences(r.token);
      const locale = chooseLocale(view.locale, options, r.acceptLanguage);
      const ctx = pageContext(locale, options);
      const done = await ledger.setPreferences(r.token, wantedFrom(r.form), ctx.t.preferences.consentText(options.organisation), r.evidence('preferences page'));
      return respond(renderDonePage(ctx, { kind: 'preferences_saved', token: r.token }), false, 200, base('preferences', action, locale, {
        outcome: done.outcome, subjectId: done.subjectId, channel: done.channel, topics: done.topics.map((t) => t.topic), changes: done.topics,
      }));
    }
    case 'erase': {
      const done = await ledger.completeEraseVerification(r.token, r.evidence('erase verification page'));
      let reply: LinkResult['reply'] = 'none';
      if (hooks.acknowledgeErasure) {
        try {
          reply = await hooks.acknowledgeErasure(done);
        } catch (error) {
          hooks.onError?.(error);
          reply = 'failed';
        }
      }
      const locale = chooseLocale(null, options, r.acceptLanguage);
      const page: DonePage = done.outcome === 'suppressed' ? { kind: 'verification_received', retained: true } : { kind: 'erased' };
      return respond(renderDonePage(pageContext(locale, options), page), false, 200, base('erase', action, locale, {
        outcome: done.outcome, subjectId: done.subjectId, receiptId: done.receiptId || undefined, requestMessageId: done.requestMessageId, reply,
        // The CRM ids to delete downstream (none under a retention hold): ids, not personal data.
        externalIds: done.externalIds,
      }));
    }
    case 'access':
      throw new Error('an access link has no POST'); // handle.ts answers 405 before this
    case 'privacy':
      return carryOutPrivacyRequest(ledger, r);
  }
}

/**
 * The preferences page's data section: "download my data" answers with the access page (its JSON
 * link is the download) of a fresh access link; "erase my data" erases (or, under a retention hold,
 * suppresses) once the person ticked that they mean it. Without the tick nothing happens: the
 * preferences page again, saying what is missing.
 */
async function ownData(ledger: LinkLedger, r: Ready, action: 'download_data' | 'erase_data'): Promise<LinkResponse> {
  const { options } = r;
  if (action === 'download_data') {
    const done = await ledger.accessByLink(r.token, r.evidence('preferences page: download my data'));
    const locale = chooseLocale(done.data.person.locale, options, r.acceptLanguage);
    return respond(renderAccessPage(pageContext(locale, options), { token: done.accessToken, data: done.data }), false, 200, base('preferences', action, locale, {
      outcome: 'answered', subjectId: done.data.person.id, requestId: done.requestId,
    }));
  }
  if (!(r.form.get('sure') ?? []).includes('yes')) {
    const view = await ledger.preferences(r.token);
    const locale = chooseLocale(view.locale, options, r.acceptLanguage);
    const page = renderPreferencesPage(pageContext(locale, options), { token: r.token, topics: view.topics, name: null, held: view.held, eraseUnconfirmed: true });
    return respond(page, false, 200, base('preferences', action, locale, { outcome: 'unconfirmed', subjectId: view.subjectId, channel: view.channel }));
  }
  const view = await ledger.preferences(r.token);
  const done = await ledger.eraseByLink(r.token, r.evidence('preferences page: erase my data'));
  const locale = chooseLocale(view.locale, options, r.acceptLanguage);
  const page: DonePage = done.outcome === 'suppressed' ? { kind: 'verification_received', retained: true } : { kind: 'erased' };
  return respond(renderDonePage(pageContext(locale, options), page), false, 200, base('preferences', action, locale, {
    outcome: done.outcome, subjectId: done.subjectId, receiptId: done.receiptId, requestId: done.requestId,
    // The CRM ids to delete downstream (none under a retention hold): ids, not personal data.
    externalIds: done.externalIds,
  }));
}

/** The page for a confirm link used before for its confirmation, which still holds: changes nothing. */
export function alreadyConfirmed(r: Ready, view: Awaited<ReturnType<LinkLedger['viewToken']>>, action: LinkAction): LinkResponse {
  const locale = chooseLocale(view.locale, r.options, r.acceptLanguage);
  return respond(renderDonePage(pageContext(locale, r.options), { kind: 'already_confirmed', topics: view.confirmedTopics }), r.method === 'HEAD', 200, base('confirm', action, locale, {
    outcome: 'already_confirmed', subjectId: view.subjectId, channel: view.channel, topics: view.confirmedTopics,
  }));
}

/**
 * Only the boxes the person changed: the form lists the topics it showed ("shown") and those that
 * were ticked ("was"); a topic left as it was is not sent, so saving never touches it.
 */
export function wantedFrom(form: Form): Record<string, boolean> {
  const ticked = new Set(form.get('topic') ?? []);
  const was = new Set(form.get('was') ?? []);
  const wanted: Record<string, boolean> = {};
  for (const topic of new Set(form.get('shown') ?? [])) {
    if (ticked.has(topic) !== was.has(topic)) wanted[topic] = ticked.has(topic);
  }
  return wanted;
}
