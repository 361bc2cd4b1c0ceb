// Builds a raw message from a corpus entry, the way its mail client would have sent it.
import {
  OURS, seeded, rfcDate, attribution, outlookBlock, encodeBody, encWord, mailbox, fold,
  esc, paragraphsHtml, messageId, boundary, unsubscribeUrl, preferencesUrl, at,
} from './render.mjs';

const SENT_FROM = {
  iphone: { nl: 'Verstuurd vanaf mijn iPhone', en: 'Sent from my iPhone', de: 'Von meinem iPhone gesendet', fr: 'Envoyé de mon iPhone', es: 'Enviado desde mi iPhone', it: 'Inviato da iPhone' },
  android: { nl: 'Verzonden vanaf mijn Samsung Galaxy-smartphone.', en: 'Sent from my Galaxy', de: 'Von meinem Samsung Galaxy Smartphone gesendet.', fr: 'Envoyé depuis mon smartphone Samsung Galaxy.', es: 'Enviado desde mi smartphone Samsung Galaxy.', it: 'Inviato dal mio smartphone Samsung Galaxy.' },
  'outlook-ios': { nl: 'Outlook voor iOS downloaden<https://aka.ms/o0ukef>', en: 'Get Outlook for iOS<https://aka.ms/o0ukef>', de: 'Outlook für iOS<https://aka.ms/o0ukef> herunterladen', fr: 'Obtenir Outlook pour iOS<https://aka.ms/o0ukef>', es: 'Obtener Outlook para iOS<https://aka.ms/o0ukef>', it: 'Scarica Outlook per iOS<https://aka.ms/o0ukef>' },
  'outlook-android': { nl: 'Outlook voor Android downloaden<https://aka.ms/AAb9ysg>', en: 'Get Outlook for Android<https://aka.ms/AAb9ysg>', de: 'Outlook für Android<https://aka.ms/AAb9ysg> herunterladen', fr: 'Télécharger Outlook pour Android<https://aka.ms/AAb9ysg>', es: 'Obtener Outlook para Android<https://aka.ms/AAb9ysg>', it: 'Scarica Outlook per Android<https://aka.ms/AAb9ysg>' },
  'gmail-android': {},
};
const L = (map, lang) => map[lang] ?? map.en;

/** Our own newsletter, as the person received it (the thing most replies quote). */
export function newsletter(lang, seed, firstName = '') {
  const u = unsubscribeUrl(seed), p = preferencesUrl(seed);
  const hi = firstName ? ` ${firstName}` : '';
  const t = {
    nl: `Hoi${hi},\n\nDeze week: 20% korting op alle wintersokken en gratis verzending vanaf € 25.\nBekijk de aanbiedingen: https://shop.example/acties\n\nHartelijke groet,\nDe Winkel\n\n--\nJe ontvangt deze e-mail omdat je je hebt aangemeld voor de nieuwsbrief van De Winkel.\nAfmelden: ${u}\nVoorkeuren wijzigen: ${p}\nDe Winkel B.V. · Marktstraat 12 · 3511 AB Utrecht`,
    en: `Hi${hi},\n\nThis week: 20% off all winter socks and free shipping over € 25.\nSee the offers: https://shop.example/acties\n\nKind regards,\nDe Winkel\n\n--\nYou receive this e-mail because you signed up for the De Winkel newsletter.\nUnsubscribe: ${u}\nManage preferences: ${p}\nDe Winkel B.V. · Marktstraat 12 · 3511 AB Utrecht · The Netherlands`,
    de: `Hallo${hi},\n\ndiese Woche: 20 % Rabatt auf alle Wintersocken und kostenloser Versand ab 25 €.\nZu den Angeboten: https://shop.example/acties\n\nViele Grüße\nDe Winkel\n\n--\nSie erhalten diese E-Mail, weil Sie den Newsletter von De Winkel abonniert haben.\nAbmelden: ${u}\nEinstellungen: ${p}\nDe Winkel B.V. · Marktstraat 12 · 3511 AB Utrecht · Niederlande`,
    fr: `Bonjour${hi},\n\nCette semaine : -20 % sur toutes les chaussettes d'hiver et livraison gratuite dès 25 €.\nVoir les offres : https://shop.example/acties\n\nÀ bientôt,\nDe Winkel\n\n--\nVous recevez cet e-mail car vous êtes inscrit(e) à la newsletter De Winkel.\nSe désinscrire : ${u}\nPréférences : ${p}\nDe Winkel B.V. · Marktstraat 12 · 3511 AB Utrecht · Pays-Bas`,
    es: `Hola${hi}:\n\nEsta semana: 20 % de descuento en todos los calcetines de invierno y envío gratis a partir de 25 €.\nVer ofertas: https://shop.example/acties\n\nSaludos,\nDe Winkel\n\n--\nRecibes este correo porque te suscribiste al boletín de De Winkel.\nDarse de baja: ${u}\nPreferencias: ${p}\nDe Winkel B.V. · Marktstraat 12 · 3511 AB Utrecht · Países Bajos`,
    it: `Ciao${hi},\n\nquesta settimana: 20% di sconto su tutte le calze invernali e spedizione gratuita da 25 €.\nScopri le offerte: https://shop.example/acties\n\nA presto,\nDe Winkel\n\n--\nRicevi questa e-mail perché sei iscritto/a alla newsletter di De Winkel.\nCancella iscrizione: ${u}\nPreferenze: ${p}\nDe Winkel B.V. · Marktstraat 12 · 3511 AB Utrecht · Paesi Bassi`,
  };
  const subj = { nl: 'Winterdeals: 20% korting op sokken 🧦', en: 'Winter deals: 20% off socks 🧦', de: 'Winterangebote: 20 % auf Socken 🧦', fr: 'Offres d\'hiver : -20 % sur les chaussettes 🧦', es: 'Ofertas de invierno: 20 % en calcetines 🧦', it: 'Offerte invernali: 20% sulle calze 🧦' };
  return { from: ['De Winkel', OURS.news], subject: L(subj, lang), text: L(t, lang), t: at(20, 9, 30) };
}

