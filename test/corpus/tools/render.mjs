// Renders one corpus entry into a raw RFC 5322 message (CRLF) the way the named mail client writes
// it: its headers, its reply attribution, its quoting, its signature line, its MIME structure and
// its transfer encodings. Deterministic (seeded), so a rerun writes the same bytes.
import { createHash } from 'node:crypto';

export const OURS = { org: 'De Winkel', privacy: 'privacy@shop.example', news: 'nieuwsbrief@shop.example', domain: 'shop.example' };

// ---------- deterministic randomness ----------
export function seeded(seed) {
  let h = createHash('sha256').update(String(seed)).digest();
  let i = 0;
  return () => {
    if (i + 4 > h.length) { h = createHash('sha256').update(h).digest(); i = 0; }
    const v = h.readUInt32BE(i); i += 4;
    return v / 2 ** 32;
  };
}
const hex = (rnd, n) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
const b64chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const b64u = (rnd, n) => Array.from({ length: n }, () => b64chars[Math.floor(rnd() * 64)]).join('');
/** Shaped like the ledger's link tokens (purpose, version, base-36 expiry, two 16-byte parts). The MAC is not real. */
export function tokenLike(seed, purpose = 'u') {
  const rnd = seeded(`tok:${seed}`);
  const last = () => 'AQgw'[Math.floor(rnd() * 4)];
  return `${purpose}1.${(1800000000 + Math.floor(rnd() * 9e6)).toString(36)}.${b64u(rnd, 21)}${last()}.${b64u(rnd, 21)}${last()}`;
}
export const unsubscribeUrl = (seed) => `https://shop.example/consent/unsubscribe?token=${encodeURIComponent(tokenLike(seed))}`;
export const preferencesUrl = (seed) => `https://shop.example/consent/preferences?token=${encodeURIComponent(tokenLike(seed))}`;

// ---------- dates ----------
const DAYS = {
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  nl: ['zo', 'ma', 'di', 'wo', 'do', 'vr', 'za'],
  de: ['So.', 'Mo.', 'Di.', 'Mi.', 'Do.', 'Fr.', 'Sa.'],
  fr: ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'],
  es: ['dom', 'lun', 'mar', 'mié', 'jue', 'vie', 'sáb'],
  it: ['dom', 'lun', 'mar', 'mer', 'gio', 'ven', 'sab'],
};
const LONGDAYS = {
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  nl: ['zondag', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag'],
  de: ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'],
  fr: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
  es: ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'],
  it: ['domenica', 'lunedì', 'martedì', 'mercoledì', 'giovedì', 'venerdì', 'sabato'],
};
const MONTHS = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  nl: ['jan.', 'feb.', 'mrt.', 'apr.', 'mei', 'jun.', 'jul.', 'aug.', 'sep.', 'okt.', 'nov.', 'dec.'],
  de: ['Jan.', 'Feb.', 'März', 'Apr.', 'Mai', 'Juni', 'Juli', 'Aug.', 'Sept.', 'Okt.', 'Nov.', 'Dez.'],
  fr: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
  es: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic'],
  it: ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'],
};
const LONGMONTHS = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  de: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  it: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
};
const p2 = (n) => String(n).padStart(2, '0');
/** Local wall time in the Netherlands (CET, +0100) for November/December 2026. */
export function at(day, hh, mm, month = 11) {
  return { y: 2026, mo: month, d: day, hh, mm, dow: new Date(Date.UTC(2026, month - 1, day)).getUTCDay() };
}
export function rfcDate(t, tz = '+0100') {
  return `${DAYS.en[t.dow]}, ${t.d} ${MONTHS.en[t.mo - 1]} ${t.y} ${p2(t.hh)}:${p2(t.mm)}:${p2((t.d * 7 + t.mm) % 60)} ${tz}`;
}
const lang6 = (l) => (DAYS[l] ? l : 'en');

