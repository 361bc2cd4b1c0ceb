import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import {
  LedgerClock,
  lastMailId,
  ledgerCli,
  mails,
  n8nLogTail,
  PERSON_USER_AGENT,
  REPO_ROOT,
  screenshotPath,
  startTryOut,
  type SandboxMail,
  type TryOut,
  withScheduleAsWebhook,
} from './support/try-out';

// The re-permission sample, end to end. Its daily Schedule Trigger is swapped for a Webhook of the
// same name (everything after it is the sample as it ships), so the test can run "this morning"
// at once; days pass on the ledger's clock (CONSENT_CLOCK_FILE, see LedgerClock), not by waiting.

const CSV = path.join(REPO_ROOT, 'workflows', 'contacts-sample.csv');
const EVERYONE = ['anna.jansen', 'bram.devries', 'carla.smit', 'daan.bakker', 'eva.visser', 'finn.mulder'].map((n) => `${n}@example.test`);

const withDailyRunByWebhook = () => withScheduleAsWebhook('re-permission.json', 'Every morning', { path: 'e2e/run-daily', id: '0e2e0000-0000-4000-8000-00000000da11' });

async function status(tryOut: TryOut, email: string) {
  const [result] = await ledgerCli(tryOut, ['check', email]);
  return result as { allowed: boolean; status: string; reason: string };
}

describe('re-permission of existing contacts (workflows/re-permission.json) on a real n8n', () => {
  let tryOut: TryOut;
  let clock: LedgerClock;
  let browser: Browser;
  let invitations: SandboxMail[] = [];

  beforeAll(async () => {
    clock = new LedgerClock(mkdtempSync(path.join(tmpdir(), 'consent-clock-')));
    tryOut = await startTryOut({
      workflows: ['workflows/unsubscribe-and-preferences.json'],
      extraWorkflows: [withDailyRunByWebhook()],
      n8nEnv: clock.env,
    });
    browser = await launchChromium();
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await tryOut?.stop();
  }, 120_000);

  async function runDailySchedule(): Promise<SandboxMail[]> {
    const before = await lastMailId(tryOut);
    const response = await fetch(`${tryOut.n8n.baseUrl}/webhook/e2e/run-daily`);
    if (response.status !== 200) throw new Error(`the daily run answered ${response.status}: ${await response.text()}; n8n: ${n8nLogTail(tryOut)}`);
    // The Webhook answers when the workflow has finished: every mail of the run has been sent.
    return (await mails(tryOut)).filter((m) => m.id > before);
  }

  test('the CSV upload imports everyone and invites only those the rules allow', async () => {
    // Finn asked to be erased earlier: only a keyed hash of his address is left.
    await ledgerCli(tryOut, ['erase', 'finn.mulder@example.test']);
    const before = await lastMailId(tryOut);

    const context = await browser.newContext({ userAgent: PERSON_USER_AGENT });
    const page = await context.newPage();
    await page.goto(tryOut.urls.repermissionForm);
    await page.locator('input[type=file]').setInputFiles(CSV);
    await page.screenshot({ path: screenshotPath('re-permission-form'), fullPage: true });
    await page.getByRole('button', { name: 'Import and invite' }).click();
    await page.getByText('Imported. The invitations went out').waitFor({ timeout: 60_000 });
    await context.close();

    // The form answers when the workflow has finished, so every invitation is in.
    invitations = (await mails(tryOut)).filter((m) => m.id > before);
    expect(invitations.map((m) => m.envelope.to).flat().sort()).toEqual(['anna.jansen@example.test', 'bram.devries@example.test']);
    for (const mail of invitations) {
      expect(mail.subject).toBe('Wilt u berichten van Example Shop blijven ontvangen?'); // locale nl from the CSV
      expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    }
    expect(await status(tryOut, 'anna.jansen@example.test')).toMatchObject({ status: 'invited' });
    expect(await status(tryOut, 'bram.devries@example.test')).toMatchObject({ status: 'invited' });
    expect(await status(tryOut, 'carla.smit@example.test')).toMatchObject({ status: 'unsubscribed', allowed: false });
    expect(await status(tryOut, 'daan.bakker@example.test')).toMatchObject({ status: 'confirmed', allowed: true });
    expect(await status(tryOut, 'eva.visser@example.test')).toMatchObject({ status: 'bounced', allowed: false });
    expect(await status(tryOut, 'finn.mulder@example.test')).toMatchObject({ status: 'none', allowed: false, reason: 'suppressed' });
  });

  test('Bram unsubscribes with one click (RFC 8058) and is never mailed again', async () => {
    const bram = invitations.find((m) => m.envelope.to.includes('bram.devries@example.test'))!;
    const target = /<(https?:[^>]+)>/.exec(bram.headers['list-unsubscribe'])![1];

    const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });

    expect(response.status).toBe(200);
    expect(await status(tryOut, 'bram.devries@example.test')).toMatchObject({ status: 'optout', allowed: false });
  });

  test('after 7 days the morning run reminds Anna only; after 14 days once more; then no more', async () => {
    expect(await runDailySchedule()).toEqual([]); // nothing is due on day 0

    clock.advanceDays(8); // Anna's invitation is due; Bram's is no longer pending
    const first = await runDailySchedule();
    expect(first.map((m) => [m.envelope.to, m.subject])).toEqual([[['anna.jansen@example.test'], 'Herinnering: wilt u berichten van Example Shop blijven ontvangen?']]);
    expect(await status(tryOut, 'anna.jansen@example.test')).toMatchObject({ status: 'reminded' });

    expect(await runDailySchedule()).toEqual([]); // the same day: not again

    clock.advanceDays(8);
    const second = await runDailySchedule();
    expect(second.map((m) => m.envelope.to)).toEqual([['anna.jansen@example.test']]);

    clock.advanceDays(8);
    expect(await runDailySchedule()).toEqual([]); // at most 2 reminders
    expect(await status(tryOut, 'anna.jansen@example.test')).toMatchObject({ status: 'reminded', allowed: false });
  });

  test('after 30 days without an answer the invitation expires, without a mail', async () => {
    clock.advanceDays(7); // 31 days since the invitation

    expect(await runDailySchedule()).toEqual([]);

    expect(await status(tryOut, 'anna.jansen@example.test')).toMatchObject({ status: 'expired', allowed: false });
  });

  test('nobody the rules exclude got any mail at all', async () => {
    const all = await mails(tryOut);
    const mailed = new Set(all.flatMap((m) => m.envelope.to));
    for (const address of EVERYONE.filter((a) => !a.startsWith('anna') && !a.startsWith('bram'))) expect(mailed.has(address)).toBe(false);
    expect(all.filter((m) => m.envelope.to.includes('bram.devries@example.test'))).toHaveLength(1); // the invitation only
    expect(all.filter((m) => m.envelope.to.includes('anna.jansen@example.test'))).toHaveLength(3); // invitation + 2 reminders
  });
});