const quoteLines = (text) => text.split('\n').map((l) => (l.startsWith('>') ? `>${l}` : l ? `> ${l}` : '>')).join('\n');

function forwardBlock(client, lang, q, to) {
  const who = `${q.from[0]} <${q.from[1]}>`;
  const date = rfcDate(q.t);
  if (client === 'gmail' || client === 'gmail-android') {
    const head = { nl: '---------- Doorgestuurd bericht ---------', en: '---------- Forwarded message ---------', de: '---------- Weitergeleitete Nachricht ---------', fr: '---------- Forwarded message ---------', es: '---------- Forwarded message ---------', it: '---------- Forwarded message ---------' };
    return `${L(head, lang)}\n${lang === 'nl' ? 'Van' : lang === 'de' ? 'Von' : 'From'}: ${who}\nDate: ${date}\nSubject: ${q.subject}\nTo: <${to}>\n\n${q.text}`;
  }
  if (client === 'apple' || client === 'iphone') {
    const head = { nl: 'Begin doorgestuurd bericht:', en: 'Begin forwarded message:', de: 'Anfang der weitergeleiteten Nachricht:', fr: 'Début du message réexpédié :', es: 'Inicio del mensaje reenviado:', it: 'Inizio messaggio inoltrato:' };
    const r = { nl: ['Van', 'Onderwerp', 'Datum', 'Aan'], en: ['From', 'Subject', 'Date', 'To'], de: ['Von', 'Betreff', 'Datum', 'An'] }[lang] ?? ['From', 'Subject', 'Date', 'To'];
    return `${L(head, lang)}\n\n${r[0]}: ${who}\n${r[1]}: ${q.subject}\n${r[2]}: ${date}\n${r[3]}: ${to}\n\n${q.text}`;
  }
  if (client === 'thunderbird') {
    const head = { nl: '-------- Doorgestuurd bericht --------', en: '-------- Forwarded Message --------', de: '-------- Weitergeleitete Nachricht --------' };
    return `${L(head, lang)}\nOnderwerp: \t${q.subject}\nDatum: \t${date}\nVan: \t${who}\nAan: \t${to}\n\n${q.text}`;
  }
  const ob = outlookBlock(lang, q.t, q.from[0], q.from[1], to, q.subject);
  return `${ob.sep}\n${ob.rows.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${q.text}`;
}

