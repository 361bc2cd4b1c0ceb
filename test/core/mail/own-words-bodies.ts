/**
 * Mail bodies as the mail clients write them (Outlook desktop and web, Outlook mobile, Gmail, Apple
 * Mail and iOS, Thunderbird, Yahoo), in the six languages, for person-text.test.ts. Written from how
 * each client lays out a reply, a forward and a signature; `own` are words the person wrote, which
 * must be kept; `notOwn` are words of the quoted mail, signature, disclaimer or footer, which must go.
 */
export interface OwnWordsCase {
  name: string;
  subject?: string;
  text?: string;
  html?: string;
  own: string[];
  notOwn: string[];
  /** For a forward: who sent the forwarded original, and words of its text. */
  forwardedFrom?: string | null;
  forwardedText?: string[];
}

const NEWSLETTER_NL = [
  'Beste Jan,',
  '',
  'Deze maand 20% korting op alle broden. Bekijk de aanbieding in onze winkel.',
  '',
  'Wil je deze nieuwsbrief niet meer ontvangen? Klik hier om je af te melden.',
  'Bakkerij Voorbeeld, Dorpsstraat 1, 1234 AB Ergens',
].join('\n');

const NEWSLETTER_EN = [
  'Hi Jane,',
  '',
  'Our autumn sale starts today: 30% off everything in the shop.',
  '',
  'You are receiving this email because you signed up at shop.example.',
  'Unsubscribe | Update your preferences',
].join('\n');

