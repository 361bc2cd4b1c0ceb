import { createHash } from 'node:crypto';
import { InvalidInput } from '../../../core/errors';
import type { Ledger } from '../../../core/ledger';
import { handleLinkRequest, type LinkRequest, type LinkResponse } from '../../../core/pages/handle';
import { tempLedger, SECRET, type TestClock } from '../../support/ledger';
import { eraseVerification, PAGE_OPTIONS, signup, statusOf, subscribed } from './fixtures';

let t: Awaited<ReturnType<typeof tempLedger>>;
let ledger: Ledger;
let clock: TestClock;
beforeEach(async () => {
  t = await tempLedger();
  ledger = t.ledger;
  clock = t.clock;
});
afterEach(() => t?.dispose());

const BROWSER = { 'user-agent': 'Mozilla/5.0 (Android 14; Mobile) Firefox/140.0', 'accept-language': 'en-GB,en;q=0.9' };

function call(request: Partial<LinkRequest> & Pick<LinkRequest, 'method'>, options = PAGE_OPTIONS): Promise<LinkResponse> {
  return handleLinkRequest(ledger, { kind: 'confirm', headers: BROWSER, ip: '198.51.100.7', ...request }, options);
}

/** A token with a valid MAC that this ledger never issued: made by another ledger with the same secret. */
async function unknownConfirmToken(): Promise<string> {
  const other = await tempLedger();
  try {
    return (await signup(other.ledger, { email: 'elsewhere@example.com' })).confirmToken;
  } finally {
    await other.dispose();
  }
}

// A different MAC in canonical spelling: the second-to-last character carries six full bits (the
// last only a few, so changing it may make the token malformed rather than forged).
function forge(token: string): string {
  return token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.slice(-1);
}

