// Lays out a person's mail the way each mail client does: header order, Message-ID and boundary
// shapes, reply attribution and quoting, taglines, charset and transfer encoding.
import {
  CRLF, base64, charsetFor, encodeText, escapeHtml, flowed, header, later, leaf, linkify, mailbox, message, multipart,
  prng, rfcDate, unstructured,
} from './mime.mjs';
import {
  appleAttribution, gmailAttribution, gmxBlock, iphoneTag, outlookBlock, outlookMobileTag, oxBlock, samsungBlock,
  thunderbirdAttribution, yahooAttribution, NAMES,
} from './locale.mjs';

export const PRIVACY = 'privacy@shop.example';

// ---------- transport (what our MX and IMAP server add) ----------
const RELAYS = {
  'gmail.com': ['mail-{a}.google.com', 'gmail.com'],
  'googlemail.com': ['mail-{a}.google.com', 'googlemail.com'],
  'outlook.com': ['mail-{b}.outbound.protection.outlook.com', 'outlook.com'],
  'hotmail.com': ['mail-{b}.outbound.protection.outlook.com', 'hotmail.com'],
  'hotmail.nl': ['mail-{b}.outbound.protection.outlook.com', 'hotmail.nl'],
  'live.nl': ['mail-{b}.outbound.protection.outlook.com', 'live.nl'],
  'hotmail.fr': ['mail-{b}.outbound.protection.outlook.com', 'hotmail.fr'],
  'hotmail.it': ['mail-{b}.outbound.protection.outlook.com', 'hotmail.it'],
  'gmx.de': ['mout.gmx.net', 'gmx.de'], 'gmx.net': ['mout.gmx.net', 'gmx.net'], 'web.de': ['mout.web.de', 'web.de'],
  'icloud.com': ['qs51p00im-qukt{c}.me.com', 'icloud.com'], 'me.com': ['qs51p00im-qukt{c}.me.com', 'me.com'],
  'orange.fr': ['smtp-{d}.smtp.orange.fr', 'orange.fr'], 'wanadoo.fr': ['smtp-{d}.smtp.orange.fr', 'wanadoo.fr'],
  'libero.it': ['smtp-{d}.libero.it', 'libero.it'], 'yahoo.es': ['sonic{e}.consmr.mail.ir2.yahoo.com', 'yahoo.es'],
  'yahoo.com': ['sonic{e}.consmr.mail.bf2.yahoo.com', 'yahoo.com'], 'yahoo.it': ['sonic{e}.consmr.mail.ir2.yahoo.com', 'yahoo.it'],
  't-online.de': ['mailout{d}.t-online.de', 't-online.de'], 'kpnmail.nl': ['cpsmtpb-ews{d}.kpnxchange.com', 'kpnmail.nl'],
  'ziggo.nl': ['smtp-out-{d}.tb.mail.iss.as9143.net', 'ziggo.nl'], 'proton.me': ['mail-{d}.protonmail.ch', 'proton.me'],
  'telefonica.net': ['smtp{d}.movistar.es', 'telefonica.net'], 'tiscali.it': ['smtp{d}.tiscali.it', 'tiscali.it'],
  'free.fr': ['smtp{d}-g21.free.fr', 'free.fr'], 'bluewin.ch': ['mail{d}.bluewin.ch', 'bluewin.ch'], 'xs4all.nl': ['mail{d}.xs4all.nl', 'xs4all.nl'],
  'telenet.be': ['michel.telenet-ops.be', 'telenet.be'], 'btinternet.com': ['sa-prd-fep-{d}.btinternet.com', 'btinternet.com'],
};

/** Return-Path, our IMAP and MX Received lines and our MX's Authentication-Results. */
export function trace(rng, fromAddr, date, { envelope = fromAddr, auth = 'pass', relay, dkimDomain } = {}) {
  const domain = fromAddr.split('@')[1].toLowerCase();
  const [pattern, dflt] = RELAYS[domain] ?? [relay ?? (domain.split('.').length > 2 ? domain : `mail.${domain}`), domain];
  const host = (relay ?? pattern)
    .replace('{a}', `${rng.pick(['ej1', 'wm1', 'ed1', 'lj1', 'wr1'])}-f${rng.int(41, 199)}`)
    .replace('{b}', `${rng.pick(['am6eur05', 'db8eur05', 'vi1eur04', 'ams02', 'fra01'])}on${rng.int(2000, 2199)}`)
    .replace('{c}', String(rng.int(10100000, 10199999)))
    .replace('{d}', String(rng.int(10, 39)))
    .replace('{e}', `${rng.int(301, 330)}-${rng.int(10, 40)}`);
  const ip = `${rng.pick(['203.0.113', '198.51.100', '192.0.2'])}.${rng.int(2, 250)}`;
  const got = later(date, rng.int(0, 1));
  const dd = dkimDomain ?? dflt;
  const spf = envelope ? `smtp.mailfrom=${envelope}` : `smtp.helo=${host}`;
  const results = {
    pass: `dkim=pass (2048-bit key; unprotected) header.d=${dd} header.i=@${dd} header.b=${rng.alnum(8)}; spf=pass (mx.shop.example: domain of ${envelope || host} designates ${ip} as permitted sender) ${spf}; dmarc=pass (p=${domain === dd ? 'NONE' : 'QUARANTINE'} dis=NONE) header.from=${domain}`,
    none: `dkim=none; spf=neutral (mx.shop.example: ${ip} is neither permitted nor denied by domain of ${envelope || host}) ${spf}; dmarc=none header.from=${domain}`,
    fail: `dkim=fail reason="signature verification failed" header.d=${dd}; spf=softfail (mx.shop.example: domain of transitioning ${envelope} does not designate ${ip} as permitted sender) ${spf}; dmarc=fail (p=REJECT dis=NONE) header.from=${domain}`,
    local: `mx.shop.example; local`,
  };
  return [
    `Return-Path: <${envelope}>`,
    'Delivered-To: privacy@shop.example',
    header('Received', `from mx.shop.example ([192.0.2.25]) by imap.shop.example with LMTP id ${rng.alnum(22)} (envelope-from <${envelope}>) for <privacy@shop.example>; ${rfcDate(later(got, 0))}`),
    header('Received', `from ${host} (${host} [${ip}]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256) (No client certificate requested) by mx.shop.example (Postfix) with ESMTPS id 4${rng.upnum(10)} for <privacy@shop.example>; ${rfcDate(got, { zoneName: true })}`),
    ...(auth === 'skip' ? [] : [header('Authentication-Results', `mx.shop.example; ${results[auth] ?? results.pass}`)]),
  ];
}

