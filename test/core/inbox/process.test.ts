import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Ledger } from '../../../core/ledger';
import type { RequestRow } from '../../../core/store/store';
import { processRequestMail, recordRequestMail, type RequestHooks, type RequestOptions } from '../../../core/inbox';
import { MailSender } from '../../../core/mail/send';
import { tempLedger } from '../../support/ledger';
import { SmtpPeer } from '../../support/smtp-peer';
import { dsnMail, longReferencesMail, poisonMail, rawMail } from '../mail/fixtures';
import { failRequestOutcome } from '../../support/store-faults';
import { dkimDomain, seedSubscriber, statusOf, SHOP_MAILBOX } from '../mail/seed';

const OPTIONS = SHOP_MAILBOX;

let t: Awaited<ReturnType<typeof tempLedger>>;
let ledger: Ledger;
let peer: SmtpPeer;
let sender: MailSender;
let hooks: RequestHooks;
const signer = dkimDomain('example.nl');

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
  hooks = { sendReply: (m) => sender.send(m), resolver: signer.resolver };
  peer.received.length = 0;
});
afterEach(() => t?.dispose());

const process = (raw: string | object, options: Partial<RequestOptions> = {}) => processRequestMail(ledger, raw as string, { ...OPTIONS, ...options }, hooks);
const requestRow = async (messageId: string) => (await ledger.store.transaction((tx) => tx.findRequest(messageId)))!;
const eventCount = async (email: string) => (await ledger.export({ email }))?.events.length ?? 0;

describe('unsubscribe by mail', () => {
  it('unsubscribes the sender, answers in their language, threaded, and logs the request with its due date', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const raw = rawMail({ from: 'Jan <jan@example.nl>', subject: 'Afmelden', messageId: '<req-1@example.nl>', headers: { References: '<news-7@shop.example>' } });
    const result = await process(raw);
    expect(result).toMatchObject({ intent: 'unsubscribe', language: 'nl', outcome: 'unsubscribed', folder: 'processed', isRepeat: false, isDone: true, proof: 'none' });
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('unsubscribed');
    const [reply] = peer.received;
    expect(reply.to).toEqual(['jan@example.nl']);
    expect(reply.parsed.subject).toBe('U bent afgemeld bij De Winkel');
    expect(reply.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(reply.parsed.inReplyTo).toBe('<req-1@example.nl>');
    expect(reply.parsed.references).toEqual(['<news-7@shop.example>', '<req-1@example.nl>']);
    const row = await requestRow('<req-1@example.nl>');
    expect(row).toMatchObject({ kind: 'unsubscribe', outcome: 'unsubscribed', address: 'jan@example.nl', receivedAt: '2026-11-23T08:00:00.000Z', dueAt: '2026-12-23T08:00:00.000Z' });
    expect(row.detail).toBe('proof=none; reply=sent');
  });

  it('a repeat of the same Message-ID changes nothing and answers nothing', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const raw = rawMail({ from: 'jan@example.nl', subject: 'unsubscribe', messageId: '<req-2@example.nl>' });
    await process(raw);
    const events = await eventCount('jan@example.nl');
    const again = await process(raw);
    expect(again).toMatchObject({ isRepeat: true, outcome: 'unsubscribed', reply: { status: 'done' }, isDone: true });
    expect(await eventCount('jan@example.nl')).toBe(events);
    expect(peer.received).toHaveLength(1);
  });

  it('the List-Unsubscribe mailto: the token decides who, whatever the From', async () => {
    const { unsubscribeToken } = await seedSubscriber(ledger, 'anna@example.nl', { locale: 'en' });
    const result = await process(rawMail({ from: 'forwarding-alias@elsewhere.example', subject: `unsubscribe ${unsubscribeToken}` }));
    expect(result).toMatchObject({ intent: 'unsubscribe', proof: 'token', outcome: 'unsubscribed' });
    expect(await statusOf(ledger, 'anna@example.nl')).toBe('unsubscribed');
  });

  it('an unknown address is answered the same way (no address enumeration)', async () => {
    const result = await process(rawMail({ from: 'nobody@example.nl', subject: 'Afmelden' }));
    expect(result).toMatchObject({ outcome: 'not_found', folder: 'processed' });
    expect(peer.received[0].parsed.subject).toBe('U bent afgemeld bij De Winkel');
  });

  it('with actOnUnprovenUnsubscribe off, an unproven sender goes to review untouched', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const result = await process(rawMail({ from: 'jan@example.nl', subject: 'Afmelden' }), { actOnUnprovenUnsubscribe: false });
    expect(result).toMatchObject({ outcome: 'unproven', folder: 'review', reply: { status: 'none' } });
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('confirmed');
  });

  it('takes items from n8n\'s Email Trigger (parsed fields, no source)', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const item = { from: { value: [{ address: 'jan@example.nl', name: 'Jan' }], text: 'Jan <jan@example.nl>' }, subject: 'Re: Nieuwsbrief', text: 'Graag afmelden.\n\n> Afmelden? Klik hier', messageId: '<trigger-1@example.nl>', date: '2026-11-23T08:00:00Z', headers: { 'message-id': '<trigger-1@example.nl>' } };
    const result = await processRequestMail(ledger, item, OPTIONS, {});
    expect(result).toMatchObject({ intent: 'unsubscribe', outcome: 'unsubscribed', reply: { status: 'pending' } });
    expect(result.reply.mail?.headers['In-Reply-To']).toBe('<trigger-1@example.nl>');
  });
});