export const PLAIN_CASES: OwnWordsCase[] = [
  {
    name: 'Outlook desktop, nl: top-post, signature without separator, Van/Verzonden/Aan/Onderwerp block',
    text: [
      'Goedemorgen,',
      '',
      'Wilt u mijn gegevens uit uw bestand halen? Ik heb geen interesse meer.',
      '',
      'Met vriendelijke groet,',
      '',
      'Jan de Vries',
      'Inkoper | Groothandel De Vries B.V.',
      'T: +31 (0)20 123 45 67 | M: +31 (0)6 12 34 56 78',
      'www.groothandeldevries.nl',
      '',
      'Van: Bakkerij Voorbeeld <nieuwsbrief@bakkerij.example>',
      'Verzonden: maandag 3 november 2026 10:12',
      'Aan: Jan de Vries <jan@devries.example>',
      'Onderwerp: Deze maand 20% korting',
      '',
      NEWSLETTER_NL,
    ].join('\n'),
    own: ['Wilt u mijn gegevens uit uw bestand halen?'],
    notOwn: ['af te melden', 'Verzonden:', '+31 (0)6', 'Groothandel De Vries', 'www.groothandeldevries.nl'],
  },
  {
    name: 'Outlook on the web, en: underscores line, From/Sent/To/Subject',
    text: [
      'Please take me off your mailing list.',
      '',
      'Thanks,',
      'Jane',
      '',
      '________________________________',
      'From: Shop Example <news@shop.example>',
      'Sent: Monday, November 3, 2026 10:12 AM',
      'To: Jane Doe <jane@mail.example>',
      'Subject: Autumn sale',
      '',
      NEWSLETTER_EN,
    ].join('\n'),
    own: ['Please take me off your mailing list.'],
    notOwn: ['You are receiving this email', 'Unsubscribe', 'Sent: Monday'],
  },
  {
    name: 'Outlook desktop, en: header block with names only (no address), no underscores',
    text: [
      'Can you remove my details from your system please.',
      '',
      'Kind regards',
      'Jane Doe',
      'Office Manager',
      'Example Ltd | 12 High Street | London',
      'Tel: 020 7946 0000',
      '',
      'From: Shop Example',
      'Sent: 03 November 2026 10:12',
      'To: Jane Doe',
      'Subject: Autumn sale',
      '',
      NEWSLETTER_EN,
    ].join('\n'),
    own: ['Can you remove my details from your system please.'],
    notOwn: ['Unsubscribe', 'Tel: 020', 'Example Ltd', 'autumn sale starts'],
  },
  {
    name: 'Outlook, de: Von/Gesendet/An/Betreff',
    text: [
      'Bitte löschen Sie meine Daten.',
      '',
      'Mit freundlichen Grüßen',
      'Max Mustermann',
      '',
      'Muster GmbH',
      'Geschäftsführer: Max Mustermann',
      'Amtsgericht München HRB 123456',
      '',
      'Von: Shop Beispiel <newsletter@shop.example>',
      'Gesendet: Montag, 3. November 2026 10:12',
      'An: Max Mustermann <max@muster.example>',
      'Betreff: Herbstangebote',
      '',
      'Hallo Max,',
      'unsere Herbstangebote sind da.',
      'Wenn Sie diesen Newsletter nicht mehr erhalten möchten, können Sie ihn hier abbestellen.',
    ].join('\n'),
    own: ['Bitte löschen Sie meine Daten.'],
    notOwn: ['abbestellen', 'Amtsgericht', 'Gesendet:'],
  },
  {
    name: 'Outlook, fr: De / Envoyé / À / Objet with a space before the colon',
    text: [
      'Bonjour,',
      'Merci de me désinscrire de votre liste.',
      'Cordialement,',
      'Marie Dupont',
      '',
      'De\u00a0: Boutique Exemple <news@boutique.example>',
      'Envoyé\u00a0: lundi 3 novembre 2026 10:12',
      'À\u00a0: Marie Dupont <marie@exemple.example>',
      'Objet\u00a0: Les soldes d\'automne',
      '',
      'Bonjour Marie,',
      'Pour vous désabonner de cette newsletter, cliquez ici.',
    ].join('\n'),
    own: ['Merci de me désinscrire de votre liste.'],
    notOwn: ['cliquez ici', 'Envoyé', 'Objet'],
  },
  {
    name: 'Outlook, es: De / Enviado / Para / Asunto',
    text: [
      'Hola,',
      'Por favor, eliminen mis datos personales.',
      'Saludos,',
      'Carlos García',
      '',
      'De: Tienda Ejemplo <boletin@tienda.example>',
      'Enviado: lunes, 3 de noviembre de 2026 10:12',
      'Para: Carlos García <carlos@correo.example>',
      'Asunto: Ofertas de otoño',
      '',
      'Si no desea recibir más correos, haga clic aquí para darse de baja.',
    ].join('\n'),
    own: ['Por favor, eliminen mis datos personales.'],
    notOwn: ['darse de baja', 'Enviado:', 'Asunto:'],
  },
  {
    name: 'Outlook, it: Da / Inviato / A / Oggetto',
    text: [
      'Buongiorno,',
      'vi chiedo di cancellare i miei dati.',
      'Cordiali saluti',
      'Giulia Rossi',
      '',
      'Da: Negozio Esempio <newsletter@negozio.example>',
      'Inviato: lunedì 3 novembre 2026 10:12',
      'A: Giulia Rossi <giulia@posta.example>',
      'Oggetto: Offerte d\'autunno',
      '',
      'Per annullare l\'iscrizione alla newsletter clicca qui.',
    ].join('\n'),
    own: ['vi chiedo di cancellare i miei dati.'],
    notOwn: ['annullare l\'iscrizione', 'Inviato:', 'Oggetto:'],
  },
  {
    name: 'Outlook for Mac, en: From/Date/To/Subject',
    text: [
      'Stop sending me these please.',
      '',
      'From: Shop Example <news@shop.example>',
      'Date: Monday, 3 November 2026 at 10:12',
      'To: Jane Doe <jane@mail.example>',
      'Subject: Autumn sale',
      '',
      NEWSLETTER_EN,
    ].join('\n'),
    own: ['Stop sending me these please.'],
    notOwn: ['Unsubscribe', 'Date: Monday'],
  },
  {
    name: 'Outlook mobile, en: "Get Outlook for iOS" then the header block',
    text: [
      'Please delete my account and all my data.',
      '',
      'Get Outlook for iOS<https://aka.ms/o0ukef>',
      '________________________________',
      'From: Shop Example <news@shop.example>',
      'Sent: Monday, November 3, 2026 10:12:33 AM',
      'To: jane@mail.example <jane@mail.example>',
      'Subject: Autumn sale',
      '',
      NEWSLETTER_EN,
    ].join('\n'),
    own: ['Please delete my account and all my data.'],
    notOwn: ['Get Outlook', 'aka.ms', 'Unsubscribe'],
  },
  {
    name: 'Gmail, nl: attribution wrapped over two lines, quoted with >',
    text: [
      'Graag afmelden voor alle mails.',
      '',
      'Op ma 3 nov 2026 om 10:12 schreef Bakkerij Voorbeeld <',
      'nieuwsbrief@bakkerij.example>:',
      '',
      ...NEWSLETTER_NL.split('\n').map((l) => (l ? `> ${l}` : '>')),
    ].join('\n'),
    own: ['Graag afmelden voor alle mails.'],
    notOwn: ['schreef', 'nieuwsbrief@bakkerij.example', 'Dorpsstraat'],
  },
  {
    name: 'Gmail, en: attribution with the address on the second line',
    text: [
      'Unsubscribe me please',
      '',
      'On Mon, Nov 3, 2026 at 10:12 AM Shop Example <news@shop.example>',
      'wrote:',
      '',
      ...NEWSLETTER_EN.split('\n').map((l) => (l ? `> ${l}` : '>')),
    ].join('\n'),
    own: ['Unsubscribe me please'],
    notOwn: ['wrote', 'autumn sale', 'signed up'],
  },
  {
    name: 'Gmail, de: "Am Mo., 3. Nov. 2026 um 10:12 Uhr schrieb"',
    text: [
      'Bitte tragen Sie mich aus dem Verteiler aus.',
      '',
      'Am Mo., 3. Nov. 2026 um 10:12 Uhr schrieb Shop Beispiel <',
      'newsletter@shop.example>:',
      '',
      '> Hallo Max,',
      '> hier abbestellen.',
    ].join('\n'),
    own: ['Bitte tragen Sie mich aus dem Verteiler aus.'],
    notOwn: ['schrieb', 'abbestellen'],
  },
  {
    name: 'Gmail, fr: "Le lun. 3 nov. 2026 à 10:12, X a écrit :"',
    text: [
      'Supprimez mes données, s\'il vous plaît.',
      '',
      'Le lun. 3 nov. 2026 à 10:12, Boutique Exemple <news@boutique.example> a',
      'écrit :',
      '',
      '> Bonjour Marie,',
      '> Pour vous désabonner, cliquez ici.',
    ].join('\n'),
    own: ['Supprimez mes données'],
    notOwn: ['écrit', 'désabonner'],
  },
  {
    name: 'Gmail, es: "El lun, 3 nov 2026 a las 10:12, X (<x>) escribió:"',
    text: [
      'No quiero recibir más correos.',
      '',
      'El lun, 3 nov 2026 a las 10:12, Tienda Ejemplo (<boletin@tienda.example>)',
      'escribió:',
      '',
      '> Para darse de baja haga clic aquí.',
    ].join('\n'),
    own: ['No quiero recibir más correos.'],
    notOwn: ['escribió', 'darse de baja'],
  },
  {
    name: 'Gmail, it: "Il giorno lun 3 nov 2026 alle ore 10:12 X ha scritto:"',
    text: [
      'Non voglio più ricevere la newsletter.',
      '',
      'Il giorno lun 3 nov 2026 alle ore 10:12 Negozio Esempio <',
      'newsletter@negozio.example> ha scritto:',
      '',
      '> Per annullare l\'iscrizione clicca qui.',
    ].join('\n'),
    own: ['Non voglio più ricevere la newsletter.'],
    notOwn: ['ha scritto', 'annullare'],
  },
  {
    name: 'Apple Mail / iOS, nl: "heeft X het volgende geschreven:" and "Verstuurd vanaf mijn iPhone"',
    text: [
      'Verwijder mij alsjeblieft uit jullie systeem.',
      '',
      'Verstuurd vanaf mijn iPhone',
      '',
      '> Op 3 nov. 2026, om 10:12 heeft Bakkerij Voorbeeld <nieuwsbrief@bakkerij.example> het volgende geschreven:',
      '> ',
      ...NEWSLETTER_NL.split('\n').map((l) => `> ${l}`),
    ].join('\n'),
    own: ['Verwijder mij alsjeblieft uit jullie systeem.'],
    notOwn: ['Verstuurd vanaf', 'af te melden'],
  },
  {
    name: 'Apple Mail, nl: attribution not quoted, on its own line',
    text: [
      'Graag uitschrijven.',
      '',
      '- Petra',
      '',
      'Op 3 nov. 2026, om 10:12 heeft Bakkerij Voorbeeld <nieuwsbrief@bakkerij.example> het volgende geschreven:',
      '',
      ...NEWSLETTER_NL.split('\n').map((l) => `> ${l}`),
    ].join('\n'),
    own: ['Graag uitschrijven.'],
    notOwn: ['geschreven', 'af te melden'],
  },
  {
    name: 'Thunderbird, de: "Am 03.11.26 um 10:12 schrieb X:" and "Von meinem iPhone gesendet" above',
    text: [
      'Bitte keine Werbung mehr.',
      '',
      'Von meinem iPhone gesendet',
      '',
      'Am 03.11.26 um 10:12 schrieb Shop Beispiel:',
      '> Hallo Max,',
      '> hier abbestellen.',
    ].join('\n'),
    own: ['Bitte keine Werbung mehr.'],
    notOwn: ['Von meinem iPhone', 'abbestellen'],
  },
  {
    name: 'iPhone signatures in fr, es, it',
    text: ['Je ne veux plus rien recevoir.', '', 'Envoyé de mon iPhone', '', 'Enviado desde mi iPhone', '', 'Inviato da iPhone'].join('\n'),
    own: ['Je ne veux plus rien recevoir.'],
    notOwn: ['iPhone'],
  },
  {
    name: 'Bottom-posting with inline answers: every answer is kept, every quoted line goes',
    text: [
      'On Mon, 3 Nov 2026 at 10:12, Privacy Desk <privacy@shop.example> wrote:',
      '> Which address should we remove?',
      '',
      'jane.old@mail.example, please remove it entirely.',
      '',
      '> Do you also want to stop the newsletter?',
      '',
      'Yes, that too.',
      '',
      '-- ',
      'Jane Doe',
      '+44 20 7946 0000',
    ].join('\n'),
    own: ['jane.old@mail.example, please remove it entirely.', 'Yes, that too.'],
    notOwn: ['Which address', 'stop the newsletter', '+44 20'],
  },
  {
    name: 'Legal disclaimer, nl, after the request',
    text: [
      'Ik wil mij afmelden voor de nieuwsbrief.',
      '',
      'Groet,',
      'Kees',
      '',
      'Dit e-mailbericht is uitsluitend bestemd voor de geadresseerde(n). Indien u dit bericht onterecht',
      'ontvangt, wordt u verzocht de afzender direct te informeren en het bericht te verwijderen.',
    ].join('\n'),
    own: ['Ik wil mij afmelden voor de nieuwsbrief.'],
    notOwn: ['uitsluitend bestemd', 'te verwijderen'],
  },
  {
    name: 'Legal disclaimer, en, with "delete" in it',
    text: [
      'Please unsubscribe me from marketing emails.',
      '',
      'Best regards,',
      'Tom',
      '',
      'This e-mail and any attachments are confidential and may be privileged. If you are not the intended',
      'recipient, please notify the sender immediately and delete this e-mail from your system.',
    ].join('\n'),
    own: ['Please unsubscribe me from marketing emails.'],
    notOwn: ['confidential', 'delete this e-mail'],
  },
  {
    name: 'Legal disclaimers, de, fr, es, it',
    text: [
      'Je vous demande d\'effacer mes données.',
      '',
      'Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Adressat sind, informieren Sie bitte sofort den Absender und löschen Sie diese E-Mail.',
      'Ce message et toutes les pièces jointes sont confidentiels. Si vous n\'êtes pas le destinataire, merci de le supprimer.',
      'Este mensaje y sus anexos son confidenciales. Si usted no es el destinatario, le rogamos que lo elimine.',
      'Questo messaggio e i suoi allegati sono riservati. Se non siete il destinatario, vi preghiamo di cancellarlo.',
    ].join('\n'),
    own: ['Je vous demande d\'effacer mes données.'],
    notOwn: ['löschen', 'supprimer', 'elimine', 'cancellarlo'],
  },
  {
    name: 'A newsletter footer left in without any quote header (a client that pasted the mail)',
    text: [
      'Stop.',
      '',
      'Hi Jane,',
      'Our autumn sale starts today.',
      'You are receiving this email because you signed up at shop.example.',
      'Unsubscribe | Update your preferences',
    ].join('\n'),
    own: ['Stop.'],
    notOwn: ['You are receiving this email', 'Unsubscribe'],
  },
  {
    name: 'A question that names the words itself is kept (no header, no footer)',
    text: ['Hallo,', '', 'Hoe kan ik mij afmelden voor de nieuwsbrief? Ik zie de link niet.', '', 'Groetjes, Anouk'].join('\n'),
    own: ['Hoe kan ik mij afmelden voor de nieuwsbrief?'],
    notOwn: [],
  },
];