// ---------- text helpers ----------
const quoteLines = (text) => text.split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n');
const htmlLines = (text, wrap = (l) => `<div>${l}</div>`) => text.split('\n').map((l) => (l ? wrap(linkify(escapeHtml(l))) : wrap('<br>'))).join('\n');
const person = (P) => [P.text, P.sig ?? null].filter(Boolean).join('\n\n');

/** The text a reply quotes: the original's text (with its footer). */
function quoted(P) {
  return P.quote?.msg.text ?? '';
}

function quotedHtml(P) {
  const m = P.quote?.msg;
  if (!m) return '';
  return m.html ?? htmlLines(m.text);
}

function refsHeaders(P) {
  const m = P.quote?.msg;
  if (!m?.messageId || P.quote.kind !== 'reply') return [];
  return [header('References', `<${m.messageId}>`), `In-Reply-To: <${m.messageId}>`];
}

/** Attachments: multipart/mixed around the body when the mail has any. */
function withAttachments(P, root, boundary, style = 'plain') {
  if (!P.attachments?.length) return root;
  const parts = [root, ...P.attachments.map((a) => {
    const disp = style === 'outlook'
      ? `attachment; filename="${a.name}"; size=${Buffer.byteLength(a.bytes, 'latin1')}; creation-date="${rfcDate(P.date)}"; modification-date="${rfcDate(P.date)}"`
      : `attachment; filename="${a.name}"`;
    const headers = style === 'outlook' ? [`Content-Description: ${a.name}`] : [];
    return leaf({ type: a.type, params: `; name="${a.name}"`, cte: 'base64', bytes: a.bytes, headers, disposition: disp });
  })];
  return multipart('mixed', boundary, parts, { preamble: style === 'thunderbird' ? 'This is a multi-part message in MIME format.' : '' });
}

function toList(P, style = 'plain') {
  const list = P.to ?? [['', PRIVACY]];
  return list.map(([n, a]) => (style === 'outlook' && !n ? `"${a}" <${a}>` : mailbox(n, a, { bare: style === 'bare' }))).join(', ');
}

// ---------- Gmail (web and Android) ----------
function gmail(P, rng) {
  const ui = P.ui;
  const id = `CA${rng.pick(['F', 'K', 'P', 'J', 'H', 'B'])}${rng.b64url(12).replace(/[-_]/g, 'x')}${rng.alnum(8)}+${rng.alnum(10)}=${rng.alnum(12)}@mail.gmail.com`;
  const bnd = `000000000000${rng.hex(16)}`;
  const dir = P.android ? 'auto' : 'ltr';
  let text = P.text;
  let html = `<div dir="${dir}">${htmlLines(P.text)}`;
  if (P.sig) {
    text += `\n\n-- \n${P.sig}`;
    html += `<br clear="all"><div><br></div><span class="gmail_signature_prefix">-- </span><br><div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div dir="ltr">${P.sig.split('\n').map((l) => escapeHtml(l)).join('<br>')}</div></div>`;
  }
  html += '</div>';
  const m = P.quote?.msg;
  if (m && P.quote.kind === 'reply') {
    const attr = gmailAttribution[ui](m.date, m.fromName, m.from);
    text += `\n\n${attr}\n\n${quoteLines(quoted(P))}`;
    html += `<br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">${escapeHtml(attr)}<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">${quotedHtml(P)}</blockquote></div>`;
  } else if (m) {
    const head = ui === 'nl' ? '---------- Doorgestuurd bericht ---------' : ui === 'de' ? '---------- Weitergeleitete Nachricht ---------' : ui === 'fr' ? '---------- Forwarded message ---------' : '---------- Forwarded message ---------';
    const vonLabel = { nl: 'Van', de: 'Von', fr: 'De', en: 'From', es: 'De', it: 'Da' }[ui];
    const dateLine = gmailAttribution[ui](m.date, '', '').replace(/^(Op|On|Am|Le|El|Il giorno) /, '').replace(/ (schreef|wrote|schrieb|a écrit|escribió|ha scritto).*$/, '').replace(/,? *\(?<?>?\)?$/, '').trim();
    const lines = [head, `${vonLabel}: ${m.fromName} <${m.from}>`, `Date: ${dateLine}`, `Subject: ${m.subject}`, `To: ${m.toName ? `${m.toName} <${m.to}>` : m.to}`];
    text += `\n\n${lines.join('\n')}\n\n\n${quoted(P)}`;
    html += `<br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">${lines.map((l) => escapeHtml(l)).join('<br>')}<br></div><br><br>${quotedHtml(P)}</div>`;
  }
  const ascii = /^[\x00-\x7f]*$/.test(text) && /^[\x00-\x7f]*$/.test(html);
  const tp = leaf({ type: 'text/plain', charset: 'UTF-8', cte: ascii ? null : 'quoted-printable', text: `${text}\n` });
  const hp = leaf({ type: 'text/html', charset: 'UTF-8', cte: 'quoted-printable', text: `${html}\n` });
  let root = multipart('alternative', bnd, [tp, hp]);
  root = withAttachments(P, root, `000000000000${rng.hex(16)}`);
  const top = [
    ...trace(rng, P.from[1], P.date, P.trace),
    header('DKIM-Signature', `v=1; a=rsa-sha256; c=relaxed/relaxed; d=${P.from[1].split('@')[1]}; s=20230601; t=${Math.floor(Date.UTC(P.date.y, P.date.mo - 1, P.date.d) / 1000)}; x=${Math.floor(Date.UTC(P.date.y, P.date.mo - 1, P.date.d) / 1000) + 604800}; darn=shop.example; h=to:subject:message-id:date:from:in-reply-to:references:mime-version:from:to:cc:subject:date:message-id:reply-to; bh=${rng.alnum(43)}=; b=${rng.alnum(64)}${rng.alnum(64)}${rng.alnum(64)}${rng.alnum(48)}==`),
    `X-Gm-Message-State: AOJu0Y${rng.alnum(50)}`,
    'MIME-Version: 1.0',
    ...refsHeaders(P),
    header('From', mailbox(P.from[0], P.from[1])),
    `Date: ${rfcDate(P.date)}`,
    `Message-ID: <${id}>`,
    header('Subject', unstructured(P.subject)),
    header('To', toList(P)),
    ...(P.cc ? [header('Cc', P.cc.map(([n, a]) => mailbox(n, a)).join(', '))] : []),
  ];
  return message(top, root);
}

