import { escapeHtml } from './html';
import type { CampaignFunnel, FunnelReport, TopicWeek } from './ledger';

/**
 * The consent funnel as a picture (issue 13): one self-contained SVG drawn from a FunnelReport
 * (core/ledger/funnel.ts). Hand-built: no script, no link, no external font or image, so it opens
 * the same in a browser, a mail client or an image viewer; every text from the ledger (campaign,
 * topic, source names) is escaped (core/html.ts). Three parts: the campaigns' funnels, allowed vs
 * not per topic and channel over the weeks, erasures and requests per month.
 */

const WIDTH = 960;
const MARGIN = 24;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"';
/** At most this many campaigns are drawn (the most recent); the items carry them all. */
export const MAX_CAMPAIGNS = 12;

const COLORS = {
  text: '#1f2933',
  muted: '#52606d',
  grid: '#d9e2ec',
  confirmed: '#2f855a',
  unsubscribed: '#c53030',
  expired: '#a0aec0',
  bounced: '#dd6b20',
  erased: '#4a5568',
  open: '#90cdf4',
  allowed: '#2f855a',
  notAllowed: '#cbd2d9',
  erasures: '#9b2c2c',
  requests: '#2b6cb0',
};

const OUTCOMES = [
  ['confirmed', 'confirmed'],
  ['unsubscribed', 'unsubscribed'],
  ['expired', 'expired'],
  ['bounced', 'bounced'],
  ['erased', 'erased'],
  ['open', 'no answer yet'],
] as const;

/** Text for SVG: cut to `max` characters (before escaping, so no entity is cut), then escaped. */
function text(value: string, max = 200): string {
  const chars = [...value];
  return escapeHtml(chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : value);
}

const n = (v: number) => v.toLocaleString('en-US');
const day = (iso: string) => iso.slice(0, 10);

function label(x: number, y: number, value: string, opts: { size?: number; anchor?: 'start' | 'middle' | 'end'; color?: string; weight?: string; max?: number } = {}): string {
  const { size = 12, anchor = 'start', color = COLORS.text, weight = 'normal', max = 200 } = opts;
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}" text-anchor="${anchor}" fill="${color}" font-weight="${weight}">${text(value, max)}</text>`;
}

function rect(x: number, y: number, w: number, h: number, fill: string, title?: string): string {
  const inner = title ? `<title>${text(title, 500)}</title>` : '';
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, w).toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" fill="${fill}">${inner}</rect>`;
}

function legend(x: number, y: number, items: [string, string][]): string {
  let at = x;
  return items
    .map(([color, name]) => {
      const out = `${rect(at, y - 10, 12, 12, color)}${label(at + 16, y, name, { size: 12, color: COLORS.muted })}`;
      at += 16 + name.length * 7 + 18;
      return out;
    })
    .join('');
}

/** The campaigns: one stacked bar per campaign × topic × channel, its length the people asked. */
function campaignsPart(report: FunnelReport, top: number): { svg: string; height: number } {
  const parts: string[] = [label(MARGIN, top + 20, 'Campaigns and signups: asked → reminded → how it ended', { size: 16, weight: 'bold' })];
  parts.push(legend(MARGIN, top + 42, OUTCOMES.map(([k, name]) => [COLORS[k], name])));
  const shown: CampaignFunnel[] = report.campaigns.slice(-MAX_CAMPAIGNS).reverse();
  let y = top + 62;
  if (shown.length === 0) {
    parts.push(label(MARGIN, y + 14, `No invitations or signups since ${day(report.from)}.`, { color: COLORS.muted }));
    return { svg: parts.join(''), height: y + 30 - top };
  }
  const most = Math.max(...shown.map((c) => c.invited), 1);
  const barX = MARGIN + 300;
  const barW = WIDTH - barX - MARGIN;
  for (const c of shown) {
    const kind = c.kind === 'signup' ? 'signups' : 'campaign';
    parts.push(label(MARGIN, y + 13, `${kind}: ${c.name}`, { weight: 'bold', max: 40 }));
    parts.push(label(MARGIN, y + 29, `${c.topic} · ${c.channel} · from ${day(c.firstAt)}`, { size: 11, color: COLORS.muted, max: 48 }));
    let x = barX;
    const scale = barW / most;
    for (const [k, name] of OUTCOMES) {
      const w = c[k] * scale;
      if (c[k] > 0) parts.push(rect(x, y + 2, w, 16, COLORS[k], `${c.name}, ${c.topic} (${c.channel}): ${n(c[k])} ${name}`));
      x += w;
    }
    const summary = `${n(c.invited)} asked · ${n(c.reminded)} reminded · ${n(c.confirmed)} confirmed · ${n(c.expired)} expired · ${n(c.unsubscribed)} unsubscribed`;
    const extra = [c.bounced ? `${n(c.bounced)} bounced` : '', c.erased ? `${n(c.erased)} erased` : '', c.open ? `${n(c.open)} no answer yet` : ''].filter(Boolean).join(' · ');
    parts.push(label(barX, y + 32, extra ? `${summary} · ${extra}` : summary, { size: 11, color: COLORS.muted }));
    y += 44;
  }
  const more = report.campaigns.length - shown.length;
  if (more > 0) {
    parts.push(label(MARGIN, y + 12, `and ${n(more)} earlier (in the numbers, not drawn)`, { size: 11, color: COLORS.muted }));
    y += 20;
  }
  return { svg: parts.join(''), height: y - top };
}