describe('methods and statuses, one line per rule', () => {
  type Case = {
    name: string;
    request: (tokens: { confirm: string; unsubscribe: string }) => Promise<Partial<LinkRequest> & Pick<LinkRequest, 'method'>> | (Partial<LinkRequest> & Pick<LinkRequest, 'method'>);
    status: number;
    problem?: string;
    outcome: string;
    /** the person's newsletter status afterwards */
    after: string;
    allow?: string;
  };
  const cases: Case[] = [
    { name: 'GET confirm shows the page', request: (k) => ({ method: 'GET', query: { token: k.confirm } }), status: 200, outcome: 'shown', after: 'optin' },
    { name: 'HEAD confirm answers like GET, without a body', request: (k) => ({ method: 'HEAD', query: { token: k.confirm } }), status: 200, outcome: 'shown', after: 'optin' },
    { name: 'lower-case get is GET', request: (k) => ({ method: 'get', query: { token: k.confirm } }), status: 200, outcome: 'shown', after: 'optin' },
    { name: 'POST confirm confirms', request: (k) => ({ method: 'POST', query: { token: k.confirm } }), status: 200, outcome: 'confirmed', after: 'confirmed' },
    { name: 'POST confirm with the token only in the form', request: (k) => ({ method: 'POST', body: { token: k.confirm } }), status: 200, outcome: 'confirmed', after: 'confirmed' },
    { name: 'PUT is not allowed', request: (k) => ({ method: 'PUT', query: { token: k.confirm } }), status: 405, problem: 'method_not_allowed', outcome: 'method_not_allowed', after: 'optin', allow: 'GET, HEAD, POST' },
    { name: 'DELETE unsubscribe is not allowed', request: (k) => ({ method: 'DELETE', kind: 'unsubscribe', query: { token: k.unsubscribe } }), status: 405, problem: 'method_not_allowed', outcome: 'method_not_allowed', after: 'optin', allow: 'GET, HEAD, POST' },
    { name: 'OPTIONS preferences is not allowed', request: (k) => ({ method: 'OPTIONS', kind: 'preferences', query: { token: k.unsubscribe } }), status: 405, problem: 'method_not_allowed', outcome: 'method_not_allowed', after: 'optin', allow: 'GET, HEAD, POST' },
    { name: 'GET without a token', request: () => ({ method: 'GET' }), status: 400, problem: 'missing_token', outcome: 'rejected', after: 'optin' },
    { name: 'POST without a token', request: () => ({ method: 'POST', body: 'x=1' }), status: 400, problem: 'missing_token', outcome: 'rejected', after: 'optin' },
    { name: 'GET with a malformed token', request: () => ({ method: 'GET', query: { token: 'abc' } }), status: 400, problem: 'malformed', outcome: 'rejected', after: 'optin' },
    { name: 'GET with a forged token', request: (k) => ({ method: 'GET', query: { token: forge(k.confirm) } }), status: 404, problem: 'forged', outcome: 'rejected', after: 'optin' },
    { name: 'POST with a forged token', request: (k) => ({ method: 'POST', query: { token: forge(k.confirm) } }), status: 404, problem: 'forged', outcome: 'rejected', after: 'optin' },
    { name: 'an unsubscribe token on the confirm link', request: (k) => ({ method: 'POST', query: { token: k.unsubscribe } }), status: 404, problem: 'wrong_purpose', outcome: 'rejected', after: 'optin' },
    { name: 'a token this ledger never issued', request: async () => ({ method: 'POST', query: { token: await unknownConfirmToken() } }), status: 404, problem: 'unknown', outcome: 'rejected', after: 'optin' },
    { name: 'the request has no method', request: (k) => ({ method: undefined as unknown as string, query: { token: k.confirm } }), status: 400, problem: 'bad_request', outcome: 'rejected', after: 'optin' },
    { name: 'the request names no known link', request: (k) => ({ method: 'GET', kind: 'delete-everything' as 'confirm', query: { token: k.confirm } }), status: 400, problem: 'bad_request', outcome: 'rejected', after: 'optin' },
    { name: 'the link kind read from the path', request: (k) => ({ method: 'POST', kind: undefined, path: '/webhook/confirm', query: { token: k.confirm } }), status: 200, outcome: 'confirmed', after: 'confirmed' },
  ];

  test.each(cases)('$name → $status', async (c) => {
    const requested = await signup(ledger, { email: 'anna@example.nl' });
    const request = await c.request({ confirm: requested.confirmToken, unsubscribe: requested.unsubscribeToken });
    const response = await call(request);
    expect(response.status).toBe(c.status);
    expect(response.result.outcome).toBe(c.outcome);
    expect(response.result.problem).toBe(c.problem);
    expect(response.headers.Allow).toBe(c.allow);
    expect(await statusOf(ledger, 'anna@example.nl')).toBe(c.after);
    const isHead = String(request.method).toUpperCase() === 'HEAD';
    expect(response.html === '').toBe(isHead);
    if (!isHead) expect(response.html).toMatch(/^<!doctype html>/);
  });

  test('a confirm link opened again after confirming: GET and POST say "already confirmed", in the person\'s language, and change nothing', async () => {
    const { confirmToken } = await signup(ledger, { email: 'anna@example.nl', locale: 'nl', topics: ['newsletter', 'events'] });
    expect((await call({ method: 'POST', query: { token: confirmToken } })).result.outcome).toBe('confirmed');
    const eventsBefore = (await ledger.export({ email: 'anna@example.nl' }))!.events.length;
    const get = await call({ method: 'GET', query: { token: confirmToken } });
    const post = await call({ method: 'POST', query: { token: confirmToken } });
    expect([get.status, get.result.outcome, get.result.problem, post.status, post.result.outcome, post.result.problem]).toEqual([200, 'already_confirmed', undefined, 200, 'already_confirmed', undefined]);
    expect(get.html).toContain('Je hebt je aanmelding al bevestigd');
    expect(get.html).toContain('<li>Nieuwsbrief</li>');
    expect(get.html).toContain('<li>Evenementen</li>');
    expect(get.html).not.toContain('Deze link werkt niet');
    expect(post.html).toBe(get.html);
    expect(get.result.topics).toEqual(['newsletter', 'events']);
    expect((await ledger.export({ email: 'anna@example.nl' }))!.events.length).toBe(eventsBefore);
  });

  test('"already confirmed" only for a link of ours that was used and still holds: forged, unknown, or unsubscribed since, get the neutral page', async () => {
    const { confirmToken, unsubscribeToken } = await signup(ledger, { email: 'anna@example.nl' });
    await call({ method: 'POST', query: { token: confirmToken } });
    // Forged: the MAC fails before any lookup, whether the real link was used or not.
    const forged = await call({ method: 'GET', query: { token: forge(confirmToken) } });
    expect([forged.status, forged.result.problem]).toEqual([404, 'forged']);
    expect(forged.html).not.toMatch(/already|confirmed/i);
    const english = await call({ method: 'GET', query: { token: confirmToken } });
    expect(english.html).toContain('You have already confirmed');
    // Unsubscribed since: the link no longer says anything about the person.
    await call({ method: 'POST', kind: 'unsubscribe', query: { token: unsubscribeToken }, body: { scope: 'all' } });
    const get = await call({ method: 'GET', query: { token: confirmToken } });
    expect([get.status, get.result.problem]).toEqual([404, 'used']);
    expect(get.html).toBe(forged.html);
  });

  test('an expired link answers 410 with the expired page, for GET and POST, and changes nothing', async () => {
    const { confirmToken } = await signup(ledger, { email: 'anna@example.nl' });
    clock.advanceDays(31);
    const get = await call({ method: 'GET', query: { token: confirmToken } });
    const post = await call({ method: 'POST', query: { token: confirmToken } });
    expect([get.status, get.result.problem, post.status, post.result.problem]).toEqual([410, 'expired', 410, 'expired']);
    expect(get.html).toContain('This link has expired');
    expect(get.html).toContain('href="https://example.nl/aanmelden"');
    expect(await statusOf(ledger, 'anna@example.nl')).toBe('optin');
  });

  test('every token problem but expiry gets byte-identical HTML', async () => {
    const { confirmToken } = await signup(ledger, { email: 'anna@example.nl' });
    const pages = new Set<string>();
    for (const token of ['abc', forge(confirmToken), await unknownConfirmToken()]) {
      pages.add((await call({ method: 'GET', query: { token } })).html);
    }
    await call({ method: 'POST', query: { token: confirmToken } });
    await ledger.unsubscribeByRef({ email: 'anna@example.nl' }, 'all', 'email', { actor: { kind: 'person' }, source: { kind: 'mailbox' } });
    pages.add((await call({ method: 'GET', query: { token: confirmToken } })).html); // used, and no longer confirmed
    pages.add((await call({ method: 'GET', query: {} })).html);
    expect(pages.size).toBe(1);
    const [page] = pages;
    expect(page).toContain('This link does not work');
    expect(page).not.toMatch(/anna|example\.nl\/(?!privacy)|used|expired|unknown|forged/i);
  });
});