// ---------- Outlook desktop (Exchange Online / on-premises) ----------
const WORD_STYLE = [
  '<style><!--', '/* Font Definitions */', '@font-face', '\t{font-family:"Cambria Math";', '\tpanose-1:2 4 5 3 5 4 6 3 2 4;}',
  '@font-face', '\t{font-family:Calibri;', '\tpanose-1:2 15 5 2 2 2 4 3 2 4;}', '@font-face', '\t{font-family:Aptos;}',
  '/* Style Definitions */', 'p.MsoNormal, li.MsoNormal, div.MsoNormal', '\t{margin:0cm;', '\tfont-size:12.0pt;', '\tfont-family:"Aptos",sans-serif;', '\tmso-ligatures:standardcontextual;', '\tmso-fareast-language:EN-US;}',
  'a:link, span.MsoHyperlink', '\t{mso-style-priority:99;', '\tcolor:#467886;', '\ttext-decoration:underline;}', 'span.E-mailStijl18', '\t{mso-style-type:personal-reply;', '\tfont-family:"Aptos",sans-serif;', '\tcolor:windowtext;}',
  '.MsoChpDefault', '\t{mso-style-type:export-only;', '\tfont-size:10.0pt;', '\tmso-ligatures:none;}', '@page WordSection1', '\t{size:612.0pt 792.0pt;', '\tmargin:72.0pt 72.0pt 72.0pt 72.0pt;}', 'div.WordSection1', '\t{page:WordSection1;}',
  '--></style><!--[if gte mso 9]><xml>', '<o:shapedefaults v:ext="edit" spidmax="1026" />', '</xml><![endif]--><!--[if gte mso 9]><xml>', '<o:shapelayout v:ext="edit">', '<o:idmap v:ext="edit" data="1" />', '</o:shapelayout></xml><![endif]-->',
].join('\n');

function wordParagraphs(text) {
  return text.split('\n').map((l) => (l
    ? `<p class="MsoNormal"><span style="font-size:11.0pt">${linkify(escapeHtml(l))}<o:p></o:p></span></p>`
    : '<p class="MsoNormal"><span style="font-size:11.0pt"><o:p>&nbsp;</o:p></span></p>')).join('\n');
}

function outlookIds(rng, P) {
  if (P.onPrem) {
    const host = P.onPrem;
    const local = rng.hex(32);
    return { id: `${local}@${host}`, bnd: `_000_${local}${host.replace(/[^A-Za-z0-9]/g, '')}_` };
  }
  const srv = `${rng.pick(['AM0PR07', 'DB9PR03', 'AS8PR04', 'PAXPR06', 'VI1PR08', 'GV1PR02'])}MB${rng.int(1000, 9999)}`;
  const region = rng.pick(['eurprd07', 'eurprd03', 'eurprd04', 'eurprd06', 'eurprd08']);
  const local = `${srv}${rng.HEX(32)}`;
  return { id: `${local}@${srv}.${region}.prod.outlook.com`, bnd: `_000_${local}${srv}${region}prodo_` };
}

function outlook(P, rng) {
  const ui = P.ui;
  const B = outlookBlock[ui];
  const { id, bnd } = outlookIds(rng, P);
  const body = [P.text, P.sig, P.disclaimer].filter(Boolean).join('\n\n');
  let text = body;
  let html = wordParagraphs(body);
  const m = P.quote?.msg;
  if (m) {
    const lines = [`${B.from} ${m.fromName} <${m.from}>`, `${B.sent} ${B.date(m.date)}`, `${B.to} ${m.toName ? `${m.toName} <${m.to}>` : m.to}`, ...(m.cc ? [`${B.cc} ${m.cc}`] : []), `${B.subject} ${m.subject}`];
    if (P.plainQuote) text += `\n\n${B.orig}\n${lines.join('\n')}\n\n${quoted(P)}`;
    else text += `\n\n${lines.join('\n')}\n\n${quoted(P)}`;
    const lang = { nl: 'NL', en: 'EN-GB', de: 'DE', fr: 'FR', es: 'ES', it: 'IT' }[ui];
    const sp = `<span lang="${lang}" style="font-size:11.0pt;font-family:&quot;Calibri&quot;,sans-serif">`;
    const hl = lines.map((l) => { const i = l.indexOf(':'); return `<b>${escapeHtml(l.slice(0, i + 1))}</b>${escapeHtml(l.slice(i + 1))}`; });
    html += `\n<p class="MsoNormal"><span style="font-size:11.0pt"><o:p>&nbsp;</o:p></span></p>\n<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">\n<p class="MsoNormal">${sp}${hl.join('<br>\n')}<o:p></o:p></span></p>\n</div>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n${quotedHtml(P)}`;
  }
  const preferred = P.charset ?? (/[\u2018\u2019\u201c\u201d\u2013\u2014\u20ac\u2026]/.test(text) ? 'windows-1252' : 'iso-8859-1');
  const cs = charsetFor(`${text}${html}`, preferred);
  const bodyLang = { nl: 'NL', en: 'EN-GB', de: 'DE', fr: 'FR', es: 'ES', it: 'IT' }[ui];
  const fullHtml = `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=${cs}">\n<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n${WORD_STYLE}\n</head>\n<body lang="${bodyLang}" link="#467886" vlink="#96607D" style="word-wrap:break-word">\n<div class="WordSection1">\n${html}\n</div>\n</body>\n</html>\n`;
  const csName = cs === 'windows-1252' ? 'Windows-1252' : cs;
  const tp = leaf({ type: 'text/plain', charset: csName, cte: 'quoted-printable', text: `${text}\n` });
  tp.body = qpOf(text, cs);
  let root;
  if (P.plainOnly) root = tp;
  else {
    const hp = leaf({ type: 'text/html', charset: csName, cte: 'quoted-printable', text: fullHtml });
    hp.body = qpOf(fullHtml, cs);
    root = multipart('alternative', bnd, [tp, hp]);
  }
  root = withAttachments(P, root, bnd.replace('_000_', '_004_'), 'outlook');
  const lang = { nl: 'nl-NL', en: 'en-GB', de: 'de-DE', fr: 'fr-FR', es: 'es-ES', it: 'it-IT' }[ui];
  const top = [
    ...trace(rng, P.from[1], P.date, { relay: P.onPrem ? `mail.${P.from[1].split('@')[1]}` : `mail-${rng.pick(['am6eur05', 'db8eur05', 'vi1eur04', 'fra01', 'mrs01'])}on${rng.int(2000, 2199)}.outbound.protection.outlook.com`, ...P.trace }),
    header('From', P.fromQuoted ? `"${P.from[0]}" <${P.from[1]}>` : mailbox(P.from[0], P.from[1], { charset: charsetFor(`${P.subject}${P.from[0]}`, 'iso-8859-1'), enc: 'Q' })),
    header('To', toList(P, 'outlook')),
    ...(P.cc ? [header('CC', P.cc.map(([n, a]) => mailbox(n, a)).join(', '))] : []),
    header('Subject', unstructured(P.subject, { charset: charsetFor(`${P.subject}${P.from[0]}`, 'iso-8859-1'), enc: 'Q' })),
    header('Thread-Topic', unstructured(P.subject.replace(/^(RE|AW|R|FW|WG|TR|RV|I) ?: /i, ''), { charset: charsetFor(`${P.subject}${P.from[0]}`, 'iso-8859-1'), enc: 'Q' })),
    `Thread-Index: AQH${rng.b64url(24).replace(/[-_]/g, 'A')}==`,
    `Date: ${rfcDate({ ...P.date, off: P.onPrem ? P.date.off : 0, ...utcOf(P.date, !P.onPrem) })}`,
    `Message-ID: <${id}>`,
    ...refsHeaders(P),
    `Accept-Language: ${lang}, en-US`,
    `Content-Language: ${lang}`,
    `X-MS-Has-Attach: ${P.attachments?.length ? 'yes' : ''}`,
    'X-MS-TNEF-Correlator:',
    ...(P.onPrem ? ['X-MS-Exchange-Organization-AuthAs: Internal', `x-originating-ip: [10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(2, 250)}]`] : [`x-ms-exchange-messagesentrepresentingtype: 1`]),
    'MIME-Version: 1.0',
  ];
  return message(top, root);
}

