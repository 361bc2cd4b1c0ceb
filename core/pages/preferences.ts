import { CONTACTABLE, PENDING, type LegalBasis, type Status } from '../consent/statuses';
import { resolveTransition } from '../consent/transitions';
import { html, renderDocument, topicLabel, type PageContext, type RenderedPage } from './render';

export interface PreferencesPage {
  token: string;
  topics: { topic: string; status: Status }[];
  name?: string | null;
  /** Read-only: what else the person is held for, and why (active purposes besides e-marketing). */
  held?: { purpose: string; basis: LegalBasis; since: string }[];
  /** The erase button was pressed without its tick: say so above it. */
  eraseUnconfirmed?: boolean;
}

/**
 * A box the person cannot change here: the transition table refuses what changing it would do
 * (Ledger.setPreferences: unticking unsubscribes; ticking signs up, then confirms). So a bounced
 * topic can be ticked again (the person reads our mail), a blacklisted one cannot (only an operator
 * with proof lifts that).
 */
export function isLocked(status: Status): boolean {
  const action = isTicked(status) ? 'unsubscribe' : 'signup';
  // The basis changes only a signup from subscribed, a ticked status: it does not matter here.
  return resolveTransition(action, status, { basis: 'none' }).kind === 'refuse';
}

/**
 * A box is ticked only where consent holds now. A pending invitation is shown unticked: a
 * pre-ticked box is no consent (CJEU C-673/17, Planet49), so ticking it must be the person's act.
 * The form says which topics it showed and which were ticked, so the POST changes only the
 * boxes the person actually changed.
 */
export function isTicked(status: Status): boolean {
  return CONTACTABLE.includes(status);
}

export function renderPreferencesPage(ctx: PageContext, page: PreferencesPage): RenderedPage {
  const { t, options } = ctx;
  const rows = page.topics.map(({ topic, status }) => {
    const blocked = isLocked(status);
    const note = blocked ? t.preferences.blocked : PENDING.includes(status) ? t.preferences.pending : null;
    return html`<label><input type="checkbox" name="topic" value="${topic}"${isTicked(status) ? html` checked` : ''}${blocked ? html` disabled` : ''}><span>${topicLabel(ctx, topic)}${note ? html` <span class="status">${note}</span>` : ''}</span></label>
${blocked ? '' : html`<input type="hidden" name="shown" value="${topic}">`}${!blocked && isTicked(status) ? html`<input type="hidden" name="was" value="${topic}">` : ''}`;
  });
  const body = html`<h1>${t.preferences.title}</h1>
${page.name ? html`<p>${t.greeting(page.name)}</p>` : ''}
${
  page.topics.length === 0
    ? html`<p>${t.preferences.none}</p>`
    : html`<p>${t.preferences.lead(options.organisation)}</p>
<form method="post">
<input type="hidden" name="token" value="${page.token}">
<fieldset>
<legend>${t.preferences.legend}</legend>
${rows}
</fieldset>
<p class="note">${t.preferences.consentText(options.organisation)}</p>
<button type="submit">${t.preferences.button}</button>
</form>`
}
${heldList(ctx, page.held ?? [])}
${ownData(ctx, page)}`;
  return renderDocument(ctx, t.preferences.title, body);
}

/** What else is held and why: shown, not changed here (an objection or erasure goes by mail or the erase link). */
function heldList(ctx: PageContext, held: NonNullable<PreferencesPage['held']>) {
  if (held.length === 0) return '';
  const { t, options } = ctx;
  const items = held.map(
    (h) => html`<li>${t.preferences.held.purposes[h.purpose] ?? h.purpose}: ${t.preferences.held.bases[h.basis]}, ${t.preferences.held.since} ${h.since.slice(0, 10)}</li>`,
  );
  return html`<section class="held">
<h2>${t.preferences.held.title}</h2>
<p>${t.preferences.held.lead(options.organisation)}</p>
<ul>
${items}
</ul>
</section>`;
}

/**
 * The person's own data: download it (the POST answers with the access page) or erase it (the
 * POST acts only with the tick). Two forms, so each button does one thing; a GET shows them only.
 */
function ownData(ctx: PageContext, page: PreferencesPage) {
  const { t, options } = ctx;
  const d = t.preferences.data;
  return html`<section class="own-data">
<h2>${d.title}</h2>
<p>${d.lead(options.organisation)}</p>
<form method="post">
<input type="hidden" name="token" value="${page.token}">
<input type="hidden" name="do" value="download">
<button type="submit" class="secondary">${d.download}</button>
</form>
<p class="note">${d.eraseDetail}</p>
<form method="post">
<input type="hidden" name="token" value="${page.token}">
<input type="hidden" name="do" value="erase">
${page.eraseUnconfirmed ? html`<p class="alert" role="alert">${d.eraseMissing}</p>` : ''}
<label><input type="checkbox" name="sure" value="yes" required><span>${d.eraseSure}</span></label>
<button type="submit" class="secondary">${d.eraseButton}</button>
</form>
</section>`;
}
