import type { Locale } from '../consent/identity';
import type { LegalBasis } from '../consent/statuses';
import type { LeaveReason } from '../ledger/leave-reasons';

/**
 * Every sentence the pages show, in Dutch and English. Plain text only: the templates escape it,
 * so a value passed in (organisation name, date) can never become markup.
 */
export interface Texts {
  footer: { privacy: string };
  greeting: (name: string) => string;
  confirm: { title: string; lead: (org: string) => string; noTopics: string; button: string; busy: string; hint: string };
  unsubscribe: {
    title: string;
    lead: (org: string) => string;
    scopeLegend: string;
    thisList: string;
    allMail: (org: string) => string;
    button: string;
    preferences: string;
    /** The optional "why are you leaving?" (askLeaveReason): one label per fixed reason. */
    leave: { legend: string; note: string; reasons: Record<LeaveReason, string> };
  };
  preferences: {
    title: string;
    lead: (org: string) => string;
    legend: string;
    pending: string;
    blocked: string;
    none: string;
    /** What the person agrees to by ticking: stored as the consent text of the change. */
    consentText: (org: string) => string;
    button: string;
    /** Read-only: what else the organisation holds the person for, and on which legal basis. */
    held: { title: string; lead: (org: string) => string; since: string; purposes: Record<string, string>; bases: Record<LegalBasis, string> };
    /** The person's own data: see it all (GDPR Art. 15), or have it erased (Art. 17). */
    data: { title: string; lead: (org: string) => string; download: string; eraseDetail: string; eraseSure: string; eraseButton: string; eraseMissing: string };
  };
  erase: { title: string; lead: (org: string) => string; detail: string; button: string };
  /** The privacy request form (see, erase, stop all mail), its neutral answer, its confirmation page and what it did. */
  privacy: {
    form: {
      title: string;
      lead: (org: string) => string;
      legend: string;
      choices: Record<'access' | 'erase' | 'unsubscribe', string>;
      email: string;
      button: string;
      note: string;
      invalid: string;
    };
    sent: { title: string; body: string; hint: string };
    confirm: { title: string; lead: Record<'access' | 'erase' | 'unsubscribe', (org: string) => string>; button: Record<'access' | 'erase' | 'unsubscribe', string> };
    done: { access: string; accessLink: string; repeated: string; notFound: (org: string) => string; unsubscribed: (org: string) => string };
  };
  /** The access page (GDPR Art. 15): what is held about the person, read-only. */
  access: {
    title: string;
    lead: (org: string, date: string) => string;
    linkNote: (until: string) => string;
    download: string;
    none: string;
    person: { title: string; email: string; phone: string; externalId: string; name: string; language: string; since: string; hold: string; suppressed: string };
    consents: { title: string; status: string; basis: string; since: string; text: string; evidence: string; ip: string; device: string };
    purposes: { title: string };
    mails: { title: string };
    requests: { title: string; received: string; outcome: string };
    erasures: { title: string; receipt: string };
    history: { title: string };
  };
  done: {
    confirmed: { title: string; body: (org: string) => string };
    alreadyConfirmed: { title: string; body: (org: string) => string; hint: string };
    unsubscribed: { title: string; body: (org: string) => string; all: (org: string) => string };
    preferencesSaved: { title: string; body: string; back: string };
    erased: { title: string; body: (org: string) => string };
    verificationReceived: { title: string; body: string; retained: (org: string) => string };
  };
  error: {
    neutral: { title: string; body: string; hint: string };
    expired: {
      title: string;
      confirm: string;
      confirmSignup: string;
      unsubscribe: (org: string) => string;
      erase: (org: string) => string;
      access: (org: string) => string;
      privacy: string;
    };
    unavailable: { title: string; body: string };
  };
}