export const FORWARD_CASES: OwnWordsCase[] = [
  {
    name: 'Gmail forward, en: the employee\'s note, then the customer\'s request',
    subject: 'Fwd: Gegevens verwijderen',
    text: [
      'See below, a customer wants to be removed.',
      '',
      '---------- Forwarded message ---------',
      'From: Piet Klant <piet@klant.example>',
      'Date: Mon, Nov 3, 2026 at 10:12 AM',
      'Subject: Gegevens verwijderen',
      'To: <info@shop.example>',
      '',
      '',
      'Verwijder al mijn gegevens alstublieft.',
      '',
      'Piet',
    ].join('\n'),
    own: ['See below, a customer wants to be removed.'],
    notOwn: ['Verwijder al mijn gegevens', 'piet@klant.example'],
    forwardedFrom: 'piet@klant.example',
    forwardedText: ['Verwijder al mijn gegevens alstublieft.'],
  },
  {
    name: 'Outlook forward, nl: "FW:" subject, Oorspronkelijk bericht, Van/Verzonden/Aan/Onderwerp',
    subject: 'FW: Afmelden',
    text: [
      'Zie onderstaand verzoek.',
      '',
      '-----Oorspronkelijk bericht-----',
      'Van: Piet Klant <piet@klant.example>',
      'Verzonden: maandag 3 november 2026 10:12',
      'Aan: Info <info@shop.example>',
      'Onderwerp: Afmelden',
      '',
      'Ik wil geen mail meer van jullie.',
    ].join('\n'),
    own: ['Zie onderstaand verzoek.'],
    notOwn: ['Ik wil geen mail meer'],
    forwardedFrom: 'piet@klant.example',
    forwardedText: ['Ik wil geen mail meer van jullie.'],
  },
  {
    name: 'Apple Mail forward, en: "Begin forwarded message:", subject edited by the forwarder',
    subject: 'customer request',
    text: [
      'Please handle this one.',
      '',
      'Begin forwarded message:',
      '',
      'From: Piet Klant <piet@klant.example>',
      'Subject: Delete my data',
      'Date: 3 November 2026 at 10:12:00 CET',
      'To: info@shop.example',
      '',
      'Please delete all the data you hold on me.',
    ].join('\n'),
    own: ['Please handle this one.'],
    notOwn: ['Please delete all the data'],
    forwardedFrom: 'piet@klant.example',
    forwardedText: ['Please delete all the data you hold on me.'],
  },
];

