import { classifyRequest, type Classification, type ClassifyOptions } from '../../../core/mail/classify';
import { parseBounceNotice } from '../../../core/mail/dsn';
import { reportedMessageId } from '../../../core/mail/machine';
import { readRequestMail } from '../../../core/mail/request-mail';
import { rawMail } from './fixtures';

/**
 * Mail written by machines (and by us), as Exchange, Gmail, Postfix, qmail, Exim, the feedback
 * loops of Yahoo and Microsoft and the list servers write it: never acted on as a person's request,
 * except an abuse report, which unsubscribes the recipient who complained.
 */
const OWN: ClassifyOptions = { ownAddresses: ['Privacy <privacy@shop.example>', 'nieuwsbrief@shop.example'], trustedAuthservIds: ['mx.shop.example'] };
const TOKEN = 'u1.tk3x9q0.AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBQ';

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
async function classify(raw: string, options: ClassifyOptions = OWN): Promise<Classification> {
  return classifyRequest(await readRequestMail(crlf(raw)), options);
}
/** The same mail read as a stream (what `n8n-consent classify FILE.eml` does). */
async function classifyStreamed(raw: string, options: ClassifyOptions = OWN): Promise<Classification> {
  const { Readable } = await import('node:stream');
  const bytes = Buffer.from(crlf(raw));
  return classifyRequest(await readRequestMail(Readable.from([bytes.subarray(0, 300), bytes.subarray(300)])), options);
}

// ----------------------------------------------------------------------------- delivery reports

const POSTFIX_DSN = `Return-Path: <>
Received: by mail.shop.example (Postfix) id 4Rk2Lm0Q3Vz1xyz; Mon, 23 Nov 2026 09:00:05 +0100 (CET)
Date: Mon, 23 Nov 2026 09:00:05 +0100 (CET)
From: MAILER-DAEMON@mail.shop.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: nieuwsbrief@shop.example
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4Rk2Lm0Q3Vz1xyz.1700726405/mail.shop.example"
Message-Id: <20261123080005.4Rk2Lm0Q3Vz1xyz@mail.shop.example>

This is a MIME-encapsulated message.

--4Rk2Lm0Q3Vz1xyz.1700726405/mail.shop.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.shop.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<Piet.Gone@Example.NL>: host mx.example.nl[192.0.2.10] said: 550 5.1.1
    <piet.gone@example.nl>: Recipient address rejected: User unknown (in reply
    to RCPT TO command)

--4Rk2Lm0Q3Vz1xyz.1700726405/mail.shop.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.shop.example
X-Postfix-Queue-ID: 4Rk2Lm0Q3Vz1xyz
Arrival-Date: Mon, 23 Nov 2026 09:00:04 +0100 (CET)

Final-Recipient: rfc822; Piet.Gone@Example.NL
Original-Recipient: rfc822;Piet.Gone@Example.NL
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.nl
Diagnostic-Code: smtp; 550 5.1.1 <piet.gone@example.nl>: Recipient address
    rejected: User unknown (in reply to RCPT TO command)

--4Rk2Lm0Q3Vz1xyz.1700726405/mail.shop.example
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: De Winkel <nieuwsbrief@shop.example>
To: Piet.Gone@Example.NL
Subject: Nieuwsbrief november
Message-ID: <5e0c1f3a-1111-4c9b-9a51-0d7f8a3b2c10@shop.example>

--4Rk2Lm0Q3Vz1xyz.1700726405/mail.shop.example--
`;

const QMAIL_NOTICE = `Return-Path: <>
Date: 23 Nov 2026 08:01:13 -0000
From: MAILER-DAEMON@mx1.hosting.example
To: nieuwsbrief@shop.example
Subject: failure notice
Message-ID: <20261123080113.24512.qmail@mx1.hosting.example>

Hi. This is the qmail-send program at mx1.hosting.example.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<kees@hosting.example>:
This address no longer accepts mail.

--- Below this line is a copy of the message.

Return-Path: <nieuwsbrief@shop.example>
From: De Winkel <nieuwsbrief@shop.example>
To: kees@hosting.example
Subject: Nieuwsbrief november

Afmelden? https://shop.example/unsubscribe
`;

const YAHOO_NOTICE = `Return-Path: <>
From: MAILER-DAEMON@yahoo.com
To: nieuwsbrief@shop.example
Subject: Failure Notice
Date: Mon, 23 Nov 2026 08:02:00 +0000

Sorry, we were unable to deliver your message to the following address.

<anna.weg@yahoo.com>:
554: delivery error: dd This user doesn't have a yahoo.com account (anna.weg@yahoo.com) [0] - mta1001.mail.gq1.yahoo.com

--- Below this line is a copy of the message.

Subject: Nieuwsbrief november
`;

