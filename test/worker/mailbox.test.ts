import type { Ledger } from '../../core/ledger';
import { processRequestMail } from '../../core/inbox';
import { MailboxWorker, type WorkerLogLine } from '../../worker/mailbox';
import type { WorkerSettingsInput } from '../../worker/settings';
import { dsnMail, longReferencesMail, poisonMail, rawMail } from '../core/mail/fixtures';
import { failRequestOutcome } from '../support/store-faults';
import { dkimDomain, seedSubscriber, statusOf } from '../core/mail/seed';
import { Dovecot } from '../support/dovecot';
import { tempLedger } from '../support/ledger';
import { SmtpPeer } from '../support/smtp-peer';
import { waitFor } from '../support/wait';
import { fuzzedMails } from './fuzz';

let dovecot: Dovecot;
let peer: SmtpPeer;
let t: Awaited<ReturnType<typeof tempLedger>>;
let ledger: Ledger;
const signer = dkimDomain('example.nl');

beforeAll(async () => {
  dovecot = await Dovecot.start();
  peer = await SmtpPeer.start();
});
afterAll(async () => {
  await peer?.stop();
  await dovecot?.stop();
});
beforeEach(async () => {
  t = await tempLedger();
  ledger = t.ledger;
  peer.received.length = 0;
});
afterEach(() => t?.dispose());

function settings(more: Partial<WorkerSettingsInput> = {}): WorkerSettingsInput {
  return {
    imap: dovecot.imapSettings(),
    smtp: { ...peer.settings(), pool: false },
    replyFrom: 'Privacy De Winkel <privacy@shop.example>',
    organisation: 'De Winkel',
    baseUrl: 'https://shop.example/consent',
    trustedAuthservIds: ['mx.shop.example'],
    ...more,
  };
}

function worker(more: Partial<WorkerSettingsInput> = {}) {
  const lines: WorkerLogLine[] = [];
  const w = new MailboxWorker(ledger, settings(more), { log: (l) => lines.push(l), resolver: signer.resolver });
  return { w, lines, mails: () => lines.filter((l) => l.event === 'mail') };
}

async function folderOf(messageId: string): Promise<string | undefined> {
  for (const folder of ['INBOX', 'Processed', 'Review']) {
    if ((await dovecot.messages(folder)).some((m) => m.messageId === messageId)) return folder;
  }
  return undefined;
}

const row = async (messageId: string) => ledger.store.transaction((tx) => tx.findRequest(messageId));

