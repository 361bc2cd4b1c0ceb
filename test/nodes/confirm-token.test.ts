// The confirm flow through the real n8n engine: Webhook → Confirm Token → Respond to Webhook,
// driven with the items n8n's Webhook node makes for a GET and then a POST; then a real browser
// against the same workflow, served by a stand-in for n8n's webhook server.
import type { IDataObject } from 'n8n-workflow';
import type { Browser } from 'playwright-core';
import { RequestItemSchema } from '../../core/ledger';
import { linkFor } from '../../core/links';
import { parseInput } from '../../core/validation';
import { closeLedgers } from '../../nodes/shared/ledger-connection';
import { clientIp } from '../../nodes/shared/link-request';
import { launchChromium } from '../support/browser';
import { tempLedger } from '../support/ledger';
import { disposeEngine, ensureN8nHostForEngine, runWorkflow } from '../support/n8n-engine';
import { composeMail } from '../../core/mail/compose';
import { rawHeader, SmtpPeer } from '../support/smtp-peer';
import { BASE_URL, ledgerCredential, linkWorkflow, node, ORGANISATION, PRIVACY_URL, respondToWebhook, runOptions, smtpCredential, start, webhook, webhookItem, workflow } from './support';
import { startWebhookHost } from './webhook-host';

const TEXT = 'Ja, ik wil de nieuwsbrief ontvangen.';

let t: Awaited<ReturnType<typeof tempLedger>>;
let browser: Browser | undefined;

beforeAll(async () => {
  await ensureN8nHostForEngine();
  t = await tempLedger();
}, 20 * 60_000);

afterAll(async () => {
  await browser?.close();
  await closeLedgers();
  await t?.dispose();
  await disposeEngine();
});

async function signup(email: string, name?: string) {
  const [r] = await t.ledger.request([parseInput(RequestItemSchema, { email, name, consentText: TEXT, topics: ['newsletter', 'events'] })], 'signup');
  return r.confirmToken!;
}

async function statusOf(email: string, topic = 'newsletter') {
  const [c] = await t.ledger.check([{ email, topic, channel: 'email' }]);
  return c.status;
}

const confirmNode = (parameters: Record<string, unknown> = {}) => node('Confirm Token', 'confirmToken', { link: 'confirm', method: 'auto', ...parameters });
const options = (items: IDataObject[], startNode: string, credentialMore: Record<string, unknown> = {}) =>
  runOptions({ consentLedgerApi: ledgerCredential(t.path, credentialMore) }, { items, startNode });