/** Allowed vs not: one small chart per topic × channel, a stacked bar per week. */
function topicsPart(report: FunnelReport, top: number): { svg: string; height: number } {
  const parts: string[] = [label(MARGIN, top + 20, `May be contacted, per topic and channel, at the end of each week (last ${report.weeks})`, { size: 16, weight: 'bold' })];
  parts.push(legend(MARGIN, top + 42, [[COLORS.allowed, 'allowed'], [COLORS.notAllowed, 'not allowed (pending, withdrawn, expired, …)']]));
  const groups = new Map<string, TopicWeek[]>();
  for (const t of report.topics) {
    const key = `${t.topic}\u0000${t.channel}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  if (groups.size === 0) {
    parts.push(label(MARGIN, top + 76, 'No consents recorded yet.', { color: COLORS.muted }));
    return { svg: parts.join(''), height: 92 };
  }
  const cols = 3;
  const gap = 20;
  const panelW = (WIDTH - 2 * MARGIN - (cols - 1) * gap) / cols;
  const panelH = 150;
  let i = 0;
  for (const weeks of groups.values()) {
    const px = MARGIN + (i % cols) * (panelW + gap);
    const py = top + 60 + Math.floor(i / cols) * (panelH + gap);
    const { topic, channel } = weeks[0];
    const last = weeks[weeks.length - 1];
    parts.push(label(px, py + 14, `${topic} · ${channel}`, { weight: 'bold', max: 36 }));
    parts.push(label(px, py + 30, `now ${n(last.allowed)} allowed, ${n(last.notAllowed)} not`, { size: 11, color: COLORS.muted }));
    const chartTop = py + 40;
    const chartH = panelH - 64;
    const most = Math.max(...weeks.map((w) => w.allowed + w.notAllowed), 1);
    const slot = panelW / weeks.length;
    const barW = Math.max(2, slot * 0.7);
    parts.push(`<line x1="${px.toFixed(1)}" y1="${(chartTop + chartH).toFixed(1)}" x2="${(px + panelW).toFixed(1)}" y2="${(chartTop + chartH).toFixed(1)}" stroke="${COLORS.grid}"/>`);
    weeks.forEach((w, k) => {
      const x = px + k * slot + (slot - barW) / 2;
      const hA = (w.allowed / most) * chartH;
      const hN = (w.notAllowed / most) * chartH;
      const tip = `${topic} (${channel}), week ending ${day(w.weekEnding)}: ${n(w.allowed)} allowed, ${n(w.notAllowed)} not`;
      parts.push(rect(x, chartTop + chartH - hA, barW, hA, COLORS.allowed, tip));
      parts.push(rect(x, chartTop + chartH - hA - hN, barW, hN, COLORS.notAllowed, tip));
    });
    parts.push(label(px, chartTop + chartH + 14, day(weeks[0].weekEnding), { size: 10, color: COLORS.muted }));
    parts.push(label(px + panelW, chartTop + chartH + 14, day(last.weekEnding), { size: 10, color: COLORS.muted, anchor: 'end' }));
    parts.push(label(px + panelW, chartTop - 2, `max ${n(most)}`, { size: 10, color: COLORS.muted, anchor: 'end' }));
    i++;
  }
  const rows = Math.ceil(groups.size / cols);
  return { svg: parts.join(''), height: 60 + rows * (panelH + gap) };
}

/** Erasures and requests per month: two bars per month, the count above each. */
function monthsPart(report: FunnelReport, top: number): { svg: string; height: number } {
  const parts: string[] = [label(MARGIN, top + 20, 'Erasures and requests per month', { size: 16, weight: 'bold' })];
  parts.push(legend(MARGIN, top + 42, [[COLORS.erasures, 'erasures'], [COLORS.requests, 'requests (access, erase, unsubscribe, unclear)']]));
  const chartTop = top + 70;
  const chartH = 120;
  const most = Math.max(...report.months.flatMap((m) => [m.erasures, m.requests]), 1);
  const slot = (WIDTH - 2 * MARGIN) / Math.max(report.months.length, 1);
  const barW = Math.min(40, slot * 0.3);
  parts.push(`<line x1="${MARGIN}" y1="${chartTop + chartH}" x2="${WIDTH - MARGIN}" y2="${chartTop + chartH}" stroke="${COLORS.grid}"/>`);
  report.months.forEach((m, k) => {
    const cx = MARGIN + k * slot + slot / 2;
    for (const [value, color, dx, what] of [[m.erasures, COLORS.erasures, -barW - 2, 'erasures'], [m.requests, COLORS.requests, 2, 'requests']] as const) {
      const h = (value / most) * chartH;
      parts.push(rect(cx + dx, chartTop + chartH - h, barW, h, color, `${m.month}: ${n(value)} ${what}`));
      parts.push(label(cx + dx + barW / 2, chartTop + chartH - h - 4, n(value), { size: 11, anchor: 'middle', color }));
    }
    parts.push(label(cx, chartTop + chartH + 16, m.month, { size: 11, anchor: 'middle', color: COLORS.muted }));
  });
  return { svg: parts.join(''), height: 70 + chartH + 30 };
}

export function funnelSvg(report: FunnelReport, options: { title?: string } = {}): string {
  const title = options.title ?? 'Consent funnel';
  const heading = `${title} — ${day(report.asOf)}, last ${report.weeks} week${report.weeks === 1 ? '' : 's'}`;
  const parts: string[] = [];
  let y = 0;
  parts.push(label(MARGIN, 34, heading, { size: 20, weight: 'bold', max: 120 }));
  y = 48;
  for (const part of [campaignsPart, topicsPart, monthsPart]) {
    const { svg, height } = part(report, y);
    parts.push(svg);
    y += height + 16;
  }
  const height = Math.ceil(y + MARGIN);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${text(heading, 200)}" ${FONT}>`,
    `<title>${text(heading, 200)}</title>`,
    `<desc>Counted from the consent ledger's events at ${text(report.asOf)}.</desc>`,
    rect(0, 0, WIDTH, height, '#ffffff'),
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
