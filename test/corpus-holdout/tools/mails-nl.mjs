// Dutch-speaking senders. The words are the person's own; clients and layout vary.
import { when } from './mime.mjs';
import { newsletter } from './shop.mjs';
import { about, act, hold, pdf, PNG } from './spec.mjs';

const reply = (lang, issue, to, date, toName = '') => ({ kind: 'reply', msg: newsletter(lang, issue, to, date, { toName }) });
const NL1 = when(2026, 11, 16, 9, 0);
const NL2 = when(2026, 11, 20, 7, 30);
const NL3 = when(2026, 11, 27, 10, 15);

const DISCLAIMER_BOUW = 'De informatie in dit bericht is vertrouwelijk en uitsluitend bedoeld voor de persoon of organisatie aan wie het is gericht. Heeft u dit bericht per vergissing ontvangen, laat het ons dan weten en wis het bericht. Kremer Bouw B.V. aanvaardt geen aansprakelijkheid voor schade die voortvloeit uit het gebruik van e-mail.';
const DISCLAIMER_ACC = 'Disclaimer: aan de inhoud van deze e-mail kunnen geen rechten worden ontleend. Is deze e-mail niet voor u bestemd, verwijder hem dan en stel de afzender op de hoogte. Wij verwerken persoonsgegevens volgens de AVG; zie onze privacyverklaring op www.vdberg-accountants.example/privacy.';