/** Text of the reply/forward part below the person's own words, as the client lays it out. */
function quotedText(e, lang, toOfOriginal) {
  const q = e.quote;
  if (!q) return '';
  if (q.forward) return forwardBlock(e.client, lang, q, toOfOriginal);
  const c = e.client;
  const attr = attribution(c === 'gmail-android' ? 'gmail' : c, lang, q.t, q.from[0], q.from[1]);
  if (attr) return `${attr}\n\n${quoteLines(q.text)}`;
  if (c === 'android') {
    const r = { nl: ['-------- Oorspronkelijk bericht --------', 'Van', 'Datum', 'Aan', 'Onderwerp'], en: ['-------- Original message --------', 'From', 'Date', 'To', 'Subject'], de: ['-------- Ursprüngliche Nachricht --------', 'Von', 'Datum', 'An', 'Betreff'], fr: ['-------- Message d\'origine --------', 'De', 'Date', 'À', 'Objet'], es: ['-------- Mensaje original --------', 'De', 'Fecha', 'Para', 'Asunto'], it: ['-------- Messaggio originale --------', 'Da', 'Data', 'A', 'Oggetto'] }[lang] ?? ['-------- Original message --------', 'From', 'Date', 'To', 'Subject'];
    return `${r[0]}\n${r[1]}: ${q.from[0]} <${q.from[1]}> \n${r[2]}: ${String(q.t.d).padStart(2, '0')}-${q.t.mo}-26 ${q.t.hh}:${String(q.t.mm).padStart(2, '0')} (GMT+01:00) \n${r[3]}: ${toOfOriginal} \n${r[4]}: ${q.subject} \n\n${q.text}`;
  }
  const ob = outlookBlock(lang, q.t, q.from[0], q.from[1], toOfOriginal, q.subject, e.outlookStyle ?? (c === 'outlook' ? 'original' : 'line'));
  return `${ob.sep}\n${ob.rows.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${q.text}`;
}

function quotedHtml(e, lang, toOfOriginal) {
  const q = e.quote;
  if (!q) return '';
  const c = e.client;
  const inner = paragraphsHtml(q.text);
  if (q.forward) return `<div><br></div><div>${paragraphsHtml(forwardBlock(c, lang, q, toOfOriginal))}</div>`;
  if (c === 'gmail' || c === 'gmail-android') {
    return `<br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">${esc(attribution('gmail', lang, q.t, q.from[0], q.from[1]))}<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">${inner}</blockquote></div>`;
  }
  if (c === 'apple' || c === 'iphone' || c === 'thunderbird') {
    return `<div><br><blockquote type="cite"><div>${esc(attribution(c, lang, q.t, q.from[0], q.from[1]))}</div><br>${inner}</blockquote></div>`;
  }
  const ob = outlookBlock(lang, q.t, q.from[0], q.from[1], toOfOriginal, q.subject);
  return `<div id="appendonsend"></div>\n<hr style="display:inline-block;width:98%" tabindex="-1">\n<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">${ob.rows.map(([k, v]) => `<b>${esc(k)}:</b> ${esc(v)}`).join('<br>\n')}</font>\n<div>&nbsp;</div>\n</div>\n<div>${inner}</div>`;
}

function htmlDocument(e, bodyHtml) {
  const c = e.client;
  if (c === 'outlook' || c === 'owa' || c === 'outlook-ios' || c === 'outlook-android') {
    return `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=${e.htmlCharset ?? e.charset ?? 'utf-8'}">\n<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n<style><!--\n/* Font Definitions */\n@font-face\n\t{font-family:"Cambria Math";\n\tpanose-1:2 4 5 3 5 4 6 3 2 4;}\n@font-face\n\t{font-family:Aptos;}\np.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;\n\tfont-size:12.0pt;\n\tfont-family:"Aptos",sans-serif;}\nspan.E-mailStijl17\n\t{mso-style-type:personal-compose;}\n.MsoChpDefault\n\t{mso-style-type:export-only;}\n@page WordSection1\n\t{size:612.0pt 792.0pt;\n\tmargin:72.0pt 72.0pt 72.0pt 72.0pt;}\ndiv.WordSection1\n\t{page:WordSection1;}\n--></style>\n</head>\n<body lang="NL" link="#467886" vlink="#96607D" style="word-wrap:break-word">\n<div class="WordSection1">\n${bodyHtml}\n</div>\n</body>\n</html>`;
  }
  if (c === 'gmail' || c === 'gmail-android') return `<div dir="ltr">${bodyHtml}</div>`;
  if (c === 'apple' || c === 'iphone') return `<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;">${bodyHtml}</body></html>`;
  return `<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=${e.htmlCharset ?? e.charset ?? 'utf-8'}">\n</head>\n<body>\n${bodyHtml}\n</body>\n</html>`;
}

