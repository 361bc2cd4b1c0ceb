import type { Ledger } from '../../../core/ledger';
import { processRequestMail, type RequestHooks } from '../../../core/inbox';
import { MailSender } from '../../../core/mail/send';
import { handleLinkRequest } from '../../../core/pages/handle';
import { tempLedger } from '../../support/ledger';
import { SmtpPeer } from '../../support/smtp-peer';
import { rawMail } from '../mail/fixtures';
import { seedSubscriber, SHOP_MAILBOX } from '../mail/seed';

/**
 * An access request by mail (GDPR Art. 15): about the sender's own address, the access link goes to
 * that address (over real SMTP here) and the request is answered; the link in that mail opens the
 * person's data. We hold nothing: the same kind of answer says so, to the address itself. About
 * another address: the operator decides, as before.
 */
const OPTIONS = SHOP_MAILBOX;

let t: Awaited<ReturnType<typeof tempLedger>>;
let ledger: Ledger;
let peer: SmtpPeer;
let sender: MailSender;
let hooks: RequestHooks;

beforeAll(async () => {
  peer = await SmtpPeer.start();
  sender = new MailSender({ ...peer.settings(), pool: false });
});
afterAll(async () => {
  sender?.close();
  await peer?.stop();
});
beforeEach(async () => {
  t = await tempLedger();
  ledger = t.ledger;
  hooks = { sendReply: (m) => sender.send(m) };
  peer.received.length = 0;
});
afterEach(() => t?.dispose());

const process = (raw: string) => processRequestMail(ledger, raw, OPTIONS, hooks);
const requestRow = async (messageId: string) => (await ledger.store.transaction((tx) => tx.findRequest(messageId)))!;
const openIds = async () => {
  const ids: string[] = [];
  for await (const entry of ledger.listRequests({ open: true })) ids.push(entry.id);
  return ids;
};
const linkIn = (text: string) => /https:\/\/shop\.example\/consent\/access\?token=(\S+)/.exec(text);

test('a known sender: the access link is mailed to that address, the request is answered and off the open list, and the link opens their data', async () => {
  await seedSubscriber(ledger, 'jan@example.nl');
  const result = await process(rawMail({ from: 'Jan <jan@example.nl>', subject: 'Inzageverzoek', text: 'Ik wil inzage in mijn gegevens (AVG artikel 15).', messageId: '<acc-1@example.nl>' }));
  expect(result).toMatchObject({ intent: 'access', outcome: 'answered', folder: 'processed', reply: { status: 'sent' } });

  const [mail] = peer.received;
  expect(mail.to).toEqual(['jan@example.nl']);
  expect(mail.parsed.subject).toBe('Uw gegevens bij De Winkel');
  expect(mail.parsed.inReplyTo).toBe('<acc-1@example.nl>');
  const link = linkIn(mail.parsed.text ?? '');
  expect(link).not.toBeNull();

  const row = await requestRow('<acc-1@example.nl>');
  expect(row).toMatchObject({ kind: 'access', outcome: 'answered', address: 'jan@example.nl', subjectId: result.subjectId });
  expect(row.detail).toContain('access link mailed to the address itself, valid until 2026-11-30T10:00:00.000Z');
  expect(await openIds()).not.toContain('<acc-1@example.nl>');

  // The link from the mail, as the person's browser asks for it.
  const page = await handleLinkRequest(ledger, { method: 'GET', path: '/webhook/consent/access', query: { token: decodeURIComponent(link![1]) }, headers: {} }, { organisation: 'De Winkel', privacyUrl: 'https://shop.example/privacy' });
  expect(page.status).toBe(200);
  expect(page.html).toContain('jan@example.nl');
  expect(page.html).toContain('Ja, stuur mij de nieuwsbrief.');
  // The request it answered is in the package too.
  const data = await ledger.accessPackage(decodeURIComponent(link![1]));
  expect(data.requests).toEqual([expect.objectContaining({ id: '<acc-1@example.nl>', kind: 'access', outcome: 'answered' })]);
});

test('an address we hold nothing about: the same kind of answer, to that address, saying we hold nothing; answered, no link', async () => {
  const result = await process(rawMail({ from: 'nobody@example.nl', subject: 'Subject access request', messageId: '<acc-2@example.nl>' }));
  expect(result).toMatchObject({ intent: 'access', outcome: 'not_found', folder: 'processed', reply: { status: 'sent' } });
  const [mail] = peer.received;
  expect(mail.to).toEqual(['nobody@example.nl']);
  expect(mail.parsed.text).toContain('We hold no data about you');
  expect(linkIn(mail.parsed.text ?? '')).toBeNull();
  expect(await requestRow('<acc-2@example.nl>')).toMatchObject({ kind: 'access', outcome: 'not_found' });
  expect(await openIds()).not.toContain('<acc-2@example.nl>');
});

test('a request about another address than the sender\'s stays for the operator: acknowledged, no link, open', async () => {
  await seedSubscriber(ledger, 'jan.old@example.org');
  const raw = rawMail({ from: 'Jan <jan.new@example.org>', subject: 'Inzageverzoek', text: 'Hallo,\n\nik wil inzage in mijn gegevens. Het gaat om mijn oude adres jan.old@example.org.\n\nJan', messageId: '<acc-3@example.nl>' });
  const result = await process(raw);
  expect(result).toMatchObject({ intent: 'access', address: 'jan.old@example.org', outcome: 'awaiting_operator', folder: 'review' });
  expect(peer.received.every((m) => !linkIn(m.parsed.text ?? ''))).toBe(true);
  expect(await openIds()).toContain('<acc-3@example.nl>');
});

test('a link mail that could not be sent goes out on the next pass with a fresh link; nothing else is done twice', async () => {
  await seedSubscriber(ledger, 'eva@example.nl', { locale: 'en' });
  const raw = rawMail({ from: 'eva@example.nl', subject: 'Subject access request', messageId: '<acc-4@example.nl>' });
  const failing = { sendReply: async () => { throw new Error('connection refused'); } };
  const first = await processRequestMail(ledger, raw, OPTIONS, failing);
  expect(first).toMatchObject({ outcome: 'answered', reply: { status: 'failed' }, isDone: false });
  expect(peer.received).toHaveLength(0);
  const again = await process(raw);
  expect(again).toMatchObject({ isRepeat: true, outcome: 'answered', reply: { status: 'sent' } });
  const [mail] = peer.received;
  expect(mail.parsed.subject).toBe('Your data at De Winkel');
  const token = decodeURIComponent(linkIn(mail.parsed.text ?? '')![1]);
  expect((await ledger.accessPackage(token)).person.email).toBe('eva@example.nl');
});
