import type { ConsentState, HeldPurpose, NewEvent, NewSubject, PurposeChange, Store, StoreTx } from '../../core/store/store';
import { at, newEvent, newSubject, T0, type StoreFactory } from './contract';

/**
 * The Store contract for purposes (issue 16): why a person is held, on which legal basis. Run
 * unchanged for each dialect next to the main contract (test/store/<dialect>.test.ts).
 */
function subject(email: string): NewSubject {
  return newSubject({ email });
}

/** A purpose's event: no topic or channel, set by an import unless `fields` say otherwise. */
function purposeEvent(fields: Partial<NewEvent> & Pick<NewEvent, 'subjectId' | 'purpose'>): NewEvent {
  return newEvent({ topic: null, channel: null, action: 'import', toStatus: 'active', basis: 'legitimate_interest', actorKind: 'operator', sourceKind: 'import', sourceRef: 'crm.csv', ...fields });
}

function held(subjectId: number, purpose: string, fields: Partial<HeldPurpose> = {}): HeldPurpose {
  return { subjectId, purpose, state: 'active', basis: 'legitimate_interest', since: T0, until: null, reason: null, ...fields };
}

/** A purpose change whose event says what the row says. */
function change(p: HeldPurpose, event: Partial<NewEvent> = {}, consents?: ConsentState[]): PurposeChange {
  return { purpose: p, event: purposeEvent({ subjectId: p.subjectId, purpose: p.purpose, toStatus: p.state, basis: p.basis, at: p.since, ...event }), consents };
}

function topic(subjectId: number, name: string, fields: Partial<ConsentState> = {}): ConsentState {
  return { subjectId, topic: name, channel: 'email', status: 'subscribed', basis: 'legitimate_interest', since: T0, invitedAt: null, lastSentAt: null, reminders: 0, ...fields };
}

