import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { RequestItemSchema, type Ledger } from '../../core/ledger';
import { parseInput } from '../../core/validation';
import { MailboxWorker, type WorkerLogLine } from '../../worker/mailbox';
import type { WorkerSettingsInput } from '../../worker/settings';
import { rawMail } from '../core/mail/fixtures';
import { seedSubscriber } from '../core/mail/seed';
import { Dovecot } from '../support/dovecot';
import { tempLedger } from '../support/ledger';
import { SmtpPeer } from '../support/smtp-peer';
import { waitFor } from '../support/wait';
import { WorkerProcess } from './support/worker-process';
import { prng as mulberry32 } from '../../scripts/fuzz-mails.cjs';

/**
 * The worker under faults: killed with -9 at random moments, its IMAP server killed under it,
 * stopped by signals, fed a mail with a 20 MB attachment. Real processes throughout.
 */
let dovecot: Dovecot;
let peer: SmtpPeer;
let t: Awaited<ReturnType<typeof tempLedger>>;
let ledger: Ledger;
const workers: WorkerProcess[] = [];

beforeEach(async () => {
  dovecot = await Dovecot.start();
  peer = await SmtpPeer.start();
  t = await tempLedger();
  ledger = t.ledger;
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill9()));
  await t?.dispose();
  await peer?.stop();
  await dovecot?.stop();
});

function settings(more: Partial<WorkerSettingsInput> = {}): WorkerSettingsInput {
  return {
    imap: dovecot.imapSettings(),
    smtp: { ...peer.settings(), pool: false },
    replyFrom: 'Privacy De Winkel <privacy@shop.example>',
    organisation: 'De Winkel',
    baseUrl: 'https://shop.example/consent',
    verifyDkim: false, // a child process has no test resolver, and no query may leave the machine
    pollSeconds: 1,
    reconnectMaxSeconds: 1,
    ...more,
  };
}

