import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImportRowSchema, RequestItemSchema } from '../../core/ledger';
import { parseInput } from '../../core/validation';
import { tempLedger } from '../support/ledger';

/** Every byte of the ledger's files on disk: the database, its -wal and -shm. */
function ledgerBytes(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
}

test.each([
  ['on its own', false],
  // As a request mail does it: record, erase and the request's outcome in one transaction (Ledger.atomically).
  ['inside a larger transaction', true],
])('after erasure (%s) the address, name, phone, IP and user agent appear nowhere in the database files (WAL included)', async (_how, isJoined) => {
  const t = await tempLedger();
  const pii = {
    email: 'Unique.Person.7731@Example.ORG',
    normalised: 'unique.person.7731@example.org',
    name: 'Zebulon Quartermaine',
    phone: '+31687654321',
    ip: '203.0.113.199',
    ua: 'Mozilla/5.0 (X11; Linux) UniqueAgent/4242',
  };
  // Others stay in the ledger, written before and after, so pages are shared and reused.
  const others = Array.from({ length: 300 }, (_, i) => parseInput(ImportRowSchema, { email: `other${i}@example.com`, name: `Other ${i}`, previouslyMailed: true }));
  await t.ledger.importContacts(others.slice(0, 150).map((data, i) => ({ row: i + 2, data })), {});
  const [r] = await t.ledger.request(
    [
      parseInput(RequestItemSchema, {
        email: pii.email,
        name: pii.name,
        phone: pii.phone,
        topics: ['newsletter', 'events'],
        consentText: 'Yes please',
        evidence: { actor: { kind: 'person', name: pii.name }, ip: pii.ip, userAgent: pii.ua, description: `Signed up as ${pii.email}` },
      }),
    ],
    'signup',
  );
  await t.ledger.confirm(r.confirmToken, { ip: pii.ip, userAgent: pii.ua });
  await t.ledger.recordRequest({ messageId: '<req-1@example.org>', mailbox: 'INBOX', kind: 'erase', receivedAt: t.clock.now(), address: pii.normalised, outcome: 'received' });
  await t.ledger.recordMessages([{ subjectId: r.subjectId!, messageId: '<sent-1@ledger>', template: 'confirmation', topics: ['newsletter'], channel: 'email' }]);
  await t.ledger.importContacts(others.slice(150).map((data, i) => ({ row: i + 152, data })), {});

  const before = ledgerBytes(t.dir);
  for (const needle of [pii.normalised, pii.name, pii.ip, pii.ua]) expect(before.includes(needle)).toBe(true); // the scan can see them

  // The operator's reason is free text and names the person: it goes with them.
  const reason = `Zebulon Quartermaine phoned on ${pii.phone}, ticket QX-55821`;
  const erase = () => t.ledger.erase({ email: pii.email }, { reason, evidence: { actor: { kind: 'operator', name: 'Officer' }, source: { kind: 'cli' } } });
  const result = isJoined
    ? await t.ledger.atomically(async () => {
        const erased = await erase();
        await t.ledger.updateRequest('<req-1@example.org>', { outcome: 'erased', address: null });
        return erased;
      })
    : await erase();
  expect(result.outcome).toBe('erased');

  const after = ledgerBytes(t.dir);
  for (const needle of [pii.normalised, pii.email, pii.name, pii.phone, pii.ip, pii.ua, 'Zebulon', 'unique.person', reason, 'QX-55821']) {
    expect([needle, after.includes(needle)]).toEqual([needle, false]);
  }
  // The others are untouched.
  const [check] = await t.ledger.check([{ email: 'other7@example.com', topic: 'newsletter', channel: 'email' }]);
  expect(check.allowed).toBe(true);
  await t.dispose();
});

test("an erase reason is kept only while a retention hold keeps the person; erasing someone not held keeps none either", async () => {
  const t = await tempLedger();
  await t.ledger.request([parseInput(RequestItemSchema, { email: 'held.person@example.org', consentText: 'Yes' })], 'signup');
  await t.ledger.hold({ email: 'held.person@example.org' }, new Date('2033-01-01T00:00:00Z'), 'invoices: 7 years');
  const held = await t.ledger.erase({ email: 'held.person@example.org' }, { reason: 'asked by phone, ticket HOLD-7781' });
  expect(held.outcome).toBe('suppressed');
  // Suppressed, not erased: the reason is the hold's business, on the receipt with the person.
  expect((await t.ledger.store.transaction((tx) => tx.findErasure(held.receiptId)))?.reason).toBe('asked by phone, ticket HOLD-7781; retention hold: invoices: 7 years');

  const unknown = await t.ledger.erase({ email: 'never.known@example.org' }, { reason: 'Mr Never Known, ticket NONE-9912' });
  expect(unknown.outcome).toBe('not_found');
  expect((await t.ledger.store.transaction((tx) => tx.findErasure(unknown.receiptId)))?.reason).toBe('erasure request');
  expect(ledgerBytes(t.dir).includes('NONE-9912')).toBe(false);
  await t.dispose();
});
