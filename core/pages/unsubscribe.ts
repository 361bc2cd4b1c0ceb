import { LEAVE_REASONS } from '../ledger/leave-reasons';
import { LINK_PATHS } from '../links';
import { html, renderDocument, safeHref, topicLabel, type PageContext, type RenderedPage } from './render';

export interface UnsubscribePage {
  token: string;
  /** The topics the mail's link was for: "this list". */
  topics: string[];
  name?: string | null;
  /** Ask "why are you leaving?" (the askLeaveReason option). */
  askReason?: boolean;
}

/** GET of an unsubscribe link: the choice "this list" or "all mail from us", and a button. */
export function renderUnsubscribePage(ctx: PageContext, page: UnsubscribePage): RenderedPage {
  const { t, options } = ctx;
  const labels = page.topics.map((topic) => topicLabel(ctx, topic));
  const preferences = `${LINK_PATHS.preferences}?token=${encodeURIComponent(page.token)}`;
  const body = html`<h1>${t.unsubscribe.title}</h1>
${page.name ? html`<p>${t.greeting(page.name)}</p>` : ''}
<p>${t.unsubscribe.lead(options.organisation)}</p>
<form method="post">
<input type="hidden" name="token" value="${page.token}">
<fieldset>
<legend>${t.unsubscribe.scopeLegend}</legend>
<label><input type="radio" name="scope" value="link" checked><span>${t.unsubscribe.thisList}${labels.length > 0 ? html`: ${labels.join(', ')}` : ''}</span></label>
<label><input type="radio" name="scope" value="all"><span>${t.unsubscribe.allMail(options.organisation)}</span></label>
</fieldset>
${page.askReason ? leaveReasons(ctx) : ''}
<button type="submit">${t.unsubscribe.button}</button>
</form>
<p class="note"><a href="${safeHref(preferences)}">${t.unsubscribe.preferences}</a></p>`;
  return renderDocument(ctx, t.unsubscribe.title, body);
}

/** The optional question: fixed reasons, none chosen beforehand, no text box (nothing typed is kept). */
function leaveReasons(ctx: PageContext) {
  const l = ctx.t.unsubscribe.leave;
  return html`<fieldset>
<legend>${l.legend}</legend>
${LEAVE_REASONS.map((reason) => html`<label><input type="radio" name="reason" value="${reason}"><span>${l.reasons[reason]}</span></label>`)}
<p class="note">${l.note}</p>
</fieldset>`;
}
