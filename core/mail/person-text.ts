import EmailForwardParser from 'email-forward-parser';
import EmailReplyParser from 'email-reply-parser';
import { convert, type FormatCallback, type HtmlToTextOptions } from 'html-to-text';
import type { RequestMail } from './request-mail';
import { normaliseWords, QUOTE } from './vocabulary';

/**
 * What the person wrote themselves. A reply quotes the newsletter it answers, and that
 * newsletter's footer says "afmelden" / "unsubscribe"; a company signature carries a disclaimer
 * that says "delete this e-mail". Only the person's own lines may trigger an action.
 *
 * Three steps, each with its own tool:
 * - HTML to text: html-to-text, with blockquotes as "> " lines and everything from a client's
 *   reply container on (Outlook's #appendonsend / #divRplyFwdMsg, Yahoo's .yahoo_quoted) marked
 *   quoted, so an HTML mail reads like a plain-text reply and inline answers survive.
 * - Forwards: email-forward-parser (many clients and languages) splits the forwarder's note from
 *   the forwarded original and reads the original's sender.
 * - Replies and signatures: our reader of words.json `quote` (attribution lines, quoted header
 *   blocks, client signatures, closings, disclaimers, newsletter footers in nl/en/de/fr/es/it),
 *   then email-reply-parser as a second net for clients and languages words.json does not know.
 *   Its quote-header cuts are taken only where the header carries a time or an address: its
 *   looser patterns also match a person's own "Le 3 novembre, je vous ai écrit" and would hide it.
 */
export interface OwnWords {
  /** The person's own words: quotes, attributions, signatures, disclaimers and footers cut. */
  text: string;
  /** Which part they were read from: the text/plain part, or the HTML part (none, or a stub). */
  part: 'text' | 'html';
  /** For a forward: the forwarded original's sender (normalised address, null when unreadable) and its own words. */
  forwarded: { from: string | null; text: string } | null;
}

export type OwnWordsSource = Pick<RequestMail, 'text' | 'html'> & Partial<Pick<RequestMail, 'subject' | 'textPart'>>;

export function readOwnWords(mail: OwnWordsSource, maxChars = 8000): OwnWords {
  let part = mail.textPart ?? 'text';
  let text = mail.text;
  if (mail.textPart === undefined && mail.html && isStubText(text)) {
    part = 'html';
    text = htmlToText(mail.html);
  }
  // The forward parser's patterns grow with line length: it reads what personalText could keep, no more.
  const forward = splitForward(text.slice(0, maxChars * 2), mail.subject ?? '');
  if (!forward) return { text: personalText(text, maxChars), part, forwarded: null };
  return {
    text: personalText(forward.note, maxChars),
    part,
    forwarded: { from: forward.from, text: personalText(forward.original, maxChars) },
  };
}

// ------------------------------------------------------------------------------------ plain text

export function personalText(text: string, maxChars = 8000): string {
  const lines = text.slice(0, maxChars * 4).replace(/\r\n?/g, '\n').split('\n');
  const own = cutTrailingMatter(ownLines(lines));
  return secondNet(own.join('\n').slice(0, maxChars * 2))
    .replace(/[ \t\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, maxChars);
}

const isQuotedLine = (line: string) => /^\s*>/.test(line);

/** Lines up to where the quoted mail starts; quoted ("> ") lines dropped, inline answers between them kept. */
function ownLines(lines: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (isQuotedLine(line)) continue;
    if (line.trim() === '--' || line === '-- ') break; // RFC 3676 §4.3 signature separator
    const attribution = attributionLength(lines, i);
    if (attribution > 0) {
      // "On … wrote:" above "> " lines: only the quote goes, answers written between its lines stay.
      if (isQuotedLine(lines[nextNonEmpty(lines, i + attribution)] ?? '')) {
        i += attribution - 1;
        continue;
      }
      break;
    }
    if (isQuoteStart(lines, i)) break;
    const normalised = normaliseWords(line);
    if (QUOTE.signatures.some((s) => normalised.startsWith(s))) break;
    kept.push(line);
  }
  return kept;
}

