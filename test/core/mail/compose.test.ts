import { classifyRequest } from '../../../core/mail/classify';
import { composeMail, unsubscribeMailto, type ComposeInput } from '../../../core/mail/compose';
import { readRequestMail } from '../../../core/mail/request-mail';
import { MailSender } from '../../../core/mail/send';
import { InvalidInput } from '../../../core/errors';
import { SmtpPeer } from '../../support/smtp-peer';
import { rawMail } from './fixtures';

const CONFIRM = 'c1.tk3x9q0.AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB';
const UNSUB = 'u1.tk3x9q0.CCCCCCCCCCCCCCCCCCCCCQ.DDDDDDDDDDDDDDDDDDDDDQ';
const BASE: ComposeInput = {
  to: 'Jan@Example.nl',
  name: 'Jan',
  from: 'Winkel <nieuws@shop.example>',
  organisation: 'De Winkel',
  baseUrl: 'https://shop.example/webhook/consent/',
  confirmToken: CONFIRM,
  unsubscribeToken: UNSUB,
  unsubscribeMailbox: 'privacy@shop.example',
  privacyUrl: 'https://shop.example/privacy',
};

describe('composeMail: built-in templates', () => {
  it('a Dutch confirmation carries the confirm and preferences links and both List-Unsubscribe headers', () => {
    const mail = composeMail('confirmation', BASE);
    expect(mail.to).toBe('Jan <jan@example.nl>');
    expect(mail.from).toBe('Winkel <nieuws@shop.example>');
    expect(mail.subject).toBe('Bevestig uw inschrijving bij De Winkel');
    expect(mail.text).toContain('Beste Jan,');
    expect(mail.text).toContain(`https://shop.example/webhook/consent/confirm?token=${CONFIRM}`);
    expect(mail.text).toContain(`https://shop.example/webhook/consent/preferences?token=${UNSUB}`);
    expect(mail.text).toContain('https://shop.example/privacy');
    expect(mail.headers['List-Unsubscribe']).toBe(
      `<https://shop.example/webhook/consent/unsubscribe?token=${UNSUB}>, <mailto:privacy@shop.example?subject=unsubscribe%20${UNSUB}>`,
    );
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.headers['Auto-Submitted']).toBeUndefined();
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@shop\.example>$/);
    expect(mail.html).toContain(`<a href="https://shop.example/webhook/consent/confirm?token=${CONFIRM}">`);
    expect(mail.html).toContain('<html lang="nl">');
  });

  it('English invitation and reminder; no name gives a neutral greeting', () => {
    const invitation = composeMail('invitation', { ...BASE, locale: 'en', name: undefined });
    expect(invitation.subject).toBe('Would you like to keep hearing from De Winkel?');
    expect(invitation.text.startsWith('Hello,')).toBe(true);
    expect(invitation.text).toContain('/unsubscribe?token=');
    expect(composeMail('reminder', { ...BASE, locale: 'en' }).subject).toMatch(/^Reminder:/);
  });

  it('acknowledgements are automatic replies, threaded to the request', () => {
    for (const kind of ['ack-unsubscribed', 'ack-erased', 'ack-suppressed', 'ack-access', 'ack-no-data'] as const) {
      const mail = composeMail(kind, { to: 'jan@example.nl', from: 'privacy@shop.example', organisation: 'De Winkel', inReplyTo: '<req-1@example.nl>', references: ['<news-1@shop.example>'] });
      expect(mail.headers).toEqual({
        'Auto-Submitted': 'auto-replied',
        'X-Auto-Response-Suppress': 'All',
        'In-Reply-To': '<req-1@example.nl>',
        References: '<news-1@shop.example> <req-1@example.nl>',
      });
      expect(mail.headers['List-Unsubscribe']).toBeUndefined();
    }
  });

  it('erase verification carries the erase link', () => {
    const mail = composeMail('erase-verification', { to: 'jan@example.nl', from: 'privacy@shop.example', organisation: 'De Winkel', baseUrl: 'https://shop.example/c', eraseToken: 'e1.abc.x', locale: 'en' });
    expect(mail.text).toContain('https://shop.example/c/erase?token=e1.abc.x');
  });

  it('a URL in a person\'s name stays text in the HTML: only our own links become links', () => {
    const name = 'Jan https://evil.example/login?next=x www.evil.example';
    for (const template of [undefined, { text: 'Hoi {{name}}. Bevestig: {{confirmUrl}} Afmelden: {{unsubscribeUrl}}\n\nMeer: https://shop.example/over-ons' }]) {
      const mail = composeMail('invitation', { ...BASE, name, template });
      expect(mail.text).toContain('Jan https://evil.example/login?next=x');
      expect(mail.html).toContain('Jan https://evil.example/login?next=x www.evil.example');
      expect(mail.html).not.toMatch(/<a [^>]*evil\.example/);
      expect(mail.html).toContain(`<a href="https://shop.example/webhook/consent/confirm?token=${CONFIRM}">`);
      expect(mail.html.match(/<a href=/g)!.length).toBeGreaterThanOrEqual(2);
    }
    // A URL the template itself has (the operator's own text) is still a link.
    const own = composeMail('invitation', { ...BASE, name, template: { text: 'Hoi {{name}}. {{confirmUrl}} {{unsubscribeUrl}}\n\nMeer: https://shop.example/over-ons' } });
    expect(own.html).toContain('<a href="https://shop.example/over-ons">');
  });

  it('the mailto unsubscribe comes back to the worker as an unsubscribe with its token', async () => {
    const mailto = new URL(unsubscribeMailto('privacy@shop.example', UNSUB));
    const subject = mailto.searchParams.get('subject')!;
    const c = classifyRequest(await readRequestMail(rawMail({ to: mailto.pathname, subject })));
    expect(c).toMatchObject({ intent: 'unsubscribe', token: UNSUB, tokenPlace: 'subject' });
  });
});