describe('erasure by mail', () => {
  it('a spoofed From without DKIM: nothing is erased; a verification link goes to the address; its POST erases', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const result = await process(rawMail({ from: 'Jan <jan@example.nl>', subject: 'VERWIJDER', messageId: '<erase-1@attacker.example>' }));
    expect(result).toMatchObject({ intent: 'erase', proof: 'none', outcome: 'awaiting_verification', folder: 'processed' });
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('confirmed');
    const [verification] = peer.received;
    expect(verification.to).toEqual(['jan@example.nl']);
    expect(verification.parsed.subject).toBe('Bevestig het verwijderen van uw gegevens bij De Winkel');
    const link = /https:\/\/shop\.example\/consent\/erase\?token=(\S+)/.exec(verification.parsed.text!)!;
    const done = await ledger.completeEraseVerification(decodeURIComponent(link[1]), undefined);
    expect(done).toMatchObject({ outcome: 'erased', requestMessageId: '<erase-1@attacker.example>' });
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('erased');
  });

  it('the same mail again after the erasure its verification link completed: a repeat that reports the receipt', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const raw = rawMail({ from: 'Jan <jan@example.nl>', subject: 'VERWIJDER', messageId: '<erase-again@example.nl>' });
    expect(await process(raw)).toMatchObject({ outcome: 'awaiting_verification', receiptId: null });
    const link = /https:\/\/shop\.example\/consent\/erase\?token=(\S+)/.exec(peer.received[0].parsed.text!)!;
    const done = await ledger.completeEraseVerification(decodeURIComponent(link[1]), undefined);
    expect(done.receiptId).toMatch(/^erasure-/);
    expect(await process(raw)).toMatchObject({ isRepeat: true, outcome: 'erased', receiptId: done.receiptId, reply: { status: 'done' } });
  });

  it('DKIM-signed by the From domain with DMARC: erased at once (real crypto, keys served by the test resolver)', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const raw = await signer.sign(rawMail({ from: 'Jan <jan@example.nl>', subject: 'Delete my data' }));
    const result = await process(raw);
    expect(result).toMatchObject({ intent: 'erase', proof: 'dkim', outcome: 'erased', receiptId: expect.stringMatching(/^erasure-/), subjectId: expect.any(Number) });
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('erased');
    expect(peer.received[0].parsed.subject).toBe('Your data at De Winkel has been erased');
    expect(signer.queries).toContain('TXT test._domainkey.example.nl');
  });

  it("replies use the person's stored language over the mail's: erasure, verification link, unsubscribe, access", async () => {
    await seedSubscriber(ledger, 'eva@example.nl', { locale: 'en' });
    await seedSubscriber(ledger, 'joost@example.nl', { locale: 'nl' });
    await seedSubscriber(ledger, 'ines@example.nl', { locale: 'en' });
    await seedSubscriber(ledger, 'ada@example.nl', { locale: 'en' });
    await process(await signer.sign(rawMail({ from: 'eva@example.nl', subject: 'VERWIJDER', messageId: '<lang-1@example.nl>' })));
    await process(rawMail({ from: 'joost@example.nl', subject: 'Delete my data', messageId: '<lang-2@example.nl>' }));
    await process(rawMail({ from: 'ines@example.nl', subject: 'Afmelden', messageId: '<lang-3@example.nl>' }));
    await process(rawMail({ from: 'ada@example.nl', subject: 'Inzageverzoek', text: 'Ik wil inzage in mijn gegevens (AVG artikel 15).', messageId: '<lang-4@example.nl>' }));
    expect(peer.received.map((m) => [m.to[0], m.parsed.subject])).toEqual([
      ['eva@example.nl', 'Your data at De Winkel has been erased'],
      ['joost@example.nl', 'Bevestig het verwijderen van uw gegevens bij De Winkel'],
      ['ines@example.nl', 'You are unsubscribed from De Winkel'],
      ['ada@example.nl', 'Your data at De Winkel'],
    ]);
    // Nobody known by the address: the mail's own language, as before.
    await process(rawMail({ from: 'onbekend@example.nl', subject: 'Afmelden', messageId: '<lang-5@example.nl>' }));
    expect(peer.received[4].parsed.subject).toBe('U bent afgemeld bij De Winkel');
  });

  it('a signature that no longer matches the body proves nothing', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const raw = (await signer.sign(rawMail({ from: 'jan@example.nl', subject: 'Delete my data', text: 'please' }))).replace('please', 'PLEASE');
    expect(await process(raw)).toMatchObject({ proof: 'none', outcome: 'awaiting_verification' });
  });

  it('an erasure about another address than the signed sender: its link goes to that address, and the sender is not checked (no DNS asked)', async () => {
    await seedSubscriber(ledger, 'jan.old@example.nl');
    const asked = signer.queries.length;
    const raw = await signer.sign(rawMail({ from: 'jan@example.nl', subject: 'Delete my data', text: 'Please delete my data, it is under my old address jan.old@example.nl.' }));
    expect(await process(raw)).toMatchObject({ address: 'jan.old@example.nl', proof: 'none', outcome: 'awaiting_verification' });
    expect(peer.received[0].to).toEqual(['jan.old@example.nl']);
    expect(signer.queries.length).toBe(asked);
  });

  it('a DKIM signature of another domain is not aligned with From: no erasure', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const other = dkimDomain('attacker.example');
    hooks.resolver = other.resolver;
    const raw = await other.sign(rawMail({ from: 'jan@example.nl', subject: 'Delete my data' }));
    expect(await process(raw)).toMatchObject({ proof: 'none', outcome: 'awaiting_verification' });
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('confirmed');
  });

  it('trusts Authentication-Results only from the configured authserv-id', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    await seedSubscriber(ledger, 'piet@example.nl');
    const forged = await process(rawMail({ from: 'jan@example.nl', subject: 'Delete my data', headers: { 'Authentication-Results': 'mx.attacker.example; dkim=pass header.d=example.nl; dmarc=pass header.from=example.nl' } }));
    expect(forged).toMatchObject({ proof: 'none', outcome: 'awaiting_verification' });
    const trusted = await process(rawMail({ from: 'piet@example.nl', subject: 'Delete my data', headers: { 'Authentication-Results': 'mx.shop.example; spf=pass smtp.mailfrom=example.nl; dkim=pass header.d=example.nl; dmarc=pass (p=reject) header.from=example.nl' } }));
    expect(trusted).toMatchObject({ proof: 'authserv', outcome: 'erased' });
  });

  it('a token of the same person in the quoted newsletter proves the sender', async () => {
    const { unsubscribeToken } = await seedSubscriber(ledger, 'jan@example.nl');
    const text = `Verwijder mijn gegevens.\n\n> Afmelden: https://shop.example/consent/unsubscribe?token=${unsubscribeToken}`;
    expect(await process(rawMail({ from: 'jan@example.nl', subject: 'Re: Nieuwsbrief', text }))).toMatchObject({ proof: 'token', outcome: 'erased' });
  });

  it('someone else\'s token (a forwarded newsletter) does not', async () => {
    const { unsubscribeToken } = await seedSubscriber(ledger, 'jan@example.nl');
    const text = `Verwijder mijn gegevens.\n\n> Afmelden: https://shop.example/consent/unsubscribe?token=${unsubscribeToken}`;
    expect(await process(rawMail({ from: 'friend@example.nl', subject: 'Re: Nieuwsbrief', text }))).toMatchObject({ proof: 'none', outcome: 'awaiting_verification' });
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('confirmed');
  });

  it('a proven request from an address we do not hold: "no data" in reply, and the request log forgets the address too', async () => {
    const address = 'never.known.4417@example.nl';
    const raw = await signer.sign(rawMail({ from: address, subject: 'VERWIJDER', messageId: '<erase-unknown@example.nl>' }));
    expect(await process(raw)).toMatchObject({ proof: 'dkim', outcome: 'not_found', reply: { status: 'sent' } });
    expect(peer.received[0].to).toEqual([address]);
    expect(await requestRow('<erase-unknown@example.nl>')).toMatchObject({ kind: 'erase', outcome: 'not_found', address: null });
    await ledger.close();
    const files = Buffer.concat(readdirSync(t.dir).map((f) => readFileSync(join(t.dir, f))));
    expect(files.includes('never.known.4417')).toBe(false);
  });

  it('under a retention hold the person is suppressed instead, and told so', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    await ledger.hold({ email: 'jan@example.nl' }, new Date('2033-01-01T00:00:00Z'), 'invoices, tax law: 7 years');
    const raw = await signer.sign(rawMail({ from: 'jan@example.nl', subject: 'VERWIJDER' }));
    expect(await process(raw)).toMatchObject({ proof: 'dkim', outcome: 'suppressed' });
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('blacklisted');
    expect(peer.received[0].parsed.subject).toBe('Uw verzoek om verwijdering bij De Winkel');
  });
});