function qpOf(text, cs) {
  return leaf({ type: 'x', charset: cs, cte: 'quoted-printable', text }).body;
}

/** Exchange Online writes Date: in UTC (+0000). */
function utcOf(t, toUtc) {
  if (!toUtc) return t;
  const ms = Date.UTC(t.y, t.mo - 1, t.d, t.h, t.mi, t.s) - t.off * 60000;
  const u = new Date(ms);
  return { y: u.getUTCFullYear(), mo: u.getUTCMonth() + 1, d: u.getUTCDate(), h: u.getUTCHours(), mi: u.getUTCMinutes(), s: u.getUTCSeconds(), off: 0, wd: u.getUTCDay() };
}

// ---------- Outlook on the web / Outlook.com / Outlook mobile ----------
function owa(P, rng) {
  const ui = P.ui;
  const B = outlookBlock[ui];
  const srv = `${rng.pick(['AS8P194', 'DU0P191', 'PA4P189', 'AM9P192', 'GV1P250'])}MB${rng.int(1000, 9999)}`;
  const id = `${srv}${rng.HEX(32)}@${srv}.EURP${rng.int(189, 250)}.PROD.OUTLOOK.COM`;
  const bnd = `_000_${id.replace(/[@.]/g, '').slice(0, 60)}_`;
  const tag = P.mobile ? outlookMobileTag[ui] : null;
  let text = person(P);
  let inner = `<div class="elementToProof" style="font-family: Aptos, Aptos_EmbeddedFont, Aptos_MSFontService, Calibri, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">\n${htmlLines(person(P))}\n</div>`;
  if (tag) {
    text += `\n\n${tag[0]}<${tag[1]}>`;
    inner += `\n<div id="ms-outlook-mobile-body-separator-line" dir="auto"><br></div>\n<div id="ms-outlook-mobile-signature" dir="auto"><a href="${tag[1]}">${escapeHtml(tag[0])}</a></div>`;
  }
  const m = P.quote?.msg;
  if (m) {
    const lines = [`${B.from} ${m.fromName} <${m.from}>`, `${B.sent} ${B.date(m.date)}`, `${B.to} ${m.toName ? `${m.toName} <${m.to}>` : m.to}`, `${B.subject} ${m.subject}`];
    text += `\n\n________________________________\n${lines.join('\n')}\n\n${quoted(P)}`;
    inner += `\n<div id="appendonsend"></div>\n<hr style="display:inline-block;width:98%" tabindex="-1">\n<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">${lines.map((l) => { const i = l.indexOf(':'); return `<b>${escapeHtml(l.slice(0, i + 1))}</b>${escapeHtml(l.slice(i + 1))}`; }).join('<br>\n')}</font>\n<div>&nbsp;</div>\n</div>\n${quotedHtml(P)}`;
  }
  const html = `<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\n</head>\n<body dir="ltr">\n${inner}\n</body>\n</html>\n`;
  const cte = P.cte ?? 'base64';
  const parts = [];
  if (!P.htmlOnly) parts.push(leaf({ type: 'text/plain', charset: 'utf-8', cte, text: `${text}\n` }));
  parts.push(leaf({ type: 'text/html', charset: 'utf-8', cte, text: html }));
  let root = parts.length === 1 ? parts[0] : multipart('alternative', bnd, parts);
  root = withAttachments(P, root, bnd.replace('_000_', '_004_'), 'outlook');
  const lang = { nl: 'nl-NL', en: 'en-US', de: 'de-DE', fr: 'fr-FR', es: 'es-ES', it: 'it-IT' }[ui];
  const top = [
    ...trace(rng, P.from[1], P.date, P.trace),
    header('From', mailbox(P.from[0], P.from[1])),
    header('To', toList(P)),
    header('Subject', unstructured(P.subject)),
    header('Thread-Topic', unstructured(P.subject.replace(/^(RE|AW|R|FW|WG|TR|RV|I) ?: /i, ''))),
    `Thread-Index: AQH${rng.b64url(20).replace(/[-_]/g, 'Q')}==`,
    `Date: ${rfcDate(utcOf(P.date, true))}`,
    `Message-ID: <${id}>`,
    ...refsHeaders(P),
    `Accept-Language: ${lang}`,
    `Content-Language: ${lang}`,
    `X-MS-Has-Attach: ${P.attachments?.length ? 'yes' : ''}`,
    'X-MS-TNEF-Correlator:',
    'msip_labels:',
    'MIME-Version: 1.0',
  ];
  return message(top, root);
}

