// MIME building blocks for the held-out corpus: charsets, transfer encodings, RFC 2047 words,
// header folding and multipart trees. Everything is built as a "byte string" (one JS char per
// byte, latin1) and written with Buffer.from(s, 'latin1'). Deterministic: all randomness comes
// from a PRNG seeded with the file name.

export const CRLF = '\r\n';

/** mulberry32 seeded from a string (FNV-1a). */
export function prng(seedText) {
  let h = 0x811c9dc5;
  for (const c of seedText) h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0;
  let a = h;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (alphabet, n) => Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    hex: (n) => pick('0123456789abcdef', n),
    HEX: (n) => pick('0123456789ABCDEF', n),
    alnum: (n) => pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', n),
    upnum: (n) => pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', n),
    b64url: (n) => pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', n),
    uuid() {
      const h = this.HEX(32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89AB'[this.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

/** A token with the ledger's shape (purpose letter, version 1, expiry, random, mac), MAC not valid. */
export function fakeToken(rng, letter = 'u') {
  const b16 = () => rng.b64url(21) + 'AQgw'[rng.int(0, 3)];
  return `${letter}1.${(1_800_000_000 + rng.int(0, 9_999_999)).toString(36)}.${b16()}.${b16()}`;
}

// ---------- charsets ----------
const CP1252_HIGH = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
  0x02c6: 0x88, 0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91,
  0x2019: 0x92, 0x201c: 0x93, 0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98,
  0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b, 0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};

/** Can the text be written in this charset? */
export function fits(text, charset) {
  try {
    encodeText(text, charset);
    return true;
  } catch {
    return false;
  }
}

/** Text -> byte string in the charset; throws when a character does not fit. */
export function encodeText(text, charset) {
  const cs = charset.toLowerCase();
  if (cs === 'utf-8') return Buffer.from(text, 'utf8').toString('latin1');
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    if (cs === 'us-ascii' && cp < 0x80) out += ch;
    else if (cs === 'iso-8859-1' && cp < 0x100 && !(cp >= 0x80 && cp < 0xa0)) out += ch;
    else if (cs === 'windows-1252' && cp < 0x100 && !(cp >= 0x80 && cp < 0xa0)) out += ch;
    else if (cs === 'windows-1252' && CP1252_HIGH[cp] !== undefined) out += String.fromCharCode(CP1252_HIGH[cp]);
    else throw new Error(`U+${cp.toString(16)} does not fit ${charset}`);
  }
  return out;
}

/** The first charset of the list the text fits in. */
export function charsetFor(text, preferred) {
  for (const cs of [preferred, 'utf-8']) if (fits(text, cs)) return cs;
  return 'utf-8';
}

// ---------- transfer encodings ----------
/** Quoted-printable (RFC 2045 §6.7) of a byte string with CRLF line ends; soft breaks at 76. */
export function qp(bytes) {
  return bytes.split(CRLF).map((line) => {
    const tokens = [];
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      const atEnd = i === line.length - 1;
      if ((c >= 33 && c <= 126 && c !== 61) || ((c === 32 || c === 9) && !atEnd)) tokens.push(line[i]);
      else tokens.push(`=${c.toString(16).toUpperCase().padStart(2, '0')}`);
    }
    const out = [];
    let cur = '';
    for (const t of tokens) {
      if (cur.length + t.length > 75) {
        out.push(`${cur}=`);
        cur = '';
      }
      cur += t;
    }
    out.push(cur);
    return out.join(CRLF);
  }).join(CRLF);
}

export function base64(bytes, width = 76) {
  const b = Buffer.from(bytes, 'latin1').toString('base64');
  const lines = [];
  for (let i = 0; i < b.length; i += width) lines.push(b.slice(i, i + width));
  return lines.join(CRLF);
}

/** format=flowed (RFC 3676): wrap at `width` with a trailing space on soft breaks, space-stuff. */
export function flowed(text, width = 72) {
  const out = [];
  for (const raw of text.split('\n')) {
    const quote = /^(>+ ?)/.exec(raw)?.[1] ?? '';
    let body = raw.slice(quote.length);
    if (raw === '-- ') {
      out.push(raw);
      continue;
    }
    body = body.replace(/ +$/, '');
    if (!quote && (body.startsWith(' ') || body.startsWith('From ') || body.startsWith('>'))) body = ` ${body}`;
    const prefix = quote ? `${quote.trim()} ` : '';
    while (prefix.length + body.length > width) {
      let cut = body.lastIndexOf(' ', width - prefix.length);
      if (cut <= 0) cut = body.indexOf(' ', width - prefix.length);
      if (cut <= 0) break;
      out.push(`${prefix}${body.slice(0, cut + 1)}`);
      body = body.slice(cut + 1);
    }
    out.push(`${prefix}${body}`);
  }
  return out.join('\n');
}

// ---------- headers ----------
const isAscii = (s) => /^[\x20-\x7e]*$/.test(s);

