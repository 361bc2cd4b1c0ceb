// Mail written by software: auto-replies, delivery status notifications, ARF feedback reports,
// our own mail coming back (loops), mailing lists, bulk spam and phishing.
import { renderPerson, trace } from './clients.mjs';
import { CRLF, encodeText, header, later, leaf, mailbox, message, multipart, prng, rfcDate, unstructured, when } from './mime.mjs';
import { newsletter } from './shop.mjs';
import { hold } from './spec.mjs';

const auto = (why, more = {}) => hold('auto_reply', null, null, 'auto_reply', why, more);
const bounce = (address, why, more = {}) => hold('bounce', null, address, 'bounce', why, more);
const arf = (address, why) => ({ intent: 'unsubscribe', language: null, address, mustNotAct: false, category: 'arf', why });
const bulk = (category, why) => hold('unknown', null, null, category, why, { alsoAccept: ['auto_reply'] });

const text = (t, charset = 'utf-8', cte = 'quoted-printable') => leaf({ type: 'text/plain', charset, cte, text: t });
const html = (t, charset = 'utf-8', cte = 'quoted-printable') => leaf({ type: 'text/html', charset, cte, text: t });
const rfc822 = (raw, more = []) => ({ headers: ['Content-Type: message/rfc822', ...more], body: raw.replace(/\r\n$/, '') });
const headersOnly = (raw) => ({ headers: ['Content-Type: text/rfc822-headers'], body: raw.split(`${CRLF}${CRLF}`)[0] });
const plainDsn = (lines) => ({ headers: ['Content-Type: message/delivery-status'], body: lines.join(CRLF) });

/** Received lines for mail that our own MX generated or that came from a peer MTA. */
function ourMta(rng, date) {
  return [
    'Return-Path: <>',
    'Delivered-To: privacy@shop.example',
    header('Received', `from mx.shop.example ([192.0.2.25]) by imap.shop.example with LMTP id ${rng.alnum(22)} for <privacy@shop.example>; ${rfcDate(date)}`),
    header('Received', `by mx.shop.example (Postfix) id 4${rng.upnum(10)}; ${rfcDate(date, { zoneName: true })}`),
  ];
}

// The newsletters that bounce or are reported, and the people they went to.
const NB = (lang, issue, to, d, toName) => newsletter(lang, issue, to, d, { toName });
const NOV16 = when(2026, 11, 16, 9, 0);
const NOV20 = when(2026, 11, 20, 7, 30);
const NOV27 = when(2026, 11, 27, 6, 0);

function autoReply(file, label, { from, to = ['', 'privacy@shop.example'], subject, date, headers = [], body, htmlBody, charset = 'utf-8', cte = 'quoted-printable', inReplyTo, trace: tr, messageId }) {
  return {
    file, label,
    raw() {
      const rng = prng(file);
      const root = htmlBody
        ? multipart('alternative', `_000_${rng.HEX(40)}_`, [text(body, charset, cte), html(htmlBody, charset, cte)])
        : text(body, charset, cte);
      const top = [
        ...trace(rng, from[1], date, tr),
        header('From', mailbox(from[0], from[1])),
        header('To', mailbox(to[0], to[1])),
        header('Subject', unstructured(subject)),
        `Date: ${rfcDate(date)}`,
        `Message-ID: <${messageId ?? `${rng.hex(24)}@${from[1].split('@')[1]}`}>`,
        ...(inReplyTo ? [`In-Reply-To: <${inReplyTo}>`, `References: <${inReplyTo}>`] : []),
        ...headers,
        'MIME-Version: 1.0',
      ];
      return message(top, root);
    },
  };
}

