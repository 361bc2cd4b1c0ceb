import { CheckItemSchema, ImportRowSchema, IN_FLIGHT_MINUTES, RequestItemSchema, type Ledger, type RequestMode } from '../../core/ledger';
import { parseInput } from '../../core/validation';
import { TransitionRefused, InvalidInput } from '../../core/errors';
import { tempLedger, type TestClock } from '../support/ledger';

const TEXT = 'Ja, ik wil de nieuwsbrief van Voorbeeld BV ontvangen. Afmelden kan altijd.';

function requestItem(raw: Record<string, unknown>) {
  return parseInput(RequestItemSchema, { consentText: TEXT, ...raw });
}

async function ask(ledger: Ledger, mode: RequestMode, raw: Record<string, unknown>) {
  const [result] = await ledger.request([requestItem(raw)], mode);
  return result;
}

async function checkOne(ledger: Ledger, raw: Record<string, unknown>, strict?: boolean) {
  const [result] = await ledger.check([parseInput(CheckItemSchema, raw)], { strict });
  return result;
}

let t: Awaited<ReturnType<typeof tempLedger>>;
let ledger: Ledger;
let clock: TestClock;
beforeEach(async () => {
  t = await tempLedger();
  ledger = t.ledger;
  clock = t.clock;
});
afterEach(() => t?.dispose());

