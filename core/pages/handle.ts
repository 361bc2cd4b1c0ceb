import { isIP } from 'node:net';
import { z } from 'zod/v4';
import { linkClickEvidence, type EvidenceInput } from '../consent/evidence';
import type { Locale } from '../consent/identity';
import type { Channel } from '../consent/statuses';
import { ConsentError, StoreUnavailable, TokenRejected, type TokenProblem } from '../errors';
import type { Ledger, TopicOutcome, VerifiedErasure } from '../ledger';
import { LINK_PATHS, type LinkKind } from '../links';
import { parseInput } from '../validation';
import { renderConfirmPage } from './confirm';
import { renderDonePage, type DonePage } from './done';
import { renderErasePage } from './erase';
import { renderExpiredPage, renderNeutralErrorPage, renderUnavailablePage } from './error';
import { chooseLocale, PageOptionsSchema, type PageOptions, type PageOptionsInput } from './options';
import { renderPreferencesPage } from './preferences';
import { pageContext, type RenderedPage } from './render';
import { renderUnsubscribePage } from './unsubscribe';

/**
 * The HTTP side of the links in our mails (DESIGN §4), for whatever serves them: n8n's Webhook
 * node through the Confirm Token and Unsubscribe nodes, or the test harness. It takes the request
 * as plain data and returns the status, headers and page to send, plus a result without PII.
 *
 *   GET, HEAD  show the page with its button; they never change anything (mail scanners open links)
 *   POST       does the work: confirm, unsubscribe (also RFC 8058 one-click), preferences, erase
 */

export const LINK_KINDS = Object.keys(LINK_PATHS) as [LinkKind, ...LinkKind[]];
export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST'] as const;

/** The ledger methods the pages use; all reads but the POST ones. */
export type LinkLedger = Pick<Ledger, 'checkLink' | 'viewToken' | 'preferences' | 'confirm' | 'unsubscribeByToken' | 'setPreferences' | 'completeEraseVerification'>;

const StringOrList = z.union([z.string(), z.array(z.string())]);

export const LinkRequestSchema = z
  .object({
    method: z
      .string()
      .trim()
      .min(1, 'give the HTTP method')
      .max(20)
      .transform((m) => m.toUpperCase()),
    /** Which link: confirm, unsubscribe, preferences or erase. Or give `path` and it is read from its last segment. */
    kind: z.enum(LINK_KINDS).optional(),
    path: z.string().max(2000).optional(),
    query: z.record(z.string(), z.unknown()).default({}),
    /** The form as the host parsed it, or the raw body (urlencoded or multipart). */
    body: z.union([z.string(), z.instanceof(Uint8Array), z.record(z.string(), z.unknown()), z.null()]).optional(),
    headers: z.record(z.string(), StringOrList.optional()).default({}),
    ip: z.string().trim().max(100).optional(),
  })
  .refine((r) => Boolean(r.kind ?? kindFromPath(r.path)), {
    message: 'give kind (confirm, unsubscribe, preferences or erase) or a path that ends in one of them',
    path: ['kind'],
  });
export type LinkRequest = z.input<typeof LinkRequestSchema>;

export type LinkAction = 'show' | 'confirm' | 'unsubscribe' | 'one_click_unsubscribe' | 'set_preferences' | 'erase' | 'none';
export type LinkProblem = TokenProblem | 'missing_token' | 'bad_request' | 'method_not_allowed' | 'unavailable' | 'internal';

/** What happened, for the workflow: ids, topics and outcomes, never an address, name, IP or token. */
export interface LinkResult {
  kind: LinkKind | null;
  action: LinkAction;
  /** shown, a ledger outcome (confirmed, unsubscribed, updated, unchanged, refused, erased, suppressed, not_found), or rejected / error */
  outcome: string;
  subjectId: number | null;
  channel: Channel | null;
  /** The topics the link or the action concerned. */
  topics: string[];
  /** Per topic: from which status to which, and whether it changed. */
  changes: TopicOutcome[];
  /** After a verified erasure: whether the acknowledgement mail went out (sent, failed, none). */
  reply?: 'sent' | 'failed' | 'none';
  locale: Locale;
  problem?: LinkProblem;
  errorCode?: string;
  receiptId?: string;
  externalIds?: string[];
  requestMessageId?: string;
}

