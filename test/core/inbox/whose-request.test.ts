import type { Ledger } from '../../../core/ledger';
import { processRequestMail, recordRequestMail } from '../../../core/inbox';
import { tempLedger } from '../../support/ledger';
import { rawMail } from '../mail/fixtures';
import { seedSubscriber, statusOf, SHOP_MAILBOX } from '../mail/seed';

/**
 * The inbox never acts on what the classifier sends to a person (review), and a request about
 * another address than the sender's acts only through a link sent to that address. A real SQLite
 * ledger; replies are handed back (no SMTP needed to see to whom they would go).
 */
const OPTIONS = SHOP_MAILBOX;
const DMARC_PASS = { 'Authentication-Results': 'mx.shop.example; dkim=pass header.d=example.org; dmarc=pass header.from=example.org' };

let t: Awaited<ReturnType<typeof tempLedger>>;
let ledger: Ledger;
beforeEach(async () => {
  t = await tempLedger();
  ledger = t.ledger;
});
afterEach(() => t?.dispose());

test('a negated unsubscribe goes to review with the reason; nothing changes, nobody is answered', async () => {
  await seedSubscriber(ledger, 'fenna@example.org');
  const raw = rawMail({ from: 'Fenna <fenna@example.org>', subject: 'Adreswijziging', text: 'Ik wil me niet afmelden, maar mijn adres is veranderd.', headers: DMARC_PASS });
  const result = await processRequestMail(ledger, raw, OPTIONS);
  expect(result).toMatchObject({ intent: 'unknown', outcome: 'needs_review', folder: 'review', reply: { status: 'none' } });
  expect(result.review?.reason).toMatch(/^negated request/);
  expect(await statusOf(ledger, 'fenna@example.org')).toBe('confirmed');
  // The trigger recording only: the same, to review.
  const recorded = await recordRequestMail(ledger, raw.replace(/Message-ID: <[^>]+>/, 'Message-ID: <recorded-1@example.org>'), OPTIONS);
  expect([recorded.outcome, recorded.folder]).toEqual(['needs_review', 'review']);
});

test('an erasure for an old address named in the mail: the verification link goes to that address, even with the sender\'s DMARC pass', async () => {
  await seedSubscriber(ledger, 'jan.old@example.org');
  const raw = rawMail({ from: 'Jan <jan.new@example.org>', subject: 'Delete my data', text: 'Hi,\n\nplease delete my data. It is under my old address jan.old@example.org.\n\nJan', headers: DMARC_PASS });
  const result = await processRequestMail(ledger, raw, OPTIONS);
  expect(result).toMatchObject({ intent: 'erase', address: 'jan.old@example.org', outcome: 'awaiting_verification', proof: 'none' });
  expect(result.reply.mail?.to).toContain('jan.old@example.org');
  expect(await statusOf(ledger, 'jan.old@example.org')).toBe('confirmed');
});

test('a forwarded newsletter with its token does not erase its reader on the forwarder\'s word', async () => {
  const { unsubscribeToken } = await seedSubscriber(ledger, 'wilma@example.org');
  const raw = rawMail({
    from: 'Gerrit <gerrit@example.org>',
    subject: 'Fwd: Nieuwsbrief',
    text: `Please delete the data of wilma@example.org.\n\n---------- Forwarded message ---------\nFrom: De Winkel <nieuwsbrief@shop.example>\nTo: wilma@example.org\n\nAfmelden: https://shop.example/consent/unsubscribe?token=${unsubscribeToken}`,
    headers: DMARC_PASS,
  });
  const result = await processRequestMail(ledger, raw, OPTIONS);
  expect(result).toMatchObject({ address: 'wilma@example.org', proof: 'none' });
  expect(result.outcome).not.toBe('erased');
  expect(await statusOf(ledger, 'wilma@example.org')).toBe('confirmed');
});

test('an unsubscribe for a relative goes to review; neither the relative nor the sender is unsubscribed', async () => {
  await seedSubscriber(ledger, 'riet@example.org');
  await seedSubscriber(ledger, 'sander@example.org');
  const raw = rawMail({ from: 'Sander <sander@example.org>', subject: 'Afmelden', text: 'Goedendag,\n\nwilt u mijn moeder afmelden voor de nieuwsbrief? Haar adres is riet@example.org.\n\nSander', headers: DMARC_PASS });
  const result = await processRequestMail(ledger, raw, OPTIONS);
  expect(result).toMatchObject({ outcome: 'needs_review', folder: 'review', address: 'riet@example.org' });
  expect(result.review?.reason).toMatch(/^request for another person/);
  expect([await statusOf(ledger, 'riet@example.org'), await statusOf(ledger, 'sander@example.org')]).toEqual(['confirmed', 'confirmed']);
});