const EXIM_NOTICE = `Return-path: <>
Envelope-to: nieuwsbrief@shop.example
From: Mail Delivery System <Mailer-Daemon@mail.provider.example>
To: nieuwsbrief@shop.example
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: tom@provider.example
Auto-Submitted: auto-replied
Message-Id: <E1qZ9aB-0001xY-2C@mail.provider.example>
Date: Mon, 23 Nov 2026 09:03:00 +0100

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  tom@provider.example
    host mx.provider.example [198.51.100.7]
    SMTP error from remote mail server after RCPT TO:<tom@provider.example>:
    550 5.1.1 User unknown
`;

describe('delivery reports: the bounced recipient is the address', () => {
  test('Postfix RFC 3464 report: bounce, address = Final-Recipient (normalised), hard 5.1.1', async () => {
    for (const read of [classify, classifyStreamed]) {
      const c = await read(POSTFIX_DSN);
      expect(c).toMatchObject({ intent: 'bounce', address: 'piet.gone@example.nl', review: null });
      expect(c.bounces).toEqual([expect.objectContaining({ address: 'piet.gone@example.nl', isHard: true, status: '5.1.1' })]);
    }
  });

  test('qmail notice without a report part: the <address>: line, hard by its "permanent error"', async () => {
    const c = await classify(QMAIL_NOTICE);
    expect(c).toMatchObject({ intent: 'bounce', address: 'kees@hosting.example' });
    expect(c.bounces).toEqual([expect.objectContaining({ address: 'kees@hosting.example', isHard: true })]);
  });

  test('Yahoo notice (qmail style): the address, hard by the 554 reply', async () => {
    const c = await classify(YAHOO_NOTICE);
    expect(c).toMatchObject({ intent: 'bounce', address: 'anna.weg@yahoo.com' });
    expect(c.bounces[0]).toMatchObject({ isHard: true });
  });

  test('Exim notice with X-Failed-Recipients: the indented address, hard 5.1.1', async () => {
    const c = await classify(EXIM_NOTICE);
    expect(c).toMatchObject({ intent: 'bounce', address: 'tom@provider.example' });
    expect(c.bounces).toEqual([expect.objectContaining({ address: 'tom@provider.example', isHard: true, status: '5.1.1' })]);
  });

  test('a delay warning (4.x.x) is soft: nothing is marked', () => {
    const bounces = parseBounceNotice(
      'This is an automatically generated Delivery Status Notification\n\nTHIS IS A WARNING MESSAGE ONLY.\nYOU DO NOT NEED TO RESEND YOUR MESSAGE.\n\nDelivery to the following recipients has been delayed.\n\n<slow@example.org>: 451 4.4.1 temporary failure, will keep trying\n',
    );
    expect(bounces).toEqual([expect.objectContaining({ address: 'slow@example.org', isHard: false })]);
  });

  test('a report about our own address is a mail loop: review, not a bounce', async () => {
    const c = await classify(POSTFIX_DSN.replace(/Piet\.Gone@Example\.NL/g, 'privacy@shop.example'));
    expect(c.intent).toBe('unknown');
    expect(c.review).toMatch(/loop/);
  });
});

// ----------------------------------------------------------------------------- abuse reports

function arf(options: { from: string; feedback: string; original: string; subject?: string }): string {
  return `Return-Path: <>
From: ${options.from}
To: fbl@shop.example
Subject: ${options.subject ?? 'FW: Nieuwsbrief november'}
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <arf-${Math.random().toString(36).slice(2)}@feedback.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
	boundary="----=_Part_ARF_1"

------=_Part_ARF_1
Content-Type: text/plain; charset="US-ASCII"
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP 203.0.113.25 on Mon, 23 Nov 2026 09:00:00 +0000.
For more information about this format please see http://www.mipassoc.org/arf/.

------=_Part_ARF_1
Content-Type: message/feedback-report

${options.feedback}
------=_Part_ARF_1
Content-Type: message/rfc822
Content-Disposition: inline

${options.original}
------=_Part_ARF_1--
`;
}