export function describePurposeContract(dialect: string, factory: StoreFactory): void {
  describe(`Store contract, purposes: ${dialect}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.open();
    });
    afterEach(async () => {
      await store?.close();
    });
    const tx = <T>(fn: (t: StoreTx) => Promise<T>) => store.transaction(fn);
    const subjects = (...emails: string[]) => tx((t) => t.insertSubjects(emails.map(subject)));

    test('a purpose is written with its event and read back with basis, state, since and the evidence summary', async () => {
      const [anna] = await subjects('anna@example.nl');
      expect(await tx((t) => t.getPurposes([anna.id]))).toEqual([]);
      const [eventId] = await tx((t) => t.writePurposes([change(held(anna.id, 'sales_and_service'), { actorName: 'Ops', sourceRef: 'crm.csv' })]));
      expect(await tx((t) => t.getPurposes([anna.id]))).toEqual([
        { ...held(anna.id, 'sales_and_service'), eventId, evidence: { who: 'Ops', source: 'crm.csv', at: T0 } },
      ]);
      const events = await tx((t) => t.listEvents(anna.id));
      expect(events).toEqual([
        expect.objectContaining({ id: eventId, purpose: 'sales_and_service', topic: null, channel: null, action: 'import', fromStatus: 'none', toStatus: 'active', basis: 'legitimate_interest', actorName: 'Ops' }),
      ]);
    });

    test('every legal basis of Art. 6(1) and none, both states, a retention end date and reason round-trip', async () => {
      const [anna] = await subjects('anna@example.nl');
      const bases = ['consent', 'contract', 'legal_obligation', 'vital_interest', 'public_task', 'legitimate_interest', 'none'] as const;
      await tx((t) => t.writePurposes(bases.map((basis, i) => change(held(anna.id, `p${i}`, { basis, state: i % 2 ? 'withdrawn' : 'active' })))));
      await tx((t) => t.writePurposes([change(held(anna.id, 'retention', { basis: 'legal_obligation', until: at(60 * 24 * 365 * 7), reason: 'invoices: 7 years (tax law)' }), { action: 'hold' })]));
      const rows = await tx((t) => t.getPurposes([anna.id]));
      expect(rows.map((r) => [r.purpose, r.basis, r.state])).toEqual([
        ['p0', 'consent', 'active'], ['p1', 'contract', 'withdrawn'], ['p2', 'legal_obligation', 'active'], ['p3', 'vital_interest', 'withdrawn'],
        ['p4', 'public_task', 'active'], ['p5', 'legitimate_interest', 'withdrawn'], ['p6', 'none', 'active'], ['retention', 'legal_obligation', 'active'],
      ]);
      expect(rows.find((r) => r.purpose === 'retention')).toMatchObject({ until: at(60 * 24 * 365 * 7), reason: 'invoices: 7 years (tax law)' });
      expect(await tx((t) => t.getPurposes([anna.id], 'p4'))).toEqual([expect.objectContaining({ purpose: 'p4', basis: 'public_task' })]);
    });

    test('a later change replaces the row and keeps both events; of two changes in one batch the last stands', async () => {
      const [anna, tom] = await subjects('anna@example.nl', 'tom@example.nl');
      await tx((t) => t.writePurposes([change(held(anna.id, 'emarketing', { basis: 'none' }))]));
      const [later] = await tx((t) => t.writePurposes([change(held(anna.id, 'emarketing', { basis: 'consent', since: at(5) }), { action: 'confirm', fromStatus: 'active', actorKind: 'person', sourceKind: 'link', sourceRef: null })]));
      expect(await tx((t) => t.getPurposes([anna.id]))).toEqual([
        expect.objectContaining({ purpose: 'emarketing', basis: 'consent', since: at(5), eventId: later, evidence: { who: 'person', source: 'link', at: at(5) } }),
      ]);
      const ids = await tx((t) =>
        t.writePurposes([change(held(tom.id, 'emarketing')), change(held(tom.id, 'emarketing', { state: 'withdrawn', basis: 'none', since: at(1) }), { action: 'withdraw' })]),
      );
      expect(await tx((t) => t.getPurposes([tom.id]))).toEqual([expect.objectContaining({ state: 'withdrawn', basis: 'none', eventId: ids[1] })]);
      expect((await tx((t) => t.listEvents(tom.id))).map((e) => [e.id, e.action, e.toStatus])).toEqual([[ids[0], 'import', 'active'], [ids[1], 'withdraw', 'withdrawn']]);
      // Several subjects at once, in subject order.
      expect((await tx((t) => t.getPurposes([tom.id, anna.id]))).map((r) => r.subjectId).sort()).toEqual([anna.id, tom.id].sort());
    });

    test('a purpose change carries its topics: one event, every topic row points at it', async () => {
      const [anna] = await subjects('anna@example.nl');
      await tx((t) => t.writePurposes([change(held(anna.id, 'emarketing'))]));
      const before = (await tx((t) => t.listEvents(anna.id))).length;
      const withdrawn = [topic(anna.id, 'newsletter', { status: 'unsubscribed', basis: 'none', since: at(3) }), topic(anna.id, 'events', { status: 'unsubscribed', basis: 'none', since: at(3) })];
      const [eventId] = await tx((t) =>
        t.writePurposes([change(held(anna.id, 'emarketing', { state: 'withdrawn', basis: 'none', since: at(3) }), { action: 'withdraw', actorKind: 'person', sourceKind: 'link', sourceRef: null }, withdrawn)]),
      );
      expect((await tx((t) => t.listEvents(anna.id))).length).toBe(before + 1);
      const consents = await tx((t) => t.getConsents([anna.id]));
      expect(consents.map((c) => [c.topic, c.status, c.eventId]).sort()).toEqual([['events', 'unsubscribed', eventId], ['newsletter', 'unsubscribed', eventId]]);
      expect(consents[0].evidence).toEqual({ who: 'person', source: 'link', at: at(3), optinId: null, description: null });
    });

    test('countPurposes counts subjects per purpose × basis × state', async () => {
      const [a, b, c] = await subjects('a@example.nl', 'b@example.nl', 'c@example.nl');
      await tx((t) =>
        t.writePurposes([
          change(held(a.id, 'sales_and_service')), change(held(b.id, 'sales_and_service')), change(held(c.id, 'sales_and_service')),
          change(held(a.id, 'emarketing')), change(held(b.id, 'emarketing', { basis: 'none' })), change(held(c.id, 'emarketing', { state: 'withdrawn', basis: 'none' })),
        ]),
      );
      expect(await tx((t) => t.countPurposes())).toEqual([
        { purpose: 'emarketing', basis: 'legitimate_interest', state: 'active', count: 1 },
        { purpose: 'emarketing', basis: 'none', state: 'active', count: 1 },
        { purpose: 'emarketing', basis: 'none', state: 'withdrawn', count: 1 },
        { purpose: 'sales_and_service', basis: 'legitimate_interest', state: 'active', count: 3 },
      ]);
    });

    test('erasure removes the purposes with the person; their events stay', async () => {
      const [anna, tom] = await subjects('anna@example.nl', 'tom@example.nl');
      await tx((t) => t.writePurposes([change(held(anna.id, 'sales_and_service')), change(held(tom.id, 'sales_and_service'))]));
      await tx((t) => t.eraseSubject(anna.id));
      expect(await tx((t) => t.getPurposes([anna.id, tom.id]))).toEqual([expect.objectContaining({ subjectId: tom.id })]);
      expect(await tx((t) => t.listEvents(anna.id))).toEqual([expect.objectContaining({ purpose: 'sales_and_service' })]);
      expect(await tx((t) => t.countPurposes())).toEqual([{ purpose: 'sales_and_service', basis: 'legitimate_interest', state: 'active', count: 1 }]);
    });

    test('listEndedHolds: the subjects whose hold ended at or before the instant, earliest first, up to the limit', async () => {
      const [a, b, c, d] = await subjects('a@example.nl', 'b@example.nl', 'c@example.nl', 'd@example.nl');
      await tx(async (t) => {
        await t.updateSubject(a.id, { holdUntil: at(30), holdReason: 'invoices' });
        await t.updateSubject(b.id, { holdUntil: at(10), holdReason: 'a claim' });
        await t.updateSubject(c.id, { holdUntil: at(90), holdReason: 'later' });
      });
      expect((await tx((t) => t.listEndedHolds(at(30), 10))).map((s) => [s.id, s.holdUntil])).toEqual([[b.id, at(10)], [a.id, at(30)]]);
      expect((await tx((t) => t.listEndedHolds(at(100), 2))).map((s) => s.id)).toEqual([b.id, a.id]);
      expect(await tx((t) => t.listEndedHolds(at(5), 10))).toEqual([]);
      expect((await tx((t) => t.listEndedHolds(at(100), 10))).map((s) => s.id)).not.toContain(d.id);
    });

    test('nothing of a purpose change stays when its transaction fails', async () => {
      const [anna] = await subjects('anna@example.nl');
      const failure = new Error('stop');
      await expect(
        tx(async (t) => {
          await t.writePurposes([change(held(anna.id, 'sales_and_service'))]);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await tx((t) => t.getPurposes([anna.id]))).toEqual([]);
      expect(await tx((t) => t.listEvents(anna.id))).toEqual([]);
    });
  });
}
