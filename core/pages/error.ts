import { LINK_PATHS, type LinkKind } from '../links';
import { html, renderDocument, safeHref, type PageContext, type RenderedPage } from './render';

/**
 * The error pages. Every token problem but expiry (forged, unknown, used, malformed, wrong
 * purpose) and every malformed request gets the one neutral page, byte for byte the same, so a
 * page never tells whether an address or a link is known.
 */
export function renderNeutralErrorPage(ctx: PageContext): RenderedPage {
  const { t } = ctx;
  return renderDocument(ctx, t.error.neutral.title, html`<h1>${t.error.neutral.title}</h1>
<p>${t.error.neutral.body}</p>
<p>${t.error.neutral.hint}</p>`);
}

/** An expired link: says so, and what to do for this kind of link. */
export function renderExpiredPage(ctx: PageContext, kind: LinkKind): RenderedPage {
  const { t, options } = ctx;
  const org = options.organisation;
  let advice;
  switch (kind) {
    case 'confirm':
      advice = html`<p>${t.error.expired.confirm}</p>${options.signupUrl ? html`<p><a href="${safeHref(options.signupUrl)}">${t.error.expired.confirmSignup}</a></p>` : ''}`;
      break;
    case 'unsubscribe':
    case 'preferences':
      advice = html`<p>${t.error.expired.unsubscribe(org)}</p>`;
      break;
    case 'erase':
      advice = html`<p>${t.error.expired.erase(org)}</p>`;
      break;
    case 'access':
      advice = html`<p>${t.error.expired.access(org)}</p>`;
      break;
    case 'privacy':
      advice = html`<p>${t.error.expired.privacy}</p><p><a href="${LINK_PATHS.privacy}">${t.privacy.form.title}</a></p>`;
      break;
  }
  return renderDocument(ctx, t.error.expired.title, html`<h1>${t.error.expired.title}</h1>
${advice}`);
}

/** Our fault (the ledger's database is down, a bug): nothing changed, try later. No details. */
export function renderUnavailablePage(ctx: PageContext): RenderedPage {
  const { t } = ctx;
  return renderDocument(ctx, t.error.unavailable.title, html`<h1>${t.error.unavailable.title}</h1>
<p>${t.error.unavailable.body}</p>`);
}