describe('headers', () => {
  test('every page: no-store, no-referrer, never framed, nosniff, and a CSP with no outside source', async () => {
    const { confirmToken, unsubscribeToken } = await signup(ledger, { email: 'anna@example.nl' });
    const responses = [
      await call({ method: 'GET', query: { token: confirmToken } }),
      await call({ method: 'GET', kind: 'unsubscribe', query: { token: unsubscribeToken } }),
      await call({ method: 'GET', kind: 'preferences', query: { token: unsubscribeToken } }),
      await call({ method: 'GET', query: { token: 'abc' } }),
      await call({ method: 'PUT', query: { token: confirmToken } }),
      await call({ method: 'POST', query: { token: confirmToken } }),
    ];
    for (const { headers } of responses) {
      expect(headers).toMatchObject({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        'X-Frame-Options': 'DENY',
        'X-Content-Type-Options': 'nosniff',
      });
      const csp = headers['Content-Security-Policy'];
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toMatch(/https?:|\*|unsafe-inline|unsafe-eval|nonce-/);
      for (const value of Object.values(headers)) expect(value).not.toMatch(/[\r\n]/);
    }
  });

  test('the confirm page allows exactly its own script by hash; with requireClick it has no script at all', async () => {
    const { confirmToken } = await signup(ledger, { email: 'anna@example.nl' });
    const auto = await call({ method: 'GET', query: { token: confirmToken } });
    const script = /<script>([\s\S]*?)<\/script>/.exec(auto.html)![1];
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(auto.headers['Content-Security-Policy']).toContain(`script-src 'sha256-${hash}'`);
    expect(auto.html.match(/<script/g)).toHaveLength(1);

    const strict = await call({ method: 'GET', query: { token: confirmToken } }, { ...PAGE_OPTIONS, requireClick: true });
    expect(strict.html).not.toContain('<script');
    expect(strict.headers['Content-Security-Policy']).not.toContain('script-src');
    expect(strict.html).toContain('<button type="submit">Yes, confirm</button>');
  });

  test('other pages carry no script', async () => {
    const { unsubscribeToken } = await signup(ledger, { email: 'anna@example.nl' });
    for (const kind of ['unsubscribe', 'preferences'] as const) {
      const response = await call({ method: 'GET', kind, query: { token: unsubscribeToken } });
      expect(response.html).not.toContain('<script');
      expect(response.headers['Content-Security-Policy']).not.toContain('script-src');
    }
  });
});

