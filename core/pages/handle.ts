import { linkClickEvidence } from '../consent/evidence';
import type { TokenPurpose } from '../consent/statuses';
import { ConsentError, StoreUnavailable, TokenRejected, type TokenProblem } from '../errors';
import { parseInput } from '../validation';
import { act, alreadyConfirmed, postAction, type LinkHooks, type LinkLedger, type Ready } from './act';
import { accessJson, renderAccessPage } from './access';
import { renderConfirmPage } from './confirm';
import { renderErasePage } from './erase';
import { renderExpiredPage, renderUnavailablePage } from './error';
import { chooseLocale, PageOptionsSchema, type PageOptions, type PageOptionsInput } from './options';
import { showPrivacyConfirm, showPrivacyForm, submitPrivacyForm } from './privacy-act';
import { renderPreferencesPage } from './preferences';
import { pageContext } from './render';
import { acceptLanguageOf, ALLOWED_METHODS, evidenceIp, firstString, header, isAllowed, isHead, kindFromPath, LinkRequestSchema, readForm, tokenOf } from './request';
import { base, neutral, respond, type LinkAction, type LinkResponse } from './respond';
import { renderUnsubscribePage } from './unsubscribe';
import type { LinkKind } from '../links';

export { wantedFrom, type LinkHooks, type LinkLedger } from './act';
export { ALLOWED_METHODS, kindFromPath, LINK_KINDS, LinkRequestSchema, readForm, tokenOf, type LinkRequest } from './request';
export { pageHeaders, type LinkAction, type LinkProblem, type LinkResponse, type LinkResult } from './respond';

/**
 * The HTTP side of the links in our mails (DESIGN §4), for whatever serves them: n8n's Webhook
 * node through the Confirm Token and Unsubscribe nodes, or the test harness. It takes the request
 * as plain data and returns the status, headers and page to send, plus a result without PII.
 *
 *   GET, HEAD  show the page with its button; they never change anything (mail scanners open links)
 *   POST       does the work: confirm, unsubscribe (also RFC 8058 one-click), preferences, erase
 *
 * The parts: request.ts reads the request, act.ts does what a POST asks, respond.ts makes the
 * response; this file checks the request and the token, and shows the pages of GET and HEAD.
 */

export async function handleLinkRequest(ledger: LinkLedger, request: unknown, optionsInput: PageOptionsInput, hooks: LinkHooks = {}): Promise<LinkResponse> {
  // A wrong setting is the operator's to fix, so it throws (the node reports it); a wrong request is a page.
  const options = parseInput(PageOptionsSchema, optionsInput, 'link page options');
  const parsed = LinkRequestSchema.safeParse(request);
  if (!parsed.success) {
    const fallback = chooseLocale(null, options, acceptLanguageOf(request));
    return neutral(options, fallback, isHead(request), 400, { kind: null, action: 'none', problem: 'bad_request' });
  }
  const req = parsed.data;
  const kind = (req.kind ?? kindFromPath(req.path))!;
  const acceptLanguage = header(req.headers, 'accept-language');
  const method = req.method;
  if (!isAllowed(method)) {
    const response = neutral(options, chooseLocale(null, options, acceptLanguage), false, 405, { kind, action: 'none', problem: 'method_not_allowed' });
    response.headers.Allow = ALLOWED_METHODS.join(', ');
    response.result.outcome = 'method_not_allowed';
    return response;
  }
  if (kind === 'access' && method === 'POST') {
    // An access link only shows (GDPR Art. 15): nothing to post, so nothing a POST could change.
    const response = neutral(options, chooseLocale(null, options, acceptLanguage), false, 405, { kind, action: 'none', problem: 'method_not_allowed' });
    response.headers.Allow = 'GET, HEAD';
    response.result.outcome = 'method_not_allowed';
    return response;
  }
  const form = method === 'POST' ? readForm(req.body, header(req.headers, 'content-type')) : new Map<string, string[]>();
  const token = tokenOf(req.query, form);
  const action: LinkAction = method === 'POST' ? postAction(kind, form) : 'show';
  if (!token && kind === 'privacy') {
    // The privacy request form itself: shown, or submitted (core/pages/privacy-act.ts).
    return privacyForm(ledger, method, form, options, acceptLanguage, hooks);
  }
  if (!token) {
    return neutral(options, chooseLocale(null, options, acceptLanguage), method === 'HEAD', 400, { kind, action, problem: 'missing_token' });
  }
  const userAgent = header(req.headers, 'user-agent');
  const ready: Ready = {
    kind,
    method,
    token,
    form,
    acceptLanguage,
    options,
    format: firstString(req.query.format) === 'json' ? 'json' : 'html',
    evidence: (ref) => linkClickEvidence(ref, { ip: evidenceIp(req.ip), userAgent }),
  };
  const rejected = (problem: TokenProblem): LinkResponse => {
    const locale = chooseLocale(null, options, acceptLanguage);
    const head = method === 'HEAD';
    if (problem === 'expired') {
      return respond(renderExpiredPage(pageContext(locale, options), kind), head, 410, base(kind, action, locale, { problem: 'expired' }));
    }
    return neutral(options, locale, head, problem === 'malformed' ? 400 : 404, { kind, action, problem });
  };
  // Forged, malformed and expired links are turned away here, on one HMAC, before any lookup.
  const problem = ledger.checkLink(token, tokenPurposeOf(kind));
  if (problem) return rejected(problem);
  try {
    return method === 'POST' ? await act(ledger, ready, action, hooks) : await show(ledger, ready);
  } catch (error) {
    if (error instanceof TokenRejected) return rejected(error.problem);
    const locale = chooseLocale(null, options, acceptLanguage);
    const head = method === 'HEAD';
    hooks.onError?.(error);
    const unavailable = error instanceof StoreUnavailable;
    const result = base(kind, action, locale, {
      outcome: 'error',
      problem: unavailable ? 'unavailable' : 'internal',
      errorCode: error instanceof ConsentError ? error.code : 'INTERNAL',
    });
    return respond(renderUnavailablePage(pageContext(locale, options)), head, unavailable ? 503 : 500, result);
  }
}

