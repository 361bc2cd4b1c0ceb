import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { renderConfirmPage } from '../../../core/pages/confirm';
import { pageHeaders } from '../../../core/pages/handle';
import { PageOptionsSchema } from '../../../core/pages/options';
import { pageContext } from '../../../core/pages/render';
import { launchChromium, watchDialogs } from '../../support/browser';
import { tempLedger } from '../../support/ledger';
import { startLinkServer, type LinkServer } from '../../support/link-server';
import { eraseVerification, PAGE_OPTIONS, signup, statusOf, subscribed } from './fixtures';

/**
 * The link pages in a real browser (Debian's headless Chromium) against the test harness server
 * and a real ledger on a temp SQLite file: what a mail scanner and a person each do with a link.
 */

const SCREENSHOTS = join(__dirname, '..', '..', '..', 'test-output', 'screenshots');
const PHONE = { width: 390, height: 844 };
const PERSON_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36 pages-test';
/** The CSP n8n puts on HTML its webhooks answer with (n8n-core html-sandbox.js, getHtmlSandboxCSP). */
const N8N_SANDBOX_CSP =
  'sandbox allow-downloads allow-forms allow-modals allow-orientation-lock allow-pointer-lock allow-popups allow-popups-to-escape-sandbox allow-presentation allow-scripts allow-top-navigation-by-user-activation allow-top-navigation-to-custom-protocols';

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

async function openPage(options: BrowserContextOptions = {}): Promise<{ page: Page; dialogs: string[] }> {
  const context = await browser.newContext({ viewport: PHONE, userAgent: PERSON_UA, locale: 'en-GB', ...options });
  contexts.push(context);
  const page = await context.newPage();
  return { page, dialogs: watchDialogs(page) };
}

async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').innerText()).trim();
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** One column on a phone: nothing wider than the screen. */
async function fitsThePhone(page: Page): Promise<boolean> {
  // A string: this code runs in the page, and the project's TypeScript has no DOM types.
  return (await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')) === true;
}

async function confirmEvents(email: string) {
  return (await t.ledger.export({ email }))!.events.filter((e) => e.action === 'confirm' && !e.purpose); // the topics' (e-marketing's own follows)
}

describe('what a mail scanner does changes nothing', () => {
  test('plain GET and HEAD of every link (fetch, no browser)', async () => {
    const { confirmToken, unsubscribeToken } = await signup(t.ledger, { email: 'anna@example.nl' });
    const eraseToken = await eraseVerification(t.ledger, 'anna@example.nl');
    const links = [
      server.link('confirm', confirmToken),
      server.link('unsubscribe', unsubscribeToken),
      server.link('preferences', unsubscribeToken),
      server.link('erase', eraseToken),
    ];
    for (const link of links) {
      for (const method of ['GET', 'HEAD']) {
        const response = await fetch(link, { method, headers: { 'User-Agent': 'Microsoft Office Safe Links scanner' } });
        expect([link.split('?')[0].split('/').pop(), method, response.status]).toEqual([link.split('?')[0].split('/').pop(), method, 200]);
        const body = await response.text();
        expect(body === '').toBe(method === 'HEAD');
      }
    }
    expect(await statusOf(t.ledger, 'anna@example.nl')).toBe('optin');
    const exported = (await t.ledger.export({ email: 'anna@example.nl' }))!;
    expect(exported.events.map((e) => e.action)).toEqual(['signup']);
    expect(server.answers.map((a) => a.result.action)).toEqual(Array(8).fill('show'));
  });

  test('Chromium with JavaScript off: the confirm page shows its button and confirms nothing until it is pressed', async () => {
    const { confirmToken } = await signup(t.ledger, { email: 'anna@example.nl' });
    const { page } = await openPage({ javaScriptEnabled: false });
    const response = await page.goto(server.link('confirm', confirmToken));
    expect(response!.status()).toBe(200);
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('button', { name: 'Yes, confirm' }).isVisible()).toBe(true);
    expect(await page.getByText('Confirming…').isVisible()).toBe(false);
    expect(server.answers.map((a) => a.method)).toEqual(['GET']);
    expect(await statusOf(t.ledger, 'anna@example.nl')).toBe('optin');
    await screenshot(page, 'confirm-en-script-off');

    // A person without script presses the button: that POST confirms.
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Yes, confirm' }).click()]);
    expect(await heading(page)).toBe('Thank you: your subscription is confirmed');
    expect(await statusOf(t.ledger, 'anna@example.nl')).toBe('confirmed');
  });
});

