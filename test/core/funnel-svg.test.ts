import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { funnelSvg } from '../../core/funnel-svg';
import type { FunnelReport } from '../../core/ledger';
import { launchChromium, watchDialogs, inkShare } from '../support/browser';
import { TestClock, tempLedger } from '../support/ledger';

/**
 * The consent funnel as a picture (issue 13), opened as a file in Debian's headless Chromium the
 * way a person opens it: the screenshot is not blank, the labels and numbers are there, and a
 * hostile campaign or topic name stays text (no element, no script, no dialog).
 */

const OUT = join(__dirname, '..', '..', 'test-output', 'funnel');
const T0 = new Date('2026-11-23T10:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * 86_400_000);
const HOSTILE = '<script>alert("campaign")</script><img src=x onerror=alert(1)> & "Q4" \'x\'';
const TEXT = 'Yes, send me the newsletter of Example BV.';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(OUT, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

/** A report from a real ledger: a campaign named by a hostile source reference, answered three ways. */
async function ledgerReport(): Promise<FunnelReport> {
  const clock = new TestClock(at(-20));
  const t = await tempLedger({}, clock);
  try {
    const people = ['a', 'b', 'c', 'd'].map((p) => `${p}@example.nl`);
    const asked = await t.ledger.request(
      people.map((email) => ({ email, topics: ['newsletter'], channel: 'email' as const, consentText: TEXT, evidence: { actor: { kind: 'person' as const }, source: { kind: 'webform' as const, ref: 'site' } } })),
      'signup',
    );
    clock.at = at(-19);
    const person = { actor: { kind: 'person' as const }, source: { kind: 'link' as const } };
    await t.ledger.confirm(asked[0].confirmToken, person);
    await t.ledger.confirm(asked[1].confirmToken, person);
    await t.ledger.confirm(asked[2].confirmToken, person);
    clock.at = at(-10);
    const campaign = await t.ledger.request(
      people.map((email) => ({ email, topics: ['events'], channel: 'email' as const, consentText: TEXT, evidence: { actor: { kind: 'operator' as const }, source: { kind: 'workflow' as const, ref: HOSTILE } } })),
      'campaign',
    );
    clock.at = at(-8);
    await t.ledger.confirm(campaign[0].confirmToken, person);
    await t.ledger.unsubscribeByToken(campaign[1].unsubscribeToken, 'link', person);
    clock.at = at(-2);
    await t.ledger.erase({ email: 'd@example.nl' });
    clock.at = T0;
    return await t.ledger.funnel();
  } finally {
    await t.dispose();
  }
}

async function open(svg: string, name: string): Promise<{ page: Page; dialogs: string[]; png: Buffer }> {
  const file = join(OUT, `${name}.svg`);
  writeFileSync(file, svg);
  // The window as large as the picture (a full-page screenshot of an SVG document never settles).
  const height = Number(/<svg[^>]* height="(\d+)"/.exec(svg)![1]);
  const page = await browser.newPage({ viewport: { width: 960, height } });
  const dialogs = watchDialogs(page);
  await page.goto(`file://${file}`);
  const png = await page.screenshot({ path: join(OUT, `${name}.png`) });
  return { page, dialogs, png };
}

test('the picture of a real ledger opens in Chromium: not blank, its labels and numbers readable, a hostile campaign name stays text', async () => {
  const report = await ledgerReport();
  const svg = funnelSvg(report);
  const { page, dialogs, png } = await open(svg, 'ledger');
  try {
    const share = await inkShare(browser, png, 'not-white');
    expect(share).toBeGreaterThan(0.02); // bars and text, not an empty page
    expect(share).toBeLessThan(0.6); // and not one big block either
    const shown = (await page.locator('svg').textContent()) ?? '';
    expect(shown).toContain('Consent funnel — 2026-11-23, last 12 weeks');
    expect(shown).toContain('signups: site');
    expect(shown).toContain('4 asked · 0 reminded · 3 confirmed · 0 expired · 0 unsubscribed · 1 erased');
    expect(shown).toContain('1 confirmed · 0 expired · 1 unsubscribed · 1 erased · 1 no answer yet');
    expect(shown).toContain('newsletter · email');
    expect(shown).toContain('now 3 allowed, 0 not'); // d erased: no longer counted
    expect(shown).toContain('events · email');
    expect(shown).toContain('2026-11');
    // The hostile name is shown as the characters it is (cut to fit), never as markup.
    expect(shown).toContain('campaign: <script>alert("campaign")');
    expect(shown).toContain('<img src=x onerror=alert(1)> & "Q4"'); // in full in the bars' tooltips
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.evaluate("document.querySelectorAll('img, foreignObject, a, [onerror]').length")).toBe(0);
    expect(dialogs).toEqual([]);
  } finally {
    await page.close();
  }
  // Nothing to fetch: no external reference of any kind.
  expect(svg).not.toMatch(/href|url\(|@import|<script|<image|<foreignObject/i);
});

test('a hostile topic and campaign name in the numbers are escaped in every place they appear', async () => {
  const report: FunnelReport = {
    asOf: T0.toISOString(),
    weeks: 2,
    from: at(-14).toISOString(),
    campaigns: [
      {
        kind: 'campaign', name: '</text><script>alert(2)</script>', sourceKind: 'workflow', sourceRef: '</text><script>alert(2)</script>',
        topic: 'news"><svg onload=alert(3)>', channel: 'email', firstAt: at(-10).toISOString(), lastAt: at(-10).toISOString(),
        invited: 10, reminded: 4, confirmed: 5, expired: 2, unsubscribed: 1, bounced: 1, erased: 0, open: 1,
      },
    ],
    topics: [
      { weekEnding: at(-7).toISOString(), topic: 'news"><svg onload=alert(3)>', channel: 'email', allowed: 4, notAllowed: 6 },
      { weekEnding: T0.toISOString(), topic: 'news"><svg onload=alert(3)>', channel: 'email', allowed: 5, notAllowed: 5 },
    ],
    months: [{ month: '2026-11', erasures: 2, erasuresByOutcome: { erased: 2 }, requests: 3, requestsByKind: { access: 3 }, leaveReasons: {} }],
  };
  const svg = funnelSvg(report);
  expect(svg).not.toContain('<script');
  expect(svg).not.toContain('<svg onload');
  expect(svg).toContain('&lt;/text&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  const { page, dialogs, png } = await open(svg, 'hostile');
  try {
    expect(await inkShare(browser, png, 'not-white')).toBeGreaterThan(0.02);
    const shown = (await page.locator('svg').first().textContent()) ?? '';
    expect(shown).toContain('campaign: </text><script>alert(2)</scri…'); // cut to fit, in full in the tooltips
    expect(shown).toContain('</text><script>alert(2)</script>, news"><svg onload=alert(3)> (email): 5 confirmed');
    expect(shown).toContain('news"><svg onload=alert(3)> · email');
    expect(shown).toContain('10 asked · 4 reminded · 5 confirmed · 2 expired · 1 unsubscribed · 1 bounced · 1 no answer yet');
    expect(await page.evaluate("document.querySelectorAll('svg').length")).toBe(1);
    expect(await page.locator('script').count()).toBe(0);
    expect(dialogs).toEqual([]);
  } finally {
    await page.close();
  }
});