/** RFC 2047 encoded words (B or Q), each at most 75 characters, split on character boundaries. */
export function encodeWords(text, { charset = 'UTF-8', enc = 'B' } = {}) {
  const words = [];
  let chunk = '';
  const make = (s) => {
    const bytes = encodeText(s, charset);
    if (enc === 'B') return `=?${charset}?B?${Buffer.from(bytes, 'latin1').toString('base64')}?=`;
    const q = [...bytes].map((ch) => {
      const c = ch.charCodeAt(0);
      if (c === 32) return '_';
      if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || '!*+-/'.includes(ch)) return ch;
      return `=${c.toString(16).toUpperCase().padStart(2, '0')}`;
    }).join('');
    return `=?${charset}?Q?${q}?=`;
  };
  for (const ch of text) {
    if (chunk && make(chunk + ch).length > 75) {
      words.push(make(chunk));
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(make(chunk));
  return words.join(' ');
}

/** An unstructured header value: as is when ASCII, else encoded words. */
export function unstructured(text, opts) {
  return isAscii(text) ? text : encodeWords(text, opts);
}

/** "Name" <addr> with quoting or encoded words as a client would write it. */
export function mailbox(name, addr, opts = {}) {
  if (!name) return opts.bare ? addr : `<${addr}>`;
  if (!isAscii(name)) return `${encodeWords(name, opts)} <${addr}>`;
  if (/[(),.:;<>@[\]"\\]/.test(name) || opts.quote) return `"${name.replace(/(["\\])/g, '\\$1')}" <${addr}>`;
  return `${name} <${addr}>`;
}

/** Fold a header at whitespace so no line passes 78 characters where a space allows it. */
export function header(name, value) {
  const line = `${name}: ${value}`;
  if (line.length <= 78) return line;
  const out = [];
  let cur = '';
  for (const piece of line.split(/(?= )/)) {
    if (cur && (cur + piece).length > 78) {
      out.push(cur);
      cur = piece.startsWith(' ') ? piece : ` ${piece}`;
    } else cur += piece;
  }
  out.push(cur);
  return out.join(CRLF);
}

// ---------- dates ----------
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A local time with its UTC offset in minutes: { y, mo, d, h, mi, s, off }. */
export function when(y, mo, d, h, mi, s = 0, off = 60) {
  const wd = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return { y, mo, d, h, mi, s, off, wd };
}
/** The same moment moved by some minutes (keeps the offset; no month overflow handling needed past days). */
export function later(t, minutes) {
  const ms = Date.UTC(t.y, t.mo - 1, t.d, t.h, t.mi, t.s) + minutes * 60000;
  const u = new Date(ms);
  return when(u.getUTCFullYear(), u.getUTCMonth() + 1, u.getUTCDate(), u.getUTCHours(), u.getUTCMinutes(), u.getUTCSeconds(), t.off);
}
export const pad2 = (n) => String(n).padStart(2, '0');
export function rfcDate(t, { zoneName = false } = {}) {
  const sign = t.off < 0 ? '-' : '+';
  const a = Math.abs(t.off);
  const zone = `${sign}${pad2(Math.floor(a / 60))}${pad2(a % 60)}`;
  const name = zoneName ? (t.off === 60 ? ' (CET)' : t.off === 0 ? ' (UTC)' : '') : '';
  return `${DAYS[t.wd]}, ${t.d} ${MONTHS[t.mo - 1]} ${t.y} ${pad2(t.h)}:${pad2(t.mi)}:${pad2(t.s)} ${zone}${name}`;
}
export function isoUtc(t) {
  const ms = Date.UTC(t.y, t.mo - 1, t.d, t.h, t.mi, t.s) - t.off * 60000;
  return new Date(ms).toISOString().replace('.000', '');
}
export function epoch(t) {
  return Math.floor((Date.UTC(t.y, t.mo - 1, t.d, t.h, t.mi, t.s) - t.off * 60000) / 1000);
}

// ---------- parts ----------
/**
 * A leaf part. `text` is a JS string (encoded with `charset`) or `bytes` a byte string.
 * cte: 7bit | 8bit | quoted-printable | base64.
 */
export function leaf({ type, charset, params = '', cte = '7bit', text, bytes, headers = [], disposition }) {
  let raw = bytes ?? encodeText(text.replace(/\r?\n/g, CRLF), charset);
  let body;
  if (cte === 'quoted-printable') body = qp(raw);
  else if (cte === 'base64') body = base64(raw);
  else body = raw;
  const ct = charset ? `${type}; charset=${charset.startsWith('"') ? charset : `"${charset}"`}${params}` : `${type}${params}`;
  const hs = [header('Content-Type', ct), ...(cte ? [`Content-Transfer-Encoding: ${cte}`] : []), ...(disposition ? [header('Content-Disposition', disposition)] : []), ...headers];
  return { headers: hs, body };
}

/** A multipart part; `ctValue` lets a client spell its own boundary parameter style. */
export function multipart(subtype, boundary, parts, { extraParams = '', quoteBoundary = true, preamble = '', headers = [] } = {}) {
  const b = quoteBoundary ? `"${boundary}"` : boundary;
  const hs = [header('Content-Type', `multipart/${subtype};${extraParams ? ` ${extraParams};` : ''} boundary=${b}`), ...headers];
  let body = preamble ? `${preamble}${CRLF}${CRLF}` : '';
  for (const p of parts) body += `--${boundary}${CRLF}${p.headers.join(CRLF)}${CRLF}${CRLF}${p.body}${CRLF}`;
  body += `--${boundary}--${CRLF}`;
  return { headers: hs, body };
}

/** The whole message: top headers, then the root part's own headers, a blank line and its body. */
export function message(topHeaders, root) {
  const text = `${[...topHeaders, ...root.headers].join(CRLF)}${CRLF}${CRLF}${root.body}`;
  return text.endsWith(CRLF) ? text : `${text}${CRLF}`;
}

export function escapeHtml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text to simple HTML paragraphs/lines the way most composers do (<div> per line). */
export function linkify(escaped) {
  return escaped.replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>');
}