describe('a person confirms', () => {
  test('script on: confirmed without a click; the evidence holds IP and user agent', async () => {
    const { confirmToken } = await signup(t.ledger, { email: 'anna@example.nl', topics: ['newsletter', 'events'] });
    const { page, dialogs } = await openPage();
    await page.goto(server.link('confirm', confirmToken));
    await page.getByRole('heading', { name: 'Thank you: your subscription is confirmed' }).waitFor();
    expect(server.answers.map((a) => `${a.method} ${a.result.action} ${a.result.outcome}`)).toEqual(['GET show shown', 'POST confirm confirmed']);
    expect(await statusOf(t.ledger, 'anna@example.nl', 'newsletter')).toBe('confirmed');
    expect(await statusOf(t.ledger, 'anna@example.nl', 'events')).toBe('confirmed');
    const events = await confirmEvents('anna@example.nl');
    expect(events).toHaveLength(2);
    for (const event of events) {
      expect(event).toMatchObject({ actorKind: 'person', sourceKind: 'link', ip: '127.0.0.1', userAgent: PERSON_UA });
    }
    expect(await page.locator('main li').allInnerTexts()).toEqual(['Newsletter', 'Events']);
    expect(dialogs).toEqual([]);
    expect(await fitsThePhone(page)).toBe(true);
    await screenshot(page, 'done-confirmed-en');
  });

  test('under n8n\'s webhook sandbox CSP as well, the page confirms by itself', async () => {
    server.settings = { ...server.settings, hostHeaders: { 'Content-Security-Policy': N8N_SANDBOX_CSP } };
    const { confirmToken } = await signup(t.ledger, { email: 'anna@example.nl' });
    const { page } = await openPage();
    await page.goto(server.link('confirm', confirmToken));
    await page.getByRole('heading', { name: 'Thank you: your subscription is confirmed' }).waitFor();
    expect(await statusOf(t.ledger, 'anna@example.nl')).toBe('confirmed');
  });

  test('requireClick: nothing happens until the button is pressed', async () => {
    server.settings = { ...server.settings, pageOptions: { ...PAGE_OPTIONS, requireClick: true } };
    const { confirmToken } = await signup(t.ledger, { email: 'anna@example.nl' });
    const { page } = await openPage();
    await page.goto(server.link('confirm', confirmToken));
    await page.waitForLoadState('networkidle');
    expect(server.answers.map((a) => a.method)).toEqual(['GET']);
    expect(await statusOf(t.ledger, 'anna@example.nl')).toBe('optin');
    expect(await fitsThePhone(page)).toBe(true);
    await screenshot(page, 'confirm-en');

    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Yes, confirm' }).click()]);
    expect(await heading(page)).toBe('Thank you: your subscription is confirmed');
    expect(await statusOf(t.ledger, 'anna@example.nl')).toBe('confirmed');
    expect((await confirmEvents('anna@example.nl'))[0]).toMatchObject({ ip: '127.0.0.1', userAgent: PERSON_UA });
  });
});