describe('signup double opt-in', () => {
  test('request → confirm → check allowed, with the evidence of the click', async () => {
    const requested = await ask(ledger, 'signup', {
      email: ' Anna@Example.NL ',
      name: 'Anna de Vries',
      evidence: { actor: { kind: 'person' }, source: { kind: 'webform', ref: 'https://example.nl/aanmelden' }, ip: '192.0.2.10', userAgent: 'Firefox' },
    });
    expect(requested).toMatchObject({ outcome: 'requested', email: 'anna@example.nl', topics: [{ topic: 'newsletter', from: 'none', status: 'optin' }] });
    expect(await checkOne(ledger, { email: 'anna@example.nl' })).toMatchObject({ allowed: false, reason: 'pending', status: 'optin' });

    clock.advanceMinutes(5);
    const confirmed = await ledger.confirm(requested.confirmToken, {
      actor: { kind: 'person' },
      source: { kind: 'link' },
      ip: '198.51.100.7',
      userAgent: 'Mobile Safari',
    });
    expect(confirmed).toMatchObject({ outcome: 'confirmed', topics: [{ topic: 'newsletter', status: 'confirmed' }] });

    const check = await checkOne(ledger, { email: 'ANNA@example.nl' }, true);
    expect(check).toMatchObject({ allowed: true, reason: 'consent', status: 'confirmed', basis: 'consent', since: '2026-11-23T10:05:00.000Z', optin_date: '2026-11-23', optin_source: 'link' });
    // No external opt-in id was given: the ledger's own event stands in for it.
    const confirmEventId = (await ledger.export({ email: 'anna@example.nl' }))!.events.find((e) => e.action === 'confirm')!.id;
    expect(check.optin_id).toBe(`ledger-event-${confirmEventId}`);

    const exported = await ledger.export({ email: 'anna@example.nl' });
    const confirmEvent = exported!.events.find((e) => e.action === 'confirm')!;
    expect(confirmEvent).toMatchObject({ ip: '198.51.100.7', userAgent: 'Mobile Safari', consentText: TEXT, at: '2026-11-23T10:05:00.000Z' });
    const signupEvent = exported!.events.find((e) => e.action === 'signup')!;
    expect(signupEvent).toMatchObject({ ip: '192.0.2.10', sourceRef: 'https://example.nl/aanmelden', consentText: TEXT });
    expect(signupEvent.consentTextHash).toBe(confirmEvent.consentTextHash);
  });

  test('a confirm link works once; the replay is rejected and changes nothing', async () => {
    const requested = await ask(ledger, 'signup', { email: 'bob@example.com' });
    await ledger.confirm(requested.confirmToken, {});
    await expect(ledger.confirm(requested.confirmToken, {})).rejects.toMatchObject({ code: 'TOKEN_REJECTED', problem: 'used' });
    const events = (await ledger.export({ email: 'bob@example.com' }))!.events;
    // The topic's signup and confirmation, and e-marketing held on consent from the confirmation on.
    expect(events.map((e) => [e.action, e.purpose ?? e.topic])).toEqual([['signup', 'newsletter'], ['confirm', 'newsletter'], ['confirm', 'emarketing']]);
  });

  test('a repeated signup within the window sends nothing more (list-bombing guard)', async () => {
    await ask(ledger, 'signup', { email: 'victim@example.com' });
    clock.advanceMinutes(10);
    const again = await ask(ledger, 'signup', { email: 'victim@example.com' });
    expect(again).toMatchObject({ outcome: 'throttled', confirmToken: null });
    clock.advanceMinutes(61);
    expect(await ask(ledger, 'signup', { email: 'victim@example.com' })).toMatchObject({ outcome: 'requested' });
  });

  test('a caller that records its mails: a mail never sent (a killed worker, SMTP down) holds the person back only while it could be on its way', async () => {
    const signup = (email: string) => ledger.request([requestItem({ email })], 'signup', { recordsMail: true }).then(([r]) => r);
    // Lost: the request was written, its mail never recorded as sent.
    expect(await signup('lost@example.com')).toMatchObject({ outcome: 'requested' });
    clock.advanceMinutes(1);
    expect(await signup('lost@example.com')).toMatchObject({ outcome: 'throttled', confirmToken: null }); // maybe still on its way
    clock.advanceMinutes(IN_FLIGHT_MINUTES);
    const retried = await signup('lost@example.com');
    expect(retried).toMatchObject({ outcome: 'requested' });
    expect(retried.confirmToken).toEqual(expect.any(String));
    // Delivered: the mail recorded as sent holds the guard for the whole window, as before.
    const sent = await signup('sent@example.com');
    await ledger.recordMessages([{ subjectId: sent.subjectId!, messageId: '<c-1@shop.example>', template: 'confirmation', topics: ['newsletter'], channel: 'email' }]);
    clock.advanceMinutes(30);
    expect(await signup('sent@example.com')).toMatchObject({ outcome: 'throttled', confirmToken: null });
    clock.advanceMinutes(31);
    expect(await signup('sent@example.com')).toMatchObject({ outcome: 'requested' });
    // A caller that hands the links to another mail step cannot know: the whole window counts.
    await ask(ledger, 'signup', { email: 'handed@example.com' });
    clock.advanceMinutes(30);
    expect(await ask(ledger, 'signup', { email: 'handed@example.com' })).toMatchObject({ outcome: 'throttled' });
  });

  test('the guard holds for people subscribed on another basis, and for a mix of known and new topics', async () => {
    await ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'li@example.com', previouslyMailed: true }) }], {});
    expect(await ask(ledger, 'signup', { email: 'li@example.com' })).toMatchObject({ outcome: 'requested' });
    clock.advanceMinutes(5);
    expect(await ask(ledger, 'signup', { email: 'li@example.com' })).toMatchObject({ outcome: 'throttled', confirmToken: null });
    clock.advanceMinutes(5);
    expect(await ask(ledger, 'signup', { email: 'li@example.com', topics: ['newsletter', 'events'] })).toMatchObject({
      outcome: 'throttled',
      topics: [
        { topic: 'newsletter', status: 'subscribed', outcome: 'kept' },
        { topic: 'events', status: 'none', outcome: 'kept' },
      ],
    });
  });

  test('a signup of someone already confirmed is skipped without a new link', async () => {
    const first = await ask(ledger, 'signup', { email: 'c@example.com' });
    await ledger.confirm(first.confirmToken, {});
    const again = await ask(ledger, 'signup', { email: 'c@example.com' });
    expect(again).toMatchObject({ outcome: 'skipped', confirmToken: null, reason: 'newsletter: already confirmed' });
  });

  test('several topics in one request are confirmed by one link', async () => {
    const r = await ask(ledger, 'signup', { email: 'multi@example.com', topics: ['Newsletter', 'events'] });
    await ledger.confirm(r.confirmToken, {});
    expect((await checkOne(ledger, { email: 'multi@example.com', topic: 'events' })).allowed).toBe(true);
    expect((await checkOne(ledger, { email: 'multi@example.com', topic: 'newsletter' })).allowed).toBe(true);
  });
});