const OUR_NEWSLETTER = (to: string) => `Received: from mail.shop.example (mail.shop.example [203.0.113.25]) by mta.example
From: De Winkel <nieuwsbrief@shop.example>
To: ${to}
Subject: Nieuwsbrief november
Message-ID: <5e0c1f3a-2222-4c9b-9a51-0d7f8a3b2c10@shop.example>
List-Unsubscribe: <https://shop.example/unsubscribe?token=${TOKEN}>, <mailto:privacy@shop.example?subject=unsubscribe%20${TOKEN}>
List-Unsubscribe-Post: List-Unsubscribe=One-Click
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Beste klant, dit zijn de aanbiedingen van november.
Afmelden: https://shop.example/unsubscribe?token=${TOKEN}
`;

describe('abuse reports (RFC 5965): the complaining recipient is unsubscribed', () => {
  test('Yahoo: unsubscribe, address = Original-Rcpt-To, our token from the reported List-Unsubscribe; never by the report words', async () => {
    const raw = arf({
      from: 'Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.yahoo.com>',
      feedback: 'Feedback-Type: abuse\nUser-Agent: Yahoo!-Mail-Feedback/2.0\nVersion: 0.1\nOriginal-Mail-From: <bounces@shop.example>\nOriginal-Rcpt-To: Klaas.Klacht@yahoo.com\nReceived-Date: Mon, 23 Nov 2026 09:00:00 +0000\nSource-IP: 203.0.113.25\nReported-Domain: shop.example\nAuthentication-Results: mta1001.mail.ne1.yahoo.com  from=shop.example; domainkeys=neutral (no sig);  from=shop.example; dkim=pass (ok)\n',
      original: OUR_NEWSLETTER('Klaas.Klacht@yahoo.com'),
    });
    for (const read of [classify, classifyStreamed]) {
      const c = await read(raw);
      expect(c).toMatchObject({ intent: 'unsubscribe', address: 'klaas.klacht@yahoo.com', token: TOKEN, review: null, language: null });
      expect(c.evidence).toEqual([expect.objectContaining({ rule: 'arf', part: 'report' })]);
    }
  });

  test('Microsoft JMRP, recipient redacted: only our token says who; address null', async () => {
    const c = await classify(
      arf({
        from: 'staff@hotmail.com',
        subject: 'complaint about message from 203.0.113.25',
        feedback: 'Feedback-Type: abuse\nUser-Agent: Microsoft JMRP\nVersion: 1\nOriginal-Rcpt-To: redacted@outlook.com\nSource-IP: 203.0.113.25\n',
        original: OUR_NEWSLETTER('redacted@outlook.com').replace(/Afmelden: .*\n/, ''),
      }),
    );
    expect(c).toMatchObject({ intent: 'unsubscribe', address: null, token: TOKEN });
  });

  test('a report without a token or Original-Rcpt-To: the reported To and Message-ID', async () => {
    const original = OUR_NEWSLETTER('eva@gmx.example').replace(/List-Unsubscribe.*\n/g, '').replace(/Afmelden: .*\n/, '');
    const mail = await readRequestMail(crlf(arf({ from: 'GMX Feedback <fbl@gmx.example>', feedback: 'Feedback-Type: abuse\nVersion: 1\nUser-Agent: GMX-FBL/1.0\n', original })));
    const c = classifyRequest(mail, OWN);
    expect(c).toMatchObject({ intent: 'unsubscribe', address: 'eva@gmx.example', token: null });
    expect(reportedMessageId(mail)).toBe('<5e0c1f3a-2222-4c9b-9a51-0d7f8a3b2c10@shop.example>');
  });

  test('a "not-spam" report, or one about a mail that is not ours, is never an unsubscribe', async () => {
    const notSpam = await classify(arf({ from: 'fbl@isp.example', feedback: 'Feedback-Type: not-spam\nVersion: 1\nOriginal-Rcpt-To: a@isp.example\n', original: OUR_NEWSLETTER('a@isp.example') }));
    expect(notSpam.intent).toBe('unknown');
    expect(notSpam.review).toMatch(/not-spam/);
    const stranger = OUR_NEWSLETTER('b@isp.example').replace(/nieuwsbrief@shop\.example/g, 'news@other.example').replace(/@shop\.example>/g, '@other.example>').replace(/List-Unsubscribe.*\n/g, '').replace(/Afmelden: .*\n/, '');
    const notOurs = await classify(arf({ from: 'fbl@isp.example', feedback: 'Feedback-Type: abuse\nVersion: 1\nOriginal-Rcpt-To: b@isp.example\n', original: stranger }));
    expect(notOurs.intent).toBe('unknown');
    expect(notOurs.review).toMatch(/not ours/);
  });

  test('AOL style: the original as text/rfc822-headers', async () => {
    const raw = arf({ from: 'scomp@aol.net', feedback: 'Feedback-Type: abuse\nVersion: 1\nOriginal-Rcpt-To: <jo@aol.example>\n', original: OUR_NEWSLETTER('jo@aol.example') }).replace(
      'Content-Type: message/rfc822',
      'Content-Type: text/rfc822-headers',
    );
    expect(await classify(raw)).toMatchObject({ intent: 'unsubscribe', address: 'jo@aol.example', token: TOKEN });
  });
});

