import { classifyRequest, type Intent } from '../../../core/mail/classify';
import { readRequestMail } from '../../../core/mail/request-mail';
import type { Language } from '../../../core/mail/vocabulary';
import { dsnMail, rawMail, type MailSpec } from './fixtures';

// A token's shape (core/tokens.ts): the last of 22 characters is A, Q, g or w.
const TOKEN = 'u1.tk3x9q0.AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBQ';
const QUOTED_FOOTER = '> Nieuwsbrief november\n>\n> Geen berichten meer? Afmelden kan hier: https://shop.example/unsubscribe?token=' + TOKEN;

// One line per case: what the mail is, the mail, the intent, the language.
const CASES: [string, MailSpec | string, Intent, Language | null][] = [
  ['subject VERWIJDER', { subject: 'VERWIJDER' }, 'erase', 'nl'],
  ['subject DELETE', { subject: 'DELETE' }, 'erase', 'en'],
  ['subject "remove my data"', { subject: 'remove my data' }, 'erase', 'en'],
  ['subject Löschen, encoded', { subject: 'Löschen' }, 'erase', 'de'],
  ['subject B-encoded Dutch', { rawSubject: '=?UTF-8?B?VmVyd2lqZGVyIG1pam4gZ2VnZXZlbnMgYWxzdHVibGllZnQ=?=' }, 'erase', 'nl'],
  ['subject Q-encoded latin1 German', { rawSubject: '=?iso-8859-1?Q?L=F6schen_Sie_meine_Daten?=' }, 'erase', 'de'],
  ['subject split over two encoded words', { rawSubject: '=?UTF-8?B?VW5zdWJz?= =?UTF-8?B?Y3JpYmU=?=' }, 'unsubscribe', 'en'],
  ['subject AFMELDEN', { subject: 'AFMELDEN' }, 'unsubscribe', 'nl'],
  ['subject unsubscribe', { subject: 'unsubscribe' }, 'unsubscribe', 'en'],
  ['subject Abmelden', { subject: 'Abmelden' }, 'unsubscribe', 'de'],
  ['subject "Verwijder mij van de lijst" is an unsubscribe', { subject: 'Verwijder mij van de lijst' }, 'unsubscribe', 'nl'],
  ['body nl erase', { subject: 'Verzoek', text: 'Goedendag,\n\nWilt u al mijn gegevens verwijderen?\n\nGroet, Jan' }, 'erase', 'nl'],
  ['body de erase with umlaut', { subject: 'Anfrage', text: 'Bitte löschen Sie meine Daten.' }, 'erase', 'de'],
  ['body en erase', { subject: 'Request', text: 'Please delete my personal data, thanks.' }, 'erase', 'en'],
  ['body nl access', { subject: 'Vraag', text: 'Ik wil graag inzage in mijn gegevens.' }, 'access', 'nl'],
  ['subject en access', { subject: 'Subject access request' }, 'access', 'en'],
  ['body de access', { subject: 'Frage', text: 'Ich bitte um Auskunft über meine Daten nach Art. 15 DSGVO.' }, 'access', 'de'],
  ['body en unsubscribe', { subject: 'Hello', text: 'Please remove me from your mailing list.' }, 'unsubscribe', 'en'],
  ['body de unsubscribe', { subject: 'Hallo', text: 'Bitte tragen Sie mich aus dem Verteiler aus.' }, 'unsubscribe', 'de'],
  ['both: erasure outranks unsubscribe', { subject: 'Unsubscribe', text: 'And please delete my data too.' }, 'erase', 'en'],
  ['reply quoting our footer only', { subject: 'Re: Nieuwsbrief november', text: `Bedankt, leuk artikel!\n\n${QUOTED_FOOTER}` }, 'unknown', 'nl'],
  ['reply that asks itself', { subject: 'Re: Nieuwsbrief november', text: `Graag afmelden.\n\n${QUOTED_FOOTER}` }, 'unsubscribe', 'nl'],
  ['reply: Gmail attribution nl', { subject: 'Re: Nieuwsbrief', text: 'Dank je wel!\n\nOp ma 23 nov 2026 om 09:00 schreef Shop <nieuws@shop.example>:\n\nAfmelden kan hier.' }, 'unknown', 'nl'],
  ['reply: wrapped attribution en', { subject: 'Re: News', text: 'Thanks, see you there.\n\nOn Mon, 23 Nov 2026 at 09:00, Shop <news@shop.example>\nwrote:\n\nUnsubscribe here.' }, 'unknown', 'en'],
  ['reply: Outlook header block', { subject: 'RE: News', text: 'Thanks!\n\n________________________________\nFrom: Shop <news@shop.example>\nSent: Monday\nSubject: News\n\nUnsubscribe here.' }, 'unknown', 'en'],
  ['reply: Outlook nl header block', { subject: 'Antw: Nieuws', text: 'Top, ik kom!\n\nVan: Shop <nieuws@shop.example>\nVerzonden: maandag 23 november\nOnderwerp: Nieuws\n\nAfmelden? Klik hier.' }, 'unknown', 'nl'],
  ['reply: German attribution', { subject: 'AW: Newsletter', text: 'Danke!\n\nAm 23.11.2026 um 09:00 schrieb Shop <news@shop.example>:\n> Abmelden hier.' }, 'unknown', 'de'],
  ['reply subject words are ours, not theirs', { subject: 'Re: Hoe verwijder je cookies?', text: 'Leuk artikel, dank je.' }, 'unknown', 'nl'],
  ['reply of one word: stop', { subject: 'Re: Nieuwsbrief november', text: `Stop\n\nVerzonden vanaf mijn iPhone\n\n${QUOTED_FOOTER}` }, 'unsubscribe', 'nl'],
  ['HTML only', { subject: 'Re: News', html: '<div>Please unsubscribe me</div><blockquote type="cite"><p>Afmelden? Klik hier</p></blockquote>' }, 'unsubscribe', 'en'],
  ['HTML only, words only in the Gmail quote', { subject: 'Re: News', html: '<div dir="ltr">Top!</div><div class="gmail_quote"><div>Op ma schreef Shop:</div><blockquote>Afmelden</blockquote></div>' }, 'unknown', null],
  ['HTML with entities', { subject: 'Vraag', html: '<p>Graag mijn gegevens verwijderen&nbsp;&amp; bedankt</p>' }, 'erase', 'nl'],
  ['out of office, Auto-Submitted', { subject: 'Afwezig: Nieuwsbrief', headers: { 'Auto-Submitted': 'auto-replied' }, text: 'Ik ben afwezig. Verwijder deze mail.' }, 'auto_reply', null],
  ['out of office, subject only', { subject: 'Automatic reply: Unsubscribe', text: 'I am out of the office.' }, 'auto_reply', null],
  ['German Abwesenheitsnotiz', { subject: 'Abwesenheitsnotiz: Newsletter', text: 'Ich bin nicht im Büro.' }, 'auto_reply', null],
  ['Precedence: bulk', { subject: 'Afmelden', headers: { Precedence: 'bulk' } }, 'auto_reply', null],
  ['X-Autoreply', { subject: 'Unsubscribe', headers: { 'X-Autoreply': 'yes' } }, 'auto_reply', null],
  ['Auto-Submitted: no is a person', { subject: 'Afmelden', headers: { 'Auto-Submitted': 'no' } }, 'unsubscribe', 'nl'],
  ['DSN, hard', dsnMail('gone@example.nl', '5.1.1'), 'bounce', null],
  ['DSN, soft', dsnMail('full@example.nl', '4.2.2'), 'bounce', null],
  ['List-Unsubscribe mailto with token', { subject: `unsubscribe ${TOKEN}` }, 'unsubscribe', 'en'],
  ['nothing asked', { subject: 'Offerte', text: 'Graag ontvang ik een offerte voor 10 stoelen.' }, 'unknown', 'nl'],
  ['empty mail', { subject: '' }, 'unknown', null],
];

