import { importContactsCsv } from '../../core/import';
import { Ledger } from '../../core/ledger';
import { TestClock, ledgerDialects } from '../support/ledger';

/**
 * Purposes (issue 16), on both dialects: an import with SuperOffice's columns holds everyone for
 * sales and service on legitimate interest and gives e-marketing by its four rules; the export
 * says so; withdrawing e-marketing takes every topic with it in one event; an operator's basis
 * needs proof.
 */
const CSV = [
  'email;name;previously_mailed;no_mailings;topic',
  'mailed@example.nl;Mailed;ja;;newsletter',
  'mailed@example.nl;Mailed;ja;;events',
  'never@example.nl;Never;;;newsletter',
  'nomail@example.nl;No Mail;ja;ja;newsletter',
  'both@example.nl;Both;;ja;newsletter',
].join('\n');

const dialects = ledgerDialects('purposes');

describe.each(dialects)('purposes on %s', (_, open) => {
  let ledger: Ledger;
  let clock: TestClock;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ ledger, clock, dispose } = await open());
    await importContactsCsv(ledger, [Buffer.from(CSV)], { evidence: { actor: { kind: 'operator', name: 'Privacy Officer' }, source: { kind: 'import', ref: 'superoffice.csv' } } }, () => undefined);
  });
  afterEach(() => dispose());

  const purposesOf = async (email: string) => (await ledger.export({ email }))!.purposes.map((p) => [p.purpose, p.state, p.basis]);

  test('the import: sales_and_service on legitimate interest for everyone; emarketing by the four rules; the export says since when and from where', async () => {
    expect(await purposesOf('mailed@example.nl')).toEqual([['emarketing', 'active', 'legitimate_interest'], ['sales_and_service', 'active', 'legitimate_interest']]);
    expect(await purposesOf('never@example.nl')).toEqual([['emarketing', 'active', 'none'], ['sales_and_service', 'active', 'legitimate_interest']]);
    expect(await purposesOf('nomail@example.nl')).toEqual([['emarketing', 'withdrawn', 'none'], ['sales_and_service', 'active', 'legitimate_interest']]);
    expect(await purposesOf('both@example.nl')).toEqual([['emarketing', 'withdrawn', 'none'], ['sales_and_service', 'active', 'legitimate_interest']]);
    const mailed = (await ledger.export({ email: 'mailed@example.nl' }))!;
    expect(mailed.purposes[1]).toEqual({
      purpose: 'sales_and_service', state: 'active', basis: 'legitimate_interest', since: expect.stringMatching(/^\d{4}-/), source: 'superoffice.csv', setBy: 'Privacy Officer', retention: null,
    });
    // One event per person and purpose, though Mailed has two rows.
    expect(mailed.events.filter((e) => e.purpose).map((e) => [e.purpose, e.action, e.toStatus, e.basis])).toEqual([
      ['sales_and_service', 'import', 'active', 'legitimate_interest'],
      ['emarketing', 'import', 'active', 'legitimate_interest'],
    ]);
    // May we process them for a purpose? Active on a basis: yes; no basis, withdrawn or unknown: no.
    const held = await ledger.checkPurposes([{ email: 'mailed@example.nl' }, { email: 'never@example.nl' }, { email: 'nomail@example.nl' }, { email: 'who@example.nl' }], 'emarketing');
    expect(held.map((h) => [h.allowed, h.reason])).toEqual([[true, 'legitimate_interest'], [false, 'no_purpose_basis'], [false, 'purpose_withdrawn'], [false, 'unknown']]);
    expect((await ledger.checkPurposes([{ email: 'never@example.nl' }], 'sales_and_service'))[0]).toMatchObject({ allowed: true, source: 'superoffice.csv' });
    await expect(ledger.checkPurposes([{ email: 'never@example.nl' }], 'Sales')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('purpose') });
    expect(await ledger.purposeReport()).toEqual([
      { purpose: 'emarketing', basis: 'legitimate_interest', state: 'active', count: 1 },
      { purpose: 'emarketing', basis: 'none', state: 'active', count: 1 },
      { purpose: 'emarketing', basis: 'none', state: 'withdrawn', count: 2 },
      { purpose: 'sales_and_service', basis: 'legitimate_interest', state: 'active', count: 4 },
    ]);
  });

  test('a purposes column sets other purposes (and a basis of its own for a default one); a wrong cell is the row\'s error, naming the field', async () => {
    const reports: { outcome: string; reason: string | null }[] = [];
    await importContactsCsv(
      ledger,
      [Buffer.from('email,purposes\nclub@example.nl,"loyalty_card:consent; sales_and_service:contract"\nbad@example.nl,loyalty_card:friendship\n')],
      {},
      (r) => void reports.push(r as never),
    );
    expect(await purposesOf('club@example.nl')).toEqual([['emarketing', 'active', 'none'], ['loyalty_card', 'active', 'consent'], ['sales_and_service', 'active', 'contract']]);
    expect(reports[1]).toMatchObject({ outcome: 'invalid', reason: expect.stringContaining('purposes: "loyalty_card:friendship" is not purpose:basis') });
    expect(await ledger.export({ email: 'bad@example.nl' })).toBeUndefined();
  });

  test('withdrawing emarketing makes every topic under it denied, in one event', async () => {
    expect((await ledger.check([{ email: 'mailed@example.nl', topic: 'events', channel: 'email' }]))[0]).toMatchObject({ allowed: true });
    const before = (await ledger.export({ email: 'mailed@example.nl' }))!.events.length;
    expect(await ledger.setPurpose({ email: 'mailed@example.nl' }, { purpose: 'emarketing', state: 'withdrawn' }, { actor: { kind: 'person' }, source: { kind: 'webform' } })).toMatchObject({
      purpose: 'emarketing', from: 'active', state: 'withdrawn', outcome: 'changed',
    });
    const after = (await ledger.export({ email: 'mailed@example.nl' }))!;
    expect(after.events.length).toBe(before + 1);
    const withdrawal = after.events.at(-1)!;
    expect(withdrawal).toMatchObject({ purpose: 'emarketing', action: 'withdraw', toStatus: 'withdrawn' });
    expect(after.consents.map((c) => [c.topic, c.status, c.eventId]).sort()).toEqual([['events', 'unsubscribed', withdrawal.id], ['newsletter', 'unsubscribed', withdrawal.id]]);
    const checks = await ledger.check(['newsletter', 'events'].map((topic) => ({ email: 'mailed@example.nl', topic, channel: 'email' as const })));
    expect(checks.map((c) => [c.allowed, c.reason])).toEqual([[false, 'unsubscribed'], [false, 'unsubscribed']]);
    // A later import does not re-open it.
    await importContactsCsv(ledger, [Buffer.from('email;previously_mailed\nmailed@example.nl;ja\n')], {}, () => undefined);
    expect(await purposesOf('mailed@example.nl')).toEqual([['emarketing', 'withdrawn', 'none'], ['sales_and_service', 'active', 'legitimate_interest']]);
  });

  test('check allows a topic only while its purpose (emarketing) is active on a basis that allows it; strict: consent only', async () => {
    const who = { email: 'mailed@example.nl' };
    const check = async (topic: string, strict = false) => (await ledger.check([{ ...who, topic, channel: 'email' }], { strict }))[0];
    const operator = { actor: { kind: 'operator' as const, name: 'Els' }, proofRef: 'signed form 12' };
    // A topic the operator records as confirmed, with proof, raises e-marketing to consent.
    await ledger.setStatus(who, { topic: 'newsletter', channel: 'email', status: 'confirmed' }, { ...operator, consentText: 'Yes, the newsletter.' });
    expect(await purposesOf(who.email)).toContainEqual(['emarketing', 'active', 'consent']);
    expect(await check('newsletter', true)).toMatchObject({ allowed: true, reason: 'consent' });
    // On legitimate interest the topic still mails in standard mode, not in strict mode.
    await ledger.setPurpose(who, { purpose: 'emarketing', basis: 'legitimate_interest' }, operator);
    expect(await check('newsletter')).toMatchObject({ allowed: true, reason: 'consent' });
    expect(await check('newsletter', true)).toMatchObject({ allowed: false, reason: 'strict_requires_consent' });
    // Held with no basis: nothing under it mails, whatever the topic says.
    await ledger.setPurpose(who, { purpose: 'emarketing', basis: 'none' }, operator);
    expect(await check('newsletter')).toMatchObject({ allowed: false, reason: 'no_purpose_basis', status: 'confirmed' });
    expect(await check('events')).toMatchObject({ allowed: false, reason: 'no_purpose_basis', status: 'subscribed' });
    // Withdrawn: a topic an operator adds later is still off (an objection is not overruled by legitimate interest).
    await ledger.setPurpose(who, { purpose: 'emarketing', state: 'withdrawn' }, operator);
    await ledger.setStatus(who, { topic: 'offers', channel: 'email', status: 'subscribed', basis: 'legitimate_interest' }, operator);
    expect(await check('offers')).toMatchObject({ allowed: false, reason: 'purpose_withdrawn', status: 'subscribed' });
  });

  test('retention is a purpose: a hold is legal_obligation with its reason and end; an erasure under it ends every other purpose; when it ends, the deferred erasure follows', async () => {
    const until = new Date(clock.now().getTime() + 30 * 86_400_000);
    await ledger.hold({ email: 'mailed@example.nl' }, until, 'invoices: 7 years (tax law)');
    await ledger.hold({ email: 'never@example.nl' }, until, 'a pending claim');
    const retention = (await ledger.export({ email: 'mailed@example.nl' }))!.purposes.find((p) => p.purpose === 'retention');
    expect(retention).toMatchObject({ state: 'active', basis: 'legal_obligation', retention: { until: until.toISOString(), reason: 'invoices: 7 years (tax law)' } });
    // The export shows the retention that applies on the other purposes too.
    expect((await ledger.export({ email: 'mailed@example.nl' }))!.purposes.find((p) => p.purpose === 'sales_and_service')!.retention).toEqual({ until: until.toISOString(), reason: 'invoices: 7 years (tax law)' });

    expect(await ledger.erase({ email: 'mailed@example.nl' })).toMatchObject({ outcome: 'suppressed' });
    expect(await purposesOf('mailed@example.nl')).toEqual([['emarketing', 'withdrawn', 'none'], ['retention', 'active', 'legal_obligation'], ['sales_and_service', 'withdrawn', 'none']]);
    // Before the end nothing happens.
    expect(await ledger.endHolds()).toEqual([]);
    clock.advanceDays(31);
    const ended = await ledger.endHolds();
    expect(ended.map((e) => e.outcome).sort()).toEqual(['erased', 'released']);
    expect(await ledger.endHolds()).toEqual([]); // done once
    expect(await ledger.export({ email: 'mailed@example.nl' })).toBeUndefined();
    const never = (await ledger.export({ email: 'never@example.nl' }))!;
    expect(never.subject).toMatchObject({ holdUntil: null, holdReason: null });
    expect(never.purposes.find((p) => p.purpose === 'retention')).toMatchObject({ state: 'withdrawn', basis: 'none', retention: null });
    expect(never.events.at(-1)).toMatchObject({ action: 'release', purpose: 'retention', toStatus: 'withdrawn' });
  });

  test("an operator's basis needs proof; an objection is not overruled by legitimate interest; bad input names the field", async () => {
    const set = (input: Record<string, unknown>, evidence: Record<string, unknown> = {}) => ledger.setPurpose({ email: 'never@example.nl' }, input, { actor: { kind: 'operator', name: 'Els' }, ...evidence });
    await expect(set({ purpose: 'contract_admin', basis: 'contract' })).rejects.toMatchObject({ code: 'TRANSITION_REFUSED', message: expect.stringContaining('needs proof') });
    expect(await set({ purpose: 'contract_admin', basis: 'contract' }, { proofRef: 'contract-2026-14.pdf' })).toMatchObject({ state: 'active', basis: 'contract', outcome: 'changed' });
    await expect(set({ purpose: 'Contract Admin', basis: 'contract' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('purpose, purpose:') });
    await expect(set({ purpose: 'emarketing', basis: 'friendship' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('basis') });
    await set({ purpose: 'emarketing', state: 'withdrawn' });
    await expect(set({ purpose: 'emarketing', basis: 'legitimate_interest' }, { proofRef: 'call note' })).rejects.toMatchObject({ message: expect.stringContaining('an objection') });
    expect(await set({ purpose: 'emarketing', basis: 'consent' }, { proofRef: 'signed form 12' })).toMatchObject({ state: 'active', basis: 'consent' });
    const held = (await ledger.export({ email: 'never@example.nl' }))!.purposes;
    expect(held.find((p) => p.purpose === 'contract_admin')).toMatchObject({ basis: 'contract', setBy: 'Els' });
  });
});