// ----------------------------------------------------------------------------- auto-replies

describe('auto-replies: ignored, never answered', () => {
  test.each<[string, Record<string, string>, string, string]>([
    ['Exchange OOF (Auto-Submitted, X-Auto-Response-Suppress)', { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', 'X-MS-Exchange-Inbox-Rules-Loop': 'jan@example.nl' }, 'Automatisch antwoord: Nieuwsbrief november', 'Ik ben afwezig tot en met 30 november.'],
    ['Gmail vacation responder', { 'Auto-Submitted': 'auto-replied', 'Precedence': 'bulk' }, 'Re: Nieuwsbrief november', 'Bedankt voor je bericht.'],
    ['Outlook client rule without headers, Dutch subject', {}, 'Afwezigheidsmelding', 'Beste afzender,\nIk ben tot 1 december niet op kantoor.'],
    ['English, only the first line', {}, 'Re: Your order', "Hello,\nI'm away until Monday with limited access to email."],
    ['German subject', {}, 'Abwesenheitsnotiz: Ihre Bestellung', 'Vielen Dank für Ihre Nachricht. Ich bin ab dem 2.12. wieder im Büro.'],
    ['French first line', {}, 'Re: Lettre d’information', 'Bonjour,\nJe suis absente du bureau jusqu’au 4 décembre.'],
    ['Spanish subject', {}, 'Respuesta automática: Boletín', 'Estaré fuera de la oficina hasta el lunes.'],
    ['Italian subject', {}, 'Risposta automatica: Newsletter', 'Sono fuori ufficio fino a lunedì.'],
    ['cPanel autoresponder', { 'X-Autorespond': 'ok' }, 'Bedankt voor uw mail', 'We hebben uw mail ontvangen.'],
  ])('%s', async (_name, headers, subject, text) => {
    const c = await classify(rawMail({ headers, subject, text }));
    expect(c).toMatchObject({ intent: 'auto_reply', review: null });
  });

  test('"on holiday, please unsubscribe me" is not filed as an auto-reply: a person decides', async () => {
    const c = await classify(rawMail({ subject: 'Op vakantie', text: 'Ik ben op vakantie, maar wil me graag afmelden voor de nieuwsbrief.' }));
    expect(c.intent).not.toBe('auto_reply');
    expect(c.review).toMatch(/auto-reply/);
  });

  test('X-Auto-Response-Suppress alone (a ticket system may set it): review, not filed', async () => {
    const c = await classify(rawMail({ headers: { 'X-Auto-Response-Suppress': 'DR, RN, NRN, OOF, AutoReply' }, subject: 'Ticket #4411 bijgewerkt', text: 'Uw ticket is bijgewerkt.' }));
    expect(c.intent).toBe('unknown');
    expect(c.review).toMatch(/X-Auto-Response-Suppress/);
  });
});

// ----------------------------------------------------------------------------- lists, bulk, loops

describe('lists, bulk mail and our own mail: never a request', () => {
  test.each<[string, Record<string, string>, string]>([
    ['Mailman', { 'List-Id': 'AVG discussie <avg.lists.example.org>', 'List-Post': '<mailto:avg@lists.example.org>', 'X-Mailman-Version': '2.1.39', 'X-BeenThere': 'avg@lists.example.org', 'Precedence': 'list' }, 'auto_reply'],
    ['Google Groups', { 'Mailing-list': 'list privacy-nl@googlegroups.com; contact privacy-nl+owners@googlegroups.com', 'X-Google-Group-Id': '771234567890', 'List-Post': '<https://groups.google.com/group/privacy-nl/post>' }, 'auto_reply'],
    ['Sympa', { 'List-Id': '<gdpr.listes.example.fr>', 'X-Sympa-To': 'gdpr@listes.example.fr', 'X-Loop': 'gdpr@listes.example.fr' }, 'auto_reply'],
    ['a campaign via an ESP (List-Unsubscribe + Feedback-ID)', { 'List-Unsubscribe': '<https://esp.example/u/1>', 'Feedback-ID': '1234:campaign:esp', 'X-Campaign': 'nov' }, 'auto_reply'],
    ['List-Unsubscribe alone', { 'List-Unsubscribe': '<mailto:unsub@sales.example>' }, 'unknown'],
  ])('%s', async (_name, headers, intent) => {
    const c = await classify(rawMail({ headers, subject: 'Verwijder mijn gegevens: het recht op vergetelheid', text: 'Hoe gaan jullie om met verwijderverzoeken? Afmelden kan onderaan.' }));
    expect(c.intent).toBe(intent);
  });

  test('X-Mailgun or X-SES alone (a contact form sent through a service) does not stop a request', async () => {
    const c = await classify(rawMail({ headers: { 'X-Mailgun-Sid': 'WyI0Y2Q2Il0=', 'X-SES-Outgoing': '2026.11.23-54.240.1.1' }, subject: 'Afmelden', text: 'Graag afmelden.' }));
    expect(c.evidence.some((e) => ['list', 'bulk'].includes(e.rule))).toBe(false);
  });

  test('our own mail coming back (From is the privacy mailbox or the newsletter sender): review, a loop', async () => {
    for (const from of ['De Winkel Privacy <privacy@shop.example>', 'nieuwsbrief@shop.example']) {
      const c = await classify(rawMail({ from, to: 'privacy@shop.example', subject: 'Re: Afmelden', text: 'U bent afgemeld. Wilt u uw gegevens laten verwijderen?' }));
      expect(c.intent).toBe('unknown');
      expect(c.review).toMatch(/our own mail/);
    }
    // Without configured own addresses the same mail is read as any other.
    const c = await classify(rawMail({ from: 'privacy@shop.example', subject: 'Afmelden', text: 'Afmelden' }), {});
    expect(c.evidence.some((e) => e.rule === 'own-address')).toBe(false);
  });
});

// ----------------------------------------------------------------------------- spam and phishing

describe('spam and phishing marks: review, never acted on', () => {
  test.each<[string, Parameters<typeof rawMail>[0], RegExp]>([
    ['spam verdict of a filter', { headers: { 'X-Spam-Flag': 'YES', 'X-Spam-Status': 'Yes, score=9.1' }, subject: 'Verwijder mijn gegevens', text: 'Verwijder mijn gegevens.' }, /spam/],
    [
      'dmarc=fail in our own server\'s Authentication-Results',
      { headers: { 'Authentication-Results': 'mx.shop.example; dkim=none; spf=softfail smtp.mailfrom=bank.example; dmarc=fail (p=REJECT) header.from=bank.example' }, subject: 'Verwijder mijn gegevens', text: 'Verwijder mijn gegevens.' },
      /authentication/,
    ],
    [
      'a link that shows one site and leads to another',
      { subject: 'Uw verwijderingsverzoek', text: 'Bevestig uw verwijderingsverzoek', html: '<p>Bevestig: <a href="https://login.evil.example/x">https://shop.example/account</a></p>' },
      /phishing/,
    ],
    ['a lookalike sender domain', { from: 'Service <service@shop-example-support.example>', subject: 'Verwijder mijn gegevens', text: 'Verwijder mijn gegevens.' }, /imitates/],
    ['a link to a bare IP address', { subject: 'Delete my account', text: 'Delete my account, see http://198.51.100.4/confirm' }, /IP address/],
    [
      'Reply-To elsewhere and a body of links',
      {
        from: 'Support <support@mailer.example>',
        headers: { 'Reply-To': 'claims@elsewhere.example' },
        subject: 'Data deletion request',
        text: 'Delete my data.',
        html: '<a href="https://a.example/1">1</a> <a href="https://a.example/2">2</a> <a href="https://a.example/3">3</a>',
      },
      /Reply-To/,
    ],
  ])('%s', async (_name, spec, reason) => {
    const c = await classify(rawMail(spec));
    expect(c.intent).toBe('unknown');
    expect(c.review).toMatch(reason);
  });

  test('a dmarc=fail written by anyone else is not believed', async () => {
    const c = await classify(rawMail({ headers: { 'Authentication-Results': 'mx.other.example; dmarc=fail header.from=example.nl' }, subject: 'Afmelden', text: 'Afmelden' }));
    expect(c.evidence.some((e) => e.rule === 'auth-fail')).toBe(false);
  });
});