// ---------- Apple: iPhone and Mac ----------
function apple(P, rng) {
  const ui = P.ui;
  const uuid = rng.uuid();
  const mac = P.client === 'applemail';
  const tag = mac ? null : (P.tag === undefined ? iphoneTag[ui] : P.tag);
  const m = P.quote?.msg;
  let text = [P.text, P.sig, tag].filter(Boolean).join('\n\n');
  let html = `${htmlLines(P.text, (l) => `<div dir="ltr">${l}</div>`)}${P.sig ? `<div dir="ltr"><br></div>${htmlLines(P.sig, (l) => `<div dir="ltr">${l}</div>`)}` : ''}${tag ? `<div dir="ltr"><br></div><div dir="ltr">${escapeHtml(tag)}</div>` : ''}`;
  if (m && P.quote.kind === 'reply') {
    const attr = appleAttribution[ui](m.date, m.fromName, m.from);
    if (P.bottomPost) text = `${quoteLines(`${attr}\n\n${quoted(P)}`)}\n\n${text}`;
    else text += `\n\n${quoteLines(`${attr}\n\n${quoted(P)}`)}`;
    const q = `<div dir="ltr"><br><blockquote type="cite">${escapeHtml(attr)}<br><br></blockquote></div><blockquote type="cite"><div dir="ltr">${quotedHtml(P)}</div></blockquote>`;
    html = P.bottomPost ? `${q}${html}` : `${html}${q}`;
  } else if (m) {
    const fw = { nl: 'Begin doorgestuurd bericht:', en: 'Begin forwarded message:', de: 'Anfang der weitergeleiteten Nachricht:', fr: 'Début du message réexpédié :', es: 'Inicio del mensaje reenviado:', it: 'Inizio messaggio inoltrato:' }[ui];
    const lab = { nl: ['Van', 'Onderwerp', 'Datum', 'Aan'], en: ['From', 'Subject', 'Date', 'To'], de: ['Von', 'Betreff', 'Datum', 'An'], fr: ['De', 'Objet', 'Date', 'À'], es: ['De', 'Asunto', 'Fecha', 'Para'], it: ['Da', 'Oggetto', 'Data', 'A'] }[ui];
    const d = `${m.date.d} ${NAMES[ui].months[m.date.mo - 1]} ${m.date.y} om ${String(m.date.h).padStart(2, '0')}:${String(m.date.mi).padStart(2, '0')}:00 CET`;
    const lines = [`${lab[0]}: ${m.fromName} <${m.from}>`, `${lab[1]}: ${m.subject}`, `${lab[2]}: ${ui === 'nl' ? d : d.replace(' om ', ' ')}`, `${lab[3]}: ${m.to}`];
    text += `\n\n${fw}\n\n${quoteLines(`${lines.join('\n')}\n\n${quoted(P)}`)}`;
    html += `<div dir="ltr"><br><blockquote type="cite">${escapeHtml(fw)}<br><br></blockquote></div><blockquote type="cite"><div dir="ltr">${lines.map((l) => `<b>${escapeHtml(l.split(':')[0])}:</b>${escapeHtml(l.slice(l.indexOf(':') + 1))}`).join('<br>')}<br><br>${quotedHtml(P)}</div></blockquote>`;
  }
  const plain = !m && !P.attachments?.length && !P.html;
  const ascii = /^[\x00-\x7f]*$/.test(text);
  let root;
  const tp = leaf({ type: 'text/plain', charset: ascii ? 'us-ascii' : 'utf-8', cte: ascii ? '7bit' : 'quoted-printable', text: `${text}\n` });
  tp.headers[0] = tp.headers[0].replace(/charset="([^"]+)"/, 'charset=$1');
  if (plain) root = tp;
  else {
    const hp = leaf({ type: 'text/html', charset: 'utf-8', cte: 'quoted-printable', text: `<html${mac ? ' aria-label="message body"' : ''}><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto"${mac ? ' style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;"' : ''}>${html}</body></html>` });
    hp.headers[0] = hp.headers[0].replace(/charset="([^"]+)"/, 'charset=$1');
    const b = mac ? `Apple-Mail=_${uuid}` : `Apple-Mail-${rng.uuid()}`;
    root = multipart('alternative', b, [tp, hp], { quoteBoundary: mac });
    if (P.attachments?.length) root = withAttachments(P, root, mac ? `Apple-Mail=_${rng.uuid()}` : `Apple-Mail-${rng.uuid()}`);
  }
  const dom = P.from[1].split('@')[1];
  const ordered = mac
    ? [header('From', mailbox(P.from[0], P.from[1])), ...root.headers.splice(0), 'Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3826.500.181.1.5\\))', header('Subject', unstructured(P.subject)), `Date: ${rfcDate(P.date)}`, ...refsHeaders(P).reverse(), header('To', toList(P)), `Message-Id: <${uuid}@${dom}>`, 'X-Mailer: Apple Mail (2.3826.500.181.1.5)']
    : [...root.headers.splice(0), header('From', mailbox(P.from[0], P.from[1])), 'Mime-Version: 1.0 (1.0)', header('Subject', unstructured(P.subject)), `Date: ${rfcDate(P.date)}`, `Message-Id: <${uuid}@${dom}>`, ...refsHeaders(P), header('To', toList(P)), `X-Mailer: iPhone Mail (${rng.pick(['22B91', '22C152', '21H16', '22D72'])})`];
  return message([...trace(rng, P.from[1], P.date, P.trace), ...ordered], { headers: [], body: root.body });
}

