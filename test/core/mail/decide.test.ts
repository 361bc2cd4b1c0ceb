import { classifyRequest, type Classification, type Intent } from '../../../core/mail/classify';
import { FOR_ANOTHER_PERSON, REVIEW_BELOW } from '../../../core/mail/decide';
import { readRequestMail } from '../../../core/mail/request-mail';
import { rawMail, type MailSpec } from './fixtures';

/**
 * Never act on what the person did not ask, nor for someone else on the sender's word
 * (core/mail/decide.ts). Mails written as people write them, in the six languages.
 */
const SENDER = 'jan@example.nl';
const classify = async (spec: MailSpec): Promise<Classification> => classifyRequest(await readRequestMail(rawMail({ from: `Jan <${SENDER}>`, ...spec })));

/** Would the worker act on it (unsubscribe or erase, no review)? */
const acts = (c: Classification) => (c.intent === 'unsubscribe' || c.intent === 'erase') && c.review === null;

describe('a negated request never acts', () => {
  // One line per case: what it is, the mail.
  const NEGATED: [string, MailSpec][] = [
    ['en: I do NOT want to unsubscribe', { subject: 'New address', text: 'Hello,\n\nI do NOT want to unsubscribe! I have a new e-mail address, could you change it please?\n\nThanks, Sophie' }],
    ['en: please don\'t delete my account', { subject: 'My account', text: 'Hi, please don\'t delete my account, I still use it every week.' }],
    ['nl: ik wil me niet afmelden', { subject: 'Adreswijziging', text: 'Beste,\n\nIk wil me niet afmelden, maar mijn e-mailadres is veranderd.\n\nGroet, Fenna' }],
    ['nl: Niet afmelden in the subject', { subject: 'Niet afmelden!', text: 'Per ongeluk op de link geklikt. Ik wil de nieuwsbrief blijven krijgen.' }],
    ['de: bitte NICHT löschen', { subject: 'Meine Daten', text: 'Guten Tag,\n\nbitte NICHT löschen, ich bin weiterhin Kundin.\n\nMfG Gisela' }],
    ['de: löschen Sie meine Daten nicht', { subject: 'Adresse', text: 'Löschen Sie meine Daten nicht, ich habe nur eine neue Anschrift.' }],
    ['fr: je ne veux pas me désinscrire', { subject: 'Changement d\'adresse', text: 'Bonjour,\n\nje ne veux pas me désinscrire, je voudrais seulement changer mon adresse e-mail.\n\nCordialement' }],
    ['es: no quiero darme de baja', { subject: 'Cambio de correo', text: 'Hola,\n\nno quiero darme de baja, solo cambiar mi dirección de correo.\n\nSaludos' }],
    ['nl: per ongeluk op afmelden gedrukt', { subject: 'Nieuwsbrief', text: 'Hoi, ik heb per ongeluk op afmelden gedrukt. Kunnen jullie mij de nieuwsbrief gewoon weer sturen?' }],
    ['en: unsubscribed by mistake, resubscribe me', { subject: 'Newsletter', text: 'I hit unsubscribe by mistake. Could you put me back on the list?' }],
    ['de: versehentlich abgemeldet', { subject: 'Newsletter', text: 'Ich habe mich versehentlich abgemeldet, bitte wieder anmelden.' }],
    ['it: non voglio cancellarmi', { subject: 'Cambio indirizzo', text: 'Buongiorno,\n\nnon voglio cancellarmi, vorrei solo cambiare il mio indirizzo email.\n\nGrazie' }],
  ];
  it.each(NEGATED)('%s', async (_what, spec) => {
    const c = await classify(spec);
    expect(acts(c)).toBe(false);
    expect(c.intent).toBe('unknown');
  });

  it('says why, with the cue word as evidence (nl, en, de)', async () => {
    for (const [text, cue] of [['Ik wil me niet afmelden.', 'niet'], ['I do not want to unsubscribe.', 'do not'], ['Bitte löschen Sie meine Daten nicht.', 'nicht']]) {
      const c = await classify({ subject: 'Vraag', text });
      expect(c.review).toMatch(/^negated request/);
      expect(c.evidence).toContainEqual(expect.objectContaining({ rule: 'negation', part: 'text', words: expect.stringMatching(new RegExp(`^${cue}: `)) }));
    }
  });

  it('a negated erasure beside a plain request: a person decides, nothing is done', async () => {
    const c = await classify({ subject: 'Post', text: 'Ik wil geen reclame meer per post. Maar verwijder mijn gegevens niet, ik bestel nog steeds.' });
    expect(acts(c)).toBe(false);
  });
});

