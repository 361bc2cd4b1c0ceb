// The Consent Ledger's Act on Request inside the real n8n engine: an officer's decision on a mail
// that went to review (recorded by core's inbox, as the trigger and the worker do), carried out with
// the ledger's proof rules. What an officer checks: the item, the person's status, the events'
// actor, the request log, the answer to the sender.
import type { IDataObject } from 'n8n-workflow';
import { processRequestMail } from '../../core/inbox';
import { RequestItemSchema } from '../../core/ledger';
import { parseInput } from '../../core/validation';
import { closeLedgers } from '../../nodes/shared/ledger-connection';
import { rawMail } from '../core/mail/fixtures';
import { statusOf } from '../core/mail/seed';
import { tempLedger } from '../support/ledger';
import { disposeEngine, ensureN8nHostForEngine, runWorkflow } from '../support/n8n-engine';
import { SmtpPeer } from '../support/smtp-peer';
import { BASE_URL, ledgerCredential, node, ORGANISATION, runOptions, smtpCredential, start, workflow } from './support';

const NODE = 'Act on Request';
const OFFICER = 'Anna de Vries (privacy officer)';
const MAILBOX = 'privacy@shop.example/INBOX';

let t: Awaited<ReturnType<typeof tempLedger>>;
let peer: SmtpPeer;

beforeAll(async () => {
  await ensureN8nHostForEngine();
  peer = await SmtpPeer.start();
}, 20 * 60_000);

afterAll(async () => {
  await peer?.stop();
  await disposeEngine();
});

beforeEach(async () => {
  t = await tempLedger();
  peer.received.length = 0;
});

afterEach(async () => {
  await closeLedgers();
  await t.dispose();
});