// ---------- reply attributions, per client and language ----------
export function attribution(client, lang, t, fromName, fromAddr) {
  const l = lang6(lang);
  const dd = DAYS[l][t.dow], mon = MONTHS[l][t.mo - 1], tm = `${p2(t.hh)}:${p2(t.mm)}`;
  const who = `${fromName} <${fromAddr}>`;
  if (client === 'gmail') {
    const h12 = `${((t.hh + 11) % 12) + 1}:${p2(t.mm)}\u202f${t.hh < 12 ? 'AM' : 'PM'}`;
    return {
      nl: `Op ${dd} ${t.d} ${mon} ${t.y} om ${tm} schreef ${who}:`,
      en: `On ${dd}, ${mon} ${t.d}, ${t.y} at ${h12} ${who} wrote:`,
      de: `Am ${dd}, ${t.d}. ${mon} ${t.y} um ${tm} Uhr schrieb ${who}:`,
      fr: `Le ${dd} ${t.d} ${mon} ${t.y} à ${tm}, ${who} a écrit :`,
      es: `El ${dd}, ${t.d} ${mon} ${t.y} a las ${tm}, ${fromName} (<${fromAddr}>) escribió:`,
      it: `Il giorno ${dd} ${t.d} ${mon} ${t.y} alle ore ${tm} ${who} ha scritto:`,
    }[l];
  }
  if (client === 'apple' || client === 'iphone') {
    return {
      nl: `Op ${t.d} ${mon} ${t.y}, om ${tm} heeft ${who} het volgende geschreven:`,
      en: `On ${t.d} ${mon} ${t.y}, at ${tm}, ${who} wrote:`,
      de: `Am ${t.d}.${t.mo}.${t.y} um ${tm} schrieb ${who}:`,
      fr: `Le ${t.d} ${mon} ${t.y} à ${tm}, ${who} a écrit :`,
      es: `El ${t.d} ${mon} ${t.y}, a las ${tm}, ${who} escribió:`,
      it: `Il giorno ${t.d} ${mon} ${t.y}, alle ore ${tm}, ${who} ha scritto:`,
    }[l];
  }
  if (client === 'thunderbird') {
    return {
      nl: `Op ${p2(t.d)}-${p2(t.mo)}-${t.y} om ${tm} schreef ${fromName}:`,
      en: `On ${p2(t.d)}/${p2(t.mo)}/${t.y} ${tm}, ${fromName} wrote:`,
      de: `Am ${p2(t.d)}.${p2(t.mo)}.${String(t.y).slice(2)} um ${tm} schrieb ${fromName}:`,
      fr: `Le ${p2(t.d)}/${p2(t.mo)}/${t.y} à ${tm}, ${fromName} a écrit :`,
      es: `El ${p2(t.d)}/${p2(t.mo)}/${String(t.y).slice(2)} a las ${tm}, ${fromName} escribió:`,
      it: `Il ${p2(t.d)}/${p2(t.mo)}/${t.y} ${tm}, ${fromName} ha scritto:`,
    }[l];
  }
  return null;
}

/** Outlook's unquoted header block above the original (desktop, OWA, iOS, Android). */
export function outlookBlock(lang, t, fromName, fromAddr, to, subject, style = 'line') {
  const l = lang6(lang);
  const ld = LONGDAYS[l][t.dow], lm = LONGMONTHS[l][t.mo - 1], tm = `${p2(t.hh)}:${p2(t.mm)}`;
  const rows = {
    nl: [['Van', `${fromName} <${fromAddr}>`], ['Verzonden', `${ld} ${t.d} ${lm} ${t.y} ${tm}`], ['Aan', to], ['Onderwerp', subject]],
    en: [['From', `${fromName} <${fromAddr}>`], ['Sent', `${ld}, ${lm} ${t.d}, ${t.y} ${((t.hh + 11) % 12) + 1}:${p2(t.mm)} ${t.hh < 12 ? 'AM' : 'PM'}`], ['To', to], ['Subject', subject]],
    de: [['Von', `${fromName} <${fromAddr}>`], ['Gesendet', `${ld}, ${t.d}. ${lm} ${t.y} ${tm}`], ['An', to], ['Betreff', subject]],
    fr: [['De\u00a0', `${fromName} <${fromAddr}>`], ['Envoyé\u00a0', `${ld} ${t.d} ${lm} ${t.y} ${tm}`], ['À\u00a0', to], ['Objet\u00a0', subject]],
    es: [['De', `${fromName} <${fromAddr}>`], ['Enviado el', `${ld}, ${t.d} de ${lm} de ${t.y} ${tm}`], ['Para', to], ['Asunto', subject]],
    it: [['Da', `${fromName} <${fromAddr}>`], ['Inviato', `${ld} ${t.d} ${lm} ${t.y} ${tm}`], ['A', to], ['Oggetto', subject]],
  }[l];
  const sep = style === 'original'
    ? { nl: '-----Oorspronkelijk bericht-----', en: '-----Original Message-----', de: '-----Ursprüngliche Nachricht-----', fr: '-----Message d\'origine-----', es: '-----Mensaje original-----', it: '-----Messaggio originale-----' }[l]
    : '________________________________';
  return { sep, rows };
}