describe('the POSTs', () => {
  test('confirm records the person, the link, IP and user agent as evidence', async () => {
    const { confirmToken } = await signup(ledger, { email: 'anna@example.nl' });
    clock.advanceMinutes(3);
    const response = await call({ method: 'POST', query: { token: confirmToken }, ip: '::ffff:203.0.113.9' });
    expect(response.result).toMatchObject({ kind: 'confirm', action: 'confirm', outcome: 'confirmed', channel: 'email', topics: ['newsletter'] });
    const event = (await ledger.export({ email: 'anna@example.nl' }))!.events.find((e) => e.action === 'confirm')!;
    expect(event).toMatchObject({
      actorKind: 'person',
      sourceKind: 'link',
      sourceRef: 'confirm page',
      ip: '203.0.113.9',
      userAgent: BROWSER['user-agent'],
      at: '2026-11-23T10:03:00.000Z',
    });
  });

  test('an IP that is not an address is left out of the evidence, not a failure', async () => {
    const { confirmToken } = await signup(ledger, { email: 'anna@example.nl' });
    const response = await call({ method: 'POST', query: { token: confirmToken }, ip: 'unknown' });
    expect(response.result.outcome).toBe('confirmed');
    const event = (await ledger.export({ email: 'anna@example.nl' }))!.events.find((e) => e.action === 'confirm')!;
    expect(event.ip).toBeNull();
  });

  test.each([
    ['urlencoded, as a raw string', 'application/x-www-form-urlencoded', 'List-Unsubscribe=One-Click'],
    ['urlencoded, parsed by the host', 'application/x-www-form-urlencoded', { 'List-Unsubscribe': 'One-Click' }],
    [
      'multipart/form-data',
      'multipart/form-data; boundary=----x42',
      '------x42\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n------x42--\r\n',
    ],
  ])('RFC 8058 one-click, %s: unsubscribes at once and answers 200', async (_, contentType, body) => {
    const { unsubscribeToken } = await subscribed(ledger, { email: 'anna@example.nl' });
    const response = await call({ method: 'POST', kind: 'unsubscribe', query: { token: unsubscribeToken }, body, headers: { 'content-type': contentType } });
    expect(response.status).toBe(200);
    expect(response.result).toMatchObject({ action: 'one_click_unsubscribe', outcome: 'unsubscribed', topics: ['newsletter'] });
    expect(await statusOf(ledger, 'anna@example.nl')).toBe('unsubscribed');
    const event = (await ledger.export({ email: 'anna@example.nl' }))!.events.find((e) => e.action === 'unsubscribe')!;
    expect(event.sourceRef).toBe('List-Unsubscribe one-click (RFC 8058)');
  });

  test('unsubscribe "this list" leaves other topics; "all mail" ends them all', async () => {
    const first = await subscribed(ledger, { email: 'anna@example.nl', topics: ['newsletter'] });
    await subscribed(ledger, { email: 'anna@example.nl', topics: ['events'] });
    const thisList = await call({ method: 'POST', kind: 'unsubscribe', body: { token: first.unsubscribeToken, scope: 'link' } });
    expect(thisList.result).toMatchObject({ action: 'unsubscribe', outcome: 'unsubscribed', topics: ['newsletter'] });
    expect([await statusOf(ledger, 'anna@example.nl', 'newsletter'), await statusOf(ledger, 'anna@example.nl', 'events')]).toEqual(['unsubscribed', 'confirmed']);
    const all = await call({ method: 'POST', kind: 'unsubscribe', body: { token: first.unsubscribeToken, scope: 'all' } });
    expect(all.result.outcome).toBe('unsubscribed');
    expect(await statusOf(ledger, 'anna@example.nl', 'events')).toBe('unsubscribed');
    // Idempotent: a second click changes nothing and still shows the unsubscribed page.
    const again = await call({ method: 'POST', kind: 'unsubscribe', body: { token: first.unsubscribeToken, scope: 'all' } });
    expect([again.status, again.result.outcome]).toEqual([200, 'unchanged']);
    expect(again.html).toContain('You are unsubscribed');
  });

  test('preferences: only the box the person changed is sent to the ledger', async () => {
    const { unsubscribeToken } = await subscribed(ledger, { email: 'anna@example.nl', topics: ['newsletter', 'events'] });
    // The form showed both ticked; the person unticked events only.
    const response = await call({
      method: 'POST',
      kind: 'preferences',
      body: { token: unsubscribeToken, shown: ['newsletter', 'events'], was: ['newsletter', 'events'], topic: 'newsletter' },
    });
    expect(response.result).toMatchObject({ action: 'set_preferences', outcome: 'updated', topics: ['events'] });
    expect([await statusOf(ledger, 'anna@example.nl', 'newsletter'), await statusOf(ledger, 'anna@example.nl', 'events')]).toEqual(['confirmed', 'unsubscribed']);
  });

  test('preferences: what a box offers comes from the transition table; a bounced topic can be ticked again, a blacklisted one cannot', async () => {
    const { unsubscribeToken } = await subscribed(ledger, { email: 'anna@example.nl', topics: ['newsletter', 'events'] });
    await ledger.bounce('anna@example.nl', { actor: { kind: 'system' }, source: { kind: 'mailbox' } });
    await ledger.setStatus({ email: 'anna@example.nl' }, { topic: 'events', channel: 'email', status: 'blacklisted' }, { actor: { kind: 'operator' }, description: 'asked by phone' });
    const page = (await call({ method: 'GET', kind: 'preferences', query: { token: unsubscribeToken } })).html;
    expect(page).toMatch(/<input type="checkbox" name="topic" value="newsletter">/);
    expect(page).toMatch(/<input type="checkbox" name="topic" value="events" disabled>/);
    expect(page).toContain('<input type="hidden" name="shown" value="newsletter">');
    expect(page).not.toContain('<input type="hidden" name="shown" value="events">');
    // Ticking the bounced topic again: the person reads our mail, as the table's signup and confirm allow.
    const response = await call({ method: 'POST', kind: 'preferences', body: { token: unsubscribeToken, shown: ['newsletter'], topic: 'newsletter' } });
    expect(response.result).toMatchObject({ action: 'set_preferences', outcome: 'updated', topics: ['newsletter'] });
    expect([await statusOf(ledger, 'anna@example.nl', 'newsletter'), await statusOf(ledger, 'anna@example.nl', 'events')]).toEqual(['confirmed', 'blacklisted']);
  });

  test('preferences: the person sees, read-only, what else is held and why; e-marketing itself is the form', async () => {
    const { unsubscribeToken } = await subscribed(ledger, { email: 'anna@example.nl', topics: ['newsletter'] });
    const without = (await call({ method: 'GET', kind: 'preferences', query: { token: unsubscribeToken } })).html;
    expect(without).not.toContain('What else we keep');
    await ledger.setPurpose({ email: 'anna@example.nl' }, { purpose: 'sales_and_service', basis: 'contract' }, { actor: { kind: 'operator' }, proofRef: 'contract-7', at: new Date('2026-10-01T09:00:00Z') });
    await ledger.setPurpose({ email: 'anna@example.nl' }, { purpose: 'loyalty_<b>card</b>', basis: 'consent' }, { actor: { kind: 'operator' }, proofRef: 'form-3' }).catch((e: Error) => e);
    const page = (await call({ method: 'GET', kind: 'preferences', query: { token: unsubscribeToken } })).html;
    expect(page).toContain('<h2>What else we keep, and why</h2>');
    expect(page).toContain('<li>Sales and service: a contract with you, since 2026-10-01</li>');
    expect(page).not.toMatch(/<li>emarketing/); // the mailings are the form above, not this list
    expect(page).not.toContain('<b>card');
    // Nothing there is a form field: the list changes nothing.
    const held = page.slice(page.indexOf('class="held"'));
    expect(held.slice(0, held.indexOf('</section>'))).not.toContain('<input');
  });

  test('erase verification: the POST erases, the GET before it does not', async () => {
    await signup(ledger, { email: 'eva@example.nl', name: 'Eva', externalId: 'CRM-88' });
    const token = await eraseVerification(ledger, 'eva@example.nl');
    const get = await call({ method: 'GET', kind: 'erase', query: { token } });
    expect([get.status, get.result.outcome]).toEqual([200, 'shown']);
    expect(await ledger.export({ email: 'eva@example.nl' })).toBeDefined();
    const post = await call({ method: 'POST', kind: 'erase', query: { token } });
    // The CRM id comes out for the workflow's CRM delete step; the address does not.
    expect(post.result).toMatchObject({ action: 'erase', outcome: 'erased', requestMessageId: '<erase-eva@example.nl>', externalIds: ['CRM-88'] });
    expect(post.result.receiptId).toMatch(/^erasure-/);
    expect(post.html).toContain('Your data has been erased');
    expect(await ledger.export({ email: 'eva@example.nl' })).toBeUndefined();
    expect((await call({ method: 'POST', kind: 'erase', query: { token } })).result.problem).toBe('used');
  });

  test('erase verification under a retention hold: suppressed, and the page says data is kept by law', async () => {
    await subscribed(ledger, { email: 'held@example.nl' });
    await ledger.hold({ email: 'held@example.nl' }, new Date('2033-01-01T00:00:00Z'), 'invoices: 7 years');
    const token = await eraseVerification(ledger, 'held@example.nl');
    const post = await call({ method: 'POST', kind: 'erase', query: { token } });
    expect(post.result.outcome).toBe('suppressed');
    expect(post.html).toContain('must keep part of your data for a legal obligation');
    expect(post.html).not.toContain('invoices');
    expect(await statusOf(ledger, 'held@example.nl')).toBe('blacklisted');
  });
});

