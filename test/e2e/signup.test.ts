import type { Browser } from 'playwright-core';
import { launchChromium, watchDialogs } from '../support/browser';
import {
  ledgerCli,
  lastMailId,
  linkTo,
  mails,
  PERSON_USER_AGENT,
  SIGNUP_THANKS,
  screenshotPath,
  startTryOut,
  waitForMail,
  type TryOut,
} from './support/try-out';

// The webform double opt-in sample, end to end: a real n8n with this package installed the way
// n8n installs it, the sample workflow as it ships, the mail sandbox, and a person in Chromium.

const CONSENT_TEXT =
  'Yes, keep me informed: Example Shop may email me about new products and offers, about once a month. I can unsubscribe at any time with the link in every mail.';

async function check(tryOut: TryOut, email: string) {
  const [result] = await ledgerCli(tryOut, ['check', email]);
  return result as { allowed: boolean; status: string; reason: string };
}

describe('webform double opt-in (workflows/webform-double-opt-in.json) on a real n8n', () => {
  let tryOut: TryOut;
  let browser: Browser;

  beforeAll(async () => {
    tryOut = await startTryOut();
    browser = await launchChromium();
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await tryOut?.stop();
  }, 120_000);

  async function signUp(fields: { name: string; email: string; tick: boolean }, screenshot?: string) {
    const context = await browser.newContext({ userAgent: PERSON_USER_AGENT });
    const page = await context.newPage();
    const dialogs = watchDialogs(page);
    await page.goto(tryOut.urls.signupForm);
    const box = page.getByRole('checkbox', { name: 'Yes, keep me informed by email' });
    const tickedAtFirst = await box.isChecked();
    await page.getByRole('textbox', { name: 'Name' }).fill(fields.name);
    await page.getByRole('textbox', { name: 'Email' }).fill(fields.email);
    if (fields.tick) await box.check();
    if (screenshot) await page.screenshot({ path: screenshotPath(screenshot), fullPage: true });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText(SIGNUP_THANKS).waitFor();
    const thanks = await page.locator('body').innerText();
    await context.close();
    return { tickedAtFirst, thanks, dialogs };
  }

  test('the form shows the consent text and the privacy link, with the box unticked', async () => {
    const context = await browser.newContext({ userAgent: PERSON_USER_AGENT });
    const page = await context.newPage();
    await page.goto(tryOut.urls.signupForm);

    expect(await page.getByRole('checkbox', { name: 'Yes, keep me informed by email' }).isChecked()).toBe(false);
    expect(await page.locator('body').innerText()).toContain(CONSENT_TEXT);
    expect(await page.getByRole('link', { name: 'How Example Shop handles your data' }).getAttribute('href')).toBe('https://example-shop.test/privacy');
    await context.close();
  });

  test('without the tick: the same thank-you page, no mail, nothing in the ledger', async () => {
    const before = await lastMailId(tryOut);

    const { tickedAtFirst, thanks } = await signUp({ name: 'Piet Puk', email: 'piet@example.test', tick: false });

    expect(tickedAtFirst).toBe(false);
    expect(thanks).toContain('please check your inbox');
    // The signup with a tick below waits for its own mail; by then this one would have arrived too.
    await signUp({ name: 'Marker', email: 'marker@example.test', tick: true });
    await waitForMail(tryOut, { to: 'marker@example.test', after: before });
    expect((await mails(tryOut)).filter((m) => m.id > before && m.envelope.to.includes('piet@example.test'))).toEqual([]);
    expect(await check(tryOut, 'piet@example.test')).toMatchObject({ allowed: false, status: 'none' });
  });

  test('signup → mail → scanners change nothing → the person confirms → allowed, with evidence', async () => {
    const before = await lastMailId(tryOut);
    const { tickedAtFirst, thanks, dialogs } = await signUp({ name: 'Anna <b>Jansen</b>', email: 'Anna.Jansen@Example.test', tick: true }, 'signup-form');
    expect(tickedAtFirst).toBe(false);
    expect(thanks).toContain('please check your inbox');
    expect(dialogs).toEqual([]);

    // The confirmation mail, at the SMTP peer, with RFC 8058 headers.
    const mail = await waitForMail(tryOut, { to: 'anna.jansen@example.test', after: before });
    expect(mail.subject).toBe('Please confirm your subscription to Example Shop');
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.headers['list-unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/webhook\/consent\/unsubscribe\?token=u1\.[^>]+>, <mailto:privacy@example-shop\.test\?subject=unsubscribe%20u1\./);
    const confirmUrl = linkTo(mail, 'confirm');
    expect(await check(tryOut, 'anna.jansen@example.test')).toMatchObject({ allowed: false, status: 'optin' });

    // A mail scanner: GET and HEAD, no script. Both get the page; nothing changes.
    const get = await fetch(confirmUrl, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; SafeLinks scanner)' } });
    expect(get.status).toBe(200);
    expect(await get.text()).toContain('Yes, confirm');
    const head = await fetch(confirmUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('cache-control')).toBe('no-store');
    const scriptless = await browser.newContext({ javaScriptEnabled: false, userAgent: PERSON_USER_AGENT });
    const plain = await scriptless.newPage();
    await plain.goto(confirmUrl);
    await plain.getByRole('button', { name: 'Yes, confirm' }).waitFor();
    await plain.screenshot({ path: screenshotPath('confirm-page'), fullPage: true });
    await scriptless.close();
    expect(await check(tryOut, 'anna.jansen@example.test')).toMatchObject({ allowed: false, status: 'optin' });

    // The person opens the link: the page posts itself once it is shown.
    const context = await browser.newContext({ userAgent: PERSON_USER_AGENT });
    const page = await context.newPage();
    const personDialogs = watchDialogs(page);
    await page.goto(confirmUrl);
    await page.getByRole('heading', { name: 'Thank you: your subscription is confirmed' }).waitFor();
    expect(await page.locator('body').innerText()).toContain('Newsletter');
    await page.screenshot({ path: screenshotPath('done-page'), fullPage: true });
    await context.close();
    expect(personDialogs).toEqual([]);

    const allowed = await check(tryOut, 'anna.jansen@example.test');
    expect(allowed).toMatchObject({ allowed: true, status: 'confirmed', reason: 'consent' });

    // The evidence: the text she agreed to, her address (via the proxy's X-Forwarded-For) and browser.
    const [held] = (await ledgerCli(tryOut, ['export', 'anna.jansen@example.test'])) as Array<{
      subject: { name: string };
      events: Array<{ action: string; consentText: string | null; ip: string | null; userAgent: string | null; sourceKind: string }>;
    }>;
    expect(held.subject.name).toContain('Anna');
    const signup = held.events.find((e) => e.action === 'signup')!;
    const confirm = held.events.find((e) => e.action === 'confirm')!;
    expect(signup).toMatchObject({ consentText: CONSENT_TEXT, ip: '127.0.0.1', userAgent: PERSON_USER_AGENT, sourceKind: 'webform' });
    expect(confirm).toMatchObject({ consentText: CONSENT_TEXT, ip: '127.0.0.1', userAgent: PERSON_USER_AGENT, sourceKind: 'link' });
  });

  test('the confirm link works once: opening it again shows the neutral page and changes nothing', async () => {
    const before = await lastMailId(tryOut);
    await signUp({ name: 'Bram', email: 'bram@example.test', tick: true });
    const confirmUrl = linkTo(await waitForMail(tryOut, { to: 'bram@example.test', after: before }), 'confirm');
    const post = () =>
      fetch(confirmUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': PERSON_USER_AGENT }, body: '' });

    expect((await post()).status).toBe(200);
    const again = await post();

    // Opened again after confirming: the page says so (issue 10), and nothing changes.
    expect(again.status).toBe(200);
    expect(await check(tryOut, 'bram@example.test')).toMatchObject({ allowed: true, status: 'confirmed' });
  });

  test('a repeated signup gets the same page and no second mail (list-bombing guard)', async () => {
    const before = await lastMailId(tryOut);
    const first = await signUp({ name: 'Chris', email: 'chris@example.test', tick: true });
    await waitForMail(tryOut, { to: 'chris@example.test', after: before });

    const second = await signUp({ name: 'Chris', email: 'chris@example.test', tick: true });
    await signUp({ name: 'Marker', email: 'marker2@example.test', tick: true });
    await waitForMail(tryOut, { to: 'marker2@example.test', after: before });

    expect(second.thanks).toBe(first.thanks);
    expect((await mails(tryOut)).filter((m) => m.id > before && m.envelope.to.includes('chris@example.test'))).toHaveLength(1);
  });
});