function nextNonEmpty(lines: string[], from: number): number {
  for (let j = from; j < lines.length; j++) if (lines[j].trim()) return j;
  return -1;
}

/**
 * How many lines an attribution at line i takes (0: none). Clients wrap it: Gmail breaks
 * "… schreef Naam <" / "naam@x.nl>:", Apple Mail "… <a@b>" / "wrote:". It ends in ':', its verb
 * is near the end, and its first line carries the time or the address, or it stands right above
 * "> " lines: "Op 1 oktober schreef ik u al:" followed by the person's own lines is their sentence.
 */
function attributionLength(lines: string[], i: number): number {
  const first = lines[i].trim();
  if (!first) return 0;
  if (!hasTimeOrAddress(first)) {
    // Without them, only a line right above the quote it introduces ("Op ma schreef Shop:" / "> …").
    const isAboveQuote = isQuotedLine(lines[nextNonEmpty(lines, i + 1)] ?? '');
    return isAboveQuote && /:\s*$/.test(first.replace(/\u00a0/g, ' ')) && isAttribution(first) ? 1 : 0;
  }
  let joined = '';
  for (let n = 1; n <= 3 && i + n - 1 < lines.length; n++) {
    const next = lines[i + n - 1].trim();
    if (n > 1 && (!next || isQuotedLine(next))) return 0;
    joined = n === 1 ? next : `${joined} ${next}`;
    if (/:\s*$/.test(joined.replace(/\u00a0/g, ' '))) return isAttribution(joined) ? n : 0;
  }
  return 0;
}

function hasTimeOrAddress(line: string): boolean {
  return /\b\d{1,2}[:.h]\d{2}\b/.test(line) || /@[\w-]+\./.test(line);
}

/** The attribution's verb ("wrote", "a écrit", "ha scritto") with at most a name after it. */
function isAttribution(line: string): boolean {
  const padded = ` ${normaliseWords(line.replace(/<[^>]*>|\([^)]*\)|\[[^\]]*\]/g, ' '))} `;
  return QUOTE.attribution.some((verb) => {
    const at = padded.lastIndexOf(` ${verb} `);
    return at >= 0 && padded.slice(at + verb.length + 2).trim().split(' ').filter(Boolean).length <= 5;
  });
}

function isQuoteStart(lines: string[], i: number): boolean {
  const line = lines[i].trim();
  if (!line) return false;
  // Outlook: "________________________________" above the quoted header block.
  if (/^_{8,}$/.test(line)) return true;
  const normalised = normaliseWords(line);
  // "-----Original Message-----", "---------- Forwarded message ---------", "Begin forwarded message:"
  if (QUOTE.originalMessage.includes(normalised)) return true;
  if (/^-{2,}.*-{2,}$/.test(line) && QUOTE.originalMessage.some((m) => ` ${normalised} `.includes(` ${m} `))) return true;
  // A quoted header block: "Van: …" followed by "Verzonden: …" (Outlook), "From: …" by "Date: …" (Apple).
  if (QUOTE.headerFrom.includes(headerLabel(line) ?? '')) {
    for (let j = i + 1; j < Math.min(lines.length, i + 5); j++) {
      if (QUOTE.headerDate.includes(headerLabel(lines[j]) ?? '')) return true;
    }
  }
  return false;
}

/** "Van: x" -> "van"; "De\u00a0: x" -> "de"; "*From:* x" (Outlook's bold as text) -> "from". */
function headerLabel(line: string): string | null {
  const match = /^\s*\*?([^\s:*][^:*]{0,20}?)\s*\*?\s*:/.exec(line.replace(/\u00a0/g, ' '));
  return match ? normaliseWords(match[1]) : null;
}

