// Machine-written mail: out-of-office replies (with and without their headers), delivery status
// notifications (RFC 3464 and the plain-text formats of qmail, Exim and Yahoo), ARF spam
// complaints (RFC 5965). Raw, as the sending software writes them.
import { nl, at } from './people.mjs';
import { OURS, rfcDate, tokenLike, unsubscribeUrl, encWord, b64, encodeCharset, seeded } from './render.mjs';

const NO_LANG = null;
// No answer is ever written to an auto-reply, so its language is not scored.
const ar = (why, extra = {}) => ({ intent: 'auto_reply', address: null, language: null, mustNotAct: true, category: 'auto_reply', why, ...extra });

/** Our newsletter as it left us: the original a bounce or a complaint carries. */
function ourOriginal(seed, to, lang = 'nl', { headersOnly = false, redactTo = null } = {}) {
  const n = nl(lang, seed, '');
  const tok = tokenLike(seed);
  const mid = `<nl-2026w48.${seed.replace(/[^a-z0-9]/gi, '')}@shop.example>`;
  const head = [
    `Return-Path: <bounces+${seed.replace(/[^a-z0-9]/gi, '')}@shop.example>`,
    `Date: ${rfcDate(at(20, 9, 30))}`,
    `From: De Winkel <${OURS.news}>`,
    `To: ${redactTo ?? to}`,
    `Subject: ${encWord(n.subject)}`,
    `Message-ID: ${mid}`,
    `List-Unsubscribe: <${unsubscribeUrl(seed)}>,`,
    ` <mailto:${OURS.privacy}?subject=unsubscribe%20${encodeURIComponent(tok)}>`,
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
  ].join('\r\n');
  if (headersOnly) return { head, mid };
  const body = n.text.replace(/€/g, '=E2=82=AC').replace(/·/g, '=C2=B7').replace(/\n/g, '\r\n');
  return { head, body, mid, raw: `${head}\r\n\r\n${body}\r\n` };
}

function raw(headers, body) {
  return `${headers.filter(Boolean).join('\r\n')}\r\n\r\n${body}`;
}
function report(type, bnd, parts) {
  return { ct: `multipart/report; report-type=${type};\r\n\tboundary="${bnd}"`, body: `This is a MIME-encapsulated message.\r\n\r\n${parts.map((p) => `--${bnd}\r\n${p}\r\n`).join('\r\n')}--${bnd}--\r\n` };
}
const trace = (host, ip, t) => [`Return-Path: <>`, `Delivered-To: ${OURS.privacy}`, `Received: from ${host} (${host} [${ip}])\r\n\tby mx1.shop.example (Postfix) with ESMTPS id 4ZQ${ip.replace(/\./g, '')}\r\n\tfor <${OURS.privacy}>; ${rfcDate(t)}`];