// ---------- Thunderbird ----------
function thunderbird(P, rng) {
  const ui = P.ui;
  const m = P.quote?.msg;
  const sig = P.sig ? `-- \n${P.sig}` : '';
  let text = [P.text, sig].filter(Boolean).join('\n\n');
  let html = `${htmlLines(P.text, (l) => `<p>${l}</p>`)}${P.sig ? `\n<pre class="moz-signature" cols="72">-- \n${escapeHtml(P.sig)}</pre>` : ''}`;
  if (m) {
    const attr = thunderbirdAttribution[ui](m.date, m.fromName);
    const q = `${attr}\n${quoteLines(quoted(P))}`;
    text = P.bottomPost ? `${q}\n\n${P.text}${sig ? `\n\n${sig}` : ''}` : `${P.text}\n\n${q}${sig ? `\n\n${sig}` : ''}`;
    const qh = `<div class="moz-cite-prefix">${escapeHtml(attr)}<br></div>\n<blockquote type="cite" cite="mid:${m.messageId}">${quotedHtml(P)}</blockquote>`;
    html = P.bottomPost ? `${qh}\n${htmlLines(P.text, (l) => `<p>${l}</p>`)}` : `${htmlLines(P.text, (l) => `<p>${l}</p>`)}\n${qh}`;
  }
  const uuid = rng.uuid().toLowerCase();
  const dom = P.from[1].split('@')[1];
  const tbBoundary = () => `------------${rng.alnum(24)}`;
  const tp = leaf({ type: 'text/plain', charset: 'UTF-8', params: '; format=flowed', cte: '8bit', text: `${flowed(text)}\n` });
  tp.headers[0] = 'Content-Type: text/plain; charset=UTF-8; format=flowed';
  let root = tp;
  if (P.html) {
    const hp = leaf({ type: 'text/html', charset: 'UTF-8', cte: '8bit', text: `<!DOCTYPE html>\n<html>\n  <head>\n    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n  </head>\n  <body>\n${html}\n  </body>\n</html>\n` });
    hp.headers[0] = 'Content-Type: text/html; charset=UTF-8';
    root = multipart('alternative', tbBoundary(), [tp, hp], { preamble: P.attachments?.length ? '' : 'This is a multi-part message in MIME format.' });
  }
  root = withAttachments(P, root, tbBoundary(), 'thunderbird');
  const top = [
    ...trace(rng, P.from[1], P.date, P.trace),
    `Message-ID: <${uuid}@${dom}>`,
    `Date: ${rfcDate(P.date)}`,
    'MIME-Version: 1.0',
    `User-Agent: Mozilla Thunderbird`,
    header('Subject', unstructured(P.subject)),
    ...(m && P.quote.kind === 'reply' ? [header('References', `<${m.messageId}>`)] : []),
    `Content-Language: ${ui === 'en' ? 'en-GB' : ui === 'nl' ? 'nl' : `${ui}-${ui.toUpperCase()}`}`,
    header('To', toList(P)),
    header('From', mailbox(P.from[0], P.from[1])),
    ...(m && P.quote.kind === 'reply' ? [`In-Reply-To: <${m.messageId}>`] : []),
  ];
  return message(top, root);
}

// ---------- Samsung Email ----------
function samsung(P, rng) {
  const ui = P.ui;
  const S = samsungBlock[ui];
  const m = P.quote?.msg;
  let text = [P.text, P.sig].filter(Boolean).join('\n\n');
  let html = `<div dir="auto">${htmlLines([P.text, P.sig].filter(Boolean).join('\n\n'), (l) => `<div dir="auto">${l}</div>`)}</div>`;
  text += `\n\n\n\n${S.tag}`;
  html += `<div dir="auto"><br></div><div dir="auto"><br></div><div id="composer_signature" dir="auto"><div style="font-size:85%;color:#575757" dir="auto">${escapeHtml(S.tag)}</div></div>`;
  if (m) {
    const lines = [S.head, `${S.from} ${m.fromName} <${m.from}>`, `${S.date} ${S.d(m.date)}`, `${S.to} ${m.to}`, `${S.subject} ${m.subject}`];
    text += `\n\n${lines.join('\n')}\n\n${quoted(P)}`;
    html += `<div dir="auto"><br></div><div align="left" dir="auto" style="font-size:100%;color:#000000"><!-- originalMessage --><div>${lines.map(escapeHtml).join('</div><div>')}</div></div>${quotedHtml(P)}`;
  }
  const bnd = `--_com.samsung.android.email_${rng.int(100000000, 999999999)}${rng.int(100000, 999999)}`;
  const tp = leaf({ type: 'text/plain', charset: 'utf-8', cte: 'base64', text: text });
  const hp = leaf({ type: 'text/html', charset: 'utf-8', cte: 'base64', text: `<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body dir="auto">${html}</body></html>` });
  let root = multipart('alternative', bnd, [tp, hp]);
  root = withAttachments(P, root, `--_com.samsung.android.email_${rng.int(100000000, 999999999)}${rng.int(100000, 999999)}`);
  const top = [
    ...trace(rng, P.from[1], P.date, P.trace),
    `Message-ID: <${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}@email.android.com>`,
    `Date: ${rfcDate(P.date)}`,
    header('Subject', unstructured(P.subject)),
    ...(m && P.quote.kind === 'reply' ? [`In-Reply-To: <${m.messageId}>`] : []),
    header('From', mailbox(P.from[0], P.from[1])),
    header('To', toList(P, 'bare')),
    'MIME-Version: 1.0',
  ];
  return message(top, root);
}