describe('classifyRequest', () => {
  it.each(CASES)('%s', async (_name, spec, intent, language) => {
    const mail = await readRequestMail(typeof spec === 'string' ? spec : rawMail(spec));
    const c = classifyRequest(mail);
    expect({ intent: c.intent, language: c.language }).toEqual({ intent, language });
  });

  it('reads the hard bounce recipient and status from a DSN', async () => {
    const c = classifyRequest(await readRequestMail(dsnMail('Gone@Example.nl', '5.1.1')));
    expect(c.bounces).toEqual([expect.objectContaining({ address: 'gone@example.nl', status: '5.1.1', isHard: true })]);
  });

  it('finds the token of a List-Unsubscribe mailto in the subject, and one in quoted text as quoted', async () => {
    expect(classifyRequest(await readRequestMail(rawMail({ subject: `unsubscribe ${TOKEN}` })))).toMatchObject({ token: TOKEN, tokenPlace: 'subject' });
    const reply = classifyRequest(await readRequestMail(rawMail({ subject: 'Re: x', text: `delete my data\n\n${QUOTED_FOOTER}` })));
    expect(reply).toMatchObject({ intent: 'erase', token: TOKEN, tokenPlace: 'quoted' });
  });

  it('gives the requester only when there is exactly one From address', async () => {
    expect(classifyRequest(await readRequestMail(rawMail({ from: 'Jan <JAN@Example.NL>', subject: 'Afmelden' }))).address).toBe('jan@example.nl');
    expect(classifyRequest(await readRequestMail(rawMail({ from: 'a@example.nl, b@example.nl', subject: 'Afmelden' }))).address).toBeNull();
  });

  it('says why, in words a privacy officer can check', async () => {
    const c = classifyRequest(await readRequestMail(rawMail({ subject: 'VERWIJDER' })));
    expect(c.reason).toBe('subject: "verwijder" (nl)');
  });
});