export interface LinkResponse {
  status: number;
  headers: Record<string, string>;
  /** Empty for HEAD. */
  html: string;
  result: LinkResult;
}

export interface LinkHooks {
  /** Called with an unexpected error (store down, a bug); the person sees only "try again later". */
  onError?: (error: unknown) => void;
  /**
   * After an erasure confirmed with the verification link's button: sends the acknowledgement
   * (core/inbox/answer.ts erasureAcknowledgement) and says whether it went out. The erasure stands
   * either way; a failure is reported through onError and in the result's `reply`.
   */
  acknowledgeErasure?: (erasure: VerifiedErasure) => Promise<'sent' | 'none'>;
}

type Form = Map<string, string[]>;

interface Ready {
  kind: LinkKind;
  method: 'GET' | 'HEAD' | 'POST';
  token: string;
  form: Form;
  acceptLanguage?: string;
  evidence: (ref: string) => EvidenceInput;
  options: PageOptions;
}

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
  const form = method === 'POST' ? readForm(req.body, header(req.headers, 'content-type')) : new Map<string, string[]>();
  const token = firstString(req.query.token) ?? form.get('token')?.[0];
  const action: LinkAction = method === 'POST' ? postAction(kind, form) : 'show';
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
  const problem = ledger.checkLink(token, kind === 'erase' ? 'erase' : kind === 'confirm' ? 'confirm' : 'unsubscribe');
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
    const page = renderPreferencesPage(pageContext(locale, r.options), { token: r.token, topics: view.topics, name: nameOf(view) });
    return respond(page, head, 200, base('preferences', 'show', locale, {
      outcome: 'shown', subjectId: view.subjectId, channel: view.channel, topics: view.topics.map((t) => t.topic),
    }));
  }
  const purpose = r.kind === 'erase' ? 'erase' : r.kind === 'confirm' ? 'confirm' : 'unsubscribe';
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
        ? renderUnsubscribePage(ctx, { token: r.token, topics: view.topics, name: nameOf(view) })
        : renderErasePage(ctx, { token: r.token });
  return respond(page, head, 200, base(r.kind, 'show', locale, {
    outcome: 'shown', subjectId: view.subjectId, channel: view.channel, topics: view.topics,
  }));
}

// ---------------------------------------------------------------- POST: act

function postAction(kind: LinkKind, form: Form): LinkAction {
  switch (kind) {
    case 'confirm':
      return 'confirm';
    case 'unsubscribe':
      return isOneClick(form) ? 'one_click_unsubscribe' : 'unsubscribe';
    case 'preferences':
      return 'set_preferences';
    case 'erase':
      return 'erase';
  }
}

/** RFC 8058 §3.1: the mail client POSTs exactly "List-Unsubscribe=One-Click", nothing else from a person. */
function isOneClick(form: Form): boolean {
  return (form.get('List-Unsubscribe') ?? []).some((v) => v.trim() === 'One-Click');
}

async function act(ledger: LinkLedger, r: Ready, action: LinkAction, hooks: LinkHooks): Promise<LinkResponse> {
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
      return respond(renderDonePage(pageContext(locale, options), page), false, 200, base('confirm', action, locale, {
        outcome: done.outcome, subjectId: done.subjectId, channel: done.channel, topics: done.topics.map((t) => t.topic), changes: done.topics,
      }));
    }
    case 'unsubscribe': {
      // One-click acts on the link's own list, as the mail's List-Unsubscribe promised.
      const scope = action === 'one_click_unsubscribe' ? 'link' : r.form.get('scope')?.[0] === 'all' ? 'all' : 'link';
      const ref = action === 'one_click_unsubscribe' ? 'List-Unsubscribe one-click (RFC 8058)' : 'unsubscribe page';
      const done = await ledger.unsubscribeByToken(r.token, scope, r.evidence(ref));
      const locale = chooseLocale(done.locale, options, r.acceptLanguage);
      const page: DonePage =
        done.outcome === 'refused'
          ? { kind: 'verification_received', retained: false }
          : { kind: 'unsubscribed', scope, topics: done.topics.map((t) => t.topic) };
      return respond(renderDonePage(pageContext(locale, options), page), false, 200, base('unsubscribe', action, locale, {
        outcome: done.outcome, subjectId: done.subjectId, channel: done.channel, topics: done.topics.map((t) => t.topic), changes: done.topics,
      }));
    }
    case 'preferences': {
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
  }
}

