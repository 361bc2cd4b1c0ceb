import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { Ledger } from '../../core/ledger';
import { openStore } from '../../core/store/open';
import { launchChromium } from '../support/browser';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { lastMailId, linkTo, PERSON_USER_AGENT, SIGNUP_THANKS, startTryOut, waitForMail, type TryOut } from './support/try-out';

// CONSENT_POSTGRES_URL: the try-out's Consent Ledger credential points at PostgreSQL instead of
// the SQLite file, and the webform sample works the same on it.

describe('the try-out on a PostgreSQL ledger (CONSENT_POSTGRES_URL)', () => {
  let cluster: PostgresCluster;
  let url: string;
  let tryOut: TryOut;
  let browser: Browser;

  beforeAll(async () => {
    cluster = await startPostgres({ settings: { fsync: 'off' } });
    url = cluster.url(await cluster.createDatabase());
    tryOut = await startTryOut({ workflows: ['workflows/webform-double-opt-in.json'], postgresUrl: url });
    browser = await launchChromium();
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await tryOut?.stop();
    await cluster?.stop();
  }, 120_000);

  test('signup and confirmation land in PostgreSQL, and nowhere else', async () => {
    const before = await lastMailId(tryOut);
    const context = await browser.newContext({ userAgent: PERSON_USER_AGENT });
    const page = await context.newPage();
    await page.goto(tryOut.urls.signupForm);
    await page.getByRole('textbox', { name: 'Email' }).fill('pg@example.test');
    await page.getByRole('checkbox', { name: 'Yes, keep me informed by email' }).check();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText(SIGNUP_THANKS).waitFor();
    const mail = await waitForMail(tryOut, { to: 'pg@example.test', after: before });
    await page.goto(linkTo(mail, 'confirm'));
    await page.getByRole('heading', { name: 'Thank you: your subscription is confirmed' }).waitFor();
    await context.close();

    const ledger = new Ledger(await openStore({ kind: 'postgres', url, poolSize: 1 }), { secret: tryOut.ledger.secret });
    try {
      const [result] = await ledger.check([{ email: 'pg@example.test', topic: 'newsletter', channel: 'email' }]);
      expect(result).toMatchObject({ allowed: true, status: 'confirmed' });
    } finally {
      await ledger.close();
    }
    expect(tryOut.ledger.kind).toBe('postgres');
    expect(existsSync(path.join(tryOut.dir, 'consent-ledger.sqlite'))).toBe(false);
  });
});
