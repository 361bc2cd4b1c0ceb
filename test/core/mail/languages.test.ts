import { LOCALES } from '../../../core/consent/identity';
import { replyLocale } from '../../../core/inbox/answer';
import { classifyRequest, type Intent } from '../../../core/mail/classify';
import { composeMail } from '../../../core/mail/compose';
import { detectLanguage } from '../../../core/mail/language';
import { readRequestMail } from '../../../core/mail/request-mail';
import { choosePhrase } from '../../../core/mail/request-words';
import { TEMPLATE_KINDS } from '../../../core/mail/templates';
import { LANGUAGES, normaliseWords, type Language } from '../../../core/mail/vocabulary';
import { rawMail, type MailSpec } from './fixtures';

// Requests as people write them in the six languages: formal and informal, a phrase split by a
// clause, a separable verb, a verb at the end, a typo. One line per case: what, mail, intent, language.
const CASES: [string, MailSpec, Intent, Language | null][] = [
  ['nl: erasure split by a clause', { subject: 'Verzoek', text: 'Goedemiddag,\n\nIk verzoek u vriendelijk al mijn gegevens, die u sinds 2019 bewaart, te verwijderen.\n\nGroet,\nMarieke' }, 'erase', 'nl'],
  ['nl: typo in uitschrijven', { subject: 'Nieuwsbrief', text: 'Graag uitschrijfen voor de nieuwsbrief, dank je.' }, 'unsubscribe', 'nl'],
  ['nl: haal mij uit jullie bestand', { subject: 'Bestand', text: 'Haal mij a.u.b. uit jullie bestand.' }, 'erase', 'nl'],
  ['nl: objection to direct marketing', { subject: 'Bezwaar', text: 'Hierbij maak ik bezwaar tegen het gebruik van mijn gegevens voor direct marketing.' }, 'unsubscribe', 'nl'],
  ['nl: which data', { subject: 'Vraag', text: 'Ik wil graag weten welke gegevens jullie over mij hebben opgeslagen.' }, 'access', 'nl'],
  ['en: typo in the subject', { subject: 'unsubcribe' }, 'unsubscribe', 'en'],
  ['en: request for erasure', { subject: 'Request for erasure', text: 'Hello,\n\nplease treat this mail as a formal request under the GDPR.\n\nRegards,\nTom' }, 'erase', 'en'],
  ['en: objection, Art. 21', { subject: 'Objection', text: 'I object to the processing of my personal data for direct marketing purposes (Article 21).' }, 'unsubscribe', 'en'],
  ['en: data ... deleted', { subject: 'My account', text: 'Please make sure that all the personal data you keep about me is deleted.' }, 'erase', 'en'],
  ['de: separable verb, melden Sie mich ... ab', { subject: 'Newsletter', text: 'Hallo, bitte melden Sie mich von Ihrem Newsletter ab. Danke!' }, 'unsubscribe', 'de'],
  ['de: verb at the end', { subject: 'Anfrage', text: 'Sehr geehrte Damen und Herren,\n\nich bitte Sie, sämtliche bei Ihnen gespeicherten Daten über mich zu löschen.\n\nMit freundlichen Grüßen\nJ. Wagner' }, 'erase', 'de'],
  ['de: Widerspruch gegen Werbung', { subject: 'Widerspruch', text: 'Ich widerspreche der Verwendung meiner Adresse für Werbung.' }, 'unsubscribe', 'de'],
  ['fr: désinscrire', { subject: 'Newsletter', text: "Bonjour, merci de me désinscrire de votre lettre d'information." }, 'unsubscribe', 'fr'],
  ['fr: effacement, art. 17 RGPD', { subject: 'Demande', text: "Madame, Monsieur,\n\nConformément à l'article 17 du RGPD, je vous prie d'effacer toutes les données personnelles me concernant.\n\nCordialement,\nLuc" }, 'erase', 'fr'],
  ["fr: droit d'accès", { subject: 'RGPD', text: "Je souhaite exercer mon droit d'accès et obtenir une copie de mes données." }, 'access', 'fr'],
  ['fr: typo in the subject', { subject: 'Désinscritpion' }, 'unsubscribe', 'fr'],
  ['es: denme de baja', { subject: 'Lista', text: 'Hola, por favor denme de baja de su lista de correo.' }, 'unsubscribe', 'es'],
  ['es: eliminen ... datos', { subject: 'Solicitud', text: 'Buenos días, solicito que eliminen todos los datos personales que tienen sobre mí. Un saludo.' }, 'erase', 'es'],
  ['es: me opongo ... publicidad', { subject: 'Oposición', text: 'Me opongo al uso de mis datos con fines de publicidad.' }, 'unsubscribe', 'es'],
  ['es: qué datos', { subject: 'Consulta', text: 'Quisiera saber qué datos personales tienen guardados sobre mí.' }, 'access', 'es'],
  ['it: cancellami dalla newsletter', { subject: 'Newsletter', text: 'Cancellami dalla newsletter per favore' }, 'unsubscribe', 'it'],
  ["it: diritto all'oblio", { subject: 'Richiesta', text: "Buongiorno, vi chiedo di cancellare tutti i dati personali che avete su di me (diritto all'oblio). Cordiali saluti" }, 'erase', 'it'],
  ['it: non voglio più ricevere', { subject: 'Email', text: 'Non voglio più ricevere le vostre email, grazie.' }, 'unsubscribe', 'it'],
  ['it: quali dati', { subject: 'Domanda', text: 'Vorrei sapere quali dati personali conservate su di me.' }, 'access', 'it'],
  // A wish put as what should happen to the writer ('to be unsubscribed'), 'no longer receive',
  // 'what do you know about me', 'wipe everything': how people ask without the verb itself.
  ['nl: uitgeschreven worden', { subject: 'Nieuwsbrief', text: 'Ik zou graag uitgeschreven worden, bedankt.' }, 'unsubscribe', 'nl'],
  ['en: to be unsubscribed', { subject: 'Emails', text: 'Hi, I would like to be unsubscribed from these emails please.' }, 'unsubscribe', 'en'],
  ['en: wipe everything', { subject: 'Account', text: 'Please wipe everything you have on me, I am done with online shopping.' }, 'erase', 'en'],
  ['en: not for marketing', { subject: 'Consent', text: 'I never agreed to this. Do not use my email for marketing.' }, 'unsubscribe', 'en'],
  ['de: nicht mehr bekommen', { subject: 'Mails', text: 'Hallo, ich möchte diese Mails bitte nicht mehr bekommen. Gruß Jens' }, 'unsubscribe', 'de'],
  ['de: was wissen Sie über mich', { subject: 'Frage', text: 'Was wissen Sie eigentlich alles über mich? Bitte um Auskunft.' }, 'access', 'de'],
  ['fr: que savez-vous de moi', { subject: 'Question', text: 'Bonjour, que savez-vous de moi exactement ? Merci de me répondre.' }, 'access', 'fr'],
  ['es: dejar de recibir', { subject: 'Correos', text: 'Hola, quiero dejar de recibir sus correos. Gracias.' }, 'unsubscribe', 'es'],
  ['it: essere cancellato', { subject: 'Newsletter', text: 'Buongiorno, vorrei essere cancellato dalla vostra lista. Grazie' }, 'unsubscribe', 'it'],
  ['en: keep receiving is no request', { subject: 'Newsletter', text: "I don't want to stop receiving your newsletter, just send it to my new address." }, 'unknown', 'en'],
  // Words one letter from a request word, and a common phrase that only looks like one.
  ['de: anmelden is not abmelden', { subject: 'Frage', text: 'Ich möchte mich gern für Ihren Newsletter anmelden.' }, 'unknown', 'de'],
  ['nl: aanmelden is not afmelden', { subject: 'Vraag', text: 'Kunt u mij aanmelden voor de nieuwsbrief?' }, 'unknown', 'nl'],
  ['es: de baja (sick leave) is not darse de baja', { subject: 'Pedido', text: 'Estoy de baja hasta el lunes, les escribo después.' }, 'unknown', 'es'],
];

