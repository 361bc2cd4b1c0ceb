// Request Consent inside the real n8n engine, mailing a real SMTP peer on 127.0.0.1, on a real
// SQLite ledger that the test reads back through a Ledger of its own.
import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';
import { ImportRowSchema, Ledger, RequestItemSchema } from '../../core/ledger';
import { parseInput } from '../../core/validation';
import { RequestConsent } from '../../nodes/RequestConsent/RequestConsent.node';
import { closeLedgers } from '../../nodes/shared/ledger-connection';
import { tempLedger, TestClock } from '../support/ledger';
import { disposeEngine, ensureN8nHostForEngine, runWorkflow } from '../support/n8n-engine';
import { rawHeader, SmtpPeer } from '../support/smtp-peer';
import { BASE_URL, ledgerCredential, node, ORGANISATION, PRIVACY_URL, runOptions, smtpCredential, start, tokenOf, workflow } from './support';

const TEXT = 'Ja, ik wil de nieuwsbrief van Voorbeeld BV ontvangen. Afmelden kan altijd.';

let peer: SmtpPeer;
const ledgers: Array<Awaited<ReturnType<typeof tempLedger>>> = [];

beforeAll(async () => {
  await ensureN8nHostForEngine();
  peer = await SmtpPeer.start();
}, 20 * 60_000);

afterAll(async () => {
  await closeLedgers();
  await peer?.stop();
  await Promise.all(ledgers.map((l) => l.dispose()));
  await disposeEngine();
});

/** A fresh ledger file on the test's clock (which the node reads too, through CONSENT_CLOCK_FILE). */
async function freshLedger() {
  const t = await tempLedger({}, new TestClock());
  ledgers.push(t);
  return t;
}

function credentials(path: string, ledgerMore: Record<string, unknown> = {}) {
  return { consentLedgerApi: ledgerCredential(path, ledgerMore), consentSmtpApi: smtpCredential(peer.port) };
}

function requestWorkflow(parameters: Record<string, unknown>, more: Record<string, unknown> = {}) {
  return workflow(
    [
      start(),
      node('Request Consent', 'requestConsent', { operation: 'request', consentText: TEXT, ...parameters }, more),
      node('Mailed', 'n8n-nodes-base.noOp'),
      node('Not Asked', 'n8n-nodes-base.noOp'),
    ],
    [
      ['Start', 'Request Consent'],
      ['Request Consent', 'Mailed', 0],
      ['Request Consent', 'Not Asked', 1],
    ],
  );
}

/** A header as the message carries it, unfolded (RFC 5322 §2.2.3). */
function mailsTo(address: string) {
  return peer.received.filter((m) => m.to.includes(address));
}

