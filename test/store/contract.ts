import { createHash } from 'node:crypto';
import { importContactsCsv, type ImportReport } from '../../core/import';
import { CheckItemSchema, ImportRowSchema, Ledger, RequestItemSchema } from '../../core/ledger';
import type { ConsentChange, NewEvent, NewSubject, PendingQuery, RequestRow, Store, StoreTx, TokenRow } from '../../core/store/store';
import { composeMail } from '../../core/mail/compose';
import { parseInput } from '../../core/validation';
import { TestClock, SECRET } from '../support/ledger';

/**
 * The Store contract: what the ledger relies on from any dialect, method by method, written once
 * and run unchanged for each (test/store/<dialect>.test.ts passes a factory). A second part runs
 * the real Ledger façade over the same store, so a dialect is also tried the way it is used.
 */
export interface StoreFactory {
  /** A store on a new, empty ledger. */
  open(): Promise<Store>;
}

export const T0 = '2026-11-23T10:00:00.000Z';
export const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const hash = (s: string) => createHash('sha256').update(s).digest();

/** Row builders the other contract files (purposes, requests register) share. */
export function newSubject(fields: Partial<NewSubject> = {}): NewSubject {
  return { email: null, phone: null, externalId: null, name: null, locale: null, createdAt: T0, ...fields };
}

export function newEvent(fields: Partial<NewEvent> & Pick<NewEvent, 'subjectId'>): NewEvent {
  return {
    topic: 'newsletter',
    channel: 'email',
    action: 'signup',
    fromStatus: 'none',
    toStatus: 'optin',
    basis: 'none',
    at: T0,
    recordedAt: T0,
    actorKind: 'person',
    sourceKind: 'webform',
    sourceRef: null,
    consentText: null,
    consentTextHash: null,
    optinId: null,
    messageId: null,
    actorName: null,
    ip: null,
    userAgent: null,
    description: null,
    proofRef: null,
    ...fields,
  };
}

/** A status change of subject × topic × channel, with its event; `event` overrides the event's fields. */
function change(
  subjectId: number,
  status: ConsentChange['consent']['status'],
  fields: Partial<ConsentChange['consent']> = {},
  event: Partial<NewEvent> = {},
): ConsentChange {
  const consent: ConsentChange['consent'] = {
    subjectId,
    topic: 'newsletter',
    channel: 'email',
    status,
    basis: status === 'confirmed' ? 'consent' : 'none',
    since: T0,
    invitedAt: null,
    lastSentAt: null,
    reminders: 0,
    ...fields,
  };
  return {
    consent,
    event: newEvent({ subjectId, topic: consent.topic, channel: consent.channel, toStatus: status, basis: consent.basis, ...event }),
  };
}

function token(fields: Partial<TokenRow> & Pick<TokenRow, 'hash'>): TokenRow {
  return {
    purpose: 'confirm',
    subjectId: null,
    channel: 'email',
    topics: ['newsletter'],
    consentTextHash: null,
    ref: null,
    pendingName: null,
    createdAt: T0,
    expiresAt: at(60 * 24 * 30),
    usedAt: null,
    ...fields,
  };
}

