// Unsubscribe inside the real n8n engine: by link (Webhook → Unsubscribe → Respond to Webhook:
// the page, its form, RFC 8058 one-click, the preferences page) and by address (trusted input).
import { ImportRowSchema, RequestItemSchema } from '../../core/ledger';
import { parseInput } from '../../core/validation';
import { closeLedgers } from '../../nodes/shared/ledger-connection';
import { tempLedger } from '../support/ledger';
import { disposeEngine, ensureN8nHostForEngine, runWorkflow } from '../support/n8n-engine';
import { rawHeader, SmtpPeer } from '../support/smtp-peer';
import { ledgerCredential, linkWorkflow, node, runOptions, smtpCredential, start, webhookItem, workflow } from './support';

let t: Awaited<ReturnType<typeof tempLedger>>;

beforeAll(async () => {
  await ensureN8nHostForEngine();
  t = await tempLedger();
}, 20 * 60_000);

afterAll(async () => {
  await closeLedgers();
  await t?.dispose();
  await disposeEngine();
});

const credentials = () => ({ consentLedgerApi: ledgerCredential(t.path) });

/** A confirmed subscriber to newsletter and events; returns the unsubscribe token of their mail. */
async function subscriber(email: string) {
  const [r] = await t.ledger.request(
    [parseInput(RequestItemSchema, { email, consentText: 'Ja, graag.', topics: ['newsletter', 'events'] })],
    'signup',
  );
  await t.ledger.confirm(r.confirmToken, {});
  return r.unsubscribeToken!;
}

async function statuses(email: string) {
  const checks = await t.ledger.check(['newsletter', 'events'].map((topic) => ({ email, topic, channel: 'email' as const })));
  return checks.map((c) => c.status);
}

const byLink = (parameters: Record<string, unknown> = {}) => node('Unsubscribe', 'unsubscribe', { operation: 'byLink', link: 'fromPath', method: 'auto', ...parameters });