describe('composeMail: user templates', () => {
  const template = {
    subject: '{{organisation}}: nog even bevestigen, {{name}}?',
    text: 'Hoi {{name}}, klik {{confirmUrl}}. Afmelden: {{unsubscribeUrl}}{{#privacyUrl}} Privacy: {{privacyUrl}}{{/privacyUrl}}',
    html: '<p>Hoi {{name}}, <a href="{{confirmUrl}}">bevestig</a>. <a href="{{unsubscribeUrl}}">Afmelden</a></p>',
  };

  it('fills the placeholders; HTML-escapes values in HTML only', () => {
    const mail = composeMail('invitation', { ...BASE, name: 'Jan <b>"&"</b>', template });
    expect(mail.subject).toBe('De Winkel: nog even bevestigen, Jan <b>"&"</b>?');
    expect(mail.text).toContain('Hoi Jan <b>"&"</b>, klik https://');
    expect(mail.text).toContain('Privacy: https://shop.example/privacy');
    expect(mail.html).toContain('Hoi Jan &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;,');
    expect(mail.html).not.toContain('<b>');
  });

  it('escapes values in a mail\'s HTML as the pages do (core/html.ts), the backtick too', () => {
    const mail = composeMail('invitation', { ...BASE, name: 'Jan `x`', template });
    expect(mail.html).toContain('Hoi Jan &#96;x&#96;,');
  });

  it('a text-only template gets an HTML version made from it, an HTML-only one a text version', () => {
    const fromText = composeMail('invitation', { ...BASE, template: { text: template.text } });
    expect(fromText.html).toContain('Hoi Jan, klik <a href=');
    const fromHtml = composeMail('invitation', { ...BASE, template: { html: template.html } });
    expect(fromHtml.text).toContain(`Hoi Jan, bevestig (https://shop.example/webhook/consent/confirm?token=${CONFIRM}). Afmelden (https://`);
  });

  it.each([
    ['CR/LF in a name that goes into the subject', { ...BASE, name: 'Jan\r\nBcc: victim@example.org', template }, /name: contains a line break/],
    ['CR/LF in the subject template', { ...BASE, template: { ...template, subject: 'Hallo\nBcc: x@y.z' } }, /subject: contains a line break/],
    ['CR/LF in In-Reply-To', { ...BASE, inReplyTo: '<a@b>\r\nBcc: x@y.z' }, /In-Reply-To: contains a line break/],
    ['CR/LF in From', { ...BASE, from: 'Winkel\r\n <nieuws@shop.example>' }, /from: "Winkel\\r\\n <nieuws@shop.example>" is not an address/],
    ['an unknown placeholder', { ...BASE, template: { ...template, text: 'Hoi {{nmae}} {{confirmUrl}} {{unsubscribeUrl}}' } }, /template.text: unknown placeholder \{\{nmae\}\}/],
    ['a marketing text without an unsubscribe link', { ...BASE, template: { ...template, text: 'Klik {{confirmUrl}}' } }, /must contain \{\{unsubscribeUrl\}\} or \{\{preferencesUrl\}\}/],
    ['a marketing mail without an unsubscribe token', { ...BASE, unsubscribeToken: undefined }, /unsubscribeToken: every invitation mail carries an unsubscribe link/],
    ['a confirm placeholder without its token', { ...BASE, confirmToken: undefined }, /confirmToken: a invitation mail needs the confirm token/],
    ['tokens without a base URL', { ...BASE, baseUrl: undefined }, /baseUrl: /],
    ['a javascript: privacy URL', { ...BASE, privacyUrl: 'javascript:alert(1)' }, /privacyUrl: must start with https/],
  ])('refuses %s with a clear error', (_what, input, message) => {
    expect(() => composeMail('invitation', input as ComposeInput)).toThrow(InvalidInput);
    expect(() => composeMail('invitation', input as ComposeInput)).toThrow(message);
  });
});

