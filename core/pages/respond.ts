import type { Locale } from '../consent/identity';
import type { Channel } from '../consent/statuses';
import type { TokenProblem } from '../errors';
import type { TopicOutcome } from '../ledger';
import type { LinkKind } from '../links';
import { renderNeutralErrorPage } from './error';
import type { PageOptions } from './options';
import { pageContext, type RenderedPage } from './render';

/** What a link request answers: the status, the headers every page carries, the page, and a result without PII. */

/** `download_data` and `erase_data`: the preferences page's two buttons for the person's own data; `privacy_request` and `privacy_confirm`: the privacy request form's submission and its confirmation link. */
export type LinkAction = 'show' | 'confirm' | 'unsubscribe' | 'one_click_unsubscribe' | 'set_preferences' | 'download_data' | 'erase_data' | 'erase' | 'privacy_request' | 'privacy_confirm' | 'none';
export type LinkProblem = TokenProblem | 'missing_token' | 'bad_request' | 'method_not_allowed' | 'unavailable' | 'internal';

/** What happened, for the workflow: ids, topics and outcomes, never an address, name, IP or token. */
export interface LinkResult {
  kind: LinkKind | null;
  action: LinkAction;
  /** shown, a ledger outcome (confirmed, unsubscribed, updated, unchanged, refused, erased, suppressed, not_found, answered), unconfirmed (erase_data without its tick), or rejected / error */
  outcome: string;
  subjectId: number | null;
  channel: Channel | null;
  /** The topics the link or the action concerned. */
  topics: string[];
  /** Per topic: from which status to which, and whether it changed. */
  changes: TopicOutcome[];
  /** After a verified erasure, or (when switched on) a confirmation's welcome or an unsubscribe's goodbye: whether that mail went out (sent, failed, none). */
  reply?: 'sent' | 'failed' | 'none';
  locale: Locale;
  problem?: LinkProblem;
  errorCode?: string;
  receiptId?: string;
  externalIds?: string[];
  requestMessageId?: string;
  /** download_data, erase_data and the privacy request form's confirmation: the request's id in the requests register. */
  requestId?: string;
  /** The privacy request form's confirmation: what the person asked for (access, erase, unsubscribe). */
  privacyChoice?: string;
}

export interface LinkResponse {
  status: number;
  headers: Record<string, string>;
  /** Empty for HEAD. */
  html: string;
  result: LinkResult;
}

export function base(kind: LinkKind | null, action: LinkAction, locale: Locale, fields: Partial<LinkResult>): LinkResult {
  return { kind, action, outcome: 'rejected', subjectId: null, channel: null, topics: [], changes: [], locale, ...fields };
}

export function neutral(
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

export function respond(page: RenderedPage, head: boolean, status: number, result: LinkResult): LinkResponse {
  return { status, headers: pageHeaders(page), html: head ? '' : page.html, result };
}