// ---------- GMX / WEB.DE (HTML only) ----------
function gmx(P, rng) {
  const ui = P.ui;
  const m = P.quote?.msg;
  let html = `<html><head></head><body><div style="font-family: Verdana;font-size: 12.0px;">${htmlLines(person(P))}`;
  if (m) {
    const lines = gmxBlock[ui](m.date, m.fromName, m.from, m.to, m.subject);
    html += `\n<div>&nbsp;\n<div>&nbsp;\n<div name="quote" style="margin:10px 5px 5px 10px; padding: 10px 0 10px 10px; border-left:2px solid #C3D9E5; word-wrap: break-word; -webkit-nbsp-mode: space; -webkit-line-break: after-white-space;">\n<div style="margin:0 0 10px 0;">${lines.map((l) => { const i = l.indexOf(':'); return `<b>${escapeHtml(l.slice(0, i + 1))}</b>&nbsp;${escapeHtml(l.slice(i + 2))}`; }).join('<br/>\n')}</div>\n\n<div name="quoted-content">${quotedHtml(P)}</div>\n</div>\n</div>\n</div>`;
  }
  html += '</div></body></html>\n';
  const root = leaf({ type: 'text/html', charset: 'UTF-8', cte: 'quoted-printable', text: html });
  root.headers[0] = 'Content-Type: text/html; charset=UTF-8';
  const host = P.from[1].endsWith('web.de') ? 'web-de' : 'gmx';
  const top = [
    ...trace(rng, P.from[1], P.date, P.trace),
    'MIME-Version: 1.0',
    `Message-ID: <trinity-${rng.uuid().toLowerCase()}-${1795000000000 + rng.int(0, 99999999)}@3c-app-${host}-bap${rng.int(10, 70)}>`,
    header('From', mailbox(P.from[0], P.from[1], { quote: true })),
    header('To', toList(P)),
    header('Subject', unstructured(P.subject)),
    `Date: ${rfcDate(P.date)}`,
    ...refsHeaders(P),
    'Importance: normal',
    'Sensitivity: Normal',
    'X-Priority: 3',
    `X-Provags-ID: V03:K1:${rng.b64url(60).replace(/[-_]/g, '/')}`,
    'X-UI-Message-Type: mail',
  ];
  return message(top, root);
}

// ---------- Webmails on Open-Xchange and similar (Orange, KPN, Telekom, Libero, Telefónica) ----------
function ox(P, rng) {
  const ui = P.ui;
  const m = P.quote?.msg;
  let text = person(P);
  const cs = P.charset ?? 'UTF-8';
  let html = `<!doctype html>\n<html>\n <head>\n  <meta charset="${cs}">\n </head>\n <body>\n${htmlLines(person(P), (l) => `  <p>${l}</p>`)}`;
  if (m) {
    const lines = oxBlock[ui](m.date, m.fromName, m.from, m.to, m.subject);
    const isPrefixed = lines[0].startsWith('>');
    text += `\n\n${lines.join('\n')}\n${isPrefixed ? quoteLines(quoted(P)) : `\n${quoted(P)}`}`;
    html += `\n  <blockquote type="cite">\n   <p>${lines.map((l) => escapeHtml(l.replace(/^> ?/, ''))).join('<br>')}</p>\n   ${quotedHtml(P)}\n  </blockquote>`;
  }
  html += '\n </body>\n</html>\n';
  const bnd = `----=_Part_${rng.int(100000, 999999)}_${rng.int(100000000, 999999999)}.${1795000000000 + rng.int(0, 99999999)}`;
  const parts = [];
  if (!P.htmlOnly) parts.push(leaf({ type: 'text/plain', charset: cs, cte: 'quoted-printable', text: `${text}\n` }));
  parts.push(leaf({ type: 'text/html', charset: cs, cte: 'quoted-printable', text: html }));
  let root = parts.length === 1 ? parts[0] : multipart('alternative', bnd, parts);
  root = withAttachments(P, root, `----=_Part_${rng.int(100000, 999999)}_${rng.int(100000000, 999999999)}.${1795000000000 + rng.int(0, 99999999)}`);
  const host = P.mailerHost ?? `${P.from[1].split('@')[1]}`;
  const top = [
    ...trace(rng, P.from[1], P.date, P.trace),
    `Date: ${rfcDate(P.date)}`,
    header('From', mailbox(P.from[0], P.from[1])),
    header('To', toList(P)),
    `Message-ID: <${rng.int(100000000, 999999999)}.${rng.int(1000, 99999)}.${1795000000000 + rng.int(0, 99999999)}@${host}>`,
    ...refsHeaders(P),
    header('Subject', unstructured(P.subject)),
    'MIME-Version: 1.0',
    ...(P.mailer ? [`X-Mailer: ${P.mailer}`] : []),
    'X-Priority: 3',
    'Importance: Normal',
  ];
  return message(top, root);
}

// ---------- Yahoo Mail ----------
function yahoo(P, rng) {
  const ui = P.ui;
  const m = P.quote?.msg;
  const tagline = P.mobile ? { es: 'Enviado desde Yahoo Mail para Android', en: 'Sent from Yahoo Mail for iPhone', it: 'Inviato da Yahoo Mail su Android', fr: 'Envoyé depuis Yahoo Mail pour Android', de: 'Von Yahoo Mail auf Android gesendet', nl: 'Verzonden vanuit Yahoo Mail voor Android' }[ui] : null;
  let text = [person(P), tagline].filter(Boolean).join('\n\n');
  const yid = `ydp${rng.hex(8)}`;
  let html = `<html><head></head><body><div class="${yid}yahoo-style-wrap" style="font-family:Helvetica Neue, Helvetica, Arial, sans-serif;font-size:13px;">${htmlLines(person(P), (l) => `<div dir="ltr" data-setdir="false">${l}</div>`)}${tagline ? `<div id="ymail_android_signature"><a id="ymail_android_signature_link" href="https://mail.onelink.me/107872968?pid=nativeplacement&amp;c=Global_Acquisition_YMktg_315_Internal_EmailSignature&amp;af_sub1=Acquisition&amp;af_sub2=Global_YMktg&amp;af_sub3=&amp;af_sub4=100000604&amp;af_sub5=EmailSignature__Static_">${escapeHtml(tagline)}</a></div>` : ''}</div>`;
  if (m) {
    const attr = yahooAttribution[ui](m.date, m.fromName, m.from);
    text += `\n\n   ${attr}\n\n${quoted(P).split('\n').map((l) => (l ? ` ${l}` : '')).join('\n')}`;
    html += `<div id="yahoo_quoted_${rng.int(1000000000, 9999999999)}" class="yahoo_quoted">\n<div style="font-family:'Helvetica Neue', Helvetica, Arial, sans-serif;font-size:13px;color:#26282a;">\n<div>${escapeHtml(attr)}</div>\n<div><br></div>\n<div><br></div>\n<div>${quotedHtml(P)}</div>\n</div>\n</div>`;
  }
  html += '</body></html>';
  const bnd = `----=_Part_${rng.int(1000000, 9999999)}_${rng.int(100000000, 999999999)}.${1795000000000 + rng.int(0, 99999999)}`;
  let root = multipart('alternative', bnd, [
    leaf({ type: 'text/plain', charset: 'UTF-8', cte: 'quoted-printable', text: `${text}\n` }),
    leaf({ type: 'text/html', charset: 'UTF-8', cte: 'quoted-printable', text: html }),
  ]);
  root.headers[0] = `Content-Type: multipart/alternative; ${CRLF}\tboundary="${bnd}"`;
  root = withAttachments(P, root, bnd.replace('_Part_', '_Part_1'));
  const top = [
    ...trace(rng, P.from[1], P.date, P.trace),
    `Date: ${rfcDate(utcOf(P.date, true))}`,
    header('From', mailbox(P.from[0], P.from[1])),
    header('To', toList(P, 'bare')),
    `Message-ID: <${rng.int(1000000000, 2147483647)}.${rng.int(1000000, 9999999)}.${1795000000000 + rng.int(0, 99999999)}@mail.yahoo.com>`,
    ...refsHeaders(P),
    header('Subject', unstructured(P.subject)),
    'MIME-Version: 1.0',
    `X-Mailer: WebService/1.1.23187 ${P.mobile ? 'YahooMailAndroidMobile' : 'YMailNorrin'}`,
  ];
  return message(top, root);
}

