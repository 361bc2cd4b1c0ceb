import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { privacyRequestMail } from '../../../core/inbox';
import { MailSender } from '../../../core/mail/send';
import { launchChromium, watchDialogs } from '../../support/browser';
import { tempLedger } from '../../support/ledger';
import { startLinkServer, type LinkServer } from '../../support/link-server';
import { SmtpPeer } from '../../support/smtp-peer';
import { PAGE_OPTIONS, statusOf, subscribed } from './fixtures';

/**
 * The privacy request form in a real browser (Debian's headless Chromium) against the test harness
 * server, a real ledger and the SMTP peer: a person picks what they want, types the address, and
 * confirms from the mail; the answer never tells whether the address is known; markup typed in
 * stays text.
 */
const SCREENSHOTS = join(__dirname, '..', '..', '..', 'test-output', 'screenshots');
const PHONE = { width: 390, height: 844 };

let browser: Browser;
let peer: SmtpPeer;
let sender: MailSender;
let t: Awaited<ReturnType<typeof tempLedger>>;
let server: LinkServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  peer = await SmtpPeer.start();
  sender = new MailSender({ ...peer.settings(), pool: false });
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  sender?.close();
  await peer?.stop();
  await browser?.close();
});
beforeEach(async () => {
  t = await tempLedger();
  peer.received.length = 0;
  server = await startLinkServer({ ledger: t.ledger, pageOptions: PAGE_OPTIONS });
  server.settings.hooks = {
    mailPrivacyRequest: async (plan) => {
      await sender.send(privacyRequestMail(plan, { mailbox: 'privacy request form', replyFrom: 'Voorbeeld BV <privacy@example.nl>', organisation: 'Voorbeeld BV', baseUrl: server.baseUrl, defaultLocale: 'en' }));
    },
  };
  await subscribed(t.ledger, { email: 'mia@example.nl', name: 'Mia', locale: 'nl' });
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await server?.close();
  await t?.dispose();
});

async function openPage(locale = 'nl-NL'): Promise<{ page: Page; dialogs: string[] }> {
  const context = await browser.newContext({ viewport: PHONE, locale });
  contexts.push(context);
  const page = await context.newPage();
  return { page, dialogs: watchDialogs(page) };
}

async function ask(page: Page, choice: string, email: string): Promise<string> {
  await page.goto(`${server.baseUrl}/privacy`);
  await page.getByLabel(choice).check();
  await page.getByLabel('Je e-mailadres').fill(email);
  const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Verzoek versturen' }).click()]);
  return (await response!.text()) ?? '';
}

const linkIn = (text: string) => /http:\/\/127\.0\.0\.1:\d+\/webhook\/privacy\?token=\S+/.exec(text)?.[0] ?? null;

test('stop all mail: the form, the neutral answer, the link from the mail, the button; screenshots of each', async () => {
  const { page, dialogs } = await openPage();
  await page.goto(`${server.baseUrl}/privacy`);
  expect((await page.locator('h1').innerText()).trim()).toBe('Je gegevens en onze mail');
  await page.screenshot({ path: join(SCREENSHOTS, 'privacy-form.png'), fullPage: true });
  await ask(page, 'Geen mail meer', 'mia@example.nl');
  expect((await page.locator('h1').innerText()).trim()).toBe('Kijk in je mail');
  await page.screenshot({ path: join(SCREENSHOTS, 'privacy-sent.png'), fullPage: true });
  expect(peer.received.map((m) => m.to)).toEqual([['mia@example.nl']]);
  const url = linkIn(peer.received[0].parsed.text ?? '')!;
  expect(url).not.toBeNull();

  await page.goto(url);
  expect((await page.locator('h1').innerText()).trim()).toBe('Bevestig je verzoek');
  await page.screenshot({ path: join(SCREENSHOTS, 'privacy-confirm.png'), fullPage: true });
  expect(await statusOf(t.ledger, 'mia@example.nl')).toBe('confirmed'); // the GET changed nothing
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Geen mail meer' }).click()]);
  expect(await page.locator('main').innerText()).toContain('Je krijgt geen mail meer van Voorbeeld BV.');
  await page.screenshot({ path: join(SCREENSHOTS, 'privacy-done.png'), fullPage: true });
  expect(await statusOf(t.ledger, 'mia@example.nl')).toBe('unsubscribed');
  // The link opened again shows no button any more; a second POST (a double click, a replay) changes nothing and says so.
  await page.goto(url);
  expect(await page.locator('main').innerText()).toContain('Dit verzoek is al uitgevoerd');
  expect(await page.locator('button').count()).toBe(0);
  const token = new URL(url).searchParams.get('token')!;
  const again = await page.request.post(url, { form: { token }, headers: { 'accept-language': 'nl-NL' } });
  expect(await again.text()).toContain('Dit verzoek is al uitgevoerd');
  expect(server.answers.filter((a) => a.result.action === 'privacy_confirm').map((a) => a.result.outcome)).toEqual(['unsubscribed', 'already_done']);
  expect(dialogs).toEqual([]);
});

test('no enumeration: a known and an unknown address get the same page, byte for byte, and one mail each; a repeat mails nothing', async () => {
  const { page } = await openPage();
  const known = await ask(page, 'Mijn gegevens inzien', 'mia@example.nl');
  const unknown = await ask(page, 'Mijn gegevens inzien', 'niemand@example.nl');
  expect(unknown).toBe(known);
  const repeat = await ask(page, 'Mijn gegevens verwijderen', 'niemand@example.nl');
  expect(repeat).toBe(known);
  expect(peer.received.map((m) => m.to[0])).toEqual(['mia@example.nl', 'niemand@example.nl']);
  expect(linkIn(peer.received[1].parsed.text ?? '')).toBeNull();
  expect(peer.received[1].parsed.text).toContain('geen gegevens');
});

test('see my data from the form: the confirm button leads to the access page', async () => {
  const { page } = await openPage();
  await ask(page, 'Mijn gegevens inzien', 'mia@example.nl');
  await page.goto(linkIn(peer.received[0].parsed.text ?? '')!);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Toon mijn gegevens' }).click()]);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Toon mijn gegevens' }).click()]);
  expect((await page.locator('h1').innerText()).trim()).toBe('De gegevens die we van je hebben');
  expect(await page.getByText('mia@example.nl').count()).toBeGreaterThan(0);
});

test('markup typed as the address stays text; the browser runs nothing and nothing is mailed', async () => {
  const { page, dialogs } = await openPage();
  await page.goto(`${server.baseUrl}/privacy`);
  // The browser's own check would stop it: the form is posted as a script-less client would.
  const hostile = '"><img src=x onerror=alert(1)>@example.nl';
  const response = await page.request.post(`${server.baseUrl}/privacy`, { form: { choice: 'access', email: hostile }, headers: { 'accept-language': 'nl-NL' } });
  expect(response.status()).toBe(400);
  await page.setContent(await response.text());
  expect(await page.locator('input[type=email]').inputValue()).toBe(hostile);
  expect(await page.locator('main img').count()).toBe(0);
  expect(await page.locator('[role=alert]').innerText()).toContain('Vul een geldig e-mailadres in');
  await page.screenshot({ path: join(SCREENSHOTS, 'privacy-invalid.png'), fullPage: true });
  expect(dialogs).toEqual([]);
  expect(peer.received).toEqual([]);
});
