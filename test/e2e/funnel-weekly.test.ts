import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lastMailId, ledgerCli, n8nLogTail, startTryOut, waitForMail, type TryOut, withScheduleAsWebhook } from './support/try-out';

// The weekly funnel sample (workflows/consent-funnel-weekly.json), end to end on a real n8n: the
// privacy officer gets one mail with the consent funnel's picture attached (an SVG) and the
// campaigns' numbers in the text. Its Schedule Trigger is swapped for a Webhook of the same name
// (everything after it is the sample as it ships), so "this Monday" runs at once. The ledger's
// clock is a fixed instant in CONSENT_CLOCK_FILE: nothing here depends on today's date.

const NOW = '2026-11-23T07:00:00.000Z';
const OFFICER = 'privacy-officer@example-shop.test';

const withWeeklyRunByWebhook = () => withScheduleAsWebhook('consent-funnel-weekly.json', 'Every Monday', { path: 'e2e/funnel-weekly', id: '0e2e0000-0000-4000-8000-00000000f0e5' });

describe('the weekly consent funnel mail (workflows/consent-funnel-weekly.json) on a real n8n', () => {
  let tryOut: TryOut;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'consent-funnel-e2e-'));
    const clockFile = path.join(dir, 'ledger-clock.txt');
    writeFileSync(clockFile, NOW);
    tryOut = await startTryOut({ workflows: [], extraWorkflows: [withWeeklyRunByWebhook()], n8nEnv: { CONSENT_CLOCK_FILE: clockFile } });
  }, 20 * 60_000);

  afterAll(async () => {
    await tryOut?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('one mail to the officer: the picture attached as an SVG, the campaign and its numbers in the text', async () => {
    const csv = path.join(dir, 'contacts.csv');
    writeFileSync(csv, ['email;name;previously_mailed;topic', 'ann@example.test;Ann;ja;newsletter', 'bob@example.test;Bob;ja;newsletter'].join('\n'));
    await ledgerCli(tryOut, ['import', csv], { now: '2026-10-01T09:00:00.000Z' });
    const asked = await ledgerCli(tryOut, ['request', '--all-eligible', '--consent-text', 'Yes, keep me posted.'], { now: '2026-11-02T09:00:00.000Z' });
    expect(asked).toHaveLength(2);
    await ledgerCli(tryOut, ['confirm', String(asked[0].confirmToken)], { now: '2026-11-03T09:00:00.000Z' });

    const before = await lastMailId(tryOut);
    const response = await fetch(`${tryOut.n8n.baseUrl}/webhook/e2e/funnel-weekly`);
    if (response.status !== 200) throw new Error(`the weekly run answered ${response.status}: ${await response.text()}; n8n: ${n8nLogTail(tryOut)}`);
    const mail = await waitForMail(tryOut, { to: OFFICER, after: before, raw: true });

    expect(mail.subject).toBe('Consent funnel, week ending 2026-11-23');
    expect(mail.text).toContain('The consent funnel of the last 12 weeks (2026-08-31 to 2026-11-23) is attached as consent-funnel-2026-11-23.svg');
    expect(mail.text).toContain('- cli (newsletter, email): 2 asked, 0 reminded, 1 confirmed, 0 expired, 0 unsubscribed, 1 no answer yet');
    const raw = mail.raw ?? '';
    expect(raw).toMatch(/Content-Type: image\/svg\+xml; name=consent-funnel-2026-11-23\.svg/i);
    expect(raw).toMatch(/Content-Disposition: attachment; filename=consent-funnel-2026-11-23\.svg/i);
    // One mail, not one per item of numbers.
    const after = await lastMailId(tryOut);
    expect(after - before).toBe(1);
  });
});
