// The Consent Mailbox Trigger in the real n8n engine (a manual run calls the node's own trigger(),
// as "Test workflow" does in the editor) against a private Dovecot, with replies going to an SMTP
// peer. What a builder checks: the items, the folders in the mailbox, the ledger, the mails sent.
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';
import { RequestItemSchema, type Ledger } from '../../core/ledger';
import { unsubscribeMailto } from '../../core/mail/compose';
import { parseInput } from '../../core/validation';
import { ConsentImapApi } from '../../credentials/ConsentImapApi.credentials';
import { ConsentMailboxTrigger } from '../../nodes/ConsentMailboxTrigger/ConsentMailboxTrigger.node';
import { closeLedgers } from '../../nodes/shared/ledger-connection';
import { dsnMail, longReferencesMail, poisonMail, rawMail } from '../core/mail/fixtures';
import { failRequestOutcome } from '../support/store-faults';
import { statusOf } from '../core/mail/seed';
import { Dovecot } from '../support/dovecot';
import { tempLedger } from '../support/ledger';
import { disposeEngine, ensureN8nHostForEngine, runWorkflow, type WorkflowRunResult } from '../support/n8n-engine';
import { SmtpPeer } from '../support/smtp-peer';
import { waitFor } from '../support/wait';
import { CREDENTIAL_TYPES, NODE_TYPES, PACKAGE, ledgerCredential, node, runOptions, smtpCredential, workflow } from './support';

const TRIGGER = 'Privacy Mailbox';
const CRM = 'Delete in CRM';

let dovecot: Dovecot;
let peer: SmtpPeer;
let t: Awaited<ReturnType<typeof tempLedger>>;
let ledger: Ledger;
const logged: { level: string; message: string }[] = [];

beforeAll(async () => {
  await ensureN8nHostForEngine();
  dovecot = await Dovecot.start();
  peer = await SmtpPeer.start();
  // n8n's logger, which the node writes to (this.logger): what an operator would read.
  const logger = Container.get(Logger);
  for (const level of ['error', 'warn', 'info', 'debug'] as const) {
    jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => void logged.push({ level, message: String(args[0]) }));
  }
}, 20 * 60_000);

afterAll(async () => {
  jest.restoreAllMocks();
  await peer?.stop();
  await dovecot?.stop();
  await disposeEngine();
});

beforeEach(async () => {
  t = await tempLedger();
  ledger = t.ledger;
  peer.received.length = 0;
  logged.length = 0;
});

afterEach(async () => {
  if (process.env.DEBUG_TRIGGER) console.log(JSON.stringify(logged, null, 1)); // DEBUG_TRIGGER=1: what the node logged
  await closeLedgers();
  await t?.dispose();
  expect(await dovecot.count('INBOX')).toBe(0); // every test leaves the inbox as it found it
});

const imapCredential = (more: Record<string, unknown> = {}) => ({
  host: dovecot.host,
  port: dovecot.imapPort,
  secure: false,
  user: dovecot.user,
  authentication: 'password',
  password: dovecot.password,
  ...more,
});

function triggerWorkflow(parameters: IDataObject = {}, more: { crm?: Partial<INode> } = {}) {
  const trigger = node(TRIGGER, 'consentMailboxTrigger', { options: { trustedAuthservIds: 'mx.shop.example', verifyDkim: false }, ...parameters }, {
    credentials: {
      consentImapApi: { id: '3', name: 'Privacy mailbox' },
      consentLedgerApi: { id: '1', name: 'Consent Ledger account' },
      consentSmtpApi: { id: '2', name: 'Consent SMTP account' },
    },
  });
  return workflow([trigger, node(CRM, 'n8n-nodes-base.noOp', {}, more.crm)], [[TRIGGER, CRM]]);
}

const stops = () => logged.filter((l) => l.message.endsWith(`: stopped reading ${MAILBOX()}`)).length;

/**
 * A manual run, as "Test workflow" in the editor. n8n closes the trigger after its first emit and
 * ends the run only after that; the trigger moves the mails once the run ended: wait for it to stop.
 */