describe('campaign (re-permission of existing contacts)', () => {
  async function importRows(rows: Record<string, unknown>[]) {
    return ledger.importContacts(
      rows.map((raw, i) => ({ row: i + 2, data: parseInput(ImportRowSchema, raw) })),
      { actor: { kind: 'operator', name: 'Privacy Officer' }, source: { kind: 'import', ref: 'contacts.csv' } },
    );
  }

  test('invites the weak basis only; skips the unsubscribed, bounced, blacklisted and consenting, saying why', async () => {
    await importRows([
      { email: 'weak@example.com', previouslyMailed: true },
      { email: 'gone@example.com', noMailings: true },
      { email: 'bounced@example.com', status: 'bounced' },
      { email: 'blocked@example.com', status: 'blacklisted' },
      { email: 'strong@example.com', status: 'subscribed', basis: 'consent', consentText: 'Signed form 2019' },
      { email: 'none@example.com' },
    ]);
    const emails = ['weak', 'gone', 'bounced', 'blocked', 'strong', 'none'].map((n) => `${n}@example.com`);
    const results = await ledger.request(emails.map((email) => requestItem({ email })), 'campaign');
    expect(results.map((r) => [r.email, r.outcome, r.reason])).toEqual([
      ['weak@example.com', 'requested', null],
      ['gone@example.com', 'skipped', 'newsletter: unsubscribed; only their own signup re-opens that'],
      ['bounced@example.com', 'skipped', 'newsletter: the address bounced'],
      ['blocked@example.com', 'skipped', 'newsletter: blacklisted'],
      ['strong@example.com', 'skipped', 'newsletter: already subscribed with consent'],
      ['none@example.com', 'requested', null],
    ]);
  });

  test('reminders after N days up to M times, then expiry after D days; time moved by the clock', async () => {
    await importRows([{ email: 'slow@example.com', previouslyMailed: true }]);
    await ledger.request([requestItem({ email: 'slow@example.com' })], 'campaign');

    clock.advanceDays(6);
    expect(await ledger.remind({ afterDays: 7, maxReminders: 2 })).toHaveLength(0);
    clock.advanceDays(1);
    const first = await ledger.remind({ afterDays: 7, maxReminders: 2 });
    expect(first).toMatchObject([{ email: 'slow@example.com', status: 'reminded', reminders: 1 }]);
    expect(first[0].confirmToken).toMatch(/^c1\./);
    clock.advanceDays(1);
    expect(await ledger.remind({ afterDays: 7, maxReminders: 2 })).toHaveLength(0); // 7 days since the last mail
    clock.advanceDays(6);
    expect(await ledger.remind({ afterDays: 7, maxReminders: 2 })).toMatchObject([{ reminders: 2 }]);
    clock.advanceDays(7);
    expect(await ledger.remind({ afterDays: 7, maxReminders: 2 })).toHaveLength(0); // at most 2
    expect(await ledger.expire({ afterDays: 30 })).toHaveLength(0); // 21 days since the invitation
    clock.advanceDays(9);
    expect(await ledger.expire({ afterDays: 30 })).toMatchObject([{ email: 'slow@example.com', status: 'expired' }]);
    expect(await checkOne(ledger, { email: 'slow@example.com' })).toMatchObject({ allowed: false, reason: 'expired' });
  });

  test('the reminder link confirms, and the evidence carries the text of the original invitation', async () => {
    await ledger.request([requestItem({ email: 'late@example.com' })], 'campaign');
    clock.advanceDays(8);
    const [due] = await ledger.remind({ afterDays: 7, maxReminders: 2 });
    await ledger.confirm(due.confirmToken, {});
    const events = (await ledger.export({ email: 'late@example.com' }))!.events.filter((e) => !e.purpose); // the topic's (e-marketing's own event follows the confirmation)
    expect(events.map((e) => [e.action, e.toStatus, e.consentText])).toEqual([
      ['request', 'invited', TEXT],
      ['remind', 'reminded', TEXT],
      ['confirm', 'confirmed', TEXT],
    ]);
  });
});