function startWorker(more: Partial<WorkerSettingsInput> = {}): WorkerProcess {
  const worker = WorkerProcess.start(t.path, settings(more), t.dir);
  workers.push(worker);
  return worker;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the worker as a process', () => {
  it('stops cleanly on SIGTERM and on SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const worker = startWorker();
      await worker.waitForLine((l) => l.event === 'connected', { what: "the worker's connected line" });
      expect(await worker.terminate(signal)).toEqual({ code: 0, signal: null });
      expect(worker.lines.at(-1)).toMatchObject({ event: 'stopped' });
    }
  });

  it('a mail with a 20 MB attachment: its words are read, its attachment is not held (RSS stays flat)', async () => {
    const worker = startWorker();
    await worker.waitForLine((l) => l.event === 'connected', { what: "the worker's connected line" });
    await dovecot.append([rawMail({ messageId: '<warm-up@x>', subject: 'Afmelden' })]);
    await worker.waitForMails(1);
    await sleep(200);
    const before = worker.memory();
    worker.resetPeak();

    const attachment = randomBytes(20 * 1024 * 1024).toString('base64');
    const lines = (function* () {
      for (let i = 0; i < attachment.length; i += 76) yield attachment.slice(i, i + 76);
    })();
    const big = rawMail({ messageId: '<big@x>', from: 'jan@example.nl', subject: 'Scan', text: 'Hierbij de scan. Verwijder mij van de lijst, graag.', attachment: { filename: 'scan.pdf', contentType: 'application/pdf', base64Lines: lines } });
    await dovecot.append([big]);
    await worker.waitForMails(2);
    const after = worker.memory();

    expect(worker.lines.find((l) => l.messageId === '<big@x>')).toMatchObject({ intent: 'unsubscribe', folder: 'processed' });
    expect((await dovecot.messages('Processed')).map((m) => m.messageId)).toContain('<big@x>');
    // The peak while handling it, above the resident size before: far below the attachment.
    const growth = after.peak - before.rss;
    process.stdout.write(`20 MB attachment: worker RSS ${mb(before.rss)} MB before, peak ${mb(after.peak)} MB while handling it (growth ${mb(growth)} MB)\n`);
    expect(growth).toBeLessThan(20 * 1024 * 1024);
  });

  it('kill -9 at random moments while 1,000 requests arrive: each has exactly one effect, every mail is moved', async () => {
    const random = mulberry32(20261123);
    const people = Array.from({ length: 1000 }, (_, i) => `p${i}@example.nl`);
    const requested = await ledger.request(
      people.map((email) => parseInput(RequestItemSchema, { email, consentText: 'Ja, stuur mij de nieuwsbrief.', evidence: { actor: { kind: 'person' }, source: { kind: 'webform' } } })),
      'signup',
    );
    for (const r of requested) await ledger.confirm(r.confirmToken, undefined);
    // Every tenth asks for erasure, proven by the unsubscribe token of its own newsletter.
    const isEraser = (i: number) => i % 10 === 0;
    const mails = requested.map((r, i) =>
      isEraser(i)
        ? rawMail({ messageId: `<req-${i}@example.nl>`, from: r.email!, subject: 'Re: Nieuwsbrief', text: `Verwijder mijn gegevens.\n\n> Afmelden: https://shop.example/consent/unsubscribe?token=${r.unsubscribeToken}` })
        : rawMail({ messageId: `<req-${i}@example.nl>`, from: r.email!, subject: ['Afmelden', 'Unsubscribe', 'Abmelden'][i % 3] }),
    );

    let worker = startWorker({ batchSize: 25 });
    let fed = false;
    const feeding = (async () => {
      for (let i = 0; i < mails.length; i += 50) {
        await dovecot.append(mails.slice(i, i + 50));
        await sleep(random() * 300);
      }
      fed = true;
    })();
    let kills = 0;
    let killsMidWork = 0;
    while (!fed || kills < 8) {
      // Somewhere in the middle of its work: after it connected, at a random moment.
      await worker.waitForLine((l) => l.event === 'connected', { what: "the worker's connected line" });
      await sleep(random() * 600);
      // Busy: connected, with mail in the inbox it has not yet moved (it drains the inbox at once
      // after connecting; its first 'mail' line comes only after a whole batch's commits).
      const isBusy = (await dovecot.count('INBOX')) > 0;
      await worker.kill9();
      kills++;
      if (isBusy) killsMidWork++;
      worker = startWorker({ batchSize: 25 });
    }
    await feeding;
    await waitFor(async () => (await dovecot.count('INBOX')) === 0, { what: 'every mail out of INBOX', timeoutMs: 240_000 });
    expect(await worker.terminate()).toEqual({ code: 0, signal: null });

    // Every mail moved, none twice, none lost.
    const processed = await dovecot.messages('Processed');
    expect(processed).toHaveLength(1000);
    expect(new Set(processed.map((m) => m.messageId)).size).toBe(1000);
    expect(await dovecot.count('Review')).toBe(0);
    // Every request in the log once, finished.
    const db = new DatabaseSync(t.path, { readOnly: true });
    try {
      const outcomes = db.prepare('SELECT outcome, count(*) AS n FROM requests GROUP BY outcome ORDER BY outcome').all();
      expect(outcomes).toEqual([
        { outcome: 'erased', n: 100 },
        { outcome: 'unsubscribed', n: 900 },
      ]);
      // Exactly one effect each: one unsubscribe event per unsubscriber, one erasure per eraser.
      const perSubject = db
        .prepare("SELECT subject_id, sum(action = 'unsubscribe') AS unsubscribes, sum(action = 'erase') AS erasures FROM events WHERE action IN ('unsubscribe', 'erase') GROUP BY subject_id")
        .all() as { subject_id: number; unsubscribes: number; erasures: number }[];
      expect(perSubject).toHaveLength(1000);
      const ids = new Map(requested.map((r, i) => [r.subjectId, i]));
      for (const row of perSubject) {
        const i = ids.get(row.subject_id)!;
        expect({ i, unsubscribes: row.unsubscribes, erasures: row.erasures }).toEqual({ i, unsubscribes: isEraser(i) ? 0 : 1, erasures: isEraser(i) ? 1 : 0 });
      }
      expect(db.prepare("SELECT outcome, count(*) AS n FROM erasures GROUP BY outcome").all()).toEqual([{ outcome: 'erased', n: 100 }]);
      expect(db.prepare('SELECT count(*) AS n FROM subjects').get()).toEqual({ n: 900 });
    } finally {
      db.close();
    }
    // Each person was answered; a kill between a reply and its record repeats that reply.
    const answered = new Set(peer.received.flatMap((r) => r.to));
    expect(answered.size).toBe(1000);
    process.stdout.write(`kill -9: ${kills} kills (${killsMidWork} while mail waited in the inbox); ${peer.received.length - 1000} replies sent twice\n`);
    expect(killsMidWork).toBeGreaterThanOrEqual(3);
  }, 300_000);
});

describe('the IMAP server dies under the worker', () => {
  it('Dovecot killed (-9) during IDLE and started again: the worker reconnects and handles what arrived meanwhile', async () => {
    await seedSubscriber(ledger, 'meanwhile@example.nl');
    const lines: WorkerLogLine[] = [];
    const worker = new MailboxWorker(ledger, settings({ pollSeconds: 3600 }), { log: (l) => lines.push(l) });
    const running = worker.run();
    try {
      await waitFor(() => worker.isIdle, { what: 'the worker in IDLE' });
      await dovecot.kill();
      await waitFor(() => lines.some((l) => l.event === 'disconnected'), { what: "the worker's disconnected line" });
      // Delivered by the local delivery agent while the IMAP server is down.
      dovecot.dropIntoMaildir(rawMail({ messageId: '<meanwhile@x>', from: 'meanwhile@example.nl', subject: 'Afmelden' }));
      await dovecot.restart();
      await waitFor(() => lines.some((l) => l.event === 'mail' && l.messageId === '<meanwhile@x>'), { what: 'the mail delivered while Dovecot was down, handled' });
    } finally {
      await worker.stop();
      await running;
    }
    expect(lines.map((l) => l.event).filter((e) => e !== 'mail')).toEqual(expect.arrayContaining(['connected', 'disconnected', 'connected', 'stopped']));
    expect(lines.find((l) => l.messageId === '<meanwhile@x>')).toMatchObject({ intent: 'unsubscribe', outcome: 'unsubscribed', folder: 'processed' });
    expect((await dovecot.messages('Processed')).map((m) => m.messageId)).toEqual(['<meanwhile@x>']);
  });
});

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