describe('"no longer" is a wish to stop, not a refusal', () => {
  const NO_LONGER: [string, MailSpec, Intent][] = [
    ['nl: niet meer ontvangen, graag afmelden', { subject: 'Nieuwsbrief', text: 'Ik wil de nieuwsbrief niet meer ontvangen, graag afmelden.' }, 'unsubscribe'],
    ['de: keine E-Mails mehr, bitte abmelden', { subject: 'Newsletter', text: 'Ich möchte keine E-Mails mehr bekommen. Bitte abmelden.' }, 'unsubscribe'],
    ['en: no longer want them, unsubscribe me', { subject: 'Emails', text: 'I no longer want your emails, please unsubscribe me.' }, 'unsubscribe'],
    ['en: the phrase itself says not', { subject: 'Newsletter', text: 'I do not want to receive your newsletter any more.' }, 'unsubscribe'],
  ];
  it.each(NO_LONGER)('%s', async (_what, spec, intent) => {
    const c = await classify(spec);
    expect([c.intent, c.review]).toEqual([intent, null]);
    expect(c.address).toBe(SENDER);
  });
});

describe('a question about a request is not a request', () => {
  const QUESTIONS: [string, MailSpec][] = [
    ['en: how do I unsubscribe?', { subject: 'Newsletter', text: 'How do I unsubscribe from your newsletter? I cannot find the link.' }],
    ['en: how do I unsubscribe, without a question mark', { subject: 'Question', text: 'how do i unsubscribe from this' }],
    ['en: did my unsubscribe work?', { subject: 'Unsubscribe', text: 'Did my unsubscribe work? I still got a mail from you today.' }],
    ['nl: wat doen jullie met mijn gegevens?', { subject: 'Vraag', text: 'Wat doen jullie eigenlijk met mijn gegevens? Worden ze verwijderd als ik me afmeld?' }],
    ['nl: hoe kan ik me afmelden?', { subject: 'Vraagje', text: 'Hoe kan ik me afmelden voor de nieuwsbrief?' }],
    ['de: wie kann ich mich abmelden?', { subject: 'Frage', text: 'Wie kann ich mich vom Newsletter abmelden?' }],
  ];
  it.each(QUESTIONS)('%s', async (_what, spec) => {
    const c = await classify(spec);
    expect(acts(c)).toBe(false);
  });

  it('a question names itself in the review reason', async () => {
    const c = await classify({ subject: 'Newsletter', text: 'How do I unsubscribe from your newsletter?' });
    expect([c.intent, c.review]).toEqual(['unknown', expect.stringMatching(/^a question about a request/)]);
  });

  const POLITE: [string, MailSpec, Intent][] = [
    ['nl: kunt u mij afmelden?', { subject: 'Nieuwsbrief', text: 'Hallo, kunt u mij afmelden voor de nieuwsbrief?' }, 'unsubscribe'],
    ['de: könnten Sie bitte meine Daten löschen?', { subject: 'Anfrage', text: 'Könnten Sie bitte meine Daten löschen?' }, 'erase'],
    ['en: could you please delete my data?', { subject: 'Request', text: 'Could you please delete my data?' }, 'erase'],
  ];
  it.each(POLITE)('a polite request is a request: %s', async (_what, spec, intent) => {
    const c = await classify(spec);
    expect([c.intent, c.review]).toEqual([intent, null]);
  });
});

describe('a conditional request or someone else\'s instructions never act', () => {
  const CONDITIONAL: [string, MailSpec][] = [
    ['en: if you keep sending, delete my data', { subject: 'Stop this', text: 'If you keep sending me these offers, delete my data.' }],
    ['nl: als ik nog één mail krijg, wil ik mijn gegevens verwijderen', { subject: 'Klacht', text: 'Als ik nog één mail krijg, wil ik mijn gegevens verwijderen.' }],
    ['de: wenn Sie weiter schreiben, löschen Sie meine Daten', { subject: 'Beschwerde', text: 'Wenn Sie mir weiter schreiben, löschen Sie meine Daten.' }],
    ['en: a sales mail\'s footer: to unsubscribe, reply STOP', { subject: 'Quick question', text: 'Hi, we help shops grow their sales by 30%. Interested in a call?\n\nTo unsubscribe, reply STOP.' }],
    ['nl: a sales mail\'s footer: klik hier om af te melden', { subject: 'Samenwerking', text: 'Wij helpen webwinkels groeien. Zin in een gesprek?\n\nGeen interesse? Klik hier om je af te melden.' }],
  ];
  it.each(CONDITIONAL)('%s', async (_what, spec) => {
    const c = await classify(spec);
    expect(acts(c)).toBe(false);
  });

  it('"if possible" is no condition', async () => {
    const c = await classify({ subject: 'Request', text: 'If possible, please delete my data this week.' });
    expect([c.intent, c.review]).toEqual(['erase', null]);
  });
});

