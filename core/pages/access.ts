import type { AccessEvidence, AccessPackage } from '../ledger';
import { LINK_PATHS } from '../links';
import { html, renderDocument, topicLabel, type PageContext, type RenderedPage } from './render';

/**
 * GET of an access link (GDPR Art. 15): everything held about the person, readable, with the same
 * package as a JSON download (the same link with format=json). Read-only: no form, no button.
 * Every value is the person's own data or ours, and goes through the `html` tag (escaped).
 */
export function renderAccessPage(ctx: PageContext, page: { token: string; data: AccessPackage }): RenderedPage {
  const { t, options } = ctx;
  const a = t.access;
  const d = page.data;
  const p = d.person;
  const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');
  const none = html`<p class="note">${a.none}</p>`;
  const field = (label: string, value: string | null) => (value ? html`<li>${label}: ${value}</li>` : '');
  const jsonHref = `${LINK_PATHS.access}?token=${encodeURIComponent(page.token)}&format=json`;

  const consents = d.consents.map(
    (c) => html`<li><strong>${topicLabel(ctx, c.topic)}</strong> (${c.channel}): ${a.consents.status} ${c.status}, ${a.consents.basis} ${c.basis}, ${a.consents.since} ${day(c.since)}
${c.consentText ? html`<br>${a.consents.text}: <q class="consent-text">${c.consentText}</q>` : ''}
${c.evidence ? html`<br><span class="note">${a.consents.evidence}: ${evidenceLine(ctx, c.evidence)}</span>` : ''}</li>`,
  );
  const purposes = d.purposes.map(
    (pu) => html`<li>${t.preferences.held.purposes[pu.purpose] ?? pu.purpose}: ${pu.state}, ${t.preferences.held.bases[pu.basis] ?? pu.basis}, ${t.preferences.held.since} ${day(pu.since)}${pu.retention?.until ? html`, ${a.person.hold} ${day(pu.retention.until)}` : ''}</li>`,
  );
  const mails = d.mails.map((m) => html`<li>${day(m.sentAt)}: ${m.template}${m.topics.length ? html` (${m.topics.join(', ')})` : ''}</li>`);
  const requests = d.requests.map((r) => html`<li>${day(r.receivedAt)}: ${r.kind} (${r.channel}), ${a.requests.outcome} ${r.outcome}</li>`);
  const erasures = d.erasures.map((e) => html`<li>${day(e.at)}: ${e.outcome}, ${a.erasures.receipt} ${e.receiptId}</li>`);
  const history = d.history.map(
    (e) => html`<li>${e.at.slice(0, 16).replace('T', ' ')}: ${e.action}${e.topic ? html` ${topicLabel(ctx, e.topic)}` : ''}${e.purpose ? html` ${e.purpose}` : ''}${e.to ? html` → ${e.to}` : ''} <span class="note">(${e.evidence.source}, ${e.evidence.actor})</span></li>`,
  );
  const list = (items: unknown[]) => (items.length ? html`<ul>
${items}
</ul>` : none);

  const body = html`<h1>${a.title}</h1>
<p>${a.lead(options.organisation, day(d.generatedAt))}</p>
<p class="note">${a.linkNote(day(d.linkExpiresAt))}</p>
<p><a href="${jsonHref}" download="personal-data.json">${a.download}</a></p>
<section>
<h2>${a.person.title}</h2>
<ul>
${field(a.person.name, p.name)}${field(a.person.email, p.email)}${field(a.person.phone, p.phone)}${field(a.person.externalId, p.externalId)}${field(a.person.language, p.locale)}${field(a.person.since, day(p.createdAt))}${field(a.person.hold, p.holdUntil ? `${day(p.holdUntil)} (${p.holdReason ?? ''})` : null)}${field(a.person.suppressed, day(p.suppressedAt))}
</ul>
</section>
<section>
<h2>${a.consents.title}</h2>
${list(consents)}
</section>
<section>
<h2>${a.purposes.title}</h2>
${list(purposes)}
</section>
<section>
<h2>${a.mails.title}</h2>
${list(mails)}
</section>
<section>
<h2>${a.requests.title}</h2>
${list(requests)}
</section>
<section>
<h2>${a.erasures.title}</h2>
${list(erasures)}
</section>
<section>
<h2>${a.history.title}</h2>
${list(history)}
</section>`;
  return renderDocument(ctx, a.title, body);
}

function evidenceLine(ctx: PageContext, e: AccessEvidence): string {
  const a = ctx.t.access.consents;
  return [
    e.at.slice(0, 16).replace('T', ' '),
    e.sourceRef ? `${e.source} (${e.sourceRef})` : e.source,
    e.actorName ? `${e.actor} (${e.actorName})` : e.actor,
    e.ip ? `${a.ip} ${e.ip}` : '',
    e.userAgent ? `${a.device} ${e.userAgent}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The same package as a download: pretty JSON, the person's own file. */
export function accessJson(data: AccessPackage): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}
