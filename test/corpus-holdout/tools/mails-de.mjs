// German-speaking senders.
import { when } from './mime.mjs';
import { newsletter } from './shop.mjs';
import { about, act, hold } from './spec.mjs';

const reply = (issue, to, date, toName = '') => ({ kind: 'reply', msg: newsletter('de', issue, to, date, { toName }) });
const DE1 = when(2026, 11, 17, 8, 0);

const DISCLAIMER_DE = 'Diese E-Mail enthält vertrauliche oder rechtlich geschützte Informationen. Wenn Sie nicht der beabsichtigte Empfänger sind, informieren Sie bitte sofort den Absender und löschen Sie diese E-Mail. Das unerlaubte Kopieren sowie die unbefugte Weitergabe dieser E-Mail sind nicht gestattet.';

export const DE = [
  {
    file: 'h050-unsubscribe-de-gmx-verteiler.eml',
    label: act('unsubscribe', 'de', 'k.lehmann@gmx.de', 'unsubscribe', "GMX HTML-only reply, 'aus Ihrem Verteiler nehmen', the quote carries Abmelden"),
    client: 'gmx', from: ['Klaus Lehmann', 'k.lehmann@gmx.de'], subject: 'Aw: Neu eingetroffen: unsere Winterkollektion', date: when(2026, 11, 17, 10, 26),
    text: 'Guten Tag,\n\nbitte nehmen Sie mich aus Ihrem Verteiler.\n\nDanke\nK. Lehmann',
    quote: reply(0, 'k.lehmann@gmx.de', DE1),
  },
  {
    file: 'h051-unsubscribe-de-iphone-subject-abmelden.eml',
    label: act('unsubscribe', 'de', 'sabine.krueger@icloud.com', 'unsubscribe', 'subject Abmelden, empty body apart from Von meinem iPhone gesendet'),
    client: 'iphone', from: ['Sabine Krüger', 'sabine.krueger@icloud.com'], subject: 'Abmelden', date: when(2026, 11, 18, 6, 58),
    text: '',
  },
  {
    file: 'h052-unsubscribe-de-outlook-bestelle-ab.eml',
    label: act('unsubscribe', 'de', 'm.schreiber@schreiber-partner.example', 'unsubscribe', "'bestelle ... ab' (separable verb) in a formal letter with Handelsregister signature and a disclaimer that says löschen"),
    client: 'outlook', from: ['Schreiber, Martin', 'm.schreiber@schreiber-partner.example'], fromQuoted: true, subject: 'AW: Neu eingetroffen: unsere Winterkollektion', date: when(2026, 11, 17, 14, 3),
    text: 'Sehr geehrte Damen und Herren,\n\nhiermit bestelle ich Ihren Newsletter ab. Bitte senden Sie mir künftig keine Werbung mehr an diese Adresse.\n\nMit freundlichen Grüßen\nMartin Schreiber',
    sig: 'Schreiber & Partner Steuerberatungsgesellschaft mbH\nLeopoldstraße 120 · 80802 München\nTel. +49 89 123 456-0 · Fax -99\n\nSitz der Gesellschaft: München · Amtsgericht München HRB 123456\nGeschäftsführer: Martin Schreiber, Dr. Eva Partner',
    disclaimer: DISCLAIMER_DE,
    quote: reply(0, 'm.schreiber@schreiber-partner.example', DE1, 'Martin Schreiber'),
  },
  {
    file: 'h053-unsubscribe-de-tonline-austragen-typo.eml',
    label: act('unsubscribe', 'de', 'w.hoffmann58@t-online.de', 'unsubscribe', "Telekom webmail, lowercase, 'newsleter' typo, 'tragen ... aus'"),
    client: 'ox', mailerHost: 'ox.t-online.de', mailer: 'Open-Xchange Mailer v7.10.6-Rev62', from: ['Werner Hoffmann', 'w.hoffmann58@t-online.de'], subject: 'newsletter', date: when(2026, 11, 19, 20, 5),
    text: 'hallo, bitte tragen sie mich aus dem newsleter aus. mfg w. hoffmann',
  },
  {
    file: 'h054-erase-de-webde-art17-dsgvo.eml',
    label: act('erase', 'de', 'julia.becker@web.de', 'erase', 'WEB.DE HTML-only, formal Art. 17 DSGVO request with a deadline and a request for written confirmation'),
    client: 'gmx', from: ['Julia Becker', 'julia.becker@web.de'], subject: 'Antrag auf Löschung meiner personenbezogenen Daten gemäß Art. 17 DSGVO', date: when(2026, 11, 20, 9, 12),
    text: 'Sehr geehrte Damen und Herren,\n\nhiermit fordere ich Sie gemäß Art. 17 DSGVO auf, sämtliche bei Ihnen über mich gespeicherten personenbezogenen Daten unverzüglich zu löschen. Dies betrifft insbesondere mein Kundenkonto, meine Bestellhistorie (soweit keine gesetzlichen Aufbewahrungspflichten bestehen) sowie meine Newsletter-Anmeldung.\n\nBitte bestätigen Sie mir die Löschung innerhalb eines Monats schriftlich.\n\nMit freundlichen Grüßen\nJulia Becker',
  },
  {
    file: 'h055-erase-de-iphone-kundenkonto.eml',
    label: act('erase', 'de', 'tobias.wagner@icloud.com', 'erase', 'informal, delete the customer account with all stored data'),
    client: 'iphone', from: ['Tobias Wagner', 'tobias.wagner@icloud.com'], subject: 'Konto löschen', date: when(2026, 11, 24, 12, 37),
    text: 'Hallo,\nbitte löschen Sie mein Kundenkonto samt aller gespeicherten Daten. Danke',
  },
  {
    file: 'h056-erase-de-thunderbird-vergessenwerden.eml',
    label: act('erase', 'de', 'ute.schmitz@bluewin.ch', 'erase', "Swiss sender, 'Recht auf Vergessenwerden', 'entfernen' rather than löschen"),
    client: 'thunderbird', from: ['Ute Schmitz', 'ute.schmitz@bluewin.ch'], subject: 'Recht auf Vergessenwerden', date: when(2026, 11, 26, 16, 45),
    text: 'Grüezi\n\nIch mache von meinem Recht auf Vergessenwerden Gebrauch und bitte Sie, sämtliche über mich gespeicherten Angaben aus Ihren Systemen zu entfernen.\n\nFreundliche Grüsse\nUte Schmitz',
    sig: 'Ute Schmitz\nSeestrasse 41\n8002 Zürich',
  },
  {
    file: 'h057-access-de-outlook-auskunft-art15.eml',
    label: hold('access', 'de', 'f.neumann@neumann-it.example', 'access', 'formal Auskunftsersuchen under Art. 15 DSGVO with a list'),
    client: 'outlook', from: ['Frank Neumann', 'f.neumann@neumann-it.example'], subject: 'Auskunftsersuchen nach Art. 15 DSGVO', date: when(2026, 11, 18, 15, 20),
    text: 'Sehr geehrte Damen und Herren,\n\nich bitte um Auskunft gemäß Art. 15 DSGVO, ob Sie mich betreffende personenbezogene Daten verarbeiten. Falls ja, bitte ich um:\n\n1. eine Kopie der Daten,\n2. die Verarbeitungszwecke,\n3. die Empfänger, denen die Daten offengelegt wurden,\n4. die geplante Speicherdauer und die Herkunft der Daten.\n\nMit freundlichen Grüßen\nFrank Neumann',
    sig: 'Neumann IT-Service · Hauptstraße 5 · 50667 Köln',
    disclaimer: DISCLAIMER_DE,
  },
  {
    file: 'h058-access-de-gmail-welche-daten.eml',
    label: hold('access', 'de', 'lena.fischer.ffm@gmail.com', 'access', 'informal: which data do you have about me and where did you get my address'),
    client: 'gmail', from: ['Lena Fischer', 'lena.fischer.ffm@gmail.com'], subject: 'Welche Daten haben Sie von mir?', date: when(2026, 11, 25, 19, 2),
    text: 'Hallo,\n\nkönnen Sie mir bitte mitteilen, welche Daten Sie über mich gespeichert haben und woher Sie meine E-Mail-Adresse haben? Ich kann mich nicht erinnern, bei Ihnen bestellt zu haben.\n\nViele Grüße\nLena Fischer',
  },
  {
    file: 'h059-objection-de-outlook-plain-widerspruch.eml',
    label: act('unsubscribe', 'de', 'r.baumann@baumann-kanzlei.example', 'objection', "plain-text Outlook, 'Widerspruch gegen die Nutzung ... für Werbezwecke gem. Art. 21 Abs. 2 DSGVO'"),
    client: 'outlook', plainOnly: true, from: ['RA Rainer Baumann', 'r.baumann@baumann-kanzlei.example'], subject: 'Widerspruch gem. Art. 21 DSGVO', date: when(2026, 11, 23, 11, 11),
    text: 'Sehr geehrte Damen und Herren,\n\nhiermit widerspreche ich der Nutzung meiner personenbezogenen Daten für Zwecke der Direktwerbung gem. Art. 21 Abs. 2 DSGVO mit sofortiger Wirkung.\n\nMit freundlichen Grüßen\n\nRainer Baumann\nRechtsanwalt',
    disclaimer: DISCLAIMER_DE,
  },
  {
    file: 'h060-objection-de-gmx-einwilligung-widerruf.eml',
    label: act('unsubscribe', 'de', 'petra.vogel@gmx.net', 'objection', 'withdrawal of consent to receive the newsletter'),
    client: 'gmx', from: ['Petra Vogel', 'petra.vogel@gmx.net'], subject: 'Widerruf Einwilligung', date: when(2026, 11, 27, 8, 40),
    text: 'Guten Morgen,\n\nich widerrufe hiermit meine Einwilligung in den Erhalt Ihres Newsletters.\n\nFreundliche Grüße\nPetra Vogel',
  },
  {
    file: 'h061-negation-de-gmail-nicht-loeschen.eml',
    label: hold('unknown', 'de', 'stefan.hartmann@gmail.com', 'negation', "'bitte löschen Sie mein Konto NICHT', only the e-mail address should change"),
    client: 'gmail', from: ['Stefan Hartmann', 'stefan.hartmann@gmail.com'], subject: 'Neue E-Mail-Adresse', date: when(2026, 11, 28, 10, 19),
    text: 'Hallo,\n\nbitte löschen Sie mein Konto NICHT – ich habe nur eine neue E-Mail-Adresse (s.hartmann@posteo.de). Können Sie die Adresse in meinem Konto ändern?\n\nBeste Grüße\nStefan Hartmann',
  },
  {
    file: 'h062-other-de-thunderbird-son.eml',
    label: about('erase', 'de', 'lukas.brandt07@gmx.de', 'a mother asks to delete the account of her 15-year-old son, his address in the body'),
    client: 'thunderbird', from: ['Andrea Brandt', 'andrea.brandt@t-online.de'], subject: 'Konto meines Sohnes', date: when(2026, 11, 21, 18, 30),
    text: 'Sehr geehrte Damen und Herren,\n\nmein Sohn (15) hat sich ohne mein Wissen bei Ihnen mit der Adresse lukas.brandt07@gmx.de registriert. Bitte löschen Sie sein Konto und alle seine Daten.\n\nMit freundlichen Grüßen\nAndrea Brandt',
  },
  {
    file: 'h063-other-de-wordpress-form-reply-to.eml',
    label: about('erase', 'de', 'h.zimmermann@posteo.de', "website form from wordpress@shop.example; the person's address is in Reply-To and in the body"),
    client: 'form', from: ['De Winkel', 'wordpress@shop.example'], replyTo: ['Heike Zimmermann', 'h.zimmermann@posteo.de'], subject: '[De Winkel] Kontaktformular: Datenlöschung', date: when(2026, 11, 29, 21, 12), mailer: 'WordPress/6.7.1',
    text: 'Von: Heike Zimmermann <h.zimmermann@posteo.de>\nBetreff: Datenlöschung\n\nNachricht:\nBitte löschen Sie alle meine Daten bei Ihnen, ich möchte kein Kundenkonto mehr haben.\n\n-- \nDiese E-Mail wurde von einem Kontaktformular von De Winkel (https://shop.example/de) gesendet',
  },
  {
    file: 'h064-question-de-outlook-speicherdauer.eml',
    label: hold('unknown', 'de', 'c.richter@richter-logistik.example', 'question', 'asks how long order data is kept; disclaimer says löschen'),
    client: 'outlook', from: ['Claudia Richter', 'c.richter@richter-logistik.example'], subject: 'Frage zur Speicherdauer', date: when(2026, 11, 30, 13, 55),
    text: 'Guten Tag,\n\nwie lange speichern Sie eigentlich meine Bestelldaten? Ich frage, weil ich für unsere eigene Datenschutzdokumentation wissen muss, welche Lieferanten Daten unserer Mitarbeiter aufbewahren.\n\nMit freundlichen Grüßen\nClaudia Richter',
    sig: 'Richter Logistik GmbH · Am Hafen 12 · 28217 Bremen',
    disclaimer: DISCLAIMER_DE,
  },
];