describe('Unsubscribe by link', () => {
  test('the GET shows the page and changes nothing; the page form unsubscribes', async () => {
    const token = await subscriber('uma@example.test');
    const flow = linkWorkflow('consent/unsubscribe', byLink());

    const get = await runWorkflow(flow, runOptions(credentials(), { items: [webhookItem({ path: 'consent/unsubscribe', query: { token } })], startNode: 'Link (GET)' }));

    expect(get.json('Unsubscribe')[0]).toMatchObject({ status: 200, kind: 'unsubscribe', action: 'show', outcome: 'shown' });
    expect(String(get.responses[0].body)).toContain('method="post"');
    expect(await statuses('uma@example.test')).toEqual(['confirmed', 'confirmed']);

    const post = await runWorkflow(
      flow,
      runOptions(credentials(), {
        items: [webhookItem({ path: 'consent/unsubscribe', body: { token, scope: 'all' }, headers: { 'content-type': 'application/x-www-form-urlencoded' } })],
        startNode: 'Link (POST)',
      }),
    );

    expect(post.json('Unsubscribe')[0]).toMatchObject({ status: 200, action: 'unsubscribe', outcome: 'unsubscribed' });
    expect(post.responses[0].statusCode).toBe(200);
    expect(await statuses('uma@example.test')).toEqual(['unsubscribed', 'unsubscribed']);
  });

  test("RFC 8058 one-click: the mail client's POST to the List-Unsubscribe URL unsubscribes the link's topics", async () => {
    const token = await subscriber('olga@example.test');
    const flow = linkWorkflow('consent/unsubscribe', byLink());

    const result = await runWorkflow(
      flow,
      runOptions(credentials(), {
        items: [
          webhookItem({
            path: 'consent/unsubscribe',
            query: { token },
            body: { 'List-Unsubscribe': 'One-Click' },
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Mail client' },
          }),
        ],
        startNode: 'Link (POST)',
      }),
    );

    expect(result.json('Unsubscribe')[0]).toMatchObject({ action: 'one_click_unsubscribe', outcome: 'unsubscribed' });
    expect(await statuses('olga@example.test')).toEqual(['unsubscribed', 'unsubscribed']);
    const [event] = (await t.ledger.export({ email: 'olga@example.test' }))!.events.filter((e) => e.action === 'unsubscribe');
    expect(event).toMatchObject({ sourceKind: 'link', sourceRef: 'List-Unsubscribe one-click (RFC 8058)' });
  });

  test('the preferences page, told apart by the Webhook path: untick one topic, keep the other', async () => {
    const token = await subscriber('pia@example.test');
    const flow = linkWorkflow('consent/preferences', byLink());

    const get = await runWorkflow(flow, runOptions(credentials(), { items: [webhookItem({ path: 'consent/preferences', query: { token } })], startNode: 'Link (GET)' }));
    expect(get.json('Unsubscribe')[0]).toMatchObject({ kind: 'preferences', action: 'show', topics: ['events', 'newsletter'] });

    const post = await runWorkflow(
      flow,
      runOptions(credentials(), {
        items: [
          webhookItem({
            path: 'consent/preferences',
            body: { token, shown: ['newsletter', 'events'], was: ['newsletter', 'events'], topic: 'events' },
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        ],
        startNode: 'Link (POST)',
      }),
    );

    expect(post.json('Unsubscribe')[0]).toMatchObject({ kind: 'preferences', action: 'set_preferences', outcome: 'updated' });
    expect(await statuses('pia@example.test')).toEqual(['unsubscribed', 'confirmed']);
  });

  test("the preferences page's own-data buttons: download my data answers with the access page, erase my data erases; both in the register", async () => {
    const token = await subscriber('olga@example.test');
    const flow = linkWorkflow('consent/preferences', byLink());
    const post = (body: Record<string, unknown>) =>
      runWorkflow(flow, runOptions(credentials(), { items: [webhookItem({ path: 'consent/preferences', body: { token, ...body }, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.7' } })], startNode: 'Link (POST)' }));

    const shown = await runWorkflow(flow, runOptions(credentials(), { items: [webhookItem({ path: 'consent/preferences', query: { token } })], startNode: 'Link (GET)' }));
    expect(String(shown.responses[0].body)).toContain('name="do" value="download"');

    const download = await post({ do: 'download' });
    expect(download.json('Unsubscribe')[0]).toMatchObject({ status: 200, kind: 'preferences', action: 'download_data', outcome: 'answered' });
    expect(String(download.responses[0].body)).toContain('olga@example.test');
    expect(String(download.responses[0].body)).toMatch(/access\?token=a1\.[^"&]+&amp;format=json/);

    const erase = await post({ do: 'erase', sure: 'yes' });
    expect(erase.json('Unsubscribe')[0]).toMatchObject({ status: 200, action: 'erase_data', outcome: 'erased' });
    expect(await t.ledger.export({ email: 'olga@example.test' })).toBeUndefined();
    const logged = [];
    for await (const entry of t.ledger.listRequests()) if (entry.channel === 'link') logged.push(entry);
    expect(logged.map((e) => [e.kind, e.outcome, e.status])).toEqual(expect.arrayContaining([['access', 'answered', 'closed'], ['erase', 'erased', 'closed']]));
  });

  test('Ask Why They Leave: off by default; on, the page offers the fixed reasons and the answer is counted for the month', async () => {
    const token = await subscriber('wim@example.test');
    const get = (flow: ReturnType<typeof linkWorkflow>) => runWorkflow(flow, runOptions(credentials(), { items: [webhookItem({ path: 'consent/unsubscribe', query: { token } })], startNode: 'Link (GET)' }));
    expect(String((await get(linkWorkflow('consent/unsubscribe', byLink()))).responses[0].body)).not.toContain('name="reason"');

    const flow = linkWorkflow('consent/unsubscribe', byLink({ options: { askLeaveReason: true } }));
    expect(String((await get(flow)).responses[0].body)).toContain('<input type="radio" name="reason" value="not_relevant">');
    const before = (await t.ledger.funnel({ weeks: 1 })).months.at(-1)!.leaveReasons.not_relevant ?? 0;
    const post = await runWorkflow(
      flow,
      runOptions(credentials(), { items: [webhookItem({ path: 'consent/unsubscribe', body: { token, scope: 'all', reason: 'not_relevant' }, headers: { 'content-type': 'application/x-www-form-urlencoded' } })], startNode: 'Link (POST)' }),
    );
    expect(post.json('Unsubscribe')[0]).toMatchObject({ action: 'unsubscribe', outcome: 'unsubscribed' });
    expect((await t.ledger.funnel({ weeks: 1 })).months.at(-1)!.leaveReasons.not_relevant).toBe(before + 1);
  });

  test('Send a Goodbye Mail: off, nothing sent; on, one goodbye in the person\'s language after the page\'s button, without List-Unsubscribe; none after a one-click, none to a suppressed person', async () => {
    const peer = await SmtpPeer.start();
    try {
      const withSmtp = (parameters: Record<string, unknown> = {}) =>
        node('Unsubscribe', 'unsubscribe', { operation: 'byLink', link: 'fromPath', method: 'auto', ...parameters }, {
          credentials: { consentLedgerApi: { id: '1', name: 'Consent Ledger account' }, consentSmtpApi: { id: '2', name: 'Consent SMTP account' } },
        });
      const creds = { ...credentials(), consentSmtpApi: smtpCredential(peer.port) };
      const post = (parameters: Record<string, unknown>, body: Record<string, unknown>) =>
        runWorkflow(linkWorkflow('consent/unsubscribe', withSmtp(parameters)), runOptions(creds, { items: [webhookItem({ path: 'consent/unsubscribe', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })], startNode: 'Link (POST)' }));

      const quiet = await post({}, { token: await subscriber('quiet@example.test'), scope: 'all' });
      expect(quiet.json('Unsubscribe')[0]).toMatchObject({ outcome: 'unsubscribed' });
      const oneClick = await post({ goodbye: true }, { token: await subscriber('client@example.test'), 'List-Unsubscribe': 'One-Click' });
      expect(oneClick.json('Unsubscribe')[0]).toMatchObject({ action: 'one_click_unsubscribe', outcome: 'unsubscribed' });
      const held = await subscriber('held@example.test');
      await t.ledger.hold({ email: 'held@example.test' }, new Date(t.clock.at.getTime() + 30 * 86_400_000), 'invoice');
      await t.ledger.erase({ email: 'held@example.test' }); // suppressed under the hold
      await post({ goodbye: true }, { token: held, scope: 'all' });
      expect(peer.received).toEqual([]);

      const [en] = await t.ledger.request([parseInput(RequestItemSchema, { email: 'bye@example.test', locale: 'en', consentText: 'Yes please.', topics: ['newsletter'] })], 'signup');
      await t.ledger.confirm(en.confirmToken, {});
      const bye = await post({ goodbye: true }, { token: en.unsubscribeToken!, scope: 'link' });
      expect(bye.json('Unsubscribe')[0]).toMatchObject({ outcome: 'unsubscribed', reply: 'sent' });
      const nlToken = await subscriber('dag@example.test'); // no language held: the credential's default (nl)
      await post({ goodbye: true }, { token: nlToken, scope: 'all' });
      await post({ goodbye: true }, { token: nlToken, scope: 'all' }); // pressed again: nothing changed, no second goodbye

      expect(peer.received.map((m) => m.to)).toEqual([['bye@example.test'], ['dag@example.test']]);
      const [mail, nl] = peer.received;
      expect(mail.parsed.subject).toMatch(/^You are unsubscribed from /);
      expect(rawHeader(mail.raw, 'List-Unsubscribe')).toBeUndefined();
      expect(rawHeader(mail.raw, 'List-Unsubscribe-Post')).toBeUndefined();
      expect(rawHeader(mail.raw, 'Auto-Submitted')).toBe('auto-generated');
      expect(mail.parsed.text).toContain('/preferences?token=');
      expect(nl.parsed.subject).toMatch(/^U bent afgemeld bij /);
    } finally {
      await peer.stop();
    }
  });

  test('a Webhook path that names no link kind is an error that says what to set', async () => {
    const token = await subscriber('path@example.test');
    const flow = linkWorkflow('consent/optout', byLink());

    const result = await runWorkflow(flow, runOptions(credentials(), { items: [webhookItem({ path: 'consent/optout', query: { token } })], startNode: 'Link (GET)' }));

    expect(result.status).toBe('error');
    expect(result.error?.message).toBe('item 0, Link: the Webhook path does not end in /unsubscribe or /preferences; set Link to Unsubscribe or Preferences.');
  });
});

describe('Unsubscribe by address', () => {
  function addressWorkflow(parameters: Record<string, unknown>, more: Record<string, unknown> = {}) {
    return workflow(
      [start(), node('Unsubscribe', 'unsubscribe', { operation: 'byAddress', email: '={{ $json.email }}', channel: 'email', ...parameters }, more)],
      [['Start', 'Unsubscribe']],
    );
  }

  test('all topics, some topics, and an unknown address, per item', async () => {
    await subscriber('all@example.test');
    await subscriber('some@example.test');
    await t.ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'crm@example.test', externalId: 'CRM-9', previouslyMailed: true }) }], undefined);

    const all = await runWorkflow(
      addressWorkflow({ scope: 'all', evidence: { sourceKind: 'portal', sourceRef: 'ticket 77', operator: 'Sam' } }),
      runOptions(credentials(), { items: [{ email: 'ALL@example.test' }, { email: 'nobody@example.test' }] }),
    );
    expect(all.json('Unsubscribe')).toEqual([
      expect.objectContaining({ outcome: 'unsubscribed', found: true, channel: 'email' }),
      { outcome: 'not_found', found: false, subjectId: null, channel: 'email', topics: [] },
    ]);
    expect(await statuses('all@example.test')).toEqual(['unsubscribed', 'unsubscribed']);
    const [event] = (await t.ledger.export({ email: 'all@example.test' }))!.events.filter((e) => e.action === 'unsubscribe');
    expect(event).toMatchObject({ actorKind: 'operator', actorName: 'Sam', sourceKind: 'portal', sourceRef: 'ticket 77' });

    const some = await runWorkflow(
      addressWorkflow({ scope: 'topics', topics: 'events' }),
      runOptions(credentials(), { items: [{ email: 'some@example.test' }, { email: 'stranger@example.test' }] }),
    );
    expect(some.json('Unsubscribe')[0]).toMatchObject({ outcome: 'unsubscribed', topics: [{ topic: 'events', from: 'confirmed', status: 'unsubscribed' }] });
    expect(await statuses('some@example.test')).toEqual(['confirmed', 'unsubscribed']);
    // An unknown address that says no to a topic is remembered as declined, so no campaign asks it later.
    expect(some.json('Unsubscribe')[1]).toMatchObject({ outcome: 'unsubscribed', found: true, topics: [{ topic: 'events', from: 'none', status: 'optout' }] });
    expect(await statuses('stranger@example.test')).toEqual(['none', 'optout']);

    const byCrm = await runWorkflow(
      addressWorkflow({ email: '', externalId: '={{ $json.crmId }}', scope: 'all' }),
      runOptions(credentials(), { items: [{ crmId: 'CRM-9' }, { crmId: 'CRM-unknown' }] }),
    );
    expect(byCrm.json('Unsubscribe').map((i) => i.outcome)).toEqual(['unsubscribed', 'not_found']);
  });

  test('each is in the requests register: handled by the operator named, else the workflow; with a Request ID, that request gets the outcome', async () => {
    await subscriber('register@example.test');
    await t.ledger.recordRequest({ messageId: '<stop-kees@mail.example>', mailbox: 'INBOX', kind: 'unsubscribe', receivedAt: t.ledger.clock(), address: 'kees@example.test', outcome: 'left_to_workflow' });
    await subscriber('kees@example.test');
    const run = await runWorkflow(
      addressWorkflow({ scope: 'all', evidence: { requestId: '={{ $json.messageId }}' } }),
      runOptions(credentials(), { items: [{ email: 'register@example.test', messageId: '' }, { email: 'kees@example.test', messageId: '<stop-kees@mail.example>' }] }),
    );
    expect(run.json('Unsubscribe').map((i) => i.outcome)).toEqual(['unsubscribed', 'unsubscribed']);
    const entries = [];
    for await (const entry of t.ledger.listRequests()) entries.push(entry);
    expect(entries.filter((e) => e.address === 'register@example.test')).toEqual([
      expect.objectContaining({ id: expect.stringMatching(/^node-/), channel: 'node', kind: 'unsubscribe', status: 'closed', outcome: 'unsubscribed', handledBy: 'workflow "consent test"' }),
    ]);
    expect(entries.find((e) => e.id === '<stop-kees@mail.example>')).toMatchObject({ channel: 'mail', status: 'closed', outcome: 'unsubscribed', handledBy: 'workflow "consent test"' });
    // The earlier run named its operator.
    expect(entries.filter((e) => e.address === 'ALL@example.test'.toLowerCase())).toEqual([expect.objectContaining({ handledBy: 'Sam', channel: 'node' })]);
  });

  test('a wrong address names the field and the item; with continue on fail the others go on', async () => {
    await subscriber('cof@example.test');
    const failing = await runWorkflow(addressWorkflow({ scope: 'all' }), runOptions(credentials(), { items: [{ email: 'x@' }] }));
    expect(failing.error?.message).toMatch(/^item 0, email: "x@" is not an email address/);

    const going = await runWorkflow(
      addressWorkflow({ scope: 'all' }, { onError: 'continueRegularOutput' }),
      runOptions(credentials(), { items: [{ email: 'x@' }, { email: 'cof@example.test' }] }),
    );
    expect(going.json('Unsubscribe')).toEqual([
      { error: expect.stringMatching(/^item 0, email: "x@" is not an email address/) },
      expect.objectContaining({ outcome: 'unsubscribed' }),
    ]);
  });
});