async function run(parameters: IDataObject = {}, more: { crm?: Partial<INode>; imap?: Record<string, unknown> } = {}): Promise<WorkflowRunResult> {
  const stopped = stops();
  const result = await runWorkflow(
    triggerWorkflow(parameters, more),
    runOptions(
      {
        consentImapApi: imapCredential(more.imap),
        consentLedgerApi: ledgerCredential(t.path, { privacyMailbox: 'privacy@shop.example' }),
        consentSmtpApi: smtpCredential(peer.port),
      },
      {
        nodeTypes: { ...NODE_TYPES, [`${PACKAGE}.consentMailboxTrigger`]: ConsentMailboxTrigger },
        credentialTypes: [...CREDENTIAL_TYPES, ConsentImapApi],
        mode: 'manual',
      },
    ),
  );
  if (result.error?.message.startsWith('parameters,')) return result; // refused before it started
  await waitFor(() => stops() > stopped, { what: 'the trigger closed (its close function called)' });
  return result;
}

async function subscriber(email: string, externalId?: string) {
  const [r] = await ledger.request(
    [parseInput(RequestItemSchema, { email, externalId, topics: ['newsletter'], consentText: 'Ja, stuur mij de nieuwsbrief.', evidence: { actor: { kind: 'person' }, source: { kind: 'webform' } } })],
    'signup',
  );
  await ledger.confirm(r.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' } });
  return { subjectId: r.subjectId!, unsubscribeToken: r.unsubscribeToken! };
}

async function folderOf(messageId: string): Promise<string | undefined> {
  for (const folder of ['INBOX', 'Processed', 'Review']) {
    if ((await dovecot.messages(folder)).some((m) => m.messageId === messageId)) return folder;
  }
  return undefined;
}

/** Both outputs of a run: Handled (0) and Review (1). */
const emitted = (result: WorkflowRunResult) => [...result.json(TRIGGER, 0), ...result.json(TRIGGER, 1)];

const requestRow = (messageId: string) => ledger.store.transaction((tx) => tx.findRequest(messageId));

const MAILBOX = () => `${dovecot.user}@${dovecot.host}/INBOX`;

describe('Act Automatically (the default), replies sent with Consent SMTP', () => {
  test('one item per request mail, acted on in the ledger first, answered, then moved when the run is over', async () => {
    await subscriber('jan@example.nl');
    const anna = await subscriber('anna@example.nl');
    const erik = await subscriber('erik@example.nl', 'CRM-7');
    await subscriber('piet@example.nl', 'CRM-8');
    await subscriber('victim@example.nl', 'CRM-9');
    await subscriber('gone@example.nl');
    const erikToken = erik.unsubscribeToken;
    await dovecot.append([
      rawMail({ messageId: '<unsub@x>', from: 'Jan <jan@example.nl>', subject: 'Afmelden' }),
      // What the List-Unsubscribe mailto makes a mail client send: the token decides who.
      rawMail({ messageId: '<mailto@x>', from: 'alias@elsewhere.example', subject: decodeURIComponent(new URL(unsubscribeMailto('privacy@shop.example', anna.unsubscribeToken)).searchParams.get('subject')!) }),
      rawMail({ messageId: '<erase-token@x>', from: 'erik@example.nl', subject: 'Re: Nieuwsbrief', text: `Verwijder mijn gegevens.\n\n> Afmelden: https://shop.example/consent/unsubscribe?token=${erikToken}` }),
      rawMail({ messageId: '<erase-authserv@x>', from: 'piet@example.nl', subject: 'Delete my data', headers: { 'Authentication-Results': 'mx.shop.example; dkim=pass header.d=example.nl; dmarc=pass (p=reject) header.from=example.nl' } }),
      rawMail({ messageId: '<erase-spoofed@x>', from: 'victim@example.nl', subject: 'VERWIJDER', headers: { 'Authentication-Results': 'mx.attacker.example; dmarc=pass header.from=example.nl' } }),
      rawMail({ messageId: '<ooo@x>', from: 'jan@example.nl', subject: 'Automatisch antwoord: Nieuwsbrief', headers: { 'Auto-Submitted': 'auto-replied' }, text: 'Ik ben afwezig. Afmelden? Verwijder?' }),
      rawMail({ messageId: '<unknown@x>', from: 'fan@example.nl', subject: 'Re: Nieuwsbrief', text: 'Mooi nummer!' }),
      dsnMail('gone@example.nl', '5.1.1', 'failed', '<dsn@x>'),
    ]);

    const result = await run({ replies: 'smtp' });

    expect(result.status).toBe('success');
    const items = emitted(result);
    expect(result.json(CRM)).toEqual(result.json(TRIGGER, 0)); // the workflow went on with the handled ones
    // The one mail a person must decide on came out on Review, with what the officer needs.
    expect(result.json(TRIGGER, 1)).toEqual([
      expect.objectContaining({
        messageId: '<unknown@x>',
        requestRef: '<unknown@x>',
        suggestedIntent: 'unknown',
        text: 'Mooi nummer!',
        reason: 'no request words in the subject or the sender\'s own text',
        address: 'fan@example.nl',
        proof: 'none',
        confidence: expect.any(Number),
        evidence: expect.any(Array),
        dueAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);
    const byId = Object.fromEntries(items.map((i) => [i.messageId as string, i]));
    expect(Object.keys(byId).sort()).toEqual(['<dsn@x>', '<erase-authserv@x>', '<erase-spoofed@x>', '<erase-token@x>', '<mailto@x>', '<ooo@x>', '<unknown@x>', '<unsub@x>']);
    expect(byId['<unsub@x>']).toMatchObject({ intent: 'unsubscribe', address: 'jan@example.nl', language: 'nl', proof: 'none', outcome: 'unsubscribed', folder: 'processed', isRepeat: false, reply: { status: 'sent', to: 'jan@example.nl' } });
    expect(byId['<mailto@x>']).toMatchObject({ intent: 'unsubscribe', proof: 'token', outcome: 'unsubscribed', subjectId: anna.subjectId });
    expect(byId['<erase-token@x>']).toMatchObject({ intent: 'erase', proof: 'token', outcome: 'erased', receiptId: expect.stringMatching(/^erasure-/), externalIds: ['CRM-7'] });
    expect(byId['<erase-authserv@x>']).toMatchObject({ intent: 'erase', proof: 'authserv', outcome: 'erased', receiptId: expect.stringMatching(/^erasure-/), externalIds: ['CRM-8'] });
    expect(byId['<erase-spoofed@x>']).toMatchObject({ intent: 'erase', proof: 'none', outcome: 'awaiting_verification', externalIds: [], receiptId: null, reply: { status: 'sent', to: 'victim@example.nl' } });
    expect(byId['<ooo@x>']).toMatchObject({ intent: 'auto_reply', address: null, outcome: 'ignored', reply: { status: 'none' } });
    expect(byId['<unknown@x>']).toMatchObject({ intent: 'unknown', outcome: 'needs_review', folder: 'review', reply: { status: 'none' } });
    expect(byId['<dsn@x>']).toMatchObject({ intent: 'bounce', address: 'gone@example.nl', outcome: 'bounced', reply: { status: 'none' } });
    for (const item of items) expect(item).toMatchObject({ mailbox: MAILBOX(), receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    // No mail body in a handled item; a review item has only the sender's own words (above).
    for (const item of result.json(TRIGGER, 0)) expect(item).not.toHaveProperty('text');

    // The mailbox: handled mails in Processed (seen, with a keyword), the unknown one in Review, nothing deleted.
    for (const id of Object.keys(byId)) expect(await folderOf(id)).toBe(id === '<unknown@x>' ? 'Review' : 'Processed');
    const processed = await dovecot.messages('Processed');
    expect(processed.find((m) => m.messageId === '<erase-token@x>')!.flags).toEqual(expect.arrayContaining(['\\Seen', '$ConsentErase']));

    // The ledger did what the mails asked, and no more.
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('unsubscribed');
    expect(await statusOf(ledger, 'anna@example.nl')).toBe('unsubscribed');
    expect(await statusOf(ledger, 'erik@example.nl')).toBe('erased');
    expect(await statusOf(ledger, 'piet@example.nl')).toBe('erased');
    expect(await statusOf(ledger, 'victim@example.nl')).toBe('confirmed');
    expect(await statusOf(ledger, 'gone@example.nl')).toBe('bounced');

    // Replies: to the people; the spoofed one gets a verification link, not a confirmation.
    const to = (address: string) => peer.received.filter((m) => m.to.includes(address));
    expect(peer.received.flatMap((m) => m.to).sort()).toEqual(['alias@elsewhere.example', 'erik@example.nl', 'jan@example.nl', 'piet@example.nl', 'victim@example.nl']);
    expect(to('victim@example.nl')[0].parsed.subject).toBe('Bevestig het verwijderen van uw gegevens bij Voorbeeld BV');
    expect(to('victim@example.nl')[0].parsed.text).toMatch(/https:\/\/n8n\.voorbeeld\.example\/webhook\/consent\/erase\?token=/);
    expect(to('jan@example.nl')).toHaveLength(1); // the out-of-office was not answered

    // The cursor is in the ledger, not in the workflow's static data.
    expect(result.staticData).toEqual({});
    expect(await ledger.mailboxState(MAILBOX())).toMatchObject({ uidValidity: expect.any(Number), lastUid: expect.any(Number) });
  });

  test('closed and opened again: only what arrived since is emitted, none of the earlier mails again', async () => {
    await subscriber('jan@example.nl');
    await subscriber('kees@example.nl');
    await dovecot.append([rawMail({ messageId: '<first@x>', from: 'jan@example.nl', subject: 'Afmelden' })]);
    const first = await run({ replies: 'smtp' });
    const cursor = await ledger.mailboxState(MAILBOX());

    await dovecot.deliver(rawMail({ messageId: '<second@x>', from: 'kees@example.nl', subject: 'Afmelden' }));
    const second = await run({ replies: 'smtp' });

    expect(first.json(TRIGGER).map((i) => i.messageId)).toEqual(['<first@x>']);
    expect(second.json(TRIGGER).map((i) => i.messageId)).toEqual(['<second@x>']);
    expect(second.json(TRIGGER)[0]).toMatchObject({ isRepeat: false, outcome: 'unsubscribed' });
    const after = await ledger.mailboxState(MAILBOX());
    expect(after!.uidValidity).toBe(cursor!.uidValidity);
    expect(after!.lastUid).toBeGreaterThan(cursor!.lastUid);
    expect(peer.received.map((m) => m.to[0])).toEqual(['jan@example.nl', 'kees@example.nl']);
  });

  test('a failed workflow run leaves its mails in the inbox; the next run gets them again as repeats and the ledger acts once', async () => {
    await subscriber('jan@example.nl');
    await dovecot.append([rawMail({ messageId: '<again@x>', from: 'jan@example.nl', subject: 'Afmelden' })]);
    const failing = await run({ replies: 'smtp' }, { crm: { type: 'n8n-nodes-base.stopAndError', typeVersion: 1, parameters: { errorMessage: 'CRM is down' } } });

    expect(failing.status).toBe('error');
    expect(failing.json(TRIGGER)).toEqual([expect.objectContaining({ messageId: '<again@x>', isRepeat: false, outcome: 'unsubscribed' })]);
    expect(await folderOf('<again@x>')).toBe('INBOX');
    expect(logged).toContainEqual({ level: 'warn', message: expect.stringMatching(/the workflow run failed; its 1 mail\(s\) stay in the inbox/) });

    const fixed = await run({ replies: 'smtp' });
    expect(fixed.json(TRIGGER)).toEqual([expect.objectContaining({ messageId: '<again@x>', isRepeat: true, outcome: 'unsubscribed', reply: expect.objectContaining({ status: 'done' }) })]);
    expect(await folderOf('<again@x>')).toBe('Processed');
    const unsubscribes = (await ledger.export({ email: 'jan@example.nl' }))!.events.filter((e) => e.action === 'unsubscribe');
    expect(unsubscribes).toHaveLength(1);
    expect(peer.received).toHaveLength(1);
  });

  test('Move Mail When "Handed Over to the Workflow": moved without waiting for the run, also when the run fails', async () => {
    await subscriber('jan@example.nl');
    await dovecot.append([rawMail({ messageId: '<handed@x>', from: 'jan@example.nl', subject: 'Afmelden' })]);
    const failing = await run({ replies: 'output', moveWhen: 'emitted' }, { crm: { type: 'n8n-nodes-base.stopAndError', typeVersion: 1, parameters: { errorMessage: 'CRM is down' } } });

    expect(failing.status).toBe('error');
    expect(failing.json(TRIGGER)).toEqual([expect.objectContaining({ messageId: '<handed@x>', outcome: 'unsubscribed', reply: expect.objectContaining({ status: 'pending' }) })]);
    expect(await folderOf('<handed@x>')).toBe('Processed');
    expect((await requestRow('<handed@x>'))!.detail).toBe('proof=none; reply=pending'); // nobody said it was sent
  });

  test('Dovecot killed and started again while the trigger waits: it says so in the log, reconnects and emits what arrived meanwhile', async () => {
    await subscriber('late@example.nl');
    const running = run({ replies: 'smtp' });
    await waitFor(() => logged.some((l) => l.level === 'info' && l.message.includes(`connected to ${MAILBOX()}`)), { what: `the trigger's "connected to ${MAILBOX()}" log line` });

    await dovecot.kill();
    dovecot.dropIntoMaildir(rawMail({ messageId: '<while-down@x>', from: 'late@example.nl', subject: 'Afmelden' }));
    await waitFor(() => logged.some((l) => l.level === 'warn' && /ECONNREFUSED|connection refused/.test(l.message)), { what: "the trigger's warning that the connection is refused" });
    await dovecot.restart();
    const result = await running;

    expect(result.status).toBe('success');
    expect(result.json(TRIGGER)).toEqual([expect.objectContaining({ messageId: '<while-down@x>', intent: 'unsubscribe', outcome: 'unsubscribed' })]);
    expect(await folderOf('<while-down@x>')).toBe('Processed');
    const warnings = logged.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings[0]).toMatch(new RegExp(`^Consent Mailbox Trigger "${TRIGGER}": not connected to ${MAILBOX().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .* Trying again in [\\d.]+ s\\.$`));
    expect(warnings).toContainEqual(expect.stringMatching(/Nothing answers on 127\.0\.0\.1:\d+ \(connection refused\): check Host and Port/));
    expect(logged).toContainEqual({ level: 'info', message: expect.stringMatching(/connected to .* again after \d+ failed attempt\(s\)$/) });
  });

  test('a refused login stops the run with the reason in words, instead of waiting silently', async () => {
    const result = await run({ replies: 'smtp' }, { imap: { password: 'wrong-password' } });

    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/^The IMAP server refused the login of privacy@shop\.example: wrong user name or password/);
    expect(logged).toContainEqual({ level: 'error', message: expect.stringContaining('refused the login of privacy@shop.example') });
  });
});

describe('never stop, never lose: what cannot be handled goes to review, and n8n is told of failures', () => {
  test('the poison mail and a reply that cannot be composed are items for review, with the reason; the mail after them is handled', async () => {
    await subscriber('jan@example.nl');
    await subscriber('anna@example.nl');
    await dovecot.append([
      poisonMail('<t-poison@x>', 'jan@example.nl'),
      longReferencesMail('<t-long-refs@x>', 'anna@example.nl'),
      rawMail({ messageId: '<t-after@x>', from: 'piet@example.nl', subject: 'Afmelden' }),
    ]);

    const result = await run({ replies: 'smtp' });

    expect(result.status).toBe('success');
    const byId = Object.fromEntries(emitted(result).map((i) => [i.messageId as string, i]));
    expect(result.json(TRIGGER, 1).map((i) => i.messageId).sort()).toEqual(['<t-long-refs@x>', '<t-poison@x>']);
    expect(byId['<t-poison@x>']).toMatchObject({
      intent: 'unknown',
      outcome: 'needs_review',
      folder: 'review',
      reason: 'the mail could not be read completely: a MIME part has an empty or unreadable Content-Type',
    });
    expect(byId['<t-long-refs@x>']).toMatchObject({ intent: 'unsubscribe', outcome: 'unsubscribed', folder: 'review', reply: { status: 'unsendable', to: null } });
    expect(byId['<t-long-refs@x>'].reason).toMatch(/^the reply could not be composed: mail, references\.0: /);
    expect(byId['<t-after@x>']).toMatchObject({ intent: 'unsubscribe', folder: 'processed', reply: { status: 'sent' } });
    expect(await folderOf('<t-poison@x>')).toBe('Review');
    expect(await folderOf('<t-long-refs@x>')).toBe('Review');
    expect(await folderOf('<t-after@x>')).toBe('Processed');
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('confirmed');
    expect(await statusOf(ledger, 'anna@example.nl')).toBe('unsubscribed');
  });

  test('a mail whose handling fails is reported to n8n (the run fails with the reason), counted in the ledger across restarts, then emitted for review', async () => {
    await subscriber('jan@example.nl');
    await dovecot.append([rawMail({ messageId: '<t-fails@x>', from: 'jan@example.nl', subject: 'Afmelden' })]);
    failRequestOutcome(t.path, '<t-fails@x>', 'unsubscribed');
    const parameters = { replies: 'smtp', options: { trustedAuthservIds: 'mx.shop.example', verifyDkim: false, maxAttempts: 2 } };

    for (const attempt of [1, 2]) {
      const failed = await run(parameters);
      expect(failed.status).toBe('error');
      expect(failed.error?.message).toBe(`Consent Mailbox Trigger "${TRIGGER}" could not handle the mail <t-fails@x>: Error: the disk said no`);
      expect(await folderOf('<t-fails@x>')).toBe('INBOX');
      expect(await requestRow('<t-fails@x>')).toMatchObject({ outcome: 'processing', attempts: attempt });
      await closeLedgers(); // the next run opens the ledger again, as after a restart of n8n
    }

    const last = await run(parameters);
    expect(last.status).toBe('success');
    expect(last.json(TRIGGER, 0)).toEqual([]);
    expect(last.json(TRIGGER, 1)).toEqual([
      expect.objectContaining({
        messageId: '<t-fails@x>',
        intent: 'unsubscribe',
        outcome: 'gave_up',
        folder: 'review',
        reason: 'given up after 2 attempts that did not finish (last error: Error: the disk said no)',
        reply: expect.objectContaining({ status: 'none' }),
      }),
    ]);
    expect(await folderOf('<t-fails@x>')).toBe('Review');
    expect((await dovecot.messages('Review')).find((m) => m.messageId === '<t-fails@x>')!.flags).toContain('$ConsentFailed');
  });
});

describe('Replies: Output for My Own Mail Node', () => {
  test('the composed reply is in the item; it is recorded as sent once the run succeeded, keeping the receipt', async () => {
    await subscriber('piet@example.nl', 'CRM-8');
    await dovecot.append([
      rawMail({ messageId: '<out-erase@x>', from: 'piet@example.nl', subject: 'Delete my data', headers: { 'Authentication-Results': 'mx.shop.example; dmarc=pass header.from=example.nl' } }),
    ]);

    const result = await run({ replies: 'output' });

    const [item] = result.json(TRIGGER);
    expect(item).toMatchObject({ intent: 'erase', outcome: 'erased', externalIds: ['CRM-8'], reply: { status: 'pending', to: 'piet@example.nl' } });
    const mail = (item.reply as IDataObject).mail as IDataObject;
    expect(mail).toMatchObject({ to: 'piet@example.nl', from: 'Voorbeeld BV <privacy@shop.example>', subject: 'Your data at Voorbeeld BV has been erased', headers: expect.objectContaining({ 'In-Reply-To': '<out-erase@x>', 'Auto-Submitted': 'auto-replied' }) });
    expect(mail.text).toEqual(expect.any(String));
    expect(peer.received).toHaveLength(0); // the trigger sent nothing itself
    expect((await requestRow('<out-erase@x>'))!.detail).toBe(`proof=authserv; reply=sent; receipt=${String(item.receiptId)}; note=mx.shop.example: dmarc=pass header.from=example.nl`);
    expect(await folderOf('<out-erase@x>')).toBe('Processed');
  });
});

describe('Act Automatically off: classify, record, emit; the workflow decides', () => {
  test('nothing changes in the ledger but the request log; nothing is answered; the proof is in the item', async () => {
    await subscriber('jan@example.nl');
    const erik = await subscriber('erik@example.nl', 'CRM-7');
    await dovecot.append([
      rawMail({ messageId: '<rec-unsub@x>', from: 'jan@example.nl', subject: 'Afmelden' }),
      rawMail({ messageId: '<rec-erase@x>', from: 'erik@example.nl', subject: 'Re: Nieuwsbrief', text: `Verwijder mijn gegevens.\n\n> Afmelden: https://shop.example/consent/unsubscribe?token=${erik.unsubscribeToken}` }),
      rawMail({ messageId: '<rec-spoofed@x>', from: 'victim@example.nl', subject: 'VERWIJDER' }),
      rawMail({ messageId: '<rec-access@x>', from: 'an@example.nl', subject: 'Inzageverzoek' }),
    ]);

    const result = await run({ actAutomatically: false });

    const byId = Object.fromEntries(emitted(result).map((i) => [i.messageId as string, i]));
    expect(result.json(TRIGGER, 1).map((i) => i.messageId)).toEqual(['<rec-access@x>']);
    expect(byId['<rec-unsub@x>']).toMatchObject({ intent: 'unsubscribe', address: 'jan@example.nl', proof: 'none', outcome: 'left_to_workflow', folder: 'processed', reply: { status: 'none' } });
    expect(byId['<rec-erase@x>']).toMatchObject({ intent: 'erase', address: 'erik@example.nl', proof: 'token', outcome: 'left_to_workflow', subjectId: erik.subjectId, receiptId: null });
    expect(byId['<rec-spoofed@x>']).toMatchObject({ intent: 'erase', proof: 'none', outcome: 'left_to_workflow' });
    expect(byId['<rec-access@x>']).toMatchObject({ intent: 'access', outcome: 'awaiting_operator', folder: 'review' });
    expect(await statusOf(ledger, 'jan@example.nl')).toBe('confirmed');
    expect(await statusOf(ledger, 'erik@example.nl')).toBe('confirmed');
    expect(peer.received).toHaveLength(0);
    expect(await requestRow('<rec-erase@x>')).toMatchObject({ kind: 'erase', outcome: 'left_to_workflow', detail: 'proof=token' });
    expect(await folderOf('<rec-access@x>')).toBe('Review');
    expect(await folderOf('<rec-erase@x>')).toBe('Processed');
  });
});

describe('the one erasure proof rule (core/inbox/prove.ts), as classify has it too', () => {
  test('recording only: a token in an erase mail proves its own person, not another sender quoting it', async () => {
    const erik = await subscriber('erik@example.nl');
    await subscriber('piet@example.nl');
    const text = `Verwijder mijn gegevens.\n\n> Afmelden: https://shop.example/consent/unsubscribe?token=${erik.unsubscribeToken}`;
    await dovecot.append([
      rawMail({ messageId: '<own-token@x>', from: 'erik@example.nl', subject: 'Re: Nieuwsbrief', text }),
      rawMail({ messageId: '<forwarded-token@x>', from: 'piet@example.nl', subject: 'Re: Nieuwsbrief', text }),
    ]);
    const byId = Object.fromEntries((await run({ actAutomatically: false })).json(TRIGGER).map((i) => [i.messageId as string, i]));
    expect(byId['<own-token@x>']).toMatchObject({ intent: 'erase', proof: 'token', subjectId: erik.subjectId });
    expect(byId['<forwarded-token@x>']).toMatchObject({ intent: 'erase', proof: 'none', subjectId: null });
  });
});

describe('parameters and the Consent IMAP credential', () => {
  test('a wrong folder setting names the field before anything connects', async () => {
    const result = await run({ options: { processedFolder: 'INBOX', verifyDkim: false } });
    expect(result.status).toBe('error');
    expect(result.error?.message).toBe('parameters, options.processedFolder: must differ from Mailbox');
  });

  const testImap = (data: Record<string, unknown>) =>
    new ConsentMailboxTrigger().methods.credentialTest.consentImapApiTest.call(new CredentialTestContext(), {
      id: '3',
      name: 'Privacy mailbox',
      type: 'consentImapApi',
      data: data as ICredentialDataDecryptedObject,
    });

  test('the credential test logs in', async () => {
    expect(await testImap(imapCredential())).toEqual({ status: 'OK', message: `Logged in to 127.0.0.1:${dovecot.imapPort} as privacy@shop.example.` });
  });

  test('the credential test says what is wrong: the password, the port, a missing field', async () => {
    const wrong = await testImap(imapCredential({ password: 'not-the-password' }));
    expect(wrong.status).toBe('Error');
    expect(wrong.message).toMatch(/^The IMAP server refused the login of privacy@shop\.example: wrong user name or password.* Microsoft 365 and Gmail refuse plain passwords for many accounts/);
    expect(await testImap(imapCredential({ port: 1 }))).toEqual({ status: 'Error', message: 'Nothing answers on 127.0.0.1:1 (connection refused): check Host and Port (993 with SSL/TLS, 143 without).' });
    expect(await testImap(imapCredential({ password: '' }))).toEqual({
      status: 'Error',
      message: 'Consent IMAP credential, Password: give the password (or choose Authentication: OAuth2 Access Token)',
    });
  });
});
