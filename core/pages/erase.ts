import { html, renderDocument, type PageContext, type RenderedPage } from './render';

export interface ErasePage {
  token: string;
}

/** GET of an erase-verification link: the button whose POST proves the mailbox and erases. */
export function renderErasePage(ctx: PageContext, page: ErasePage): RenderedPage {
  const { t, options } = ctx;
  const body = html`<h1>${t.erase.title}</h1>
<p>${t.erase.lead(options.organisation)}</p>
<p>${t.erase.detail}</p>
<form method="post">
<input type="hidden" name="token" value="${page.token}">
<button type="submit">${t.erase.button}</button>
</form>`;
  return renderDocument(ctx, t.erase.title, body);
}