const AUTO = [
  (() => {
    const n = NB('nl', 0, 'm.vanbeek@vanbeek-notarissen.example', NOV16, 'Marieke van Beek');
    return autoReply('h120-auto-nl-exchange-oof-headers.eml', auto('Exchange out-of-office with Auto-Submitted and X-Auto-Response-Suppress; mentions a colleague to mail instead'), {
      from: ['Marieke van Beek', 'm.vanbeek@vanbeek-notarissen.example'], subject: 'Automatisch antwoord: Nieuw binnen: de wintercollectie', date: later(NOV16, 1), inReplyTo: n.messageId,
      headers: ['Auto-Submitted: auto-replied', 'X-Auto-Response-Suppress: All', 'X-MS-Exchange-Inbox-Rules-Loop: m.vanbeek@vanbeek-notarissen.example', 'Thread-Topic: Nieuw binnen: de wintercollectie', 'Content-Language: nl-NL'],
      charset: 'iso-8859-1',
      body: 'Geachte heer/mevrouw,\n\nTot en met vrijdag 20 november ben ik niet aanwezig. Uw e-mail wordt niet doorgestuurd. Voor dringende zaken kunt u contact opnemen met mijn collega Pieter Smit via p.smit@vanbeek-notarissen.example of 020 - 555 01 23.\n\nMet vriendelijke groet,\nMarieke van Beek\n',
      htmlBody: '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body><p>Geachte heer/mevrouw,</p><p>Tot en met vrijdag 20 november ben ik niet aanwezig. Uw e-mail wordt niet doorgestuurd. Voor dringende zaken kunt u contact opnemen met mijn collega Pieter Smit via p.smit@vanbeek-notarissen.example of 020 - 555 01 23.</p><p>Met vriendelijke groet,<br>Marieke van Beek</p></body></html>\n',
    });
  })(),
  autoReply('h121-auto-en-gmail-vacation.eml', auto('Gmail vacation responder (Auto-Submitted: auto-replied) with its own subject'), {
    from: ['Priya Shah', 'priya.shah.design@gmail.com'], subject: 'Out of office until 7 December', date: later(NOV27, 2),
    headers: ['Auto-Submitted: auto-replied'],
    body: "Hi,\n\nThanks for your email. I'm travelling until 7 December with very limited access to email. I'll get back to you when I'm back.\n\nPriya\n", cte: null,
  }),
  autoReply('h122-auto-de-abwesenheit-no-headers.eml', auto('German absence note with no auto-reply header at all; the subject says Abwesenheitsnotiz', { alsoAccept: ['unknown'] }), {
    from: ['Thomas Keller', 'thomas.keller@t-online.de'], subject: 'Abwesenheitsnotiz: Neu eingetroffen: unsere Winterkollektion', date: when(2026, 11, 17, 8, 1),
    body: 'Vielen Dank für Ihre Nachricht.\n\nIch bin vom 16.11. bis einschließlich 29.11.2026 im Urlaub und habe keinen Zugriff auf meine E-Mails. Ihre Nachricht wird nicht weitergeleitet.\n\nMit freundlichen Grüßen\nThomas Keller\n',
  }),
  autoReply('h123-auto-fr-x-autoreply.eml', auto('French absence with only X-Autoreply: yes'), {
    from: ['Sophie Laurent', 'sophie.laurent@orange.fr'], subject: "Réponse automatique : Nouveautés : la collection d'hiver est arrivée", date: when(2026, 11, 18, 8, 2),
    headers: ['X-Autoreply: yes'], charset: 'iso-8859-1',
    body: "Bonjour,\n\nJe suis absente jusqu'au 2 décembre inclus. Je répondrai à votre message dès mon retour.\n\nBien cordialement,\nSophie Laurent\n",
  }),
  autoReply('h124-auto-es-x-auto-response-suppress.eml', auto('Spanish Exchange out-of-office with only X-Auto-Response-Suppress'), {
    from: ['Javier Serrano', 'j.serrano@serrano-logistica.example'], subject: 'Respuesta automática: Novedades: ya está aquí la colección de invierno', date: when(2026, 11, 19, 9, 3),
    headers: ['X-Auto-Response-Suppress: All', 'Content-Language: es-ES'], charset: 'windows-1252',
    body: 'Gracias por su mensaje. Estoy fuera de la oficina hasta el lunes 30 de noviembre, con acceso limitado al correo. Para asuntos urgentes, escriba a administracion@serrano-logistica.example.\n\nUn saludo,\nJavier Serrano\n',
    htmlBody: '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head><body><div>Gracias por su mensaje. Estoy fuera de la oficina hasta el lunes 30 de noviembre, con acceso limitado al correo. Para asuntos urgentes, escriba a administracion@serrano-logistica.example.</div><div><br></div><div>Un saludo,<br>Javier Serrano</div></body></html>\n',
  }),
  autoReply('h125-auto-it-fuori-ufficio-precedence.eml', auto("Italian 'fuori ufficio' with only Precedence: bulk"), {
    from: ['Roberta Fontana', 'r.fontana@fontana-tessuti.example'], subject: 'Fuori ufficio', date: when(2026, 11, 20, 9, 4),
    headers: ['Precedence: bulk'],
    body: 'Sono fuori ufficio fino al 25 novembre. Per urgenze potete contattare l\'ufficio commerciale al numero 0574 123456.\n\nCordiali saluti\nRoberta Fontana\n',
  }),
  autoReply('h126-auto-en-left-company-remove.eml', { intent: 'auto_reply', alsoAccept: ['unsubscribe', 'unknown'], language: null, address: 'sarah.collins@meridiandental.example', mustNotAct: false, category: 'auto_reply', why: 'automatic notice that Sarah left and the address is no longer monitored, please remove it; unsubscribing it does no harm' }, {
    from: ['Sarah Collins', 'sarah.collins@meridiandental.example'], subject: 'Automatic reply: Black Friday at De Winkel: 25% off everything', date: later(NOV27, 1),
    headers: ['Auto-Submitted: auto-generated', 'X-Auto-Response-Suppress: All'],
    body: 'Thank you for your email.\n\nSarah Collins no longer works at Meridian Dental and this mailbox is not monitored. Please remove this address from your mailing list. For appointments, please contact reception@meridiandental.example.\n',
  }),
  autoReply('h127-auto-nl-ticket-acknowledgement.eml', auto('helpdesk ticket acknowledgement (Auto-Submitted: auto-generated) whose footer offers Afmelden for notifications'), {
    from: ['Support Fietsenwinkel Jansen', 'support@fietsenjansen.example'], subject: '[Ticket #48213] Wij hebben uw bericht ontvangen', date: when(2026, 11, 24, 14, 2),
    headers: ['Auto-Submitted: auto-generated', 'X-Mailer: Zammad Mail Service', 'Precedence: bulk'],
    body: 'Beste klant,\n\nBedankt voor uw bericht. Wij hebben uw vraag ontvangen onder ticketnummer #48213 en reageren binnen twee werkdagen.\n\nMet vriendelijke groet,\nTeam Fietsenwinkel Jansen\n\n--\nU ontvangt deze melding omdat u contact met ons heeft opgenomen. Afmelden voor ticketmeldingen: https://support.fietsenjansen.example/notifications/unsubscribe\n',
  }),
  autoReply('h128-auto-nl-afwezig-no-headers.eml', auto("Dutch 'Afwezig' note without any auto-reply header; a person might think it is a reply", { alsoAccept: ['unknown'] }), {
    from: ['Gert-Jan Pols', 'gjpols@ziggo.nl'], subject: 'Afwezig', date: when(2026, 11, 20, 7, 31),
    body: 'Beste afzender,\n\nIk ben met vakantie tot 4 december en lees mijn mail niet. Uw bericht wordt niet doorgestuurd.\n\nGroet,\nGert-Jan\n',
  }),
  (() => {
    const n = NB('en', 0, 'emma.taylor@btinternet.com', NOV27, 'Emma Taylor');
    return autoReply('h129-auto-en-oof-quoting-newsletter.eml', auto('auto-reply that quotes our whole newsletter, Unsubscribe footer included'), {
      from: ['Emma Taylor', 'emma.taylor@btinternet.com'], subject: 'Auto: Black Friday at De Winkel: 25% off everything', date: later(NOV27, 3), inReplyTo: n.messageId,
      headers: ['Auto-Submitted: auto-replied'],
      body: `I am away from home until 1 December and will read your message when I get back.\n\nEmma\n\n----- Original Message -----\nFrom: De Winkel <nieuwsbrief@shop.example>\nSent: ${rfcDate(NOV27)}\nSubject: ${n.subject}\n\n${n.text}\n`,
    });
  })(),
];