describe('Webhook → Confirm Token → Respond to Webhook', () => {
  test('GET shows the page and changes nothing; POST confirms with the click as evidence; a second POST says it was already confirmed', async () => {
    const token = await signup('anna@example.test', 'Anna');
    const flow = linkWorkflow('consent/confirm', confirmNode());

    const get = await runWorkflow(flow, options([webhookItem({ path: 'consent/confirm', query: { token } })], 'Link (GET)'));

    expect(get.status).toBe('success');
    expect(get.executionOrder).toEqual(['Link (GET)', 'Confirm Token', 'Respond to Webhook']);
    expect(get.json('Confirm Token')[0]).toMatchObject({ status: 200, kind: 'confirm', action: 'show', outcome: 'shown', topics: ['newsletter', 'events'], locale: 'nl' });
    const [page] = get.responses;
    expect(page.statusCode).toBe(200);
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'x-robots-tag': 'noindex, nofollow',
      'content-language': 'nl',
    });
    expect(String((page.headers as Record<string, string>)['content-security-policy'])).toMatch(/^default-src 'none'/);
    expect(String(page.body)).toContain('<form id="confirm-form" method="post">');
    expect(String(page.body)).toContain(`value="${token}"`);
    expect(await statusOf('anna@example.test')).toBe('optin');

    const post = await runWorkflow(
      flow,
      options(
        [
          webhookItem({
            path: 'consent/confirm',
            body: { token },
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.7, 203.0.113.9', 'user-agent': 'Firefox/140' },
          }),
        ],
        'Link (POST)',
      ),
    );

    expect(post.status).toBe('success');
    expect(post.json('Confirm Token')[0]).toMatchObject({
      status: 200,
      action: 'confirm',
      outcome: 'confirmed',
      changes: [
        { topic: 'newsletter', from: 'optin', status: 'confirmed', outcome: 'changed' },
        { topic: 'events', from: 'optin', status: 'confirmed', outcome: 'changed' },
      ],
    });
    // The result is for the workflow: no address, name, IP or token in it.
    const result = JSON.stringify({ ...post.json('Confirm Token')[0], html: undefined });
    expect(result).not.toMatch(/anna|203\.0\.113|Firefox|c1\./);
    expect(post.responses[0].statusCode).toBe(200);
    expect(await statusOf('anna@example.test')).toBe('confirmed');
    expect(await statusOf('anna@example.test', 'events')).toBe('confirmed');
    const history = await t.ledger.export({ email: 'anna@example.test' });
    // X-Forwarded-For: one trusted proxy, so the last entry is the one it saw; the first was the client's word.
    expect(history?.events.filter((e) => e.action === 'confirm' && !e.purpose)).toEqual([
      expect.objectContaining({ actorKind: 'person', sourceKind: 'link', ip: '203.0.113.9', userAgent: 'Firefox/140' }),
      expect.objectContaining({ ip: '203.0.113.9' }),
    ]);

    const again = await runWorkflow(flow, options([webhookItem({ path: 'consent/confirm', body: { token } })], 'Link (POST)'));
    // The link was used for this confirmation: the page says so, and nothing changes.
    expect(again.json('Confirm Token')[0]).toMatchObject({ status: 200, outcome: 'already_confirmed', changes: [] });
    expect(again.responses[0].statusCode).toBe(200);
    expect(String(again.responses[0].body)).toContain('Je hebt je aanmelding al bevestigd');
  });

  test("one Webhook with GET and POST: the method comes from the Webhook output the item left by", async () => {
    const token = await signup('multi@example.test');
    const flow = workflow(
      [webhook('Consent link', 'consent/confirm', ['GET', 'POST']), confirmNode(), respondToWebhook()],
      [
        ['Consent link', 'Confirm Token', 0],
        ['Consent link', 'Confirm Token', 1],
        ['Confirm Token', 'Respond to Webhook'],
      ],
    );

    const get = await runWorkflow(flow, options([webhookItem({ path: 'consent/confirm', query: { token } })], 'Consent link'));

    expect(get.json('Confirm Token')[0]).toMatchObject({ action: 'show', outcome: 'shown' });
    expect(await statusOf('multi@example.test')).toBe('optin');
  });

  test('a link with a bad token gets the neutral page with its status, through Respond to Webhook', async () => {
    const flow = linkWorkflow('consent/confirm', confirmNode());
    const result = await runWorkflow(flow, options([webhookItem({ path: 'consent/confirm', query: { token: 'c1.forged' } })], 'Link (GET)'));

    expect(result.status).toBe('success');
    expect(result.responses[0].statusCode).toBe(400);
    expect(result.json('Confirm Token')[0]).toMatchObject({ outcome: 'rejected', problem: 'malformed' });
  });

  test('without a Webhook node before it, the node asks for the method instead of guessing', async () => {
    const token = await signup('nomethod@example.test');
    const flow = workflow([start(), confirmNode()], [['Start', 'Confirm Token']]);

    const result = await runWorkflow(flow, options([webhookItem({ path: 'consent/confirm', body: { token } })], 'Start'));

    expect(result.status).toBe('error');
    expect(result.error?.message).toBe('HTTP Method: cannot tell the method of this request from "Start". Connect the Webhook node\'s outputs straight to this node, or set HTTP Method.');
    expect(await statusOf('nomethod@example.test')).toBe('optin');

    const explicit = await runWorkflow(workflow([start(), confirmNode({ method: 'POST' })], [['Start', 'Confirm Token']]), options([webhookItem({ path: 'consent/confirm', body: { token } })], 'Start'));
    expect(explicit.json('Confirm Token')[0]).toMatchObject({ outcome: 'confirmed' });
  });

  test('page options: English default, labels for topics, the confirm page without script under Require a Click', async () => {
    const token = await signup('labels@example.test');
    const flow = linkWorkflow(
      'consent/confirm',
      confirmNode({
        options: {
          requireClick: true,
          topicLabels: { label: [{ topic: 'newsletter', nl: 'Nieuwsbrief', en: 'Monthly newsletter' }] },
        },
      }),
    );

    const result = await runWorkflow(
      flow,
      options([webhookItem({ path: 'consent/confirm', query: { token }, headers: { 'accept-language': 'de' } })], 'Link (GET)', { defaultLocale: 'en' }),
    );

    const html = String(result.responses[0].body);
    expect(result.json('Confirm Token')[0]).toMatchObject({ locale: 'en' });
    expect(html).toContain('<li>Monthly newsletter</li>');
    expect(html).not.toContain('<script');
  });

  test('an erase-verification link: the page, then the erasure on its POST', async () => {
    await t.ledger.request([parseInput(RequestItemSchema, { email: 'wis@example.test', consentText: TEXT })], 'signup');
    await t.ledger.recordRequest({ messageId: '<req-1@example.test>', mailbox: 'INBOX', kind: 'erase', receivedAt: t.clock.now(), address: 'wis@example.test', outcome: 'verification_sent' });
    const { token } = await t.ledger.issueEraseVerification('<req-1@example.test>');
    const flow = linkWorkflow('consent/erase', confirmNode({ link: 'erase', acknowledge: false }));

    const get = await runWorkflow(flow, options([webhookItem({ path: 'consent/erase', query: { token } })], 'Link (GET)'));
    expect(get.json('Confirm Token')[0]).toMatchObject({ kind: 'erase', action: 'show' });
    expect(await t.ledger.export({ email: 'wis@example.test' })).toBeDefined();

    const post = await runWorkflow(flow, options([webhookItem({ path: 'consent/erase', body: { token } })], 'Link (POST)'));
    expect(post.json('Confirm Token')[0]).toMatchObject({ kind: 'erase', action: 'erase', outcome: 'erased', requestMessageId: '<req-1@example.test>' });
    expect(await t.ledger.export({ email: 'wis@example.test' })).toBeUndefined();
  });

  test('an access link: the page with the person\'s data, the JSON download with format=json; nothing changes', async () => {
    await t.ledger.request([parseInput(RequestItemSchema, { email: 'inzage@example.test', consentText: TEXT })], 'signup');
    const link = await t.ledger.issueAccessLink({ email: 'inzage@example.test' });
    if (!link.found) throw new Error('not found');
    const before = await t.ledger.export({ email: 'inzage@example.test' });
    const flow = linkWorkflow('consent/access', confirmNode({ link: 'access' }));

    const get = await runWorkflow(flow, options([webhookItem({ path: 'consent/access', query: { token: link.token } })], 'Link (GET)'));
    expect(get.status).toBe('success');
    expect(get.json('Confirm Token')[0]).toMatchObject({ status: 200, kind: 'access', action: 'show', outcome: 'shown', subjectId: link.subjectId });
    expect(get.json('Confirm Token')[0].html).toContain('inzage@example.test');
    expect(get.json('Confirm Token')[0].html).toContain(TEXT);

    const json = await runWorkflow(flow, options([webhookItem({ path: 'consent/access', query: { token: link.token, format: 'json' } })], 'Link (GET)'));
    const item = json.json('Confirm Token')[0] as { headers: Record<string, string>; html: string };
    expect(item.headers['Content-Type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(item.html)).toMatchObject({ person: { email: 'inzage@example.test' }, consents: [{ topic: 'newsletter', consentText: TEXT }] });
    expect(await t.ledger.export({ email: 'inzage@example.test' })).toEqual(before);
  });

  test('after the erasure on its POST the person gets the acknowledgement a proven request gets, in their stored language', async () => {
    const peer = await SmtpPeer.start();
    try {
      await t.ledger.request([parseInput(RequestItemSchema, { email: 'ack@example.test', consentText: TEXT, locale: 'en' })], 'signup');
      // The worker wrote the verification mail in Dutch (the request said VERWIJDER); the person chose English.
      await t.ledger.recordRequest({
        messageId: '<req-7@mail.example>', mailbox: 'INBOX', kind: 'erase', receivedAt: t.ledger.clock(), address: 'ack@example.test', outcome: 'awaiting_verification', detail: 'proof=none; reply=sent; lang=nl',
      });
      const { token } = await t.ledger.issueEraseVerification('<req-7@mail.example>');
      const confirm = node('Confirm Token', 'confirmToken', { link: 'erase', method: 'auto' }, {
        credentials: { consentLedgerApi: { id: '1', name: 'Consent Ledger account' }, consentSmtpApi: { id: '2', name: 'Consent SMTP account' } },
      });
      const credentials = { consentLedgerApi: ledgerCredential(t.path, { privacyMailbox: 'privacy@voorbeeld.example' }), consentSmtpApi: smtpCredential(peer.port) };

      const post = await runWorkflow(linkWorkflow('consent/erase', confirm), runOptions(credentials, { items: [webhookItem({ path: 'consent/erase', body: { token } })], startNode: 'Link (POST)' }));

      expect(post.json('Confirm Token')[0]).toMatchObject({ outcome: 'erased', reply: 'sent' });
      expect(JSON.stringify(post.json('Confirm Token')[0])).not.toContain('ack@example.test');
      expect(peer.received).toHaveLength(1);
      const [mail] = peer.received;
      // What the mailbox trigger sends after a proven erasure (core/inbox/answer.ts): the same mail.
      const proven = composeMail('ack-erased', { to: 'ack@example.test', from: `"${ORGANISATION}" <privacy@voorbeeld.example>`, locale: 'en', organisation: ORGANISATION, privacyUrl: PRIVACY_URL, baseUrl: BASE_URL });
      expect(mail.to).toEqual(['ack@example.test']);
      expect(mail.parsed.from?.value).toEqual([{ address: 'privacy@voorbeeld.example', name: ORGANISATION }]);
      expect(mail.parsed.subject).toBe(proven.subject);
      expect(mail.parsed.text?.trim()).toBe(proven.text.trim());
      expect(mail.parsed.inReplyTo).toBe('<req-7@mail.example>');
    } finally {
      await peer.stop();
    }
  });
});