describe('check', () => {
  test('standard mode accepts legitimate interest on email; strict mode and the phone channel do not', async () => {
    await ledger.importContacts(
      [
        { row: 2, data: parseInput(ImportRowSchema, { email: 'li@example.com', phone: '06 1234 5678', previouslyMailed: true }) },
        { row: 3, data: parseInput(ImportRowSchema, { email: 'li@example.com', phone: '06 1234 5678', channel: 'phone', previouslyMailed: true }) },
      ],
      {},
    );
    expect(await checkOne(ledger, { email: 'li@example.com' })).toMatchObject({ allowed: true, reason: 'legitimate_interest', policy: 'standard' });
    expect(await checkOne(ledger, { email: 'li@example.com' }, true)).toMatchObject({ allowed: false, reason: 'strict_requires_consent' });
    expect(await checkOne(ledger, { phone: '+31612345678', channel: 'phone' })).toMatchObject({ allowed: false, reason: 'strict_requires_consent', policy: 'strict' });
    expect(await checkOne(ledger, { email: 'nobody@example.com' })).toMatchObject({ allowed: false, reason: 'unknown', subjectId: null });
  });

  test('telephone opt-in evidence comes out as the CallPro fields', async () => {
    await ledger.importContacts(
      [
        {
          row: 2,
          data: parseInput(ImportRowSchema, {
            phone: '+31 20 123 4567',
            channel: 'phone',
            status: 'subscribed',
            basis: 'consent',
            consentText: 'Mag ik u bellen over onze aanbiedingen? Ja.',
            optinWho: 'Agent Piet',
            optinSource: 'outbound call campaign Q3',
            optinDate: '2025-09-14',
            optinId: 'CP-991',
            optinDescription: 'Said yes on the phone, recorded',
          }),
        },
      ],
      { actor: { kind: 'operator' }, source: { kind: 'import' } },
    );
    expect(await checkOne(ledger, { phone: '020 123 4567', channel: 'phone' })).toMatchObject({
      allowed: true,
      reason: 'consent',
      since: '2025-09-14T00:00:00.000Z',
      optin_who: 'Agent Piet',
      optin_source: 'outbound call campaign Q3',
      optin_date: '2025-09-14',
      optin_id: 'CP-991',
      optin_description: 'Said yes on the phone, recorded',
    });
  });

  test('a batch answers each item in order', async () => {
    const r = await ask(ledger, 'signup', { email: 'x1@example.com' });
    await ledger.confirm(r.confirmToken, {});
    const items = ['x1@example.com', 'x2@example.com', 'x1@example.com'].map((email, i) =>
      parseInput(CheckItemSchema, { email, topic: i === 2 ? 'events' : 'newsletter' }),
    );
    const results = await ledger.check(items);
    expect(results.map((c) => [c.index, c.allowed, c.reason])).toEqual([
      [0, true, 'consent'],
      [1, false, 'unknown'],
      [2, false, 'no_consent'],
    ]);
  });
});

describe('unsubscribe and preferences', () => {
  test('the unsubscribe link withdraws; a second click changes nothing; only a new signup re-opens', async () => {
    const r = await ask(ledger, 'signup', { email: 'u@example.com' });
    await ledger.confirm(r.confirmToken, {});
    expect(await ledger.unsubscribeByToken(r.unsubscribeToken, 'link', { actor: { kind: 'person' } })).toMatchObject({
      outcome: 'unsubscribed',
      topics: [{ topic: 'newsletter', from: 'confirmed', status: 'unsubscribed' }],
    });
    expect(await ledger.unsubscribeByToken(r.unsubscribeToken, 'link', {})).toMatchObject({ outcome: 'unchanged' });
    expect((await ledger.request([requestItem({ email: 'u@example.com' })], 'campaign'))[0]).toMatchObject({ outcome: 'skipped' });
    clock.advanceMinutes(90);
    expect(await ask(ledger, 'signup', { email: 'u@example.com' })).toMatchObject({ outcome: 'requested', topics: [{ from: 'unsubscribed', status: 'optin' }] });
  });

  test('preferences change only the topics the form changes', async () => {
    const r = await ask(ledger, 'signup', { email: 'p@example.com', topics: ['newsletter', 'events', 'offers'] });
    await ledger.confirm(r.confirmToken, {});
    await ledger.unsubscribeByToken(r.unsubscribeToken, ['offers'], {});
    const view = await ledger.preferences(r.unsubscribeToken);
    expect(view.topics.map((x) => [x.topic, x.subscribed])).toEqual([
      ['events', true],
      ['newsletter', true],
      ['offers', false],
    ]);
    const result = await ledger.setPreferences(r.unsubscribeToken, { newsletter: true, events: false, offers: true, injected: true }, 'Preferences page text', {});
    expect(result.topics.map((x) => [x.topic, x.from, x.status])).toEqual([
      ['events', 'confirmed', 'unsubscribed'],
      ['offers', 'unsubscribed', 'confirmed'],
    ]);
    expect((await checkOne(ledger, { email: 'p@example.com', topic: 'newsletter' })).status).toBe('confirmed');
    expect((await checkOne(ledger, { email: 'p@example.com', topic: 'injected' })).status).toBe('none');
  });
});

