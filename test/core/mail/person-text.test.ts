import { htmlToText, isStubText, personalText, readOwnWords } from '../../../core/mail/person-text';
import { readRequestMail } from '../../../core/mail/request-mail';
import { rawMail } from './fixtures';
import { FORWARD_CASES, HTML_CASES, PLAIN_CASES, type OwnWordsCase } from './own-words-bodies';

function expectOwn(text: string, c: OwnWordsCase): void {
  for (const words of c.own) expect(text).toContain(words);
  for (const words of c.notOwn) expect(text).not.toContain(words);
}

describe('personalText: the words the person wrote, in replies as the clients write them', () => {
  it.each(PLAIN_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expectOwn(personalText(c.text!), c);
  });

  it.each([
    ['nl', 'Hallo,\n\nOp 1 oktober schreef ik u al: verwijder mijn gegevens.\nIk heb nog niets gehoord. Wat is de status:\n\nJan', 'Ik heb nog niets gehoord'],
    ['fr', 'Bonjour,\n\nLe 3 novembre, je vous ai écrit\npour supprimer mes données. Toujours rien.', 'pour supprimer mes données'],
    ['it', 'Buongiorno,\n\nIl 3 novembre vi ho già scritto\nper cancellare i miei dati. Nessuna risposta.', 'per cancellare i miei dati'],
    ['en', 'Hi,\n\nOn 3 November I wrote to you:\nplease delete my data. Still nothing.', 'please delete my data'],
  ])('keeps a follow-up that tells of an earlier mail (%s): no time or address, so no attribution', (_lang, text, kept) => {
    expect(personalText(text)).toContain(kept);
  });

  it('keeps a P.S. after the closing', () => {
    const text = personalText('Graag afmelden.\n\nGroet,\nKees\n\nPS ook mijn vrouw, kees.vrouw@example.nl, graag afmelden.');
    expect(text).toContain('PS ook mijn vrouw');
  });

  it('keeps the words before a disclaimer on the same line', () => {
    expect(personalText('Delete my data please. This email and any attachments are confidential and may be privileged.')).toBe('Delete my data please.');
  });
});

describe('readOwnWords: forwards', () => {
  it.each(FORWARD_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const own = readOwnWords({ text: c.text!, html: null, subject: c.subject });
    expectOwn(own.text, c);
    expect(own.forwarded?.from).toBe(c.forwardedFrom);
    for (const words of c.forwardedText ?? []) expect(own.forwarded?.text).toContain(words);
  });

  it('an Outlook reply (underscores and a From/Sent block, "RE:" subject) is not a forward', () => {
    const reply = PLAIN_CASES.find((c) => c.name.startsWith('Outlook on the web'))!;
    const own = readOwnWords({ text: reply.text!, html: null, subject: 'RE: Autumn sale' });
    expect(own.forwarded).toBeNull();
    expectOwn(own.text, reply);
  });

  it('a "Fwd:" subject whose body has no readable header still says forwarded, sender unknown', () => {
    const own = readOwnWords({ text: 'Zie hieronder.\n\nIk wil afgemeld worden.', html: null, subject: 'Fwd: afmelden' });
    expect(own.forwarded).toEqual({ from: null, text: '' });
  });
});

describe('htmlToText and readOwnWords: HTML mails', () => {
  it.each(HTML_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const own = readOwnWords({ text: '', html: c.html! });
    expect(own.part).toBe('html');
    expectOwn(own.text, c);
  });

  it('keeps the quoted reply in the text, marked with "> ", so nothing is lost for a person to read', () => {
    const outlook = HTML_CASES.find((c) => c.name.startsWith('Outlook on the web'))!;
    const text = htmlToText(outlook.html!);
    expect(text).toContain('> Klik hier om je af te melden.');
    expect(text.split('\n')[0]).toBe('Verwijder mijn gegevens alstublieft.');
  });

  it('with keepLinks (a mail we send) a link reads "label (href)"', () => {
    expect(htmlToText('<p>Klik <a href="https://shop.example/c?t=1">bevestig</a>.</p><h1>Kop</h1>', undefined, { keepLinks: true })).toBe('Klik bevestig (https://shop.example/c?t=1).\n\nKop');
  });
});

describe('which part is read', () => {
  it.each([
    ['Get Outlook for iOS', 'Get Outlook for iOS<https://aka.ms/o0ukef>'],
    ['empty', ''],
    ['an image placeholder', '[image: logo.png]\n'],
    ['Verstuurd vanaf mijn iPhone', '\nVerstuurd vanaf mijn iPhone\n'],
  ])('a text/plain part that is only a stub (%s) is replaced by the HTML part', async (_name, stub) => {
    expect(isStubText(stub)).toBe(true);
    const mail = await readRequestMail(
      rawMail({ subject: 'Re: Korting', text: stub, html: '<div>Graag afmelden.</div><div id="appendonsend"></div><div id="divRplyFwdMsg"><b>Van:</b> Nieuws</div><div>Klik hier om je af te melden.</div>' }),
    );
    expect(mail.textPart).toBe('html');
    const own = readOwnWords(mail);
    expect(own).toEqual({ text: 'Graag afmelden.', part: 'html', forwarded: null });
  });

  it('a text/plain part with words is read, not the HTML', async () => {
    const mail = await readRequestMail(rawMail({ subject: 'Afmelden', text: 'Graag afmelden.\n\nSent from my iPhone', html: '<div>Iets anders.</div>' }));
    expect(mail.textPart).toBe('text');
    expect(readOwnWords(mail)).toEqual({ text: 'Graag afmelden.', part: 'text', forwarded: null });
  });
});