describe('requests in six languages', () => {
  it.each(CASES)('%s', async (_name, spec, intent, language) => {
    const c = classifyRequest(await readRequestMail(rawMail(spec)));
    expect({ intent: c.intent, language: c.language }).toEqual({ intent, language });
  });
});

describe('choosePhrase', () => {
  it('gives where, the offsets in the normalised text and the matched words of a split phrase', () => {
    const raw = 'Wilt u al mijn gegevens, die u sinds 2019 bewaart, te verwijderen?';
    const own = normaliseWords(raw);
    const m = choosePhrase('', own, raw)!;
    expect(m).toMatchObject({ where: 'text', rule: 'pair', languages: ['nl'], isTypo: false });
    expect(own.slice(m.start, m.end)).toBe(m.phrase.text);
    expect(m.phrase.text).toBe('gegevens die u sinds 2019 bewaart te verwijderen');
    expect(m.words).toEqual(['gegevens', 'verwijderen']);
  });

  it('does not join an action and an object across sentences', () => {
    const raw = 'Mijn gegevens kloppen niet meer. Verwijder dit bericht als het niet klopt.';
    expect(choosePhrase('', normaliseWords(raw), raw)).toBeUndefined();
  });

  it('reads one typo on a long word, never a real word one letter away', () => {
    expect(choosePhrase('', 'verwijder mijn gegevns')).toMatchObject({ isTypo: true, phrase: { intent: 'erase', text: 'verwijder mijn gegevns' } });
    expect(choosePhrase('', 'ik heb u mijn adres gegeven verwijder het bericht')).toBeUndefined();
  });
});

