import { html, renderDocument, topicLabel, type PageContext, type RenderedPage } from './render';

export interface ConfirmPage {
  token: string;
  topics: string[];
  name?: string | null;
  /** false under requireClick: no script, so only the button confirms. */
  autoSubmit: boolean;
}

/** GET of a confirm link: a form whose POST confirms; with script on it posts by itself. */
export function renderConfirmPage(ctx: PageContext, page: ConfirmPage): RenderedPage {
  const { t, options } = ctx;
  const labels = page.topics.length > 0 ? page.topics.map((topic) => topicLabel(ctx, topic)) : [t.confirm.noTopics];
  const body = html`<h1>${t.confirm.title}</h1>
${page.name ? html`<p>${t.greeting(page.name)}</p>` : ''}
<p>${t.confirm.lead(options.organisation)}</p>
<ul>${labels.map((label) => html`<li>${label}</li>`)}</ul>
<form id="confirm-form" method="post">
<input type="hidden" name="token" value="${page.token}">
<button type="submit">${t.confirm.button}</button>
<p id="confirm-busy" class="status" role="status" hidden>${t.confirm.busy}</p>
</form>
<p class="note">${t.confirm.hint}</p>`;
  return renderDocument(ctx, t.confirm.title, body, page.autoSubmit ? 'confirm' : undefined);
}