describe('unsubscribe', () => {
  test('the button unsubscribes from this list; other topics stay', async () => {
    const { unsubscribeToken } = await subscribed(t.ledger, { email: 'anna@example.nl', topics: ['newsletter'] });
    await subscribed(t.ledger, { email: 'anna@example.nl', topics: ['events'] });
    const { page } = await openPage();
    await page.goto(server.link('unsubscribe', unsubscribeToken));
    expect(await page.getByLabel('Only this list: Newsletter').isChecked()).toBe(true);
    expect(await statusOf(t.ledger, 'anna@example.nl')).toBe('confirmed');
    expect(await fitsThePhone(page)).toBe(true);
    await screenshot(page, 'unsubscribe-en');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Unsubscribe' }).click()]);
    expect(await heading(page)).toBe('You are unsubscribed');
    expect([await statusOf(t.ledger, 'anna@example.nl', 'newsletter'), await statusOf(t.ledger, 'anna@example.nl', 'events')]).toEqual([
      'unsubscribed',
      'confirmed',
    ]);
    await screenshot(page, 'done-unsubscribed-en');
  });

  test('"all mail from us" ends every topic', async () => {
    const { unsubscribeToken } = await subscribed(t.ledger, { email: 'anna@example.nl', topics: ['newsletter'] });
    await subscribed(t.ledger, { email: 'anna@example.nl', topics: ['events'] });
    const { page } = await openPage();
    await page.goto(server.link('unsubscribe', unsubscribeToken));
    await page.getByLabel('All mail from Voorbeeld BV').check();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Unsubscribe' }).click()]);
    expect(await page.locator('main p').first().innerText()).toBe('You will no longer receive mail from Voorbeeld BV.');
    expect(await statusOf(t.ledger, 'anna@example.nl', 'events')).toBe('unsubscribed');
  });

  test('RFC 8058 one-click: a POST with exactly "List-Unsubscribe=One-Click" unsubscribes, 200', async () => {
    for (const bodyAs of ['parsed', 'raw'] as const) {
      server.settings = { ...server.settings, bodyAs };
      const email = `one-click-${bodyAs}@example.nl`;
      const { unsubscribeToken } = await subscribed(t.ledger, { email });
      const response = await fetch(server.link('unsubscribe', unsubscribeToken), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
        redirect: 'manual',
      });
      expect(response.status).toBe(200);
      expect(await statusOf(t.ledger, email)).toBe('unsubscribed');
    }
  });
});

describe('preferences', () => {
  test('the page changes the one topic the person changed, and nothing else', async () => {
    const { unsubscribeToken } = await subscribed(t.ledger, { email: 'anna@example.nl', topics: ['newsletter', 'events'] });
    await signup(t.ledger, { email: 'anna@example.nl', topics: ['offers'] }); // pending: not confirmed yet
    const { page } = await openPage();
    await page.goto(server.link('preferences', unsubscribeToken));
    expect(await page.getByLabel('Newsletter').isChecked()).toBe(true);
    expect(await page.getByLabel('Events').isChecked()).toBe(true);
    // A pending topic is never pre-ticked: ticking it must be the person's own act.
    expect(await page.getByLabel('offers').isChecked()).toBe(false);
    expect(await fitsThePhone(page)).toBe(true);
    await screenshot(page, 'preferences-en');

    await page.getByLabel('Events').uncheck();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save preferences' }).click()]);
    expect(await heading(page)).toBe('Your preferences are saved');
    const statuses = await Promise.all(['newsletter', 'events', 'offers'].map((topic) => statusOf(t.ledger, 'anna@example.nl', topic)));
    expect(statuses).toEqual(['confirmed', 'unsubscribed', 'optin']);
    await screenshot(page, 'done-preferences-en');

    // The link back shows the new state.
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Back to your preferences' }).click()]);
    expect(await page.getByLabel('Events').isChecked()).toBe(false);
    expect(await page.getByLabel('Newsletter').isChecked()).toBe(true);
  });

  test('ticking a topic the person had left subscribes it, with the text the page showed', async () => {
    const { unsubscribeToken } = await subscribed(t.ledger, { email: 'anna@example.nl', topics: ['newsletter', 'events'] });
    await t.ledger.unsubscribeByToken(unsubscribeToken, ['events'], { actor: { kind: 'person' }, source: { kind: 'link' } });
    const { page } = await openPage();
    await page.goto(server.link('preferences', unsubscribeToken));
    const shownText = await page.locator('form .note').innerText();
    await page.getByLabel('Events').check();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save preferences' }).click()]);
    expect(await statusOf(t.ledger, 'anna@example.nl', 'events')).toBe('confirmed');
    const events = (await t.ledger.export({ email: 'anna@example.nl' }))!.events.filter((e) => e.topic === 'events' && e.action === 'confirm');
    expect(events.at(-1)!.consentText).toBe(shownText);
    expect(events.at(-1)).toMatchObject({ ip: '127.0.0.1', userAgent: PERSON_UA });
  });
});

