import type { NewRequest, RequestQuery, Store, StoreTx } from '../../core/store/store';
import type { StoreFactory } from './contract';

/**
 * The Store contract for the requests register (issue 13): requests of every channel, filtered
 * by kind, open or not and due date, in order of due date. Run unchanged for each dialect next to
 * the main contract (test/store/<dialect>.test.ts).
 */
const T0 = '2026-11-23T10:00:00.000Z';
const day = (n: number) => new Date(Date.parse(T0) + n * 86_400_000).toISOString();

function request(messageId: string, fields: Partial<NewRequest> = {}): NewRequest {
  return {
    messageId,
    mailbox: 'INBOX',
    kind: 'erase',
    receivedAt: T0,
    dueAt: day(30),
    outcome: 'awaiting_operator',
    subjectId: null,
    address: null,
    detail: null,
    updatedAt: T0,
    ...fields,
  };
}

const query = (fields: Partial<RequestQuery> = {}): RequestQuery => ({
  kinds: ['unsubscribe', 'erase', 'access', 'unknown'],
  openOnly: false,
  finalOutcomes: ['erased', 'unsubscribed'],
  limit: 100,
  ...fields,
});

export function describeRequestsContract(dialect: string, factory: StoreFactory): void {
  describe(`Store contract, requests register: ${dialect}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.open();
    });
    afterEach(async () => {
      await store?.close();
    });
    const tx = <T>(fn: (t: StoreTx) => Promise<T>) => store.transaction(fn);
    const ids = async (q: Partial<RequestQuery> = {}) => (await tx((t) => t.queryRequests(query(q)))).map((r) => r.messageId);

    test('a request of another channel keeps its channel and who handled it; a mail request is channel mail', async () => {
      await tx((t) => t.upsertRequest(request('cli-1', { mailbox: '', channel: 'cli', handledBy: 'operator Ops (CLI)', outcome: 'erased' })));
      await tx((t) => t.upsertRequest(request('<m@x>')));
      expect(await tx((t) => t.findRequest('cli-1'))).toMatchObject({ channel: 'cli', handledBy: 'operator Ops (CLI)', outcome: 'erased', extendedAt: null, closedAt: null });
      expect(await tx((t) => t.findRequest('<m@x>'))).toMatchObject({ channel: 'mail', handledBy: null });
    });

    test('queryRequests: the given kinds only, in order of due date then id, open only leaves out finished and closed ones', async () => {
      await tx(async (t) => {
        await t.upsertRequest(request('c', { dueAt: day(20) }));
        await t.upsertRequest(request('a', { dueAt: day(10), outcome: 'erased' }));
        await t.upsertRequest(request('b', { dueAt: day(20) }));
        await t.upsertRequest(request('d', { dueAt: day(5), kind: 'bounce' }));
        await t.upsertRequest(request('e', { dueAt: day(40), kind: 'access' }));
        await t.upsertRequest(request('f', { dueAt: day(1), kind: 'unsubscribe' }));
      });
      expect(await ids()).toEqual(['f', 'a', 'b', 'c', 'e']);
      expect(await ids({ openOnly: true })).toEqual(['f', 'b', 'c', 'e']);
      await tx((t) => t.updateRequest('f', { closedAt: day(2), closeNote: 'answered by letter', updatedAt: day(2) }));
      expect(await ids({ openOnly: true })).toEqual(['b', 'c', 'e']);
      expect(await tx((t) => t.findRequest('f'))).toMatchObject({ closedAt: day(2), closeNote: 'answered by letter' });
      // Due by: at or before the instant.
      expect(await ids({ openOnly: true, dueBy: day(20) })).toEqual(['b', 'c']);
      expect(await ids({ dueBy: day(10) })).toEqual(['f', 'a']);
      expect(await ids({ dueBy: day(0) })).toEqual([]);
    });

    test('queryRequests pages: the requests after one, by due date then id, up to the limit', async () => {
      await tx(async (t) => {
        for (const [id, d] of [['r1', 3], ['r2', 3], ['r3', 3], ['r4', 4], ['r5', 5]] as const) await t.upsertRequest(request(id, { dueAt: day(d) }));
      });
      expect(await ids({ limit: 2 })).toEqual(['r1', 'r2']);
      expect(await ids({ limit: 2, after: { dueAt: day(3), messageId: 'r2' } })).toEqual(['r3', 'r4']);
      expect(await ids({ limit: 2, after: { dueAt: day(4), messageId: 'r4' } })).toEqual(['r5']);
    });

    test('updateRequest extends the term: the new due date, when and why', async () => {
      await tx((t) => t.upsertRequest(request('x', { dueAt: day(30) })));
      await tx((t) => t.updateRequest('x', { dueAt: day(91), extendedAt: day(3), extensionReason: 'many requests at once', updatedAt: day(3) }));
      expect(await tx((t) => t.findRequest('x'))).toMatchObject({ dueAt: day(91), extendedAt: day(3), extensionReason: 'many requests at once', updatedAt: day(3) });
      expect(await ids({ dueBy: day(30) })).toEqual([]);
      expect(await ids({ dueBy: day(91) })).toEqual(['x']);
    });
  });
}
