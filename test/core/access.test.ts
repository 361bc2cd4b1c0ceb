import { Ledger, RequestItemSchema } from '../../core/ledger';
import { parseInput } from '../../core/validation';
import { handleLinkRequest } from '../../core/pages/handle';
import { TestClock, ledgerDialects } from '../support/ledger';
import { PAGE_OPTIONS } from './pages/fixtures';

/**
 * The right of access (GDPR Art. 15), on both dialects: an access link for one person shows their
 * data package (page and JSON) and nothing else; reading it changes nothing; a forged, expired or
 * other-purpose link, or one of a person erased since, shows no data.
 */
const TEXT = 'Ja, stuur mij de nieuwsbrief <b>"Winkelnieuws"</b> & aanbiedingen.';

const dialects = ledgerDialects('access');

describe.each(dialects)('access on %s', (_, open) => {
  let ledger: Ledger;
  let clock: TestClock;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ ledger, clock, dispose } = await open());
    const [asked] = await ledger.request(
      [parseInput(RequestItemSchema, { email: 'mia@example.nl', name: 'Mia', locale: 'nl', topics: ['newsletter'], channel: 'email', consentText: TEXT, evidence: { actor: { kind: 'person' }, source: { kind: 'webform', ref: 'https://shop.example/aanmelden' }, ip: '203.0.113.7' } })],
      'signup',
    );
    await ledger.confirm(asked.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' }, ip: '203.0.113.8', userAgent: 'Firefox/140' });
    await ledger.recordMessages([{ subjectId: asked.subjectId!, messageId: '<news-1@shop.example>', template: 'confirmation', topics: ['newsletter'], channel: 'email' }]);
    // Someone else, whose data must never show on Mia's link.
    await ledger.request([parseInput(RequestItemSchema, { email: 'bob@example.nl', name: 'Bob', topics: ['newsletter'], channel: 'email', consentText: 'Bob says yes', evidence: { actor: { kind: 'person' }, source: { kind: 'webform' } } })], 'signup');
  });
  afterEach(() => dispose());

  const get = (token: string, query: Record<string, string> = {}, method = 'GET') =>
    handleLinkRequest(ledger, { method, kind: 'access', query: { token, ...query }, headers: { 'accept-language': 'en' } }, PAGE_OPTIONS);

  test('the link shows the package: identity, each consent with its text and evidence, mails, requests; the JSON download is the same package', async () => {
    const link = await ledger.issueAccessLink({ email: 'mia@example.nl' }, undefined);
    expect(link).toMatchObject({ found: true, locale: 'nl' });
    if (!link.found) throw new Error('not found');
    expect(link.token).toMatch(/^a1\./);
    expect(link.expiresAt).toBe('2026-11-30T10:00:00.000Z'); // 7 days, like the erase-verification link

    const data = await ledger.accessPackage(link.token);
    expect(data.person).toMatchObject({ email: 'mia@example.nl', name: 'Mia', locale: 'nl' });
    expect(data.consents).toEqual([
      expect.objectContaining({ topic: 'newsletter', channel: 'email', status: 'confirmed', consentText: TEXT, evidence: expect.objectContaining({ source: 'link', ip: '203.0.113.8', userAgent: 'Firefox/140' }) }),
    ]);
    expect(data.history.map((e) => e.action)).toEqual(expect.arrayContaining(['signup', 'confirm']));
    expect(data.history.find((e) => e.action === 'signup')!.evidence).toMatchObject({ source: 'webform', sourceRef: 'https://shop.example/aanmelden', ip: '203.0.113.7' });
    expect(data.mails).toEqual([expect.objectContaining({ messageId: '<news-1@shop.example>', template: 'confirmation' })]);
    expect(data.purposes.map((p) => p.purpose)).toContain('emarketing');
    expect(data.linkExpiresAt).toBe('2026-11-30T10:00:00.000Z');

    const page = await get(link.token);
    expect(page.status).toBe(200);
    expect(page.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(page.headers['Cache-Control']).toBe('no-store');
    expect(page.result).toMatchObject({ kind: 'access', action: 'show', outcome: 'shown', subjectId: data.person.id, locale: 'nl' });
    expect(page.html).toContain('mia@example.nl');
    // The consent text is shown, escaped: its markup is text on the page.
    expect(page.html).toContain('Ja, stuur mij de nieuwsbrief &lt;b&gt;&quot;Winkelnieuws&quot;&lt;/b&gt; &amp; aanbiedingen.');
    expect(page.html).not.toContain('<b>"Winkelnieuws"</b>');
    expect(page.html).not.toContain('bob@example.nl');
    expect(page.html).not.toContain('<form');

    const json = await get(link.token, { format: 'json' });
    expect(json.status).toBe(200);
    expect(json.headers['Content-Type']).toBe('application/json; charset=utf-8');
    expect(json.headers['Content-Disposition']).toBe('attachment; filename="personal-data.json"');
    const downloaded = JSON.parse(json.html);
    expect(downloaded).toEqual(JSON.parse(JSON.stringify(data)));
    expect(json.html).not.toContain(link.token);
    expect(json.html).not.toContain('bob@example.nl');

    const head = await get(link.token, {}, 'HEAD');
    expect(head).toMatchObject({ status: 200, html: '' });
  });

  test('reading the package changes nothing: the same package after several GETs, no event, the link keeps working', async () => {
    const link = await ledger.issueAccessLink({ email: 'mia@example.nl' });
    if (!link.found) throw new Error('not found');
    const before = await ledger.export({ email: 'mia@example.nl' });
    await get(link.token);
    await get(link.token, { format: 'json' });
    await get(link.token);
    const after = await ledger.export({ email: 'mia@example.nl' });
    expect(after).toEqual(before);
    const post = await get(link.token, {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.Allow).toBe('GET, HEAD');
    expect(post.html).not.toContain('mia@example.nl');
  });

  test('nobody held: no link; a forged, an expired, a wrong-purpose link or one of a person erased since shows no data', async () => {
    expect(await ledger.issueAccessLink({ email: 'nobody@example.nl' })).toEqual({ found: false });
    const link = await ledger.issueAccessLink({ email: 'mia@example.nl' });
    if (!link.found) throw new Error('not found');

    const neutral = (await get('a1.xxxx.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA')).html;
    const forged = link.token.slice(0, -3) + (link.token.endsWith('AAA') ? 'QAA' : 'AAA');
    for (const bad of [forged, link.token.replace(/^a1/, 'e1')]) {
      const response = await get(bad);
      expect(response.status).toBe(404);
      expect(response.html).toBe(neutral);
      expect(response.html).not.toContain('mia@example.nl');
    }
    // An unsubscribe link of the same person is no access link.
    const [asked] = await ledger.request([parseInput(RequestItemSchema, { email: 'mia@example.nl', topics: ['events'], channel: 'email', consentText: 'events', evidence: { actor: { kind: 'person' }, source: { kind: 'webform' } } })], 'signup');
    expect((await get(asked.unsubscribeToken!)).status).toBe(404);

    clock.advanceDays(8);
    const expired = await get(link.token);
    expect(expired.status).toBe(410);
    expect(expired.html).not.toContain('mia@example.nl');
    expect(expired.result.problem).toBe('expired');

    clock.advanceDays(-8);
    await ledger.erase({ email: 'mia@example.nl' }, { reason: 'test' });
    const gone = await get(link.token);
    expect(gone.status).toBe(404);
    expect(gone.html).toBe(neutral);
  });

  test('an erasure under a retention hold: the person stays blocked, and the package lists the erasure receipt', async () => {
    await ledger.hold({ email: 'mia@example.nl' }, new Date('2033-01-01T00:00:00Z'), 'invoices: 7 years');
    const erased = await ledger.atomically(async () => {
      const result = await ledger.erase({ email: 'mia@example.nl' }, { reason: 'asked by phone' });
      await ledger.recordHandledRequest({ channel: 'cli', kind: 'erase', handledBy: 'Eva', outcome: result.outcome, subjectId: result.subjectId, address: null, detail: `receipt=${result.receiptId}` });
      return result;
    });
    expect(erased.outcome).toBe('suppressed');
    const link = await ledger.issueAccessLink({ email: 'mia@example.nl' });
    if (!link.found) throw new Error('not found');
    const data = await ledger.accessPackage(link.token);
    expect(data.erasures).toEqual([expect.objectContaining({ receiptId: erased.receiptId, outcome: 'suppressed' })]);
    expect(data.person.suppressedAt).not.toBeNull();
    expect(data.requests).toEqual([expect.objectContaining({ kind: 'erase', channel: 'cli', outcome: 'suppressed' })]);
    const page = await get(link.token);
    expect(page.html).toContain(erased.receiptId);
  });
});
