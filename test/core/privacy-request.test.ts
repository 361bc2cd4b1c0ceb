import { Ledger, type PrivacyMailPlan } from '../../core/ledger';
import { privacyRequestMail } from '../../core/inbox';
import type { ComposedMail } from '../../core/mail/compose';
import { handleLinkRequest, type LinkHooks } from '../../core/pages/handle';
import { openStore } from '../../core/store/open';
import { sharedPostgres, stopSharedPostgres, type PostgresCluster } from '../support/postgres';
import { SECRET, TestClock, tempLedger } from '../support/ledger';
import { PAGE_OPTIONS, statusOf, subscribed } from './pages/fixtures';

/**
 * The privacy request form (core/ledger/privacy.ts, core/pages/privacy-act.ts) on both dialects:
 * a submission mails the address once (a confirmation link if we know it, "we hold nothing" if
 * not) and answers the same bytes either way; a second within the resend window mails nothing;
 * the link's GET only shows, its POST carries the request out once and closes it in the register.
 */
let cluster: PostgresCluster | undefined;
let schemas = 0;
afterAll(async () => {
  if (cluster) await stopSharedPostgres();
});

const dialects: [string, () => Promise<{ ledger: Ledger; clock: TestClock; dispose: () => Promise<void> }>][] = [
  ['sqlite', async () => tempLedger({}, new TestClock())],
  [
    'postgres',
    async () => {
      cluster ??= await sharedPostgres();
      const database = await cluster.createDatabase();
      const store = await openStore({ kind: 'postgres', host: cluster.host, port: cluster.port, user: cluster.user, database, schema: `privacy_${++schemas}` });
      const clock = new TestClock();
      const ledger = new Ledger(store, { secret: SECRET }, clock.now);
      return { ledger, clock, dispose: () => ledger.close() };
    },
  ],
];

const BASE = 'https://n8n.example.nl/webhook';
const MAIL_OPTIONS = { mailbox: 'privacy request form', replyFrom: 'Voorbeeld BV <privacy@example.nl>', organisation: 'Voorbeeld BV', baseUrl: BASE, privacyUrl: 'https://example.nl/privacy', defaultLocale: 'en' as const };
const BROWSER = { 'user-agent': 'Firefox/140', 'accept-language': 'nl-NL,nl;q=0.9', 'content-type': 'application/x-www-form-urlencoded' };