/** Disclaimers and newsletter footers (from where one starts), then the signature after a closing. */
function cutTrailingMatter(lines: string[]): string[] {
  const cut = firstPhraseStart(lines, [...QUOTE.disclaimers, ...QUOTE.footers]);
  let kept = lines;
  if (cut) {
    kept = lines.slice(0, cut.line);
    if (cut.before.trim()) kept.push(cut.before);
  }
  for (let i = 0; i < kept.length; i++) {
    if (!isClosing(kept[i])) continue;
    const rest = kept.slice(i + 1).filter((l) => l.trim());
    const looksLikeSignature = rest.length <= 10 && rest.every((l) => l.trim().length <= 100 && !/^\s*p\.?\s?s\b/i.test(l));
    if (looksLikeSignature) return kept.slice(0, i + 1);
  }
  return kept;
}

/** "Met vriendelijke groet," / "Groet, Kees" / "Kind regards" alone on a line, at most a name after it. */
function isClosing(line: string): boolean {
  const normalised = normaliseWords(line);
  if (!normalised || line.trim().length > 60) return false;
  return QUOTE.closings.some((c) => normalised === c || (normalised.startsWith(`${c} `) && normalised.split(' ').length - c.split(' ').length <= 3));
}

/**
 * Where the first of the phrases starts (they may wrap over lines): the line, and what of that
 * line comes before the phrase ("Groet, Kees. Dit e-mailbericht is uitsluitend …" keeps "Groet, Kees.").
 */
function firstPhraseStart(lines: string[], phrases: string[]): { line: number; before: string } | null {
  const normalised = lines.map(normaliseWords);
  const starts: number[] = [];
  let joined = '';
  for (const n of normalised) {
    starts.push(joined.length + 1);
    joined += ` ${n}`;
  }
  joined += ' ';
  let first = -1;
  for (const phrase of phrases) {
    const at = joined.indexOf(` ${phrase} `);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  if (first < 0) return null;
  let line = starts.length - 1;
  while (line > 0 && starts[line] > first + 1) line--;
  // The words of this line from the phrase on; keep what stands before them.
  const tail = joined.slice(first + 1, starts[line] + normalised[line].length).trim();
  const raw = lines[line];
  for (let k = 0; k < raw.length; k++) {
    if (k > 0 && /[\p{L}\p{N}]/u.test(raw[k - 1])) continue;
    if (normaliseWords(raw.slice(k)) === tail) return { line, before: raw.slice(0, k) };
  }
  return { line, before: '' };
}

/**
 * email-reply-parser over what is left: it knows quote headers and signatures of many clients and
 * languages. Its signature cuts are taken (unless a P.S. follows), its quote-header cuts only when
 * the header line carries a time or an address.
 */
function secondNet(text: string): string {
  if (!text.trim()) return '';
  const fragments = new EmailReplyParser().read(text).getFragments();
  const kept: string[] = [];
  for (const fragment of fragments) {
    const content = fragment.getContent();
    if (!fragment.isHidden() || fragment.isEmpty()) {
      kept.push(content);
      continue;
    }
    const firstLine = content.split('\n').find((l) => l.trim()) ?? '';
    const hasPostscript = content.split('\n').some((l) => /^\s*p\.?\s?s\b/i.test(l));
    if (fragment.isSignature() && !hasPostscript) continue;
    if (fragment.isQuoted() && hasTimeOrAddress(firstLine)) continue;
    if (!fragment.isSignature() && !fragment.isQuoted()) continue;
    kept.push(content);
  }
  return kept.join('\n');
}

// -------------------------------------------------------------------------------------- forwards

const forwardParser = new EmailForwardParser();

/**
 * A forward: the forwarder's note and the original. A forward subject ("Fwd:", "WG:", "TR:", …)
 * lets email-forward-parser split by the original's header; without one, only an explicit forward
 * marker line counts, since an Outlook reply has the same header block as an Outlook forward.
 */
function splitForward(text: string, subject: string): { note: string; from: string | null; original: string } | null {
  const bySubject = subject ? forwardParser.read(text, subject) : null;
  const result = bySubject?.forwarded ? bySubject : hasForwardMarker(text) ? forwardParser.read(text) : null;
  if (!result?.forwarded) return null;
  if (result.email.body === undefined) return { note: text, from: null, original: '' };
  const from = result.email.from.address?.trim().toLowerCase() ?? '';
  return { note: result.message ?? '', from: /^[^\s@]+@[^\s@]+$/.test(from) ? from : null, original: result.email.body };
}

function hasForwardMarker(text: string): boolean {
  return text.split('\n').some((line) => !isQuotedLine(line) && QUOTE.forwardMarkers.includes(normaliseWords(line)));
}

// ------------------------------------------------------------------------------------------ HTML

/**
 * A text/plain part that holds none of the person's words: empty, an image placeholder, or only
 * what the client adds ("Get Outlook for iOS"). The HTML part is read instead.
 */
export function isStubText(text: string | null | undefined): boolean {
  if (!text) return true;
  const rest = text.replace(/\[(?:image|cid|afbeelding|bild|imagen|immagine)\b[^\]\n]*\]/gi, ' ').replace(/<(?:https?|mailto):[^>\s]*>/gi, ' ');
  return rest.split(/\r?\n/).every((line) => {
    const normalised = normaliseWords(line);
    return !normalised || QUOTE.signatures.some((s) => normalised.startsWith(s));
  });
}

