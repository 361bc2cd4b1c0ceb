// Italian-speaking senders.
import { when } from './mime.mjs';
import { newsletter } from './shop.mjs';
import { about, act, hold } from './spec.mjs';

const reply = (to, date, toName = '') => ({ kind: 'reply', msg: newsletter('it', 0, to, date, { toName }) });
const IT1 = when(2026, 11, 20, 9, 0);

const DISCLAIMER_IT = 'Le informazioni contenute in questa e-mail e negli eventuali allegati sono riservate e destinate esclusivamente al destinatario indicato. Se avete ricevuto questo messaggio per errore, vi preghiamo di darne notizia al mittente e di cancellarlo. Ai sensi del Regolamento UE 2016/679 potete esercitare i diritti di accesso, rettifica, cancellazione e opposizione scrivendo a privacy@bianchi-srl.example.';

export const IT = [
  {
    file: 'h100-unsubscribe-it-libero-cancellarmi.eml',
    label: act('unsubscribe', 'it', 'francesca.galli@libero.it', 'unsubscribe', "Libero webmail, HTML only; 'cancellarmi dalla newsletter' means unsubscribe", { alsoAccept: ['erase'] }),
    client: 'ox', htmlOnly: true, mailerHost: 'libero.it', mailer: 'Libero Mail', from: ['Francesca Galli', 'francesca.galli@libero.it'], subject: 'newsletter', date: when(2026, 11, 21, 10, 40),
    text: 'Buongiorno,\nvi prego di cancellarmi dalla vostra newsletter.\nGrazie\nFrancesca Galli',
  },
  {
    file: 'h101-unsubscribe-it-iphone-disiscrivimi.eml',
    label: act('unsubscribe', 'it', 'matteo.conti@icloud.com', 'unsubscribe', "one word 'disiscrivimi' over the quoted newsletter, Inviato da iPhone"),
    client: 'iphone', from: ['Matteo Conti', 'matteo.conti@icloud.com'], subject: 'Re: Novità: è arrivata la collezione invernale', date: when(2026, 11, 20, 13, 9),
    text: 'Disiscrivimi',
    quote: reply('matteo.conti@icloud.com', IT1),
  },
  {
    file: 'h102-unsubscribe-it-outlook-comunicazioni-promozionali.eml',
    label: act('unsubscribe', 'it', 'g.bianchi@bianchi-srl.example', 'unsubscribe', "'non desidero più ricevere le vostre comunicazioni promozionali'; disclaimer lists cancellazione and opposizione"),
    client: 'outlook', from: ['Giorgio Bianchi', 'g.bianchi@bianchi-srl.example'], subject: 'R: Novità: è arrivata la collezione invernale', date: when(2026, 11, 20, 15, 48),
    text: 'Buongiorno,\n\nnon desidero più ricevere le vostre comunicazioni promozionali.\n\nCordiali saluti',
    sig: 'Giorgio Bianchi\nBianchi S.r.l.\nVia Roma 10 – 20121 Milano\nTel. +39 02 1234567\nP.IVA 01234567890',
    disclaimer: DISCLAIMER_IT,
    quote: reply('g.bianchi@bianchi-srl.example', IT1, 'Giorgio Bianchi'),
  },
  {
    file: 'h103-erase-it-outlook-art17-cancellazione.eml',
    label: act('erase', 'it', 'a.russo@studiorusso.example', 'erase', 'formal diritto alla cancellazione under art. 17 GDPR, with the Garante as fallback'),
    client: 'outlook', from: ['Avv. Alessandra Russo', 'a.russo@studiorusso.example'], subject: 'Richiesta di cancellazione dei dati personali ai sensi dell\u2019art. 17 GDPR', date: when(2026, 11, 23, 12, 20),
    text: 'Spett.le De Winkel B.V.,\n\ncon la presente esercito il diritto alla cancellazione ai sensi dell\u2019art. 17 del Regolamento (UE) 2016/679 e vi chiedo di cancellare senza ingiustificato ritardo tutti i dati personali che mi riguardano, compreso il mio account cliente.\n\nVi chiedo di darmene conferma scritta entro un mese. In mancanza, mi riservo di proporre reclamo al Garante per la protezione dei dati personali.\n\nDistinti saluti,\nAvv. Alessandra Russo',
  },
  {
    file: 'h104-erase-it-iphone-eliminate-account.eml',
    label: act('erase', 'it', 'chiara.ricci@icloud.com', 'erase', "'eliminate il mio account e tutti i miei dati'"),
    client: 'iphone', from: ['Chiara Ricci', 'chiara.ricci@icloud.com'], subject: 'Account', date: when(2026, 11, 24, 22, 1),
    text: 'Per favore eliminate il mio account e tutti i miei dati personali. Grazie',
  },
  {
    file: 'h105-erase-it-gmail-diritto-oblio.eml',
    label: act('erase', 'it', 'luca.marino.to@gmail.com', 'erase', "'diritto all'oblio', cancellazione of all data including order history"),
    client: 'gmail', from: ['Luca Marino', 'luca.marino.to@gmail.com'], subject: "Diritto all'oblio", date: when(2026, 11, 26, 9, 36),
    text: "Buongiorno,\n\nin base al diritto all'oblio chiedo la cancellazione di tutti i dati che mi riguardano, compreso lo storico degli ordini.\n\nGrazie,\nLuca Marino",
  },
  {
    file: 'h106-access-it-gmail-art15.eml',
    label: hold('access', 'it', 'silvia.greco@gmail.com', 'access', "access request: 'quali dati personali conservate', art. 15"),
    client: 'gmail', from: ['Silvia Greco', 'silvia.greco@gmail.com'], subject: 'Richiesta di accesso ai dati', date: when(2026, 11, 22, 17, 44),
    text: 'Salve,\n\nai sensi dell\'art. 15 del GDPR vorrei sapere quali dati personali conservate su di me e ricevere una copia.\n\nCordiali saluti,\nSilvia Greco',
  },
  {
    file: 'h107-objection-it-tiscali-opposizione.eml',
    label: act('unsubscribe', 'it', 'p.colombo@tiscali.it', 'objection', "'mi oppongo al trattamento ... per finalità di marketing diretto e revoco ogni consenso'"),
    client: 'ox', mailerHost: 'tiscali.it', from: ['Paolo Colombo', 'p.colombo@tiscali.it'], subject: 'Opposizione al marketing', date: when(2026, 11, 25, 10, 3),
    text: 'Buongiorno,\n\nmi oppongo al trattamento dei miei dati per finalità di marketing diretto e revoco ogni consenso prestato in precedenza.\n\nPaolo Colombo',
  },
  {
    file: 'h108-negation-it-gmail-non-cancellarmi.eml',
    label: hold('unknown', 'it', 'giulia.romano@gmail.com', 'negation', "'non voglio cancellarmi', wants to change her address"),
    client: 'gmail', from: ['Giulia Romano', 'giulia.romano@gmail.com'], subject: 'Re: Novità: è arrivata la collezione invernale', date: when(2026, 11, 21, 19, 11),
    text: 'Ciao,\n\nnon voglio cancellarmi dalla newsletter, vorrei solo aggiornare il mio indirizzo email: il nuovo è giulia.romano@outlook.it.\n\nGrazie!\nGiulia',
    quote: reply('giulia.romano@gmail.com', IT1),
  },
  {
    file: 'h109-other-it-samsung-madre.eml',
    label: about('unsubscribe', 'it', 'anna.ferri@libero.it', "a son asks to stop the newsletter to his mother's address, given in the body"),
    client: 'samsung', from: ['Davide Ferri', 'davide.ferri@hotmail.it'], subject: 'Newsletter mia madre', date: when(2026, 11, 27, 13, 20),
    text: 'Buongiorno, mia madre (anna.ferri@libero.it) non usa più questa email e non vuole ricevere la newsletter. Potete toglierla dalla lista? Grazie',
  },
  {
    file: 'h110-question-it-outlook-indirizzo-profilo.eml',
    label: hold('unknown', 'it', 'm.deluca@deluca-arredi.example', 'question', 'how to update the home address in the profile; disclaimer mentions cancellazione'),
    client: 'outlook', from: ['Marco De Luca', 'm.deluca@deluca-arredi.example'], subject: 'Aggiornamento indirizzo', date: when(2026, 11, 30, 11, 5),
    text: 'Buongiorno,\n\nho cambiato indirizzo di casa: come posso aggiornarlo nel mio profilo? Non trovo la voce nel sito.\n\nGrazie e buona giornata,\nMarco De Luca',
    disclaimer: DISCLAIMER_IT.replace('privacy@bianchi-srl.example', 'privacy@deluca-arredi.example'),
  },
];
