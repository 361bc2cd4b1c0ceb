import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium, watchDialogs } from '../support/browser';
import { lastMailId, ledgerCheck, ledgerCli, mails, n8nLogTail, PERSON_USER_AGENT, screenshotPath, startTryOut, waitForMail, type SandboxMail, type TryOut } from './support/try-out';

// The privacy request form sample (workflows/privacy-request.json), imported, published and run on
// a real n8n: a person asks on the page, gets the link by mail (the sandbox), confirms with the
// button. The same answer for a known and an unknown address, one mail each, none for a repeat.

const check = ledgerCheck;

describe('the privacy request form (workflows/privacy-request.json) on a real n8n', () => {
  let tryOut: TryOut;
  let browser: Browser;
  let person: BrowserContext;

  beforeAll(async () => {
    tryOut = await startTryOut({ workflows: ['workflows/privacy-request.json'] });
    browser = await launchChromium();
    for (const email of ['carla@example.test', 'dirk@example.test']) {
      await ledgerCli(tryOut, ['request', email, '--signup', '--topic', 'newsletter', '--consent-text', 'Yes, Example Shop may email me.', '--base-url', `${tryOut.n8n.baseUrl}/webhook/consent`]);
    }
  }, 20 * 60_000);

  beforeEach(async () => {
    person = await browser.newContext({ userAgent: PERSON_USER_AGENT, locale: 'en-GB' });
  });
  afterEach(async () => {
    await person?.close();
  });
  afterAll(async () => {
    await browser?.close();
    await tryOut?.stop();
  }, 120_000);

  const submit = (email: string, choice: string) =>
    fetch(tryOut.urls.privacyRequest, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' }, body: new URLSearchParams({ choice, email }) });

  async function confirmationLink(email: string, after: number): Promise<{ mail: SandboxMail; link: string }> {
    const mail = await waitForMail(tryOut, { to: email, after });
    const link = mail.links.find((l) => new URL(l).pathname.endsWith('/privacy'));
    if (!link) throw new Error(`no privacy link in "${mail.subject}": ${mail.links.join(' ')}`);
    return { mail, link };
  }

  test('stop all mail: the form, the neutral answer, the mailed link, the button; GET changed nothing, a second POST neither', async () => {
    const before = await lastMailId(tryOut);
    const page = await person.newPage();
    const dialogs = watchDialogs(page);
    const response = await page.goto(tryOut.urls.privacyRequest);
    expect(response?.status()).toBe(200);
    await page.getByLabel('Stop all mail').check();
    await page.getByLabel('Your email address').fill('carla@example.test');
    await page.screenshot({ path: screenshotPath('privacy-request-form'), fullPage: true });
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: 'Check your mail' }).waitFor();

    const { mail, link } = await confirmationLink('carla@example.test', before);
    expect(mail.subject).toBe('Please confirm your request to Example Shop');
    await page.goto(link);
    await page.getByRole('heading', { name: 'Confirm your request' }).waitFor();
    expect(await check(tryOut, 'carla@example.test')).toMatchObject({ status: 'optin' });
    await page.getByRole('button', { name: 'Stop all mail' }).click();
    await page.getByText('You will receive no more mail from Example Shop.').waitFor();
    await page.screenshot({ path: screenshotPath('privacy-request-done'), fullPage: true });
    const after = await check(tryOut, 'carla@example.test');
    expect(after.allowed).toBe(false);
    expect(after.status).not.toBe('optin');

    const token = new URL(link).searchParams.get('token')!;
    const again = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' }, body: new URLSearchParams({ token }) });
    expect(await again.text()).toContain('This request has already been carried out');
    expect(dialogs).toEqual([]);
  });

  test('no enumeration: a known and an unknown address get the same bytes back and one mail each; a repeat within the hour gets none', async () => {
    const before = await lastMailId(tryOut);
    const known = await submit('dirk@example.test', 'access');
    const unknown = await submit('nobody@example.test', 'access');
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const [knownText, unknownText] = [await known.text(), await unknown.text()];
    expect(unknownText).toBe(knownText);
    const repeat = await submit('nobody@example.test', 'erase');
    expect(await repeat.text()).toBe(knownText);
    // A fresh address after the repeat: its mail arriving means the repeat's would have arrived before it.
    await submit('third@example.test', 'access');
    await waitForMail(tryOut, { to: 'third@example.test', after: before });
    const sent = (await mails(tryOut)).filter((m) => m.id > before);
    expect(sent.map((m) => m.envelope.to[0])).toEqual(['dirk@example.test', 'nobody@example.test', 'third@example.test']);
    expect(sent[1].links.some((l) => l.includes('/privacy?token='))).toBe(false);
    expect(sent[1].text).toContain('We hold no data about you');
  });

  test('a repeat for a known address within the resend window mails nothing; see my data leads to the access page; the register has each request', async () => {
    const before = await lastMailId(tryOut);
    const page = await person.newPage();
    await page.goto(tryOut.urls.privacyRequest);
    await page.getByLabel('Erase my data').check();
    await page.getByLabel('Your email address').fill('dirk@example.test');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
    // dirk asked (see my data) in the test before, within the resend window: this one mails nothing.
    await submit('fourth@example.test', 'access');
    await waitForMail(tryOut, { to: 'fourth@example.test', after: before });
    expect((await mails(tryOut)).filter((m) => m.id > before).map((m) => m.envelope.to[0])).toEqual(['fourth@example.test']);

    // The link from dirk's first mail still works for what he asked then (see my data): it leads to the access page.
    const first = (await mails(tryOut, { to: 'dirk@example.test' })).at(-1)!;
    const link = first.links.find((l) => new URL(l).pathname.endsWith('/privacy'))!;
    await page.goto(link);
    await page.getByRole('button', { name: 'Show my data' }).click();
    const access = page.getByRole('link', { name: 'Show my data' });
    await access.waitFor();
    expect(await access.getAttribute('href')).toMatch(/^access\?token=a1\./);

    const register = (await ledgerCli(tryOut, ['requests'])).filter((r) => r.channel === 'form');
    expect(register.map((r) => [r.kind, r.outcome, r.address])).toEqual(
      expect.arrayContaining([
        ['unsubscribe', 'unsubscribed', 'carla@example.test'],
        ['access', 'answered', 'dirk@example.test'],
        ['access', 'not_found', 'nobody@example.test'],
      ]),
    );
    if (register.length === 0) throw new Error(`no form requests; n8n: ${n8nLogTail(tryOut)}`);
  });
});
