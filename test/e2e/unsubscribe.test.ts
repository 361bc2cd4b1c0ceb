import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium, watchDialogs } from '../support/browser';
import {
  lastMailId,
  ledgerCheck,
  ledgerCli,
  linkTo,
  PERSON_USER_AGENT,
  SIGNUP_THANKS,
  screenshotPath,
  startTryOut,
  waitForMail,
  type SandboxMail,
  type TryOut,
} from './support/try-out';

// The unsubscribe-and-preferences sample, end to end, with the webform sample to sign people up:
// the one-click POST a mail client makes from the List-Unsubscribe-Post header, the unsubscribe
// page, and the preferences page changing one topic of two.

const check = ledgerCheck;

describe('unsubscribe and preferences (workflows/unsubscribe-and-preferences.json) on a real n8n', () => {
  let tryOut: TryOut;
  let browser: Browser;
  let person: BrowserContext;

  beforeAll(async () => {
    tryOut = await startTryOut({ workflows: ['workflows/webform-double-opt-in.json', 'workflows/unsubscribe-and-preferences.json'] });
    browser = await launchChromium();
  }, 20 * 60_000);

  beforeEach(async () => {
    person = await browser.newContext({ userAgent: PERSON_USER_AGENT });
  });

  afterEach(async () => {
    await person?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await tryOut?.stop();
  }, 120_000);

  /** Signs up through the sample form and confirms through the sample confirm link. */
  async function subscribed(email: string): Promise<SandboxMail> {
    const before = await lastMailId(tryOut);
    const page = await person.newPage();
    await page.goto(tryOut.urls.signupForm);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('checkbox', { name: 'Yes, keep me informed by email' }).check();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText(SIGNUP_THANKS).waitFor();
    const mail = await waitForMail(tryOut, { to: email, after: before });
    await page.goto(linkTo(mail, 'confirm'));
    await page.getByRole('heading', { name: 'Thank you: your subscription is confirmed' }).waitFor();
    await page.close();
    expect(await check(tryOut, email)).toMatchObject({ allowed: true, status: 'confirmed' });
    return mail;
  }

  test("a mail client's one-click unsubscribe (the sandbox inbox's button) unsubscribes; a GET of the link did not", async () => {
    const mail = await subscribed('olga@example.test');
    const target = /<(https?:[^>]+)>/.exec(mail.headers['list-unsubscribe'])![1];
    const scanned = await fetch(target);
    expect(scanned.status).toBe(200);
    expect(await check(tryOut, 'olga@example.test')).toMatchObject({ allowed: true, status: 'confirmed' });

    // The inbox page's button makes the RFC 8058 POST, as Gmail's does: body List-Unsubscribe=One-Click.
    const inbox = await person.newPage();
    await inbox.goto(`${tryOut.sandbox.inboxUrl}mail/${mail.id}`);
    await inbox.getByRole('button', { name: /^Unsubscribe \(one click/ }).click();
    await inbox.getByRole('heading', { name: 'One-click unsubscribe done' }).waitFor();
    expect(await inbox.locator('body').innerText()).toContain('got HTTP 200');

    expect(await check(tryOut, 'olga@example.test')).toMatchObject({ allowed: false, status: 'unsubscribed' });
  });

  test('the unsubscribe page: a button, then the done page', async () => {
    const mail = await subscribed('piet@example.test');
    const page = await person.newPage();
    const dialogs = watchDialogs(page);

    // The https address of List-Unsubscribe: what a mail client without one-click opens.
    await page.goto(/<(https?:[^>]+)>/.exec(mail.headers['list-unsubscribe'])![1]);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();

    expect(dialogs).toEqual([]);
    expect(await check(tryOut, 'piet@example.test')).toMatchObject({ allowed: false, status: 'unsubscribed' });
  });

  test('the preferences page changes the one topic unticked, and nothing else', async () => {
    // Two topics: asked by the CLI (links below the try-out's webhook URL), confirmed through n8n.
    const [requested] = (await ledgerCli(tryOut, [
      'request',
      'carla@example.test',
      '--signup',
      '--topic',
      'newsletter',
      '--topic',
      'events',
      '--consent-text',
      'Yes, Example Shop may email me about news and events.',
      '--base-url',
      `${tryOut.n8n.baseUrl}/webhook/consent`,
    ])) as Array<{ confirmUrl: string; preferencesUrl: string }>;
    const page = await person.newPage();
    await page.goto(requested.confirmUrl);
    await page.getByRole('heading', { name: 'Thank you: your subscription is confirmed' }).waitFor();
    expect(await check(tryOut, 'carla@example.test', 'events')).toMatchObject({ allowed: true });

    await page.goto(requested.preferencesUrl);
    const newsletter = page.getByRole('checkbox', { name: 'Newsletter' });
    const events = page.getByRole('checkbox', { name: 'Events' });
    expect([await newsletter.isChecked(), await events.isChecked()]).toEqual([true, true]);
    await events.uncheck();
    await page.screenshot({ path: screenshotPath('preferences-page'), fullPage: true });
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByRole('heading', { name: 'Your preferences are saved' }).waitFor();

    expect(await check(tryOut, 'carla@example.test', 'events')).toMatchObject({ allowed: false, status: 'unsubscribed' });
    expect(await check(tryOut, 'carla@example.test', 'newsletter')).toMatchObject({ allowed: true, status: 'confirmed' });
  });
});
