import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ledger, RequestItemSchema, type MaintainResult } from '../../core/ledger';
import { parseInput } from '../../core/validation';
import { TestClock, tempLedger, ledgerDialects } from '../support/ledger';

/**
 * Retention kept without anyone remembering (issue 13), on both dialects: the daily maintenance
 * purges people who are only an unconfirmed signup or an expired invitation after the term, keeps
 * everyone held for anything else, carries out the erasure a hold deferred once it ends, and lists
 * the holds that end soon. A dry run changes nothing. Time is the test's clock only.
 */

const dialects = ledgerDialects('retention');

const operator = { actor: { kind: 'operator' as const, name: 'Privacy Officer' }, source: { kind: 'cli' as const } };

describe.each(dialects)('maintenance on %s', (_, open) => {
  let ledger: Ledger;
  let clock: TestClock;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ ledger, clock, dispose } = await open());
  });
  afterEach(() => dispose());

  const ask = (mode: 'signup' | 'campaign', email: string, topics = ['newsletter']) =>
    ledger.request([parseInput(RequestItemSchema, { email, topics, consentText: 'Yes, mail me the newsletter', evidence: { actor: { kind: 'person' }, ip: '203.0.113.9' } })], mode);
  const signupConfirmed = async (email: string) => {
    const [r] = await ask('signup', email);
    await ledger.confirm(r.confirmToken, { ip: '203.0.113.9' });
  };
  const everything = async (emails: string[]) => JSON.stringify([await Promise.all(emails.map((email) => ledger.export({ email }))), await ledger.report(), await ledger.purposeReport()]);

  test('purges unconfirmed signups and expired invitations after the term; keeps other purposes, open requests, holds, the recent; ends holds; a dry run changes nothing', async () => {
    const start = clock.now();
    const day = (n: number) => new Date(start.getTime() + n * 86_400_000).toISOString();
    // Day 0: a campaign, signups, holds.
    await ask('campaign', 'invited@example.nl');
    await ask('campaign', 'customer@example.nl');
    await ledger.setPurpose({ email: 'customer@example.nl' }, { purpose: 'contract_admin', state: 'active', basis: 'contract' }, { ...operator, proofRef: 'contract-17.pdf' });
    await ask('signup', 'asked@example.nl');
    await ledger.recordRequest({ messageId: '<access-1@example.nl>', mailbox: 'INBOX', kind: 'access', receivedAt: clock.now(), address: 'asked@example.nl', outcome: 'awaiting_operator' });
    await ask('signup', 'held@example.nl');
    await ledger.hold({ email: 'held@example.nl' }, new Date(day(200)), 'a pending claim');
    await signupConfirmed('mixed@example.nl');
    await ask('signup', 'mixed@example.nl', ['events']);
    await signupConfirmed('erase-later@example.nl');
    await ledger.hold({ email: 'erase-later@example.nl' }, new Date(day(72)), 'invoices: 7 years (tax law)');
    expect(await ledger.erase({ email: 'erase-later@example.nl' })).toMatchObject({ outcome: 'suppressed' });
    await signupConfirmed('ends-soon@example.nl');
    await ledger.hold({ email: 'ends-soon@example.nl' }, new Date(day(90)), 'warranty');
    // Day 10: the invitations (and the signups so far) expire; a new signup.
    clock.advanceDays(10);
    expect((await ledger.expire({ afterDays: 7 })).length).toBeGreaterThanOrEqual(4);
    await ask('signup', 'pending@example.nl');
    // Day 50: a recent signup.
    clock.advanceDays(40);
    await ask('signup', 'late@example.nl');
    // Day 75: the run (purged: unconfirmed or expired on or before day 15).
    clock.advanceDays(25);

    const all = ['invited', 'customer', 'asked', 'held', 'mixed', 'erase-later', 'ends-soon', 'pending', 'late'].map((n) => `${n}@example.nl`);
    const before = await everything(all);
    const expected = (dryRun: boolean): MaintainResult => ({
      at: day(75),
      dryRun,
      purge: {
        afterDays: 60,
        before: day(15),
        unconfirmedSignups: 1,
        expiredInvitations: 1,
        purged: 2,
        receipts: dryRun ? [] : [expect.stringMatching(/^erasure-/), expect.stringMatching(/^erasure-/)],
        kept: { purpose: 1, openRequest: 1, changed: 0 },
      },
      holds: {
        erased: 1,
        released: 0,
        receipts: dryRun ? [] : [expect.stringMatching(/^erasure-/)],
        endingWithinDays: 30,
        ending: [{ subjectId: expect.any(Number), email: 'ends-soon@example.nl', externalId: null, holdUntil: day(90), holdReason: 'warranty', erasureWaiting: false }],
      },
    });

    const dry = await ledger.maintain({ dryRun: true });
    expect(dry).toEqual(expected(true));
    expect(await everything(all)).toBe(before); // nothing changed

    const done = await ledger.maintain({}, operator);
    expect(done).toEqual(expected(false));
    const gone = await Promise.all(all.map(async (email) => [email, (await ledger.export({ email })) === undefined]));
    expect(gone.filter(([, isGone]) => isGone).map(([email]) => email)).toEqual(['invited@example.nl', 'erase-later@example.nl', 'pending@example.nl']);

    // The receipts say why, and name nobody.
    const receipts = await ledger.store.transaction(async (tx) => Promise.all([...done.purge.receipts, ...done.holds.receipts].map((id) => tx.findErasure(id))));
    expect(receipts.map((r) => [r?.outcome, r?.reason, r?.actorKind, r?.sourceKind]).sort()).toEqual([
      ['erased', 'erasure request, deferred by a retention hold that ended ' + day(72), 'operator', 'cli'],
      ['erased', 'retention: expired (an unanswered invitation) for 60 days, purged', 'operator', 'cli'],
      ['erased', 'retention: optin (an unconfirmed signup) for 60 days, purged', 'operator', 'cli'],
    ]);

    // As any erasure: a campaign never reaches them again; their own signup still can.
    expect((await ask('campaign', 'invited@example.nl'))[0]).toMatchObject({ outcome: 'skipped', reason: 'suppressed', confirmToken: null });
    expect((await ask('signup', 'pending@example.nl'))[0].confirmToken).toEqual(expect.any(String));

    // Done once; the open request answered, that person goes at the next run.
    await ledger.updateRequest('<access-1@example.nl>', { outcome: 'answered' });
    const next = await ledger.maintain({}, operator);
    expect([next.purge.purged, next.purge.expiredInvitations, next.purge.kept, next.holds.erased]).toEqual([1, 1, { purpose: 1, openRequest: 0, changed: 0 }, 0]);
    expect(await ledger.export({ email: 'asked@example.nl' })).toBeUndefined();
    expect(await ledger.export({ email: 'customer@example.nl' })).toBeDefined();
  });

  test('the term is configurable and never shorter than a confirmation link lives; bad options name the field', async () => {
    await ask('signup', 'pending@example.nl');
    clock.advanceDays(35);
    expect((await ledger.maintain({ purgeAfterDays: 60 })).purge.purged).toBe(0);
    expect((await ledger.maintain({ purgeAfterDays: 30 })).purge).toMatchObject({ purged: 1, unconfirmedSignups: 1 });
    await expect(ledger.maintain({ purgeAfterDays: 10 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining("purgeAfterDays: at least the confirmation link's life (30 days") });
    await expect(ledger.maintain({ purgeAfterDays: 'sixty' as unknown as number })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('purgeAfterDays') });
    await expect(ledger.maintain({ holdsEndingWithinDays: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('holdsEndingWithinDays: not negative') });
  });
});

