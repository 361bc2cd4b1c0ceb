import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RequestItemSchema } from '../../../core/ledger';
import { parseInput } from '../../../core/validation';
import { launchChromium, watchDialogs, inkShare } from '../../support/browser';
import { tempLedger } from '../../support/ledger';
import { startLinkServer, type LinkServer } from '../../support/link-server';
import { PAGE_OPTIONS } from './fixtures';

/**
 * The access page (GDPR Art. 15) in a real browser (Debian's headless Chromium) against the test
 * harness server and a real ledger: the person opens the link from their mail, reads what is held
 * (the consent text shown as text, whatever it contains), downloads the same as JSON; a dead link
 * shows nothing of theirs.
 */
const SCREENSHOTS = join(__dirname, '..', '..', '..', 'test-output', 'screenshots');
const PHONE = { width: 390, height: 844 };
const HOSTILE_TEXT = 'Ja, stuur mij de nieuwsbrief <img src=x onerror="alert(1)"> & "acties" van Voorbeeld BV.';

let browser: Browser;
let t: Awaited<ReturnType<typeof tempLedger>>;
let server: LinkServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  t = await tempLedger();
  server = await startLinkServer({ ledger: t.ledger, pageOptions: PAGE_OPTIONS });
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await server?.close();
  await t?.dispose();
});

async function openPage(): Promise<{ page: Page; dialogs: string[] }> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'nl-NL', acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  return { page, dialogs: watchDialogs(page) };
}

async function person(email: string, consentText: string) {
  const [asked] = await t.ledger.request(
    [parseInput(RequestItemSchema, { email, name: 'Mia', locale: 'nl', topics: ['newsletter'], consentText, evidence: { actor: { kind: 'person' }, source: { kind: 'webform', ref: 'https://example.nl/aanmelden' }, ip: '203.0.113.7' } })],
    'signup',
  );
  await t.ledger.confirm(asked.confirmToken!, { actor: { kind: 'person' }, source: { kind: 'link' }, ip: '203.0.113.8' });
}

test('the person reads their data on a phone: not blank, the consent text shown as text, no script ran; the JSON download holds the same', async () => {
  await person('mia@example.nl', HOSTILE_TEXT);
  await person('bob@example.nl', 'Bob zegt ja');
  const link = await t.ledger.issueAccessLink({ email: 'mia@example.nl' });
  if (!link.found) throw new Error('not found');

  const { page, dialogs } = await openPage();
  const response = await page.goto(server.link('access', link.token));
  expect(response?.status()).toBe(200);
  expect((await page.locator('h1').innerText()).trim()).toBe('De gegevens die we van je hebben');
  expect(await page.getByText('mia@example.nl').count()).toBeGreaterThan(0);
  // The text the person agreed to, exactly as stored: its markup is shown, not run.
  expect((await page.locator('q.consent-text').innerText()).trim()).toBe(HOSTILE_TEXT);
  expect(await page.locator('main img').count()).toBe(0);
  expect(await page.getByText('bob@example.nl').count()).toBe(0);
  expect(await page.locator('form, button').count()).toBe(0);
  expect((await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')) === true).toBe(true);
  const png = await page.screenshot({ path: join(SCREENSHOTS, 'access-page.png'), fullPage: true });
  expect(await inkShare(browser, png, 'dark')).toBeGreaterThan(0.005);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('Alles downloaden als bestand (JSON)').click()]);
  expect(download.suggestedFilename()).toBe('personal-data.json');
  const saved = join(t.dir, 'download.json');
  await download.saveAs(saved);
  const data = JSON.parse(readFileSync(saved, 'utf8'));
  expect(data.person).toMatchObject({ email: 'mia@example.nl', name: 'Mia' });
  expect(data.consents).toEqual([expect.objectContaining({ topic: 'newsletter', status: 'confirmed', consentText: HOSTILE_TEXT })]);
  expect(data.history.find((e: { action: string }) => e.action === 'signup').evidence).toMatchObject({ ip: '203.0.113.7', sourceRef: 'https://example.nl/aanmelden' });
  expect(JSON.stringify(data)).not.toContain('bob@example.nl');
  expect(dialogs).toEqual([]);
  // Reading changed nothing: only GETs reached the server.
  expect(server.answers.every((a) => a.method === 'GET' && a.result.outcome === 'shown')).toBe(true);
});

test('an expired or a forged access link shows no data', async () => {
  await person('mia@example.nl', HOSTILE_TEXT);
  const link = await t.ledger.issueAccessLink({ email: 'mia@example.nl' });
  if (!link.found) throw new Error('not found');
  const { page } = await openPage();

  const forged = link.token.slice(0, -5) + (link.token.slice(-5) === 'AAAAA' ? 'QAAAA' : 'AAAAA');
  expect((await page.goto(server.link('access', forged)))?.status()).toBe(404);
  expect((await page.locator('h1').innerText()).trim()).toBe('Deze link werkt niet');
  expect(await page.content()).not.toContain('mia@example.nl');

  t.clock.advanceDays(8);
  expect((await page.goto(server.link('access', link.token)))?.status()).toBe(410);
  expect((await page.locator('h1').innerText()).trim()).toBe('Deze link is verlopen');
  expect(await page.content()).not.toContain('mia@example.nl');
  expect(await page.content()).not.toContain('nieuwsbrief');
  await page.screenshot({ path: join(SCREENSHOTS, 'access-expired.png'), fullPage: true });
});
