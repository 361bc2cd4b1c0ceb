import type { PrivacyChoice, PrivacyDone } from '../ledger';
import { LINK_PATHS } from '../links';
import { html, renderDocument, safeHref, type PageContext, type RenderedPage } from './render';

const CHOICES: readonly PrivacyChoice[] = ['access', 'erase', 'unsubscribe'];

/**
 * The privacy request form (GET without a token): see my data, erase my data, stop all mail, and
 * the address. After a wrong entry it comes back with what was typed (escaped) and a note.
 */
export function renderPrivacyForm(ctx: PageContext, page: { email?: string; choice?: string; invalid?: boolean } = {}): RenderedPage {
  const { t, options } = ctx;
  const f = t.privacy.form;
  const chosen = CHOICES.find((c) => c === page.choice);
  const body = html`<h1>${f.title}</h1>
<p>${f.lead(options.organisation)}</p>
${page.invalid ? html`<p class="problem" role="alert">${f.invalid}</p>` : ''}
<form method="post">
<fieldset>
<legend>${f.legend}</legend>
${CHOICES.map((c) => html`<label><input type="radio" name="choice" value="${c}" required${c === chosen ? html` checked` : ''}><span>${f.choices[c]}</span></label>`)}
</fieldset>
<label class="field" for="privacy-email">${f.email}</label>
<input type="email" id="privacy-email" name="email" required maxlength="254" autocomplete="email" value="${page.email ?? ''}">
<button type="submit">${f.button}</button>
</form>
<p class="note">${f.note}</p>`;
  return renderDocument(ctx, f.title, body);
}

/** The one answer to every accepted submission, whether the address is known, unknown or throttled. */
export function renderPrivacySent(ctx: PageContext): RenderedPage {
  const { t } = ctx;
  return renderDocument(ctx, t.privacy.sent.title, html`<h1>${t.privacy.sent.title}</h1>
<p>${t.privacy.sent.body}</p>
<p class="note">${t.privacy.sent.hint}</p>`);
}

/** GET of the confirmation link: what was asked, and the button whose POST carries it out. */
export function renderPrivacyConfirm(ctx: PageContext, page: { token: string; choice: PrivacyChoice }): RenderedPage {
  const { t, options } = ctx;
  const c = t.privacy.confirm;
  return renderDocument(ctx, c.title, html`<h1>${c.title}</h1>
<p>${c.lead[page.choice](options.organisation)}</p>
<form method="post">
<input type="hidden" name="token" value="${page.token}">
<button type="submit">${c.button[page.choice]}</button>
</form>`);
}

/** After the button (stop all mail, see my data, a repeat, nobody held); an erasure uses the done page's own words. */
export function renderPrivacyDone(ctx: PageContext, done: Pick<PrivacyDone, 'choice' | 'outcome' | 'repeated' | 'accessToken'>): RenderedPage {
  const { t, options } = ctx;
  const org = options.organisation;
  const title = t.privacy.confirm.title;
  let body;
  if (done.repeated) body = html`<p>${t.privacy.done.repeated}</p>`;
  else if (done.outcome === 'not_found') body = html`<p>${t.privacy.done.notFound(org)}</p>`;
  else if (done.choice === 'access' && done.accessToken) {
    const href = `${LINK_PATHS.access}?token=${encodeURIComponent(done.accessToken)}`;
    body = html`<p>${t.privacy.done.access}</p><p><a href="${safeHref(href)}">${t.privacy.done.accessLink}</a></p>`;
  } else body = html`<p>${t.privacy.done.unsubscribed(org)}</p>`;
  return renderDocument(ctx, title, html`<h1>${title}</h1>
${body}`);
}