const en: Texts = {
  footer: { privacy: 'Privacy policy' },
  greeting: (name) => `Hello ${name},`,
  confirm: {
    title: 'Confirm your subscription',
    lead: (org) => `Please confirm that ${org} may email you about:`,
    noTopics: 'our mailings',
    button: 'Yes, confirm',
    busy: 'Confirming…',
    hint: 'You can unsubscribe at any time with the link in every mail.',
  },
  unsubscribe: {
    title: 'Unsubscribe',
    lead: (org) => `Which mail from ${org} do you no longer want?`,
    scopeLegend: 'Unsubscribe from',
    thisList: 'Only this list',
    allMail: (org) => `All mail from ${org}`,
    button: 'Unsubscribe',
    preferences: 'Or choose per topic what you want to receive',
    leave: {
      legend: 'Why are you leaving? (optional)',
      note: 'We only count the answers; they are not kept with your name or address.',
      reasons: { too_many: 'Too many mails', not_relevant: 'The mails are not relevant to me', never_signed_up: 'I never signed up', other: 'Another reason' },
    },
  },
  preferences: {
    title: 'Your mail preferences',
    lead: (org) => `Tick what ${org} may email you about. Untick what you no longer want.`,
    legend: 'Topics',
    pending: 'waiting for your confirmation',
    blocked: 'cannot be changed here',
    none: 'There are no subscriptions to manage with this link.',
    consentText: (org) => `Yes, ${org} may email me about the topics I have ticked. I can change this at any time.`,
    button: 'Save preferences',
    held: {
      title: 'What else we keep, and why',
      lead: (org) => `Apart from these mailings, ${org} keeps your data for:`,
      since: 'since',
      purposes: { sales_and_service: 'Sales and service', retention: 'Keeping records the law requires' },
      bases: {
        consent: 'your consent',
        contract: 'a contract with you',
        legal_obligation: 'a legal obligation',
        vital_interest: 'your vital interest',
        public_task: 'a public task',
        legitimate_interest: 'our legitimate interest',
        none: 'no basis yet: not used',
      },
    },
    data: {
      title: 'Your data',
      lead: (org) => `See everything ${org} holds about you, or have it erased.`,
      download: 'Download my data',
      eraseDetail: 'Erasing removes your details and your subscriptions for good (where the law makes us keep something, it is blocked instead), and we will not mail you again.',
      eraseSure: 'Yes, erase my data. I understand this cannot be undone.',
      eraseButton: 'Erase my data',
      eraseMissing: 'Nothing was erased: tick the box to confirm first.',
    },
  },
  erase: {
    title: 'Confirm the erasure of your data',
    lead: (org) => `You asked ${org} to erase your personal data.`,
    detail:
      'Press the button to confirm that this request came from you. Your data is then erased (or blocked, where the law makes us keep it), and we will not mail you again.',
    button: 'Erase my data',
  },
  privacy: {
    form: {
      title: 'Your data and our mail',
      lead: (org) => `Ask ${org} to show you the data we hold about you, to erase it, or to stop mailing you.`,
      legend: 'What would you like?',
      choices: { access: 'See my data', erase: 'Erase my data', unsubscribe: 'Stop all mail' },
      email: 'Your email address',
      button: 'Send request',
      note: 'We will mail a link to this address. Nothing happens until you open that link and confirm.',
      invalid: 'Please give a valid email address and choose what you would like.',
    },
    sent: {
      title: 'Check your mail',
      body: 'If we hold data about this address, you will receive a mail with a link to confirm your request. If we hold nothing about it, the mail says so.',
      hint: 'Nothing changes until you confirm. No mail within a few minutes? Look in your spam folder. Asked again within a short time? Then we do not mail again: use the first mail.',
    },
    confirm: {
      title: 'Confirm your request',
      lead: {
        access: (org) => `You asked ${org} to show you the data we hold about you.`,
        erase: (org) => `You asked ${org} to erase your personal data. Your data is then erased (or blocked, where the law makes us keep it), and we will not mail you again.`,
        unsubscribe: (org) => `You asked ${org} to stop mailing you. You will be unsubscribed from every mailing.`,
      },
      button: { access: 'Show my data', erase: 'Erase my data', unsubscribe: 'Stop all mail' },
    },
    done: {
      access: 'Your request is confirmed. The link below shows the data we hold about you and lets you download it. It works for a few days; keep it to yourself.',
      accessLink: 'Show my data',
      repeated: 'This request has already been carried out. Nothing more has been changed.',
      notFound: (org) => `${org} holds no data about this address (any more) and does not mail it.`,
      unsubscribed: (org) => `You will receive no more mail from ${org}.`,
    },
  },
  access: {
    title: 'The data we hold about you',
    lead: (org, date) => `This is everything ${org} holds about you, as of ${date} (GDPR article 15).`,
    linkNote: (until) => `This link works until ${until}. It only shows your data and changes nothing. Keep it to yourself.`,
    download: 'Download all of it as a file (JSON)',
    none: 'None.',
    person: { title: 'Your details', email: 'Email', phone: 'Phone', externalId: 'Customer number', name: 'Name', language: 'Language', since: 'In our records since', hold: 'Kept for a legal obligation until', suppressed: 'Blocked since' },
    consents: { title: 'Your permissions', status: 'status', basis: 'basis', since: 'since', text: 'The text you agreed to', evidence: 'How it was recorded', ip: 'IP address', device: 'browser' },
    purposes: { title: 'Why we hold your data' },
    mails: { title: 'Mails we sent you' },
    requests: { title: 'Your requests', received: 'received', outcome: 'outcome' },
    erasures: { title: 'Erasure receipts', receipt: 'receipt' },
    history: { title: 'Full history' },
  },
  done: {
    confirmed: {
      title: 'Thank you: your subscription is confirmed',
      body: (org) => `${org} may now email you about:`,
    },
    alreadyConfirmed: {
      title: 'You have already confirmed',
      body: (org) => `This link was used to confirm your subscription before. ${org} may email you about:`,
      hint: 'There is nothing else you need to do. You can unsubscribe at any time with the link in every mail.',
    },
    unsubscribed: {
      title: 'You are unsubscribed',
      body: (org) => `You will no longer receive these mails from ${org}:`,
      all: (org) => `You will no longer receive mail from ${org}.`,
    },
    preferencesSaved: {
      title: 'Your preferences are saved',
      body: 'Your changes take effect right away.',
      back: 'Back to your preferences',
    },
    erased: {
      title: 'Your data has been erased',
      body: (org) =>
        `${org} has erased your personal data. We keep only a record without your details, so that we never mail you again.`,
    },
    verificationReceived: {
      title: 'Thank you: we have received your response',
      body: 'There is nothing else you need to do.',
      retained: (org) =>
        `${org} must keep part of your data for a legal obligation. That data is blocked and used for nothing else, and we will not mail you again.`,
    },
  },
  error: {
    neutral: {
      title: 'This link does not work',
      body: 'The link may be incomplete or no longer valid.',
      hint: 'If you copied it from a mail, check that you copied all of it, or use the link in a more recent mail from us.',
    },
    expired: {
      title: 'This link has expired',
      confirm: 'Confirmation links are valid for a limited time. Sign up again and we will send you a new link.',
      confirmSignup: 'Sign up again',
      unsubscribe: (org) => `Use the link in a more recent mail from ${org}, or reply to one of our mails with the word "unsubscribe".`,
      erase: (org) => `Send your request to ${org} again and we will send you a new link to confirm it.`,
      access: (org) => `Ask ${org} again for your data and we will send you a new link.`,
      privacy: 'Fill in the request form again and we will send you a new link.',
    },
    unavailable: {
      title: 'Something went wrong on our side',
      body: 'Nothing has been changed. Please try the link again later.',
    },
  },
};