export const HTML_CASES: OwnWordsCase[] = [
  {
    name: 'Gmail HTML: gmail_quote with gmail_attr and blockquote',
    html:
      '<div dir="ltr">Please unsubscribe me from all lists.<div><br></div><div>Jane</div></div><br><div class="gmail_quote gmail_quote_container">' +
      '<div dir="ltr" class="gmail_attr">On Mon, Nov 3, 2026 at 10:12\u202fAM Shop Example &lt;<a href="mailto:news@shop.example">news@shop.example</a>&gt; wrote:<br></div>' +
      '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex"><div>Hi Jane,</div>' +
      '<div>You are receiving this email because you signed up. <a href="https://shop.example/u">Unsubscribe</a></div></blockquote></div>',
    own: ['Please unsubscribe me from all lists.'],
    notOwn: ['wrote', 'You are receiving', 'shop.example/u'],
  },
  {
    name: 'Outlook on the web HTML: appendonsend, hr, divRplyFwdMsg and the original as siblings',
    html:
      '<html><head><style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style></head><body dir="ltr">' +
      '<div class="elementToProof" style="font-family: Aptos, sans-serif; font-size: 12pt;">Verwijder mijn gegevens alstublieft.</div>' +
      '<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">' +
      '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000"><b>Van:</b> Bakkerij Voorbeeld &lt;nieuwsbrief@bakkerij.example&gt;<br>' +
      '<b>Verzonden:</b> maandag 3 november 2026 10:12<br><b>Aan:</b> Jan &lt;jan@devries.example&gt;<br><b>Onderwerp:</b> Korting</font><div>&nbsp;</div></div>' +
      '<div><p>Beste Jan,</p><p>Klik hier om je af te melden.</p></div></body></html>',
    own: ['Verwijder mijn gegevens alstublieft.'],
    notOwn: ['af te melden', 'Verzonden'],
  },
  {
    name: 'Outlook desktop HTML: WordSection1 with the border-top header div',
    html:
      '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta name=Generator content="Microsoft Word 15 (filtered medium)"><style><!-- p.MsoNormal {margin:0cm;} --></style></head>' +
      '<body lang=NL link="#0563C1"><div class=WordSection1><p class=MsoNormal>Bitte l&ouml;schen Sie meine Daten.<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>' +
      '<p class=MsoNormal>Mit freundlichen Gr&uuml;&szlig;en<o:p></o:p></p><p class=MsoNormal>Max Mustermann<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>' +
      '<div><div style=\'border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm\'><p class=MsoNormal><b>Von:</b> Shop Beispiel &lt;newsletter@shop.example&gt; <br>' +
      '<b>Gesendet:</b> Montag, 3. November 2026 10:12<br><b>An:</b> Max Mustermann &lt;max@muster.example&gt;<br><b>Betreff:</b> Herbstangebote<o:p></o:p></p></div></div>' +
      '<p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>Hier abbestellen.<o:p></o:p></p></div></body></html>',
    own: ['Bitte löschen Sie meine Daten.'],
    notOwn: ['abbestellen', 'Gesendet'],
  },
  {
    name: 'Apple Mail HTML: blockquote type=cite with the attribution inside',
    html:
      '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto">Je ne veux plus recevoir vos mails.<br><br>' +
      '<div dir="ltr">Envoyé de mon iPhone</div><div dir="ltr"><br><blockquote type="cite">Le 3 nov. 2026 à 10:12, Boutique Exemple &lt;news@boutique.example&gt; a écrit&nbsp;:<br><br></blockquote></div>' +
      '<blockquote type="cite"><div dir="ltr">Pour vous désabonner, cliquez ici.</div></blockquote></body></html>',
    own: ['Je ne veux plus recevoir vos mails.'],
    notOwn: ['désabonner', 'iPhone', 'a écrit'],
  },
  {
    name: 'Thunderbird HTML: moz-cite-prefix and blockquote type=cite',
    html:
      '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body><p>Bitte entfernen Sie mich aus dem Verteiler.</p>' +
      '<div class="moz-cite-prefix">Am 03.11.26 um 10:12 schrieb Shop Beispiel:<br></div><blockquote type="cite" cite="mid:abc@shop.example">Hier abbestellen.</blockquote>' +
      '<div class="moz-signature">-- <br>Max Mustermann<br>Tel. 089 1234567</div></body></html>',
    own: ['Bitte entfernen Sie mich aus dem Verteiler.'],
    notOwn: ['abbestellen', 'schrieb', '089 1234567'],
  },
  {
    name: 'Yahoo HTML: yahoo_quoted',
    html:
      '<html><body><div class="ydp2f1e yahoo-style-wrap"><div dir="ltr">Cancellate i miei dati, grazie.</div></div>' +
      '<div id="yahoo_quoted_1234" class="yahoo_quoted"><div style="font-family:Helvetica"><div>Il lunedì 3 novembre 2026, 10:12:00 CET, Negozio Esempio &lt;newsletter@negozio.example&gt; ha scritto:</div>' +
      '<div><br></div><div>Per annullare l\'iscrizione clicca qui.</div></div></div></body></html>',
    own: ['Cancellate i miei dati, grazie.'],
    notOwn: ['annullare', 'ha scritto'],
  },
  {
    name: 'Gmail HTML with inline answers between the blockquotes',
    html:
      '<div dir="ltr"><br></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Nov 3, 2026 at 10:12\u202fAM Privacy Desk &lt;privacy@shop.example&gt; wrote:<br></div>' +
      '<blockquote class="gmail_quote">Which address should we remove?</blockquote><div>jane.old@mail.example, please remove it.</div><div><br></div>' +
      '<blockquote class="gmail_quote">Do you also want to stop the newsletter?</blockquote><div>Yes, that too.</div></div>',
    own: ['jane.old@mail.example, please remove it.', 'Yes, that too.'],
    notOwn: ['Which address', 'stop the newsletter'],
  },
];
