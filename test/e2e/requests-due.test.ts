import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixedClock } from '../../core/clock';
import { Ledger } from '../../core/ledger';
import { lastMailId, ledgerCli, mails, n8nLogTail, startTryOut, type SandboxMail, type TryOut, withScheduleAsWebhook } from './support/try-out';

// The requests-due sample (workflows/requests-due.json), end to end on a real n8n: every morning
// the privacy officer gets one mail listing what is overdue and what is due within 7 days, and
// nothing when nothing is due. Its Schedule Trigger is swapped for a Webhook of the same name
// (everything after it is the sample as it ships), so "this morning" runs at once. The ledger's
// clock is a fixed instant in CONSENT_CLOCK_FILE: nothing here depends on today's date.

const NOW = '2026-11-23T07:00:00.000Z';
const OFFICER = 'privacy-officer@example-shop.test';

const withDailyRunByWebhook = () => withScheduleAsWebhook('requests-due.json', 'Every morning', { path: 'e2e/requests-due', id: '0e2e0000-0000-4000-8000-00000000d0e5' });

describe('the morning mail of requests due (workflows/requests-due.json) on a real n8n', () => {
  let tryOut: TryOut;
  let clockDir: string;

  beforeAll(async () => {
    clockDir = mkdtempSync(path.join(tmpdir(), 'consent-clock-'));
    const clockFile = path.join(clockDir, 'ledger-clock.txt');
    writeFileSync(clockFile, NOW);
    tryOut = await startTryOut({ workflows: [], extraWorkflows: [withDailyRunByWebhook()], n8nEnv: { CONSENT_CLOCK_FILE: clockFile } });
  }, 20 * 60_000);

  afterAll(async () => {
    await tryOut?.stop();
    if (clockDir) rmSync(clockDir, { recursive: true, force: true });
  }, 120_000);

  async function runThisMorning(): Promise<SandboxMail[]> {
    const before = await lastMailId(tryOut);
    const response = await fetch(`${tryOut.n8n.baseUrl}/webhook/e2e/requests-due`);
    if (response.status !== 200) throw new Error(`the morning run answered ${response.status}: ${await response.text()}; n8n: ${n8nLogTail(tryOut)}`);
    // The Webhook answers when the workflow has finished: its mail, if any, has been sent.
    return (await mails(tryOut)).filter((m) => m.id > before);
  }

  /** A mail's request, recorded in the ledger as the mailbox worker records one (another process on the same ledger file). */
  async function mailRequest(messageId: string, kind: string, receivedAt: string, outcome: string, address: string) {
    if (tryOut.ledger.kind !== 'sqlite') throw new Error('this test uses the SQLite ledger');
    const { ledger } = await Ledger.open({ store: { kind: 'sqlite', path: tryOut.ledger.path }, settings: { secret: tryOut.ledger.secret }, clock: fixedClock(new Date(receivedAt)) });
    try {
      await ledger.recordRequest({ messageId, mailbox: 'INBOX', kind, receivedAt: new Date(receivedAt), address, outcome });
    } finally {
      await ledger.close();
    }
  }

  test('nothing due: no mail, also with answered requests in the register', async () => {
    expect(await ledgerCli(tryOut, ['erase', 'gone@example.test'], { now: NOW })).toEqual([expect.objectContaining({ outcome: 'not_found' })]);
    expect(await ledgerCli(tryOut, ['requests'], { now: NOW })).toEqual([expect.objectContaining({ kind: 'erase', status: 'closed' })]);

    expect(await runThisMorning()).toEqual([]);
  });

  test('one mail to the officer: the overdue request, then the one due within 7 days; not the later one', async () => {
    await mailRequest('<late-access@example.test>', 'access', '2026-10-10T09:00:00.000Z', 'awaiting_operator', 'kim@example.test'); // due 10 Nov
    await mailRequest('<soon-erase@example.test>', 'erase', '2026-10-28T09:00:00.000Z', 'awaiting_verification', 'lot@example.test'); // due 28 Nov
    await mailRequest('<later-unsubscribe@example.test>', 'unsubscribe', '2026-11-20T09:00:00.000Z', 'unproven', 'max@example.test'); // due 20 Dec

    const sent = await runThisMorning();

    expect(sent.map((m) => [m.envelope.to, m.subject])).toEqual([[[OFFICER], 'Requests register: 1 overdue, 1 due within 7 days']]);
    const text = sent[0].text;
    const overdue = text.indexOf('Overdue (1):');
    const dueSoon = text.indexOf('Due within 7 days (1):');
    expect(overdue).toBeGreaterThanOrEqual(0);
    expect(dueSoon).toBeGreaterThan(overdue);
    const late = text.indexOf('- access request <late-access@example.test> from kim@example.test (mail), received 2026-10-10, due 2026-11-10, outcome awaiting_operator');
    const soon = text.indexOf('- erase request <soon-erase@example.test> from lot@example.test (mail), received 2026-10-28, due 2026-11-28, outcome awaiting_verification');
    expect(late).toBeGreaterThan(overdue);
    expect(late).toBeLessThan(dueSoon);
    expect(soon).toBeGreaterThan(dueSoon);
    expect(text).not.toContain('later-unsubscribe');
    expect(text).not.toContain('gone@example.test');
  });

  test('extended and closed by the officer: nothing is due, no mail the next morning', async () => {
    const [extended] = await ledgerCli(tryOut, ['requests', 'extend', '<soon-erase@example.test>', '--reason', 'the person has not yet confirmed the verification link', '--operator', 'Eva de Vries'], { now: NOW });
    expect(extended).toMatchObject({ dueAt: '2027-01-28T09:00:00.000Z', extensionReason: 'the person has not yet confirmed the verification link', handledBy: 'Eva de Vries' });
    const [closed] = await ledgerCli(tryOut, ['requests', 'close', '<late-access@example.test>', '--note', 'export sent by registered letter'], { now: NOW });
    expect(closed).toMatchObject({ status: 'closed', closeNote: 'export sent by registered letter' });

    expect(await runThisMorning()).toEqual([]);
  });
});
