import { normaliseWords, QUOTE } from './vocabulary';

/**
 * What the person wrote themselves: a reply quotes the newsletter it answers, and that newsletter's
 * footer says "afmelden" / "unsubscribe". Only the person's own lines may trigger an action, so
 * quoted lines, the attribution line above them ("Op … schreef …:", "On … wrote:"), the
 * "Original message" block and the signature are cut off here.
 */
export function personalText(text: string, maxChars = 8000): string {
  const lines = text.slice(0, maxChars * 4).replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*>/.test(line)) continue;
    if (line === '-- ' || line === '--') break; // RFC 3676 §4.3 signature separator
    if (isQuoteStart(lines, i)) {
      // An attribution that wrapped: "On Mon, 1 Jan 2026, Jan <jan@x>" / "wrote:" on the next line.
      if (kept.length > 0 && /^\s*(on|op|am|le|el)\b/i.test(kept[kept.length - 1]) && !/^\s*(on|op|am)\b/i.test(line)) kept.pop();
      break;
    }
    const normalised = normaliseWords(line);
    if (QUOTE.signatures.some((s) => normalised.startsWith(s))) break;
    kept.push(line);
  }
  return kept.join('\n').trim().slice(0, maxChars);
}

function isQuoteStart(lines: string[], i: number): boolean {
  const line = lines[i].trim();
  if (!line) return false;
  // "-----Original Message-----", "________________________________" (Outlook), "---------- Forwarded message ---------"
  if (/^_{8,}$/.test(line)) return true;
  const normalised = normaliseWords(line);
  if (/^-{2,}.*-{2,}$/.test(line) && QUOTE.originalMessage.some((m) => normalised.includes(m))) return true;
  // "On … wrote:", "Op … schreef …:", "Am … schrieb …:"
  if (/:\s*$/.test(line) && QUOTE.attribution.some((w) => ` ${normalised} `.includes(` ${w} `))) return true;
  // An Outlook header block: "Van: …" followed by "Verzonden: …" within a few lines.
  const label = normalised.split(' ')[0];
  if (/^\S+:/.test(line) && QUOTE.headerFrom.includes(label)) {
    for (let j = i + 1; j < Math.min(lines.length, i + 5); j++) {
      const next = normaliseWords(lines[j]).split(' ')[0];
      if (/^\s*\S+:/.test(lines[j]) && QUOTE.headerDate.includes(next)) return true;
    }
  }
  return false;
}

/**
 * Plain text from HTML, for mails that have no text/plain part. Quoted replies are removed by
 * their markup first (blockquote, Gmail's gmail_quote, Outlook's divRplyFwdMsg, Thunderbird's
 * moz-cite-prefix), then tags are dropped and entities decoded. Not a renderer: just enough to read
 * the words a person typed.
 */
export function htmlToText(html: string, maxChars = 256 * 1024, options: { keepLinks?: boolean } = {}): string {
  let s = html.slice(0, maxChars);
  s = s.replace(/<!--[\s\S]*?-->/g, ' ');
  s = s.replace(/<(head|style|script|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ');
  // Everything from a reply container to the end is the quoted mail (top-posting).
  const cut = s.search(/<div\b[^>]*(class\s*=\s*["'][^"']*\b(gmail_quote|yahoo_quoted|moz-cite-prefix)\b|id\s*=\s*["'](divRplyFwdMsg|appendonsend|mail-editor-reference-message-container)["'])[^>]*>/i);
  if (cut >= 0) s = s.slice(0, cut);
  // Innermost blockquotes first, so nested quotes go as a whole.
  let before: string;
  do {
    before = s;
    s = s.replace(/<blockquote\b[^>]*>(?:(?!<blockquote\b)[\s\S])*?<\/blockquote\s*>/gi, '\n');
  } while (s !== before);
  s = s.replace(/<blockquote\b[\s\S]*$/i, ' '); // an unclosed one runs to the end
  if (options.keepLinks) {
    s = s.replace(/<a\b[^>]*?\bhref\s*=\s*(["'])(https?:[^"']*)\1[^>]*>([\s\S]*?)<\/a\s*>/gi, (_m, _q, href: string, label: string) => `${label} (${href})`);
  }
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<\/?(p|div|tr|li|h[1-6]|table|ul|ol|section|article|header|footer)\b[^>]*>/gi, '\n');
  s = s.replace(/<[^>]*>/g, ' ');
  s = decodeEntities(s);
  return s
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line, i, arr) => line !== '' || (i > 0 && arr[i - 1] !== ''))
    .join('\n')
    .trim();
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', euml: 'ë', eacute: 'é', egrave: 'è', iuml: 'ï', ouml: 'ö',
  uuml: 'ü', auml: 'ä', szlig: 'ß', Ouml: 'Ö', Uuml: 'Ü', Auml: 'Ä', copy: '©', hellip: '…', ndash: '–', mdash: '—',
  rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', euro: '€',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : ' ';
    }
    return NAMED_ENTITIES[code] ?? whole;
  });
}