describe('the welcome mail (Send a Welcome Mail, off by default)', () => {
  const withSmtp = (parameters: Record<string, unknown>) =>
    node('Confirm Token', 'confirmToken', { link: 'confirm', method: 'auto', ...parameters }, {
      credentials: { consentLedgerApi: { id: '1', name: 'Consent Ledger account' }, consentSmtpApi: { id: '2', name: 'Consent SMTP account' } },
    });

  test('off: the confirmation sends nothing; on: one welcome in the person\'s language, with its unsubscribe link and List-Unsubscribe, recorded', async () => {
    const peer = await SmtpPeer.start();
    try {
      const credentials = { consentLedgerApi: ledgerCredential(t.path, { privacyMailbox: 'privacy@voorbeeld.example' }), consentSmtpApi: smtpCredential(peer.port) };
      const post = (parameters: Record<string, unknown>, token: string) =>
        runWorkflow(linkWorkflow('consent/confirm', withSmtp(parameters)), runOptions(credentials, { items: [webhookItem({ path: 'consent/confirm', body: { token } })], startNode: 'Link (POST)' }));

      const quiet = await post({}, await signup('stil@example.test'));
      expect(quiet.json('Confirm Token')[0]).toMatchObject({ outcome: 'confirmed' });
      expect(quiet.json('Confirm Token')[0].reply).toBe('none'); // nothing sent: the peer below received only the two welcomes

      const [en] = await t.ledger.request([parseInput(RequestItemSchema, { email: 'welcome@example.test', name: 'Wendy', locale: 'en', consentText: TEXT, topics: ['newsletter'] })], 'signup');
      const dutch = await signup('welkom@example.test', 'Wim');
      const english = await post({ acknowledge: true }, en.confirmToken!);
      expect(english.json('Confirm Token')[0]).toMatchObject({ outcome: 'confirmed', reply: 'sent' });
      const again = await post({ acknowledge: true }, en.confirmToken!); // a second press: already confirmed, no second welcome
      expect(again.json('Confirm Token')[0]).toMatchObject({ outcome: 'already_confirmed' });
      await post({ acknowledge: true }, dutch);

      expect(peer.received.map((m) => m.to)).toEqual([['welcome@example.test'], ['welkom@example.test']]);
      const [mail, nl] = peer.received;
      expect(mail.parsed.subject).toBe(`Welcome to ${ORGANISATION}`);
      expect(mail.parsed.text).toContain('Dear Wendy,');
      const unsubscribe = /(https:\/\/\S+\/unsubscribe\?token=\S+)/.exec(mail.parsed.text ?? '')![1];
      expect(rawHeader(mail.raw, 'List-Unsubscribe')).toBe(`<${unsubscribe}>, <mailto:privacy@voorbeeld.example?subject=unsubscribe%20${encodeURIComponent(decodeURIComponent(new URL(unsubscribe).searchParams.get('token')!))}>`);
      expect(rawHeader(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(nl.parsed.subject).toBe(`Welkom bij ${ORGANISATION}`);
      // The welcome's link is the person's own: it unsubscribes the topic just confirmed.
      const token = decodeURIComponent(new URL(unsubscribe).searchParams.get('token')!);
      await t.ledger.unsubscribeByToken(token, 'link', { actor: { kind: 'person' }, source: { kind: 'link' } });
      expect(await statusOf('welcome@example.test')).toBe('unsubscribed');
      const mails = (await t.ledger.export({ email: 'welcome@example.test' }))!.messages;
      expect(mails.map((m) => m.template)).toContain('welcome');
    } finally {
      await peer.stop();
    }
  });
});

describe('Webhook → Confirm Token (Privacy Request Form) → Respond to Webhook', () => {
  test('the form, its submission mailed through the Consent SMTP credential (same answer for a known and an unknown address), the link confirms once', async () => {
    const peer = await SmtpPeer.start();
    try {
      await t.ledger.request([parseInput(RequestItemSchema, { email: 'form@example.test', consentText: TEXT, locale: 'en' })], 'signup');
      const confirm = node('Confirm Token', 'confirmToken', { link: 'privacy', method: 'auto' }, {
        credentials: { consentLedgerApi: { id: '1', name: 'Consent Ledger account' }, consentSmtpApi: { id: '2', name: 'Consent SMTP account' } },
      });
      const flow = linkWorkflow('consent/privacy', confirm);
      const credentials = { consentLedgerApi: ledgerCredential(t.path, { privacyMailbox: 'privacy@voorbeeld.example' }), consentSmtpApi: smtpCredential(peer.port) };
      const run = (item: IDataObject, startNode: string) => runWorkflow(flow, runOptions(credentials, { items: [item], startNode }));

      const form = await run(webhookItem({ path: 'consent/privacy' }), 'Link (GET)');
      expect(form.json('Confirm Token')[0]).toMatchObject({ status: 200, kind: 'privacy', action: 'show', outcome: 'shown' });
      expect(form.json('Confirm Token')[0].html).toContain('name="email"');

      const known = await run(webhookItem({ path: 'consent/privacy', body: { choice: 'unsubscribe', email: 'form@example.test' } }), 'Link (POST)');
      const unknown = await run(webhookItem({ path: 'consent/privacy', body: { choice: 'unsubscribe', email: 'stranger@example.test' } }), 'Link (POST)');
      expect(known.json('Confirm Token')[0]).toMatchObject({ status: 200, kind: 'privacy', action: 'privacy_request', outcome: 'received' });
      expect(unknown.json('Confirm Token')[0]).toEqual(known.json('Confirm Token')[0]);
      expect(JSON.stringify(known.json('Confirm Token')[0])).not.toContain('form@example.test');
      expect(peer.received.map((m) => m.to[0])).toEqual(['form@example.test', 'stranger@example.test']);
      expect(peer.received[0].parsed.from?.value).toEqual([{ address: 'privacy@voorbeeld.example', name: ORGANISATION }]);
      const url = /https:\/\/n8n\.voorbeeld\.example\/webhook\/consent\/privacy\?token=\S+/.exec(peer.received[0].parsed.text ?? '')![0];
      const token = new URL(url).searchParams.get('token')!;

      const shown = await run(webhookItem({ path: 'consent/privacy', query: { token } }), 'Link (GET)');
      expect(shown.json('Confirm Token')[0]).toMatchObject({ action: 'show', outcome: 'shown' });
      expect(await statusOf('form@example.test')).toBe('optin');
      const done = await run(webhookItem({ path: 'consent/privacy', body: { token } }), 'Link (POST)');
      expect(done.json('Confirm Token')[0]).toMatchObject({ action: 'privacy_confirm', outcome: 'unsubscribed', privacyChoice: 'unsubscribe', requestId: expect.stringMatching(/^form-/) });
      expect(await statusOf('form@example.test')).not.toBe('optin');
      const again = await run(webhookItem({ path: 'consent/privacy', body: { token } }), 'Link (POST)');
      expect(again.json('Confirm Token')[0]).toMatchObject({ outcome: 'already_done' });
    } finally {
      await peer.stop();
    }
  });
});

describe('the client IP kept as evidence', () => {
  const headers = { 'X-Forwarded-For': '10.0.0.1, 198.51.100.7, 203.0.113.9', 'x-real-ip': '203.0.113.50' };
  test.each([
    [{ clientIp: 'forwardedFor', proxyHops: 1 }, '203.0.113.9'],
    [{ clientIp: 'forwardedFor', proxyHops: 2 }, '198.51.100.7'],
    [{ clientIp: 'forwardedFor', proxyHops: 5 }, '10.0.0.1'],
    [{ clientIp: 'realIp', proxyHops: 1 }, '203.0.113.50'],
    [{ clientIp: 'none', proxyHops: 1 }, undefined],
  ] as const)('%j → %s', (setting, expected) => {
    expect(clientIp(headers, setting)).toBe(expected);
  });

  test('no header, no address', () => {
    expect(clientIp({}, { clientIp: 'forwardedFor', proxyHops: 1 })).toBeUndefined();
  });
});

describe('in a real browser', () => {
  test('the mailed link opens the page, which confirms by itself through the workflow', async () => {
    const host = await startWebhookHost({
      workflow: linkWorkflow('consent/confirm', confirmNode()),
      startNodes: { GET: 'Link (GET)', POST: 'Link (POST)' },
      options: runOptions({ consentLedgerApi: ledgerCredential(t.path) }),
    });
    try {
      const token = await signup('browser@example.test', 'Bea');
      browser ??= await launchChromium();
      const context = await browser.newContext({ locale: 'nl-NL' });
      const page = await context.newPage();
      await page.goto(linkFor(`${host.baseUrl}/consent`, 'confirm', token));
      await page.getByRole('heading', { name: /bevestigd/i }).waitFor({ timeout: 20_000 });

      expect(host.calls).toEqual(['GET /webhook/consent/confirm 200', 'POST /webhook/consent/confirm 200']);
      expect(await statusOf('browser@example.test')).toBe('confirmed');
      const [confirmEvent] = (await t.ledger.export({ email: 'browser@example.test' }))!.events.filter((e) => e.action === 'confirm');
      expect(confirmEvent).toMatchObject({ ip: '127.0.0.1', sourceKind: 'link' });
      expect(confirmEvent.userAgent).toMatch(/Chrome/);
      await context.close();
    } finally {
      await host.close();
    }
  });
});