describe('the preferences page: download my data, erase my data', () => {
  const register = async () => {
    const out = [];
    for await (const entry of t.ledger.listRequests()) out.push(entry);
    return out;
  };

  test('download my data shows the access page with its JSON download; the request is answered in the register', async () => {
    await subscribed(t.ledger, { email: 'anna@example.nl', name: 'Anna', locale: 'en' });
    const { unsubscribeToken } = await subscribed(t.ledger, { email: 'anna@example.nl', topics: ['events'] });
    const { page } = await openPage();
    await page.goto(server.link('preferences', unsubscribeToken));
    expect(await fitsThePhone(page)).toBe(true);
    await screenshot(page, 'preferences-own-data-en');
    expect(await register()).toEqual([]); // showing the buttons asked nothing

    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Download my data' }).click()]);
    expect(await heading(page)).toBe('The data we hold about you');
    expect(await page.locator('main').innerText()).toContain('anna@example.nl');
    expect(await fitsThePhone(page)).toBe(true);
    await screenshot(page, 'access-from-preferences-en');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download all of it as a file (JSON)' }).click()]);
    const data = JSON.parse(await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8')));
    expect(data.person.email).toBe('anna@example.nl');
    expect(await register()).toEqual([expect.objectContaining({ channel: 'link', kind: 'access', status: 'closed', outcome: 'answered' })]);
    const access = (await t.ledger.export({ email: 'anna@example.nl' }))!.events.find((e) => e.action === 'access');
    expect(access).toMatchObject({ ip: '127.0.0.1', userAgent: PERSON_UA, sourceKind: 'link' });
  });

  test('erase my data: the button does nothing until the box is ticked; then the data is erased and the request closed', async () => {
    const { unsubscribeToken } = await subscribed(t.ledger, { email: 'eva@example.nl', name: 'Eva', locale: 'nl' });
    const { page } = await openPage({ locale: 'nl-NL' });
    await page.goto(server.link('preferences', unsubscribeToken));
    await page.getByRole('button', { name: 'Verwijder mijn gegevens' }).click();
    // The browser keeps the form back (the box is required): still the same page, nothing erased.
    expect(await heading(page)).toBe('Je mailvoorkeuren');
    expect(await t.ledger.export({ email: 'eva@example.nl' })).toBeDefined();
    await page.getByLabel('Ja, verwijder mijn gegevens. Ik begrijp dat dit niet terug te draaien is.').check();
    await screenshot(page, 'preferences-erase-ticked-nl');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Verwijder mijn gegevens' }).click()]);
    expect(await heading(page)).toBe('Je gegevens zijn verwijderd');
    await screenshot(page, 'done-erased-from-preferences-nl');
    expect(await t.ledger.export({ email: 'eva@example.nl' })).toBeUndefined();
    expect(await register()).toEqual([expect.objectContaining({ channel: 'link', kind: 'erase', status: 'closed', outcome: 'erased', address: null })]);
    // The link is dead now: the neutral page, nothing of Eva's.
    await page.goto(server.link('preferences', unsubscribeToken));
    expect(await page.locator('main').innerText()).not.toContain('Eva');
  });
});

describe('why are you leaving? (askLeaveReason)', () => {
  test('off by default; when on, the chosen reason is counted in the month, not kept with the person', async () => {
    const { unsubscribeToken } = await subscribed(t.ledger, { email: 'anna@example.nl', locale: 'nl' });
    const { page } = await openPage({ locale: 'nl-NL' });
    await page.goto(server.link('unsubscribe', unsubscribeToken));
    expect(await page.locator('input[name=reason]').count()).toBe(0);

    server.settings = { ...server.settings, pageOptions: { ...PAGE_OPTIONS, askLeaveReason: true } };
    await page.goto(server.link('unsubscribe', unsubscribeToken));
    expect(await page.locator('input[name=reason]').count()).toBe(4);
    expect(await page.locator('input[name=reason]:checked').count()).toBe(0); // nothing chosen for the person
    expect(await page.locator('textarea, input[type=text]').count()).toBe(0); // no free text
    await page.getByLabel('Te veel mails').check();
    expect(await fitsThePhone(page)).toBe(true);
    await screenshot(page, 'unsubscribe-reason-nl');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Afmelden' }).click()]);
    expect(await heading(page)).toBe('Je bent afgemeld');
    expect(await statusOf(t.ledger, 'anna@example.nl')).toBe('unsubscribed');
    const month = (await t.ledger.funnel({ weeks: 1 })).months.at(-1)!;
    expect(month.leaveReasons).toEqual({ too_many: 1 });
    expect(JSON.stringify(await t.ledger.export({ email: 'anna@example.nl' }))).not.toContain('too_many');
  });
});

describe('erase verification', () => {
  test('the button erases the data; the page before it did not', async () => {
    await signup(t.ledger, { email: 'eva@example.nl', name: 'Eva' });
    const token = await eraseVerification(t.ledger, 'eva@example.nl');
    const { page } = await openPage();
    await page.goto(server.link('erase', token));
    expect(await t.ledger.export({ email: 'eva@example.nl' })).toBeDefined();
    await screenshot(page, 'erase-en');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Erase my data' }).click()]);
    expect(await heading(page)).toBe('Your data has been erased');
    expect(await t.ledger.export({ email: 'eva@example.nl' })).toBeUndefined();
  });
});

describe('markup from names, topics and the organisation is shown as text', () => {
  const PAYLOAD = `<img src=x onerror=alert('xss')>"'><script>alert("xss")</script>`;

  test('organisation name and topic labels', async () => {
    server.settings = {
      ...server.settings,
      pageOptions: {
        ...PAGE_OPTIONS,
        requireClick: true,
        organisation: `Shop ${PAYLOAD}`,
        topicLabels: { newsletter: `News ${PAYLOAD}` },
      },
    };
    const { confirmToken, unsubscribeToken } = await signup(t.ledger, { email: 'anna@example.nl' });
    const { page, dialogs } = await openPage();
    for (const link of [server.link('confirm', confirmToken), server.link('unsubscribe', unsubscribeToken), server.link('preferences', unsubscribeToken)]) {
      await page.goto(link);
      await page.waitForLoadState('networkidle');
      expect(await page.locator('footer').innerText()).toContain(`Shop ${PAYLOAD}`);
      expect(await page.locator('main').innerText()).toContain(`News ${PAYLOAD}`);
      expect(await page.title()).toContain(`Shop ${PAYLOAD}`);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('main script, footer script').count()).toBe(0);
    }
    expect(dialogs).toEqual([]);
    expect(await statusOf(t.ledger, 'anna@example.nl')).toBe('optin');
  });

  test('a token carrying markup never reaches the page', async () => {
    const { page, dialogs } = await openPage();
    const response = await page.goto(`${server.baseUrl}/confirm?token=${encodeURIComponent(`"><script>alert(1)</script><img src=x onerror=alert(2)>`)}`);
    expect(response!.status()).toBe(400);
    expect(await heading(page)).toBe('This link does not work');
    expect(await page.content()).not.toContain('alert(');
    expect(dialogs).toEqual([]);
  });

  test('a person\'s name, escaped even with no CSP to fall back on', async () => {
    const options = PageOptionsSchema.parse(PAGE_OPTIONS);
    const rendered = renderConfirmPage(pageContext('en', options), { token: 'c1.x', topics: ['newsletter'], name: `Anna ${PAYLOAD}`, autoSubmit: false });
    const { page, dialogs } = await openPage();
    const url = `${server.baseUrl}/name-check`;
    // Served without the CSP header on purpose: the escaping alone must hold.
    const headers = { ...pageHeaders(rendered) } as Record<string, string>;
    delete headers['Content-Security-Policy'];
    await page.route(url, (route) => route.fulfill({ status: 200, headers, body: rendered.html }));
    await page.goto(url);
    expect(await page.locator('main p').first().innerText()).toBe(`Hello Anna ${PAYLOAD},`);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});

describe('on a phone', () => {
  test('a long unbroken organisation name and topic label still fit the screen', async () => {
    const long = 'Stichting' + 'Heelerglangeorganisatienaam'.repeat(6);
    server.settings = { ...server.settings, pageOptions: { ...PAGE_OPTIONS, requireClick: true, organisation: long, topicLabels: { newsletter: long } } };
    const { confirmToken, unsubscribeToken } = await signup(t.ledger, { email: 'anna@example.nl' });
    const { page } = await openPage();
    for (const link of [server.link('confirm', confirmToken), server.link('unsubscribe', unsubscribeToken), server.link('preferences', unsubscribeToken)]) {
      await page.goto(link);
      expect(await page.locator('meta[name=viewport]').getAttribute('content')).toBe('width=device-width, initial-scale=1');
      expect([link.split('?')[0], await fitsThePhone(page)]).toEqual([link.split('?')[0], true]);
    }
  });
});

describe('dead links', () => {
  test('a confirm link opened again says "already confirmed"; forged, unknown and used-up links show the same neutral page; expired shows the expired page', async () => {
    const { confirmToken } = await signup(t.ledger, { email: 'anna@example.nl' });
    const elsewhere = await tempLedger();
    const unknown = (await signup(elsewhere.ledger, { email: 'someone@example.com' })).confirmToken;
    await elsewhere.dispose();
    const forged = confirmToken.slice(0, -2) + (confirmToken.at(-2) === 'A' ? 'B' : 'A') + confirmToken.slice(-1); // another MAC, canonical spelling
    const { page } = await openPage({ javaScriptEnabled: false });

    await page.goto(server.link('confirm', confirmToken));
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Yes, confirm' }).click()]);
    // Opened again while the confirmation holds: it says so, not "does not work".
    const again = await page.goto(server.link('confirm', confirmToken));
    expect(again!.status()).toBe(200);
    expect(await heading(page)).toBe('You have already confirmed');
    await screenshot(page, 'confirm-already-en');
    // Once the person unsubscribed, the used link is a dead link like any other.
    await t.ledger.unsubscribeByRef({ email: 'anna@example.nl' }, 'all', 'email', { actor: { kind: 'person' }, source: { kind: 'mailbox' } });

    const seen: { status: number; html: string }[] = [];
    for (const token of [forged, unknown, confirmToken /* used */]) {
      const response = await page.goto(server.link('confirm', token));
      seen.push({ status: response!.status(), html: await page.content() });
    }
    expect(seen.map((s) => s.status)).toEqual([404, 404, 404]);
    expect(new Set(seen.map((s) => s.html)).size).toBe(1);
    expect(await heading(page)).toBe('This link does not work');
    expect(seen[0].html).not.toMatch(/anna|someone|used|expired/i);
    await screenshot(page, 'error-neutral-en');

    const fresh = await signup(t.ledger, { email: 'late@example.nl' });
    t.clock.advanceDays(31);
    const expired = await page.goto(server.link('confirm', fresh.confirmToken));
    expect(expired!.status()).toBe(410);
    expect(await heading(page)).toBe('This link has expired');
    expect(await page.getByRole('link', { name: 'Sign up again' }).getAttribute('href')).toBe('https://example.nl/aanmelden');
    await screenshot(page, 'error-expired-en');
  });
});

describe('Dutch and English', () => {
  test('the person\'s language from the ledger: Dutch pages and footer', async () => {
    server.settings = { ...server.settings, pageOptions: { ...PAGE_OPTIONS, requireClick: true } };
    const { confirmToken, unsubscribeToken } = await signup(t.ledger, { email: 'jan@example.nl', locale: 'nl' });
    const { page } = await openPage({ locale: 'en-GB' });
    await page.goto(server.link('confirm', confirmToken));
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    expect(await heading(page)).toBe('Bevestig je aanmelding');
    expect(await page.locator('main li').allInnerTexts()).toEqual(['Nieuwsbrief']);
    expect(await page.getByRole('link', { name: 'Privacyverklaring' }).getAttribute('href')).toBe('https://example.nl/privacy');
    await screenshot(page, 'confirm-nl');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Ja, bevestigen' }).click()]);
    expect(await heading(page)).toBe('Bedankt: je aanmelding is bevestigd');
    await screenshot(page, 'done-confirmed-nl');

    await page.goto(server.link('preferences', unsubscribeToken));
    expect(await heading(page)).toBe('Je mailvoorkeuren');
    await screenshot(page, 'preferences-nl');
  });

  test('no language in the ledger: the browser\'s Accept-Language decides', async () => {
    const { unsubscribeToken } = await signup(t.ledger, { email: 'anna@example.nl' });
    const { page: dutch } = await openPage({ locale: 'nl-NL' });
    await dutch.goto(server.link('unsubscribe', unsubscribeToken));
    expect(await heading(dutch)).toBe('Afmelden');
    await screenshot(dutch, 'unsubscribe-nl');
    const { page: english } = await openPage({ locale: 'en-US' });
    await english.goto(server.link('unsubscribe', unsubscribeToken));
    expect(await heading(english)).toBe('Unsubscribe');
    await dutch.goto(`${server.baseUrl}/confirm?token=nope`);
    expect(await heading(dutch)).toBe('Deze link werkt niet');
  });
});