describe('send me my data, then delete it', () => {
  const BOTH: [string, MailSpec][] = [
    ['en', { subject: 'My data', text: 'Please send me a copy of my data first. After that, delete my data.' }],
    ['nl', { subject: 'Mijn gegevens', text: 'Ik wil graag een kopie van mijn gegevens ontvangen en daarna wil ik mijn gegevens verwijderen.' }],
    ['de', { subject: 'Meine Daten', text: 'Bitte schicken Sie mir zuerst eine Kopie meiner Daten. Danach löschen Sie meine Daten.' }],
  ];
  it.each(BOTH)('access first, never erase before the copy (%s)', async (_lang, spec) => {
    const c = await classify(spec);
    expect(c.intent).toBe('access');
    expect(c.reason).toMatch(/the copy first, erasure only after it/);
    expect(c.evidence).toContainEqual(expect.objectContaining({ rule: 'access-before-erasure' }));
  });
});

describe('whose request', () => {
  it('a late father (nl): a person decides; the address is the father\'s, never the sender\'s', async () => {
    const c = await classify({ subject: 'Gegevens van mijn vader', text: 'Geachte heer/mevrouw,\n\nMijn vader is in september overleden. Wilt u al zijn gegevens verwijderen? Zijn e-mailadres was h.bakker@example.org.\n\nMet vriendelijke groet,\nRoos Bakker' });
    expect(acts(c)).toBe(false);
    expect(c.review).toMatch(new RegExp(`^${FOR_ANOTHER_PERSON}`));
    expect(c.address).toBe('h.bakker@example.org');
    expect(c.evidence).toContainEqual(expect.objectContaining({ rule: 'relationship' }));
  });

  it('on behalf of my mother (en): review, about her address', async () => {
    const c = await classify({ subject: 'Unsubscribe', text: 'Hello,\n\nI am writing on behalf of my mother, who is in a care home now. Please unsubscribe her address mary.smith@example.org.\n\nRegards, Mark' });
    expect(c.review).toMatch(new RegExp(`^${FOR_ANOTHER_PERSON}`));
    expect(c.address).toBe('mary.smith@example.org');
  });

  const RELATIVES: [string, MailSpec][] = [
    ['de: mein Vater ist verstorben', { subject: 'Löschung', text: 'Sehr geehrte Damen und Herren,\n\nmein Vater ist verstorben. Bitte löschen Sie seine Daten.\n\nMit freundlichen Grüßen' }],
    ['fr: mon père est décédé', { subject: 'Suppression', text: 'Bonjour,\n\nmon père est décédé le mois dernier, merci de supprimer ses données.\n\nCordialement' }],
    ['es: mi padre falleció', { subject: 'Baja', text: 'Hola,\n\nmi padre falleció en octubre. Por favor, den de baja su correo.\n\nGracias' }],
    ['it: mio padre è deceduto', { subject: 'Cancellazione', text: 'Buongiorno,\n\nmio padre è deceduto, vi prego di cancellare i suoi dati.\n\nCordiali saluti' }],
  ];
  it.each(RELATIVES)('nothing is done for the sender: %s', async (_what, spec) => {
    const c = await classify(spec);
    expect(acts(c) && c.address === SENDER).toBe(false);
    expect(c.address === SENDER && c.review === null && c.intent !== 'unknown').toBe(false);
  });

  it('an old address named beside an erasure: the request is about it (the verification link goes there)', async () => {
    const c = await classify({ subject: 'Delete my data', text: 'Hi,\n\nplease delete my data. It is under my old address jan.old@example.org, which I no longer use.\n\nJan' });
    expect([c.intent, c.address, c.review]).toEqual(['erase', 'jan.old@example.org', null]);
    expect(c.evidence).toContainEqual({ rule: 'named-address', part: 'text', words: 'jan.old@example.org' });
  });

  it('an old address named beside an unsubscribe: review, about that address', async () => {
    const c = await classify({ subject: 'Afmelden', text: 'Hallo,\n\nwilt u mijn oude werkadres j.jansen@oudbedrijf.example afmelden? Daar werk ik niet meer.\n\nJan' });
    expect(c.address).toBe('j.jansen@oudbedrijf.example');
    expect(c.review).toMatch(new RegExp(`^${FOR_ANOTHER_PERSON}`));
  });

  it('a web form from noreply@: the person is in Reply-To, never the form\'s sender', async () => {
    const c = await classify({
      from: 'Website De Winkel <noreply@shop.example>',
      headers: { 'Reply-To': 'Mirte Visser <mirte.visser@example.org>' },
      subject: 'Nieuw bericht via het contactformulier',
      text: 'Naam: Mirte Visser\nE-mail: mirte.visser@example.org\nBericht: Graag al mijn gegevens verwijderen.',
    });
    expect([c.intent, c.address, c.review]).toEqual(['erase', 'mirte.visser@example.org', null]);
  });

  it('a web form asking to unsubscribe: review (a typed address proves nothing)', async () => {
    const c = await classify({ from: 'WordPress <wordpress@shop.example>', subject: 'Contact form: unsubscribe', text: 'Name: Sam\nEmail: sam@example.org\nMessage: please unsubscribe me' });
    expect(c.address).toBe('sam@example.org');
    expect(acts(c)).toBe(false);
  });

  it('our desk forwards a customer\'s mail: the request is the customer\'s, never our desk\'s', async () => {
    const c = await classify({
      from: 'Klantenservice <service@shop.example>',
      subject: 'Fwd: my account',
      text: 'Zie hieronder.\n\n---------- Forwarded message ---------\nFrom: Peter Brandt <peter.brandt@example.org>\nDate: Mon, 23 Nov 2026 at 08:12\nSubject: my account\nTo: <service@shop.example>\n\nPlease delete my personal data.\n\nPeter',
    });
    expect(c.address).toBe('peter.brandt@example.org');
    expect(c.evidence).toContainEqual(expect.objectContaining({ rule: 'forwarded-from', words: 'peter.brandt@example.org' }));
    expect(acts(c) && c.address === 'service@shop.example').toBe(false);
  });

  it('a privacy mailbox at a mail provider: the provider\'s other users are people, not us', async () => {
    const c = classifyRequest(await readRequestMail(rawMail({ from: 'Noor <noor.h@gmail.com>', to: 'privacy.shop@gmail.com', subject: 'Afmelden', text: 'Graag afmelden.' })), { ownAddresses: ['privacy.shop@gmail.com'] });
    expect([c.intent, c.address, c.review]).toEqual(['unsubscribe', 'noor.h@gmail.com', null]);
  });

  it('the sender\'s own address in the text is still the sender\'s request', async () => {
    const c = await classify({ subject: 'Afmelden', text: `Graag afmelden, mijn adres is ${SENDER}.` });
    expect([c.intent, c.address, c.review]).toEqual(['unsubscribe', SENDER, null]);
  });
});

