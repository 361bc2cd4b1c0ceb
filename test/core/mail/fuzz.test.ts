import { Readable } from 'node:stream';
import { classifyRequest } from '../../../core/mail/classify';
import { readRequestMail } from '../../../core/mail/request-mail';
import { malformedMails } from '../../../scripts/fuzz-mails.cjs';
import { poisonMail } from './fixtures';

/**
 * Never stop: every mail, however broken, comes out of readRequestMail + classifyRequest (what
 * `n8n-consent classify` runs) as a classification; what the parser could not read goes to review
 * with the reason. The big run is `node scripts/fuzz-mail.mjs --count 10000`; this is its small one.
 */

const POISON_MAIL = poisonMail();

/** Resolves to what the promise settled with, or 'never settled' (a hang detector, not a speed limit). */
async function settled<T>(work: Promise<T>): Promise<T | 'never settled'> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'never settled'>((resolve) => (timer = setTimeout(() => resolve('never settled'), 60_000)));
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe('mails the parser cannot handle', () => {
  it('a MIME part with an empty Content-Type settles, with the reason, and is classified for review', async () => {
    const mail = await settled(readRequestMail(POISON_MAIL));
    expect(mail).not.toBe('never settled');
    if (mail === 'never settled') return;
    expect(mail.parseError).toBe('a MIME part has an empty or unreadable Content-Type');
    const c = classifyRequest(mail);
    // Its subject asks to unsubscribe, but the mail was not read completely: a person decides.
    expect(c.intent).toBe('unknown');
    expect(c.reason).toBe('the mail could not be read completely: a MIME part has an empty or unreadable Content-Type');
  });

  it('a source that stalls half-way is given up after the time limit, with what was read', async () => {
    const stalled = new Readable({ read() {} });
    stalled.push('From: jan@example.nl\r\nSubject: afmelden\r\nMessage-ID: <stall@x>\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nafm');
    const mail = await settled(readRequestMail(stalled, { parseTimeoutMs: 200 }));
    expect(mail).not.toBe('never settled');
    if (mail === 'never settled') return;
    expect(mail.messageId).toBe('<stall@x>');
    expect(mail.parseError).toBe('the parse did not finish within 200 ms');
    expect(classifyRequest(mail).intent).toBe('unknown');
  });

  it('a source whose header never ends is refused after the time limit', async () => {
    const stalled = new Readable({ read() {} });
    stalled.push('From: jan@example.nl\r\nSubject: afm');
    await expect(settled(readRequestMail(stalled, { parseTimeoutMs: 200 }))).rejects.toThrow("the mail's header did not arrive within 200 ms");
    expect(stalled.destroyed).toBe(true);
  });

  it('a Message-ID that cannot be stored (a control character) becomes a stable stand-in, not a failure later', async () => {
    const raw = 'From: jan@example.nl\r\nSubject: afmelden\r\nMessage-ID: <a\u000fb@example.nl>\r\n\r\nx\r\n';
    const first = await readRequestMail(raw);
    expect(first.messageId).toMatch(/^<sha256-[0-9a-f]{64}@unstorable-message-id\.invalid>$/);
    expect((await readRequestMail(raw)).messageId).toBe(first.messageId);
  });

  it('the time limit is a setting with a clear error', async () => {
    await expect(readRequestMail('X: y\r\n\r\n', { parseTimeoutMs: 0 })).rejects.toThrow(/parseTimeoutMs/);
  });
});

describe('fuzz: malformed mails through readRequestMail and classifyRequest', () => {
  it('the generator is deterministic: the same seed gives the same mails', () => {
    const a = [...malformedMails(200, 7, { bigEvery: 0 })];
    const b = [...malformedMails(200, 7, { bigEvery: 0 })];
    expect(a.map((m) => m.bytes.toString('base64'))).toEqual(b.map((m) => m.bytes.toString('base64')));
    expect(new Set(a.map((m) => m.kind)).size).toBeGreaterThanOrEqual(9);
  });

  it('1,500 mails, one with a 10 MB body: every one settles as a classification, none throws', async () => {
    const crashes: string[] = [];
    const kinds = new Map<string, number>();
    let reviewed = 0;
    let index = 0;
    for (const { kind, bytes } of malformedMails(1500, 20261204, { bigEvery: 1500 })) {
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      try {
        const mail = await settled(readRequestMail(bytes));
        if (mail === 'never settled') crashes.push(`${index} ${kind}: never settled`);
        else {
          const c = classifyRequest(mail);
          if (mail.parseError) {
            reviewed++;
            expect(c.intent).toBe('unknown');
            expect(c.reason).toContain(mail.parseError.slice(0, 50));
          }
        }
      } catch (error) {
        crashes.push(`${index} ${kind}: ${(error as Error).message}`);
      }
      index++;
    }
    expect(crashes).toEqual([]);
    expect(kinds.get('big-body')).toBe(1);
    expect(kinds.get('empty-header')).toBeGreaterThan(100);
    // The empty part Content-Types among them went to review with their reason.
    expect(reviewed).toBeGreaterThan(10);
    // A hang limit, not a speed limit: about 14 s alone, over 60 s seen on a loaded 2-core machine.
  }, 300_000);
});