describe('the other kinds of mail', () => {
  it('a hard bounce marks the address bounced; never answered', async () => {
    await seedSubscriber(ledger, 'gone@example.nl');
    const result = await process(dsnMail('gone@example.nl', '5.1.1'));
    expect(result).toMatchObject({ intent: 'bounce', outcome: 'bounced', address: 'gone@example.nl', reply: { status: 'none' }, folder: 'processed' });
    expect(await statusOf(ledger, 'gone@example.nl')).toBe('bounced');
    expect(peer.received).toHaveLength(0);
  });

  it('a soft bounce changes nothing', async () => {
    await seedSubscriber(ledger, 'full@example.nl');
    expect(await process(dsnMail('full@example.nl', '4.2.2'))).toMatchObject({ outcome: 'soft_bounce' });
    expect(await statusOf(ledger, 'full@example.nl')).toBe('confirmed');
  });

  it('an out-of-office reply is ignored and never answered', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const result = await process(rawMail({ from: 'jan@example.nl', subject: 'Automatisch antwoord: Afmelden', headers: { 'Auto-Submitted': 'auto-replied' }, text: 'Ik ben tot maandag afwezig. Afmelden' }));
    expect(result).toMatchObject({ intent: 'auto_reply', outcome: 'ignored', reply: { status: 'none' } });
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('confirmed');
    expect(peer.received).toHaveLength(0);
  });

  it('an access request from an address we hold nothing about is answered so, to that address (test/core/inbox/access.test.ts has the rest)', async () => {
    const result = await process(rawMail({ from: 'jan@example.nl', subject: 'Inzageverzoek' }));
    expect(result).toMatchObject({ intent: 'access', outcome: 'not_found', folder: 'processed' });
    expect(peer.received[0].parsed.subject).toBe('Uw verzoek bij De Winkel');
  });

  it('anything else goes to review, unanswered', async () => {
    expect(await process(rawMail({ subject: 'Offerte', text: 'Wat kost dat?' }))).toMatchObject({ intent: 'unknown', outcome: 'needs_review', folder: 'review', reply: { status: 'none' } });
  });

  it('never answers the null sender or a mailer daemon', async () => {
    await process(rawMail({ from: 'jan@example.nl', subject: 'Afmelden', headers: { 'Return-Path': '<>' } }));
    await process(rawMail({ from: 'MAILER-DAEMON@example.nl', subject: 'unsubscribe' }));
    expect(peer.received).toHaveLength(0);
  });
});

