import { LINK_PATHS } from '../links';
import { html, renderDocument, safeHref, topicLabel, type PageContext, type RenderedPage } from './render';

export type DonePage =
  | { kind: 'confirmed'; topics: string[] }
  /** A confirm link opened again after its confirmation. */
  | { kind: 'already_confirmed'; topics: string[] }
  | { kind: 'unsubscribed'; scope: 'link' | 'all'; topics: string[] }
  | { kind: 'preferences_saved'; token: string }
  | { kind: 'erased' }
  /** An answer taken without a visible change: nothing to confirm any more, or erasure under a retention hold. */
  | { kind: 'verification_received'; retained: boolean };

/** The page after a POST: says what happened, in the person's words. */
export function renderDonePage(ctx: PageContext, page: DonePage): RenderedPage {
  const { t, options } = ctx;
  const org = options.organisation;
  const list = (topics: string[]) => html`<ul>${topics.map((topic) => html`<li>${topicLabel(ctx, topic)}</li>`)}</ul>`;
  let title: string;
  let body;
  switch (page.kind) {
    case 'confirmed':
      title = t.done.confirmed.title;
      body = page.topics.length > 0 ? html`<p>${t.done.confirmed.body(org)}</p>${list(page.topics)}` : '';
      break;
    case 'already_confirmed':
      title = t.done.alreadyConfirmed.title;
      body = html`<p>${t.done.alreadyConfirmed.body(org)}</p>${list(page.topics)}<p>${t.done.alreadyConfirmed.hint}</p>`;
      break;
    case 'unsubscribed':
      title = t.done.unsubscribed.title;
      body =
        page.scope === 'all' || page.topics.length === 0
          ? html`<p>${t.done.unsubscribed.all(org)}</p>`
          : html`<p>${t.done.unsubscribed.body(org)}</p>${list(page.topics)}`;
      break;
    case 'preferences_saved': {
      title = t.done.preferencesSaved.title;
      const back = `${LINK_PATHS.preferences}?token=${encodeURIComponent(page.token)}`;
      body = html`<p>${t.done.preferencesSaved.body}</p><p><a href="${safeHref(back)}">${t.done.preferencesSaved.back}</a></p>`;
      break;
    }
    case 'erased':
      title = t.done.erased.title;
      body = html`<p>${t.done.erased.body(org)}</p>`;
      break;
    case 'verification_received':
      title = t.done.verificationReceived.title;
      body = html`<p>${page.retained ? t.done.verificationReceived.retained(org) : t.done.verificationReceived.body}</p>`;
      break;
  }
  return renderDocument(ctx, title, html`<h1>${title}</h1>
${body}`);
}