// ---------- delivery status notifications ----------
function postfixDsn(file, label, { rcpt, remote, status, diag, orig, date, delayed = false }) {
  return {
    file, label,
    raw() {
      const rng = prng(file);
      const q = rng.upnum(10);
      const bnd = `4${q}.${date.h}${date.mi}${rng.int(10, 99)}/mx.shop.example`;
      const notice = delayed
        ? `This is the mail system at host mx.shop.example.\n\n####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\nYour message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n\nFor further assistance, please send mail to postmaster.\n\nIf you do so, please include this problem report. You can\ndelete your own text from the attached returned message.\n\n                   The mail system\n\n<${rcpt}>: ${diag}\n`
        : `This is the mail system at host mx.shop.example.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\nFor further assistance, please send mail to postmaster.\n\nIf you do so, please include this problem report. You can\ndelete your own text from the attached returned message.\n\n                   The mail system\n\n<${rcpt}>: host ${remote}[198.51.100.${rng.int(2, 250)}] said: ${diag} (in reply to RCPT TO command)\n`;
      const n1 = leaf({ type: 'text/plain', charset: 'utf-8', cte: '8bit', text: notice, headers: [] });
      n1.headers = ['Content-Description: Notification', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'];
      const dsn = plainDsn([
        'Reporting-MTA: dns; mx.shop.example', `X-Postfix-Queue-ID: 4${q}`, 'X-Postfix-Sender: rfc822; privacy@shop.example', `Arrival-Date: ${rfcDate(orig.date, { zoneName: true })}`, '',
        `Final-Recipient: rfc822; ${rcpt}`, `Original-Recipient: rfc822;${rcpt}`, `Action: ${delayed ? 'delayed' : 'failed'}`, `Status: ${status}`, ...(delayed ? [`Will-Retry-Until: ${rfcDate(later(orig.date, 5 * 24 * 60), { zoneName: true })}`] : [`Remote-MTA: dns; ${remote}`]), `Diagnostic-Code: smtp; ${diag.replace(/^.*said: /, '')}`, '',
      ]);
      dsn.headers = ['Content-Description: Delivery report', 'Content-Type: message/delivery-status'];
      const third = delayed ? headersOnly(orig.raw) : rfc822(orig.raw);
      third.headers = [delayed ? 'Content-Description: Undelivered Message Headers' : 'Content-Description: Undelivered Message', ...third.headers, ...(delayed ? [] : ['Content-Transfer-Encoding: 8bit'])];
      const root = multipart('report', bnd, [n1, dsn, third], { extraParams: 'report-type=delivery-status', preamble: 'This is a MIME-encapsulated message.', headers: ['Content-Transfer-Encoding: 8bit'] });
      const top = [
        ...ourMta(rng, date),
        `Date: ${rfcDate(date, { zoneName: true })}`,
        'From: MAILER-DAEMON@mx.shop.example (Mail Delivery System)',
        `Subject: ${delayed ? 'Delayed Mail (still being retried)' : 'Undelivered Mail Returned to Sender'}`,
        'To: privacy@shop.example',
        'Auto-Submitted: auto-replied',
        'MIME-Version: 1.0',
      ];
      return message([...top, `Message-Id: <${date.y}${String(date.mo).padStart(2, '0')}${String(date.d).padStart(2, '0')}${String(date.h).padStart(2, '0')}${String(date.mi).padStart(2, '0')}${rng.int(10, 59)}.4${rng.upnum(10)}@mx.shop.example>`], root);
    },
  };
}

function exchangeNdr(file, label, { rcpt, orig, date, dutch }) {
  return {
    file, label,
    raw() {
      const rng = prng(file);
      const dom = rcpt.split('@')[1];
      const srv = `${rng.pick(['AM9PR04', 'DB7PR10', 'PR3PR08'])}MB${rng.int(1000, 9999)}.eurprd04.prod.outlook.com`;
      const t = dutch
        ? `Uw bericht kan niet worden bezorgd bij ${rcpt}\n\n${rcpt} is niet gevonden bij ${dom}.\n\nActie vereist van ontvanger\nControleer het e-mailadres van de geadresseerde en probeer het opnieuw.\n\nDiagnostische gegevens voor beheerders:\n\nGenererende server: ${srv}\n\n${rcpt}\nRemote server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n\nOorspronkelijke berichtkoppen:\n`
        : `Your message to ${rcpt} couldn't be delivered.\n\n${rcpt.split('@')[0]} wasn't found at ${dom}.\n\nAction Required                     Recipient\nUnknown To address\n\nHow to Fix It\nThe address may be misspelled or may not exist. Try one or more of the following:\n- Retype the recipient's address, then resend the message.\n- If you are using an autocomplete list, delete the old entry and type the address again.\n\nDiagnostic information for administrators:\n\nGenerating server: ${srv}\n\n${rcpt}\nRemote server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n`;
      const h = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=us-ascii"></head><body><div style="font-family:'Segoe UI',Frutiger,Arial,sans-serif"><p style="font-size:17pt;color:#000000">${t.split('\n')[0].replace(/</g, '&lt;')}</p><p>${t.split('\n').slice(1).join('<br>').replace(/'/g, '&#39;')}</p></div></body></html>`;
      const alt = multipart('alternative', `_002_${rng.HEX(40)}_`, [text(t, 'us-ascii', 'quoted-printable'), html(h, 'us-ascii', 'quoted-printable')]);
      const dsn = plainDsn([`Reporting-MTA: dns;${srv}`, `Received-From-MTA: dns;mx.shop.example`, `Arrival-Date: ${rfcDate(orig.date)}`, '', `Original-Recipient: rfc822;${rcpt}`, `Final-Recipient: rfc822;${rcpt}`, 'Action: failed', 'Status: 5.1.10', 'Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', '']);
      const root = multipart('report', `_000_${rng.HEX(40)}_`, [alt, dsn, dutch ? headersOnly(orig.raw) : rfc822(orig.raw)], { extraParams: 'report-type=delivery-status' });
      const top = [
        'Return-Path: <>',
        'Delivered-To: privacy@shop.example',
        ...trace(rng, `postmaster@${dom}`, date, { envelope: '', relay: `mail-${rng.pick(['am6eur05', 'db8eur05'])}on${rng.int(2000, 2199)}.outbound.protection.outlook.com` }).slice(2),
        `From: ${dutch ? 'Microsoft Outlook' : 'Microsoft Outlook'} <postmaster@${dom}>`,
        'To: <privacy@shop.example>',
        `Date: ${rfcDate({ ...date, off: 0 })}`,
        header('Subject', `${dutch ? 'Onbestelbaar' : 'Undeliverable'}: ${orig.subject}`),
        `Message-ID: <${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}@${srv}>`,
        `In-Reply-To: <${orig.messageId}>`,
        `References: <${orig.messageId}>`,
        'X-MS-Exchange-Message-Is-Ndr:',
        `Content-Language: ${dutch ? 'nl-NL' : 'en-US'}`,
        'MIME-Version: 1.0',
      ];
      return message(top, root);
    },
  };
}

const verifyMail = (to, date) => {
  // our privacy desk's verification mail, sent through Google Workspace
  const rng = prng(`verify:${to}`);
  const t = `Beste heer, mevrouw,\n\nWij ontvingen een verzoek om de gegevens bij dit e-mailadres te verwijderen. Was u dat? Bevestig het dan via deze link:\nhttps://n8n.shop.example/webhook/consent/erase?token=e1.${(1_800_000_000 + rng.int(0, 9_999_999)).toString(36)}.${rng.b64url(21)}g.${rng.b64url(21)}w\n\nHeeft u niets gevraagd? Dan hoeft u niets te doen.\n\nDe Winkel – Privacy\n`;
  const root = text(t, 'UTF-8');
  const messageId = `CAH${rng.alnum(40)}@mail.gmail.com`;
  const subject = 'Bevestig uw verzoek';
  const raw = message([
    header('From', 'De Winkel Privacy <privacy@shop.example>'), `Date: ${rfcDate(date)}`, `Message-ID: <${messageId}>`, `Subject: ${subject}`, `To: ${to}`, 'MIME-Version: 1.0',
  ], root);
  return { raw, subject, messageId, date };
};

const BOUNCES = [
  postfixDsn('h130-bounce-postfix-user-unknown.eml', bounce('ronald.peters@kpnmail.nl', 'Postfix DSN, 550 5.1.1 user unknown, full newsletter attached with its Afmelden footer'), {
    rcpt: 'ronald.peters@kpnmail.nl', remote: 'mx.kpnmail.nl', status: '5.1.1', diag: '550 5.1.1 <ronald.peters@kpnmail.nl>: Recipient address rejected: User unknown in virtual mailbox table', orig: NB('nl', 0, 'ronald.peters@kpnmail.nl', NOV16), date: later(NOV16, 3),
  }),
  exchangeNdr('h131-bounce-exchange-online-en.eml', bounce('t.morrison@castleford-eng.example', 'Exchange Online NDR in English, 5.1.10 recipient not found, original attached'), {
    rcpt: 't.morrison@castleford-eng.example', orig: NB('en', 0, 't.morrison@castleford-eng.example', NOV27), date: later(NOV27, 2),
  }),
  exchangeNdr('h132-bounce-exchange-dutch-headers-only.eml', bounce('info@bloemenhuis-flora.example', "Dutch Exchange 'Onbestelbaar' NDR with only the original's headers (text/rfc822-headers)"), {
    rcpt: 'info@bloemenhuis-flora.example', orig: NB('nl', 1, 'info@bloemenhuis-flora.example', NOV20), date: later(NOV20, 4), dutch: true,
  }),
  {
    file: 'h133-bounce-gmail-dsn-verification.eml',
    label: bounce('anouk.brouwer1990@gmail.com', "Gmail's DSN for our own verification mail (sent through Google Workspace) to an address that does not exist"),
    raw() {
      const rng = prng('h133');
      const date = when(2026, 11, 25, 10, 2);
      const orig = verifyMail('anouk.brouwer1990@gmail.com', later(date, -1));
      const t = `\n** Address not found **\n\nYour message wasn't delivered to anouk.brouwer1990@gmail.com because the address couldn't be found, or is unable to receive mail.\n\nLearn more here: https://support.google.com/mail/?p=NoSuchUser\n\nThe response was:\n\n550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser 2adb3069b0e04-5a1b2c3d4e5sor1234567e87.123 - gsmtp\n`;
      const h = `<html><head></head><body><div style="font-family:Google Sans,Roboto,Helvetica,Arial,sans-serif"><h2>Address not found</h2><p>Your message wasn't delivered to <a style="color:#212121;text-decoration:none"><b>anouk.brouwer1990@gmail.com</b></a> because the address couldn't be found, or is unable to receive mail.</p><p><a href="https://support.google.com/mail/?p=NoSuchUser">LEARN MORE</a></p><p>The response from the remote server was:</p><p style="font-family:monospace">550 5.1.1 The email account that you tried to reach does not exist.</p></div></body></html>`;
      const alt = multipart('alternative', `000000000000${rng.hex(16)}`, [text(t, 'UTF-8'), html(h, 'UTF-8')]);
      const dsn = plainDsn(['Reporting-MTA: dns; googlemail.com', `Arrival-Date: ${rfcDate(orig.date)}`, `X-Original-Message-ID: <${orig.messageId}>`, '', 'Final-Recipient: rfc822; anouk.brouwer1990@gmail.com', 'Action: failed', 'Status: 5.1.1', 'Remote-MTA: dns; gmail-smtp-in.l.google.com. (2001:db8::1b, the server for the domain gmail.com.)', 'Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.', `Last-Attempt-Date: ${rfcDate({ ...later(date, 0), off: -480, h: 1 })}`, '']);
      const root = multipart('report', `000000000000${rng.hex(16)}`, [alt, dsn, rfc822(orig.raw)], { extraParams: 'report-type=delivery-status' });
      return message([
        ...trace(rng, 'mailer-daemon@googlemail.com', date, { envelope: '' }).map((l) => l.replace('Return-Path: <>', 'Return-Path: <>')),
        'MIME-Version: 1.0',
        'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
        'To: privacy@shop.example',
        'Auto-Submitted: auto-replied',
        `Subject: Delivery Status Notification (Failure)`,
        `References: <${orig.messageId}>`,
        `In-Reply-To: <${orig.messageId}>`,
        `X-Failed-Recipients: anouk.brouwer1990@gmail.com`,
        `Message-ID: <${rng.alnum(8)}.${rng.hex(8)}.${rng.int(1000, 9999)}.GMR@mx.google.com>`,
        `Date: ${rfcDate({ ...date, off: -480, h: 1 })}`,
      ], root);
    },
  },
  {
    file: 'h134-bounce-qmail-plain.eml',
    label: bounce('h.de.jong@home.example', 'qmail failure notice, plain text, the copy of the message below the line'),
    raw() {
      const rng = prng('h134');
      const orig = NB('nl', 2, 'h.de.jong@home.example', when(2026, 11, 27, 10, 15));
      const date = later(orig.date, 6);
      const body = `Hi. This is the qmail-send program at mail.home.example.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<h.de.jong@home.example>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n--- Below this line is a copy of the message.\n\n`;
      const root = { headers: [], body: `${encodeText(body.replace(/\n/g, CRLF), 'us-ascii')}${orig.raw}` };
      return message([
        ...trace(rng, 'MAILER-DAEMON@mail.home.example', date, { envelope: '', auth: 'none' }),
        `Date: ${rfcDate({ ...date, off: 0 })}`,
        'From: MAILER-DAEMON@mail.home.example',
        'To: privacy@shop.example',
        'Subject: failure notice',
        `Message-ID: <${epochStr(date)}.${rng.int(1000, 99999)}.qmail@mail.home.example>`,
      ], root);
    },
  },
  postfixDsn('h135-bounce-postfix-delayed-warning.eml', hold('auto_reply', null, 'marieke.vos@mailbox.example', 'bounce', 'Postfix delay warning (Action: delayed, 4.4.1): not a failure yet, nothing to do', { alsoAccept: ['bounce', 'unknown'] }), {
    rcpt: 'marieke.vos@mailbox.example', status: '4.4.1', diag: 'connect to mx.mailbox.example[198.51.100.77]:25: Connection timed out', orig: NB('nl', 1, 'marieke.vos@mailbox.example', NOV20), date: later(NOV20, 4 * 60 + 5), delayed: true,
  }),
  {
    file: 'h136-bounce-exim-mailbox-full.eml',
    label: bounce('arjan.meijer@hostingbedrijf.example', 'Exim "Mail delivery failed", mailbox full after retries, X-Failed-Recipients'),
    raw() {
      const rng = prng('h136');
      const orig = NB('nl', 0, 'arjan.meijer@hostingbedrijf.example', NOV16);
      const date = when(2026, 11, 20, 9, 2);
      const body = `This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  arjan.meijer@hostingbedrijf.example\n    mailbox is full: retry timeout exceeded\n\n------ This is a copy of the message, including all the headers. ------\n\n`;
      const root = { headers: [], body: `${body.replace(/\n/g, CRLF)}${orig.raw}` };
      return message([
        ...trace(rng, 'Mailer-Daemon@server12.hostingbedrijf.example', date, { envelope: '', auth: 'none' }),
        'X-Failed-Recipients: arjan.meijer@hostingbedrijf.example',
        'Auto-Submitted: auto-replied',
        'From: Mail Delivery System <Mailer-Daemon@server12.hostingbedrijf.example>',
        'To: privacy@shop.example',
        'Content-Type: text/plain; charset=us-ascii',
        'Subject: Mail delivery failed: returning message to sender',
        `Message-Id: <E1v${rng.alnum(6)}-000${rng.int(1, 9)}${rng.alnum(2)}-${rng.alnum(2)}@server12.hostingbedrijf.example>`,
        `Date: ${rfcDate(date)}`,
      ], root);
    },
  },
  {
    file: 'h137-bounce-sendmail-mailbox-full-headers.eml',
    label: bounce('g.schulte@provider-mail.example', 'Sendmail "Returned mail: see transcript", 552 5.2.2 mailbox full, text/rfc822-headers'),
    raw() {
      const rng = prng('h137');
      const orig = NB('de', 0, 'g.schulte@provider-mail.example', when(2026, 11, 17, 8, 0));
      const date = later(orig.date, 7);
      const host = 'mail.provider-mail.example';
      const qid = `5AH${rng.alnum(11)}`;
      const t = `The original message was received at ${rfcDate(orig.date)}\nfrom mx.shop.example [192.0.2.25]\n\n   ----- The following addresses had permanent fatal errors -----\n<g.schulte@provider-mail.example>\n    (reason: 552 5.2.2 Mailbox full)\n\n   ----- Transcript of session follows -----\n... while talking to mailstore3.provider-mail.example.:\n>>> DATA\n<<< 552 5.2.2 Mailbox full\n554 5.0.0 Service unavailable\n`;
      const dsn = plainDsn([`Reporting-MTA: dns; ${host}`, `Received-From-MTA: DNS; mx.shop.example`, `Arrival-Date: ${rfcDate(orig.date)}`, '', 'Final-Recipient: RFC822; g.schulte@provider-mail.example', 'Action: failed', 'Status: 5.2.2', 'Remote-MTA: DNS; mailstore3.provider-mail.example', 'Diagnostic-Code: SMTP; 552 5.2.2 Mailbox full', `Last-Attempt-Date: ${rfcDate(date)}`, '']);
      const root = multipart('report', `${qid}.${epochStr(date)}/${host}`, [text(t, 'us-ascii', '7bit'), dsn, headersOnly(orig.raw)], { extraParams: 'report-type=delivery-status', preamble: 'This is a MIME-encapsulated message' });
      return message([
        ...trace(rng, `MAILER-DAEMON@${host}`, date, { envelope: '', auth: 'none' }),
        `Date: ${rfcDate(date)}`,
        `From: Mail Delivery Subsystem <MAILER-DAEMON@${host}>`,
        `Message-Id: <${epochStr(date)}.${qid}@${host}>`,
        'To: <privacy@shop.example>',
        'MIME-Version: 1.0',
        'Subject: Returned mail: see transcript for details',
        'Auto-Submitted: auto-generated (failure)',
      ], root);
    },
  },
];

function epochStr(d) {
  return String(Math.floor((Date.UTC(d.y, d.mo - 1, d.d, d.h, d.mi, d.s) - d.off * 60000) / 1000));
}

// ---------- ARF feedback reports (RFC 5965) ----------
function arfReport(file, label, { from, subject, date, intro, fields, original, originalPart = 'rfc822', toAddr = 'privacy@shop.example', extraTop = [] }) {
  return {
    file, label,
    raw() {
      const rng = prng(file);
      const fr = { headers: ['Content-Type: message/feedback-report'], body: fields.join(CRLF) };
      const third = originalPart === 'headers' ? headersOnly(original) : rfc822(original, ['Content-Disposition: inline']);
      const root = multipart('report', `----=_${rng.alnum(24)}`, [text(intro, 'us-ascii', '7bit'), fr, third], { extraParams: 'report-type=feedback-report' });
      return message([
        ...trace(rng, from[1], date, { envelope: '' }),
        header('From', mailbox(from[0], from[1])),
        `To: ${toAddr}`,
        header('Subject', unstructured(subject)),
        `Date: ${rfcDate(date)}`,
        `Message-ID: <${rng.hex(32)}@${from[1].split('@')[1]}>`,
        ...extraTop,
        'MIME-Version: 1.0',
      ], root);
    },
  };
}

const ARF = [
  (() => {
    const n = NB('en', 0, 'kevin.harris77@yahoo.com', NOV27);
    const d = later(NOV27, 180);
    return arfReport('h140-arf-yahoo-abuse.eml', arf('kevin.harris77@yahoo.com', 'Yahoo feedback loop report (abuse) with Original-Rcpt-To and the whole newsletter embedded'), {
      from: ['Yahoo! Mail AntiSpam Feedback', 'feedback@arf.mail.yahoo.com'], subject: 'FW: Black Friday at De Winkel: 25% off everything', date: d,
      intro: `This is an email abuse report for an email message received from IP 192.0.2.10 on ${rfcDate(NOV27)}.\nFor more information about this format please see http://tools.ietf.org/html/rfc5965.\n`,
      fields: ['Feedback-Type: abuse', 'User-Agent: Yahoo!-Mail-Feedback/2.0', 'Version: 1', 'Original-Mail-From: <privacy@shop.example>', 'Original-Rcpt-To: <kevin.harris77@yahoo.com>', `Arrival-Date: ${rfcDate(NOV27)}`, 'Source-IP: 192.0.2.10', 'Reported-Domain: shop.example', 'Authentication-Results: mta4012.mail.ir2.yahoo.com; dkim=pass header.d=shop.example; spf=pass smtp.mailfrom=shop.example; dmarc=pass(p=reject) header.from=shop.example', ''],
      original: n.raw,
    });
  })(),
  (() => {
    const n = NB('de', 0, 'schmidt.heinz@web.de', when(2026, 11, 17, 8, 0));
    return arfReport('h141-arf-webde-german-intro.eml', arf('schmidt.heinz@web.de', 'WEB.DE/GMX-style report with a German introduction, Original-Rcpt-To and the newsletter embedded'), {
      from: ['WEB.DE Feedback', 'fbl@abuse.web.de'], subject: 'Beschwerde / complaint: Neu eingetroffen: unsere Winterkollektion', date: when(2026, 11, 18, 3, 12),
      intro: 'Dies ist ein automatisch erzeugter Bericht ueber eine E-Mail, die ein Nutzer von WEB.DE als Spam markiert hat.\nThis is an automatically generated report about an email that a WEB.DE user marked as spam.\n',
      fields: ['Feedback-Type: abuse', 'User-Agent: UI-FBL/1.0', 'Version: 1', 'Original-Mail-From: <privacy@shop.example>', 'Original-Rcpt-To: <schmidt.heinz@web.de>', `Arrival-Date: ${rfcDate(when(2026, 11, 17, 8, 0))}`, 'Reported-Domain: shop.example', ''],
      original: n.raw,
    });
  })(),
  (() => {
    const n = NB('en', 0, 'dave.ramirez@aol.com', NOV27);
    return arfReport('h142-arf-aol-headers-only.eml', arf('dave.ramirez@aol.com', 'AOL-style report with only text/rfc822-headers; the recipient is in the embedded To header'), {
      from: ['AOL Feedback Loop', 'scomp@aol.net'], subject: 'Email Feedback Report for IP 192.0.2.10', date: later(NOV27, 400),
      intro: 'This is an email abuse report for an email message from shop.example.\n',
      fields: ['Feedback-Type: abuse', 'User-Agent: AOL SComp', 'Version: 1', 'Source-IP: 192.0.2.10', `Arrival-Date: ${rfcDate(NOV27)}`, ''],
      original: n.raw, originalPart: 'headers',
    });
  })(),
  (() => {
    const n = NB('nl', 2, 'pvandenberg@xs4all.nl', when(2026, 11, 27, 10, 15));
    return arfReport('h143-arf-dutch-isp-spam-button.eml', arf('pvandenberg@xs4all.nl', 'a Dutch ISP report with a Dutch introduction, Original-Rcpt-To, the newsletter embedded'), {
      from: ['XS4ALL Abuse Feedback', 'fbl@xs4all.nl'], subject: 'Klachtmelding (ARF) over bericht van shop.example', date: when(2026, 11, 28, 7, 40),
      intro: 'Dit is een automatische klachtmelding. Een klant heeft onderstaand bericht als spam gemarkeerd.\nThis is an automated abuse report.\n',
      fields: ['Feedback-Type: abuse', 'User-Agent: XS4ALL-FBL/0.9', 'Version: 1', 'Original-Rcpt-To: <pvandenberg@xs4all.nl>', 'Original-Mail-From: <privacy@shop.example>', `Arrival-Date: ${rfcDate(when(2026, 11, 27, 10, 15))}`, 'Source-IP: 192.0.2.10', ''],
      original: n.raw,
    });
  })(),
  (() => {
    const n = NB('en', 0, 'redacted@hotmail.com', NOV27);
    const redacted = n.raw.replace(/^To: .*$/m, 'To: <redacted>');
    return arfReport('h144-arf-microsoft-redacted.eml', arf(null, 'Microsoft-style report with the recipient redacted; only our List-Unsubscribe token identifies the person'), {
      from: ['', 'staff@hotmail.com'], subject: 'complaint about message from 192.0.2.10', date: later(NOV27, 90),
      intro: 'This is an email abuse report for an email message received from IP 192.0.2.10.\n',
      fields: ['Feedback-Type: abuse', 'User-Agent: Hotmail FBL', 'Version: 1', 'Source-IP: 192.0.2.10', 'Original-Mail-From: <privacy@shop.example>', `Arrival-Date: ${rfcDate(NOV27)}`, ''],
      original: redacted,
    });
  })(),
];

// ---------- our own mail (loops) ----------
const ownReply = (to, date, text, subject, cc) => {
  const rng = prng(`own:${to}:${subject}`);
  const messageId = `${rng.hex(20)}@shop.example`;
  const raw = message([
    'From: De Winkel Privacy <privacy@shop.example>', `To: ${to}`, ...(cc ? [`Cc: ${cc}`] : []), header('Subject', unstructured(subject)), `Date: ${rfcDate(date)}`, `Message-ID: <${messageId}>`, 'MIME-Version: 1.0',
  ], text ? leaf({ type: 'text/plain', charset: 'utf-8', cte: 'quoted-printable', text }) : null);
  return { raw, messageId };
};

const LOOPS = [
  {
    file: 'h145-loop-own-newsletter-seed.eml',
    label: hold('unknown', null, null, 'loop', 'our own newsletter, delivered to the privacy mailbox because it is on the list as a seed address', { alsoAccept: ['auto_reply'] }),
    raw() {
      const rng = prng('h145');
      const n = NB('nl', 1, 'privacy@shop.example', NOV20);
      return `Return-Path: <privacy@shop.example>\r\nDelivered-To: privacy@shop.example\r\n${header('Received', `from mx.shop.example ([192.0.2.25]) by imap.shop.example with LMTP id ${rng.alnum(22)} for <privacy@shop.example>; ${rfcDate(NOV20)}`)}\r\n${header('Authentication-Results', 'mx.shop.example; dkim=pass header.d=shop.example; spf=pass smtp.mailfrom=shop.example; dmarc=pass header.from=shop.example')}\r\n${n.raw}`;
    },
  },
  {
    file: 'h146-loop-own-confirmation-cc.eml',
    label: hold('unknown', null, null, 'loop', 'our own answer to a customer (erased, unsubscribed) with the privacy mailbox in Cc', { alsoAccept: ['auto_reply'] }),
    raw() {
      const rng = prng('h146');
      const d = when(2026, 11, 26, 11, 0);
      const o = ownReply('Kim Olthof <kim.olthof@hotmail.com>', d, 'Beste Kim Olthof,\n\nWij hebben uw verzoek ontvangen en uitgevoerd: uw account en uw gegevens zijn verwijderd en u bent afgemeld voor de nieuwsbrief. Alleen wat de wet ons verplicht te bewaren (facturen, 7 jaar) blijft bewaard.\n\nMet vriendelijke groet,\nDe Winkel – Privacy\nprivacy@shop.example\n', 'Re: verwijderen', 'privacy@shop.example');
      return `Return-Path: <privacy@shop.example>\r\nDelivered-To: privacy@shop.example\r\n${header('Received', `from mx.shop.example ([192.0.2.25]) by imap.shop.example with LMTP id ${rng.alnum(22)} for <privacy@shop.example>; ${rfcDate(d)}`)}\r\n${o.raw}`;
    },
  },
  {
    file: 'h147-loop-customer-thanks-quoting-confirmation.eml',
    label: hold('unknown', 'nl', 'kim.olthof@hotmail.com', 'loop', "a customer's 'top, bedankt' quoting our confirmation that says verwijderd and afgemeld"),
    raw() {
      const d = when(2026, 11, 26, 11, 0);
      const own = ownReply('Kim Olthof <kim.olthof@hotmail.com>', d, 'x', 'Re: verwijderen');
      return renderPerson({
        file: 'h147', label: { language: 'nl' }, client: 'samsung', from: ['Kim Olthof', 'kim.olthof@hotmail.com'], subject: 'Re: verwijderen', date: when(2026, 11, 26, 12, 31),
        text: 'Top, bedankt voor de snelle afhandeling!',
        quote: { kind: 'reply', msg: { fromName: 'De Winkel Privacy', from: 'privacy@shop.example', to: 'kim.olthof@hotmail.com', date: d, subject: 'Re: verwijderen', messageId: own.messageId, text: 'Beste Kim Olthof,\n\nWij hebben uw verzoek ontvangen en uitgevoerd: uw account en uw gegevens zijn verwijderd en u bent afgemeld voor de nieuwsbrief. Alleen wat de wet ons verplicht te bewaren (facturen, 7 jaar) blijft bewaard.\n\nMet vriendelijke groet,\nDe Winkel – Privacy\nprivacy@shop.example' } },
      });
    },
  },
  {
    file: 'h148-loop-mta-mail-loops-back.eml',
    label: hold('unknown', null, null, 'loop', "our MTA's 'mail for privacy@shop.example loops back to myself' bounce", { alsoAccept: ['auto_reply', 'bounce'] }),
    raw() {
      const rng = prng('h148');
      const d = when(2026, 11, 29, 3, 14);
      const o = ownReply('privacy@shop.example', later(d, -1), 'Test van doorsturen.\n', 'doorstuurregel test');
      const n1 = { headers: ['Content-Description: Notification', 'Content-Type: text/plain; charset=us-ascii'], body: `This is the mail system at host mx.shop.example.\r\n\r\nI'm sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients. It's attached below.\r\n\r\n                   The mail system\r\n\r\n<privacy@shop.example>: mail for shop.example loops back to myself` };
      const dsn = plainDsn(['Reporting-MTA: dns; mx.shop.example', 'Final-Recipient: rfc822; privacy@shop.example', 'Action: failed', 'Status: 5.4.6', 'Diagnostic-Code: X-Postfix; mail for shop.example loops back to myself', '']);
      const root = multipart('report', `4${rng.upnum(10)}.${epochStr(d)}/mx.shop.example`, [n1, dsn, rfc822(o.raw)], { extraParams: 'report-type=delivery-status', preamble: 'This is a MIME-encapsulated message.' });
      return message([...ourMta(rng, d), `Date: ${rfcDate(d, { zoneName: true })}`, 'From: MAILER-DAEMON@mx.shop.example (Mail Delivery System)', 'Subject: Undelivered Mail Returned to Sender', 'To: privacy@shop.example', 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0', `Message-Id: <${epochStr(d)}.4${rng.upnum(10)}@mx.shop.example>`], root);
    },
  },
];

// ---------- mailing lists, spam, phishing ----------
function listOrBulk(file, label, { from, to = 'privacy@shop.example', subject, date, headers = [], body, htmlBody, charset = 'utf-8', auth = 'pass', replyTo }) {
  return {
    file, label,
    raw() {
      const rng = prng(file);
      const root = htmlBody
        ? multipart('alternative', `b1_${rng.alnum(32)}`, [text(body, charset), html(htmlBody, charset)])
        : text(body, charset);
      return message([
        ...trace(rng, from[1], date, { auth }),
        header('From', mailbox(from[0], from[1])),
        header('To', to),
        ...(replyTo ? [header('Reply-To', replyTo)] : []),
        header('Subject', unstructured(subject)),
        `Date: ${rfcDate(date)}`,
        `Message-ID: <${rng.hex(16)}.${rng.hex(8)}@${from[1].split('@')[1]}>`,
        ...headers,
        'MIME-Version: 1.0',
      ], root);
    },
  };
}

const LISTS = [
  listOrBulk('h150-list-mailman-dutch-discussion.eml', bulk('list', 'Mailman list post in Dutch discussing how to handle afmelden and verwijderen requests; List-Id, Precedence: list'), {
    from: ['Rianne Koster', 'rianne.koster@webwinkelier.example'], to: 'privacy-nl@lists.ecommerce-vakgroep.example', subject: '[privacy-nl] Hoe gaan jullie om met verwijderverzoeken per mail?', date: when(2026, 11, 24, 13, 45),
    headers: ['List-Id: Privacy in de webwinkel <privacy-nl.lists.ecommerce-vakgroep.example>', 'List-Unsubscribe: <https://lists.ecommerce-vakgroep.example/mailman/options/privacy-nl>, <mailto:privacy-nl-leave@lists.ecommerce-vakgroep.example>', 'List-Post: <mailto:privacy-nl@lists.ecommerce-vakgroep.example>', 'Precedence: list', 'X-BeenThere: privacy-nl@lists.ecommerce-vakgroep.example', 'Sender: "privacy-nl" <privacy-nl-bounces@lists.ecommerce-vakgroep.example>'],
    body: 'Hoi allemaal,\n\nBij ons komen steeds meer mails binnen als "verwijder mijn gegevens" of alleen "afmelden" in de onderwerpregel. Verwijderen jullie dan meteen het hele klantaccount, of alleen de inschrijving voor de nieuwsbrief? En hoe controleren jullie of de afzender echt de klant is?\n\nGroet,\nRianne\n\n_______________________________________________\nprivacy-nl mailing list\nprivacy-nl@lists.ecommerce-vakgroep.example\nAfmelden of instellingen wijzigen: https://lists.ecommerce-vakgroep.example/mailman/options/privacy-nl\n',
  }),
  listOrBulk('h151-list-google-groups-remove-me.eml', bulk('list', "a member's 'please remove me from this group' to a Google Group we are in: a request to the list, not to us"), {
    from: ['Oliver Brandt', 'oliver.brandt.dev@gmail.com'], to: 'Shopify Merchants Benelux <merchants-benelux@googlegroups.com>', subject: 'Re: [merchants-benelux] New EU rules on marketing consent', date: when(2026, 11, 25, 15, 3),
    headers: ['List-Id: <merchants-benelux.googlegroups.com>', 'Mailing-list: list merchants-benelux@googlegroups.com; contact merchants-benelux+owners@googlegroups.com', 'Precedence: list', 'List-Post: <https://groups.google.com/group/merchants-benelux/post>, <mailto:merchants-benelux@googlegroups.com>', 'List-Help: <https://groups.google.com/support/>, <mailto:merchants-benelux+help@googlegroups.com>', 'List-Unsubscribe: <mailto:googlegroups-manage+412903671834+unsubscribe@googlegroups.com>, <https://groups.google.com/group/merchants-benelux/subscribe>', 'X-Original-Sender: oliver.brandt.dev@gmail.com'],
    body: 'Please remove me from this group. Thanks\n\n-- \nYou received this message because you are subscribed to the Google Groups "Shopify Merchants Benelux" group.\nTo unsubscribe from this group and stop receiving emails from it, send an email to merchants-benelux+unsubscribe@googlegroups.com.\nTo view this discussion visit https://groups.google.com/d/msgid/merchants-benelux/CAB1x2y3z4%40mail.gmail.com.\n',
  }),
  listOrBulk('h152-list-sympa-french-effacement.eml', bulk('list', "Sympa list in French discussing 'droit à l'effacement' and backups; the footer says désabonner"), {
    from: ['Hélène Perrin', 'helene.perrin@dpo-conseil.example'], to: 'rgpd-praticiens@listes.dpo-reseau.example', subject: "[rgpd-praticiens] Droit à l'effacement et sauvegardes", date: when(2026, 11, 26, 10, 18),
    headers: ['List-Id: <rgpd-praticiens.listes.dpo-reseau.example>', 'List-Unsubscribe: <mailto:sympa@listes.dpo-reseau.example?subject=unsubscribe%20rgpd-praticiens>', 'List-Archive: <https://listes.dpo-reseau.example/sympa/arc/rgpd-praticiens>', 'Precedence: list', 'X-Loop: rgpd-praticiens@listes.dpo-reseau.example', 'X-Sympa-To: rgpd-praticiens@listes.dpo-reseau.example'],
    body: "Bonjour à tous,\n\nQuand une personne demande l'effacement de ses données, comment traitez-vous les sauvegardes ? Supprimez-vous les données des sauvegardes existantes ou attendez-vous leur rotation normale ?\n\nMerci pour vos retours,\nHélène\n\n--\nPour vous désabonner de la liste rgpd-praticiens, envoyez un message à sympa@listes.dpo-reseau.example avec pour objet : unsubscribe rgpd-praticiens\n",
  }),
  listOrBulk('h153-list-law-firm-newsletter-loeschung.eml', bulk('list', "a law firm's German newsletter about the right to erasure (Precedence: bulk, List-Unsubscribe, 'Newsletter abbestellen')"), {
    from: ['Kanzlei Dr. Weber Datenschutz', 'newsletter@weber-datenschutz.example'], subject: 'Datenschutz-Newsletter 11/2026: Das Recht auf Löschung in der Praxis', date: when(2026, 11, 30, 7, 0),
    headers: ['List-Unsubscribe: <https://weber-datenschutz.example/newsletter/abmelden?id=8812>, <mailto:abmelden@weber-datenschutz.example>', 'List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'Precedence: bulk', 'X-Mailer: CleverReach'],
    body: 'Sehr geehrte Damen und Herren,\n\nin dieser Ausgabe: Wann müssen Unternehmen Daten nach Art. 17 DSGVO löschen, und wann dürfen sie eine Löschung verweigern? Außerdem: Widerspruch gegen Direktwerbung richtig umsetzen.\n\nZum Beitrag: https://weber-datenschutz.example/blog/recht-auf-loeschung\n\nMit freundlichen Grüßen\nIhre Kanzlei Dr. Weber\n\nSie erhalten diesen Newsletter, weil Sie sich angemeldet haben. Newsletter abbestellen: https://weber-datenschutz.example/newsletter/abmelden?id=8812\n',
  }),
];

const SPAM = [
  listOrBulk('h155-spam-en-seo-reply-stop.eml', bulk('spam', "cold SEO pitch whose own footer says 'reply STOP to opt out'"), {
    from: ['Ryan | GrowthRank', 'ryan@growthrank-outreach.example'], subject: 'Quick question about shop.example', date: when(2026, 11, 17, 15, 22), auth: 'none',
    body: "Hi there,\n\nI noticed shop.example isn't ranking on page 1 for \"winter sweaters\". We've helped 200+ e-commerce brands triple their organic traffic in 90 days.\n\nWould you be open to a quick 15-minute call this week?\n\nBest,\nRyan\nGrowthRank\n\nReply STOP to opt out of further emails.\n",
  }),
  listOrBulk('h156-spam-nl-energie-afmelden.eml', bulk('spam', "Dutch B2B spam: 'geen interesse? stuur afmelden als antwoord'"), {
    from: ['Zakelijk Energievoordeel', 'info@zakelijk-energievoordeel.example'], subject: 'Uw energiecontract verloopt binnenkort – bespaar tot 30%', date: when(2026, 11, 19, 10, 10), auth: 'none',
    headers: ['Precedence: bulk'],
    body: 'Geachte ondernemer,\n\nVeel zakelijke energiecontracten lopen op 1 januari af. Vergelijk nu vrijblijvend en bespaar tot 30% op uw energiekosten.\n\nVraag direct een offerte aan: https://zakelijk-energievoordeel.example/offerte\n\nMet vriendelijke groet,\nTeam Zakelijk Energievoordeel\n\nGeen interesse meer? Stuur "afmelden" als antwoord op deze e-mail en wij verwijderen uw gegevens uit ons bestand.\n',
  }),
  listOrBulk('h157-spam-de-branchenbuch-abmelden.eml', bulk('spam', "German directory spam: 'antworten Sie mit ABMELDEN'"), {
    from: ['Deutsches Firmenportal', 'service@firmenportal24.example'], subject: 'Ihr Firmeneintrag: Daten bitte prüfen', date: when(2026, 11, 21, 8, 8), auth: 'none',
    body: 'Sehr geehrte Damen und Herren,\n\nIhr Unternehmen De Winkel ist in unserem Portal noch nicht vollständig eingetragen. Prüfen Sie jetzt Ihre Daten: https://firmenportal24.example/eintrag\n\nWenn Sie keine weiteren Nachrichten wünschen, antworten Sie einfach mit ABMELDEN.\n\nDeutsches Firmenportal\n',
  }),
  listOrBulk('h158-spam-es-oferta-baja.eml', bulk('spam', "Spanish promotional spam: 'responda con BAJA en el asunto'"), {
    from: ['Ofertas Proveedores', 'ofertas@proveedores-mayoristas.example'], subject: 'Oferta exclusiva para tiendas online', date: when(2026, 11, 23, 11, 30), auth: 'none',
    htmlBody: '<html><body><h2>Oferta exclusiva</h2><p>Embalajes para e-commerce con un 40% de descuento. Pedido mínimo 100 unidades.</p><p><a href="https://proveedores-mayoristas.example/oferta">Ver oferta</a></p><p style="font-size:11px">Si no desea recibir más correos, responda con BAJA en el asunto.</p></body></html>',
    body: 'Oferta exclusiva\n\nEmbalajes para e-commerce con un 40% de descuento. Pedido mínimo 100 unidades.\n\nVer oferta: https://proveedores-mayoristas.example/oferta\n\nSi no desea recibir más correos, responda con BAJA en el asunto.\n',
  }),
  listOrBulk('h159-spam-it-finanziamenti-cancellami.eml', bulk('spam', "Italian finance spam: 'rispondi CANCELLAMI'"), {
    from: ['Finanza Agevolata', 'info@finanza-agevolata-pmi.example'], subject: 'Finanziamenti a fondo perduto per la tua azienda', date: when(2026, 11, 25, 9, 45), auth: 'none',
    body: 'Gentile imprenditore,\n\nla tua azienda potrebbe avere diritto a finanziamenti a fondo perduto fino a 50.000 euro. Verifica gratuitamente i requisiti: https://finanza-agevolata-pmi.example/verifica\n\nPer non ricevere più comunicazioni rispondi CANCELLAMI a questa email.\n',
  }),
  listOrBulk('h160-spam-fr-repondez-stop.eml', bulk('spam', "French prospecting mail: 'répondez STOP pour ne plus recevoir nos offres'"), {
    from: ['Julien - LeadsPro', 'julien@leadspro-solutions.example'], subject: 'Des fichiers de prospects qualifiés pour De Winkel', date: when(2026, 11, 27, 14, 0), auth: 'none',
    body: "Bonjour,\n\nNous proposons des fichiers de prospects B2C qualifiés et conformes au RGPD pour développer vos ventes en France.\n\nSeriez-vous disponible pour un échange de 10 minutes ?\n\nJulien\nLeadsPro\n\nRépondez STOP pour ne plus recevoir nos offres.\n",
  }),
];

const PHISHING = [
  listOrBulk('h162-phishing-en-mailbox-deleted.eml', hold('unknown', null, null, 'phishing', "'your mailbox will be deleted' phishing with a fake webmail link; SPF/DKIM/DMARC fail"), {
    from: ['shop.example Mail Administrator', 'admin@shop-example-mailcenter.example'], subject: 'Final notice: privacy@shop.example will be deleted', date: when(2026, 11, 22, 4, 12), auth: 'fail',
    htmlBody: '<html><body><p>Dear privacy@shop.example,</p><p>Your mailbox has exceeded its storage limit and will be <b>permanently deleted</b> within 24 hours. To keep your mailbox active, verify your account now:</p><p><a href="https://shop-example-mailcenter.example/verify?u=privacy@shop.example">KEEP MY MAILBOX</a></p><p>Mail Administrator</p></body></html>',
    body: 'Dear privacy@shop.example,\n\nYour mailbox has exceeded its storage limit and will be permanently deleted within 24 hours. To keep your mailbox active, verify your account now:\nhttps://shop-example-mailcenter.example/verify?u=privacy@shop.example\n\nMail Administrator\n',
  }),
  listOrBulk('h163-phishing-nl-impersonates-de-winkel.eml', hold('unknown', null, null, 'phishing', "impersonates De Winkel: 'uw verzoek tot verwijdering is ontvangen, klik om te annuleren'; lookalike domain, DMARC fails"), {
    from: ['De Winkel Klantenservice', 'service@dewinkel-klantportaal.example'], subject: 'Uw verzoek tot verwijdering van uw account is ontvangen', date: when(2026, 11, 24, 2, 55), auth: 'fail',
    htmlBody: '<html><body><p>Beste klant,</p><p>Wij hebben een verzoek ontvangen om uw account en alle gegevens te verwijderen. Heeft u dit niet aangevraagd? Annuleer het verzoek dan binnen 24 uur, anders wordt uw tegoed van € 48,50 verwijderd.</p><p><a href="https://dewinkel-klantportaal.example/annuleren">Verzoek annuleren</a></p><p>Met vriendelijke groet,<br>De Winkel</p></body></html>',
    body: 'Beste klant,\n\nWij hebben een verzoek ontvangen om uw account en alle gegevens te verwijderen. Heeft u dit niet aangevraagd? Annuleer het verzoek dan binnen 24 uur, anders wordt uw tegoed van € 48,50 verwijderd.\n\nVerzoek annuleren: https://dewinkel-klantportaal.example/annuleren\n\nMet vriendelijke groet,\nDe Winkel\n',
  }),
  listOrBulk('h164-phishing-de-dsgvo-loeschanfrage.eml', hold('unknown', null, null, 'phishing', "German 'DSGVO-Löschanfrage: bestätigen Sie Ihre Identität' credential phishing"), {
    from: ['Datenschutz-Service', 'noreply@dsgvo-sicherheitsportal.example'], subject: 'DSGVO-Löschanfrage #DE-20931: Bestätigung erforderlich', date: when(2026, 11, 28, 5, 40), auth: 'fail',
    body: 'Sehr geehrter Kunde,\n\nzu Ihrem Konto liegt eine Löschanfrage gemäß Art. 17 DSGVO vor. Um die Löschung zu verhindern, bestätigen Sie bitte innerhalb von 48 Stunden Ihre Identität:\n\nhttps://dsgvo-sicherheitsportal.example/bestaetigen?ref=DE-20931\n\nIhr Datenschutz-Service\n',
  }),
];

export const MACHINE = [...AUTO, ...BOUNCES, ...ARF, ...LOOPS, ...LISTS, ...SPAM, ...PHISHING];