describe('a reply that cannot be sent', () => {
  it('is recorded, the mail is not done, and the next pass sends it without acting twice', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const raw = rawMail({ from: 'jan@example.nl', subject: 'Afmelden', messageId: '<retry-1@example.nl>' });
    peer.failNext(1, 451);
    const first = await process(raw);
    expect(first).toMatchObject({ outcome: 'unsubscribed', isDone: false, reply: { status: 'failed' } });
    // The log keeps why (the SMTP code), never to whom: the address must be able to go with an erasure.
    expect((await requestRow('<retry-1@example.nl>')).detail).toBe('proof=none; reply=failed; error=SMTP 451 (try again later)');
    expect(first.reply.error).toBe('SMTP 451 (try again later)');
    const events = await eventCount('jan@example.nl');
    const second = await process(raw);
    expect(second).toMatchObject({ isRepeat: true, isDone: true, reply: { status: 'sent' } });
    expect(await eventCount('jan@example.nl')).toBe(events);
    expect(peer.received).toHaveLength(1);
    expect((await requestRow('<retry-1@example.nl>')).detail).toBe('proof=none; reply=sent');
  });

  it('a refusal for good (5xx) is recorded and not retried', async () => {
    peer.failNext(1, 550);
    const result = await process(rawMail({ from: 'typo@example.nl', subject: 'Afmelden' }));
    expect(result).toMatchObject({ isDone: true, reply: { status: 'rejected', error: 'SMTP 550 (refused for good)' } });
  });

  it('an erasure whose acknowledgement is refused: afterwards the address is nowhere in the database files', async () => {
    const address = 'zebulon.quartermaine.7731@example.nl';
    await seedSubscriber(ledger, address);
    peer.failNext(1, 550);
    const raw = await signer.sign(rawMail({ from: `Zebulon <${address}>`, subject: 'VERWIJDER', messageId: '<erase-refused@example.nl>' }));
    expect(await process(raw)).toMatchObject({ outcome: 'erased', reply: { status: 'rejected' } });
    expect((await requestRow('<erase-refused@example.nl>')).detail).toContain('error=SMTP 550');
    const files = Buffer.concat(readdirSync(t.dir).map((f) => readFileSync(join(t.dir, f))));
    expect(files.includes('zebulon.quartermaine')).toBe(false);
  });
});