describe('manual changes, bounces', () => {
  test('a manual change to subscribed needs proof and records it', async () => {
    await ask(ledger, 'signup', { email: 'm@example.com' });
    await expect(
      ledger.setStatus({ email: 'm@example.com' }, { topic: 'newsletter', channel: 'email', status: 'subscribed' }, { actor: { kind: 'operator', name: 'Els' } }),
    ).rejects.toThrow(TransitionRefused);
    const changed = await ledger.setStatus(
      { email: 'm@example.com' },
      { topic: 'newsletter', channel: 'email', status: 'subscribed', basis: 'consent' },
      { actor: { kind: 'operator', name: 'Els' }, proofRef: 'scans/form-2026-11.pdf' },
    );
    expect(changed).toMatchObject({ from: 'optin', status: 'subscribed' });
    const last = (await ledger.export({ email: 'm@example.com' }))!.events.at(-1)!;
    expect(last).toMatchObject({ action: 'set', actorKind: 'operator', actorName: 'Els', proofRef: 'scans/form-2026-11.pdf' });
  });

  test('a hard bounce marks every mail topic bounced', async () => {
    const r = await ask(ledger, 'signup', { email: 'b@example.com', topics: ['newsletter', 'events'] });
    await ledger.confirm(r.confirmToken, {});
    const result = await ledger.bounce('b@example.com', {});
    expect(result.topics.map((x) => x.status)).toEqual(['bounced', 'bounced']);
  });
});

describe('import', () => {
  test('SuperOffice rules: previously mailed → subscribed on legitimate interest; no mailings → unsubscribed; neither → no consent', async () => {
    const results = await ledger.importContacts(
      [
        { row: 2, data: parseInput(ImportRowSchema, { email: 'a@example.com', previouslyMailed: true }) },
        { row: 3, data: parseInput(ImportRowSchema, { email: 'b@example.com', previouslyMailed: true, noMailings: true }) },
        { row: 4, data: parseInput(ImportRowSchema, { email: 'c@example.com' }) },
      ],
      {},
    );
    expect(results.map((r) => [r.row, r.outcome, r.status])).toEqual([
      [2, 'imported', 'subscribed'],
      [3, 'imported', 'unsubscribed'],
      [4, 'imported', 'none'],
    ]);
    expect(await checkOne(ledger, { email: 'a@example.com' })).toMatchObject({ basis: 'legitimate_interest', allowed: true });
  });

  test('an import never re-opens an unsubscribed contact but does record a CRM opt-out', async () => {
    const r = await ask(ledger, 'signup', { email: 'keep@example.com' });
    await ledger.confirm(r.confirmToken, {});
    await ledger.unsubscribeByToken(r.unsubscribeToken, 'link', {});
    const again = await ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'keep@example.com', previouslyMailed: true }) }], {});
    expect(again[0]).toMatchObject({ outcome: 'kept', status: 'unsubscribed' });
  });

  test('a bad row names its row and field', () => {
    expect(() => parseInput(ImportRowSchema, { email: 'not-an-address' }, 'row 6')).toThrow('row 6, email: "not-an-address" is not an email address');
    expect(() => parseInput(ImportRowSchema, { email: 'a@example.com', status: 'subscribed', basis: 'none' }, 'row 7')).toThrow(
      'row 7, basis: subscribed needs a basis: consent, legitimate_interest or contract',
    );
  });
});