function ownHtml(e, text) {
  const c = e.client;
  if (c === 'outlook' || c === 'owa') return paragraphsHtml(text, (inner) => `<p class="MsoNormal">${inner}<o:p></o:p></p>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>`);
  if (c === 'gmail' || c === 'gmail-android') return text.split('\n').map((l) => (l ? `<div>${esc(l).replace(/https?:\/\/\S+/g, (u) => `<a href="${u}">${u}</a>`)}</div>` : '<div><br></div>')).join('');
  if (c === 'outlook-ios' || c === 'outlook-android') return text.split('\n').map((l) => `<div dir="ltr">${l ? esc(l) : '<br>'}</div>`).join('\n');
  return paragraphsHtml(text);
}

/** Flowed text (RFC 3676) as Thunderbird writes it: soft breaks end in a space. */
function flowed(text) {
  return text.split('\n').map((line) => {
    if (line.length <= 72 || line.startsWith('>')) return line;
    const words = line.split(' ');
    const out = [];
    let cur = '';
    for (const w of words) {
      if (cur && (cur + w).length > 72) { out.push(cur); cur = ''; }
      cur += `${w} `;
    }
    out.push(cur.trimEnd());
    return out.join('\n');
  }).join('\n');
}

function partHeaders(type, charset, cte, extra = []) {
  const ct = charset ? `Content-Type: ${type}; charset="${charset}"` : `Content-Type: ${type}`;
  return [ct, `Content-Transfer-Encoding: ${cte}`, ...extra].join('\r\n');
}

function attachmentPart(a, rnd) {
  const data = a.data ?? Buffer.from(a.text ?? `%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n% ${a.name} ${Math.floor(rnd() * 1e9)}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`, 'latin1');
  const name = /^[\x20-\x7e]*$/.test(a.name) ? `"${a.name}"` : `"${encWord(a.name, 'utf-8', 'B')}"`;
  const disp = a.inline ? 'inline' : 'attachment';
  const extra = [`Content-Disposition: ${disp}; filename=${name}`];
  if (a.cid) extra.push(`Content-ID: <${a.cid}>`);
  return `Content-Type: ${a.type}; name=${name}\r\n${extra.join('\r\n')}\r\nContent-Transfer-Encoding: base64\r\n\r\n${data.toString('base64').replace(/.{1,76}/g, '$&\r\n').replace(/\r\n$/, '')}`;
}

function multipart(kind, bnd, parts, preamble = '') {
  return { ct: `multipart/${kind};\r\n\tboundary="${bnd}"`, body: `${preamble}${parts.map((p) => `--${bnd}\r\n${p}\r\n`).join('\r\n')}\r\n--${bnd}--\r\n` };
}