export const NL = [
  {
    file: 'h001-unsubscribe-nl-iphone-subject-only.eml',
    label: act('unsubscribe', 'nl', 'ria.vermeulen61@icloud.com', 'unsubscribe', 'one word in the subject, empty body apart from the iPhone tagline'),
    client: 'iphone', from: ['Ria Vermeulen', 'ria.vermeulen61@icloud.com'], subject: 'afmelden', date: when(2026, 11, 16, 21, 4),
    text: '',
  },
  {
    file: 'h002-unsubscribe-nl-gmail-typo-reply.eml',
    label: act('unsubscribe', 'nl', 'marloes.dekker@gmail.com', 'unsubscribe', "reply to the newsletter, 'uitschrijfen' misspelt, the quote carries the footer's Afmelden link"),
    client: 'gmail', from: ['Marloes Dekker', 'marloes.dekker@gmail.com'], subject: 'Re: Alleen dit weekend: gratis verzending op alles', date: when(2026, 11, 20, 12, 41),
    text: 'Hallo,\n\nWil je me uitschrijfen van deze nieuwsbrief? Dank je.\n\nGroet, Marloes',
    quote: reply('nl', 1, 'marloes.dekker@gmail.com', NL2),
  },
  {
    file: 'h003-unsubscribe-nl-outlook-work-disclaimer.eml',
    label: act('unsubscribe', 'nl', 'j.kremer@kremerbouw.example', 'unsubscribe', 'Outlook reply with Van:/Verzonden: block, long signature and a disclaimer that says wis het bericht', { alsoAccept: ['erase'] }),
    client: 'outlook', from: ['Jeroen Kremer | Kremer Bouw', 'j.kremer@kremerbouw.example'], subject: 'RE: Nieuw binnen: de wintercollectie', date: when(2026, 11, 17, 8, 12),
    text: 'Goedemorgen,\n\nWilt u mijn e-mailadres van uw verzendlijst halen? Deze mails komen binnen op mijn zakelijke adres en dat is niet de bedoeling.\n\nMet vriendelijke groet,',
    sig: 'Jeroen Kremer\nDirecteur\n\nKremer Bouw B.V.\nIndustrieweg 44 | 7641 AC Wierden\nT 0546 - 57 12 30 | M 06 - 41 28 77 19\nwww.kremerbouw.example\n\nKvK 08123456 | BTW NL8123.45.678.B01\nOp al onze offertes en overeenkomsten zijn de UAV 2012 van toepassing.',
    disclaimer: DISCLAIMER_BOUW,
    quote: reply('nl', 0, 'j.kremer@kremerbouw.example', NL1, 'Jeroen Kremer'),
  },
  {
    file: 'h004-unsubscribe-nl-owa-angry-third-time.eml',
    label: act('unsubscribe', 'nl', 'bas_hoekstra@hotmail.nl', 'unsubscribe', 'angry, capitals, threatens the AP, asks to be taken out of the file; quotes the newsletter', { alsoAccept: ['erase'] }),
    client: 'owa', from: ['Bas Hoekstra', 'bas_hoekstra@hotmail.nl'], subject: 'RE: Jouw cadeautips voor Sinterklaas', date: when(2026, 11, 27, 22, 58),
    text: 'Dit is de DERDE keer dat ik hierom vraag.\n\nIk heb op jullie link onderaan geklikt, ik heb jullie gemaild en toch komt die nieuwsbrief elke week weer binnen. Haal mijn adres NU uit jullie bestand, anders dien ik een klacht in bij de Autoriteit Persoonsgegevens.\n\nBas',
    quote: reply('nl', 2, 'bas_hoekstra@hotmail.nl', NL3),
  },
  {
    file: 'h005-unsubscribe-nl-samsung-one-liner.eml',
    label: act('unsubscribe', 'nl', 'gerda.wijnands@ziggo.nl', 'unsubscribe', 'Samsung Email, base64 parts, a one-liner above the quoted newsletter and its Galaxy tagline'),
    client: 'samsung', from: ['Gerda Wijnands', 'gerda.wijnands@ziggo.nl'], subject: 'Re: Jouw cadeautips voor Sinterklaas', date: when(2026, 11, 28, 9, 3),
    text: 'stop met die mails aub',
    quote: reply('nl', 2, 'gerda.wijnands@ziggo.nl', NL3),
  },
  {
    file: 'h006-unsubscribe-nl-thunderbird-bottom-posted.eml',
    label: act('unsubscribe', 'nl', 'f.aalbers@xs4all.nl', 'unsubscribe', "bottom-posted under the quoted newsletter, format=flowed; 'niet langer ontvangen' is a request, not a negation"),
    client: 'thunderbird', bottomPost: true, from: ['Frits Aalbers', 'f.aalbers@xs4all.nl'], subject: 'Re: Nieuw binnen: de wintercollectie', date: when(2026, 11, 16, 19, 47),
    text: 'Ik wil deze nieuwsbrief niet langer ontvangen. Bij voorbaat dank.\n\nF. Aalbers',
    quote: reply('nl', 0, 'f.aalbers@xs4all.nl', NL1),
  },
  {
    file: 'h007-unsubscribe-nl-kpn-webmail-moved.eml',
    label: act('unsubscribe', 'nl', 'henkbosman@kpnmail.nl', 'unsubscribe', 'webmail, explains why (moved abroad) before the question whether they can unsubscribe him'),
    client: 'ox', mailerHost: 'kpnmail.nl', from: ['Henk Bosman', 'henkbosman@kpnmail.nl'], subject: 'nieuwsbrief', date: when(2026, 11, 23, 14, 20),
    text: 'Beste mensen van De Winkel,\n\nIk woon sinds kort in Portugal en heb dus weinig aan jullie aanbiedingen. Zouden jullie mij willen afmelden voor de nieuwsbrief?\n\nVriendelijke groeten,\nHenk Bosman',
  },
  {
    file: 'h008-erase-nl-outlook-avg-letter-pdf.eml',
    label: act('erase', 'nl', 'e.vanderlinden@vdberg-accountants.example', 'erase', 'formal Art. 17 AVG letter in the body and as PDF, clause between verb and object, disclaimer says verwijder hem'),
    client: 'outlook', from: ['Linden, Esther van der', 'e.vanderlinden@vdberg-accountants.example'], fromQuoted: true, subject: 'Verzoek tot verwijdering persoonsgegevens (art. 17 AVG)', date: when(2026, 11, 18, 10, 5),
    text: 'Geachte heer, mevrouw,\n\nHierbij verzoek ik u, op grond van artikel 17 van de Algemene Verordening Gegevensbescherming, alle persoonsgegevens die u van mij verwerkt, waaronder mijn klantaccount, bestelgegevens voor zover u die niet op grond van de wet moet bewaren en mijn inschrijving voor de nieuwsbrief, te wissen.\n\nIk verzoek u mij binnen een maand na ontvangst schriftelijk te bevestigen dat mijn gegevens zijn gewist. Bijgaand treft u dit verzoek ook als ondertekende brief aan.\n\nMet vriendelijke groet,',
    sig: 'Esther van der Linden\nSenior assistent-accountant\n\nVan den Berg Accountants\nStationsplein 3\n3818 LE Amersfoort\n033 - 465 20 00',
    disclaimer: DISCLAIMER_ACC,
    attachments: [{ name: 'Verzoek art 17 AVG - E. van der Linden.pdf', type: 'application/pdf', bytes: pdf(['E. van der Linden', 'Amersfoort, 18 november 2026', '', 'Aan: De Winkel B.V., t.a.v. de functionaris gegevensbescherming', 'Betreft: verzoek tot wissing van persoonsgegevens (art. 17 AVG)', '', 'Geachte heer, mevrouw,', '', 'Hierbij verzoek ik u al mijn persoonsgegevens te wissen.', '', 'Met vriendelijke groet,', 'E. van der Linden'], 'Verzoek art 17 AVG') }],
  },
  {
    file: 'h009-erase-nl-gmail-informal-account.eml',
    label: act('erase', 'nl', 'sannevisser.98@gmail.com', 'erase', "informal: 'account opheffen en alles weggooien', no legal words"),
    client: 'gmail', from: ['Sanne Visser', 'sannevisser.98@gmail.com'], subject: 'account', date: when(2026, 11, 19, 16, 33),
    text: 'Hoi!\n\nIk heb een paar jaar terug een account bij jullie gemaakt maar ik gebruik het eigenlijk nooit. Kunnen jullie mijn account opheffen en alles wat jullie van mij hebben weggooien?\n\nThanks!\nSanne',
  },
  {
    file: 'h010-erase-nl-iphone-split-lines.eml',
    label: act('erase', 'nl', 'pdegroot@icloud.com', 'erase', 'the request runs over a hard line break mid-sentence; the verb comes last'),
    client: 'iphone', from: ['Peter de Groot', 'pdegroot@icloud.com'], subject: 'Gegevens', date: when(2026, 11, 21, 11, 2),
    text: 'Geachte heer, mevrouw,\n\nIk ben sinds 2023 geen klant meer. Ik verzoek u daarom mijn naam, adres, telefoonnummer en\ne-mailadres uit al uw systemen te verwijderen.\n\nGraag een bevestiging.\n\nP. de Groot',
  },
  {
    file: 'h011-erase-nl-thunderbird-vergetelheid.eml',
    label: act('erase', 'nl', 'willem.hendriks@telenet.be', 'erase', 'Flemish sender, recht op vergetelheid, format=flowed with a signature after the dash-dash line'),
    client: 'thunderbird', from: ['Willem Hendriks', 'willem.hendriks@telenet.be'], subject: 'Recht op vergetelheid', date: when(2026, 11, 24, 20, 11),
    text: 'Beste,\n\nIk maak gebruik van mijn recht op vergetelheid (artikel 17 van de AVG / GDPR). Ik vraag u alle persoonsgegevens die u over mij hebt vastgelegd te wissen, mijn bestelgeschiedenis inbegrepen voor zover u die niet wettelijk moet bijhouden.\n\nMag ik een bevestiging ontvangen wanneer dit gebeurd is?\n\nMet vriendelijke groeten,\nWillem Hendriks',
    sig: 'Willem Hendriks\nKerkstraat 7, 2000 Antwerpen',
  },
  {
    file: 'h012-erase-nl-samsung-typos.eml',
    label: act('erase', 'nl', 'kim.olthof@hotmail.com', 'erase', "typos ('acount', 'gegevns'), no capitals, no punctuation"),
    client: 'samsung', from: ['Kim Olthof', 'kim.olthof@hotmail.com'], subject: 'verwijderen', date: when(2026, 11, 25, 23, 40),
    text: 'verwijder aub mijn acount en al mijn gegevns ik wil niks meer met jullie te maken hebben',
  },
  {
    file: 'h013-access-nl-outlook-inzage-art15.eml',
    label: hold('access', 'nl', 'm.jacobs@gemeente-lochem.example', 'access', 'formal Art. 15 AVG access request with a list; organisation disclaimer that mentions verwijderen'),
    client: 'outlook', onPrem: 'EXCH02.gemeente-lochem.local', from: ['Jacobs, Mirjam', 'm.jacobs@gemeente-lochem.example'], fromQuoted: true, subject: 'Inzageverzoek AVG', date: when(2026, 11, 18, 13, 27),
    text: 'Geachte heer, mevrouw,\n\nOp grond van artikel 15 AVG verzoek ik u mij te laten weten of u persoonsgegevens van mij verwerkt. Zo ja, dan ontvang ik graag:\n\n- een kopie van die gegevens;\n- de doeleinden waarvoor u ze verwerkt;\n- aan wie u ze heeft verstrekt;\n- hoe lang u ze bewaart en waar u ze vandaan heeft.\n\nIk zie uw antwoord binnen de wettelijke termijn van een maand graag tegemoet.\n\nMet vriendelijke groet,\n\nMirjam Jacobs',
    disclaimer: 'Dit bericht kan informatie bevatten die niet voor u is bestemd. Indien u niet de geadresseerde bent of dit bericht abusievelijk aan u is toegezonden, wordt u verzocht dat aan de afzender te melden en het bericht te verwijderen. De gemeente aanvaardt geen aansprakelijkheid voor schade, van welke aard ook, die verband houdt met risico\u2019s verbonden aan het elektronisch verzenden van berichten.',
  },
  {
    file: 'h014-access-nl-gmail-overzicht.eml',
    label: hold('access', 'nl', 'tvanleeuwen@gmail.com', 'access', "informal 'wat slaan jullie op, stuur een overzicht' with an English Gmail interface"),
    client: 'gmail', ui: 'en', from: ['Thijs van Leeuwen', 'tvanleeuwen@gmail.com'], subject: 'Vraagje over mijn gegevens', date: when(2026, 11, 22, 15, 9),
    text: 'Hallo,\n\nIk vroeg me af wat jullie eigenlijk allemaal van mij opslaan. Kunnen jullie me een overzicht sturen van de gegevens die jullie van mij hebben?\n\nGr. Thijs',
  },
  {
    file: 'h015-objection-nl-thunderbird-art21.eml',
    label: act('unsubscribe', 'nl', 'a.kuipers@ziggo.nl', 'objection', 'objection to direct marketing under Art. 21(2) AVG, also asks for no post'),
    client: 'thunderbird', html: true, from: ['Anja Kuipers', 'a.kuipers@ziggo.nl'], subject: 'Bezwaar direct marketing', date: when(2026, 11, 19, 9, 51),
    text: 'Geachte De Winkel,\n\nIk maak bezwaar tegen het gebruik van mijn persoonsgegevens voor direct marketing, als bedoeld in artikel 21 lid 2 AVG. Ik wil geen reclame meer van u ontvangen, niet per e-mail en ook niet per post.\n\nMet vriendelijke groet,\nAnja Kuipers',
  },
  {
    file: 'h016-objection-nl-iphone-toestemming-intrekken.eml',
    label: act('unsubscribe', 'nl', 'dewitlotte@icloud.com', 'objection', 'withdrawal of consent for advertising mail, no unsubscribe word'),
    client: 'iphone', from: ['Lotte de Wit', 'dewitlotte@icloud.com'], subject: 'Toestemming', date: when(2026, 11, 26, 7, 55),
    text: 'Hierbij trek ik mijn toestemming in voor het ontvangen van reclame en aanbiedingen per e-mail.\n\nLotte',
  },
  {
    file: 'h017-negation-nl-gmail-twice-work-address.eml',
    label: hold('unknown', 'nl', 'tessa.vos@bakkerijvos.example', 'negation', "'ik wil me NIET afmelden' for this address, but the work address may go: a person decides or the link goes to that address", { alsoAccept: ['unsubscribe'], mayVerifyAbout: true }),
    client: 'gmail', from: ['Tessa Vos', 'tessavos@gmail.com'], subject: 'Nieuwsbrief dubbel', date: when(2026, 11, 17, 18, 22),
    text: 'Hoi,\n\nIk wil me NIET afmelden hoor, ik lees jullie nieuwsbrief graag! Maar ik krijg hem twee keer: op dit adres en op mijn werkadres tessa.vos@bakkerijvos.example. Dat werkadres mag van de lijst, dit adres houd ik graag.\n\nGroetjes,\nTessa',
  },
  {
    file: 'h018-negation-nl-outlook-accidental-click.eml',
    label: hold('unknown', 'nl', 'r.smits@smitsinstallatie.example', 'negation', 'accidentally clicked Afmelden and wants the newsletter back; quotes the newsletter footer'),
    client: 'outlook', from: ['Rob Smits', 'r.smits@smitsinstallatie.example'], subject: 'RE: Alleen dit weekend: gratis verzending op alles', date: when(2026, 11, 20, 10, 2),
    text: 'Goedemorgen,\n\nIk heb per ongeluk op \u2018afmelden\u2019 geklikt onder uw nieuwsbrief. Dat was niet de bedoeling, ik wil hem graag blijven ontvangen. Kunt u dat terugdraaien?\n\nAlvast dank,\nRob Smits',
    sig: 'Smits Installatietechniek\nDorpsstraat 18 | 5261 BE Vught\nTel. 073 - 656 11 90',
    quote: reply('nl', 1, 'r.smits@smitsinstallatie.example', NL2, 'Rob Smits'),
  },
  {
    file: 'h019-negation-nl-owa-niet-verwijderen.eml',
    label: hold('unknown', 'nl', 'noor.elamrani@outlook.com', 'negation', "'verwijder mijn account niet', wants to change the e-mail address of the account"),
    client: 'owa', from: ['Noor El Amrani', 'noor.elamrani@outlook.com'], subject: 'Account', date: when(2026, 11, 29, 13, 14),
    text: 'Hallo,\n\nVerwijder mijn account alsjeblieft niet! Ik wil alleen het e-mailadres veranderen. Vanaf nu gebruik ik noor.elamrani@proton.me, kunnen jullie dat aanpassen?\n\nBedankt,\nNoor',
  },
  {
    file: 'h020-other-nl-gmail-late-father.eml',
    label: about('erase', 'nl', 'jan.devries1948@kpnmail.nl', 'a daughter asks to delete her late father\'s account; his address is in the body'),
    client: 'gmail', from: ['Ingrid de Vries', 'ingrid.devries@gmail.com'], subject: 'Account van mijn vader', date: when(2026, 11, 23, 10, 48),
    text: 'Beste medewerker,\n\nMijn vader, Jan de Vries, is vorige maand overleden. Hij had een account bij jullie met het e-mailadres jan.devries1948@kpnmail.nl. Zouden jullie zijn account en gegevens willen verwijderen? Ik regel zijn nalatenschap.\n\nMet vriendelijke groet,\nIngrid de Vries',
  },
  {
    file: 'h021-other-nl-contact-form-noreply.eml',
    label: about('erase', 'nl', 'yvonne.terpstra@gmail.com', "our website's contact form from noreply@: the person and her request are in the body; nothing proves who filled it in"),
    client: 'form', from: ['De Winkel website', 'noreply@shop.example'], subject: 'Nieuw bericht via contactformulier', date: when(2026, 11, 21, 17, 6),
    text: 'Er is een nieuw bericht verstuurd via het contactformulier op https://shop.example/contact\n\nNaam: Yvonne Terpstra\nE-mailadres: yvonne.terpstra@gmail.com\nTelefoon: 06-12345678\nOnderwerp: Privacy\n\nBericht:\nGraag al mijn gegevens verwijderen uit jullie klantenbestand, ook mijn account. Ik heb niets meer bij jullie besteld sinds 2022.\n\n--\nVerzonden op 21-11-2026 om 17:06 vanaf IP 203.0.113.54',
  },
  {
    file: 'h022-other-nl-support-desk-forward.eml',
    label: about('unsubscribe', 'nl', 'c.boer@planet.example', "our own customer service forwards a customer's unsubscribe in an Outlook FW block; the customer's address is only in the forwarded header"),
    client: 'outlook', from: ['Klantenservice De Winkel', 'klantenservice@shop.example'], subject: 'FW: uitschrijven', date: when(2026, 11, 24, 9, 30),
    text: 'Hoi privacyteam,\n\nZie onderstaand verzoek, dit kwam bij ons binnen. Kunnen jullie het oppakken?\n\nGroet,\nIlse\nKlantenservice De Winkel',
    quote: { kind: 'forward', msg: { fromName: 'Corrie Boer', from: 'c.boer@planet.example', to: 'klantenservice@shop.example', date: when(2026, 11, 23, 20, 12), subject: 'uitschrijven', text: 'Goedenavond,\n\nWilt u mij uitschrijven voor alle mailings van De Winkel? Ik krijg er te veel.\n\nMvg C. Boer' } },
    trace: { dkimDomain: 'shop.example' },
  },
  {
    file: 'h023-other-nl-kpn-old-address.eml',
    label: about('unsubscribe', 'nl', 'jbakker@hetnet.nl', 'the newsletter reaches his old address (forwarded to the new one); he asks to unsubscribe the old address'),
    client: 'ox', mailerHost: 'kpnmail.nl', from: ['Johan Bakker', 'johan.bakker@kpnmail.nl'], subject: 'Oud e-mailadres', date: when(2026, 11, 25, 8, 44),
    text: 'Geachte heer/mevrouw,\n\nJullie nieuwsbrief komt nog steeds binnen op mijn oude adres jbakker@hetnet.nl, dat wordt doorgestuurd naar dit adres. Willen jullie dat oude adres afmelden?\n\nMet vriendelijke groet,\nJohan Bakker',
  },
  {
    file: 'h024-question-nl-outlook-muts-zwart.eml',
    label: hold('unknown', 'nl', 'l.mulder@mulderadvies.example', 'question', 'a product question above the quoted newsletter, whose footer says Afmelden'),
    client: 'outlook', from: ['Linda Mulder', 'l.mulder@mulderadvies.example'], subject: 'RE: Nieuw binnen: de wintercollectie', date: when(2026, 11, 16, 11, 37),
    text: 'Hallo,\n\nIs de wollen muts uit deze mail ook in het zwart te krijgen? Ik zie online alleen grijs en rood.\n\nGroet, Linda',
    sig: 'Linda Mulder | Mulder Advies\n+31 6 2345 6789',
    quote: reply('nl', 0, 'l.mulder@mulderadvies.example', NL1, 'Linda Mulder'),
  },
  {
    file: 'h025-question-nl-gmail-order-company-footer.eml',
    label: hold('unknown', 'nl', 'inkoop@tuincentrum-hofman.example', 'question', "an order question; the sender's own signature advertises its newsletter with Aanmelden | Afmelden"),
    client: 'gmail', from: ['Tuincentrum Hofman - Inkoop', 'inkoop@tuincentrum-hofman.example'], subject: 'Levering bestelling 100234', date: when(2026, 11, 26, 10, 3),
    text: 'Goedemorgen,\n\nWanneer wordt onze bestelling 100234 verzonden? Op de site staat nog steeds \'in behandeling\'.\n\nMet groet,\nMarco Hofman',
    sig: 'Tuincentrum Hofman\nAchterweg 2, 2161 CK Lisse\n\nOntvang ook onze tuintips! Nieuwsbrief: aanmelden | afmelden via www.tuincentrum-hofman.example/nieuwsbrief',
  },
  {
    file: 'h026-question-nl-iphone-geboortedatum.eml',
    label: hold('unknown', 'nl', 'mvandijk77@icloud.com', 'question', 'a question about why a date of birth is asked and what happens with it; no request'),
    client: 'iphone', from: ['Martijn van Dijk', 'mvandijk77@icloud.com'], subject: 'Geboortedatum bij afrekenen?', date: when(2026, 11, 28, 19, 26),
    text: 'Waarom moet ik bij het afrekenen mijn geboortedatum invullen? Wat doen jullie daarmee en met wie delen jullie dat?',
  },
  {
    file: 'h027-question-nl-webde-afmelding-gelukt.eml',
    label: hold('unknown', 'nl', 'hans.peeters@gmx.net', 'question', "'is mijn afmelding gelukt?' after clicking the link; unsubscribing again does no harm", { alsoAccept: ['unsubscribe'], mustNotAct: false }),
    client: 'gmx', ui: 'en', from: ['Hans Peeters', 'hans.peeters@gmx.net'], subject: 'Afmelding', date: when(2026, 11, 30, 16, 50),
    text: 'Goedemiddag,\n\nIk heb vorige week op de link in jullie mail geklikt om me af te melden, maar ik kreeg geen bevestiging. Is het gelukt?\n\nGroet,\nHans Peeters',
  },
  {
    file: 'h028-unsubscribe-nl-outlook-plain-oorspronkelijk.eml',
    label: act('unsubscribe', 'nl', 'secretariaat@vvdeschakel.example', 'unsubscribe', "Outlook in plain-text mode, '-----Oorspronkelijk bericht-----' block, a club's secretary asks to stop the mailings to the club address"),
    client: 'outlook', plainOnly: true, plainQuote: true, from: ['Secretariaat VV De Schakel', 'secretariaat@vvdeschakel.example'], subject: 'RE: Alleen dit weekend: gratis verzending op alles', date: when(2026, 11, 21, 9, 15),
    text: 'L.S.,\n\nDit adres is van het secretariaat van onze voetbalvereniging en wordt door meerdere vrijwilligers gelezen. Wij willen graag geen nieuwsbrieven meer ontvangen op dit adres.\n\nSportieve groet,\nGer Haverkamp\nsecretaris VV De Schakel',
    quote: reply('nl', 1, 'secretariaat@vvdeschakel.example', NL2),
    attachments: [{ name: 'image001.png', type: 'image/png', bytes: PNG }],
  },
];
