import type { TemplateSet } from './index';

/** Italian texts; placeholders as in nl.ts. Formal address (Lei). */
const greeting = '{{#name}}Gentile {{name}},{{/name}}{{^name}}Buongiorno,{{/name}}';
const privacy = '{{#privacyUrl}}\n\nCome trattiamo i Suoi dati: {{privacyUrl}}{{/privacyUrl}}';
const signOff = `\n\nCordiali saluti,\n{{organisation}}${privacy}`;

export const it: TemplateSet = {
  confirmation: {
    subject: 'Confermi la Sua iscrizione a {{organisation}}',
    text: `${greeting}

Si è iscritto/a per ricevere messaggi da {{organisation}}. Confermi che è stato/a Lei aprendo questo link:

{{confirmUrl}}

Non si è iscritto/a? Allora non deve fare nulla: senza la Sua conferma non Le inviamo nulla.

Disiscriversi o modificare le preferenze: {{preferencesUrl}}${signOff}`,
  },
  invitation: {
    subject: 'Desidera continuare a ricevere notizie da {{organisation}}?',
    text: `${greeting}

Di tanto in tanto riceve messaggi da {{organisation}}. Continueremo a inviarli solo con il Suo consenso esplicito. Desidera continuare a riceverli? Lo confermi con questo link:

{{confirmUrl}}

Se non fa nulla, non Le invieremo più messaggi.

Disiscriversi subito: {{unsubscribeUrl}}
Le Sue preferenze: {{preferencesUrl}}${signOff}`,
  },
  reminder: {
    subject: 'Promemoria: desidera continuare a ricevere notizie da {{organisation}}?',
    text: `${greeting}

Di recente Le abbiamo chiesto se desidera continuare a ricevere messaggi da {{organisation}} e non abbiamo ancora visto una risposta. Desidera continuare a riceverli? Lo confermi con questo link:

{{confirmUrl}}

Se non fa nulla, non Le invieremo più messaggi.

Disiscriversi subito: {{unsubscribeUrl}}${signOff}`,
  },
  'erase-verification': {
    subject: 'Confermi la cancellazione dei Suoi dati presso {{organisation}}',
    text: `${greeting}

Abbiamo ricevuto una richiesta di cancellazione dei Suoi dati. Per essere sicuri che provenga da Lei, La preghiamo di confermarla: apra questo link e prema il pulsante:

{{eraseUrl}}

Non ha chiesto nulla? Allora non deve fare nulla: nulla sarà cancellato.${signOff}`,
  },
  'privacy-request': {
    subject: 'Confermi la Sua richiesta a {{organisation}}',
    text: `${greeting}

Abbiamo ricevuto, tramite il nostro modulo sulla privacy, una richiesta relativa ai Suoi dati: vederli, cancellarli o non inviarLe più e-mail. Per essere sicuri che provenga da Lei, La preghiamo di confermarla: apra questo link e prema il pulsante:

{{privacyRequestUrl}}

Il link vale un giorno. Non ha chiesto nulla? Allora non deve fare nulla: non cambierà nulla.${signOff}`,
  },
  'ack-unsubscribed': {
    subject: 'La Sua disiscrizione da {{organisation}} è avvenuta',
    text: `${greeting}

La Sua richiesta di disiscrizione è stata eseguita. Non riceverà più messaggi da {{organisation}} a questo indirizzo.${signOff}`,
  },
  'ack-erased': {
    subject: 'I Suoi dati presso {{organisation}} sono stati cancellati',
    text: `${greeting}

Abbiamo eseguito la Sua richiesta: i Suoi dati sono stati cancellati. Conserviamo solo un codice irreversibile del Suo indirizzo, perché non riceva mai più messaggi da noi, nemmeno dopo una nuova importazione.${signOff}`,
  },
  'ack-suppressed': {
    subject: 'La Sua richiesta di cancellazione presso {{organisation}}',
    text: `${greeting}

Abbiamo ricevuto la Sua richiesta. La legge ci obbliga a conservare parte dei Suoi dati ancora per un certo periodo (per esempio a fini fiscali). Non usiamo questi dati per nient'altro e li cancelliamo appena possibile. Il Suo indirizzo è bloccato: non riceverà più messaggi da noi.${signOff}`,
  },
  'ack-access': {
    subject: 'Abbiamo ricevuto la Sua richiesta di accesso presso {{organisation}}',
    text: `${greeting}

Abbiamo ricevuto la Sua richiesta di accesso ai Suoi dati personali. Avrà nostre notizie entro un mese. Potremmo prima chiederLe di confermare che la richiesta proviene da Lei.${signOff}`,
  },
  'ack-no-data': {
    subject: 'La Sua richiesta presso {{organisation}}',
    text: `${greeting}

Abbiamo ricevuto ed eseguito la Sua richiesta. Non abbiamo (più) alcun dato su di Lei e non Le inviamo messaggi.${signOff}`,
  },
  'access-link': {
    subject: 'I suoi dati presso {{organisation}}',
    text: `${greeting}

Abbiamo ricevuto la sua richiesta di accesso ai suoi dati personali. Questo link le mostra i dati che conserviamo su di lei e le permette di scaricarli come file (JSON):

{{accessUrl}}

Il link è valido per alcuni giorni e mostra soltanto: non modifica nulla. Non lo inoltri: chi ha il link può vedere i suoi dati. Non ha fatto questa richiesta? Allora non deve fare nulla.${signOff}`,
  },
  welcome: {
    subject: 'Benvenuto da {{organisation}}',
    text: `${greeting}

Grazie per la conferma: è iscritto e riceverà i messaggi di {{organisation}}.

Può annullare l'iscrizione in qualsiasi momento, con un clic: {{unsubscribeUrl}}
Scelga su cosa scriverle: {{preferencesUrl}}${signOff}`,
  },
  goodbye: {
    subject: "Ha annullato l'iscrizione a {{organisation}}",
    text: `${greeting}

Ha annullato l'iscrizione: non riceverà più questi messaggi di {{organisation}}. Questa è l'ultima e-mail al riguardo; non deve fare nulla.{{#preferencesUrl}}

Ha cambiato idea? Scelga qui su cosa scriverle: {{preferencesUrl}}{{/preferencesUrl}}${signOff}`,
  },
};