describe('erasure, suppression and holds', () => {
  test('erasure deletes the person and leaves a receipt; the address can never be imported, asked by a campaign or allowed again', async () => {
    const r = await ask(ledger, 'signup', { email: 'erase.me@example.com', externalId: 'CRM-17', name: 'Eva', evidence: { ip: '203.0.113.5', userAgent: 'UA' } });
    await ledger.confirm(r.confirmToken, { ip: '203.0.113.6' });
    const erased = await ledger.erase({ email: 'erase.me@example.com' }, { reason: 'mailed VERWIJDER' });
    expect(erased).toMatchObject({ outcome: 'erased', externalIds: ['CRM-17'] });
    expect(erased.receiptId).toMatch(/^erasure-/);

    expect(await ledger.export({ email: 'erase.me@example.com' })).toBeUndefined();
    expect(await checkOne(ledger, { email: 'erase.me@example.com' })).toMatchObject({ allowed: false, reason: 'suppressed' });
    expect((await ledger.request([requestItem({ email: 'erase.me@example.com' })], 'campaign'))[0]).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
    expect((await ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'Erase.Me@example.com', previouslyMailed: true }) }], {}))[0]).toMatchObject({
      outcome: 'skipped',
      reason: 'suppressed',
    });
    await expect(ledger.confirm(r.confirmToken, {})).rejects.toMatchObject({ problem: 'unknown' });
  });

  test("an erased person comes back only through their own confirmed signup; meanwhile imports and campaigns stay blocked", async () => {
    const first = await ask(ledger, 'signup', { email: 'back@example.com' });
    await ledger.confirm(first.confirmToken, {});
    await ledger.erase({ email: 'back@example.com' });
    clock.advanceDays(40);

    // A signup for the erased address is answered as one for an address never seen (no
    // enumeration): the confirmation goes to that mailbox, where only its owner can use it.
    const again = await ask(ledger, 'signup', { email: 'back@example.com', evidence: { actor: { kind: 'person' }, source: { kind: 'webform' } } });
    const stranger = await ask(ledger, 'signup', { email: 'never.seen@example.com', evidence: { actor: { kind: 'person' }, source: { kind: 'webform' } } });
    const shape = (r: typeof again) => ({ ...r, index: 0, subjectId: 0, email: '', confirmToken: '', unsubscribeToken: '' });
    expect(shape(again)).toEqual(shape(stranger));
    expect(again).toMatchObject({ outcome: 'requested', topics: [{ from: 'none', status: 'optin' }] });
    // The list-bombing guard holds for it as for every address.
    expect(await ask(ledger, 'signup', { email: 'back@example.com' })).toMatchObject({ outcome: 'throttled' });

    // Until the person confirms, the suppression stands: no import, no campaign (by address or by id).
    expect(await checkOne(ledger, { email: 'back@example.com' })).toMatchObject({ allowed: false });
    expect((await ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'back@example.com', previouslyMailed: true }) }], {}))[0]).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
    expect(await ask(ledger, 'campaign', { email: 'back@example.com' })).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
    expect(await ask(ledger, 'campaign', { subjectId: again.subjectId })).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });

    // Their own confirmation lifts it, recorded with the evidence of the click.
    expect(await ledger.confirm(again.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link', ref: 'confirm page' }, ip: '198.51.100.23' })).toMatchObject({ outcome: 'confirmed' });
    const lifted = (await ledger.export({ email: 'back@example.com' }))!.events.find((e) => e.action === 'unsuppress');
    expect(lifted).toMatchObject({ actorKind: 'person', sourceKind: 'link', channel: 'email', ip: '198.51.100.23', description: 'suppression lifted: the person confirmed their own signup' });
    expect(await checkOne(ledger, { email: 'back@example.com' })).toMatchObject({ allowed: true, reason: 'consent' });
    expect((await ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'back@example.com', previouslyMailed: true }) }], {}))[0].reason).not.toBe('suppressed');
  });

  test('a signup cannot bring back a suppressed phone number, nor a campaign an erased address', async () => {
    await ledger.erase({ phone: '+31612345678' });
    expect(await ask(ledger, 'signup', { email: 'new@example.com', phone: '+31612345678' })).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
    expect(await ask(ledger, 'signup', { phone: '+31612345678', channel: 'sms' })).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
  });

  test('an operator lifts a suppression made in error only with proof; the lift is recorded without the address', async () => {
    await ledger.erase({ email: 'typo@exmple.com' });
    const operator = { actor: { kind: 'operator', name: 'Privacy Officer' }, source: { kind: 'cli' } };
    await expect(ledger.unsuppress({ email: 'typo@exmple.com' }, operator)).rejects.toThrow('needs proof');
    await expect(ledger.unsuppress({ email: 'typo@exmple.com' }, { ...operator, description: 'typo' })).rejects.toThrow('needs proof');
    await expect(ledger.unsuppress({ externalId: 'CRM-1' }, { ...operator, proofRef: 'T-1', description: 'typo' })).rejects.toThrow('give the email address or phone number');
    expect(await checkOne(ledger, { email: 'typo@exmple.com' })).toMatchObject({ reason: 'suppressed' });

    const done = await ledger.unsuppress({ email: 'Typo@exmple.com' }, { ...operator, proofRef: 'TICKET-4711', description: 'the erasure meant another address' });
    expect(done).toMatchObject({ outcome: 'lifted', lifted: 1, subjectId: null });
    expect(await checkOne(ledger, { email: 'typo@exmple.com' })).toMatchObject({ allowed: false, reason: 'unknown' });
    expect((await ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'typo@exmple.com', previouslyMailed: true }) }], {}))[0]).toMatchObject({ outcome: 'imported' });
    const lifts = await ledger.store.transaction((tx) => tx.listSuppressionLifts());
    expect(lifts).toEqual([{ id: done.liftId, at: clock.now().toISOString(), lifted: 1, actorKind: 'operator', actorName: 'Privacy Officer', sourceKind: 'cli', proofRef: 'TICKET-4711', description: 'the erasure meant another address' }]);
    // Nothing suppressed: nothing lifted, nothing recorded.
    expect(await ledger.unsuppress({ email: 'typo@exmple.com' }, { ...operator, proofRef: 'TICKET-4711', description: 'again' })).toMatchObject({ outcome: 'not_suppressed', liftId: null });
    expect(await ledger.store.transaction((tx) => tx.listSuppressionLifts())).toHaveLength(1);
  });

  test('under a retention hold, erasure suppresses instead and says so', async () => {
    const r = await ask(ledger, 'signup', { email: 'held@example.com' });
    await ledger.confirm(r.confirmToken, {});
    await ledger.hold({ email: 'held@example.com' }, new Date('2033-01-01T00:00:00Z'), 'invoices: 7 years (AWR art. 52)');
    const result = await ledger.erase({ email: 'held@example.com' });
    expect(result).toMatchObject({ outcome: 'suppressed', holdReason: 'invoices: 7 years (AWR art. 52)', externalIds: [] });
    expect(await checkOne(ledger, { email: 'held@example.com' })).toMatchObject({ allowed: false, reason: 'suppressed', status: 'blacklisted' });
    expect((await ledger.request([requestItem({ email: 'held@example.com', topics: ['events'] })], 'campaign'))[0]).toMatchObject({ reason: 'suppressed' });
    expect((await ledger.export({ email: 'held@example.com' }))!.subject.email).toBe('held@example.com');
  });

  test('a hold that has ended no longer blocks erasure', async () => {
    await ask(ledger, 'signup', { email: 'old@example.com' });
    await ledger.hold({ email: 'old@example.com' }, new Date('2026-12-01T00:00:00Z'), 'open order');
    clock.advanceDays(30);
    expect((await ledger.erase({ email: 'old@example.com' })).outcome).toBe('erased');
  });

  test('erasing an unknown address still blocks it for later imports', async () => {
    expect((await ledger.erase({ email: 'never@example.com' })).outcome).toBe('not_found');
    const [row] = await ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'never@example.com', previouslyMailed: true }) }], {});
    expect(row).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
  });

  test('a hold needs a reason', async () => {
    await ask(ledger, 'signup', { email: 'h@example.com' });
    await expect(ledger.hold({ email: 'h@example.com' }, new Date('2030-01-01'), '  ')).rejects.toThrow(InvalidInput);
  });
});