const count = (sql: string) => {
  const db = new DatabaseSync(t.path, { readOnly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
};
const erasures = () => count('SELECT count(*) AS n FROM erasures');
const eraseTokens = () => count("SELECT count(*) AS n FROM tokens WHERE purpose = 'erase'");

describe('a Message-ID used again by another sender: not a repeat of that request', () => {
  const REVIEW = { outcome: 'needs_review', folder: 'review', proof: 'none', reason: 'Message-ID already used by another sender', isRepeat: false, isDone: true, reply: { status: 'none', mail: null } };

  it('its verification reply had failed: no new erase link for the request, to anyone; the request is untouched', async () => {
    await seedSubscriber(ledger, 'victim@example.nl');
    peer.failNext(1, 451);
    const first = await process(rawMail({ from: 'victim@example.nl', subject: 'VERWIJDER', messageId: '<reused-1@example.nl>' }));
    expect(first).toMatchObject({ outcome: 'awaiting_verification', reply: { status: 'failed' } });
    const before = await requestRow('<reused-1@example.nl>');
    const tokens = eraseTokens();

    const other = await process(rawMail({ from: 'attacker@evil.example', subject: 'VERWIJDER', messageId: '<reused-1@example.nl>' }));
    expect(other).toMatchObject({ ...REVIEW, address: 'attacker@evil.example' });
    expect(peer.received).toHaveLength(0);
    expect(eraseTokens()).toBe(tokens);
    expect(await requestRow('<reused-1@example.nl>')).toEqual(before);
    expect(await statusOf(ledger, 'victim@example.nl')).toBe('confirmed');

    // The victim's own mail coming again still gets its link, to the victim.
    expect(await process(rawMail({ from: 'victim@example.nl', subject: 'VERWIJDER', messageId: '<reused-1@example.nl>' }))).toMatchObject({ isRepeat: true, reply: { status: 'sent' } });
    expect(peer.received.map((r) => r.to)).toEqual([['victim@example.nl']]);
  });

  it('its verification reply was handed out (trigger) and not confirmed sent: nothing is composed for the other sender', async () => {
    await seedSubscriber(ledger, 'victim@example.nl');
    hooks = { resolver: signer.resolver }; // no sendReply: replies come back composed, "pending"
    expect(await process(rawMail({ from: 'victim@example.nl', subject: 'VERWIJDER', messageId: '<reused-2@example.nl>' }))).toMatchObject({ reply: { status: 'pending' } });
    const tokens = eraseTokens();
    expect(await process(rawMail({ from: 'attacker@evil.example', subject: 'VERWIJDER', messageId: '<reused-2@example.nl>' }))).toMatchObject(REVIEW);
    expect(eraseTokens()).toBe(tokens);
  });

  it('an erasure cut off after its marker is not finished for an unsigned mail from someone else', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    await seedSubscriber(ledger, 'victim@example.nl');
    await ledger.recordRequest({ messageId: '<cut-other@example.nl>', mailbox: OPTIONS.mailbox, kind: 'erase', receivedAt: new Date('2026-11-23T08:00:00Z'), address: 'jan@example.nl', outcome: 'erasing', detail: 'proof=dkim; ref=from; existed=yes' });
    const other = await process(rawMail({ from: 'victim@example.nl', subject: 'VERWIJDER', messageId: '<cut-other@example.nl>' }));
    expect(other).toMatchObject(REVIEW);
    expect(await statusOf(ledger, 'victim@example.nl')).toBe('confirmed');
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('confirmed');
    expect(erasures()).toBe(0);
    expect(await requestRow('<cut-other@example.nl>')).toMatchObject({ outcome: 'erasing', address: 'jan@example.nl' });
    expect(peer.received).toHaveLength(0);
  });

  it('after an erasure the address is gone: the erased sender\'s mail again is answered if the answer had failed, another sender never', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    peer.failNext(1, 451);
    const raw = await signer.sign(rawMail({ from: 'jan@example.nl', subject: 'VERWIJDER', messageId: '<erased-then@example.nl>' }));
    expect(await process(raw)).toMatchObject({ outcome: 'erased', reply: { status: 'failed' }, isDone: false });
    expect(await requestRow('<erased-then@example.nl>')).toMatchObject({ address: null });

    const stranger = await signer.sign(rawMail({ from: 'piet@example.nl', subject: 'VERWIJDER', messageId: '<erased-then@example.nl>' }));
    expect(await process(stranger)).toMatchObject(REVIEW);
    expect(peer.received).toHaveLength(0);

    expect(await process(raw)).toMatchObject({ isRepeat: true, outcome: 'erased', reply: { status: 'sent' }, isDone: true });
    expect(peer.received.map((r) => [r.to, r.parsed.subject])).toEqual([[['jan@example.nl'], 'Uw gegevens zijn verwijderd bij De Winkel']]);
    expect(erasures()).toBe(1);
    // Once answered, nothing more of the sender is kept to compare against: later mails with this ID send nothing.
    expect(await process(stranger)).toMatchObject({ isRepeat: true, outcome: 'erased', address: null, reply: { status: 'done' } });
    expect(peer.received).toHaveLength(1);
  });

  it('"record only" (the trigger with Act Automatically off): the other sender gets no proof of the first, and goes to review', async () => {
    const record = (raw: string) => recordRequestMail(ledger, raw, OPTIONS, hooks);
    const proven = { 'Authentication-Results': 'mx.shop.example; dkim=pass header.d=attacker.example; dmarc=pass header.from=attacker.example' };
    expect(await record(rawMail({ from: 'me@attacker.example', subject: 'VERWIJDER', messageId: '<rec-reused@attacker.example>', headers: proven }))).toMatchObject({
      address: 'me@attacker.example',
      proof: 'authserv',
      outcome: 'left_to_workflow',
    });
    expect(await record(rawMail({ from: 'victim@example.nl', subject: 'VERWIJDER', messageId: '<rec-reused@attacker.example>' }))).toMatchObject({ ...REVIEW, address: 'victim@example.nl' });
    // The same sender's mail again is a repeat, with what was recorded.
    expect(await record(rawMail({ from: 'me@attacker.example', subject: 'VERWIJDER', messageId: '<rec-reused@attacker.example>' }))).toMatchObject({
      isRepeat: true,
      address: 'me@attacker.example',
      proof: 'authserv',
      outcome: 'left_to_workflow',
    });
  });
});