// ---------------------------------------------------------------- GET and HEAD: show, change nothing

async function show(ledger: LinkLedger, r: Ready): Promise<LinkResponse> {
  const head = r.method === 'HEAD';
  if (r.kind === 'preferences') {
    const view = await ledger.preferences(r.token);
    const locale = chooseLocale(view.locale, r.options, r.acceptLanguage);
    const page = renderPreferencesPage(pageContext(locale, r.options), { token: r.token, topics: view.topics, name: nameOf(view), held: view.held });
    return respond(page, head, 200, base('preferences', 'show', locale, {
      outcome: 'shown', subjectId: view.subjectId, channel: view.channel, topics: view.topics.map((t) => t.topic),
    }));
  }
  if (r.kind === 'access') return showAccess(ledger, r);
  if (r.kind === 'privacy') return showPrivacyConfirm(ledger, r);
  const purpose = tokenPurposeOf(r.kind);
  const view = await ledger.viewToken(r.token, purpose);
  if (view.used) {
    // A confirm link opened again after its confirmation says so; any other used single-use link
    // looks like every dead link (the neutral page). Only a link with our MAC gets this far.
    if (r.kind === 'confirm' && view.confirmedTopics.length > 0) return alreadyConfirmed(r, view, 'show');
    throw new TokenRejected('used');
  }
  const locale = chooseLocale(view.locale, r.options, r.acceptLanguage);
  const ctx = pageContext(locale, r.options);
  const page =
    r.kind === 'confirm'
      ? renderConfirmPage(ctx, { token: r.token, topics: view.topics, name: nameOf(view), autoSubmit: !r.options.requireClick })
      : r.kind === 'unsubscribe'
        ? renderUnsubscribePage(ctx, { token: r.token, topics: view.topics, name: nameOf(view), askReason: r.options.askLeaveReason })
        : renderErasePage(ctx, { token: r.token });
  return respond(page, head, 200, base(r.kind, 'show', locale, {
    outcome: 'shown', subjectId: view.subjectId, channel: view.channel, topics: view.topics,
  }));
}

/**
 * An access link: the person's data package as a page, or with format=json as the download. Reads
 * only. The JSON goes out in `html` (the body the host sends) with its own Content-Type.
 */
async function showAccess(ledger: LinkLedger, r: Ready): Promise<LinkResponse> {
  const head = r.method === 'HEAD';
  const data = await ledger.accessPackage(r.token);
  const locale = chooseLocale(data.person.locale, r.options, r.acceptLanguage);
  const result = base('access', 'show', locale, { outcome: 'shown', subjectId: data.person.id });
  if (r.format === 'json') {
    const response = respond(renderAccessPage(pageContext(locale, r.options), { token: r.token, data }), head, 200, result);
    response.headers['Content-Type'] = 'application/json; charset=utf-8';
    response.headers['Content-Disposition'] = 'attachment; filename="personal-data.json"';
    response.html = head ? '' : accessJson(data);
    return response;
  }
  return respond(renderAccessPage(pageContext(locale, r.options), { token: r.token, data }), head, 200, result);
}

function tokenPurposeOf(kind: LinkKind): TokenPurpose {
  return kind === 'erase' || kind === 'confirm' || kind === 'access' || kind === 'privacy' ? kind : 'unsubscribe';
}

async function privacyForm(ledger: LinkLedger, method: 'GET' | 'HEAD' | 'POST', form: Map<string, string[]>, options: PageOptions, acceptLanguage: string | undefined, hooks: LinkHooks): Promise<LinkResponse> {
  if (method !== 'POST') return showPrivacyForm(options, acceptLanguage, method === 'HEAD');
  try {
    return await submitPrivacyForm(ledger, form, options, acceptLanguage, hooks);
  } catch (error) {
    hooks.onError?.(error);
    const locale = chooseLocale(null, options, acceptLanguage);
    const unavailable = error instanceof StoreUnavailable;
    return respond(renderUnavailablePage(pageContext(locale, options)), false, unavailable ? 503 : 500, base('privacy', 'privacy_request', locale, {
      outcome: 'error', problem: unavailable ? 'unavailable' : 'internal', errorCode: error instanceof ConsentError ? error.code : 'INTERNAL',
    }));
  }
}

function nameOf(view: object): string | null {
  // The ledger's views may carry the person's first name for a greeting; shown escaped.
  return 'name' in view && typeof view.name === 'string' && view.name.trim() ? view.name.trim() : null;
}