describe('mailbox requests', () => {
  test('a request is recorded once per Message-ID with its one-month due date', async () => {
    const first = await ledger.recordRequest({ messageId: '<m1@example.com>', mailbox: 'INBOX', kind: 'erase', receivedAt: new Date('2026-01-31T09:00:00Z'), address: 'a@example.com', outcome: 'received' });
    expect(first).toMatchObject({ created: true, row: { dueAt: '2026-02-28T09:00:00.000Z' } });
    const again = await ledger.recordRequest({ messageId: '<m1@example.com>', mailbox: 'INBOX', kind: 'erase', receivedAt: new Date('2026-01-31T09:00:00Z'), address: 'a@example.com', outcome: 'received' });
    expect(again.created).toBe(false);
  });

  test('an erase verification link erases on POST, once, and clears the address from the request log', async () => {
    const r = await ask(ledger, 'signup', { email: 'verify@example.com' });
    await ledger.confirm(r.confirmToken, {});
    await ledger.recordRequest({ messageId: '<v1@example.com>', mailbox: 'INBOX', kind: 'erase', receivedAt: clock.now(), address: 'verify@example.com', outcome: 'waiting_for_verification' });
    const { token } = await ledger.issueEraseVerification('<v1@example.com>');
    expect((await ledger.viewToken(token, 'erase')).used).toBe(false);
    const done = await ledger.completeEraseVerification(token, { actor: { kind: 'person' }, source: { kind: 'link' } });
    expect(done).toMatchObject({ outcome: 'erased', requestMessageId: '<v1@example.com>' });
    await expect(ledger.completeEraseVerification(token, {})).rejects.toMatchObject({ problem: 'used' });
    expect(await checkOne(ledger, { email: 'verify@example.com' })).toMatchObject({ reason: 'suppressed' });
  });

  test('a verification link is used up only together with its erasure: after a failure, the button works again', async () => {
    await ask(ledger, 'signup', { email: 'retry@example.com' });
    await ledger.recordRequest({ messageId: '<r1@example.com>', mailbox: 'INBOX', kind: 'erase', receivedAt: clock.now(), address: 'retry@example.com', outcome: 'waiting_for_verification' });
    const { token } = await ledger.issueEraseVerification('<r1@example.com>');
    // The store fails in the middle of the erasure (a lost connection, a full disk).
    const eraseSubject = ledger.store.transaction.bind(ledger.store);
    ledger.store.transaction = ((fn: (tx: never) => Promise<unknown>) =>
      eraseSubject((tx) => fn(Object.assign(Object.create(tx), { eraseSubject: () => Promise.reject(new Error('disk full')) }) as never))) as typeof eraseSubject;
    await expect(ledger.completeEraseVerification(token, {})).rejects.toThrow('disk full');
    ledger.store.transaction = eraseSubject;
    expect(await ledger.export({ email: 'retry@example.com' })).toBeDefined();
    expect(await ledger.completeEraseVerification(token, {})).toMatchObject({ outcome: 'erased' });
    expect(await ledger.export({ email: 'retry@example.com' })).toBeUndefined();
  });

  test('the mailbox cursor survives a reopen', async () => {
    await ledger.saveMailboxState('INBOX', 1700000000, 42);
    const other = await t.reopen();
    expect(await other.mailboxState('INBOX')).toMatchObject({ uidValidity: 1700000000, lastUid: 42 });
    await other.close();
  });
});

