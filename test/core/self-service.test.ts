import { Ledger, type RegisterEntry } from '../../core/ledger';
import { handleLinkRequest } from '../../core/pages/handle';
import { TestClock, ledgerDialects } from '../support/ledger';
import { PAGE_OPTIONS, signup, statusOf, subscribed } from './pages/fixtures';

/**
 * The preferences page's "download my data" and "erase my data" (issue 13), on both dialects: a
 * GET only shows the two buttons; the download's POST answers with the access page of a fresh
 * access link, the erase's POST erases only with its tick (under a retention hold: suppressed, and
 * erased when the hold ends); each is in the requests register (channel link) with its outcome, and
 * the click's IP and user agent are recorded. And the unsubscribe page's optional "why are you
 * leaving?": counted per month in the funnel report, never with the person, off by default.
 */
const dialects = ledgerDialects('self');

const UA = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0';

describe.each(dialects)('self-service on the link pages on %s', (_, open) => {
  let ledger: Ledger;
  let clock: TestClock;
  let dispose: () => Promise<void>;
  let token: string;
  beforeEach(async () => {
    ({ ledger, clock, dispose } = await open());
    token = (await subscribed(ledger, { email: 'mia@example.nl', name: 'Mia', locale: 'nl', externalId: 'crm-17' })).unsubscribeToken;
    await subscribed(ledger, { email: 'bob@example.nl', name: 'Bob', locale: 'en' });
  });
  afterEach(() => dispose());

  const page = (method: string, body: Record<string, string> = {}, kind = 'preferences', query: Record<string, string> = { token }) =>
    handleLinkRequest(ledger, { method, kind, query, body: new URLSearchParams({ token, ...body }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': UA }, ip: '203.0.113.44' }, PAGE_OPTIONS);
  const register = async () => {
    const out: RegisterEntry[] = [];
    for await (const entry of ledger.listRequests()) out.push(entry);
    return out;
  };

  test('a GET shows both buttons, each its own form, and changes nothing', async () => {
    const before = await ledger.export({ email: 'mia@example.nl' });
    const shown = await page('GET');
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('Download mijn gegevens');
    expect(shown.html).toContain('Verwijder mijn gegevens');
    expect(shown.html).toContain('<input type="hidden" name="do" value="download">');
    expect(shown.html).toContain('<input type="checkbox" name="sure" value="yes" required>');
    expect(await ledger.export({ email: 'mia@example.nl' })).toEqual(before);
    expect(await register()).toEqual([]);
  });

  test('download my data: the access page of a fresh access link, the request answered in the register, the click recorded', async () => {
    const answered = await page('POST', { do: 'download' });
    expect(answered.status).toBe(200);
    expect(answered.headers['Cache-Control']).toBe('no-store');
    expect(answered.result).toMatchObject({ kind: 'preferences', action: 'download_data', outcome: 'answered', locale: 'nl' });
    expect(answered.html).toContain('De gegevens die we van je hebben');
    expect(answered.html).toContain('mia@example.nl');
    expect(answered.html).not.toContain('bob@example.nl');
    // The page's download link is an access link of its own: it gives the same package as JSON.
    const accessToken = /access\?token=([^&"]+)&amp;format=json/.exec(answered.html)?.[1];
    expect(accessToken).toMatch(/^a1\./);
    const json = await handleLinkRequest(ledger, { method: 'GET', kind: 'access', query: { token: decodeURIComponent(accessToken!), format: 'json' }, headers: {} }, PAGE_OPTIONS);
    expect(json.headers['Content-Disposition']).toBe('attachment; filename="personal-data.json"');
    const data = JSON.parse(json.html);
    expect(data.person).toMatchObject({ email: 'mia@example.nl', externalId: 'crm-17' });
    // The request is in the package too, and the click with its evidence in the history.
    expect(data.requests).toEqual([expect.objectContaining({ id: answered.result.requestId, kind: 'access', channel: 'link', outcome: 'answered' })]);
    expect(data.history.find((e: { action: string }) => e.action === 'access').evidence).toMatchObject({ source: 'link', actor: 'person', ip: '203.0.113.44', userAgent: UA, sourceRef: 'preferences page: download my data' });

    const [entry] = await register();
    expect(entry).toMatchObject({
      id: answered.result.requestId, channel: 'link', kind: 'access', status: 'closed', outcome: 'answered', handledBy: 'preferences page', subjectId: answered.result.subjectId, address: 'mia@example.nl',
    });
    // Nothing else changed: still subscribed, the preferences link still works.
    expect(await statusOf(ledger, 'mia@example.nl')).toBe('confirmed');
    expect((await page('GET')).status).toBe(200);
  });

  test('erase my data without the tick erases nothing and says so; with it, the one erasure path: receipt, register without the address, the link dead', async () => {
    const unticked = await page('POST', { do: 'erase' });
    expect(unticked.status).toBe(200);
    expect(unticked.result).toMatchObject({ action: 'erase_data', outcome: 'unconfirmed' });
    expect(unticked.html).toContain('Er is niets verwijderd: vink eerst het vakje aan om te bevestigen.');
    expect(await statusOf(ledger, 'mia@example.nl')).toBe('confirmed');
    expect(await register()).toEqual([]);

    const erased = await page('POST', { do: 'erase', sure: 'yes' });
    expect(erased.status).toBe(200);
    expect(erased.result).toMatchObject({ kind: 'preferences', action: 'erase_data', outcome: 'erased', externalIds: ['crm-17'] });
    expect(erased.result.receiptId).toMatch(/^erasure-/);
    expect(erased.html).toContain('Je gegevens zijn verwijderd');
    expect(await statusOf(ledger, 'mia@example.nl')).not.toBe('confirmed');
    expect(await ledger.export({ email: 'mia@example.nl' })).toBeUndefined();
    expect(await ledger.export({ email: 'bob@example.nl' })).toBeDefined();

    const [entry] = await register();
    expect(entry).toMatchObject({ id: erased.result.requestId, channel: 'link', kind: 'erase', status: 'closed', outcome: 'erased', handledBy: 'preferences page', address: null });
    const again = await page('GET');
    expect(again.status).toBe(404);
    expect(again.html).not.toContain('Mia');
  });

  test('under a retention hold the erasure is deferred (suppressed, told so) and carried out when the hold ends', async () => {
    await ledger.hold({ email: 'mia@example.nl' }, new Date(clock.at.getTime() + 30 * 86_400_000), 'invoice, tax law');
    const held = await page('POST', { do: 'erase', sure: 'yes' });
    expect(held.result).toMatchObject({ action: 'erase_data', outcome: 'suppressed', externalIds: [] });
    expect(held.html).toContain('vanwege een wettelijke plicht');
    expect(await statusOf(ledger, 'mia@example.nl')).toBe('blacklisted');
    expect((await register())[0]).toMatchObject({ kind: 'erase', channel: 'link', outcome: 'suppressed', status: 'closed' });
    // The suppression keeps the click's evidence.
    const kept = await ledger.export({ email: 'mia@example.nl' });
    expect(JSON.stringify(kept)).toContain('203.0.113.44');

    clock.advanceDays(31);
    const ended = await ledger.endHolds();
    expect(ended).toEqual([expect.objectContaining({ outcome: 'erased' })]);
    expect(await ledger.export({ email: 'mia@example.nl' })).toBeUndefined();
  });

  test('why are you leaving?: off by default; when on, counted per month in the funnel, once per unsubscribe that changed something, never with the person', async () => {
    const unsubscribe = (reason: string, askLeaveReason?: boolean, who = token) =>
      handleLinkRequest(ledger, { method: 'POST', kind: 'unsubscribe', query: {}, body: new URLSearchParams({ token: who, scope: 'link', reason }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, { ...PAGE_OPTIONS, askLeaveReason });
    const reasons = async () => (await ledger.funnel({ weeks: 1 })).months.at(-1)!.leaveReasons;

    expect((await unsubscribe('too_many')).result.outcome).toBe('unsubscribed');
    expect(await reasons()).toEqual({}); // the option is off: the answer is not even read
    const bob = (await subscribed(ledger, { email: 'bob@example.nl', topics: ['events'] })).unsubscribeToken;
    const carl = (await subscribed(ledger, { email: 'carl@example.nl' })).unsubscribeToken;
    const dina = (await subscribed(ledger, { email: 'dina@example.nl' })).unsubscribeToken;
    expect((await unsubscribe('never_signed_up', true, bob)).result.outcome).toBe('unsubscribed');
    await unsubscribe('never_signed_up', true, bob); // pressed again: nothing changed, not counted again
    await unsubscribe('never_signed_up', true, carl);
    await unsubscribe('<script>', true, dina); // not one of the reasons: unsubscribed, not counted
    expect(await statusOf(ledger, 'dina@example.nl')).toBe('unsubscribed');
    expect(await reasons()).toEqual({ never_signed_up: 2 });
    // Next month's answers are next month's.
    clock.advanceDays(31);
    const eva = (await subscribed(ledger, { email: 'eva@example.nl' })).unsubscribeToken;
    await unsubscribe('other', true, eva);
    const months = (await ledger.funnel({ weeks: 8 })).months;
    expect(months.at(-1)!.leaveReasons).toEqual({ other: 1 });
    expect(months.at(-2)!.leaveReasons).toEqual({ never_signed_up: 2 });
    for (const email of ['bob@example.nl', 'carl@example.nl', 'eva@example.nl']) {
      expect(JSON.stringify(await ledger.export({ email }))).not.toMatch(/never_signed_up|"other"/);
    }
  });

  test('the welcome and goodbye mails go only to someone who may get them: by email, a topic changed now, not suppressed; a welcome brings its own unsubscribe link', async () => {
    const mia = (await ledger.export({ email: 'mia@example.nl' }))!.subject.id;
    const changed = (status: 'confirmed' | 'unsubscribed') => [{ topic: 'newsletter', from: 'optin' as const, status, outcome: 'changed' as const, reason: null }];
    const welcome = await ledger.followUpRecipient('welcome', { subjectId: mia, channel: 'email', topics: changed('confirmed') });
    expect(welcome).toMatchObject({ subjectId: mia, email: 'mia@example.nl', name: 'Mia', locale: 'nl' });
    expect((await ledger.viewToken(welcome!.unsubscribeToken, 'unsubscribe')).topics).toEqual(['newsletter']);
    expect(await ledger.followUpRecipient('goodbye', { subjectId: mia, channel: 'email', topics: changed('unsubscribed') })).toMatchObject({ email: 'mia@example.nl', unsubscribeToken: null });
    // Nothing changed, another channel, the wrong change: no mail.
    expect(await ledger.followUpRecipient('welcome', { subjectId: mia, channel: 'email', topics: [{ ...changed('confirmed')[0], outcome: 'kept' }] })).toBeNull();
    expect(await ledger.followUpRecipient('welcome', { subjectId: mia, channel: 'sms', topics: changed('confirmed') })).toBeNull();
    expect(await ledger.followUpRecipient('goodbye', { subjectId: mia, channel: 'email', topics: changed('confirmed') })).toBeNull();
    // Suppressed under a retention hold (an erasure asked): never mailed.
    await ledger.hold({ email: 'mia@example.nl' }, new Date(clock.at.getTime() + 30 * 86_400_000), 'invoice');
    await ledger.erase({ email: 'mia@example.nl' });
    expect(await ledger.followUpRecipient('goodbye', { subjectId: mia, channel: 'email', topics: changed('unsubscribed') })).toBeNull();
    // Erased: nobody left to mail; signed up again, the address stays suppressed until confirmed.
    const bob = (await ledger.export({ email: 'bob@example.nl' }))!.subject.id;
    await ledger.erase({ email: 'bob@example.nl' });
    expect(await ledger.followUpRecipient('goodbye', { subjectId: bob, channel: 'email', topics: changed('unsubscribed') })).toBeNull();
    const again = await signup(ledger, { email: 'bob@example.nl' });
    expect(await ledger.followUpRecipient('goodbye', { subjectId: again.subjectId!, channel: 'email', topics: changed('unsubscribed') })).toBeNull();
    await ledger.confirm(again.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' } }); // proven: the suppression lifts
    expect(await ledger.followUpRecipient('welcome', { subjectId: again.subjectId!, channel: 'email', topics: changed('confirmed') })).toMatchObject({ email: 'bob@example.nl' });
  });
});
