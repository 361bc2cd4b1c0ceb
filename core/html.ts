/**
 * HTML escaping, the one function for pages (core/pages/render.ts) and mail (core/mail/compose.ts):
 * the five characters that can end a text or an attribute value, and the backtick, which old
 * browsers took as an attribute quote.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}