describe('Request Consent: request', () => {
  test('signup: sends a Dutch confirmation with List-Unsubscribe (https + mailto) and one-click, records it, and its link confirms', async () => {
    const t = await freshLedger();
    const result = await runWorkflow(
      requestWorkflow({ mode: 'signup', evidence: { sourceRef: 'https://voorbeeld.example/aanmelden', ip: '={{ $json.ip }}' } }),
      runOptions(credentials(t.path, { privacyMailbox: 'privacy@voorbeeld.example' }), {
        items: [{ email: 'Anna@Example.test', name: 'Anna de Vries', ip: '203.0.113.9' }],
      }),
    );

    expect(result.status).toBe('success');
    const [done] = result.json('Request Consent', 0);
    expect(done).toMatchObject({
      outcome: 'requested',
      mode: 'signup',
      email: 'anna@example.test',
      name: 'Anna de Vries',
      locale: 'nl',
      channel: 'email',
      topics: [{ topic: 'newsletter', from: 'none', status: 'optin', outcome: 'changed' }],
      sent: true,
    });
    expect(done.confirmUrl).toMatch(new RegExp(`^${BASE_URL}/confirm\\?token=`));
    expect(done.unsubscribeUrl).toMatch(new RegExp(`^${BASE_URL}/unsubscribe\\?token=`));
    expect(done.preferencesUrl).toMatch(new RegExp(`^${BASE_URL}/preferences\\?token=`));
    expect(result.json('Request Consent', 1)).toEqual([]);

    const [mail] = mailsTo('anna@example.test');
    expect(mail.parsed.subject).toBe(`Bevestig uw inschrijving bij ${ORGANISATION}`);
    expect(mail.parsed.from?.value).toEqual([{ name: ORGANISATION, address: 'news@voorbeeld.example' }]);
    expect(mail.parsed.text).toContain(done.confirmUrl as string);
    expect(mail.parsed.text).toContain('Anna de Vries');
    expect(mail.parsed.text).toContain(PRIVACY_URL);
    expect(rawHeader(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const listUnsubscribe = rawHeader(mail.raw, 'List-Unsubscribe');
    expect(listUnsubscribe).toContain(`<${done.unsubscribeUrl}>`);
    expect(listUnsubscribe).toMatch(/<mailto:privacy@voorbeeld\.example\?subject=unsubscribe%20/);
    expect(mail.parsed.messageId).toBe(done.messageId);

    // The ledger: the message is in the history, and the link in the mail confirms.
    const ledger = await t.reopen();
    try {
      const history = await ledger.export({ email: 'anna@example.test' });
      expect(history?.messages.map((m) => m.messageId)).toEqual([done.messageId]);
      expect(history?.events[0]).toMatchObject({ action: 'signup', sourceKind: 'webform', sourceRef: 'https://voorbeeld.example/aanmelden', ip: '203.0.113.9' });
      const link = String(mail.parsed.text).match(/https:\/\/\S+\/confirm\?token=\S+/)![0];
      expect((await ledger.confirm(tokenOf(link), { actor: { kind: 'person' }, source: { kind: 'link' } })).outcome).toBe('confirmed');
    } finally {
      await ledger.close();
    }
  });

  test('signup again within the resend window: output on Skipped with the reason, no second mail', async () => {
    const t = await freshLedger();
    const options = runOptions(credentials(t.path), { items: [{ email: 'bram@example.test' }] });
    await runWorkflow(requestWorkflow({ mode: 'signup' }), options);
    const before = mailsTo('bram@example.test').length;

    const again = await runWorkflow(requestWorkflow({ mode: 'signup' }), options);

    expect(again.status).toBe('success');
    expect(again.json('Request Consent', 0)).toEqual([]);
    expect(again.json('Request Consent', 1)).toEqual([
      expect.objectContaining({ outcome: 'throttled', email: 'bram@example.test', reason: 'a confirmation was sent less than 60 minutes ago' }),
    ]);
    expect(mailsTo('bram@example.test')).toHaveLength(before);
    expect(before).toBe(1);
  });

  test('campaign: invites whom the ledger allows, skips the rest with the reason, in one ledger call', async () => {
    const t = await freshLedger();
    const rows = [
      { email: 'conf@example.test', status: 'confirmed', consentText: 'Yes, please.' },
      { email: 'li@example.test', previouslyMailed: true },
      { email: 'gone@example.test', status: 'unsubscribed' },
      { email: 'erased@example.test', previouslyMailed: true },
    ];
    await t.ledger.importContacts(rows.map((r, i) => ({ row: i + 2, data: parseInput(ImportRowSchema, r) })), undefined);
    await t.ledger.erase({ email: 'erased@example.test' });

    const request = jest.spyOn(Ledger.prototype, 'request');
    let result;
    try {
      result = await runWorkflow(
        requestWorkflow({ mode: 'campaign', locale: 'en' }),
        runOptions(credentials(t.path), {
          items: ['conf', 'li', 'gone', 'erased', 'new'].map((who) => ({ email: `${who}@example.test` })),
        }),
      );
      expect(request).toHaveBeenCalledTimes(1);
      expect(request.mock.calls[0][0]).toHaveLength(5);
    } finally {
      request.mockRestore();
    }

    expect(result.status).toBe('success');
    expect(result.json('Mailed').map((i) => i.email)).toEqual(['li@example.test', 'new@example.test']);
    expect(result.json('Request Consent', 0)[0]).toMatchObject({ topics: [{ from: 'subscribed', status: 'invited' }], locale: 'en', sent: true });
    expect(result.json('Not Asked').map((i) => [i.email, i.outcome, i.reason])).toEqual([
      ['conf@example.test', 'skipped', 'newsletter: already confirmed'],
      ['gone@example.test', 'skipped', 'newsletter: unsubscribed; only their own signup re-opens that'],
      ['erased@example.test', 'skipped', 'suppressed'],
    ]);
    expect(result.output('Request Consent', 1).map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }, { item: 3 }]);
    const [invitation] = mailsTo('li@example.test');
    expect(invitation.parsed.subject).toBe(`Would you like to keep hearing from ${ORGANISATION}?`);
    expect(mailsTo('conf@example.test')).toEqual([]);
    expect(mailsTo('erased@example.test')).toEqual([]);
  });

  test('links only: outputs the links and the composed mail with its headers for another mail node; sends nothing', async () => {
    const t = await freshLedger();
    const received = peer.received.length;
    const result = await runWorkflow(
      requestWorkflow({ mode: 'signup', delivery: 'linksOnly', mailFrom: 'Voorbeeld BV <news@voorbeeld.example>', locale: 'en' }),
      runOptions({ consentLedgerApi: ledgerCredential(t.path) }, { items: [{ email: 'lotte@example.test', name: 'Lotte' }] }),
    );

    expect(result.status).toBe('success');
    const [done] = result.json('Mailed');
    expect(done).toMatchObject({ outcome: 'requested', sent: false, messageId: null, locale: 'en' });
    const mail = done.mail as Record<string, unknown> & { headers: Record<string, string> };
    expect(mail).toMatchObject({ to: 'Lotte <lotte@example.test>', from: 'Voorbeeld BV <news@voorbeeld.example>', subject: `Please confirm your subscription to ${ORGANISATION}` });
    expect(mail.text).toContain(done.confirmUrl as string);
    expect(mail.html).toContain('<a href=');
    expect(mail.headers).toEqual({ 'List-Unsubscribe': `<${done.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(peer.received.length).toBe(received);
    const ledger = await t.reopen();
    try {
      expect((await ledger.export({ email: 'lotte@example.test' }))?.messages).toEqual([]);
    } finally {
      await ledger.close();
    }
  });

  test('own template: subject, text and HTML with placeholders, values escaped in the HTML', async () => {
    const t = await freshLedger();
    const result = await runWorkflow(
      requestWorkflow({
        mode: 'signup',
        template: 'custom',
        subject: '{{organisation}}: one click to go',
        text: 'Hi{{#name}} {{name}}{{/name}}, confirm: {{confirmUrl}}\nNo thanks: {{unsubscribeUrl}}',
        html: '<p>Hi {{name}}, <a href="{{confirmUrl}}">confirm</a> or <a href="{{unsubscribeUrl}}">leave</a></p>',
      }),
      runOptions(credentials(t.path), { items: [{ email: 'xss@example.test', name: '<b>Eve</b>' }] }),
    );

    expect(result.status).toBe('success');
    const [mail] = mailsTo('xss@example.test');
    expect(mail.parsed.subject).toBe(`${ORGANISATION}: one click to go`);
    expect(mail.parsed.text).toContain('Hi <b>Eve</b>, confirm: https://');
    expect(mail.parsed.html).toContain('Hi &lt;b&gt;Eve&lt;/b&gt;');
    expect(mail.parsed.html).not.toContain('<b>Eve</b>');
  });

  test('a template without the confirm link stops the run before the ledger records anything', async () => {
    const t = await freshLedger();
    const result = await runWorkflow(
      requestWorkflow({ mode: 'signup', template: 'custom', text: 'Welcome! {{unsubscribeUrl}}' }),
      runOptions(credentials(t.path), { items: [{ email: 'early@example.test' }] }),
    );

    expect(result.status).toBe('error');
    expect(result.error?.message).toBe('template.text: the confirmation mail must contain {{confirmUrl}}; put it in the text template.');
    const ledger = await t.reopen();
    try {
      expect(await ledger.export({ email: 'early@example.test' })).toBeUndefined();
    } finally {
      await ledger.close();
    }
  });

  test('a wrong field names the field and the item; without continue on fail nothing is asked', async () => {
    const t = await freshLedger();
    const result = await runWorkflow(
      requestWorkflow({ mode: 'signup', topics: '={{ $json.topics }}' }),
      runOptions(credentials(t.path), { items: [{ email: 'ok@example.test', topics: 'newsletter' }, { email: 'ok2@example.test', topics: 'news!' }] }),
    );

    expect(result.status).toBe('error');
    expect(result.error?.message).toBe('item 1, topics.0: a topic is 1–64 letters, digits, spaces, "-", "_" or "." (e.g. newsletter)');
    expect(mailsTo('ok@example.test')).toEqual([]);
  });

  test('the consent text is required', async () => {
    const t = await freshLedger();
    const result = await runWorkflow(requestWorkflow({ mode: 'signup', consentText: '  ' }), runOptions(credentials(t.path), { items: [{ email: 'nt@example.test' }] }));

    expect(result.error?.message).toBe('item 0, consentText: the consent text the person sees is required');
  });

  test('a name with a line break or a NUL in the evidence is refused, naming the item and the field; nothing is stored or mailed', async () => {
    const t = await freshLedger();
    const named = await runWorkflow(
      requestWorkflow({ mode: 'signup' }),
      runOptions(credentials(t.path), { items: [{ email: 'victim@example.test', name: 'Mallory\r\nBcc: list@example.org' }] }),
    );
    expect(named.status).toBe('error');
    expect(named.error?.message).toBe('item 0, name: contains a line break (U+000D at character 8): give it on one line');

    const agent = await runWorkflow(
      requestWorkflow({ mode: 'signup', evidence: { userAgent: '={{ $json.ua }}' } }),
      runOptions(credentials(t.path), { items: [{ email: 'victim@example.test', ua: 'Mozilla/5.0\u0000 evil' }] }),
    );
    expect(agent.status).toBe('error');
    expect(agent.error?.message).toBe('item 0, evidence.userAgent: contains a control character (U+0000 at character 12), which cannot be stored: remove it');
    expect(mailsTo('victim@example.test')).toEqual([]);
    const ledger = await t.reopen();
    try {
      expect(await ledger.export({ email: 'victim@example.test' })).toBeUndefined();
    } finally {
      await ledger.close();
    }
  });

  test('continue on fail: a bad item and a refused mail become error items; the others are asked and mailed', async () => {
    const t = await freshLedger();
    peer.failNext(1, 550);
    const result = await runWorkflow(
      requestWorkflow({ mode: 'signup' }, { onError: 'continueRegularOutput' }),
      runOptions(credentials(t.path), { items: [{ email: 'refused@example.test' }, { email: 'bad address' }, { email: 'fine@example.test' }] }),
    );

    expect(result.status).toBe('success');
    const done = result.json('Mailed');
    expect(done[0].error).toMatch(/^item 0, Sending to refused@example\.test failed: .*550.*The ledger has recorded the request, but its mail was not sent/);
    expect(done[1].error).toMatch(/^item 1, email: "bad address" is not an email address/);
    expect(done[2]).toMatchObject({ email: 'fine@example.test', sent: true });
    expect(mailsTo('fine@example.test')).toHaveLength(1);

    // The refused person tries again a few minutes later: mailed this time (no sent mail held them back);
    // the one who got their mail is still held back by the list-bombing guard.
    t.clock.advanceMinutes(5);
    const again = await runWorkflow(requestWorkflow({ mode: 'signup' }), runOptions(credentials(t.path), { items: [{ email: 'refused@example.test' }, { email: 'fine@example.test' }] }));
    expect(again.json('Mailed')).toEqual([expect.objectContaining({ email: 'refused@example.test', sent: true })]);
    expect(again.json('Request Consent', 1)).toEqual([expect.objectContaining({ email: 'fine@example.test', outcome: 'throttled' })]);
    expect(mailsTo('refused@example.test')).toHaveLength(1);
    expect(mailsTo('fine@example.test')).toHaveLength(1);
  });
});

describe('Request Consent: send reminders and expire', () => {
  function scheduledWorkflow(parameters: INodeParameters) {
    return workflow(
      [start(), node('Request Consent', 'requestConsent', parameters), node('Out', 'n8n-nodes-base.noOp')],
      [
        ['Start', 'Request Consent'],
        ['Request Consent', 'Out', 0],
      ],
    );
  }

  test('reminds invitations older than N days, at most M times, with fresh working links', async () => {
    const t = await freshLedger();
    const invite = (email: string) => parseInput(ImportRowSchema, { email, previouslyMailed: true });
    await t.ledger.importContacts([{ row: 2, data: invite('old@example.test') }, { row: 3, data: invite('older@example.test') }], undefined);
    await t.ledger.request(['old@example.test', 'older@example.test'].map((email) => parseInput(RequestItemSchema, { email, consentText: TEXT })), 'campaign');
    t.clock.advanceDays(10);

    const result = await runWorkflow(
      scheduledWorkflow({ operation: 'sendReminders', afterDays: 7, maxReminders: 1 }),
      runOptions(credentials(t.path)),
    );

    expect(result.status).toBe('success');
    const reminded = result.json('Out');
    expect(reminded.map((r) => [r.email, r.status, r.reminders, r.sent])).toEqual([
      ['old@example.test', 'reminded', 1, true],
      ['older@example.test', 'reminded', 1, true],
    ]);
    const [mail] = mailsTo('old@example.test');
    expect(mail.parsed.subject).toBe(`Herinnering: wilt u berichten van ${ORGANISATION} blijven ontvangen?`);
    expect(rawHeader(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(rawHeader(mail.raw, 'List-Unsubscribe')).toBe(`<${reminded[0].unsubscribeUrl}>`);
    expect(mail.parsed.text).toContain(reminded[0].confirmUrl as string);

    // At most one reminder: a second run finds nothing due.
    const again = await runWorkflow(scheduledWorkflow({ operation: 'sendReminders', afterDays: 0, maxReminders: 1 }), runOptions(credentials(t.path)));
    expect(again.status).toBe('success');
    expect(again.json('Request Consent', 0)).toEqual([]);

    const ledger = await t.reopen();
    try {
      expect((await ledger.confirm(tokenOf(reminded[0].confirmUrl as string), {})).outcome).toBe('confirmed');
      const history = await ledger.export({ email: 'old@example.test' });
      expect(history?.messages.map((m) => m.template)).toEqual(['reminder']);
    } finally {
      await ledger.close();
    }
  });

  test('expires signups and invitations unanswered for D days', async () => {
    const t = await freshLedger();
    await t.ledger.request([parseInput(RequestItemSchema, { email: 'late@example.test', consentText: TEXT })], 'signup');
    t.clock.advanceDays(40);

    const result = await runWorkflow(scheduledWorkflow({ operation: 'expire', afterDays: 30 }), runOptions(credentials(t.path)));

    expect(result.status).toBe('success');
    expect(result.json('Out')).toEqual([
      { outcome: 'expired', subjectId: 1, email: 'late@example.test', phone: null, name: null, topic: 'newsletter', channel: 'email', status: 'expired', reminders: 0 },
    ]);
    const ledger = await t.reopen();
    try {
      const [check] = await ledger.check([{ email: 'late@example.test', topic: 'newsletter', channel: 'email' }]);
      expect(check.status).toBe('expired');
    } finally {
      await ledger.close();
    }
  });
});

describe('the Consent SMTP credential test', () => {
  const testSmtp = (data: Record<string, unknown>) =>
    new RequestConsent().methods.credentialTest.consentSmtpApiTest.call(new CredentialTestContext(), {
      id: '2',
      name: 'Consent SMTP account',
      type: 'consentSmtpApi',
      data: data as ICredentialDataDecryptedObject,
    });

  test('passes when the server takes the connection', async () => {
    expect(await testSmtp(smtpCredential(peer.port))).toEqual({ status: 'OK', message: 'The SMTP server accepted the connection and the login.' });
  });

  test('says what is wrong: a field, or a server that does not answer', async () => {
    expect(await testSmtp(smtpCredential(peer.port, { from: '' }))).toEqual({
      status: 'Error',
      message: 'Consent SMTP credential, From: give the sender address, e.g. Voorbeeld BV <news@example.com>',
    });
    const closed = await testSmtp(smtpCredential(1));
    expect(closed.status).toBe('Error');
    expect(closed.message).toMatch(/^The SMTP server did not accept the connection: .*ECONNREFUSED.*Check host, port, secure and the login\.$/);
  });
});