async function subscriber(email: string, externalId?: string) {
  const [r] = await t.ledger.request(
    [parseInput(RequestItemSchema, { email, externalId, topics: ['newsletter'], consentText: 'Ja, stuur mij de nieuwsbrief.', evidence: { actor: { kind: 'person' }, source: { kind: 'webform' } } })],
    'signup',
  );
  await t.ledger.confirm(r.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' } });
  return r.subjectId!;
}

/** A mail the classifier finds no request in: it goes to review, as the trigger and the worker do it. */
async function reviewMail(messageId: string, from: string, headers: Record<string, string> = {}) {
  const result = await processRequestMail(t.ledger, rawMail({ messageId, from, subject: 'Re: Nieuwsbrief', text: 'Zie mijn vorige bericht.', headers }), {
    mailbox: MAILBOX,
    baseUrl: BASE_URL,
    organisation: ORGANISATION,
    replyFrom: `${ORGANISATION} <privacy@shop.example>`,
    trustedAuthservIds: ['mx.shop.example'],
    verifyDkim: false,
  });
  expect(result).toMatchObject({ folder: 'review', outcome: 'needs_review', review: { requestRef: messageId } });
  return result.review!.requestRef;
}

async function decide(parameters: IDataObject, more: { smtp?: boolean } = {}) {
  const credentials = { consentLedgerApi: ledgerCredential(t.path, { privacyMailbox: 'privacy@shop.example' }), ...(more.smtp ? { consentSmtpApi: smtpCredential(peer.port) } : {}) };
  const actOn = node(NODE, 'consentLedger', { resource: 'request', operation: 'actOnRequest', ...parameters });
  if (more.smtp) actOn.credentials = { ...actOn.credentials, consentSmtpApi: { id: '2', name: 'Consent SMTP account' } };
  return runWorkflow(workflow([start(), actOn], [['Start', NODE]]), runOptions(credentials));
}

const requestRow = (messageId: string) => t.ledger.findRequest(messageId);
const eventsOf = async (email: string) => (await t.ledger.export({ email }))!.events;

describe('Act on Request: each decision, carried out through core with the officer as actor', () => {
  test('unsubscribe: every mail topic of the sender, the officer on the event, the decision in the request log, the answer handed out', async () => {
    await subscriber('jan@example.nl');
    const ref = await reviewMail('<rv-unsub@x>', 'Jan <jan@example.nl>');

    const result = await decide({ requestRef: ref, decision: 'unsubscribe', actor: OFFICER, note: 'asked by phone as well' });

    expect(result.status).toBe('success');
    const [item] = result.json(NODE);
    expect(item).toMatchObject({ requestRef: '<rv-unsub@x>', decision: 'unsubscribe', actor: OFFICER, outcome: 'unsubscribed', isRepeat: false, reply: { status: 'pending', to: 'jan@example.nl' } });
    expect(((item.reply as IDataObject).mail as IDataObject).headers).toMatchObject({ 'In-Reply-To': '<rv-unsub@x>' });
    expect(await statusOf(t.ledger, 'jan@example.nl')).toBe('unsubscribed');
    const unsubscribe = (await eventsOf('jan@example.nl')).find((e) => e.action === 'unsubscribe');
    expect(unsubscribe).toMatchObject({ actorKind: 'operator', actorName: OFFICER, sourceKind: 'workflow', sourceRef: `n8n: ${NODE}`, messageId: '<rv-unsub@x>' });
    expect(unsubscribe!.description).toBe('decision on a request by mail (unsubscribe): asked by phone as well');
    expect(await requestRow(ref)).toMatchObject({ outcome: 'unsubscribed', detail: expect.stringContaining(`decision=unsubscribe; by=${OFFICER}; note=asked by phone as well; reply=pending`) });
  });

  test('erase, sender proven when the mail came (a trusted border server): erased at once, CRM ids out, the decision and who took it stay in the request log', async () => {
    await subscriber('piet@example.nl', 'CRM-8');
    const ref = await reviewMail('<rv-erase@x>', 'piet@example.nl', { 'Authentication-Results': 'mx.shop.example; dkim=pass header.d=example.nl; dmarc=pass header.from=example.nl' });

    const result = await decide({ requestRef: ref, decision: 'erase', actor: OFFICER, note: 'Piet asks to be forgotten' });

    const [item] = result.json(NODE);
    expect(item).toMatchObject({ decision: 'erase', proof: 'authserv', outcome: 'erased', externalIds: ['CRM-8'], receiptId: expect.stringMatching(/^erasure-/), reply: { status: 'pending', to: 'piet@example.nl' } });
    expect(await statusOf(t.ledger, 'piet@example.nl')).toBe('erased');
    const row = await requestRow(ref);
    // The request stays as the record: no address, no free-text note (it may name the person).
    expect(row).toMatchObject({ outcome: 'erased', address: null });
    expect(row!.detail).toContain(`decision=erase; by=${OFFICER}`);
    expect(row!.detail).not.toContain('Piet');
  });

  test('erase, sender not proven: only a verification link to the address (sent with Consent SMTP); its button erases, and the decision stays on record', async () => {
    await subscriber('victim@example.nl');
    const ref = await reviewMail('<rv-spoof@x>', 'victim@example.nl', { 'Authentication-Results': 'mx.attacker.example; dmarc=pass header.from=example.nl' });

    const result = await decide({ requestRef: ref, decision: 'erase', actor: OFFICER, replies: 'smtp' }, { smtp: true });

    expect(result.json(NODE)).toEqual([expect.objectContaining({ decision: 'erase', proof: 'none', outcome: 'awaiting_verification', externalIds: [], reply: expect.objectContaining({ status: 'sent', to: 'victim@example.nl' }) })]);
    expect(await statusOf(t.ledger, 'victim@example.nl')).toBe('confirmed');
    expect(peer.received).toHaveLength(1);
    const link = /https:\/\/\S+\/erase\?token=(\S+)/.exec(String(peer.received[0].parsed.text));
    expect(link).not.toBeNull();

    const done = await t.ledger.completeEraseVerification(link![1], { actor: { kind: 'person' }, source: { kind: 'link' } });

    expect(done.outcome).toBe('erased');
    expect(await statusOf(t.ledger, 'victim@example.nl')).toBe('erased');
    expect((await requestRow(ref))!.detail).toContain(`decision=erase; by=${OFFICER}`);
  });

  test('access: recorded as an access request for the operator and acknowledged; nothing changes', async () => {
    await subscriber('an@example.nl');
    const ref = await reviewMail('<rv-access@x>', 'an@example.nl');

    const [item] = (await decide({ requestRef: ref, decision: 'access', actor: OFFICER })).json(NODE);

    expect(item).toMatchObject({ decision: 'access', outcome: 'awaiting_operator', reply: { status: 'pending', to: 'an@example.nl' } });
    expect(await statusOf(t.ledger, 'an@example.nl')).toBe('confirmed');
    expect(await requestRow(ref)).toMatchObject({ outcome: 'awaiting_operator', detail: expect.stringContaining(`decision=access; by=${OFFICER}`) });
  });

  test('reject: nothing is done, nobody is answered, the decision is recorded; the same decision again is a repeat, another one is refused', async () => {
    await subscriber('fan@example.nl');
    const ref = await reviewMail('<rv-reject@x>', 'fan@example.nl');

    const [item] = (await decide({ requestRef: ref, decision: 'reject', actor: OFFICER, note: 'a compliment, no request' })).json(NODE);

    expect(item).toMatchObject({ decision: 'reject', outcome: 'rejected', isRepeat: false, reply: { status: 'none', to: null } });
    expect(await statusOf(t.ledger, 'fan@example.nl')).toBe('confirmed');
    // Linked to the person, so their history shows the request and what was decided.
    expect(await requestRow(ref)).toMatchObject({ outcome: 'rejected', subjectId: expect.any(Number), detail: `proof=none; lang=nl; decision=reject; by=${OFFICER}; note=a compliment, no request` });

    expect((await decide({ requestRef: ref, decision: 'reject', actor: OFFICER })).json(NODE)).toEqual([expect.objectContaining({ outcome: 'rejected', isRepeat: true })]);
    const other = await decide({ requestRef: ref, decision: 'erase', actor: 'Someone Else' });
    expect(other.status).toBe('error');
    expect(other.error?.message).toBe(`decision: this request was already decided (reject, by ${OFFICER}); change the person's status with Set Status or Erase Contact`);
    expect(await statusOf(t.ledger, 'fan@example.nl')).toBe('confirmed');
  });
});

describe('Act on Request: bad parameters are refused with the field named', () => {
  test.each([
    [{ decision: 'delete', actor: OFFICER }, 'item 0, decision: one of unsubscribe, erase, access, reject'],
    // Empty values n8n itself lets through: an expression that finds nothing (a form field left out).
    [{ decision: 'erase', actor: '={{ $json.officer }}' }, 'item 0, actor: give the name of the person who decided (kept as the actor of the events)'],
    [{ decision: 'erase', actor: OFFICER, requestRef: '={{ "  " }}' }, "item 0, requestRef: give the request's reference: requestRef of the trigger's Review item (the mail's Message-ID)"],
    [{ decision: 'erase', actor: OFFICER, requestRef: '<never-seen@x>' }, "requestRef: no request mail with this reference in the ledger; use requestRef of the trigger's Review item"],
  ])('%j', async (parameters, message) => {
    await subscriber('kees@example.nl');
    const ref = await reviewMail('<rv-bad@x>', 'kees@example.nl');

    const result = await decide({ requestRef: ref, ...parameters });

    expect(result.status).toBe('error');
    expect(result.error?.message).toBe(message);
    expect(await requestRow(ref)).toMatchObject({ outcome: 'needs_review' });
    expect(await statusOf(t.ledger, 'kees@example.nl')).toBe('confirmed');
  });
});
