import type { ConsentState, Store, StoreTx } from '../../core/store/store';
import { at, newEvent, newSubject, T0, type StoreFactory } from './contract';

/**
 * The Store contract for the retention purge's candidates (issue 13): `listLapsedSubjects`. Run
 * unchanged for each dialect next to the main contract (test/store/<dialect>.test.ts).
 */
function topic(subjectId: number, name: string, fields: Partial<ConsentState> = {}): ConsentState {
  return { subjectId, topic: name, channel: 'email', status: 'optin', basis: 'none', since: T0, invitedAt: T0, lastSentAt: T0, reminders: 0, ...fields };
}

export function describeRetentionContract(dialect: string, factory: StoreFactory): void {
  describe(`Store contract, retention purge: ${dialect}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.open();
    });
    afterEach(async () => {
      await store?.close();
    });
    const tx = <T>(fn: (t: StoreTx) => Promise<T>) => store.transaction(fn);
    const write = (rows: ConsentState[]) =>
      tx((t) => t.writeChanges(rows.map((c) => ({ consent: c, event: newEvent({ subjectId: c.subjectId, topic: c.topic, toStatus: c.status, at: c.since, recordedAt: c.since }) }))));
    const lapsed = (before: string, afterId = 0, limit = 100) => tx((t) => t.listLapsedSubjects(['optin', 'expired'], before, afterId, limit)).then((rows) => rows.map((s) => s.email));

    test('only subjects whose every consent is in the statuses, begun and last sent at or before the instant; no hold, no suppression; by id, paged', async () => {
      const people = await tx((t) =>
        t.insertSubjects(['signup', 'expired', 'both', 'confirmed-too', 'recent', 'resent', 'held', 'suppressed', 'nothing'].map((name) => newSubject({ email: `${name}@example.nl` }))),
      );
      const id = (name: string) => people.find((p) => p.email === `${name}@example.nl`)!.id;
      await write([
        topic(id('signup'), 'newsletter'),
        topic(id('expired'), 'newsletter', { status: 'expired', since: at(10), invitedAt: null, lastSentAt: null }),
        topic(id('both'), 'newsletter'),
        topic(id('both'), 'events', { status: 'expired', invitedAt: null, lastSentAt: null }),
        topic(id('confirmed-too'), 'newsletter'),
        topic(id('confirmed-too'), 'events', { status: 'confirmed', basis: 'consent', invitedAt: null, lastSentAt: null }),
        topic(id('recent'), 'newsletter', { since: at(100) }),
        topic(id('resent'), 'newsletter', { lastSentAt: at(100) }),
        topic(id('held'), 'newsletter'),
        topic(id('suppressed'), 'newsletter'),
      ]);
      await tx((t) => t.updateSubject(id('held'), { holdReason: 'invoices', holdUntil: at(100_000) }));
      await tx((t) => t.updateSubject(id('suppressed'), { suppressedAt: at(5) }));

      expect(await lapsed(at(50))).toEqual(['signup@example.nl', 'expired@example.nl', 'both@example.nl']);
      // The instant itself counts (at or before); a row begun after it keeps its person.
      expect(await lapsed(at(10))).toEqual(['signup@example.nl', 'expired@example.nl', 'both@example.nl']);
      expect(await lapsed(at(9))).toEqual(['signup@example.nl', 'both@example.nl']);
      expect(await lapsed(at(100))).toEqual(['signup@example.nl', 'expired@example.nl', 'both@example.nl', 'recent@example.nl', 'resent@example.nl']);
      // Paged by id.
      expect(await lapsed(at(50), 0, 2)).toEqual(['signup@example.nl', 'expired@example.nl']);
      expect(await lapsed(at(50), id('expired'), 2)).toEqual(['both@example.nl']);
      expect(await lapsed(at(50), id('both'), 2)).toEqual([]);
    });
  });
}
