import type { TemplateSet } from './index';

/** German texts; placeholders as in nl.ts. Formal address (Sie), as German business mail is. */
const greeting = '{{#name}}Guten Tag {{name}},{{/name}}{{^name}}Guten Tag,{{/name}}';
const privacy = '{{#privacyUrl}}\n\nWie wir mit Ihren Daten umgehen: {{privacyUrl}}{{/privacyUrl}}';
const signOff = `\n\nMit freundlichen Grüßen\n{{organisation}}${privacy}`;

export const de: TemplateSet = {
  confirmation: {
    subject: 'Bitte bestätigen Sie Ihre Anmeldung bei {{organisation}}',
    text: `${greeting}

Sie haben sich für Nachrichten von {{organisation}} angemeldet. Bitte bestätigen Sie über diesen Link, dass Sie das waren:

{{confirmUrl}}

Sie haben sich nicht angemeldet? Dann müssen Sie nichts tun: Ohne Ihre Bestätigung senden wir Ihnen nichts.

Abmelden oder Einstellungen ändern: {{preferencesUrl}}${signOff}`,
  },
  invitation: {
    subject: 'Möchten Sie weiterhin von {{organisation}} hören?',
    text: `${greeting}

Sie erhalten ab und zu Nachrichten von {{organisation}}. Wir senden sie künftig nur noch mit Ihrer ausdrücklichen Einwilligung. Möchten Sie sie weiterhin erhalten? Bitte bestätigen Sie das über diesen Link:

{{confirmUrl}}

Wenn Sie nichts tun, senden wir Ihnen keine Nachrichten mehr.

Gleich abmelden: {{unsubscribeUrl}}
Ihre Einstellungen: {{preferencesUrl}}${signOff}`,
  },
  reminder: {
    subject: 'Erinnerung: Möchten Sie weiterhin von {{organisation}} hören?',
    text: `${greeting}

Wir haben Sie kürzlich gefragt, ob Sie weiterhin Nachrichten von {{organisation}} erhalten möchten, und noch keine Antwort gesehen. Möchten Sie sie weiterhin erhalten? Bitte bestätigen Sie das über diesen Link:

{{confirmUrl}}

Wenn Sie nichts tun, senden wir Ihnen keine Nachrichten mehr.

Gleich abmelden: {{unsubscribeUrl}}${signOff}`,
  },
  'erase-verification': {
    subject: 'Bitte bestätigen Sie die Löschung Ihrer Daten bei {{organisation}}',
    text: `${greeting}

Wir haben eine Anfrage erhalten, Ihre Daten zu löschen. Damit wir sicher sind, dass sie von Ihnen kommt, bestätigen Sie sie bitte: Öffnen Sie diesen Link und drücken Sie die Schaltfläche:

{{eraseUrl}}

Sie haben das nicht verlangt? Dann müssen Sie nichts tun: Es wird nichts gelöscht.${signOff}`,
  },
  'privacy-request': {
    subject: 'Bitte bestätigen Sie Ihre Anfrage an {{organisation}}',
    text: `${greeting}

Wir haben über unser Datenschutzformular eine Anfrage zu Ihren Daten erhalten: sie einzusehen, sie zu löschen oder Ihnen keine Mails mehr zu senden. Damit wir sicher sind, dass sie von Ihnen kommt, bestätigen Sie sie bitte: Öffnen Sie diesen Link und drücken Sie die Schaltfläche:

{{privacyRequestUrl}}

Der Link gilt einen Tag. Sie haben das nicht verlangt? Dann müssen Sie nichts tun: Es ändert sich nichts.${signOff}`,
  },
  'ack-unsubscribed': {
    subject: 'Sie sind bei {{organisation}} abgemeldet',
    text: `${greeting}

Ihre Abmeldung ist erledigt. Sie erhalten an diese Adresse keine Nachrichten mehr von {{organisation}}.${signOff}`,
  },
  'ack-erased': {
    subject: 'Ihre Daten bei {{organisation}} sind gelöscht',
    text: `${greeting}

Wir haben Ihre Anfrage ausgeführt: Ihre Daten sind gelöscht. Wir behalten nur einen nicht umkehrbaren Code Ihrer Adresse, damit Sie nie wieder Nachrichten von uns erhalten, auch nicht nach einem neuen Import.${signOff}`,
  },
  'ack-suppressed': {
    subject: 'Ihre Löschanfrage bei {{organisation}}',
    text: `${greeting}

Wir haben Ihre Anfrage erhalten. Das Gesetz verpflichtet uns, einen Teil Ihrer Daten noch eine Zeit lang aufzubewahren (zum Beispiel für die Steuer). Wir verwenden diese Daten für nichts anderes und löschen sie, sobald wir dürfen. Ihre Adresse ist gesperrt: Sie erhalten keine Nachrichten mehr von uns.${signOff}`,
  },
  'ack-access': {
    subject: 'Wir haben Ihr Auskunftsersuchen bei {{organisation}} erhalten',
    text: `${greeting}

Wir haben Ihre Anfrage auf Auskunft über Ihre personenbezogenen Daten erhalten. Sie hören innerhalb eines Monats von uns. Möglicherweise bitten wir Sie zuerst zu bestätigen, dass die Anfrage von Ihnen kommt.${signOff}`,
  },
  'ack-no-data': {
    subject: 'Ihre Anfrage bei {{organisation}}',
    text: `${greeting}

Wir haben Ihre Anfrage erhalten und ausgeführt. Wir haben (inzwischen) keine Daten über Sie und senden Ihnen keine Nachrichten.${signOff}`,
  },
  'access-link': {
    subject: 'Ihre Daten bei {{organisation}}',
    text: `${greeting}

Wir haben Ihren Antrag auf Auskunft über Ihre personenbezogenen Daten erhalten. Über diesen Link sehen Sie, welche Daten wir über Sie speichern, und können sie als Datei (JSON) herunterladen:

{{accessUrl}}

Der Link gilt einige Tage und zeigt nur an: Er ändert nichts. Geben Sie ihn nicht weiter: Wer den Link hat, kann Ihre Daten sehen. Sie haben das nicht angefragt? Dann müssen Sie nichts tun.${signOff}`,
  },
  welcome: {
    subject: 'Willkommen bei {{organisation}}',
    text: `${greeting}

Danke für Ihre Bestätigung: Sie sind angemeldet und erhalten ab jetzt Nachrichten von {{organisation}}.

Abmelden können Sie jederzeit mit einem Klick: {{unsubscribeUrl}}
Wählen, worüber wir Ihnen schreiben: {{preferencesUrl}}${signOff}`,
  },
  goodbye: {
    subject: 'Sie sind bei {{organisation}} abgemeldet',
    text: `${greeting}

Sie sind abgemeldet: Sie erhalten diese Nachrichten von {{organisation}} nicht mehr. Dies ist die letzte Mail dazu; Sie müssen nichts tun.{{#preferencesUrl}}

Doch etwas anderes gewünscht? Wählen Sie hier, worüber wir Ihnen schreiben: {{preferencesUrl}}{{/preferencesUrl}}${signOff}`,
  },
};