describe('detectLanguage', () => {
  it.each([
    ['afmelden aub', ['nl'], 'nl'],
    ['abmelden bitte', ['de'], 'de'],
    ['Newsletter abbestellen', ['de'], 'de'],
    ['cancellami', ['it'], 'it'],
    ['stop', [], null],
  ] as [string, Language[], Language | null][])('short text %j: the request words decide', (text, matched, language) => {
    expect(detectLanguage(normaliseWords(text), matched)).toBe(language);
  });

  it.each([
    ['Ik ontvang al maanden uw nieuwsbrief terwijl ik me nooit heb aangemeld, wilt u dat stoppen?', 'nl'],
    ['I keep getting these promotional emails although I never signed up for them, please stop.', 'en'],
    ['Ich bekomme seit Monaten Ihre Werbung, obwohl ich mich nie dafür angemeldet habe.', 'de'],
    ["Je reçois votre lettre d'information depuis des mois alors que je ne me suis jamais inscrit.", 'fr'],
    ['Recibo su boletín desde hace meses aunque nunca me he suscrito, por favor paren.', 'es'],
    ["Vi chiedo la cancellazione dei miei dati ai sensi dell'art. 17 GDPR.", 'it'],
  ] as [string, Language][])('a sentence: %j', (text, language) => {
    expect(detectLanguage(normaliseWords(text))).toBe(language);
  });
});

describe('replies in six languages', () => {
  it('has every mail in every language, with no placeholder left', () => {
    expect([...LOCALES].sort()).toEqual([...LANGUAGES].sort());
    for (const locale of LOCALES) {
      for (const kind of TEMPLATE_KINDS) {
        const mail = composeMail(kind, {
          to: 'anna@example.org',
          from: 'privacy@shop.example',
          locale,
          organisation: 'Shop',
          baseUrl: 'https://shop.example/consent',
          confirmToken: 'c1',
          unsubscribeToken: 'u1',
          eraseToken: 'e1',
          accessToken: 'a1',
          privacyToken: 'p1',
        });
        expect(`${mail.subject}\n${mail.text}`).not.toMatch(/\{\{|\}\}/);
        expect(mail.text).toContain('Shop');
      }
    }
  });

  it('answers in the stored language first, then the language of the mail, then the default', () => {
    expect(replyLocale('nl', 'fr', 'en')).toBe('nl');
    expect(replyLocale(null, 'fr', 'en')).toBe('fr');
    expect(replyLocale(undefined, 'de', 'nl')).toBe('de');
    expect(replyLocale('xx', null, 'it')).toBe('it');
  });
});