describe('evidence and confidence', () => {
  it('every request carries its evidence and a confidence', async () => {
    const c = await classify({ subject: 'Request', text: 'Please delete my personal data.' });
    expect(c.evidence[0]).toEqual({ rule: 'phrase', part: 'text', words: 'delete my personal data' });
    expect(c.confidence).toBeGreaterThanOrEqual(REVIEW_BELOW);
    expect(c.confidence).toBeLessThanOrEqual(1);
  });

  it(`below the line (${REVIEW_BELOW}) a person decides, with the reason`, async () => {
    // Only the subject asks; the text is a notice with a link, as phishing writes.
    const c = await classify({ subject: 'Deletion request', text: 'Your request is being processed.\n\nConfirm your identity within 24 hours:\nhttps://account-check.example/login' });
    expect(c.confidence).toBeLessThan(REVIEW_BELOW);
    expect([c.intent, c.review]).toEqual(['erase', expect.stringMatching(/^low confidence/)]);
    expect(c.evidence).toContainEqual({ rule: 'link-in-text', part: 'text' });
  });

  it('a request word that labels a link is no request (a signature\'s "Afmelden: https://…")', async () => {
    const c = await classify({ subject: 'Factuur 2026-118', text: 'Goedemiddag,\n\nWanneer kan ik de factuur verwachten?\n\nMet vriendelijke groet,\nKarel Smit\nSmit Dakwerken\nNieuwsbrief afmelden: https://smit-dak.example/afmelden' });
    expect(acts(c)).toBe(false);
    expect(c.intent).toBe('unknown');
  });
});