test('report counts per topic × channel × status', async () => {
  await ask(ledger, 'signup', { email: 'r1@example.com' });
  const r = await ask(ledger, 'signup', { email: 'r2@example.com' });
  await ledger.confirm(r.confirmToken, {});
  expect(await ledger.report()).toEqual([
    { topic: 'newsletter', channel: 'email', status: 'confirmed', count: 1 },
    { topic: 'newsletter', channel: 'email', status: 'optin', count: 1 },
  ]);
});

test('an unsubscribe by address for an erased person does not bring their address back', async () => {
  await ask(ledger, 'signup', { email: 'gone@example.com' });
  await ledger.erase({ email: 'gone@example.com' });
  expect(await ledger.unsubscribeByRef({ email: 'gone@example.com' }, ['newsletter'], 'email', {})).toEqual({ found: false, outcome: 'not_found' });
  expect(await ledger.export({ email: 'gone@example.com' })).toBeUndefined();
});

test('an import may record explicit consent only with its evidence', () => {
  const row = { phone: '0612345678', channel: 'phone', status: 'confirmed' };
  expect(() => parseInput(ImportRowSchema, row, 'row 3')).toThrow('row 3, consentText: consent needs its evidence: give consent_text, optin_id or optin_description');
  expect(() => parseInput(ImportRowSchema, { ...row, status: 'subscribed', basis: 'consent' }, 'row 4')).toThrow('consent needs its evidence');
  expect(parseInput(ImportRowSchema, { ...row, optinId: 'CP-1' })).toMatchObject({ status: 'confirmed', optinId: 'CP-1' });
  expect(parseInput(ImportRowSchema, { ...row, status: 'subscribed', basis: 'legitimate_interest' })).toMatchObject({ status: 'subscribed' });
});