function autoReply(id, lang, from, subject, text, { headers = [], t, quoteNewsletter = false, mailer, html = false } = {}, label) {
  return {
    id, lang, label, raw: (() => {
      const tt = t ?? at(20, 9, 31 + (id.length % 20));
      let body = text;
      if (quoteNewsletter) body += `\n\n${nl(lang, id, '').text.split('\n').map((l) => `> ${l}`).join('\n')}`;
      const buf = encodeCharset(body.replace(/\n/g, '\r\n'), 'utf-8');
      const h = [
        ...trace(`smtp.${from[1].split('@')[1]}`, `145.${id.length}.12.${10 + id.length}`, tt),
        `From: ${/^[\x20-\x7e]*$/.test(from[0]) ? from[0] : encWord(from[0])} <${from[1]}>`,
        `To: De Winkel <${OURS.privacy}>`,
        `Subject: ${encWord(subject)}`,
        `Date: ${rfcDate(tt)}`,
        `Message-ID: <${seeded(id)().toString(36).slice(2)}.${id}@${from[1].split('@')[1]}>`,
        `In-Reply-To: <nl-2026w48.${id.replace(/[^a-z0-9]/gi, '')}@shop.example>`,
        ...headers.map(([k, v]) => `${k}: ${v}`),
        mailer ? `X-Mailer: ${mailer}` : null,
        'MIME-Version: 1.0',
        html ? 'Content-Type: text/html; charset="utf-8"' : 'Content-Type: text/plain; charset="utf-8"',
        'Content-Transfer-Encoding: base64',
      ];
      const content = html ? encodeCharset(`<html><body>${body.split('\n\n').map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`).join('')}</body></html>`, 'utf-8') : buf;
      return raw(h, `${b64(content)}\r\n`);
    })(),
  };
}

const EXCH = [['Auto-Submitted', 'auto-generated'], ['X-Auto-Response-Suppress', 'All'], ['X-MS-Exchange-Inbox-Rules-Loop', 'placeholder'], ['Thread-Topic', 'placeholder']];
const exch = (addr, subj) => EXCH.map(([k, v]) => [k, k === 'X-MS-Exchange-Inbox-Rules-Loop' ? addr : k === 'Thread-Topic' ? encWord(subj) : v]);

export const machine = [
  // ------------------------------------------------------------------ out of office
  autoReply('ooo-nl-01', 'nl', ['Bram Willems', 'bram.willems@bouwbedrijfwillems.nl'], 'Automatisch antwoord: Winterdeals: 20% korting op sokken 🧦',
    'Beste relatie,\n\nIk ben afwezig tot en met woensdag 2 december. Uw e-mail wordt niet doorgestuurd. Voor dringende zaken kunt u contact opnemen met ons kantoor via 073 - 656 12 34 of info@bouwbedrijfwillems.nl.\n\nMet vriendelijke groet,\nBram Willems', { headers: exch('bram.willems@bouwbedrijfwillems.nl', 'Winterdeals: 20% korting op sokken 🧦') },
    ar('Exchange out-of-office with Auto-Submitted and X-Auto-Response-Suppress')),
  autoReply('ooo-nl-02', 'nl', ['Ingrid Post', 'ingrid.post@zorggroep-oost.example.nl'], 'Afwezigheidsmelding',
    'Bedankt voor uw bericht. Ik ben momenteel afwezig en lees mijn e-mail niet. Vanaf maandag 30 november ben ik weer bereikbaar.\n\nIngrid Post', {},
    ar('"Afwezigheidsmelding" without any auto-reply header')),
  autoReply('ooo-nl-03', 'nl', ['Thijs', 'thijs.vermeer@outlook.com'], 'Afwezig: Winterdeals: 20% korting op sokken 🧦',
    'Ik ben op vakantie tot 4 december en heb beperkt toegang tot mijn mail.', { headers: [['X-Auto-Response-Suppress', 'All']] },
    ar('only X-Auto-Response-Suppress, no Auto-Submitted')),
  autoReply('ooo-nl-04', 'nl', ['Klantenservice Tuinhuis', 'service@tuinhuis-direct.example.nl'], '[#48213] Uw bericht is ontvangen',
    'Beste klant,\n\nBedankt voor uw e-mail. Wij hebben uw bericht ontvangen onder ticketnummer #48213 en reageren binnen 2 werkdagen.\n\nWilt u geen berichten meer van ons ontvangen? Afmelden kan via https://tuinhuis-direct.example.nl/afmelden\n\nTeam Tuinhuis Direct', { headers: [['X-Autoreply', 'yes']], mailer: 'Zendesk' },
    ar('ticket system auto-acknowledgement with its own Afmelden footer; only X-Autoreply')),
  autoReply('ooo-nl-05', 'nl', ['Gerda Visser', 'gerda.visser@ziggo.nl'], 'Dit adres wordt niet meer gelezen',
    'Dit e-mailadres is niet meer in gebruik en wordt niet gelezen. Mijn nieuwe adres is gerda.visser@kpnmail.nl. Pas uw adresboek aan a.u.b.', { quoteNewsletter: true },
    ar('automatic "address no longer read" notice; quotes the newsletter with its Afmelden footer', { alsoAccept: ['unsubscribe'], mustNotAct: false })),
  autoReply('ooo-en-01', 'en', ['Chris Holt', 'chris.holt@holt-partners.co.uk'], 'I\'m away',
    'Hi,\n\nI\'m away until Monday 30 November with limited access to email. For anything urgent please contact my colleague sarah@holt-partners.co.uk.\n\nChris', {},
    ar('"I\'m away" without any auto-reply header')),
  autoReply('ooo-en-02', 'en', ['Megan Ross', 'megan.ross@gmail.com'], 'Out of Office',
    'I am out of the office until 1 December. I will respond to your message when I return.', { headers: [['Auto-Submitted', 'auto-replied'], ['Precedence', 'bulk']] },
    ar('Gmail vacation responder (Auto-Submitted: auto-replied)')),
  autoReply('ooo-en-03', 'en', ['Williams, Gareth', 'gareth.williams@cardiff-accountants.co.uk'], 'Automatic reply: Winter deals: 20% off socks 🧦',
    'Thank you for your email. I am currently on annual leave, returning on 3rd December. If your matter is urgent please contact the office on 029 2018 0000.\n\nIf you would like to be removed from our client mailing list, please reply with REMOVE in the subject line.', { headers: exch('gareth.williams@cardiff-accountants.co.uk', 'Winter deals: 20% off socks 🧦') },
    ar('Exchange OOF whose own text offers "reply with REMOVE"')),
  autoReply('ooo-en-04', 'en', ['Acme Corp', 'd.fraser@acme-widgets.example.com'], 'Left the company',
    'Dan Fraser has left Acme Widgets. This mailbox is no longer monitored. Please remove this address from your mailing list and direct enquiries to info@acme-widgets.example.com.', { headers: [['Auto-Submitted', 'auto-replied']] },
    ar('automatic "left the company" notice asking to remove the address; unsubscribing the dead mailbox would do no harm', { alsoAccept: ['unsubscribe'], mustNotAct: false })),
  autoReply('ooo-de-01', 'de', ['Sabine Lorenz', 'sabine.lorenz@lorenz-kanzlei.de'], 'Abwesenheitsnotiz: Winterangebote: 20 % auf Socken 🧦',
    'Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 4. Dezember nicht im Büro. Ihre E-Mail wird nicht weitergeleitet. In dringenden Fällen wenden Sie sich bitte an sekretariat@lorenz-kanzlei.de.', { headers: exch('sabine.lorenz@lorenz-kanzlei.de', 'Winterangebote: 20 % auf Socken 🧦') },
    ar('German Exchange "Abwesenheitsnotiz" with headers')),
  autoReply('ooo-de-02', 'de', ['Uwe Krüger', 'uwe.krueger@web.de'], 'Abwesenheitsnotiz',
    'Hallo,\n\nich bin bis zum 2.12. im Urlaub und lese keine E-Mails. Ab dem 3.12. bin ich wieder erreichbar.\n\nGruß Uwe', {},
    ar('"Abwesenheitsnotiz" without headers')),
  autoReply('ooo-fr-01', 'fr', ['Céline Robert', 'celine.robert@robert-avocats.fr'], 'Réponse automatique : Offres d\'hiver : -20 % sur les chaussettes 🧦',
    'Bonjour,\n\nJe suis absente du bureau jusqu\'au 1er décembre inclus. Pour toute urgence, merci de contacter le secrétariat au 01 42 00 00 00.\n\nCordialement,\nCéline Robert', { headers: exch('celine.robert@robert-avocats.fr', 'Offres d\'hiver : -20 % sur les chaussettes 🧦') },
    ar('French Exchange OOF')),
  autoReply('ooo-fr-02', 'fr', ['Vincent', 'vincent.michel@free.fr'], 'Absence',
    'Je suis en congés jusqu\'au 30 novembre, je lirai votre message à mon retour.', {},
    ar('French "Absence" without headers')),
  autoReply('ooo-es-01', 'es', ['Carmen Díaz', 'carmen.diaz@diaz-asesores.es'], 'Respuesta automática: Ofertas de invierno: 20 % en calcetines 🧦',
    'Gracias por su mensaje. Estaré fuera de la oficina hasta el 2 de diciembre. Para asuntos urgentes, contacte con info@diaz-asesores.es.', { headers: exch('carmen.diaz@diaz-asesores.es', 'Ofertas de invierno: 20 % en calcetines 🧦') },
    ar('Spanish Exchange OOF')),
  autoReply('ooo-it-01', 'it', ['Davide Gallo', 'davide.gallo@gallo-impianti.it'], 'Risposta automatica: Offerte invernali: 20% sulle calze 🧦',
    'Grazie per il messaggio. Sarò fuori ufficio fino al 1° dicembre con accesso limitato alla posta.', { headers: exch('davide.gallo@gallo-impianti.it', 'Offerte invernali: 20% sulle calze 🧦') },
    ar('Italian Exchange OOF')),
  autoReply('ooo-it-02', 'it', ['Elisa', 'elisa.fontana@libero.it'], 'Fuori sede',
    'Sono fuori sede fino a lunedì. Risponderò al mio rientro.', { html: true },
    ar('Italian "Fuori sede" without headers, HTML-only')),
];

// ------------------------------------------------------------------ DSN bounces
function dsn(id, { host, ip, from, subject, human, humanHtml, recipient, status, diag, action = 'failed', remote, headersOnly = false }) {
  const t = at(20, 9, 33 + (id.length % 20));
  const orig = ourOriginal(id, recipient, 'nl', { headersOnly });
  const bnd = `${id.toUpperCase().replace(/-/g, '')}.1732093${id.length}/${host}`;
  const parts = [];
  if (humanHtml) {
    const ab = `b_${id}_alt`;
    parts.push(`Content-Type: multipart/alternative; differences=Content-Type;\r\n\tboundary="${ab}"\r\n\r\n--${ab}\r\nContent-Type: text/plain; charset="us-ascii"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${human}\r\n\r\n--${ab}\r\nContent-Type: text/html; charset="us-ascii"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${humanHtml.replace(/=/g, '=3D')}\r\n\r\n--${ab}--`);
  } else parts.push(`Content-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n${human}`);
  parts.push(`Content-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; ${host}\r\nX-Postfix-Queue-ID: 4ZQ${id.length}K1x2Hz\r\nArrival-Date: ${rfcDate(at(20, 9, 30))}\r\n\r\nFinal-Recipient: rfc822; ${recipient}\r\nOriginal-Recipient: rfc822;${recipient}\r\nAction: ${action}\r\nStatus: ${status}\r\n${remote ? `Remote-MTA: dns; ${remote}\r\n` : ''}Diagnostic-Code: smtp; ${diag}`);
  parts.push(headersOnly
    ? `Content-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\n\r\n${orig.head}`
    : `Content-Description: Undelivered Message\r\nContent-Type: message/rfc822\r\n\r\n${orig.raw}`);
  const r = report('delivery-status', bnd, parts);
  return {
    id, lang: null,
    label: { intent: 'bounce', address: recipient, language: NO_LANG, mustNotAct: true, category: 'bounce', why: `DSN from ${host}: ${status} for ${recipient}` },
    raw: raw([...trace(host, ip, t), `From: ${from}`, `To: ${OURS.privacy}`, `Subject: ${subject}`, `Date: ${rfcDate(t)}`, `Message-ID: <${id}.${t.d}${t.mm}@${host}>`, 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0', `Content-Type: ${r.ct}`], r.body),
  };
}
function plainBounce(id, { host, ip, from, subject, body, recipient, why }) {
  const t = at(20, 9, 40 + (id.length % 15));
  const orig = ourOriginal(id, recipient, 'nl');
  return {
    id, lang: null,
    label: { intent: 'bounce', address: recipient, language: NO_LANG, mustNotAct: true, category: 'bounce', why },
    raw: raw([...trace(host, ip, t), `From: ${from}`, `To: ${OURS.privacy}`, `Subject: ${subject}`, `Date: ${rfcDate(t)}`, `Message-ID: <${id}.${t.mm}@${host}>`], `${body.replace(/\n/g, '\r\n')}\r\n\r\n${orig.raw}`),
  };
}

export const bounces = [
  dsn('dsn-postfix-01', { host: 'mail.ziggo.nl', ip: '212.54.42.168', from: 'MAILER-DAEMON@mail.ziggo.nl (Mail Delivery System)', subject: 'Undelivered Mail Returned to Sender', recipient: 'g.vanderlinden@ziggo.nl', status: '5.1.1', diag: '550 5.1.1 <g.vanderlinden@ziggo.nl>: Recipient address rejected: User unknown in virtual mailbox table', remote: 'mx.ziggo.nl',
    human: 'This is the mail system at host mail.ziggo.nl.\r\n\r\nI\'m sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients. It\'s attached below.\r\n\r\nFor further assistance, please send mail to postmaster.\r\n\r\nIf you do so, please include this problem report. You can\r\ndelete your own text from the attached returned message.\r\n\r\n                   The mail system\r\n\r\n<g.vanderlinden@ziggo.nl>: host mx.ziggo.nl[212.54.42.10] said: 550 5.1.1\r\n    <g.vanderlinden@ziggo.nl>: Recipient address rejected: User unknown in\r\n    virtual mailbox table (in reply to RCPT TO command)' }),
  dsn('dsn-exchange-01', { host: 'AM6PR07MB5765.eurprd07.prod.outlook.com', ip: '40.92.66.14', from: 'Microsoft Outlook <postmaster@outlook.com>', subject: 'Undeliverable: Winterdeals: 20% korting op sokken', recipient: 'kim.de.wit@outlook.com', status: '5.5.0', diag: '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302)',
    human: 'Your message to kim.de.wit@outlook.com couldn\'t be delivered.\r\n\r\nkim.de.wit wasn\'t found at outlook.com.\r\n\r\nDe Winkel    Office 365    kim.de.wit\r\nAction Required                Recipient\r\n\r\nUnknown To address',
    humanHtml: '<html><body><p>Your message to <a href="mailto:kim.de.wit@outlook.com">kim.de.wit@outlook.com</a> couldn\'t be delivered.</p><p><b>kim.de.wit</b> wasn\'t found at outlook.com.</p></body></html>' }),
  dsn('dsn-gmail-01', { host: 'mx.google.com', ip: '209.85.220.41', from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>', subject: 'Delivery Status Notification (Failure)', recipient: 'sannevdberg1991@gmail.com', status: '5.1.1', diag: '550-5.1.1 The email account that you tried to reach does not exist.', remote: 'gmail-smtp-in.l.google.com',
    human: '\r\n** Address not found **\r\n\r\nYour message wasn\'t delivered to sannevdberg1991@gmail.com because the address couldn\'t be found, or is unable to receive mail.\r\n\r\nLearn more here: https://support.google.com/mail/?p=NoSuchUser\r\n\r\nThe response was:\r\n\r\n550 5.1.1 The email account that you tried to reach does not exist.' }),
  dsn('dsn-postfix-02', { host: 'smtp.kpnmail.nl', ip: '195.121.94.167', from: 'MAILER-DAEMON@kpnmail.nl (Mail Delivery System)', subject: 'Undelivered Mail Returned to Sender', recipient: 'h.de.groot@kpnmail.nl', status: '5.2.2', diag: '552 5.2.2 Mailbox full', remote: 'mx.kpnmail.nl',
    human: 'This is the mail system at host smtp.kpnmail.nl.\r\n\r\nI\'m sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients.\r\n\r\n<h.de.groot@kpnmail.nl>: host mx.kpnmail.nl said: 552 5.2.2 Mailbox full', headersOnly: true }),
  dsn('dsn-exchange-nl-01', { host: 'VI1PR03MB4112.eurprd03.prod.outlook.com', ip: '40.107.6.71', from: 'Postmaster <postmaster@gemeente-voorbeeld.example.nl>', subject: encWord('Onbestelbaar: Winterdeals: 20% korting op sokken 🧦'), recipient: 'p.smits@gemeente-voorbeeld.example.nl', status: '5.1.10', diag: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    human: 'Bezorging is mislukt voor deze ontvangers of groepen:\r\n\r\np.smits@gemeente-voorbeeld.example.nl\r\nHet e-mailadres dat u hebt ingevoerd, is niet gevonden. Controleer het e-mailadres van de ontvanger en probeer het bericht opnieuw te verzenden.',
    humanHtml: '<html><body><p>Bezorging is mislukt voor deze ontvangers of groepen:</p><p><a href="mailto:p.smits@gemeente-voorbeeld.example.nl">p.smits@gemeente-voorbeeld.example.nl</a><br>Het e-mailadres dat u hebt ingevoerd, is niet gevonden.</p></body></html>' }),
  dsn('dsn-sendmail-01', { host: 'mail.uni-example.de', ip: '141.2.22.5', from: 'Mail Delivery Subsystem <MAILER-DAEMON@mail.uni-example.de>', subject: 'Returned mail: see transcript for details', recipient: 'j.becker@uni-example.de', status: '5.1.1', diag: '550 5.1.1 <j.becker@uni-example.de>... User unknown',
    human: 'The original message was received at Fri, 20 Nov 2026 09:30:04 +0100\r\nfrom mx1.shop.example [203.0.113.25]\r\n\r\n   ----- The following addresses had permanent fatal errors -----\r\n<j.becker@uni-example.de>\r\n    (reason: 550 5.1.1 <j.becker@uni-example.de>... User unknown)', headersOnly: true }),
  plainBounce('dsn-qmail-01', { host: 'mail.hetnet.example.nl', ip: '194.151.1.20', from: 'MAILER-DAEMON@mail.hetnet.example.nl', subject: 'failure notice', recipient: 'a.visser@hetnet.example.nl', why: 'qmail plain-text bounce (not RFC 3464)',
    body: 'Hi. This is the qmail-send program at mail.hetnet.example.nl.\nI\'m afraid I wasn\'t able to deliver your message to the following addresses.\nThis is a permanent error; I\'ve given up. Sorry it didn\'t work out.\n\n<a.visser@hetnet.example.nl>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n--- Below this line is a copy of the message.\n' }),
  plainBounce('dsn-qmail-02', { host: 'mx.hostingbedrijf.example.nl', ip: '185.3.211.4', from: 'MAILER-DAEMON@mx.hostingbedrijf.example.nl', subject: 'failure notice', recipient: 'info@bakkerijdebruin.example.nl', why: 'qmail bounce relayed from a remote host',
    body: 'Hi. This is the qmail-send program at mx.hostingbedrijf.example.nl.\nI\'m afraid I wasn\'t able to deliver your message to the following addresses.\nThis is a permanent error; I\'ve given up. Sorry it didn\'t work out.\n\n<info@bakkerijdebruin.example.nl>:\n185.3.211.9 does not like recipient.\nRemote host said: 550 5.1.1 mailbox unavailable\nGiving up on 185.3.211.9.\n\n--- Below this line is a copy of the message.\n' }),
  plainBounce('dsn-exim-01', { host: 'mail.provider.example.co.uk', ip: '81.2.69.160', from: 'Mail Delivery System <Mailer-Daemon@mail.provider.example.co.uk>', subject: 'Mail delivery failed: returning message to sender', recipient: 'stevejohnson@provider.example.co.uk', why: 'Exim plain-text bounce',
    body: 'This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  stevejohnson@provider.example.co.uk\n    SMTP error from remote mail server after RCPT TO:<stevejohnson@provider.example.co.uk>:\n    550 5.1.1 <stevejohnson@provider.example.co.uk>: Recipient address rejected: User unknown\n\n------ This is a copy of the message, including all the headers. ------\n' }),
  plainBounce('dsn-yahoo-01', { host: 'mta1032.mail.ir2.yahoo.com', ip: '87.248.110.80', from: 'MAILER-DAEMON@yahoo.com', subject: 'Failure Notice', recipient: 'marco_v1988@yahoo.it', why: 'Yahoo plain-text failure notice',
    body: 'Sorry, we were unable to deliver your message to the following address.\n\n<marco_v1988@yahoo.it>:\n554: delivery error: dd This user doesn\'t have a yahoo.it account (marco_v1988@yahoo.it) [-5] - mta1032.mail.ir2.yahoo.com\n\n--- Below this line is a copy of the message.\n' }),
];

// ------------------------------------------------------------------ ARF complaints (RFC 5965)
function arf(id, { host, ip, from, subject, recipient, fields, human, redactTo = null, headersOnly = false, why }) {
  const t = at(21, 14, 10 + (id.length % 40));
  const orig = ourOriginal(id, recipient ?? 'redacted', 'nl', { redactTo, headersOnly });
  const bnd = `----=_ARF_${id}_${t.d}${t.mm}`;
  const parts = [
    `Content-Type: text/plain; charset="US-ASCII"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${human}`,
    `Content-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nUser-Agent: ${fields.agent}\r\nVersion: 1\r\n${fields.extra ?? ''}Original-Mail-From: <bounces+${id.replace(/[^a-z0-9]/gi, '')}@shop.example>\r\nArrival-Date: ${rfcDate(at(20, 9, 31))}\r\nSource-IP: 203.0.113.25\r\nReported-Domain: shop.example\r\nAuthentication-Results: ${host}; dkim=pass header.d=shop.example; spf=pass smtp.mailfrom=shop.example`,
    headersOnly ? `Content-Type: text/rfc822-headers\r\n\r\n${orig.head}` : `Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n${orig.raw}`,
  ];
  const r = report('feedback-report', bnd, parts);
  return {
    id, lang: null,
    label: { intent: 'unsubscribe', address: recipient, language: NO_LANG, mustNotAct: false, category: 'arf', why },
    raw: raw([...trace(host, ip, t), `From: ${from}`, `To: ${OURS.privacy}`, `Subject: ${subject}`, `Date: ${rfcDate(t)}`, `Message-ID: <arf.${id}.${t.d}@${host}>`, 'MIME-Version: 1.0', `Content-Type: ${r.ct}`], r.body),
  };
}

export const complaints = [
  arf('arf-yahoo-01', { host: 'feedback.yahoo.example', ip: '98.136.0.12', from: 'Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.yahoo.com>', subject: 'FW: Winterdeals: 20% korting op sokken', recipient: 'bas_jansen77@yahoo.com', fields: { agent: 'Yahoo!-Mail-Feedback/2.0' }, human: 'This is an email abuse report for an email message received from IP 203.0.113.25 on Fri, 20 Nov 2026 09:31:00 +0100.\r\nFor more information about this format please see http://www.mipassoc.org/arf/.', why: 'Yahoo feedback loop report; the complainant is the To of the embedded original' }),
  arf('arf-jmrp-01', { host: 'jmrp.hotmail.example', ip: '65.55.234.209', from: 'staff@hotmail.com', subject: 'complaint about message from 203.0.113.25', recipient: null, redactTo: '<redacted@hotmail.com>', fields: { agent: 'Microsoft Junk Mail Reporting Program/1.0' }, human: 'This is an email abuse report for an email message received from IP 203.0.113.25.\r\nThe recipient address has been removed. Use the unsubscribe link in the message to identify the recipient.', why: 'Microsoft JMRP with the recipient redacted: only our token/Message-ID (the ledger) tells who complained; an unsubscribe by token is right, the address cannot be read from the mail' }),
  arf('arf-gmx-01', { host: 'fbl.gmx.example', ip: '212.227.17.20', from: 'GMX Abuse <abuse-report@gmx.net>', subject: 'Abuse report: Winterdeals', recipient: 'martina.keller@gmx.de', fields: { agent: 'GMX-FBL/1.0', extra: 'Original-Rcpt-To: <martina.keller@gmx.de>\r\n' }, human: 'Dies ist ein Spam-Bericht eines GMX-Nutzers zu einer Nachricht von 203.0.113.25.\r\nThis is a spam report about a message sent from 203.0.113.25.', why: 'ARF with Original-Rcpt-To' }),
  arf('arf-aol-01', { host: 'scomp.aol.example', ip: '64.12.88.133', from: 'AOL Feedback Loop <scomp@aol.net>', subject: 'Email Feedback Report for IP 203.0.113.25', recipient: 'dkroon@aol.com', headersOnly: true, fields: { agent: 'AOL SComp' }, human: 'This is an email abuse report for an email message received from IP 203.0.113.25 on Fri, 20 Nov 2026 09:31:00 +0100.', why: 'AOL-style ARF carrying only the original headers (text/rfc822-headers)' }),
  arf('arf-ziggo-01', { host: 'fbl.ziggo.example', ip: '212.54.34.9', from: 'Ziggo FBL <fbl@ziggo.nl>', subject: 'Spam complaint', recipient: 'r.hoekstra@ziggo.nl', fields: { agent: 'Cloudmark-FBL/2.1', extra: 'Original-Rcpt-To: r.hoekstra@ziggo.nl\r\nIncidents: 1\r\n' }, human: 'Deze melding is automatisch gegenereerd. Een Ziggo-klant heeft het onderstaande bericht als spam gemarkeerd.', why: 'Dutch ISP feedback loop with a Dutch human part (the language is not the customer\'s)' }),
  arf('arf-comcast-01', { host: 'feedback.comcast.example', ip: '96.114.154.170', from: 'Comcast Feedback Loop <feedback@feedback.comcast.net>', subject: 'Email Feedback Report', recipient: 'kellyb1975@comcast.net', fields: { agent: 'Comcast-FBL/1.0' }, human: 'This is an email abuse report for an email message from shop.example.\r\nComcast Feedback Loop Team', why: 'US ISP feedback loop' }),
];