const QUOTED_FROM_HERE = '\u2063\u2063quoted-from-here\u2063\u2063';

/** A client's reply container: it and everything after it in the document is the quoted mail. */
const quotedFromHere: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 1 });
  builder.addLiteral(QUOTED_FROM_HERE);
  builder.closeBlock({ trailingLineBreaks: 1 });
  walk(elem.children, builder);
};

const REPLY_CONTAINERS = [
  'div#appendonsend', // Outlook on the web, new Outlook: right above the quoted mail
  'div#divRplyFwdMsg', // Outlook on the web: the quoted header block
  'div#mail-editor-reference-message-container', // Outlook for Mac and iOS
  'div.yahoo_quoted',
  'div[id^="yahoo_quoted"]',
];

function options(keepLinks: boolean): HtmlToTextOptions {
  return {
    wordwrap: false,
    limits: { maxDepth: 1000 },
    formatters: { quotedFromHere },
    selectors: [
      keepLinks
        ? { selector: 'a', options: { linkBrackets: ['(', ')'], hideLinkHrefIfSameAsText: true } }
        : { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
      { selector: 'blockquote', options: { trimEmptyLines: true } },
      ...(keepLinks ? [] : REPLY_CONTAINERS.map((selector) => ({ selector, format: 'quotedFromHere' }))),
    ],
  };
}
const readingOptions = options(false);
const linkOptions = options(true);

/**
 * Plain text from HTML (html-to-text). Quoted replies stay in, marked as a plain-text client
 * marks them: blockquotes (Gmail's gmail_quote, Apple Mail's type=cite, Thunderbird's) become
 * "> " lines, and from a reply container on every line is "> " too, so personalText reads an HTML
 * mail as it reads a plain one. With keepLinks (a mail we send) links read "label (href)".
 */
export function htmlToText(html: string, maxChars = 256 * 1024, options: { keepLinks?: boolean } = {}): string {
  const text = convert(html.slice(0, maxChars), options.keepLinks ? linkOptions : readingOptions);
  const cut = text.indexOf(QUOTED_FROM_HERE);
  const own = cut < 0 ? text : text.slice(0, cut);
  const quoted = cut < 0 ? '' : text.slice(cut + QUOTED_FROM_HERE.length).split('\n').map((l) => (l.trim() ? `> ${l}` : '>')).join('\n');
  return `${own}\n${quoted}`
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0\u200b]+/g, ' ').trimEnd())
    .map((line) => (line.trim() ? line : ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