describe('the result carries no personal data', () => {
  test('no address, name, IP, user agent or token in any result', async () => {
    const person = { email: 'anna.de.vries@example.nl', name: 'Anna de Vries' };
    const { confirmToken, unsubscribeToken } = await signup(ledger, person);
    const results = [
      (await call({ method: 'GET', query: { token: confirmToken } })).result,
      (await call({ method: 'POST', query: { token: confirmToken } })).result,
      (await call({ method: 'POST', query: { token: confirmToken } })).result,
      (await call({ method: 'GET', kind: 'preferences', query: { token: unsubscribeToken } })).result,
      (await call({ method: 'POST', kind: 'unsubscribe', query: { token: unsubscribeToken } })).result,
    ];
    const text = JSON.stringify(results);
    for (const secret of [person.email, 'Anna', '198.51.100.7', 'Firefox', confirmToken, unsubscribeToken, SECRET]) {
      expect(text).not.toContain(secret);
    }
    expect(results[1]).toMatchObject({ subjectId: expect.any(Number), channel: 'email', topics: ['newsletter'] });
  });
});

describe('language', () => {
  test('the person\'s own language wins over the browser\'s', async () => {
    const { confirmToken } = await signup(ledger, { email: 'anna@example.nl', locale: 'nl' });
    const response = await call({ method: 'GET', query: { token: confirmToken }, headers: { 'accept-language': 'en' } });
    expect(response.html).toContain('<html lang="nl">');
    expect(response.html).toContain('Bevestig je aanmelding');
    expect(response.html).toContain('<li>Nieuwsbrief</li>');
    expect(response.headers['Content-Language']).toBe('nl');
  });

  test('no language known: the configured default, else Accept-Language, else English', async () => {
    const { confirmToken } = await signup(ledger, { email: 'anna@example.nl' });
    const viaDefault = await call({ method: 'GET', query: { token: confirmToken }, headers: { 'accept-language': 'en' } }, { ...PAGE_OPTIONS, defaultLocale: 'nl' });
    const viaBrowser = await call({ method: 'GET', query: { token: confirmToken }, headers: { 'accept-language': 'de-DE, nl;q=0.8, en;q=0.5' } });
    const fallback = await call({ method: 'GET', query: { token: confirmToken }, headers: { 'accept-language': 'fr' } });
    expect([viaDefault.result.locale, viaBrowser.result.locale, fallback.result.locale]).toEqual(['nl', 'nl', 'en']);
  });

  test('the neutral page follows Accept-Language', async () => {
    const response = await call({ method: 'GET', query: { token: 'abc' }, headers: { 'accept-language': 'nl-NL' } });
    expect(response.html).toContain('Deze link werkt niet');
  });
});

describe('options', () => {
  test.each([
    [{ ...PAGE_OPTIONS, organisation: '' }, 'organisation'],
    [{ ...PAGE_OPTIONS, privacyUrl: 'javascript:alert(1)' }, 'privacyUrl'],
    [{ ...PAGE_OPTIONS, privacyUrl: '/privacy' }, 'privacyUrl'],
    [{ ...PAGE_OPTIONS, defaultLocale: 'xx' }, 'defaultLocale'],
  ])('a wrong setting throws InvalidInput naming the field (%#)', async (options, field) => {
    const promise = handleLinkRequest(ledger, { method: 'GET', kind: 'confirm', query: {} }, options as typeof PAGE_OPTIONS);
    await expect(promise).rejects.toThrow(InvalidInput);
    await expect(promise).rejects.toThrow(field);
  });
});
