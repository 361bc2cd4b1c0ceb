import { createHash } from 'node:crypto';
import type { Locale } from '../consent/identity';
import { escapeHtml } from '../html';
import type { PageOptions } from './options';
import { TEXTS, type Texts } from './texts';

/**
 * The page shell and the one way markup is written: the `html` tag escapes every interpolated
 * value unless it is markup made by `html` itself, so a name, a topic or an organisation name
 * can never become markup. Pages carry no external assets: one inline style sheet and, on the
 * confirm page only, one inline script, both allowed by their SHA-256 hash in the CSP.
 */

export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

function renderValue(value: unknown): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(renderValue).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += renderValue(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

/** An href: only http(s) absolute URLs or our own relative links; anything else becomes "#". */
export function safeHref(url: string): string {
  if (/^(?:https?:\/\/|[a-z]+\?token=)/i.test(url) && !/[\u0000-\u001f\u007f\s]/.test(url)) return url;
  return '#';
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1c1c1e;--bg:#f6f6f4;--card:#fff;--muted:#5b5b60;--accent:#1f5fbf;--accent-fg:#fff;--line:#d9d9de}
@media (prefers-color-scheme:dark){:root{--fg:#ececef;--bg:#151517;--card:#202024;--muted:#a6a6ad;--accent:#7aa7ff;--accent-fg:#0c0c0e;--line:#3a3a40}}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;overflow-wrap:anywhere;background:var(--bg);color:var(--fg);font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main,footer{max-width:34rem;margin:0 auto;padding:1.25rem}
main{background:var(--card);border-bottom:1px solid var(--line)}
@media (min-width:36rem){main{margin-top:2.5rem;border:1px solid var(--line);border-radius:12px;padding:2rem}}
h1{font-size:1.45rem;line-height:1.25;margin:0 0 1rem}
p{margin:0 0 1rem}
ul{margin:0 0 1rem;padding-left:1.25rem}
li{overflow-wrap:anywhere}
form{margin:1.5rem 0 1.25rem}
fieldset{border:0;margin:0 0 1rem;padding:0}
legend{padding:0;margin:0 0 .5rem;font-weight:600}
label{display:flex;gap:.65rem;align-items:flex-start;padding:.55rem 0;border-top:1px solid var(--line);overflow-wrap:anywhere}
label:first-of-type{border-top:0}
input[type=checkbox],input[type=radio]{width:1.3rem;height:1.3rem;margin:.15rem 0 0;flex:none;accent-color:var(--accent)}
label.field{display:block;border-top:0;padding:0;font-weight:600}
input[type=email]{display:block;width:100%;min-height:3rem;margin:.35rem 0 1rem;padding:.6rem .75rem;border:1px solid var(--muted);border-radius:8px;background:var(--bg);color:var(--fg);font:inherit;font-weight:400}
.problem{color:var(--fg);border-left:4px solid var(--accent);padding-left:.75rem}
button{display:block;width:100%;min-height:3rem;padding:.75rem 1rem;border:0;border-radius:8px;background:var(--accent);color:var(--accent-fg);font:inherit;font-weight:600;cursor:pointer}
button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
button:disabled{opacity:.6;cursor:default}
a{color:var(--accent)}
.note{color:var(--muted);font-size:.92rem}
.own-data{border-top:1px solid var(--line);margin-top:1.5rem;padding-top:.5rem}
.own-data form{margin:1rem 0}
button.secondary{background:transparent;color:var(--accent);border:2px solid var(--accent)}
.alert{font-weight:600}
.status{display:block;color:var(--muted);font-size:.9rem}
footer{color:var(--muted);font-size:.85rem;text-align:center}
footer a{color:inherit}
`;

/**
 * The confirm page's auto-submit. It posts only once the page is visible to a person; a mail
 * scanner's plain fetch, a HEAD and any script-less client never run it, so they never confirm.
 */
const CONFIRM_SCRIPT = `
(function () {
  var form = document.getElementById('confirm-form');
  var busy = document.getElementById('confirm-busy');
  var sent = false;
  function send() {
    if (sent || document.visibilityState !== 'visible') return;
    sent = true;
    form.querySelector('button').disabled = true;
    busy.hidden = false;
    form.submit();
  }
  form.addEventListener('submit', function () {
    sent = true;
    form.querySelector('button').disabled = true;
  });
  document.addEventListener('visibilitychange', send);
  send();
})();
`;

export type InlineScript = 'confirm';
const SCRIPTS: Record<InlineScript, string> = { confirm: CONFIRM_SCRIPT };

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const STYLE_HASH = sha256(STYLE);
const SCRIPT_HASHES: Record<InlineScript, string> = { confirm: sha256(CONFIRM_SCRIPT) };

export interface RenderedPage {
  html: string;
  csp: string;
  locale: Locale;
}

export interface PageContext {
  locale: Locale;
  options: PageOptions;
  t: Texts;
}

export function pageContext(locale: Locale, options: PageOptions): PageContext {
  return { locale, options, t: TEXTS[locale] ?? TEXTS.en };
}

/** The label a topic is shown with: the configured one for this locale, else the topic itself. */
export function topicLabel(ctx: PageContext, topic: string): string {
  const label = ctx.options.topicLabels[topic];
  if (label === undefined) return topic;
  if (typeof label === 'string') return label;
  return (label as Partial<Record<Locale, string>>)[ctx.locale] ?? label.en ?? label.nl ?? topic;
}

/**
 * Only what the page needs: its own style and (confirm page) its own script, forms back to the
 * same origin, never framed, no base URL games.
 */
export function contentSecurityPolicy(script?: InlineScript): string {
  return [
    "default-src 'none'",
    `style-src ${STYLE_HASH}`,
    ...(script ? [`script-src ${SCRIPT_HASHES[script]}`] : []),
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function renderDocument(ctx: PageContext, title: string, body: SafeHtml, script?: InlineScript): RenderedPage {
  const { t, options } = ctx;
  const page = html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${title} · ${options.organisation}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<main>
${body}
</main>
<footer>
<p>${options.organisation} · <a href="${safeHref(options.privacyUrl)}" rel="noopener noreferrer">${t.footer.privacy}</a></p>
</footer>
${script ? html`<script>${new SafeHtml(SCRIPTS[script])}</script>` : ''}
</body>
</html>
`;
  return { html: page.markup, csp: contentSecurityPolicy(script), locale: ctx.locale };
}