/** The page for a confirm link used before for its confirmation, which still holds: changes nothing. */
function alreadyConfirmed(r: Ready, view: Awaited<ReturnType<LinkLedger['viewToken']>>, action: LinkAction): LinkResponse {
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

// ---------------------------------------------------------------- responses

function base(kind: LinkKind | null, action: LinkAction, locale: Locale, fields: Partial<LinkResult>): LinkResult {
  return { kind, action, outcome: 'rejected', subjectId: null, channel: null, topics: [], changes: [], locale, ...fields };
}

function neutral(
  options: PageOptions,
  locale: Locale,
  head: boolean,
  status: number,
  fields: { kind: LinkKind | null; action: LinkAction; problem: LinkProblem },
): LinkResponse {
  return respond(renderNeutralErrorPage(pageContext(locale, options)), head, status, base(fields.kind, fields.action, locale, { problem: fields.problem }));
}

/** The headers every page carries: the token is in the URL, so nothing may cache, frame or refer it. */
export function pageHeaders(page: Pick<RenderedPage, 'csp' | 'locale'>): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': page.csp,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'X-Robots-Tag': 'noindex, nofollow',
    'Content-Language': page.locale,
  };
}

function respond(page: RenderedPage, head: boolean, status: number, result: LinkResult): LinkResponse {
  return { status, headers: pageHeaders(page), html: head ? '' : page.html, result };
}

// ---------------------------------------------------------------- reading the request

function isAllowed(method: string): method is (typeof ALLOWED_METHODS)[number] {
  return (ALLOWED_METHODS as readonly string[]).includes(method);
}

export function kindFromPath(path: string | undefined): LinkKind | undefined {
  if (!path) return undefined;
  const last = path.split('?')[0].replace(/\/+$/, '').split('/').pop() ?? '';
  return LINK_KINDS.find((k) => LINK_PATHS[k] === last);
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

function acceptLanguageOf(request: unknown): string | undefined {
  const headers = (request as { headers?: unknown } | null)?.headers;
  if (!headers || typeof headers !== 'object') return undefined;
  const value = header(headers as Record<string, string | string[] | undefined>, 'accept-language');
  return typeof value === 'string' ? value : undefined;
}

function isHead(request: unknown): boolean {
  const method = (request as { method?: unknown } | null)?.method;
  return typeof method === 'string' && method.trim().toUpperCase() === 'HEAD';
}

/** An IPv4-mapped IPv6 address is stored as the IPv4 address it is; anything not an IP is left out. */
function evidenceIp(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const plain = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return isIP(plain) ? plain : undefined;
}

function nameOf(view: object): string | null {
  // The ledger's views may carry the person's first name for a greeting; shown escaped.
  return 'name' in view && typeof view.name === 'string' && view.name.trim() ? view.name.trim() : null;
}

/** The form fields, from a host-parsed object or the raw body (urlencoded or multipart/form-data). */
export function readForm(body: unknown, contentType: string | undefined): Form {
  const form: Form = new Map();
  const add = (key: string, value: unknown) => {
    if (typeof value === 'string') form.set(key, [...(form.get(key) ?? []), value]);
    else if (Array.isArray(value)) value.forEach((v) => add(key, v));
  };
  if (body instanceof Uint8Array) body = Buffer.from(body).toString('utf8');
  if (typeof body === 'string') {
    const boundary = /^multipart\/form-data\b.*?;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
    if (boundary) {
      for (const [key, value] of readMultipart(body, boundary[1] ?? boundary[2])) add(key, value);
    } else {
      for (const [key, value] of new URLSearchParams(body)) add(key, value);
    }
  } else if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) add(key, value);
  }
  return form;
}

/** RFC 7578: text fields only; files are not part of any of our forms. */
function readMultipart(body: string, boundary: string): [string, string][] {
  const fields: [string, string][] = [];
  for (const part of body.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const name = /content-disposition:\s*form-data;[^\r\n]*?\bname="([^"]*)"/i.exec(head);
    if (!name || /\bfilename=/i.test(head)) continue;
    fields.push([name[1], part.slice(split + 4).replace(/\r\n$/, '')]);
  }
  return fields;
}