describe('MailSender: over SMTP with nodemailer', () => {
  let peer: SmtpPeer;
  beforeAll(async () => {
    peer = await SmtpPeer.start();
  });
  afterAll(() => peer?.stop());

  it('delivers the composed mail with its List-Unsubscribe headers intact', async () => {
    const sender = new MailSender(peer.settings());
    const mail = composeMail('invitation', BASE);
    await sender.send(mail);
    sender.close();
    const got = peer.received.at(-1)!;
    expect(got.to).toEqual(['jan@example.nl']);
    expect(got.from).toBe('nieuws@shop.example');
    expect(got.parsed.subject).toBe(mail.subject);
    expect(got.parsed.messageId).toBe(mail.messageId);
    const raw = got.raw.toString('utf8');
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    expect(raw.replace(/\r\n[ \t]+/g, ' ')).toContain(`List-Unsubscribe: <https://shop.example/webhook/consent/unsubscribe?token=${UNSUB}>, <mailto:privacy@shop.example?subject=unsubscribe%20${UNSUB}>`);
    expect(got.parsed.text).toContain('/confirm?token=');
  });

  it('reports a refusal as permanent (5xx) or not (4xx)', async () => {
    const sender = new MailSender({ ...peer.settings(), pool: false });
    peer.failNext(1, 451);
    await expect(sender.send(composeMail('ack-access', { to: 'a@example.nl', from: 'privacy@shop.example', organisation: 'X' }))).rejects.toMatchObject({ code: 'SEND_FAILED', isPermanent: false });
    peer.failNext(1, 550);
    await expect(sender.send(composeMail('ack-access', { to: 'a@example.nl', from: 'privacy@shop.example', organisation: 'X' }))).rejects.toMatchObject({ code: 'SEND_FAILED', isPermanent: true });
    sender.close();
  });

  it('validates its settings and names the field', () => {
    expect(() => new MailSender({ host: '' })).toThrow(/smtp, host: give the SMTP server host name/);
    expect(() => new MailSender({ host: 'x', port: 70000 })).toThrow(/port: a port is 1–65535/);
    expect(() => new MailSender({ host: 'x', password: 'p' })).toThrow(/user: give the user name/);
  });
});

describe('composeMail: the welcome and goodbye mails', () => {
  const person = { to: BASE.to, name: BASE.name, from: BASE.from, organisation: BASE.organisation, baseUrl: BASE.baseUrl, privacyUrl: BASE.privacyUrl };
  it('a welcome needs its unsubscribe link and carries it in the text and in List-Unsubscribe (one-click)', () => {
    expect(() => composeMail('welcome', person)).toThrow(/unsubscribeToken: a welcome mail carries an unsubscribe link/);
    const mail = composeMail('welcome', { ...person, unsubscribeToken: UNSUB, unsubscribeMailbox: 'privacy@shop.example', locale: 'en' });
    expect(mail.subject).toBe('Welcome to De Winkel');
    expect(mail.text).toContain(`https://shop.example/webhook/consent/unsubscribe?token=${UNSUB}`);
    expect(mail.headers['List-Unsubscribe']).toBe(`<https://shop.example/webhook/consent/unsubscribe?token=${UNSUB}>, <${unsubscribeMailto('privacy@shop.example', UNSUB)}>`);
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.headers['Auto-Submitted']).toBeUndefined();
  });
  it('a goodbye has no List-Unsubscribe, is marked auto-generated, and links the preferences page only when given the token', () => {
    const bare = composeMail('goodbye', person);
    expect(bare.subject).toBe('U bent afgemeld bij De Winkel');
    expect(bare.text).not.toContain('/preferences');
    const withLink = composeMail('goodbye', { ...person, unsubscribeToken: UNSUB, unsubscribeMailbox: 'privacy@shop.example' });
    expect(withLink.text).toContain(`https://shop.example/webhook/consent/preferences?token=${UNSUB}`);
    for (const mail of [bare, withLink]) {
      expect(Object.keys(mail.headers)).not.toContain('List-Unsubscribe');
      expect(Object.keys(mail.headers)).not.toContain('List-Unsubscribe-Post');
      expect(mail.headers['Auto-Submitted']).toBe('auto-generated');
    }
  });
  it('a line break in the name never reaches a header', () => {
    expect(() => composeMail('goodbye', { ...person, name: 'Jan\r\nBcc: x@evil.example' })).toThrow(InvalidInput);
  });
});