// ---------- Proton Mail ----------
function proton(P, rng) {
  const m = P.quote?.msg;
  let text = `${person(P)}\n\nSent with Proton Mail secure email.`;
  let html = `<div style="font-family: Arial, sans-serif; font-size: 14px;">${htmlLines(person(P))}</div><div style="font-family: Arial, sans-serif; font-size: 14px;"><br></div>\n<div class="protonmail_signature_block" style="font-family: Arial, sans-serif; font-size: 14px;">\n    <div class="protonmail_signature_block-proton">\n        Sent with <a target="_blank" href="https://proton.me/mail/home">Proton Mail</a> secure email.\n    </div>\n</div>`;
  if (m) {
    const d = m.date;
    const ord = d.d === 1 || d.d === 21 || d.d === 31 ? 'st' : d.d === 2 || d.d === 22 ? 'nd' : d.d === 3 || d.d === 23 ? 'rd' : 'th';
    const attr = `On ${NAMES.en.days[d.wd]}, ${NAMES.en.months[d.mo - 1]} ${d.d}${ord}, ${d.y} at ${String(d.h).padStart(2, '0')}:${String(d.mi).padStart(2, '0')}, ${m.fromName} <${m.from}> wrote:`;
    text += `\n\n${attr}\n\n${quoteLines(quoted(P))}`;
    html += `\n<div class="protonmail_quote">\n        ${escapeHtml(attr)}<br><br>\n        <blockquote class="protonmail_quote" type="cite">\n            ${quotedHtml(P)}\n        </blockquote><br>\n    </div>`;
  }
  const bnd = `b1=_${rng.alnum(43)}`;
  const root = multipart('alternative', bnd, [
    leaf({ type: 'text/plain', charset: 'utf-8', cte: 'base64', text: `${text}\n` }),
    leaf({ type: 'text/html', charset: 'utf-8', cte: 'base64', text: html }),
  ]);
  root.headers[0] = `Content-Type: multipart/alternative;${CRLF} boundary="${bnd}"`;
  const top = [
    ...trace(rng, P.from[1], P.date, P.trace),
    `Date: ${rfcDate(utcOf(P.date, true))}`,
    header('To', toList(P, 'bare')),
    header('From', mailbox(P.from[0], P.from[1])),
    header('Subject', unstructured(P.subject)),
    `Message-ID: <${rng.b64url(43).replace(/[-_]/g, 'x')}=@proton.me>`,
    ...refsHeaders(P),
    `Feedback-ID: ${rng.alnum(20)}==:Ext:ProtonMail`,
    'X-Pm-Message-ID: ' + rng.b64url(30).replace(/[-_]/g, 'Z'),
    'MIME-Version: 1.0',
  ];
  return message(top, root);
}

// ---------- our own website's contact form ----------
function form(P, rng) {
  const root = leaf({ type: 'text/plain', charset: 'UTF-8', cte: P.cte ?? '8bit', text: `${P.text}\n` });
  root.headers[0] = 'Content-Type: text/plain; charset=UTF-8';
  const top = [
    `Return-Path: <${P.from[1]}>`,
    'Delivered-To: privacy@shop.example',
    header('Received', `from mx.shop.example ([192.0.2.25]) by imap.shop.example with LMTP id ${rng.alnum(22)} (envelope-from <${P.from[1]}>) for <privacy@shop.example>; ${rfcDate(P.date)}`),
    header('Received', `from www.shop.example (www.shop.example [192.0.2.80]) by mx.shop.example (Postfix) with ESMTPS id 4${rng.upnum(10)} for <privacy@shop.example>; ${rfcDate(P.date, { zoneName: true })}`),
    header('Authentication-Results', 'mx.shop.example; dkim=pass header.d=shop.example; spf=pass smtp.mailfrom=shop.example; dmarc=pass header.from=shop.example'),
    `Date: ${rfcDate(P.date)}`,
    header('To', toList(P)),
    header('From', mailbox(P.from[0], P.from[1])),
    ...(P.replyTo ? [header('Reply-To', mailbox(P.replyTo[0], P.replyTo[1]))] : []),
    header('Subject', unstructured(P.subject)),
    `Message-ID: <${rng.alnum(43)}@www.shop.example>`,
    `X-Mailer: ${P.mailer ?? 'PHPMailer 6.9.1 (https://github.com/PHPMailer/PHPMailer)'}`,
    'MIME-Version: 1.0',
  ];
  return message(top, root);
}

const CLIENTS = { gmail, outlook, owa, iphone: apple, applemail: apple, thunderbird, samsung, gmx, ox, yahoo, proton, form };

/** Renders a person's mail spec into a byte string (latin1). */
export function renderPerson(P) {
  const rng = prng(P.file);
  const fn = CLIENTS[P.client];
  if (!fn) throw new Error(`${P.file}: unknown client ${P.client}`);
  return fn({ ui: P.label.language ?? 'en', ...P }, rng);
}

export { encodeText, base64 };
