import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ImportRowSchema, Ledger, RequestItemSchema } from '../../core/ledger';
import { composeMail } from '../../core/mail/compose';
import { openStore } from '../../core/store/open';
import { SQLITE_MIGRATIONS } from '../../core/store/sqlite/migrations';
import { SqliteStore } from '../../core/store/sqlite/sqlite-store';
import { parseInput } from '../../core/validation';
import { SECRET, TestClock } from '../support/ledger';

/**
 * A ledger file as an older release left it, opened by this one: the numbered migrations bring it
 * up to date and keep what it holds. The old file is made by this code with its migrations
 * stopped at the old version, then used through the ledger as that release would have.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function ledgerFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'consent-migrate-'));
  dirs.push(dir);
  return join(dir, 'ledger.sqlite');
}

function schemaVersion(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  } finally {
    db.close();
  }
}

const item = (raw: Record<string, unknown>) => parseInput(RequestItemSchema, { consentText: 'Ja, ik wil de nieuwsbrief.', ...raw });

describe('SQLite migration 2: subject ids are never used twice', () => {
  test('a version-1 ledger keeps its data, stops reusing ids, and a reuse that already happened no longer shows the erased person to the new one', async () => {
    const path = ledgerFile();
    const clock = new TestClock();
    let ledger = new Ledger(await SqliteStore.open({ path, migrateTo: 1 }), { secret: SECRET }, clock.now);
    expect(schemaVersion(path)).toBe(1);

    // As the old release ran it: Anna stays, Tom is erased, Kim is made next and gets Tom's id.
    // (Only what the old schema holds: imports, no links, whose rows gained a column later.)
    const imported = (row: Record<string, unknown>) => ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, row) }], { actor: { kind: 'operator', name: 'Ops' }, source: { kind: 'import' } });
    const [anna] = await imported({ email: 'anna@example.nl', name: 'Anna', status: 'confirmed', consentText: 'Anna said yes.' });
    await ledger.recordMessages([{ subjectId: anna.subjectId!, messageId: '<anna@ledger>', template: 'welcome', topics: ['newsletter'], channel: 'email' }]);
    const [tom] = await imported({ email: 'tom@example.nl', name: 'Tom', status: 'confirmed', consentText: 'Tom said yes to this.' });
    clock.advanceMinutes(1);
    await ledger.recordRequest({ messageId: '<tom-erase@mail>', mailbox: 'INBOX', kind: 'erase', receivedAt: clock.now(), address: 'tom@example.nl', outcome: 'received' });
    clock.advanceMinutes(1);
    const tomErased = await ledger.erase({ email: 'tom@example.nl' }, { evidence: { actor: { kind: 'person' }, source: { kind: 'mailbox' } } });
    await ledger.updateRequest('<tom-erase@mail>', { outcome: 'erased', subjectId: tom.subjectId, detail: tomErased.receiptId });
    clock.advanceMinutes(1);
    const [kim] = await imported({ email: 'kim@example.nl', name: 'Kim', previouslyMailed: true });
    expect(kim.subjectId).toBe(tom.subjectId); // the old schema's reuse: the breach this migration repairs
    clock.advanceMinutes(1);
    await ledger.recordRequest({ messageId: '<kim-asks@mail>', mailbox: 'INBOX', kind: 'access', receivedAt: clock.now(), address: 'kim@example.nl', outcome: 'answered', subjectId: kim.subjectId });
    const [zed] = await imported({ email: 'zed@example.nl', name: 'Zed' });
    await ledger.erase({ email: 'zed@example.nl' });
    const annaBefore = await ledger.export({ email: 'anna@example.nl' });
    const kimBefore = (await ledger.export({ email: 'kim@example.nl' }))!;
    expect(kimBefore.events.map((e) => e.action)).toEqual(['import', 'erase', 'import']);
    await ledger.close();

    ledger = new Ledger(await openStore({ kind: 'sqlite', path }), { secret: SECRET }, clock.now);
    expect(schemaVersion(path)).toBe(SQLITE_MIGRATIONS.at(-1)!.version);

    // Everything held is still there, unchanged: Anna entirely, Kim's own history, her consent.
    // (Migration 7 adds e-marketing for the topics each holds, with its one 'migrate' event.)
    const annaAfter = (await ledger.export({ email: 'anna@example.nl' }))!;
    expect({ ...annaAfter, purposes: undefined, events: annaAfter.events.filter((e) => e.action !== 'migrate') }).toEqual({ ...annaBefore, purposes: undefined });
    const kimAfter = (await ledger.export({ email: 'kim@example.nl' }))!;
    expect(kimAfter.subject).toEqual(kimBefore.subject);
    expect(kimAfter.consents).toEqual(kimBefore.consents);
    // Tom's history, his erasure and his request no longer show under Kim.
    expect(kimAfter.events.map((e) => e.action)).toEqual(['import', 'migrate']);
    expect(kimAfter.events.some((e) => e.consentText === 'Tom said yes to this.')).toBe(false);
    expect(kimAfter.requests.map((r) => r.messageId)).toEqual(['<kim-asks@mail>']);
    const receipt = await ledger.store.transaction((t) => t.findErasure(tomErased.receiptId));
    expect(receipt).toMatchObject({ outcome: 'erased' });
    expect(receipt!.subjectId).not.toBe(kim.subjectId);
    // Tom's erased request still says it was answered, under his (new, unused) id.
    expect(await ledger.findRequest('<tom-erase@mail>')).toMatchObject({ outcome: 'erased', subjectId: receipt!.subjectId, address: null });

    // New people get ids past every id ever used, Zed's erased one included; and after an erasure too.
    const [next] = await ledger.request([item({ email: 'next@example.nl' })], 'signup');
    expect(next.subjectId!).toBeGreaterThan(Math.max(zed.subjectId!, receipt!.subjectId!));
    await ledger.erase({ email: 'next@example.nl' });
    const [after] = await ledger.request([item({ email: 'after@example.nl' })], 'signup');
    expect(after.subjectId!).toBeGreaterThan(next.subjectId!);
    expect((await ledger.export({ email: 'after@example.nl' }))!.events.map((e) => e.action)).toEqual(['signup']);
    // Identity lookups still work on the rebuilt table (its unique columns hold).
    await expect(
      ledger.store.transaction((t) => t.insertSubjects([{ email: 'anna@example.nl', phone: null, externalId: null, name: null, locale: null, createdAt: clock.now().toISOString() }])),
    ).rejects.toThrow(/UNIQUE/);
    await ledger.close();
  });

  test('an empty version-1 ledger migrates; its first subject is id 1', async () => {
    const path = ledgerFile();
    await (await SqliteStore.open({ path, migrateTo: 1 })).close();
    const ledger = new Ledger(await openStore({ kind: 'sqlite', path }), { secret: SECRET }, new TestClock().now);
    const [first] = await ledger.request([item({ email: 'first@example.nl' })], 'signup');
    expect(first.subjectId).toBe(1);
    await ledger.close();
  });
});

describe('SQLite migration 3: a name waits with its signup until confirmed', () => {
  test("a name with a line break, left by a stranger's signup before inputs refused it, is dropped; the person's own signup then mails and names her", async () => {
    const path = ledgerFile();
    const old = await SqliteStore.open({ path, migrateTo: 2 });
    const at = '2026-11-23T10:00:00.000Z';
    await old.transaction((t) =>
      t.insertSubjects([
        { email: 'anna@example.nl', phone: null, externalId: null, name: 'Mallory\r\nBcc: list@example.org', locale: null, createdAt: at },
        { email: 'bo@example.nl', phone: null, externalId: null, name: 'Bo Bakker', locale: null, createdAt: at },
      ]),
    );
    await old.close();

    const clock = new TestClock();
    const ledger = new Ledger(await openStore({ kind: 'sqlite', path }), { secret: SECRET }, clock.now);
    expect(schemaVersion(path)).toBe(SQLITE_MIGRATIONS.at(-1)!.version);
    expect((await ledger.export({ email: 'anna@example.nl' }))!.subject.name).toBeNull();
    expect((await ledger.export({ email: 'bo@example.nl' }))!.subject.name).toBe('Bo Bakker');

    const [own] = await ledger.request([item({ email: 'anna@example.nl', name: 'Anna de Vries' })], 'signup');
    const mail = composeMail('confirmation', {
      to: own.email!, name: own.name ?? undefined, from: 'nieuws@voorbeeld.example', organisation: 'Voorbeeld BV',
      baseUrl: 'https://voorbeeld.example/consent', confirmToken: own.confirmToken!, unsubscribeToken: own.unsubscribeToken!,
    });
    expect(mail.to).toBe('Anna de Vries <anna@example.nl>');
    expect(mail.text).not.toContain('Mallory');
    await ledger.confirm(own.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' } });
    expect((await ledger.export({ email: 'anna@example.nl' }))!.subject.name).toBe('Anna de Vries');
    await ledger.close();
  });
});