describe('a run cut off half-way (crash, kill -9) and repeated', () => {

  it('after the unsubscribe committed: the repeat changes nothing and still logs "unsubscribed"', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const raw = rawMail({ from: 'jan@example.nl', subject: 'Afmelden', messageId: '<cut-1@example.nl>' });
    await process(raw);
    await ledger.updateRequest('<cut-1@example.nl>', { outcome: 'processing', detail: null }); // as if the run died here
    const events = await eventCount('jan@example.nl');
    expect(await process(raw)).toMatchObject({ isRepeat: true, outcome: 'unsubscribed', reply: { status: 'sent' } });
    expect(await eventCount('jan@example.nl')).toBe(events);
  });

  it('after the erasure committed, before its reply: the repeat erases nothing more and sends the owed "erased"; another sender\'s mail finishes nothing', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const raw = await signer.sign(rawMail({ from: 'jan@example.nl', subject: 'VERWIJDER', messageId: '<cut-2@example.nl>' }));
    // The run dies after the one commit (record, erasure, outcome), before the reply went out: the
    // row as the reply step finds it, the reply still owed.
    let cutOff: RequestRow | undefined;
    hooks.sendReply = async (m) => {
      cutOff ??= await requestRow('<cut-2@example.nl>');
      return sender.send(m);
    };
    await process(raw);
    expect(cutOff).toMatchObject({ outcome: 'erased', address: null, detail: expect.stringContaining('reply=pending') });
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('erased');
    await ledger.updateRequest('<cut-2@example.nl>', { outcome: cutOff!.outcome, detail: cutOff!.detail });
    peer.received.length = 0;

    const stranger = await signer.sign(rawMail({ from: 'piet@example.nl', subject: 'VERWIJDER', messageId: '<cut-2@example.nl>' }));
    expect(await process(stranger)).toMatchObject({ outcome: 'needs_review', reason: 'Message-ID already used by another sender', reply: { status: 'none' } });
    expect(peer.received).toHaveLength(0);

    expect(await process(raw)).toMatchObject({ outcome: 'erased', proof: 'dkim' });
    expect(erasures()).toBe(1);
    expect(peer.received.map((r) => [r.to, r.parsed.subject])).toEqual([[['jan@example.nl'], 'Uw gegevens zijn verwijderd bij De Winkel']]);
  });

  it('after the marker, before the erasure: the repeat erases, once', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const raw = await signer.sign(rawMail({ from: 'jan@example.nl', subject: 'VERWIJDER', messageId: '<cut-3@example.nl>' }));
    await ledger.recordRequest({ messageId: '<cut-3@example.nl>', mailbox: OPTIONS.mailbox, kind: 'erase', receivedAt: new Date('2026-11-23T08:00:00Z'), address: 'jan@example.nl', outcome: 'erasing', detail: 'proof=dkim; ref=from; existed=yes' });
    expect(await process(raw)).toMatchObject({ outcome: 'erased', isRepeat: true });
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('erased');
    expect(erasures()).toBe(1);
  });
});