// ---------- charsets and transfer encodings ----------
const CP1252 = { '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f };
export function encodeCharset(text, charset) {
  const cs = charset.toLowerCase();
  if (cs === 'utf-8' || cs === 'us-ascii') return Buffer.from(text, 'utf8');
  const out = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) out.push(c);
    else if (cs === 'windows-1252' && CP1252[ch]) out.push(CP1252[ch]);
    else if (ch === '\u202f') out.push(0x20);
    else out.push(0x3f); // '?', as a real client does for a character the charset lacks
  }
  return Buffer.from(out);
}
export function qp(buf) {
  const lines = [];
  let line = '';
  const push = (tok) => {
    if (line.length + tok.length > 75) { lines.push(line + '='); line = ''; }
    line += tok;
  };
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x0d) continue;
    if (b === 0x0a) {
      // trailing white space before a line break must be encoded
      if (line.endsWith(' ')) line = line.slice(0, -1) + '=20';
      else if (line.endsWith('\t')) line = line.slice(0, -1) + '=09';
      lines.push(line); line = ''; continue;
    }
    if ((b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9) push(String.fromCharCode(b));
    else push('=' + b.toString(16).toUpperCase().padStart(2, '0'));
  }
  lines.push(line);
  return lines.join('\r\n');
}
export function b64(buf) {
  return buf.toString('base64').replace(/.{1,76}/g, '$&\r\n').replace(/\r\n$/, '');
}
export function encodeBody(text, charset, cte) {
  const buf = encodeCharset(text.replace(/\r?\n/g, '\n'), charset);
  if (cte === 'quoted-printable') return qp(buf);
  if (cte === 'base64') return b64(encodeCharset(text.replace(/\r?\n/g, '\r\n'), charset));
  return buf.toString('latin1').replace(/\n/g, '\r\n'); // 7bit/8bit: raw bytes, read back as latin1 to keep them
}
/** RFC 2047 encoded word, only when needed. */
export function encWord(text, charset = 'utf-8', kind = 'Q') {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  if (kind === 'B') {
    // split so every encoded word stays under 75 characters
    const words = [];
    const chars = [...text];
    let cur = '';
    for (const ch of chars) {
      if (encodeCharset(cur + ch, charset).length > 42) { words.push(cur); cur = ''; }
      cur += ch;
    }
    words.push(cur);
    return words.map((w) => `=?${charset.toUpperCase()}?B?${encodeCharset(w, charset).toString('base64')}?=`).join('\r\n ');
  }
  // Encode character by character so no encoded word splits a character (RFC 2047 §5).
  const words = [];
  let cur = '';
  const max = 60 - charset.length;
  for (const ch of text) {
    let tok = '';
    for (const b of encodeCharset(ch, charset)) {
      if (b === 0x20) tok += '_';
      else if (b >= 33 && b <= 126 && !'=?_"(),:;<>@[\\]'.includes(String.fromCharCode(b))) tok += String.fromCharCode(b);
      else tok += '=' + b.toString(16).toUpperCase().padStart(2, '0');
    }
    if (cur.length + tok.length > max) { words.push(cur); cur = ''; }
    cur += tok;
  }
  words.push(cur);
  return words.map((w) => `=?${charset}?Q?${w}?=`).join('\r\n ');
}
/** "Name <addr>" with the name encoded or quoted as a client does. */
export function mailbox(name, addr, charset = 'utf-8') {
  if (!name) return addr;
  if (!/^[\x20-\x7e]*$/.test(name)) return `${encWord(name, charset)} <${addr}>`;
  if (/[,.;:@()]/.test(name)) return `"${name}" <${addr}>`;
  return `${name} <${addr}>`;
}
/** Folds a long structured header at spaces (RFC 5322 §2.2.3). */
export function fold(line) {
  if (line.length <= 78 || line.includes('\r\n')) return line; // short, or folded already
  const out = [];
  let cur = '';
  for (const part of line.split(/(?= )/)) {
    if (cur.length + part.length > 76 && cur.trim()) { out.push(cur); cur = part; } else cur += part;
  }
  out.push(cur);
  return out.join('\r\n');
}