/** The full raw message for one entry. */
export function compose(e) {
  const rnd = seeded(e.id);
  const lang = e.writeLang ?? e.lang ?? 'en';
  const c = e.client;
  const fromAddr = e.from[1];
  const domain = fromAddr.split('@')[1];
  const to = e.to ?? [['', OURS.privacy]];
  const charset = e.charset ?? 'utf-8';
  // Outlook and most clients encode headers in UTF-8 whatever the body's charset; old webmails do not.
  const hdrCharset = e.headerCharset ?? (c === 'webmail' && charset !== 'utf-8' ? charset : 'utf-8');
  const t = e.t;

  // --- the text as the client lays it out ---
  const origTo = e.quoteTo ?? fromAddr;
  const sentFrom = SENT_FROM[c] ? (SENT_FROM[c][lang] ?? SENT_FROM[c].en) : null;
  const pieces = [e.text.trim()];
  if (e.sig) pieces.push(c === 'thunderbird' || c === 'gmail' ? `-- \n${e.sig}` : e.sig);
  if (sentFrom && !e.noSentFrom) pieces.push(sentFrom);
  if (e.disclaimer) pieces.push(e.disclaimer);
  let own = pieces.join('\n\n');
  const quote = quotedText(e, lang, origTo);
  let plain = quote ? `${own}\n\n${quote}` : own;
  if (e.bottomPosted) plain = `${quote}\n\n${own}`; // written below the quote, as some people still do
  if (c === 'thunderbird') plain = flowed(plain);

  // --- html ---
  let html = null;
  if (!e.plainOnly && c !== 'iphone' && c !== 'thunderbird' && c !== 'form' || e.htmlOnly || e.withHtml) {
    let ownPieces = ownHtml(e, e.text.trim());
    if (e.sig) ownPieces += `\n<div><br></div><div>${paragraphsHtml(e.sig)}</div>`;
    if (sentFrom && !e.noSentFrom) ownPieces += `\n<div><br></div><div dir="ltr">${esc(sentFrom.replace(/<https?:[^>]+>/, ''))}</div>`;
    if (e.disclaimer) ownPieces += `\n<p style="font-size:8pt;color:#888888">${esc(e.disclaimer).replace(/\n/g, '<br>')}</p>`;
    html = htmlDocument(e, `${ownPieces}\n${quotedHtml(e, lang, origTo)}`);
  }
  if (e.html) html = e.html; // fully hand-written HTML

  const textCte = e.cte ?? (c === 'thunderbird' ? '8bit' : /^[\x00-\x7f]*$/.test(plain) ? '7bit' : 'quoted-printable');
  const htmlCte = e.htmlCte ?? (c === 'gmail' || c === 'gmail-android' ? (/^[\x00-\x7f]*$/.test(html ?? '') ? '7bit' : 'quoted-printable') : 'quoted-printable');
  const textType = c === 'thunderbird' ? 'text/plain; charset=UTF-8; format=flowed' : null;
  const textBody = e.uselessText ?? plain;
  const textPart = textType
    ? `Content-Type: ${textType.replace('UTF-8', charset.toUpperCase())}\r\nContent-Transfer-Encoding: ${textCte}\r\n\r\n${encodeBody(textBody, charset, textCte)}`
    : `${partHeaders('text/plain', charset, textCte)}\r\n\r\n${encodeBody(textBody, charset, textCte)}`;
  const htmlCharset = e.htmlCharset ?? charset;
  const htmlPart = html ? `${partHeaders('text/html', htmlCharset, htmlCte)}\r\n\r\n${encodeBody(html, htmlCharset, htmlCte)}` : null;

  let top; // { ct, body } or a single part
  if (e.htmlOnly) top = { single: htmlPart };
  else if (htmlPart) top = multipart('alternative', boundary(c, rnd), [textPart, htmlPart]);
  else top = { single: textPart };
  if (e.attachments?.length) {
    const inner = top.single ?? `Content-Type: ${top.ct}\r\n\r\n${top.body}`;
    top = multipart('mixed', boundary(c, rnd), [inner, ...e.attachments.map((a) => attachmentPart(a, rnd))]);
  }

  // --- headers, in the order the client writes them ---
  const h = [];
  const add = (k, v) => h.push(fold(`${k}: ${v}`));
  for (const line of e.trace ?? defaultTrace(e, rnd)) h.push(line);
  const fromHdr = mailbox(e.from[0], fromAddr, hdrCharset);
  const toHdr = to.map(([n, a]) => mailbox(n, a, hdrCharset)).join(', ');
  const subj = encWord(e.subject, hdrCharset, e.subjectB ? 'B' : 'Q');
  const mid = e.messageId ?? messageId(c, rnd, domain);
  const inReply = e.quote && !e.quote.forward ? (e.quote.messageId ?? `<nl-${e.id}.${Math.floor(rnd() * 1e6)}@shop.example>`) : null;
  if (c === 'outlook' || c === 'owa' || c === 'outlook-ios' || c === 'outlook-android') {
    add('From', fromHdr); add('To', toHdr);
    if (e.cc) add('CC', e.cc.map(([n, a]) => mailbox(n, a, hdrCharset)).join(', '));
    add('Subject', subj);
    add('Thread-Topic', encWord(e.subject.replace(/^(RE|AW|FW|WG|TR|R|RV|I): */i, ''), hdrCharset));
    add('Thread-Index', Buffer.from(Array.from({ length: 22 }, () => Math.floor(rnd() * 256))).toString('base64'));
    add('Date', rfcDate({ ...t, hh: t.hh - 1 }, '+0000')); // Exchange stamps UTC
    add('Message-ID', mid);
    if (inReply) { add('References', inReply); add('In-Reply-To', inReply); }
    add('Accept-Language', `${{ nl: 'nl-NL', en: 'en-GB', de: 'de-DE', fr: 'fr-FR', es: 'es-ES', it: 'it-IT' }[lang] ?? 'en-US'}, en-US`);
    add('Content-Language', { nl: 'nl-NL', en: 'en-GB', de: 'de-DE', fr: 'fr-FR', es: 'es-ES', it: 'it-IT' }[lang] ?? 'en-US');
    add('X-MS-Has-Attach', e.attachments?.length ? 'yes' : '');
    add('X-MS-TNEF-Correlator', '');
    if (c === 'outlook') add('X-Mailer', 'Microsoft Outlook 16.0');
  } else {
    if (c === 'gmail' || c === 'gmail-android') add('MIME-Version', '1.0');
    if (c === 'apple') add('Mime-Version', '1.0 (Mac OS X Mail 16.0 \\(3826.200.121\\))');
    if (c === 'iphone') add('Mime-Version', '1.0 (1.0)');
    add('Date', rfcDate(t, e.tz ?? '+0100'));
    if (inReply) { add('References', inReply); add('In-Reply-To', inReply); }
    add('Message-ID', mid);
    if (c === 'thunderbird') add('User-Agent', 'Mozilla Thunderbird');
    if (c === 'thunderbird') add('Content-Language', { nl: 'nl', en: 'en-GB', de: 'de-DE', fr: 'fr', es: 'es-ES', it: 'it' }[lang] ?? 'en-US');
    add('Subject', subj);
    add('From', fromHdr); add('To', toHdr);
    if (e.cc) add('Cc', e.cc.map(([n, a]) => mailbox(n, a, hdrCharset)).join(', '));
    if (c === 'apple') add('X-Mailer', 'Apple Mail (2.3826.200.121)');
    if (c === 'iphone') add('X-Mailer', 'iPhone Mail (22B91)');
    if (c === 'android') add('X-Mailer', 'Samsung Email/6.1');
    if (e.mailer) add('X-Mailer', e.mailer);
  }
  if (e.replyTo) add('Reply-To', e.replyTo);
  for (const [k, v] of e.headers ?? []) add(k, v);
  if (top.single) {
    const [ph, ...rest] = top.single.split('\r\n\r\n');
    h.push(...ph.split('\r\n'));
    if (!h.some((l) => /^mime-version/i.test(l))) h.push('MIME-Version: 1.0');
    return `${h.join('\r\n')}\r\n\r\n${rest.join('\r\n\r\n')}\r\n`;
  }
  h.push(`Content-Type: ${top.ct}`);
  if (!h.some((l) => /^mime-version/i.test(l))) h.push('MIME-Version: 1.0');
  return `${h.join('\r\n')}\r\n\r\n${top.body}`;
}

function defaultTrace(e, rnd) {
  const domain = e.from[1].split('@')[1];
  const mx = /outlook|hotmail|live/.test(domain) || /^outlook/.test(e.client) || e.client === 'owa'
    ? `${['EUR05', 'EUR02', 'EUR03'][Math.floor(rnd() * 3)]}-AM6-obe.outbound.protection.outlook.com`
    : domain === 'gmail.com' ? `mail-ej1-f${40 + Math.floor(rnd() * 20)}.google.com` : `smtp.${domain}`;
  const ip = `${40 + Math.floor(rnd() * 150)}.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}.${1 + Math.floor(rnd() * 250)}`;
  return [
    `Return-Path: <${e.envelopeFrom ?? e.from[1]}>`,
    `Delivered-To: ${OURS.privacy}`,
    `Received: from ${mx} (${mx} [${ip}])\r\n\tby mx1.shop.example (Postfix) with ESMTPS id ${Math.floor(rnd() * 0xffffffff).toString(16).toUpperCase()}\r\n\tfor <${OURS.privacy}>; ${rfcDate(e.t)}`,
  ];
}
