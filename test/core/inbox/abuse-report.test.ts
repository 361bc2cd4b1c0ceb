import type { Ledger } from '../../../core/ledger';
import { processRequestMail, type RequestOptions } from '../../../core/inbox';
import type { ComposedMail } from '../../../core/mail/compose';
import { tempLedger } from '../../support/ledger';
import { seedSubscriber, statusOf } from '../mail/seed';

/**
 * Abuse reports (RFC 5965) through the inbox on a real SQLite ledger: the recipient who complained
 * is unsubscribed (by our token, else the reported Message-ID in the message history, else the
 * named recipient), nobody is answered, and a report naming no one goes to review.
 */
const OPTIONS: RequestOptions = {
  mailbox: 'privacy@shop.example/INBOX',
  baseUrl: 'https://shop.example/consent',
  organisation: 'De Winkel',
  replyFrom: 'Privacy De Winkel <privacy@shop.example>',
  ownAddresses: ['nieuwsbrief@shop.example'],
};

let t: Awaited<ReturnType<typeof tempLedger>>;
let ledger: Ledger;
let sent: ComposedMail[];
beforeEach(async () => {
  t = await tempLedger();
  ledger = t.ledger;
  sent = [];
});
afterEach(() => t?.dispose());

const process = (raw: string, options: Partial<RequestOptions> = {}) =>
  processRequestMail(ledger, raw.replace(/\r?\n/g, '\r\n'), { ...OPTIONS, ...options }, { sendReply: async (m) => (sent.push(m), { messageId: m.messageId, accepted: [], rejected: [], response: '250' }) });

function report(original: { to: string; messageId: string; listUnsubscribe?: string }, feedback: string, id: string): string {
  return `From: Feedback Loop <fbl@isp.example>
To: abuse@shop.example
Subject: Abuse report
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <${id}@isp.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="b1"

--b1
Content-Type: text/plain

This is an email abuse report.

--b1
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ISP-FBL/1.0
Version: 1
${feedback}
--b1
Content-Type: message/rfc822

From: De Winkel <nieuwsbrief@shop.example>
To: ${original.to}
Subject: Nieuwsbrief november
Message-ID: ${original.messageId}
${original.listUnsubscribe ? `List-Unsubscribe: <https://shop.example/consent/unsubscribe?token=${original.listUnsubscribe}>\n` : ''}Content-Type: text/plain

Aanbiedingen van november.

--b1--
`;
}

describe('abuse reports through the inbox', () => {
  test('our token in the reported mail unsubscribes its person; no reply to the feedback loop or the person', async () => {
    const { unsubscribeToken } = await seedSubscriber(ledger, 'klaas@isp.example');
    const result = await process(report({ to: 'redacted@isp.example', messageId: '<n-1@shop.example>', listUnsubscribe: unsubscribeToken }, '', 'r1'));
    expect(result).toMatchObject({ intent: 'unsubscribe', outcome: 'unsubscribed', proof: 'token', folder: 'processed', reply: { status: 'none' } });
    expect(await statusOf(ledger, 'klaas@isp.example')).toBe('unsubscribed');
    expect(sent).toEqual([]);
  });

  test('the reported Message-ID in our message history finds the person when the recipient is redacted and no token is there', async () => {
    const { subjectId } = await seedSubscriber(ledger, 'eva@isp.example');
    await ledger.recordMessages([{ subjectId, messageId: '<n-2@shop.example>', template: 'newsletter', topics: ['newsletter'], channel: 'email' }]);
    const result = await process(report({ to: 'redacted@isp.example', messageId: '<n-2@shop.example>' }, 'Original-Rcpt-To: redacted@isp.example', 'r2'));
    expect(result).toMatchObject({ intent: 'unsubscribe', outcome: 'unsubscribed', subjectId, reply: { status: 'none' } });
    expect(await statusOf(ledger, 'eva@isp.example')).toBe('unsubscribed');
    expect(sent).toEqual([]);
  });

  test('else the named recipient (Original-Rcpt-To) is unsubscribed; with actOnUnprovenUnsubscribe off only a token acts', async () => {
    await seedSubscriber(ledger, 'piet@isp.example');
    const raw = report({ to: 'piet@isp.example', messageId: '<n-3@shop.example>' }, 'Original-Rcpt-To: piet@isp.example', 'r3');
    const strict = await process(raw, { actOnUnprovenUnsubscribe: false });
    expect(strict).toMatchObject({ outcome: 'unproven', folder: 'review' });
    expect(await statusOf(ledger, 'piet@isp.example')).toBe('confirmed');
    const result = await process(raw.replace('<r3@', '<r3b@'));
    expect(result).toMatchObject({ intent: 'unsubscribe', address: 'piet@isp.example', outcome: 'unsubscribed', reply: { status: 'none' } });
    expect(await statusOf(ledger, 'piet@isp.example')).toBe('unsubscribed');
    expect(sent).toEqual([]);
  });

  test('a report that names nobody goes to review', async () => {
    const raw = report({ to: 'redacted@isp.example', messageId: '<unknown@shop.example>' }, 'Original-Rcpt-To: redacted@isp.example', 'r4');
    const result = await process(raw);
    expect(result).toMatchObject({ folder: 'review', reply: { status: 'none' } });
  });
});