export function describeStoreContract(dialect: string, factory: StoreFactory): void {
  describe(`Store contract: ${dialect}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.open();
    });
    afterEach(async () => {
      await store?.close();
    });
    const tx = <T>(fn: (t: StoreTx) => Promise<T>) => store.transaction(fn);
    const subjects = async (...rows: Partial<NewSubject>[]) => tx((t) => t.insertSubjects(rows.map(newSubject)));

    test('the store says which dialect it is', () => {
      expect(store.dialect).toBe(dialect);
    });

    describe('meta', () => {
      test('an unknown key is undefined; a set value is read back and can be replaced', async () => {
        expect(await tx((t) => t.getMeta('suppression_key'))).toBeUndefined();
        await tx((t) => t.setMeta('suppression_key', 'first'));
        expect(await tx((t) => t.getMeta('suppression_key'))).toBe('first');
        await tx((t) => t.setMeta('suppression_key', 'second'));
        expect(await tx((t) => t.getMeta('suppression_key'))).toBe('second');
      });

      test('insertMetaIfAbsent: the first writer wins, later ones are told so and change nothing', async () => {
        expect(await tx((t) => t.insertMetaIfAbsent('made_once', 'first'))).toBe(true);
        expect(await tx((t) => t.insertMetaIfAbsent('made_once', 'second'))).toBe(false);
        expect(await tx((t) => t.getMeta('made_once'))).toBe('first');
      });
    });

    describe('suppressions', () => {
      test('findSuppressed returns the hex of the hashes that are suppressed, and only those', async () => {
        const [a, b, c] = [hash('a'), hash('b'), hash('c')];
        await tx((t) => t.addSuppressions([{ hash: a, reason: 'erasure request', at: T0 }, { hash: b, reason: 'erasure request', at: T0 }]));
        // Suppressing again is harmless.
        await tx((t) => t.addSuppressions([{ hash: a, reason: 'again', at: at(1) }]));
        const found = await tx((t) => t.findSuppressed([a, c, b]));
        expect([...found].sort()).toEqual([a.toString('hex'), b.toString('hex')].sort());
        expect((await tx((t) => t.findSuppressed([]))).size).toBe(0);
      });

      test('removeSuppressions removes only the given hashes and counts them; a lift is recorded without any address', async () => {
        const [a, b, c] = [hash('a'), hash('b'), hash('c')];
        await tx((t) => t.addSuppressions([a, b].map((h) => ({ hash: h, reason: 'erasure request', at: T0 }))));
        expect(await tx((t) => t.removeSuppressions([a, c]))).toBe(1);
        expect(await tx((t) => t.removeSuppressions([]))).toBe(0);
        expect([...(await tx((t) => t.findSuppressed([a, b, c])))]).toEqual([b.toString('hex')]);

        const lift = { at: at(1), lifted: 1, actorKind: 'operator', actorName: 'Privacy Officer', sourceKind: 'cli', proofRef: 'TICKET-1', description: 'typo' };
        const first = await tx((t) => t.insertSuppressionLift(lift));
        const second = await tx((t) => t.insertSuppressionLift({ ...lift, at: at(2), lifted: 2, actorName: null, proofRef: null, description: 'line one\nline two' }));
        expect(second).toBeGreaterThan(first);
        expect(await tx((t) => t.listSuppressionLifts())).toEqual([
          { id: first, ...lift },
          { id: second, ...lift, at: at(2), lifted: 2, actorName: null, proofRef: null, description: 'line one\nline two' },
        ]);
      });

      test('hasSuppressions: false on a new ledger, true once a hash is suppressed', async () => {
        expect(await tx((t) => t.hasSuppressions())).toBe(false);
        await tx((t) => t.addSuppressions([{ hash: hash('a'), reason: 'erasure request', at: T0 }]));
        expect(await tx((t) => t.hasSuppressions())).toBe(true);
      });
    });

    describe('subjects', () => {
      test('insertSubjects returns the rows in order with new ids; each is found by email, phone, external id and id', async () => {
        const [anna, bob, crm] = await subjects(
          { email: 'anna@example.nl', name: 'Anna', locale: 'nl' },
          { phone: '+31612345678' },
          { externalId: 'crm-42', createdAt: at(5) },
        );
        expect(anna).toEqual({ ...newSubject({ email: 'anna@example.nl', name: 'Anna', locale: 'nl' }), id: anna.id, holdReason: null, holdUntil: null, suppressedAt: null });
        expect(new Set([anna.id, bob.id, crm.id]).size).toBe(3);
        expect(crm.createdAt).toBe(at(5));

        expect(await tx((t) => t.findSubjects({ emails: ['anna@example.nl'] }))).toEqual([anna]);
        expect(await tx((t) => t.findSubjects({ phones: ['+31612345678'] }))).toEqual([bob]);
        expect(await tx((t) => t.findSubjects({ externalIds: ['crm-42'] }))).toEqual([crm]);
        expect(await tx((t) => t.findSubjects({ ids: [bob.id] }))).toEqual([bob]);
        expect(await tx((t) => t.findSubjects({ emails: ['nobody@example.nl'], ids: [999_999] }))).toEqual([]);
        expect(await tx((t) => t.findSubjects({}))).toEqual([]);
        // Several ways to one subject give it once.
        const many = await tx((t) => t.findSubjects({ emails: ['anna@example.nl'], ids: [anna.id, crm.id], externalIds: ['crm-42'] }));
        expect(many.map((s) => s.id).sort((x, y) => x - y)).toEqual([anna.id, crm.id].sort((x, y) => x - y));
      });

      test('findSubjects with many values at once (an import batch) finds each subject once, by any identifier', async () => {
        const made = await subjects(...Array.from({ length: 30 }, (_, i) => ({ email: `m${i}@example.nl`, phone: `+3161000${String(i).padStart(4, '0')}`, externalId: `X-${i}` })));
        const found = await tx((t) =>
          t.findSubjects({
            emails: [...Array.from({ length: 10 }, (_, i) => `m${i}@example.nl`), 'nobody@example.nl'],
            phones: Array.from({ length: 10 }, (_, i) => `+3161000${String(i + 5).padStart(4, '0')}`),
            externalIds: ['X-29', 'X-0', 'X-404'],
            ids: [made[20].id],
          }),
        );
        expect(found.map((s) => s.id).sort((a, b) => a - b)).toEqual([...Array.from({ length: 15 }, (_, i) => made[i].id), made[20].id, made[29].id]);
        expect(found.find((s) => s.id === made[29].id)).toEqual(made[29]);
      });

      test('updateSubject changes the given fields only; null clears one', async () => {
        const [s] = await subjects({ email: 'anna@example.nl', name: 'Anna' });
        await tx((t) => t.updateSubject(s.id, { phone: '+31687654321', holdReason: 'invoice, tax law', holdUntil: at(60 * 24 * 365) }));
        let [found] = await tx((t) => t.findSubjects({ ids: [s.id] }));
        expect(found).toMatchObject({ email: 'anna@example.nl', name: 'Anna', phone: '+31687654321', holdReason: 'invoice, tax law', holdUntil: at(60 * 24 * 365) });
        await tx((t) => t.updateSubject(s.id, { holdReason: null, holdUntil: null, suppressedAt: at(3) }));
        [found] = await tx((t) => t.findSubjects({ phones: ['+31687654321'] }));
        expect(found).toMatchObject({ id: s.id, holdReason: null, holdUntil: null, suppressedAt: at(3) });
        await tx((t) => t.updateSubject(s.id, {}));
        expect((await tx((t) => t.findSubjects({ ids: [s.id] })))[0]).toEqual(found);
      });

      test('an email address belongs to one subject at most', async () => {
        const [anna, other] = await subjects({ email: 'anna@example.nl' }, { email: 'other@example.nl' });
        await expect(tx((t) => t.updateSubject(other.id, { email: 'anna@example.nl' }))).rejects.toThrow();
        // A second insert of the address either fails or hands back the subject that has it.
        const again = await tx((t) => t.insertSubjects([newSubject({ email: 'anna@example.nl' })])).catch(() => undefined);
        if (again) expect(again.map((s) => s.id)).toEqual([anna.id]);
        expect(await tx((t) => t.findSubjects({ emails: ['anna@example.nl'] }))).toEqual([anna]);
        expect(await tx((t) => t.findSubjects({ ids: [other.id] }))).toEqual([other]);
      });

      test('text comes back byte for byte: quotes, backslashes, braces, commas, NULL as a word, empty, emoji', async () => {
        const tricky = ['say "hi"', 'back\\slash \\"', '{braces}', 'a,b', 'NULL', '', 'Zoë 👩‍💻', ' spaced ', 'line\nbreak'];
        const made = await subjects(...tricky.map((name, i) => ({ externalId: `x-${i}`, name })));
        const found = await tx((t) => t.findSubjects({ externalIds: tricky.map((_, i) => `x-${i}`) }));
        expect(found.map((f) => f.name).sort()).toEqual([...tricky].sort());
        expect(made.map((m) => m.name)).toEqual(tricky);
        const [id] = await tx((t) =>
          t.writeChanges([change(made[0].id, 'optin', { topic: 'a,b' }, { description: tricky.join('|'), sourceRef: '{"x":"y"}', consentTextHash: 'h', consentText: 'Ja, "graag" \\ {nu}' })]),
        );
        const [event] = await tx((t) => t.listEvents(made[0].id));
        expect(event).toMatchObject({ id, topic: 'a,b', description: tricky.join('|'), sourceRef: '{"x":"y"}', consentText: 'Ja, "graag" \\ {nu}' });
        await tx((t) => t.insertTokens([token({ hash: hash('tricky'), topics: tricky.filter(Boolean) })]));
        expect((await tx((t) => t.findToken(hash('tricky'))))?.topics).toEqual(tricky.filter(Boolean));
      });

      test('listSubjectIdsWithEmail pages through subjects with an address, ascending', async () => {
        const rows = await subjects(
          { email: 'a@example.nl' },
          { phone: '+31600000001' },
          { email: 'b@example.nl' },
          { email: 'c@example.nl' },
          { externalId: 'x-1' },
          { email: 'd@example.nl' },
        );
        const withEmail = rows.filter((r) => r.email).map((r) => r.id).sort((x, y) => x - y);
        const pages: number[][] = [];
        let after = 0;
        for (;;) {
          const page = await tx((t) => t.listSubjectIdsWithEmail(after, 2));
          if (page.length === 0) break;
          pages.push(page);
          after = page[page.length - 1];
        }
        expect(pages).toEqual([withEmail.slice(0, 2), withEmail.slice(2, 4)]);
      });

      test('listPhoneSubjects pages through subjects with a phone and a phone consent row for the topic', async () => {
        const [a, noPhone, emailOnly, otherTopic, b, c] = await subjects(
          { phone: '+31600000001', name: 'Anna' },
          { email: 'geen-nummer@example.nl' },
          { phone: '+31600000003', email: 'mail@example.nl' },
          { phone: '+31600000004' },
          { phone: '+31600000005' },
          { phone: '+31600000006', name: 'Cees' },
        );
        await tx((t) =>
          t.writeChanges([
            change(a.id, 'confirmed', { channel: 'phone', topic: 'calls' }),
            change(noPhone.id, 'confirmed', { channel: 'phone', topic: 'calls' }),
            change(emailOnly.id, 'confirmed', { channel: 'email', topic: 'calls' }),
            change(otherTopic.id, 'confirmed', { channel: 'phone', topic: 'events' }),
            change(b.id, 'unsubscribed', { channel: 'phone', topic: 'calls' }),
            change(c.id, 'subscribed', { channel: 'phone', topic: 'calls' }),
          ]),
        );
        const pages: { id: number; phone: string; name: string | null }[][] = [];
        for (let after = 0; ; ) {
          const page = await tx((t) => t.listPhoneSubjects('calls', after, 2));
          if (page.length === 0) break;
          pages.push(page);
          after = page[page.length - 1].id;
        }
        expect(pages).toEqual([
          [
            { id: a.id, phone: '+31600000001', name: 'Anna' },
            { id: b.id, phone: '+31600000005', name: null },
          ],
          [{ id: c.id, phone: '+31600000006', name: 'Cees' }],
        ]);
      });
    });

    describe('consents and events', () => {
      test('writeChanges writes each consent row and appends its event; the event ids come back in order', async () => {
        const [s] = await subjects({ email: 'anna@example.nl' });
        const ids = await tx((t) =>
          t.writeChanges([
            change(s.id, 'optin', { invitedAt: T0, lastSentAt: T0 }),
            change(s.id, 'invited', { topic: 'events', invitedAt: T0, lastSentAt: T0 }, { action: 'request', actorKind: 'system', sourceKind: 'api' }),
          ]),
        );
        expect(ids).toHaveLength(2);
        expect(ids[1]).toBeGreaterThan(ids[0]);
        const rows = await tx((t) => t.getConsents([s.id]));
        expect(rows.map((r) => [r.topic, r.status, r.eventId])).toEqual([
          ['events', 'invited', ids[1]],
          ['newsletter', 'optin', ids[0]],
        ]);
        expect(rows[1]).toMatchObject({ subjectId: s.id, channel: 'email', basis: 'none', since: T0, invitedAt: T0, lastSentAt: T0, reminders: 0 });

        // The same consent again: the row is replaced (upsert), the history grows.
        const [confirmId] = await tx((t) =>
          t.writeChanges([change(s.id, 'confirmed', { since: at(5) }, { action: 'confirm', fromStatus: 'optin', at: at(5), recordedAt: at(5), sourceKind: 'link' })]),
        );
        const newsletter = (await tx((t) => t.getConsents([s.id], 'newsletter')))[0];
        expect(newsletter).toMatchObject({ status: 'confirmed', basis: 'consent', since: at(5), invitedAt: null, eventId: confirmId });
        const events = await tx((t) => t.listEvents(s.id));
        expect(events.map((e) => [e.id, e.action, e.topic, e.fromStatus, e.toStatus])).toEqual([
          [ids[0], 'signup', 'newsletter', 'none', 'optin'],
          [ids[1], 'request', 'events', 'none', 'invited'],
          [confirmId, 'confirm', 'newsletter', 'optin', 'confirmed'],
        ]);
        expect(await tx((t) => t.writeChanges([]))).toEqual([]);
      });

      test('two changes of one consent in one batch: both events are kept, the last change stands', async () => {
        const [s] = await subjects({ email: 'anna@example.nl' });
        const ids = await tx((t) =>
          t.writeChanges([change(s.id, 'optin'), change(s.id, 'confirmed', { since: at(1) }, { action: 'confirm', fromStatus: 'optin', at: at(1) })]),
        );
        const [row] = await tx((t) => t.getConsents([s.id]));
        expect(row).toMatchObject({ status: 'confirmed', eventId: ids[1] });
        expect((await tx((t) => t.listEvents(s.id))).map((e) => e.id)).toEqual(ids);
      });

      test('an event keeps its evidence; the PII fields are present only where given', async () => {
        const [s] = await subjects({ email: 'anna@example.nl' });
        const [withPii, without] = await tx((t) =>
          t.writeChanges([
            change(s.id, 'optin', {}, { actorName: 'Anna', ip: '192.0.2.10', userAgent: 'Firefox', description: 'webform', proofRef: 'form-7.pdf', sourceRef: 'https://example.nl/form', optinId: 'opt-1', messageId: '<m1@example.nl>' }),
            change(s.id, 'invited', { topic: 'events' }, { action: 'request', actorKind: 'system', sourceKind: 'api' }),
          ]),
        );
        const events = new Map((await tx((t) => t.listEvents(s.id))).map((e) => [e.id, e]));
        expect(events.get(withPii)).toEqual({
          ...newEvent({ subjectId: s.id }),
          id: withPii,
          actorName: 'Anna',
          ip: '192.0.2.10',
          userAgent: 'Firefox',
          description: 'webform',
          proofRef: 'form-7.pdf',
          sourceRef: 'https://example.nl/form',
          optinId: 'opt-1',
          messageId: '<m1@example.nl>',
        });
        expect(events.get(without)).toMatchObject({ actorName: null, ip: null, userAgent: null, description: null, proofRef: null });
      });

      test('a consent row carries the evidence summary of the event that set it', async () => {
        const [s] = await subjects({ email: 'anna@example.nl' });
        const [first, second] = await tx((t) =>
          t.writeChanges([
            change(s.id, 'subscribed', { basis: 'legitimate_interest' }, { action: 'import', actorKind: 'operator', actorName: 'Piet', sourceKind: 'import', sourceRef: 'crm.csv', optinId: 'CALL-7', description: 'called 3 May', at: '2021-05-03T00:00:00.000Z', consentTextHash: 'h1', consentText: 'Ja' }),
            change(s.id, 'optin', { topic: 'events' }, { actorKind: 'person', sourceKind: 'webform' }),
          ]),
        );
        const rows = new Map((await tx((t) => t.getConsents([s.id]))).map((r) => [r.topic, r]));
        expect(rows.get('newsletter')).toMatchObject({
          eventId: first,
          consentTextHash: 'h1',
          evidence: { who: 'Piet', source: 'crm.csv', at: '2021-05-03T00:00:00.000Z', optinId: 'CALL-7', description: 'called 3 May' },
        });
        // Without a name or ref: the kinds; without an opt-in id: none (check then names the event).
        expect(rows.get('events')).toMatchObject({
          eventId: second,
          consentTextHash: null,
          evidence: { who: 'person', source: 'webform', at: T0, optinId: null, description: null },
        });
      });

      test('a consent text is stored once per hash: later events refer to it, a different text under that hash does not replace it', async () => {
        const [s] = await subjects({ email: 'anna@example.nl' });
        await tx((t) => t.writeChanges([change(s.id, 'optin', {}, { consentTextHash: 'h-yes', consentText: 'Ja, graag.' })]));
        await tx((t) =>
          t.writeChanges([
            change(s.id, 'confirmed', {}, { action: 'confirm', consentTextHash: 'h-yes', consentText: null }),
            change(s.id, 'optin', { topic: 'events' }, { consentTextHash: 'h-yes', consentText: 'something else' }),
          ]),
        );
        await tx((t) => t.appendEvents([newEvent({ subjectId: s.id, action: 'hold', topic: null, channel: null, toStatus: null, fromStatus: null, consentTextHash: 'h-yes', consentText: 'yet another' })]));
        const events = await tx((t) => t.listEvents(s.id));
        expect(events.map((e) => [e.consentTextHash, e.consentText])).toEqual(Array(4).fill(['h-yes', 'Ja, graag.']));
      });

      test('appendEvents appends events that change no consent, ids in order', async () => {
        const [s] = await subjects({ email: 'anna@example.nl' });
        const ids = await tx((t) =>
          t.appendEvents([
            newEvent({ subjectId: s.id, action: 'hold', topic: null, channel: null, fromStatus: null, toStatus: null, basis: null, actorKind: 'operator', description: 'hold until 2033: invoices' }),
            newEvent({ subjectId: s.id, action: 'release', topic: null, channel: null, fromStatus: null, toStatus: null, basis: null, actorKind: 'operator' }),
          ]),
        );
        expect(ids[1]).toBeGreaterThan(ids[0]);
        expect((await tx((t) => t.listEvents(s.id))).map((e) => [e.id, e.action, e.description])).toEqual([
          [ids[0], 'hold', 'hold until 2033: invoices'],
          [ids[1], 'release', null],
        ]);
        expect(await tx((t) => t.getConsents([s.id]))).toEqual([]);
        expect(await tx((t) => t.appendEvents([]))).toEqual([]);
      });

      test('getConsents filters by subjects, topic and channel', async () => {
        const [a, b, c] = await subjects({ email: 'a@example.nl' }, { email: 'b@example.nl' }, { email: 'c@example.nl' });
        await tx((t) =>
          t.writeChanges([
            change(a.id, 'optin'),
            change(a.id, 'optin', { channel: 'sms' }),
            change(a.id, 'optin', { topic: 'events' }),
            change(b.id, 'optin'),
            change(c.id, 'optin'),
          ]),
        );
        const keys = (rows: { subjectId: number; topic: string; channel: string }[]) =>
          rows.map((r) => `${r.subjectId}/${r.topic}/${r.channel}`).sort();
        expect(keys(await tx((t) => t.getConsents([a.id, b.id])))).toEqual(
          [`${a.id}/events/email`, `${a.id}/newsletter/email`, `${a.id}/newsletter/sms`, `${b.id}/newsletter/email`].sort(),
        );
        expect(keys(await tx((t) => t.getConsents([a.id], 'newsletter')))).toEqual([`${a.id}/newsletter/email`, `${a.id}/newsletter/sms`]);
        expect(keys(await tx((t) => t.getConsents([a.id], undefined, 'sms')))).toEqual([`${a.id}/newsletter/sms`]);
        expect(keys(await tx((t) => t.getConsents([a.id, c.id], 'newsletter', 'email')))).toEqual([`${a.id}/newsletter/email`, `${c.id}/newsletter/email`].sort());
        expect(await tx((t) => t.getConsents([]))).toEqual([]);
      });

      test('checkConsents answers per item, in order: the subject by its identifier, and its consent for topic × channel', async () => {
        const [anna, bob, crm, held] = await subjects(
          { email: 'anna@example.nl' },
          { phone: '+31612345678' },
          { externalId: 'crm-42' },
          { email: 'held@example.nl' },
        );
        const [annaEvent] = await tx((t) => t.writeChanges([change(anna.id, 'confirmed', {}, { action: 'confirm', sourceKind: 'link' }), change(held.id, 'blacklisted')]));
        await tx((t) => t.updateSubject(held.id, { suppressedAt: at(1) }));
        await tx((t) => t.updateSubject(bob.id, { suppressedAt: at(2) }));
        const hits = await tx((t) =>
          t.checkConsents([
            { email: 'anna@example.nl', topic: 'newsletter', channel: 'email' },
            { email: 'nobody@example.nl', topic: 'newsletter', channel: 'email' },
            { phone: '+31612345678', topic: 'newsletter', channel: 'sms' },
            { externalId: 'crm-42', topic: 'newsletter', channel: 'email' },
            { subjectId: anna.id, topic: 'events', channel: 'email' },
            { email: 'held@example.nl', topic: 'newsletter', channel: 'email' },
            { email: 'anna@example.nl', topic: 'newsletter', channel: 'email' },
          ]),
        );
        expect(hits).toHaveLength(7);
        expect(hits[0]).toMatchObject({ subjectId: anna.id, consent: { status: 'confirmed', basis: 'consent', eventId: annaEvent, evidence: { who: 'person', source: 'link' } } });
        expect(hits[1]).toBeUndefined();
        // No consent row: the subject is known, and whether it is suppressed is told.
        expect(hits[2]).toEqual({ subjectId: bob.id, suppressedAt: at(2), consent: null });
        expect(hits[3]).toEqual({ subjectId: crm.id, suppressedAt: null, consent: null });
        expect(hits[4]).toEqual({ subjectId: anna.id, suppressedAt: null, consent: null });
        expect(hits[5]).toMatchObject({ subjectId: held.id, suppressedAt: at(1), consent: { status: 'blacklisted' } });
        expect(hits[6]).toEqual(hits[0]);
        expect(await tx((t) => t.checkConsents([]))).toEqual([]);
      });

      test('findPending: statuses, column at or before the instant, fewer reminders than, topic, channel, limit, oldest first', async () => {
        const s = await subjects(...Array.from({ length: 6 }, (_, i) => ({ email: `p${i}@example.nl` })));
        await tx((t) =>
          t.writeChanges([
            change(s[0].id, 'invited', { invitedAt: at(0), lastSentAt: at(30) }),
            change(s[1].id, 'reminded', { invitedAt: at(10), lastSentAt: at(20), reminders: 1 }),
            change(s[2].id, 'reminded', { invitedAt: at(5), lastSentAt: at(10), reminders: 2 }),
            change(s[3].id, 'optin', { invitedAt: at(1), lastSentAt: at(1) }),
            change(s[4].id, 'invited', { invitedAt: at(2), lastSentAt: at(2), topic: 'events' }),
            change(s[5].id, 'confirmed', { invitedAt: null, lastSentAt: null }),
            change(s[5].id, 'invited', { invitedAt: at(3), lastSentAt: at(3), channel: 'sms' }),
          ]),
        );
        const pending = async (q: Partial<PendingQuery>) =>
          (await tx((t) => t.findPending({ statuses: ['invited', 'reminded'], column: 'lastSentAt', before: at(100), limit: 100, ...q }))).map(
            (r) => s.findIndex((x) => x.id === r.subjectId),
          );
        expect(await pending({})).toEqual([4, 5, 2, 1, 0]); // by last sent
        expect(await pending({ column: 'invitedAt' })).toEqual([0, 4, 5, 2, 1]);
        expect(await pending({ before: at(20) })).toEqual([4, 5, 2, 1]); // at or before
        expect(await pending({ maxReminders: 2 })).toEqual([4, 5, 1, 0]);
        expect(await pending({ topic: 'newsletter' })).toEqual([5, 2, 1, 0]);
        expect(await pending({ channel: 'email' })).toEqual([4, 2, 1, 0]);
        expect(await pending({ limit: 2 })).toEqual([4, 5]);
        expect(await pending({ statuses: ['optin', 'invited', 'reminded'], column: 'invitedAt', before: at(2) })).toEqual([0, 3, 4]);
        const [row] = await tx((t) => t.findPending({ statuses: ['reminded'], column: 'lastSentAt', before: at(100), limit: 1 }));
        expect(row).toMatchObject({ subjectId: s[2].id, status: 'reminded', reminders: 2, invitedAt: at(5), lastSentAt: at(10) });
      });

      test('countStatuses counts consent rows per topic, channel and status', async () => {
        const [a, b, c] = await subjects({ email: 'a@example.nl' }, { email: 'b@example.nl' }, { email: 'c@example.nl' });
        await tx((t) => t.writeChanges([change(a.id, 'optin'), change(b.id, 'optin'), change(c.id, 'confirmed'), change(a.id, 'invited', { channel: 'sms' })]));
        expect(await tx((t) => t.countStatuses())).toEqual([
          { topic: 'newsletter', channel: 'email', status: 'confirmed', count: 1 },
          { topic: 'newsletter', channel: 'email', status: 'optin', count: 2 },
          { topic: 'newsletter', channel: 'sms', status: 'invited', count: 1 },
        ]);
      });
    });

    describe('tokens', () => {
      test('insertTokens / findToken keep every field; an unknown hash is undefined', async () => {
        const [s] = await subjects({ email: 'anna@example.nl' });
        const confirm = token({ hash: hash('t1'), subjectId: s.id, topics: ['newsletter', 'events, "special"'], consentTextHash: 'h1' });
        const erase = token({ hash: hash('t2'), purpose: 'erase', channel: null, topics: [], ref: '<req-1@example.nl>' });
        await tx((t) => t.insertTokens([confirm, erase]));
        expect(await tx((t) => t.findToken(hash('t1')))).toEqual(confirm);
        expect(await tx((t) => t.findToken(hash('t2')))).toEqual(erase);
        expect(await tx((t) => t.findToken(hash('t3')))).toBeUndefined();
        expect(await tx((t) => t.countTokens(s.id))).toBe(1);
      });

      test('claimToken is true for the first claim only, and records when', async () => {
        await tx((t) => t.insertTokens([token({ hash: hash('t1') })]));
        expect(await tx((t) => t.claimToken(hash('t1'), at(5)))).toBe(true);
        expect(await tx((t) => t.claimToken(hash('t1'), at(6)))).toBe(false);
        expect(await tx((t) => t.claimToken(hash('unknown'), at(6)))).toBe(false);
        expect((await tx((t) => t.findToken(hash('t1'))))?.usedAt).toBe(at(5));
      });
    });

    describe('messages', () => {
      test('insertMessages / listMessages: the history of one subject, in the order sent', async () => {
        const [a, b] = await subjects({ email: 'a@example.nl' }, { email: 'b@example.nl' });
        await tx((t) =>
          t.insertMessages([
            { subjectId: a.id, messageId: '<1@ledger>', template: 'confirmation', topics: ['newsletter'], channel: 'email', sentAt: at(1) },
            { subjectId: b.id, messageId: '<2@ledger>', template: 'invitation', topics: ['newsletter', 'events'], channel: 'email', sentAt: at(2) },
            { subjectId: a.id, messageId: '<3@ledger>', template: 'reminder', topics: [], channel: 'sms', sentAt: at(3) },
          ]),
        );
        expect(await tx((t) => t.listMessages(a.id))).toEqual([
          { subjectId: a.id, messageId: '<1@ledger>', template: 'confirmation', topics: ['newsletter'], channel: 'email', sentAt: at(1) },
          { subjectId: a.id, messageId: '<3@ledger>', template: 'reminder', topics: [], channel: 'sms', sentAt: at(3) },
        ]);
        expect((await tx((t) => t.listMessages(b.id)))[0].topics).toEqual(['newsletter', 'events']);
      });

      test('lastMailedAt: the newest mail recorded per subject asked about; nobody never mailed', async () => {
        const [a, b, c] = await subjects({ email: 'a@example.nl' }, { email: 'b@example.nl' }, { email: 'c@example.nl' });
        await tx((t) =>
          t.insertMessages([
            { subjectId: a.id, messageId: '<1@ledger>', template: 'confirmation', topics: ['newsletter'], channel: 'email', sentAt: at(3) },
            { subjectId: a.id, messageId: '<2@ledger>', template: 'reminder', topics: ['newsletter'], channel: 'email', sentAt: at(1) },
            { subjectId: b.id, messageId: '<3@ledger>', template: 'invitation', topics: ['newsletter'], channel: 'email', sentAt: at(2) },
          ]),
        );
        expect(await tx((t) => t.lastMailedAt([a.id, c.id]))).toEqual(new Map([[a.id, at(3)]]));
        expect(await tx((t) => t.lastMailedAt([]))).toEqual(new Map());
      });

      test('findMessage: the mail with this Message-ID and its subject (an abuse report names it); none for another', async () => {
        const [a] = await subjects({ email: 'a@example.nl' });
        await tx((t) => t.insertMessages([{ subjectId: a.id, messageId: '<nl-11@shop.example>', template: 'invitation', topics: ['newsletter'], channel: 'email', sentAt: at(1) }]));
        expect(await tx((t) => t.findMessage('<nl-11@shop.example>'))).toEqual({
          subjectId: a.id, messageId: '<nl-11@shop.example>', template: 'invitation', topics: ['newsletter'], channel: 'email', sentAt: at(1),
        });
        expect(await tx((t) => t.findMessage('<nl-12@shop.example>'))).toBeUndefined();
      });
    });

    describe('requests', () => {
      const request = (fields: Partial<RequestRow> = {}): RequestRow => ({
        messageId: '<req-1@example.nl>',
        mailbox: 'INBOX',
        kind: 'erase',
        receivedAt: T0,
        dueAt: '2026-12-23T10:00:00.000Z',
        outcome: 'received',
        subjectId: null,
        address: 'anna@example.nl',
        detail: null,
        updatedAt: T0,
        attempts: 1,
        channel: 'mail',
        handledBy: null,
        extendedAt: null,
        extensionReason: null,
        closedAt: null,
        closeNote: null,
        ...fields,
      });

      test('countRequestAttempt counts one more attempt on the request, kept across transactions; 0 for no request', async () => {
        await tx((t) => t.upsertRequest(request()));
        expect(await tx((t) => t.countRequestAttempt('<req-1@example.nl>', at(1)))).toBe(2);
        expect(await tx((t) => t.countRequestAttempt('<req-1@example.nl>', at(2)))).toBe(3);
        expect(await tx((t) => t.findRequest('<req-1@example.nl>'))).toEqual(request({ attempts: 3, updatedAt: at(2) }));
        // A repeat of the insert does not reset it.
        expect((await tx((t) => t.upsertRequest(request()))).row.attempts).toBe(3);
        expect(await tx((t) => t.countRequestAttempt('<unknown@example.nl>', at(3)))).toBe(0);
      });

      test('upsertRequest is idempotent by Message-ID: the first is stored and returned, a repeat changes nothing', async () => {
        const first = await tx((t) => t.upsertRequest(request()));
        expect(first).toEqual({ row: request(), created: true });
        const repeat = await tx((t) => t.upsertRequest(request({ kind: 'unsubscribe', outcome: 'other', updatedAt: at(9) })));
        expect(repeat).toEqual({ row: request(), created: false });
        expect(await tx((t) => t.findRequest('<req-1@example.nl>'))).toEqual(request());
        expect(await tx((t) => t.findRequest('<unknown@example.nl>'))).toBeUndefined();
      });

      test('updateRequest changes the given fields; listRequests gives a subject’s requests by arrival', async () => {
        const [s] = await subjects({ email: 'anna@example.nl' });
        await tx((t) => t.upsertRequest(request({ messageId: '<late@x>', receivedAt: at(10), subjectId: s.id })));
        await tx((t) => t.upsertRequest(request({ messageId: '<early@x>', receivedAt: at(1) })));
        await tx((t) => t.updateRequest('<early@x>', { outcome: 'erased', subjectId: s.id, detail: 'erasure-1', updatedAt: at(2) }));
        await tx((t) => t.updateRequest('<late@x>', { address: null }));
        expect(await tx((t) => t.listRequests(s.id))).toEqual([
          request({ messageId: '<early@x>', receivedAt: at(1), outcome: 'erased', subjectId: s.id, detail: 'erasure-1', updatedAt: at(2) }),
          request({ messageId: '<late@x>', receivedAt: at(10), subjectId: s.id, address: null }),
        ]);
      });
    });

    describe('erasure', () => {
      test('eraseSubject removes the subject, its evidence PII, tokens, messages and consents, and the address on its requests; events stay', async () => {
        const [anna, other] = await subjects({ email: 'anna@example.nl', name: 'Anna', phone: '+31612345678' }, { email: 'other@example.nl', name: 'Other' });
        const pii = { actorName: 'Anna', ip: '192.0.2.10', userAgent: 'Firefox', description: 'signed up as anna@example.nl', proofRef: 'scan.pdf' };
        await tx(async (t) => {
          await t.writeChanges([change(anna.id, 'optin', {}, pii), change(other.id, 'optin', {}, { ...pii, actorName: 'Other' })]);
          await t.insertTokens([token({ hash: hash('a'), subjectId: anna.id }), token({ hash: hash('o'), subjectId: other.id })]);
          await t.insertMessages([
            { subjectId: anna.id, messageId: '<1@ledger>', template: 'confirmation', topics: ['newsletter'], channel: 'email', sentAt: T0 },
            { subjectId: other.id, messageId: '<2@ledger>', template: 'confirmation', topics: ['newsletter'], channel: 'email', sentAt: T0 },
          ]);
          for (const [messageId, subjectId, address] of [
            ['<linked@x>', anna.id, 'anna@example.nl'],
            ['<by-address@x>', null, 'anna@example.nl'],
            ['<other@x>', other.id, 'other@example.nl'],
          ] as const) {
            await t.upsertRequest({ messageId, mailbox: 'INBOX', kind: 'erase', receivedAt: T0, dueAt: T0, outcome: 'received', subjectId, address, detail: null, updatedAt: T0 });
          }
        });
        const eventsBefore = await tx((t) => t.listEvents(anna.id));

        await tx((t) => t.eraseSubject(anna.id));

        expect(await tx((t) => t.findSubjects({ ids: [anna.id], emails: ['anna@example.nl'], phones: ['+31612345678'] }))).toEqual([]);
        expect(await tx((t) => t.getConsents([anna.id]))).toEqual([]);
        expect(await tx((t) => t.findToken(hash('a')))).toBeUndefined();
        expect(await tx((t) => t.countTokens(anna.id))).toBe(0);
        expect(await tx((t) => t.listMessages(anna.id))).toEqual([]);
        expect(await tx((t) => t.findRequest('<linked@x>'))).toMatchObject({ subjectId: anna.id, address: null });
        expect(await tx((t) => t.findRequest('<by-address@x>'))).toMatchObject({ address: null });
        const eventsAfter = await tx((t) => t.listEvents(anna.id));
        expect(eventsAfter.map((e) => e.id)).toEqual(eventsBefore.map((e) => e.id));
        for (const e of eventsAfter) expect(e).toMatchObject({ actorName: null, ip: null, userAgent: null, description: null, proofRef: null });

        // Nobody else is touched.
        expect(await tx((t) => t.findSubjects({ ids: [other.id] }))).toEqual([other]);
        expect(await tx((t) => t.getConsents([other.id]))).toHaveLength(1);
        expect((await tx((t) => t.listEvents(other.id)))[0]).toMatchObject({ actorName: 'Other', ip: '192.0.2.10' });
        expect(await tx((t) => t.countTokens(other.id))).toBe(1);
        expect(await tx((t) => t.listMessages(other.id))).toHaveLength(1);
        expect(await tx((t) => t.findRequest('<other@x>'))).toMatchObject({ address: 'other@example.nl' });
      });

      test('insertErasure / findErasure keep the receipt', async () => {
        const receipt = { receiptId: 'erasure-1', subjectId: 7, at: T0, outcome: 'erased' as const, reason: 'erasure request', actorKind: 'person', sourceKind: 'mailbox' };
        await tx((t) => t.insertErasure(receipt));
        await tx((t) => t.insertErasure({ ...receipt, receiptId: 'erasure-2', subjectId: null, outcome: 'not_found', reason: null }));
        expect(await tx((t) => t.findErasure('erasure-1'))).toEqual(receipt);
        expect(await tx((t) => t.findErasure('erasure-2'))).toMatchObject({ subjectId: null, outcome: 'not_found', reason: null });
        expect(await tx((t) => t.findErasure('erasure-3'))).toBeUndefined();
      });
    });

    describe('mailbox state', () => {
      test('unknown is undefined; saved state is read back and replaced per mailbox', async () => {
        expect(await tx((t) => t.getMailboxState('INBOX'))).toBeUndefined();
        await tx((t) => t.setMailboxState({ mailbox: 'INBOX', uidValidity: 4_000_000_000, lastUid: 17, updatedAt: T0 }));
        await tx((t) => t.setMailboxState({ mailbox: 'Requests', uidValidity: 1, lastUid: 1, updatedAt: T0 }));
        await tx((t) => t.setMailboxState({ mailbox: 'INBOX', uidValidity: 4_000_000_000, lastUid: 18, updatedAt: at(1) }));
        expect(await tx((t) => t.getMailboxState('INBOX'))).toEqual({ mailbox: 'INBOX', uidValidity: 4_000_000_000, lastUid: 18, updatedAt: at(1) });
        expect(await tx((t) => t.getMailboxState('Requests'))).toMatchObject({ lastUid: 1 });
      });
    });

    describe('transactions', () => {
      test('a transaction that throws leaves nothing behind, and its error reaches the caller', async () => {
        const failure = new Error('stop here');
        await expect(
          store.transaction(async (t) => {
            const [s] = await t.insertSubjects([newSubject({ email: 'ghost@example.nl' })]);
            await t.writeChanges([change(s.id, 'optin', {}, { ip: '192.0.2.1' })]);
            await t.insertTokens([token({ hash: hash('ghost'), subjectId: s.id })]);
            await t.setMeta('ghost', 'yes');
            await t.addSuppressions([{ hash: hash('ghost'), reason: 'x', at: T0 }]);
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await tx((t) => t.findSubjects({ emails: ['ghost@example.nl'] }))).toEqual([]);
        expect(await tx((t) => t.getMeta('ghost'))).toBeUndefined();
        expect(await tx((t) => t.findToken(hash('ghost')))).toBeUndefined();
        expect((await tx((t) => t.findSuppressed([hash('ghost')]))).size).toBe(0);
        expect(await tx((t) => t.countStatuses())).toEqual([]);
      });

      test('a transaction started inside an open one joins it: one commit, or nothing of either', async () => {
        const failure = new Error('stop after the inner one');
        await expect(
          store.transaction(async (outer) => {
            await outer.setMeta('outer', 'yes');
            await store.transaction((inner) => inner.setMeta('inner', 'yes'));
            // The inner one is part of the outer one: its write is seen here and not committed alone.
            expect(await outer.getMeta('inner')).toBe('yes');
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await tx((t) => t.getMeta('outer'))).toBeUndefined();
        expect(await tx((t) => t.getMeta('inner'))).toBeUndefined();

        await store.transaction(async (outer) => {
          await outer.setMeta('outer', 'yes');
          await store.transaction((inner) => inner.setMeta('inner', 'yes'));
        });
        expect([await tx((t) => t.getMeta('outer')), await tx((t) => t.getMeta('inner'))]).toEqual(['yes', 'yes']);
        // After its commit the outer one is closed: a transaction started later runs (and commits) on its own.
        await expect(tx((t) => t.setMeta('after', 'yes'))).resolves.toBeUndefined();
        expect(await tx((t) => t.getMeta('after'))).toBe('yes');
      });

      test('a transaction returns what its function returns', async () => {
        expect(await store.transaction(async () => 42)).toBe(42);
      });

      test('lockSubjects: transactions that lock the same subject run one after another', async () => {
        const [s] = await subjects({ email: 'anna@example.nl' });
        await tx((t) => t.setMeta('counter', '0'));
        // Read, wait, write: without the lock, concurrent transactions would read the same value.
        const increment = () =>
          store.transaction(async (t) => {
            await t.lockSubjects([s.id]);
            const value = Number(await t.getMeta('counter'));
            await new Promise((resolve) => setTimeout(resolve, 20));
            await t.setMeta('counter', String(value + 1));
          });
        await Promise.all(Array.from({ length: 5 }, increment));
        expect(await tx((t) => t.getMeta('counter'))).toBe('5');
      });
    });

    describe('under the ledger', () => {
      const clock = new TestClock();
      const item = (raw: Record<string, unknown>) => parseInput(RequestItemSchema, { consentText: 'Ja, ik wil de nieuwsbrief.', ...raw });
      const checkItem = (raw: Record<string, unknown>) => parseInput(CheckItemSchema, raw);

      test('request → confirm → check → campaign → erase', async () => {
        const ledger = new Ledger(store, { secret: SECRET }, clock.now);
        const [signup] = await ledger.request(
          [item({ email: 'Anna@Example.nl', name: 'Anna', evidence: { actor: { kind: 'person' }, source: { kind: 'webform' }, ip: '192.0.2.10' } })],
          'signup',
        );
        expect(signup).toMatchObject({ outcome: 'requested', email: 'anna@example.nl', topics: [{ topic: 'newsletter', status: 'optin' }] });
        expect((await ledger.check([checkItem({ email: 'anna@example.nl' })]))[0]).toMatchObject({ allowed: false, status: 'optin' });

        const confirmed = await ledger.confirm(signup.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' }, ip: '198.51.100.7' });
        expect(confirmed).toMatchObject({ outcome: 'confirmed', subjectId: signup.subjectId });
        await expect(ledger.confirm(signup.confirmToken, {})).rejects.toMatchObject({ code: 'TOKEN_REJECTED', problem: 'used' });

        const checks = await ledger.check([checkItem({ email: 'anna@example.nl' }), checkItem({ email: 'bob@example.nl' }), checkItem({ subjectId: signup.subjectId, topic: 'events' })]);
        expect(checks.map((c) => [c.allowed, c.status, c.subjectId])).toEqual([
          [true, 'confirmed', signup.subjectId],
          [false, 'none', null],
          [false, 'none', signup.subjectId],
        ]);
        expect(checks[0]).toMatchObject({ optin_source: 'link', optin_date: '2026-11-23' });

        const campaign = await ledger.request([item({ email: 'anna@example.nl' }), item({ email: 'bob@example.nl' }), item({ email: 'carla@example.nl' })], 'campaign');
        expect(campaign.map((r) => r.outcome)).toEqual(['skipped', 'requested', 'requested']);

        const erased = await ledger.erase({ email: 'anna@example.nl' });
        expect(erased).toMatchObject({ outcome: 'erased', subjectId: signup.subjectId });
        expect(await ledger.export({ email: 'anna@example.nl' })).toBeUndefined();
        expect((await ledger.check([checkItem({ email: 'anna@example.nl' })]))[0]).toMatchObject({ allowed: false, subjectId: null });
        const [again] = await ledger.request([item({ email: 'anna@example.nl' })], 'campaign');
        expect(again).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
        expect(await ledger.report()).toEqual([{ topic: 'newsletter', channel: 'email', status: 'invited', count: 2 }]);
      });

      test('a CSV import in batches, one transaction each: every row accounted for, duplicates and conflicts across batches, suppressed rows skipped', async () => {
        const ledger = new Ledger(store, { secret: SECRET }, clock.now);
        await ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'tom@example.nl', externalId: 'CRM-7' }) }], {});
        await ledger.erase({ email: 'gone@example.nl' });
        const lines = ['email,external_id,previously_mailed'];
        for (let i = 0; i < 40; i++) lines.push(`p${i}@example.nl,CRM-${100 + i},ja`);
        lines.push('kim@example.nl,CRM-7,ja', 'p1@example.nl,CRM-101,ja', 'q@example.nl,CRM-100,ja', 'gone@example.nl,,ja', 'r@example.nl,"CRM-200,ja', 'tom@example.nl,CRM-7,ja');
        const reports: ImportReport[] = [];
        const summary = await importContactsCsv(ledger, [Buffer.from(lines.join('\n'))], { batchRows: 7 }, (r) => void reports.push(r));

        expect(summary).toMatchObject({ rows: 46, imported: 41, skipped: 1, duplicate: 1, conflict: 2, invalid: 1 });
        expect(reports.map((r) => r.row)).toEqual(Array.from({ length: 46 }, (_, i) => i + 2));
        expect(reports.slice(40).map((r) => [r.row, r.outcome, r.reason])).toEqual([
          [42, 'conflict', "row 42 (line 42), external_id CRM-7 belongs to a person already in the ledger, who has another email address; correct the row, or that person's address first"],
          [43, 'duplicate', 'row 43 (line 43), the same person, topic and channel as row 3 (line 3): only that row counts; merge the two rows'],
          [44, 'conflict', "row 44 (line 44), external_id CRM-100 belongs to the person of row 2 (line 2), who has another email address; correct the row, or that person's address first"],
          [45, 'skipped', 'suppressed'],
          [46, 'invalid', expect.stringMatching(/^row 46 \(line 46\), a quoted cell that starts on this line is not closed/)],
          [47, 'imported', null],
        ]);
        const checks = await ledger.check([checkItem({ email: 'p39@example.nl' }), checkItem({ email: 'tom@example.nl' }), checkItem({ email: 'kim@example.nl' })]);
        expect(checks.map((c) => [c.allowed, c.status])).toEqual([
          [true, 'subscribed'],
          [true, 'subscribed'],
          [false, 'none'],
        ]);
        expect(await ledger.export({ email: 'q@example.nl' })).toBeUndefined();
        expect(await ledger.export({ email: 'gone@example.nl' })).toBeUndefined();
      });

      test('suppression: an erased person comes back only by confirming their own signup; an operator lifts one only with proof', async () => {
        const ledger = new Ledger(store, { secret: SECRET }, clock.now);
        await ledger.erase({ email: 'eva@example.nl' });
        await ledger.erase({ email: 'typo@exmple.nl' });
        const [back] = await ledger.request([item({ email: 'eva@example.nl' })], 'signup');
        expect(back).toMatchObject({ outcome: 'requested' });
        expect((await ledger.request([item({ subjectId: back.subjectId })], 'campaign'))[0]).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
        await ledger.confirm(back.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' }, ip: '198.51.100.8' });
        expect((await ledger.export({ email: 'eva@example.nl' }))!.events.filter((e) => e.action === 'unsuppress')).toMatchObject([{ actorKind: 'person', ip: '198.51.100.8' }]);
        expect((await ledger.check([checkItem({ email: 'eva@example.nl' })]))[0]).toMatchObject({ allowed: true });

        await expect(ledger.unsuppress({ email: 'typo@exmple.nl' }, { actor: { kind: 'operator' }, source: { kind: 'cli' }, description: 'typo' })).rejects.toThrow('needs proof');
        const lifted = await ledger.unsuppress({ email: 'typo@exmple.nl' }, { actor: { kind: 'operator', name: 'DPO' }, source: { kind: 'cli' }, proofRef: 'T-9', description: 'typo' });
        expect(lifted).toMatchObject({ outcome: 'lifted', lifted: 1 });
        expect((await ledger.check([checkItem({ email: 'typo@exmple.nl' })]))[0]).toMatchObject({ reason: 'unknown' });
        expect(await tx((t) => t.listSuppressionLifts())).toMatchObject([{ id: lifted.liftId, actorName: 'DPO', proofRef: 'T-9', description: 'typo' }]);
      });

      test("an erased person's id is never given again: no event, message, token, request or receipt of theirs reaches anyone made after", async () => {
        const ledger = new Ledger(store, { secret: SECRET }, clock.now);
        const person = { actor: { kind: 'person' as const }, source: { kind: 'webform' as const }, ip: '192.0.2.10' };
        await ledger.request([item({ email: 'first@example.nl' })], 'signup');
        // Tom is the newest subject: the id a reusing dialect would hand out next.
        const [tom] = await ledger.request([item({ email: 'tom@example.nl', name: 'Tom', externalId: 'CRM-TOM', consentText: 'Tom said yes to this.', evidence: person })], 'signup');
        await ledger.confirm(tom.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' } });
        await ledger.recordMessages([{ subjectId: tom.subjectId!, messageId: '<tom-welcome@ledger>', template: 'welcome', topics: ['newsletter'], channel: 'email' }]);
        await ledger.recordRequest({ messageId: '<tom-asks@mail>', mailbox: 'INBOX', kind: 'access', receivedAt: clock.now(), address: 'tom@example.nl', outcome: 'answered', subjectId: tom.subjectId });
        const [campaign] = await ledger.request([item({ email: 'tom@example.nl', topics: ['events'] })], 'campaign');
        const tomEvents = (await ledger.export({ email: 'tom@example.nl' }))!.events.map((e) => e.id);
        const erased = await ledger.erase({ email: 'tom@example.nl' }, { evidence: { actor: { kind: 'person' }, source: { kind: 'mailbox' } } });
        expect(erased).toMatchObject({ outcome: 'erased', subjectId: tom.subjectId });

        // Many new people, by every way a subject is made: signup, campaign, import, unsubscribe.
        const made: number[] = [];
        for (let n = 0; n < 8; n += 1) {
          const [signup] = await ledger.request([item({ email: `new${n}@example.nl`, name: `New ${n}` })], 'signup');
          const [invited] = await ledger.request([item({ phone: `+3161234${String(n).padStart(4, '0')}`, channel: 'phone' })], 'campaign');
          const [imported] = await ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { externalId: `CRM-${n}`, previouslyMailed: true }) }], undefined);
          const unsubscribed = await ledger.unsubscribeByRef({ email: `gone${n}@example.nl` }, ['newsletter'], 'email', {});
          made.push(signup.subjectId!, invited.subjectId!, imported.subjectId!, (unsubscribed as { subjectId: number }).subjectId);
        }
        expect(new Set(made).size).toBe(made.length);

        const receipt = await store.transaction((t) => t.findErasure(erased.receiptId));
        expect(receipt).toMatchObject({ subjectId: tom.subjectId });
        for (const id of [...made, tom.subjectId!]) {
          const found = await ledger.export({ subjectId: id });
          if (id === tom.subjectId) {
            expect(found).toBeUndefined();
            continue;
          }
          expect(found!.events.some((e) => tomEvents.includes(e.id) || e.action === 'erase' || e.consentText === 'Tom said yes to this.')).toBe(false);
          expect(found!.messages).toEqual([]);
          expect(found!.requests).toEqual([]);
          expect(found!.subject).toMatchObject({ id });
          expect(found!.subject.name === 'Tom' || found!.subject.externalId === 'CRM-TOM').toBe(false);
        }
        // Tom's links lead nowhere, whoever holds the id now.
        await expect(ledger.viewToken(tom.unsubscribeToken, 'unsubscribe')).rejects.toMatchObject({ problem: 'unknown' });
        await expect(ledger.preferences(campaign.unsubscribeToken)).rejects.toMatchObject({ problem: 'unknown' });
        await expect(ledger.confirm(campaign.confirmToken, {})).rejects.toMatchObject({ problem: 'unknown' });
        expect(await ledger.export({ externalId: 'CRM-TOM' })).toBeUndefined();
        for (const id of made) expect(id).toBeGreaterThan(tom.subjectId!);
      });

      test('what cannot be stored faithfully is refused, naming the field; what can is kept byte for byte', async () => {
        const ledger = new Ledger(store, { secret: SECRET }, clock.now);
        const refused = async (run: () => Promise<unknown>, field: string, problem: RegExp) => {
          const error = await run().then(
            () => undefined,
            (e: unknown) => e as Error & { code?: string },
          );
          expect(error).toMatchObject({ code: 'INVALID_INPUT' });
          expect(error!.message).toMatch(new RegExp(`${field}: ${problem.source}`));
        };
        const NUL = /contains a control character \(U\+0000 at character \d+\), which cannot be stored/;
        // SQLite would cut these at the NUL, PostgreSQL would answer "invalid byte sequence".
        await refused(async () => ledger.request([item({ email: 'crm@example.nl', externalId: 'CRM-1\u0000x' })], 'signup'), 'externalId', NUL);
        await refused(async () => ledger.request([item({ email: 'crm@example.nl', consentText: 'Ja, ik wil\u0000 niet' })], 'signup'), 'consentText', NUL);
        await refused(async () => ledger.request([item({ email: 'crm@example.nl', name: 'Mallory\r\nBcc: x@example.org' })], 'signup'), 'name', /contains a line break \(U\+000D/);
        await refused(async () => ledger.request([item({ email: 'crm@example.nl', name: 'Ann\ud83d' })], 'signup'), 'name', /is not valid Unicode \(a lone surrogate/);
        await refused(async () => ledger.request([item({ email: 'crm@example.nl', evidence: { actor: { kind: 'person', name: 'Eve\u001b[2J' } } })], 'signup'), 'actor.name', /contains a control character \(U\+001B/);
        await refused(async () => ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { externalId: 'CRM-2', optinSource: 'form\u0000' }) }], undefined), 'optinSource', NUL);
        expect(await ledger.export({ email: 'crm@example.nl' })).toBeUndefined();
        expect(await ledger.report()).toEqual([]);

        const [anna] = await ledger.request([item({ email: 'anna@example.nl', name: 'Anna Müller-Øberg 😀', externalId: 'CRM-1', consentText: 'Ja:\n\t- de nieuwsbrief\r\n\t- uitnodigingen' })], 'signup');
        await refused(async () => ledger.confirm(anna.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' }, userAgent: 'Mozilla/5.0\u0000' }), 'userAgent', NUL);
        await refused(async () => ledger.erase({ externalId: 'CRM-1' }, { reason: 'asked\u0000' }), 'reason', NUL);
        await refused(async () => ledger.hold({ externalId: 'CRM-1' }, new Date('2033-12-31'), 'invoices\u0007'), 'reason', /contains a control character \(U\+0007/);
        await refused(async () => ledger.export({ externalId: 'CRM-1\u0000x' }), 'externalId', NUL);
        expect((await ledger.export({ externalId: 'CRM-1' }))!.consents[0].status).toBe('optin'); // the refused confirm changed nothing
        await ledger.confirm(anna.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' }, userAgent: 'Mozilla/5.0 (X11; Linux)' });
        const held = (await ledger.export({ externalId: 'CRM-1' }))!;
        expect(held.subject).toMatchObject({ name: 'Anna Müller-Øberg 😀', externalId: 'CRM-1' });
        expect(held.events[0].consentText).toBe('Ja:\n\t- de nieuwsbrief\r\n\t- uitnodigingen');
        expect(held.consents[0].status).toBe('confirmed');
        expect(await ledger.erase({ externalId: 'CRM-1' })).toMatchObject({ outcome: 'erased' });
      });

      test("a name is what the person gave in a signup they confirmed: a stranger's signup never names them, nor reaches their mail", async () => {
        const ledger = new Ledger(store, { secret: SECRET, resendWindowMinutes: 60 }, clock.now);
        const mail = (r: { email: string | null; name: string | null; confirmToken: string | null; unsubscribeToken: string | null }) =>
          composeMail('confirmation', {
            to: r.email!, name: r.name ?? undefined, from: 'Voorbeeld BV <nieuws@voorbeeld.example>', organisation: 'Voorbeeld BV',
            baseUrl: 'https://voorbeeld.example/consent', confirmToken: r.confirmToken!, unsubscribeToken: r.unsubscribeToken!,
          });
        const stranger = 'Mallory https://evil.example/win-a-prize';
        const start = clock.now();
        try {
          // A stranger signs Anna's address up under a name of their choosing; the mail goes out with it.
          const [forged] = await ledger.request([item({ email: 'anna@example.nl', name: stranger })], 'signup');
          expect(forged).toMatchObject({ outcome: 'requested', name: stranger });
          expect((await ledger.export({ email: 'anna@example.nl' }))!.subject.name).toBeNull();

          // Anna signs up herself (after the list-bombing window): her mail greets her, and only her.
          clock.advanceMinutes(61);
          const [own] = await ledger.request([item({ email: 'anna@example.nl', name: 'Anna de Vries' })], 'signup');
          expect(own).toMatchObject({ outcome: 'requested', name: 'Anna de Vries' });
          const composed = mail(own);
          expect(composed.to).toBe('Anna de Vries <anna@example.nl>');
          expect(composed.text).toContain('Anna de Vries');
          expect(`${composed.to}\n${composed.subject}\n${composed.text}\n${composed.html}`).not.toMatch(/Mallory|evil\.example/);
          expect(await ledger.confirm(own.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' } })).toMatchObject({ outcome: 'confirmed' });
          expect((await ledger.export({ email: 'anna@example.nl' }))!.subject.name).toBe('Anna de Vries');

          // The stranger's link, used later, or a new unconfirmed signup, never renames her.
          await ledger.confirm(forged.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' } });
          clock.advanceMinutes(61);
          const [again] = await ledger.request([item({ email: 'anna@example.nl', name: stranger, topics: ['events'] })], 'signup');
          expect(again).toMatchObject({ outcome: 'requested', name: stranger });
          expect((await ledger.export({ email: 'anna@example.nl' }))!.subject.name).toBe('Anna de Vries');
          // A signup without a name greets her confirmed one.
          clock.advanceMinutes(61);
          const [plain] = await ledger.request([item({ email: 'anna@example.nl', topics: ['offers'] })], 'signup');
          expect(plain.name).toBe('Anna de Vries');
          expect(mail(plain).text).not.toMatch(/Mallory|evil\.example/);
          // A later confirmed signup under another name replaces hers: the person's own latest word.
          clock.advanceMinutes(61);
          const [renamed] = await ledger.request([item({ email: 'anna@example.nl', name: 'Anna Jansen', topics: ['weekly'] })], 'signup');
          await ledger.confirm(renamed.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' } });
          expect((await ledger.export({ email: 'anna@example.nl' }))!.subject.name).toBe('Anna Jansen');
        } finally {
          clock.at = start;
        }
      });
    });
  });
}
