import type { TemplateSet } from './index';

/**
 * Dutch texts. Placeholders: {{name}} {{organisation}} {{confirmUrl}} {{unsubscribeUrl}}
 * {{preferencesUrl}} {{privacyUrl}} {{eraseUrl}}; {{#x}}…{{/x}} only when x has a value,
 * {{^x}}…{{/x}} only when it has none. HTML is derived from the text unless a template gives one.
 */
const greeting = '{{#name}}Beste {{name}},{{/name}}{{^name}}Beste lezer,{{/name}}';
const privacy = '{{#privacyUrl}}\n\nHoe wij met uw gegevens omgaan: {{privacyUrl}}{{/privacyUrl}}';
const signOff = `\n\nMet vriendelijke groet,\n{{organisation}}${privacy}`;

export const nl: TemplateSet = {
  confirmation: {
    subject: 'Bevestig uw inschrijving bij {{organisation}}',
    text: `${greeting}

U heeft zich aangemeld voor berichten van {{organisation}}. Bevestig dat u dat was via deze link:

{{confirmUrl}}

Heeft u zich niet aangemeld? Dan hoeft u niets te doen: zonder bevestiging sturen wij u niets.

Afmelden of uw voorkeuren aanpassen: {{preferencesUrl}}${signOff}`,
  },
  invitation: {
    subject: 'Wilt u berichten van {{organisation}} blijven ontvangen?',
    text: `${greeting}

U ontvangt af en toe berichten van {{organisation}}. Wij sturen die alleen nog als u daar uitdrukkelijk toestemming voor geeft. Wilt u ze blijven ontvangen? Bevestig dat via deze link:

{{confirmUrl}}

Doet u niets, dan sturen wij u geen berichten meer.

Liever meteen afmelden: {{unsubscribeUrl}}
Uw voorkeuren: {{preferencesUrl}}${signOff}`,
  },
  reminder: {
    subject: 'Herinnering: wilt u berichten van {{organisation}} blijven ontvangen?',
    text: `${greeting}

Onlangs vroegen wij of u berichten van {{organisation}} wilt blijven ontvangen. Wij hebben nog geen antwoord gezien. Wilt u ze blijven ontvangen? Bevestig dat via deze link:

{{confirmUrl}}

Doet u niets, dan sturen wij u geen berichten meer.

Liever meteen afmelden: {{unsubscribeUrl}}${signOff}`,
  },
  'erase-verification': {
    subject: 'Bevestig het verwijderen van uw gegevens bij {{organisation}}',
    text: `${greeting}

Wij ontvingen een verzoek om uw gegevens te verwijderen. Om zeker te weten dat het verzoek van u komt, vragen wij u het te bevestigen. Open deze link en klik op de knop:

{{eraseUrl}}

Heeft u dit niet gevraagd? Dan hoeft u niets te doen: er wordt niets verwijderd.${signOff}`,
  },
  'privacy-request': {
    subject: 'Bevestig uw verzoek aan {{organisation}}',
    text: `${greeting}

Wij ontvingen via ons privacyformulier een verzoek over uw gegevens: om ze in te zien, ze te verwijderen, of u niet meer te mailen. Om zeker te weten dat het verzoek van u komt, vragen wij u het te bevestigen. Open deze link en klik op de knop:

{{privacyRequestUrl}}

De link werkt één dag. Heeft u dit niet gevraagd? Dan hoeft u niets te doen: er verandert niets.${signOff}`,
  },
  'ack-unsubscribed': {
    subject: 'U bent afgemeld bij {{organisation}}',
    text: `${greeting}

Uw afmelding is verwerkt. U ontvangt geen berichten meer van {{organisation}} op dit adres.${signOff}`,
  },
  'ack-erased': {
    subject: 'Uw gegevens zijn verwijderd bij {{organisation}}',
    text: `${greeting}

Wij hebben uw verzoek uitgevoerd: uw gegevens zijn verwijderd. Wij bewaren alleen een onherleidbare code van uw adres, zodat u ook na een nieuwe import nooit meer berichten van ons krijgt.${signOff}`,
  },
  'ack-suppressed': {
    subject: 'Uw verzoek om verwijdering bij {{organisation}}',
    text: `${greeting}

Wij hebben uw verzoek ontvangen. Een deel van uw gegevens moeten wij volgens de wet nog een tijd bewaren (bijvoorbeeld voor de belastingdienst). Die gegevens gebruiken wij nergens anders voor en wij verwijderen ze zodra dat mag. Uw adres is geblokkeerd: u ontvangt geen berichten meer van ons.${signOff}`,
  },
  'ack-access': {
    subject: 'Uw inzageverzoek bij {{organisation}} is ontvangen',
    text: `${greeting}

Wij hebben uw verzoek om inzage in uw gegevens ontvangen. U krijgt binnen een maand antwoord. Mogelijk vragen wij u eerst om te bevestigen dat het verzoek van u komt.${signOff}`,
  },
  'ack-no-data': {
    subject: 'Uw verzoek bij {{organisation}}',
    text: `${greeting}

Wij hebben uw verzoek ontvangen en uitgevoerd. Wij hebben geen gegevens van u (meer) en sturen u geen berichten.${signOff}`,
  },
  'access-link': {
    subject: 'Uw gegevens bij {{organisation}}',
    text: `${greeting}

Wij hebben uw verzoek om inzage in uw persoonsgegevens ontvangen. Via deze link ziet u welke gegevens wij van u hebben, en kunt u ze downloaden als bestand (JSON):

{{accessUrl}}

De link werkt enkele dagen en toont alleen: er verandert niets. Geef hem niet door: wie de link heeft, kan uw gegevens zien. Heeft u dit niet gevraagd? Dan hoeft u niets te doen.${signOff}`,
  },
  welcome: {
    subject: 'Welkom bij {{organisation}}',
    text: `${greeting}

Dank u voor uw bevestiging: u bent aangemeld en ontvangt voortaan berichten van {{organisation}}.

Afmelden kan altijd, met één klik: {{unsubscribeUrl}}
Kiezen waarover wij u mailen: {{preferencesUrl}}${signOff}`,
  },
  goodbye: {
    subject: 'U bent afgemeld bij {{organisation}}',
    text: `${greeting}

U bent afgemeld: u ontvangt deze berichten van {{organisation}} niet meer. Dit is de laatste mail hierover; u hoeft niets te doen.{{#preferencesUrl}}

Toch iets anders gewenst? Kies hier waarover wij u mailen: {{preferencesUrl}}{{/preferencesUrl}}${signOff}`,
  },
};