describe('the worker on a real Dovecot', () => {
  it('handles every kind of request mail: ledger first, then the reply, then mark and move', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    await seedSubscriber(ledger, 'john@example.nl');
    await seedSubscriber(ledger, 'hans@example.nl');
    await seedSubscriber(ledger, 'dkim@example.nl');
    await seedSubscriber(ledger, 'gone@example.nl');
    await seedSubscriber(ledger, 'anna@example.nl');
    const { unsubscribeToken } = await seedSubscriber(ledger, 'token@example.nl');
    const cases: [string, string | Promise<string>, string, string, string][] = [
      // messageId, raw, folder, intent, outcome
      ['<nl-unsub@x>', rawMail({ messageId: '<nl-unsub@x>', from: 'jan@example.nl', subject: 'AFMELDEN' }), 'Processed', 'unsubscribe', 'unsubscribed'],
      ['<en-unsub@x>', rawMail({ messageId: '<en-unsub@x>', from: 'john@example.nl', subject: 'Please unsubscribe me' }), 'Processed', 'unsubscribe', 'unsubscribed'],
      ['<de-unsub@x>', rawMail({ messageId: '<de-unsub@x>', from: 'hans@example.nl', rawSubject: '=?UTF-8?B?TmV3c2xldHRlciBhYmJlc3RlbGxlbg==?=' }), 'Processed', 'unsubscribe', 'unsubscribed'],
      ['<nl-erase@x>', rawMail({ messageId: '<nl-erase@x>', from: 'piet@example.nl', subject: 'VERWIJDER' }), 'Processed', 'erase', 'awaiting_verification'],
      ['<en-erase@x>', rawMail({ messageId: '<en-erase@x>', from: 'spoofed@example.nl', subject: 'remove my data' }), 'Processed', 'erase', 'awaiting_verification'],
      ['<de-erase@x>', rawMail({ messageId: '<de-erase@x>', from: 'otto@example.nl', subject: 'Löschen Sie meine Daten' }), 'Processed', 'erase', 'awaiting_verification'],
      ['<dkim-erase@x>', signer.sign(rawMail({ messageId: '<dkim-erase@x>', from: 'dkim@example.nl', subject: 'DELETE' })), 'Processed', 'erase', 'erased'],
      ['<nl-access@x>', rawMail({ messageId: '<nl-access@x>', from: 'an@example.nl', subject: 'Inzageverzoek' }), 'Processed', 'access', 'not_found'],
      ['<en-access@x>', rawMail({ messageId: '<en-access@x>', from: 'ann@example.nl', subject: 'Subject access request' }), 'Processed', 'access', 'not_found'],
      ['<de-access@x>', rawMail({ messageId: '<de-access@x>', from: 'anna@example.nl', subject: 'Auskunftsersuchen' }), 'Processed', 'access', 'answered'],
      ['<html-only@x>', rawMail({ messageId: '<html-only@x>', from: 'html@example.nl', subject: 'Re: News', html: '<p>Please <b>unsubscribe</b> me</p><blockquote>Afmelden</blockquote>' }), 'Processed', 'unsubscribe', 'not_found'],
      ['<quoting@x>', rawMail({ messageId: '<quoting@x>', from: 'fan@example.nl', subject: 'Re: Nieuwsbrief', text: 'Mooi nummer!\n\n> Afmelden? Klik hier.' }), 'Review', 'unknown', 'needs_review'],
      ['<token@x>', rawMail({ messageId: '<token@x>', from: 'alias@elsewhere.example', subject: `unsubscribe ${unsubscribeToken}` }), 'Processed', 'unsubscribe', 'unsubscribed'],
      ['<ooo@x>', rawMail({ messageId: '<ooo@x>', from: 'jan@example.nl', subject: 'Automatisch antwoord: Nieuwsbrief', headers: { 'Auto-Submitted': 'auto-replied' }, text: 'Afwezig. Afmelden?' }), 'Processed', 'auto_reply', 'ignored'],
      ['<dsn@x>', dsnMail('gone@example.nl', '5.1.1', 'failed', '<dsn@x>'), 'Processed', 'bounce', 'bounced'],
    ];
    await dovecot.append(await Promise.all(cases.map((c) => c[1])));
    const { w, mails } = worker();
    await w.run({ once: true });

    expect(await dovecot.count('INBOX')).toBe(0);
    for (const [messageId, , folder, intent, outcome] of cases) {
      expect({ messageId, folder: await folderOf(messageId), ...(await row(messageId)) }).toMatchObject({ messageId, folder, kind: intent, outcome });
    }
    // One log line per mail: uid, intent, outcome.
    expect(mails()).toHaveLength(cases.length);
    expect(mails().every((l) => typeof l.uid === 'number' && l.intent && l.outcome)).toBe(true);
    // Marked: \Seen and a keyword in Processed; only the keyword in Review (a person still has to look).
    const processed = await dovecot.messages('Processed');
    expect(processed.find((m) => m.messageId === '<nl-unsub@x>')!.flags).toEqual(expect.arrayContaining(['\\Seen', '$ConsentUnsubscribe']));
    const review = await dovecot.messages('Review');
    expect(review.find((m) => m.messageId === '<quoting@x>')!.flags).not.toContain('\\Seen');
    // The ledger did what the mails asked.
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('unsubscribed');
    expect(await statusOf(ledger, 'token@example.nl')).toBe('unsubscribed');
    expect(await statusOf(ledger, 'dkim@example.nl')).toBe('erased');
    expect(await statusOf(ledger, 'gone@example.nl')).toBe('bounced');
    // Replies: to the people, never to the auto-reply or the bounce.
    const to = peer.received.flatMap((r) => r.to).sort();
    expect(to).toEqual(['alias@elsewhere.example', 'an@example.nl', 'ann@example.nl', 'anna@example.nl', 'dkim@example.nl', 'hans@example.nl', 'html@example.nl', 'jan@example.nl', 'john@example.nl', 'otto@example.nl', 'piet@example.nl', 'spoofed@example.nl']);
    // The cursor is in the ledger: a restart resumes after the last UID.
    const state = await ledger.mailboxState(w.mailboxKey);
    expect(state).toMatchObject({ lastUid: expect.any(Number) });
    expect(state!.lastUid).toBeGreaterThanOrEqual(cases.length);
  });

  it('a mail arriving while the worker idles is handled on the IDLE notice, not the poll', async () => {
    const { w, mails } = worker({ pollSeconds: 3600 });
    const running = w.run();
    try {
      await waitFor(async () => mails().length === 0 && (await dovecot.count('INBOX')) === 0, { what: 'INBOX empty and no mail left to hand out' });
      await waitFor(() => w.isIdle, { what: 'the worker in IDLE' });
      await dovecot.deliver(rawMail({ messageId: '<idle-1@x>', from: 'late@example.nl', subject: 'Afmelden' }));
      await waitFor(async () => (await folderOf('<idle-1@x>')) === 'Processed', { what: '<idle-1@x> moved to Processed' });
    } finally {
      await w.stop();
      await running;
    }
    expect(mails().map((l) => l.messageId)).toEqual(['<idle-1@x>']);
  });

  it('after a UIDVALIDITY change it reads the mailbox again, and a mail already handled is not acted on twice', async () => {
    await seedSubscriber(ledger, 'twice@example.nl');
    const raw = rawMail({ messageId: '<uv-1@x>', from: 'twice@example.nl', subject: 'Afmelden' });
    await dovecot.append([raw]);
    // As if an earlier worker had committed this mail and died before moving it.
    await processRequestMail(ledger, raw, { mailbox: 'earlier', baseUrl: 'https://shop.example/consent', organisation: 'De Winkel', replyFrom: 'privacy@shop.example' }, {});
    const events = (await ledger.export({ email: 'twice@example.nl' }))!.events.length;
    const { w, mails } = worker();
    await ledger.saveMailboxState(w.mailboxKey, 1, 999_999); // a cursor from before the renumbering
    dovecot.setUidValidity(4242);
    await w.run({ once: true });
    expect(await folderOf('<uv-1@x>')).toBe('Processed');
    expect(mails()).toEqual([expect.objectContaining({ messageId: '<uv-1@x>', repeat: true, outcome: 'unsubscribed' })]);
    expect((await ledger.export({ email: 'twice@example.nl' }))!.events.length).toBe(events);
    expect(await ledger.mailboxState(w.mailboxKey)).toMatchObject({ uidValidity: 4242 });
  });

  it('a reply that cannot be sent keeps the mail in the inbox; it is retried and moved once it goes out, acting once', async () => {
    await seedSubscriber(ledger, 'retry@example.nl');
    await dovecot.append([rawMail({ messageId: '<retry-1@x>', from: 'retry@example.nl', subject: 'Afmelden' })]);
    peer.failNext(2, 451);
    const { w, mails } = worker({ retrySeconds: 0.2, pollSeconds: 1 });
    const running = w.run();
    try {
      await waitFor(async () => (await folderOf('<retry-1@x>')) === 'Processed', { what: '<retry-1@x> moved to Processed after the retry' });
    } finally {
      await w.stop();
      await running;
    }
    expect(mails().map((l) => l.reply)).toEqual(['failed', 'failed', 'sent']);
    expect(mails().map((l) => l.folder)).toEqual(['inbox', 'inbox', 'processed']);
    const history = (await ledger.export({ email: 'retry@example.nl' }))!.events.filter((e) => e.action === 'unsubscribe');
    expect(history).toHaveLength(1);
    expect(peer.received).toHaveLength(1);
    expect((await row('<retry-1@x>'))!.detail).toBe('proof=none; reply=sent');
  });

  it('a second mail under the same Message-ID from another sender goes to Review, acted on and answered by nothing', async () => {
    await seedSubscriber(ledger, 'first@example.nl');
    await seedSubscriber(ledger, 'victim@example.nl');
    await dovecot.append([
      rawMail({ messageId: '<same-id@x>', from: 'first@example.nl', subject: 'Afmelden' }),
      rawMail({ messageId: '<same-id@x>', from: 'victim@example.nl', subject: 'VERWIJDER' }),
    ]);
    const { w, mails } = worker();
    await w.run({ once: true });
    expect(mails().map((l) => [l.outcome, l.folder])).toEqual([
      ['unsubscribed', 'processed'],
      ['needs_review', 'review'],
    ]);
    expect((await dovecot.messages('Review')).filter((m) => m.messageId === '<same-id@x>')).toHaveLength(1);
    expect(await statusOf(ledger, 'victim@example.nl')).toBe('confirmed');
    expect(peer.received.flatMap((r) => r.to)).toEqual(['first@example.nl']);
    expect(await row('<same-id@x>')).toMatchObject({ kind: 'unsubscribe', address: 'first@example.nl', outcome: 'unsubscribed' });
  });

  it('stopped while handling mail 1 of a batch of 5: the other 4 stay in the inbox and the next run handles them, each exactly once', async () => {
    const people = [1, 2, 3, 4, 5].map((i) => `stop${i}@example.nl`);
    for (const email of people) await seedSubscriber(ledger, email);
    await dovecot.append(people.map((from, i) => rawMail({ messageId: `<stop-${i + 1}@x>`, from, subject: 'AFMELDEN' })));
    const lines: WorkerLogLine[] = [];
    let first: MailboxWorker | undefined;
    first = new MailboxWorker(ledger, settings({ concurrency: 1, batchSize: 5 }), {
      log: (l) => lines.push(l),
      processMail: async (l, mail, options, hooks) => {
        if (first) void first.stop(); // SIGTERM arrives while the batch's first mail is in hand
        first = undefined;
        return processRequestMail(l, mail, options, hooks);
      },
    });
    await first.run();
    expect(lines.filter((l) => l.event === 'mail').map((l) => l.messageId)).toEqual(['<stop-1@x>']);
    expect((await dovecot.messages('INBOX')).map((m) => m.messageId).sort()).toEqual(['<stop-2@x>', '<stop-3@x>', '<stop-4@x>', '<stop-5@x>']);

    const second = new MailboxWorker(ledger, settings({ concurrency: 1, batchSize: 5 }), { log: (l) => lines.push(l) });
    await second.run({ once: true });
    expect(await dovecot.count('INBOX')).toBe(0);
    const handled = lines.filter((l) => l.event === 'mail').map((l) => l.messageId);
    expect(handled.sort()).toEqual(['<stop-1@x>', '<stop-2@x>', '<stop-3@x>', '<stop-4@x>', '<stop-5@x>']);
    for (const email of people) {
      expect(await statusOf(ledger, email)).toBe('unsubscribed');
      expect((await ledger.export({ email }))!.events.filter((e) => e.action === 'unsubscribe')).toHaveLength(1);
    }
    expect(peer.received.flatMap((r) => r.to).sort()).toEqual(people);
  });

  it('1,000 malformed and fuzzed mails: no crash, each ends in Processed or Review', async () => {
    const mails = fuzzedMails(1000, 20261123);
    const before = { processed: await dovecot.count('Processed'), review: await dovecot.count('Review') };
    await dovecot.append(mails);
    const appended = await dovecot.count('INBOX');
    expect(appended).toBe(1000);
    const { w, lines } = worker({ concurrency: 8 });
    await w.run({ once: true });
    expect(lines.filter((l) => l.event === 'failed')).toEqual([]);
    expect(await dovecot.count('INBOX')).toBe(0);
    const after = { processed: await dovecot.count('Processed'), review: await dovecot.count('Review') };
    expect(after.processed - before.processed + after.review - before.review).toBe(1000);
    // About 25 s on a quiet 2-core machine; the limit only stops a hang (seen over 60 s under load).
  }, 300_000);

  it('the poison mail and a reply that cannot be composed go to Review with the reason under --once; the mails after them are handled', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    await seedSubscriber(ledger, 'anna@example.nl');
    await dovecot.append([
      poisonMail('<w-poison@x>', 'jan@example.nl'),
      longReferencesMail('<w-long-refs@x>', 'anna@example.nl'),
      rawMail({ messageId: '<w-after@x>', from: 'piet@example.nl', subject: 'Afmelden' }),
    ]);
    const { w, lines } = worker();
    await w.run({ once: true });
    expect(lines.filter((l) => l.event === 'failed')).toEqual([]);
    expect(await folderOf('<w-poison@x>')).toBe('Review');
    expect(await folderOf('<w-long-refs@x>')).toBe('Review');
    expect(await folderOf('<w-after@x>')).toBe('Processed');
    expect(await row('<w-poison@x>')).toMatchObject({ kind: 'unknown', outcome: 'needs_review', attempts: 1 });
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('confirmed');
    const longRefs = await row('<w-long-refs@x>');
    expect(longRefs).toMatchObject({ kind: 'unsubscribe', outcome: 'unsubscribed' });
    expect(longRefs!.detail).toMatch(/reply=unsendable; error=the reply could not be composed: mail, references\.0: /);
    expect(await statusOf(ledger, 'anna@example.nl')).toBe('unsubscribed');
    expect(peer.received.flatMap((r) => r.to)).toEqual(['piet@example.nl']);
  });

  it('a mail whose handling keeps failing, under --once: attempts counted in the ledger across runs, then Review, flagged', async () => {
    await seedSubscriber(ledger, 'jan@example.nl');
    await dovecot.append([
      rawMail({ messageId: '<w-fails@x>', from: 'jan@example.nl', subject: 'Afmelden' }),
      rawMail({ messageId: '<w-next@x>', from: 'kees@example.nl', subject: 'Afmelden' }),
    ]);
    failRequestOutcome(t.path, '<w-fails@x>', 'unsubscribed');
    // Three cron runs, each a new process's worker on a newly opened ledger.
    for (let n = 1; n <= 3; n++) {
      const again = await t.reopen();
      const lines: WorkerLogLine[] = [];
      await new MailboxWorker(again, settings({ maxAttempts: 2 }), { log: (l) => lines.push(l), resolver: signer.resolver }).run({ once: true });
      await again.close();
      if (n < 3) {
        expect(lines.filter((l) => l.event === 'failed')).toEqual([expect.objectContaining({ messageId: '<w-fails@x>', error: expect.stringContaining('the disk said no') })]);
        expect(await folderOf('<w-fails@x>')).toBe('INBOX');
        expect(await row('<w-fails@x>')).toMatchObject({ outcome: 'processing', attempts: n });
      } else {
        expect(lines.filter((l) => l.event === 'failed')).toEqual([]);
      }
      expect(await folderOf('<w-next@x>')).toBe('Processed'); // the mail after it does not wait
    }
    expect(await folderOf('<w-fails@x>')).toBe('Review');
    const [flagged] = (await dovecot.messages('Review')).filter((m) => m.messageId === '<w-fails@x>');
    expect(flagged.flags).toContain('$ConsentFailed');
    const given = await row('<w-fails@x>');
    expect(given).toMatchObject({ outcome: 'gave_up', attempts: 3 });
    expect(given!.detail).toContain('note=given up after 2 attempts that did not finish (last error: Error: the disk said no)');
  });

  it('names the wrong setting and says how to fix it', () => {
    expect(() => new MailboxWorker(ledger, { ...settings(), imap: { ...dovecot.imapSettings(), password: undefined } })).toThrow(
      /worker settings, imap.password: give either a password or an OAuth2 access token \(set CONSENT_IMAP_PASSWORD/,
    );
    expect(() => new MailboxWorker(ledger, { ...settings(), baseUrl: 'shop.example' })).toThrow(/worker settings, baseUrl: not a URL/);
    expect(() => new MailboxWorker(ledger, { ...settings(), imap: { ...dovecot.imapSettings(), processedFolder: 'INBOX' } })).toThrow(/imap.processedFolder: the processed and review folders must differ/);
  });
});