/** Every byte of the ledger's files on disk: the database, its -wal and -shm. */
function ledgerBytes(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
}

test("a purged person's address, name, IP and user agent appear nowhere in the SQLite files (WAL included)", async () => {
  const t = await tempLedger();
  const pii = { email: 'purged.person.5521@example.org', name: 'Ottoline Vandersloot', ip: '203.0.113.77', ua: 'Mozilla/5.0 (X11) PurgeAgent/5521' };
  for (let i = 0; i < 50; i++) await t.ledger.request([parseInput(RequestItemSchema, { email: `other${i}@example.com`, consentText: 'Yes' })], 'campaign');
  await t.ledger.request(
    [parseInput(RequestItemSchema, { email: pii.email, name: pii.name, consentText: 'Yes please', evidence: { actor: { kind: 'person', name: pii.name }, ip: pii.ip, userAgent: pii.ua } })],
    'signup',
  );
  expect(ledgerBytes(t.dir).includes(pii.email)).toBe(true); // the scan can see it
  t.clock.advanceDays(61);
  const done = await t.ledger.maintain();
  // The 50 invitations are still pending (never expired): only the signup goes.
  expect(done.purge).toMatchObject({ purged: 1, unconfirmedSignups: 1 });
  const after = ledgerBytes(t.dir);
  for (const needle of [pii.email, pii.name, pii.ip, pii.ua, 'Ottoline', 'purged.person']) expect([needle, after.includes(needle)]).toEqual([needle, false]);
  expect(after.includes('other7@example.com')).toBe(true);
  await t.dispose();
});
