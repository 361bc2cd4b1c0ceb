import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lastMailId, ledgerCli, mails, n8nLogTail, startTryOut, type SandboxMail, type TryOut, withScheduleAsWebhook } from './support/try-out';

// The maintenance sample (workflows/maintenance.json), end to end on a real n8n: every night
// Consent Ledger → Maintain carries out the erasures ended holds deferred, purges unconfirmed
// signups and expired invitations after 60 days and lists holds ending soon; the officer gets one
// mail with the counts (no purged address), and none when there is nothing to tell. Its Schedule
// Trigger is swapped for a Webhook of the same name (everything after it is the sample as it
// ships), so "tonight" runs at once. The ledger's clock is a fixed instant in CONSENT_CLOCK_FILE;
// the CLI sets the people up at an earlier --now: nothing here depends on today's date.

const SETUP = '2026-11-20T10:00:00.000Z';
const TONIGHT = '2027-01-23T02:00:00.000Z'; // 64 days on
const OFFICER = 'privacy-officer@example-shop.test';

const withNightlyRunByWebhook = () => withScheduleAsWebhook('maintenance.json', 'Every night', { path: 'e2e/maintenance', id: '0e2e0000-0000-4000-8000-0000000a1e7e' });

describe('the nightly retention maintenance (workflows/maintenance.json) on a real n8n', () => {
  let tryOut: TryOut;
  let clockDir: string;

  beforeAll(async () => {
    clockDir = mkdtempSync(path.join(tmpdir(), 'consent-clock-'));
    const clockFile = path.join(clockDir, 'ledger-clock.txt');
    writeFileSync(clockFile, TONIGHT);
    tryOut = await startTryOut({ workflows: [], extraWorkflows: [withNightlyRunByWebhook()], n8nEnv: { CONSENT_CLOCK_FILE: clockFile } });
  }, 20 * 60_000);

  afterAll(async () => {
    await tryOut?.stop();
    if (clockDir) rmSync(clockDir, { recursive: true, force: true });
  }, 120_000);

  async function runTonight(): Promise<SandboxMail[]> {
    const before = await lastMailId(tryOut);
    const response = await fetch(`${tryOut.n8n.baseUrl}/webhook/e2e/maintenance`);
    if (response.status !== 200) throw new Error(`the nightly run answered ${response.status}: ${await response.text()}; n8n: ${n8nLogTail(tryOut)}`);
    // The Webhook answers when the workflow has finished: its mail, if any, has been sent.
    return (await mails(tryOut)).filter((m) => m.id > before);
  }

  const cli = (args: string[]) => ledgerCli(tryOut, args, { now: SETUP });
  async function confirmedSignup(email: string) {
    const [r] = await cli(['request', email, '--signup', '--consent-text', 'Yes, keep me informed']);
    await cli(['confirm', r.confirmToken as string]);
  }

  test('nothing to tell: no mail, also with a confirmed person in the ledger', async () => {
    await confirmedSignup('vast@example.test');
    expect(await runTonight()).toEqual([]);
    expect(await ledgerCli(tryOut, ['check', 'vast@example.test'], { now: TONIGHT })).toEqual([expect.objectContaining({ allowed: true, status: 'confirmed' })]);
  });

  test('one mail to the officer: the unconfirmed signup purged (no address), the deferred erasure carried out, the hold ending soon listed', async () => {
    await cli(['request', 'wacht.nog@example.test', '--signup', '--consent-text', 'Yes, keep me informed']);
    await confirmedSignup('weg.later@example.test');
    await cli(['hold', 'weg.later@example.test', '--until', '2027-01-10', '--reason', 'invoices']);
    expect(await cli(['erase', 'weg.later@example.test'])).toEqual([expect.objectContaining({ outcome: 'suppressed' })]);
    await confirmedSignup('lid@example.test');
    await cli(['hold', 'lid@example.test', '--until', '2027-02-10', '--reason', 'warranty claim']);

    const sent = await runTonight();

    expect(sent.map((m) => [m.envelope.to, m.subject])).toEqual([[[OFFICER], 'Retention maintenance: 1 purged, 1 deferred erasure(s) carried out, 1 hold(s) ending soon']]);
    const text = sent[0].text;
    expect(text).toContain('Purged after 60 days (erased; a receipt without the address stays): 1');
    expect(text).toContain('- unconfirmed signups: 1');
    expect(text).toContain('- expired invitations: 0');
    expect(text).toContain('Retention holds that ended: 1 deferred erasure(s) carried out, 0 hold(s) released.');
    expect(text).toContain('- lid@example.test, until 2027-02-10: warranty claim');
    expect(text).not.toContain('wacht.nog');
    expect(text).not.toContain('weg.later');

    const exported = async (email: string) => (await ledgerCli(tryOut, ['export', email], { now: TONIGHT }))[0];
    expect(await exported('wacht.nog@example.test')).toEqual({ found: false });
    expect(await exported('weg.later@example.test')).toEqual({ found: false });
    expect(await exported('lid@example.test')).toMatchObject({ subject: { email: 'lid@example.test' } });
    expect(await exported('vast@example.test')).toMatchObject({ subject: { email: 'vast@example.test' } });
  });

  test('the next night: nothing left to purge; the hold still ends soon, so the officer is told again', async () => {
    const sent = await runTonight();
    expect(sent.map((m) => m.subject)).toEqual(['Retention maintenance: 0 purged, 0 deferred erasure(s) carried out, 1 hold(s) ending soon']);
  });
});