const nl: Texts = {
  footer: { privacy: 'Privacyverklaring' },
  greeting: (name) => `Hallo ${name},`,
  confirm: {
    title: 'Bevestig je aanmelding',
    lead: (org) => `Bevestig dat ${org} je mag mailen over:`,
    noTopics: 'onze mailings',
    button: 'Ja, bevestigen',
    busy: 'Bezig met bevestigen…',
    hint: 'Je kunt je altijd afmelden met de link in elke mail.',
  },
  unsubscribe: {
    title: 'Afmelden',
    lead: (org) => `Welke mail van ${org} wil je niet meer ontvangen?`,
    scopeLegend: 'Afmelden voor',
    thisList: 'Alleen deze lijst',
    allMail: (org) => `Alle mail van ${org}`,
    button: 'Afmelden',
    preferences: 'Of kies per onderwerp wat je wilt ontvangen',
    leave: {
      legend: 'Waarom meld je je af? (niet verplicht)',
      note: 'We tellen alleen de antwoorden; ze worden niet bij je naam of adres bewaard.',
      reasons: { too_many: 'Te veel mails', not_relevant: 'De mails zijn niet interessant voor mij', never_signed_up: 'Ik heb me nooit aangemeld', other: 'Een andere reden' },
    },
  },
  preferences: {
    title: 'Je mailvoorkeuren',
    lead: (org) => `Vink aan waarover ${org} je mag mailen. Vink uit wat je niet meer wilt ontvangen.`,
    legend: 'Onderwerpen',
    pending: 'wacht op je bevestiging',
    blocked: 'hier niet te wijzigen',
    none: 'Met deze link zijn geen aanmeldingen te beheren.',
    consentText: (org) => `Ja, ${org} mag mij mailen over de onderwerpen die ik heb aangevinkt. Ik kan dit altijd wijzigen.`,
    button: 'Voorkeuren opslaan',
    held: {
      title: 'Wat we verder bewaren, en waarom',
      lead: (org) => `Naast deze mailings bewaart ${org} je gegevens voor:`,
      since: 'sinds',
      purposes: { sales_and_service: 'Verkoop en service', retention: 'Wettelijke bewaarplicht' },
      bases: {
        consent: 'je toestemming',
        contract: 'een overeenkomst met jou',
        legal_obligation: 'een wettelijke verplichting',
        vital_interest: 'je vitale belang',
        public_task: 'een publieke taak',
        legitimate_interest: 'ons gerechtvaardigd belang',
        none: 'nog geen grondslag: niet gebruikt',
      },
    },
    data: {
      title: 'Je gegevens',
      lead: (org) => `Bekijk alles wat ${org} van je heeft, of laat het verwijderen.`,
      download: 'Download mijn gegevens',
      eraseDetail: 'Verwijderen wist je gegevens en je aanmeldingen voorgoed (waar de wet ons verplicht iets te bewaren, wordt het afgeschermd) en we mailen je niet meer.',
      eraseSure: 'Ja, verwijder mijn gegevens. Ik begrijp dat dit niet terug te draaien is.',
      eraseButton: 'Verwijder mijn gegevens',
      eraseMissing: 'Er is niets verwijderd: vink eerst het vakje aan om te bevestigen.',
    },
  },
  erase: {
    title: 'Bevestig het verwijderen van je gegevens',
    lead: (org) => `Je hebt ${org} gevraagd je persoonsgegevens te verwijderen.`,
    detail:
      'Druk op de knop om te bevestigen dat dit verzoek van jou komt. Je gegevens worden dan verwijderd (of afgeschermd, waar de wet ons verplicht ze te bewaren) en we mailen je niet meer.',
    button: 'Verwijder mijn gegevens',
  },
  privacy: {
    form: {
      title: 'Je gegevens en onze mail',
      lead: (org) => `Vraag ${org} om je te laten zien welke gegevens we van je hebben, om ze te verwijderen, of om je niet meer te mailen.`,
      legend: 'Wat wil je?',
      choices: { access: 'Mijn gegevens inzien', erase: 'Mijn gegevens verwijderen', unsubscribe: 'Geen mail meer' },
      email: 'Je e-mailadres',
      button: 'Verzoek versturen',
      note: 'We mailen een link naar dit adres. Er gebeurt niets tot je die link opent en bevestigt.',
      invalid: 'Vul een geldig e-mailadres in en kies wat je wilt.',
    },
    sent: {
      title: 'Kijk in je mail',
      body: 'Als we gegevens over dit adres hebben, krijg je een mail met een link om je verzoek te bevestigen. Hebben we er niets over, dan staat dat in de mail.',
      hint: 'Er verandert niets tot je bevestigt. Na een paar minuten nog geen mail? Kijk in je map met ongewenste mail. Kort na elkaar opnieuw gevraagd? Dan mailen we niet nog eens: gebruik de eerste mail.',
    },
    confirm: {
      title: 'Bevestig je verzoek',
      lead: {
        access: (org) => `Je vroeg ${org} om je te laten zien welke gegevens we van je hebben.`,
        erase: (org) => `Je vroeg ${org} om je persoonsgegevens te verwijderen. Je gegevens worden dan verwijderd (of afgeschermd, waar de wet ons verplicht ze te bewaren), en we mailen je niet meer.`,
        unsubscribe: (org) => `Je vroeg ${org} om je niet meer te mailen. Je wordt voor elke mailing afgemeld.`,
      },
      button: { access: 'Toon mijn gegevens', erase: 'Verwijder mijn gegevens', unsubscribe: 'Geen mail meer' },
    },
    done: {
      access: 'Je verzoek is bevestigd. De link hieronder toont welke gegevens we van je hebben, en daar kun je ze downloaden. Hij werkt een paar dagen; houd hem voor jezelf.',
      accessLink: 'Toon mijn gegevens',
      repeated: 'Dit verzoek is al uitgevoerd. Er is niets meer gewijzigd.',
      notFound: (org) => `${org} heeft geen gegevens (meer) over dit adres en mailt het niet.`,
      unsubscribed: (org) => `Je krijgt geen mail meer van ${org}.`,
    },
  },
  access: {
    title: 'De gegevens die we van je hebben',
    lead: (org, date) => `Dit is alles wat ${org} van je heeft, op ${date} (AVG artikel 15).`,
    linkNote: (until) => `Deze link werkt tot ${until}. Hij toont alleen je gegevens en verandert niets. Geef hem niet door.`,
    download: 'Alles downloaden als bestand (JSON)',
    none: 'Geen.',
    person: { title: 'Je gegevens', email: 'E-mail', phone: 'Telefoon', externalId: 'Klantnummer', name: 'Naam', language: 'Taal', since: 'Bij ons bekend sinds', hold: 'Bewaard vanwege een wettelijke plicht tot', suppressed: 'Afgeschermd sinds' },
    consents: { title: 'Je toestemmingen', status: 'status', basis: 'grondslag', since: 'sinds', text: 'De tekst waarmee je instemde', evidence: 'Hoe het is vastgelegd', ip: 'IP-adres', device: 'browser' },
    purposes: { title: 'Waarom we je gegevens hebben' },
    mails: { title: 'Mails die we je stuurden' },
    requests: { title: 'Je verzoeken', received: 'ontvangen', outcome: 'uitkomst' },
    erasures: { title: 'Bewijzen van verwijdering', receipt: 'bewijs' },
    history: { title: 'Volledige geschiedenis' },
  },
  done: {
    confirmed: {
      title: 'Bedankt: je aanmelding is bevestigd',
      body: (org) => `${org} mag je nu mailen over:`,
    },
    alreadyConfirmed: {
      title: 'Je hebt je aanmelding al bevestigd',
      body: (org) => `Met deze link heb je je aanmelding eerder bevestigd. ${org} mag je mailen over:`,
      hint: 'Je hoeft verder niets te doen. Je kunt je altijd afmelden met de link in elke mail.',
    },
    unsubscribed: {
      title: 'Je bent afgemeld',
      body: (org) => `Je ontvangt deze mail van ${org} niet meer:`,
      all: (org) => `Je ontvangt geen mail meer van ${org}.`,
    },
    preferencesSaved: {
      title: 'Je voorkeuren zijn opgeslagen',
      body: 'Je wijzigingen gelden meteen.',
      back: 'Terug naar je voorkeuren',
    },
    erased: {
      title: 'Je gegevens zijn verwijderd',
      body: (org) =>
        `${org} heeft je persoonsgegevens verwijderd. We bewaren alleen een registratie zonder je gegevens, zodat we je nooit meer mailen.`,
    },
    verificationReceived: {
      title: 'Bedankt: we hebben je reactie ontvangen',
      body: 'Je hoeft verder niets te doen.',
      retained: (org) =>
        `${org} moet een deel van je gegevens bewaren vanwege een wettelijke plicht. Die gegevens zijn afgeschermd en worden nergens anders voor gebruikt, en we mailen je niet meer.`,
    },
  },
  error: {
    neutral: {
      title: 'Deze link werkt niet',
      body: 'De link is misschien onvolledig of niet meer geldig.',
      hint: 'Heb je hem uit een mail gekopieerd, kijk dan of je hem helemaal hebt gekopieerd, of gebruik de link in een recentere mail van ons.',
    },
    expired: {
      title: 'Deze link is verlopen',
      confirm: 'Een bevestigingslink is beperkt geldig. Meld je opnieuw aan, dan sturen we je een nieuwe link.',
      confirmSignup: 'Opnieuw aanmelden',
      unsubscribe: (org) => `Gebruik de link in een recentere mail van ${org}, of beantwoord een van onze mails met het woord "afmelden".`,
      erase: (org) => `Stuur je verzoek opnieuw naar ${org}, dan sturen we je een nieuwe link om het te bevestigen.`,
      access: (org) => `Vraag ${org} opnieuw om je gegevens, dan sturen we je een nieuwe link.`,
      privacy: 'Vul het verzoekformulier opnieuw in, dan sturen we je een nieuwe link.',
    },
    unavailable: {
      title: 'Er ging bij ons iets mis',
      body: 'Er is niets gewijzigd. Probeer de link later nog eens.',
    },
  },
};

/** The pages are in English and Dutch; a person whose language has no pages gets English (pages/options.ts chooseLocale). */
export const TEXTS: Partial<Record<Locale, Texts>> & Record<'en' | 'nl', Texts> = { en, nl };

export function hasPageTexts(locale: Locale): boolean {
  return TEXTS[locale] !== undefined;
}