describe('never stop, never lose: what cannot be handled goes to review with the reason', () => {
  it('a mail the parser cannot read completely (a MIME part with an empty Content-Type) is not acted on', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const result = await process(poisonMail('<poison@example.nl>', 'jan@example.nl'));
    expect(result).toMatchObject({ intent: 'unknown', outcome: 'needs_review', folder: 'review', isDone: true, reply: { status: 'none' } });
    expect(result.reason).toBe('the mail could not be read completely: a MIME part has an empty or unreadable Content-Type');
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('confirmed');
    expect(await requestRow('<poison@example.nl>')).toMatchObject({ kind: 'unknown', outcome: 'needs_review', attempts: 1 });
  });

  it('a reply that cannot be composed (a References entry over 998 characters): what was done stands, the mail goes to review', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const result = await process(longReferencesMail('<long-refs@example.nl>', 'jan@example.nl'));
    expect(result).toMatchObject({ intent: 'unsubscribe', outcome: 'unsubscribed', folder: 'review', isDone: true, reply: { status: 'unsendable', mail: null } });
    expect(result.reason).toMatch(/^the reply could not be composed: mail, references\.0: /);
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('unsubscribed');
    expect(peer.received).toHaveLength(0);
    const row = await requestRow('<long-refs@example.nl>');
    expect(row).toMatchObject({ outcome: 'unsubscribed', attempts: 1 });
    expect(row.detail).toMatch(/^proof=none; reply=unsendable; error=the reply could not be composed: mail, references\.0: /);
  });

  it('a mail whose handling keeps failing when its outcome is written: nothing of it stays, attempts counted in the request log, then given up, to review', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const raw = rawMail({ from: 'jan@example.nl', subject: 'Afmelden', messageId: '<keeps-failing@example.nl>' });
    failRequestOutcome(t.path, '<keeps-failing@example.nl>', 'unsubscribed');
    await expect(process(raw, { maxAttempts: 2 })).rejects.toThrow('the disk said no');
    expect(await requestRow('<keeps-failing@example.nl>')).toMatchObject({ outcome: 'processing', attempts: 1, detail: expect.stringContaining('error=Error: the disk said no') });
    // A new process (a restart, the next --once run) reads the count from the ledger.
    const again = await t.reopen();
    await expect(processRequestMail(again, raw, { ...OPTIONS, maxAttempts: 2 }, hooks)).rejects.toThrow('the disk said no');
    expect(await requestRow('<keeps-failing@example.nl>')).toMatchObject({ outcome: 'processing', attempts: 2 });
    const third = await processRequestMail(again, raw, { ...OPTIONS, maxAttempts: 2 }, hooks);
    await again.close();
    expect(third).toMatchObject({ intent: 'unsubscribe', outcome: 'gave_up', folder: 'review', isDone: true, reply: { status: 'none' } });
    expect(third.reason).toBe('given up after 2 attempts that did not finish (last error: Error: the disk said no)');
    expect(await requestRow('<keeps-failing@example.nl>')).toMatchObject({ outcome: 'gave_up', attempts: 3 });
    // Each failed attempt rolled back with its act (one transaction: record, act, outcome): the
    // person is as before, nobody was answered, and giving up sends nothing.
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('confirmed');
    expect(peer.received).toHaveLength(0);
  });

  it('a reply that keeps failing (SMTP 4xx) is tried on each run, counted, and after the limit goes to review unsent', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    const raw = rawMail({ from: 'jan@example.nl', subject: 'Afmelden', messageId: '<reply-fails@example.nl>' });
    peer.failNext(3, 451);
    expect(await process(raw, { maxAttempts: 2 })).toMatchObject({ outcome: 'unsubscribed', isDone: false, reply: { status: 'failed' } });
    expect(await process(raw, { maxAttempts: 2 })).toMatchObject({ isRepeat: true, isDone: false, reply: { status: 'failed' } });
    const last = await process(raw, { maxAttempts: 2 });
    expect(last).toMatchObject({ outcome: 'unsubscribed', folder: 'review', isDone: true });
    expect(last.reason).toBe('the reply could not be sent in 2 attempts (last error: SMTP 451 (try again later)); not tried again');
    expect(peer.received).toHaveLength(0);
  });
});