describe.each(dialects)('privacy request form on %s', (_, open) => {
  let ledger: Ledger;
  let clock: TestClock;
  let dispose: () => Promise<void>;
  let mails: ComposedMail[];
  let hooks: LinkHooks;
  beforeEach(async () => {
    ({ ledger, clock, dispose } = await open());
    mails = [];
    hooks = { mailPrivacyRequest: async (plan: PrivacyMailPlan) => void mails.push(privacyRequestMail(plan, MAIL_OPTIONS)) };
    await subscribed(ledger, { email: 'mia@example.nl', name: 'Mia', locale: 'nl', topics: ['newsletter', 'events'] });
    await subscribed(ledger, { email: 'bob@example.nl', name: 'Bob', locale: 'en' });
  });
  afterEach(() => dispose());

  const submit = (email: string, choice: string) =>
    handleLinkRequest(ledger, { method: 'POST', kind: 'privacy', body: `choice=${choice}&email=${encodeURIComponent(email)}`, headers: BROWSER, ip: '203.0.113.9' }, PAGE_OPTIONS, hooks);
  const link = (token: string, method = 'GET') =>
    handleLinkRequest(ledger, { method, kind: 'privacy', query: { token }, body: method === 'POST' ? `token=${token}` : undefined, headers: BROWSER, ip: '198.51.100.4' }, PAGE_OPTIONS, hooks);
  const tokenIn = (mail: ComposedMail) => /privacy\?token=([^\s]+)/.exec(mail.text)?.[1] ?? null;
  const register = async () => {
    const rows = [];
    for await (const entry of ledger.listRequests()) rows.push(entry);
    return rows.filter((r) => r.channel === 'form');
  };

  test('known and unknown address: the same bytes back, one mail each; the known one gets a link, the unknown one "we hold nothing"', async () => {
    const known = await submit('Mia@Example.nl', 'access');
    const unknown = await submit('nobody@example.nl', 'access');
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect(unknown.headers).toEqual(known.headers);
    expect(unknown.html).toBe(known.html);
    expect(unknown.result).toEqual(known.result);
    expect(known.result).toMatchObject({ kind: 'privacy', action: 'privacy_request', outcome: 'received', subjectId: null });
    expect(known.html).toContain('Kijk in je mail');
    expect(mails.map((m) => m.to)).toEqual(['mia@example.nl', 'nobody@example.nl']);
    expect(mails[0].subject).toBe('Bevestig uw verzoek aan Voorbeeld BV'); // Mia's stored language
    expect(tokenIn(mails[0])).toMatch(/^p1\./);
    expect(tokenIn(mails[1])).toBeNull();
    expect(mails[1].text).toMatch(/geen gegevens/); // the page's language (Accept-Language nl)
    const rows = await register();
    expect(rows.map((r) => [r.kind, r.outcome, r.status, r.address])).toEqual(
      expect.arrayContaining([
        ['access', 'awaiting_verification', 'open', 'mia@example.nl'],
        ['access', 'not_found', 'closed', 'nobody@example.nl'],
      ]),
    );
    expect(rows.every((r) => r.handledBy === 'privacy request form' && r.dueAt > r.receivedAt)).toBe(true);
  });

  test('list-bombing: a second submission for the same address within the resend window mails nothing, known or unknown; after it, one more', async () => {
    for (const email of ['mia@example.nl', 'nobody@example.nl']) {
      const first = await submit(email, 'erase');
      const again = await submit(email, 'unsubscribe');
      expect(again.html).toBe(first.html);
      expect(again.result).toEqual(first.result);
    }
    expect(mails.map((m) => m.to)).toEqual(['mia@example.nl', 'nobody@example.nl']);
    clock.advanceMinutes(61); // the default resend window is 60 minutes, as for a signup
    await submit('mia@example.nl', 'erase');
    await submit('nobody@example.nl', 'erase');
    expect(mails.map((m) => m.to)).toEqual(['mia@example.nl', 'nobody@example.nl', 'mia@example.nl', 'nobody@example.nl']);
  });

  test('a bad address or choice: the form again with what was typed, as text; nothing recorded, nothing mailed', async () => {
    const hostile = '"><script>alert(1)</script>@x';
    const bad = await submit(hostile, 'access');
    expect(bad.status).toBe(400);
    expect(bad.html).not.toContain('<script>alert(1)</script>');
    expect(bad.html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@x');
    expect((await submit('mia@example.nl', 'everything')).status).toBe(400);
    expect(mails).toEqual([]);
    expect(await register()).toEqual([]);
  });

  test('the confirmation link: GET shows and changes nothing; POST stops all mail once; a second POST changes nothing and says so', async () => {
    await submit('mia@example.nl', 'unsubscribe');
    const token = tokenIn(mails[0])!;
    for (let i = 0; i < 2; i++) {
      const shown = await link(token);
      expect(shown.status).toBe(200);
      expect(shown.html).toContain('Geen mail meer');
      expect(shown.html).toContain(`value="${token}"`);
      expect((await link(token, 'HEAD')).html).toBe('');
    }
    expect(await statusOf(ledger, 'mia@example.nl', 'events')).toBe('confirmed');
    expect((await register())[0]).toMatchObject({ status: 'open', outcome: 'awaiting_verification' });

    const done = await link(token, 'POST');
    expect(done.status).toBe(200);
    expect(done.result).toMatchObject({ kind: 'privacy', action: 'privacy_confirm', outcome: 'unsubscribed', privacyChoice: 'unsubscribe', topics: expect.arrayContaining(['newsletter', 'events']) });
    expect(done.html).toContain('Je krijgt geen mail meer van Voorbeeld BV.');
    expect(await statusOf(ledger, 'mia@example.nl', 'newsletter')).toBe('unsubscribed');
    expect(await statusOf(ledger, 'mia@example.nl', 'events')).toBe('unsubscribed');
    expect(await statusOf(ledger, 'bob@example.nl')).toBe('confirmed');
    const exported = await ledger.export({ email: 'mia@example.nl' });
    expect(exported!.purposes.find((p) => p.purpose === 'emarketing')).toMatchObject({ state: 'withdrawn' });
    const evidence = exported!.events.filter((e) => e.action === 'unsubscribe');
    expect(evidence.length).toBeGreaterThan(0);
    expect(evidence.every((e) => e.ip === '198.51.100.4' && e.userAgent === 'Firefox/140')).toBe(true);
    expect((await register())[0]).toMatchObject({ status: 'closed', outcome: 'unsubscribed', handledBy: 'privacy request form' });

    const eventsBefore = exported!.events.length;
    const again = await link(token, 'POST');
    expect(again.status).toBe(200);
    expect(again.result.outcome).toBe('already_done');
    expect(again.html).toContain('Dit verzoek is al uitgevoerd');
    expect((await ledger.export({ email: 'mia@example.nl' }))!.events.length).toBe(eventsBefore);
    expect((await link(token)).html).toContain('Dit verzoek is al uitgevoerd');
  });

  test('erase: the one erasure path (receipt, address gone from the register); a hold defers it; a second POST erases nothing more', async () => {
    await ledger.hold({ email: 'bob@example.nl' }, new Date(clock.now().getTime() + 365 * 86_400_000), 'invoice, tax law');
    await submit('mia@example.nl', 'erase');
    await submit('bob@example.nl', 'erase');
    const [mia, bob] = mails.map((m) => tokenIn(m)!);
    const erased = await link(mia, 'POST');
    expect(erased.result).toMatchObject({ outcome: 'erased', receiptId: expect.stringMatching(/^erasure-/) });
    expect(erased.html).toContain('Je gegevens zijn verwijderd');
    expect(await ledger.export({ email: 'mia@example.nl' })).toBeUndefined();
    const held = await link(bob, 'POST');
    expect(held.result).toMatchObject({ outcome: 'suppressed' });
    const rows = await register();
    expect(rows.map((r) => [r.kind, r.outcome, r.status, r.address]).sort()).toEqual([
      ['erase', 'erased', 'closed', null],
      ['erase', 'suppressed', 'closed', null],
    ]);
    const again = await link(mia, 'POST');
    expect(again.result.outcome).toBe('already_done');
    expect(await statusOf(ledger, 'bob@example.nl')).not.toBe('confirmed');
  });

  test('see my data: POST leads to the access page of that person only; the request is answered', async () => {
    await submit('mia@example.nl', 'access');
    const done = await link(tokenIn(mails[0])!, 'POST');
    expect(done.result).toMatchObject({ outcome: 'answered', privacyChoice: 'access' });
    const access = /href="access\?token=([^"]+)"/.exec(done.html)?.[1];
    expect(access).toMatch(/^a1\./);
    const data = await ledger.accessPackage(decodeURIComponent(access!));
    expect(data.person.email).toBe('mia@example.nl');
    expect(data.requests).toEqual(expect.arrayContaining([expect.objectContaining({ channel: 'form', kind: 'access', outcome: 'answered' })]));
    expect((await register())[0]).toMatchObject({ status: 'closed', outcome: 'answered' });
  });

  test('an expired link says so; a forged one gets the neutral page; a mailer that fails: try again later, and the person may try again at once', async () => {
    await submit('mia@example.nl', 'access');
    const token = tokenIn(mails[0])!;
    clock.advanceDays(1);
    expect((await link(token)).status).toBe(410);
    expect((await link(token.slice(0, -2) + 'AA', 'POST')).status).toBe(404);

    hooks.mailPrivacyRequest = async () => {
      throw new Error('SMTP down');
    };
    const failed = await submit('bob@example.nl', 'access');
    expect(failed.status).toBe(500);
    hooks.mailPrivacyRequest = async (plan) => void mails.push(privacyRequestMail(plan, MAIL_OPTIONS));
    expect((await submit('bob@example.nl', 'access')).status).toBe(200);
    expect(mails.map((m) => m.to)).toEqual(['mia@example.nl', 'bob@example.nl']);
  });
});
