import { importContactsCsv } from '../../core/import';
import { Ledger, type FunnelReport } from '../../core/ledger';
import { TestClock, ledgerDialects } from '../support/ledger';

/**
 * The consent funnel's numbers (issue 13), on both dialects, against a ledger built here day by
 * day on the test clock: a re-permission campaign that ends every way a campaign can end, two
 * signups, an older campaign outside the window, erasures and requests in several months.
 */

const T0 = new Date('2026-11-23T10:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * 86_400_000);
const CAMPAIGN = 'autumn re-permission 2026';
const TEXT = 'Yes, send me the newsletter of Example BV. I can unsubscribe at any time.';
const ops = { actor: { kind: 'operator' as const, name: 'Privacy Officer' }, source: { kind: 'cli' as const } };
const person = { actor: { kind: 'person' as const }, source: { kind: 'link' as const, ref: 'test' } };

const dialects = ledgerDialects('funnel');

/** The known ledger. Everything happens at a day relative to T0 (the report's now). */
async function build(ledger: Ledger, clock: TestClock): Promise<void> {
  clock.at = at(-120);
  const csv = ['email;name;previously_mailed;topic', ...['a', 'b', 'c', 'd', 'e', 'h'].map((p) => `${p}@example.nl;${p.toUpperCase()};ja;newsletter`)].join('\n');
  await importContactsCsv(ledger, [Buffer.from(csv)], { evidence: { ...ops, source: { kind: 'import', ref: 'crm.csv' } } }, () => undefined);
  // An access request before the window's first month: not counted.
  await ledger.addRequest({ kind: 'access', receivedAt: at(-120), address: 'x@example.nl' });

  clock.at = at(-100); // an older campaign, before the 12 weeks: not in the campaigns
  await ledger.request([{ email: 'h@example.nl', topics: ['newsletter'], channel: 'email', consentText: TEXT, evidence: { ...ops, source: { kind: 'workflow', ref: 'spring 2026' } } }], 'campaign');

  clock.at = at(-95); // 2026-08-20: the first month of the window (from 2026-08-31) counts whole
  await ledger.addRequest({ kind: 'erase', receivedAt: at(-95), address: 'y@example.nl' });

  clock.at = at(-50); // an erasure of someone not in the ledger
  await ledger.erase({ email: 'nobody@example.nl' }, { evidence: ops });
  clock.at = at(-40);
  await ledger.addRequest({ kind: 'access', receivedAt: at(-40), address: 'z@example.nl' });

  clock.at = at(-30);
  const asked = await ledger.request(
    ['a', 'b', 'c', 'd', 'e'].map((p) => ({ email: `${p}@example.nl`, topics: ['newsletter'], channel: 'email' as const, consentText: TEXT, evidence: { ...ops, source: { kind: 'workflow' as const, ref: CAMPAIGN } } })),
    'campaign',
  );
  expect(asked.map((r) => r.outcome)).toEqual(['requested', 'requested', 'requested', 'requested', 'requested']);
  const token = (p: string) => asked.find((r) => r.email === `${p}@example.nl`)!;

  clock.at = at(-25);
  expect((await ledger.confirm(token('a').confirmToken, person)).outcome).toBe('confirmed');
  expect((await ledger.unsubscribeByToken(token('b').unsubscribeToken, 'all', person)).outcome).toBe('unsubscribed');

  clock.at = at(-23); // c, d, e of the campaign, and h of the older one
  expect((await ledger.remind({ afterDays: 7, maxReminders: 2, evidence: ops })).length).toBe(4);

  clock.at = at(-20);
  expect((await ledger.confirm(token('c').confirmToken, person)).outcome).toBe('confirmed');

  clock.at = at(-15); // 2026-11-08
  expect((await ledger.erase({ email: 'e@example.nl' }, { evidence: ops })).outcome).toBe('erased');

  clock.at = at(-10);
  const signups = await ledger.request(
    ['f', 'g'].map((p) => ({ email: `${p}@example.nl`, topics: ['newsletter'], channel: 'email' as const, consentText: TEXT, evidence: { actor: { kind: 'person' as const }, source: { kind: 'webform' as const, ref: 'site form' } } })),
    'signup',
  );
  clock.at = at(-9);
  expect((await ledger.confirm(signups[1].confirmToken, person)).outcome).toBe('confirmed');
  expect((await ledger.expire({ afterDays: 20, evidence: ops })).map((d) => d.email).sort()).toEqual(['d@example.nl', 'h@example.nl']);

  clock.at = at(-5);
  await ledger.addRequest({ kind: 'erase', receivedAt: at(-5), address: 'w@example.nl' });
  clock.at = T0;
}

describe.each(dialects)('the consent funnel on %s', (_, open) => {
  let ledger: Ledger;
  let clock: TestClock;
  let dispose: () => Promise<void>;
  let report: FunnelReport;
  beforeAll(async () => {
    clock = new TestClock(T0);
    ({ ledger, dispose } = await open(clock));
    await build(ledger, clock);
    report = await ledger.funnel();
  });
  afterAll(() => dispose());

  test('the window: 12 weeks back from the ledger clock', () => {
    expect(report).toMatchObject({ asOf: T0.toISOString(), weeks: 12, from: at(-84).toISOString() });
  });

  test('per campaign: asked, reminded, and how each ask ended; the older campaign is outside the window', () => {
    expect(report.campaigns).toEqual([
      {
        kind: 'campaign', name: CAMPAIGN, sourceKind: 'workflow', sourceRef: CAMPAIGN, topic: 'newsletter', channel: 'email',
        firstAt: at(-30).toISOString(), lastAt: at(-30).toISOString(),
        invited: 5, reminded: 3, confirmed: 2, expired: 1, unsubscribed: 1, bounced: 0, erased: 1, open: 0,
      },
      {
        kind: 'signup', name: 'site form', sourceKind: 'webform', sourceRef: 'site form', topic: 'newsletter', channel: 'email',
        firstAt: at(-10).toISOString(), lastAt: at(-10).toISOString(),
        invited: 2, reminded: 0, confirmed: 1, expired: 0, unsubscribed: 0, bounced: 0, erased: 0, open: 1,
      },
    ]);
  });

  test('per topic and channel: allowed vs not at the end of each week; the erased person no longer counted', () => {
    const weeks = report.topics.filter((t) => t.topic === 'newsletter' && t.channel === 'email');
    expect(weeks).toHaveLength(12);
    expect(weeks.map((w) => w.weekEnding)).toEqual(Array.from({ length: 12 }, (_, k) => at(-7 * (11 - k)).toISOString()));
    const byDay = Object.fromEntries(weeks.map((w) => [w.weekEnding.slice(0, 10), [w.allowed, w.notAllowed]]));
    expect(byDay).toEqual({
      '2026-09-07': [5, 1], // a-e subscribed (previously mailed), h invited by the older campaign
      '2026-09-14': [5, 1],
      '2026-09-21': [5, 1],
      '2026-09-28': [5, 1],
      '2026-10-05': [5, 1],
      '2026-10-12': [5, 1],
      '2026-10-19': [5, 1],
      '2026-10-26': [0, 6], // the campaign: a-e invited
      '2026-11-02': [1, 5], // a confirmed; b unsubscribed; c, d, e, h reminded
      '2026-11-09': [2, 3], // c confirmed; e erased (not counted)
      '2026-11-16': [3, 4], // g signed up and confirmed; f waits; d and h expired
      '2026-11-23': [3, 4],
    });
    expect(report.topics).toHaveLength(12);
  });

  test('erasures and requests per month, whole months from the one the window starts in', () => {
    expect(report.months).toEqual([
      { month: '2026-08', erasures: 0, erasuresByOutcome: {}, requests: 1, requestsByKind: { erase: 1 }, leaveReasons: {} },
      { month: '2026-09', erasures: 0, erasuresByOutcome: {}, requests: 0, requestsByKind: {}, leaveReasons: {} },
      { month: '2026-10', erasures: 1, erasuresByOutcome: { not_found: 1 }, requests: 1, requestsByKind: { access: 1 }, leaveReasons: {} },
      { month: '2026-11', erasures: 1, erasuresByOutcome: { erased: 1 }, requests: 1, requestsByKind: { erase: 1 }, leaveReasons: {} },
    ]);
  });

  test('weeks: another window, and a clear error for a wrong one', async () => {
    const four = await ledger.funnel({ weeks: 4 });
    expect(four.topics.map((t) => [t.allowed, t.notAllowed])).toEqual([[1, 5], [2, 3], [3, 4], [3, 4]]);
    expect(four.campaigns.map((c) => c.name)).toEqual(['site form']); // the campaign began 30 days ago
    expect(four.months.map((m) => m.month)).toEqual(['2026-10', '2026-11']);
    await expect(ledger.funnel({ weeks: 0 })).rejects.toThrow(/weeks: at least 1/);
    await expect(ledger.funnel({ weeks: 'many' as never })).rejects.toThrow(/weeks: give a number of weeks/);
  });
});