// ---------- HTML ----------
export const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const linkify = (s) => esc(s).replace(/https?:\/\/[^\s<>&]+(?:&amp;[^\s<>&]+)*/g, (u) => `<a href="${u}">${u}</a>`);
export function paragraphsHtml(text, pTag = (inner) => `<p>${inner}</p>`) {
  return text.split(/\n{2,}/).map((para) => pTag(para.split('\n').map(linkify).join('<br>\n'))).join('\n');
}

// ---------- message ids, boundaries ----------
export function messageId(client, rnd, domain) {
  switch (client) {
    case 'outlook': case 'outlook-ios': case 'outlook-android': case 'owa':
      return `<${['AM0PR', 'DB9PR', 'VI1PR', 'AS8PR', 'PAXPR'][Math.floor(rnd() * 5)]}0${Math.floor(rnd() * 9)}MB${1000 + Math.floor(rnd() * 8999)}${hex(rnd, 16).toUpperCase()}@${['AM0PR', 'DB9PR', 'VI1PR'][Math.floor(rnd() * 3)]}0${Math.floor(rnd() * 9)}MB${1000 + Math.floor(rnd() * 8999)}.eurprd0${1 + Math.floor(rnd() * 8)}.prod.outlook.com>`;
    case 'gmail': case 'gmail-android':
      return `<CA${b64u(rnd, 10)}${b64u(rnd, 30).replace(/[-_]/g, 'x')}+${b64u(rnd, 12)}@mail.gmail.com>`;
    case 'apple': case 'iphone':
      return `<${hex(rnd, 8).toUpperCase()}-${hex(rnd, 4).toUpperCase()}-${hex(rnd, 4).toUpperCase()}-${hex(rnd, 4).toUpperCase()}-${hex(rnd, 12).toUpperCase()}@${domain}>`;
    case 'thunderbird':
      return `<${hex(rnd, 8)}-${hex(rnd, 4)}-${hex(rnd, 4)}-${hex(rnd, 4)}-${hex(rnd, 12)}@${domain}>`;
    default:
      return `<${Date.UTC(2026, 10, 1) + Math.floor(rnd() * 1e9)}.${hex(rnd, 10)}@${domain}>`;
  }
}
export function boundary(client, rnd) {
  switch (client) {
    case 'outlook': case 'outlook-ios': case 'outlook-android': case 'owa':
      return `_000_${hex(rnd, 40).toUpperCase().slice(0, 36)}eurprd07prod_`;
    case 'gmail': case 'gmail-android': return `000000000000${hex(rnd, 16)}`;
    case 'apple': case 'iphone': return `Apple-Mail=_${hex(rnd, 8).toUpperCase()}-${hex(rnd, 4).toUpperCase()}-${hex(rnd, 4).toUpperCase()}-${hex(rnd, 4).toUpperCase()}-${hex(rnd, 12).toUpperCase()}`;
    case 'thunderbird': return `------------${b64u(rnd, 24).replace(/[-_]/g, '0')}`;
    default: return `----=_Part_${Math.floor(rnd() * 99999)}_${Math.floor(rnd() * 1e9)}.${Math.floor(rnd() * 1e12)}`;
  }
}
