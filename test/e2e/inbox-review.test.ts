import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import type { Browser } from 'playwright-core';
import { launchChromium, watchDialogs } from '../support/browser';
import { waitFor } from '../support/wait';
import { deliverToPrivacyMailbox, lastMailId, ledgerCli, PERSON_USER_AGENT, sampleWorkflow, screenshotPath, startTryOut, waitForMail, type SandboxMail, type TryOut } from './support/try-out';

// The inbox-review sample, end to end: a mail the classifier cannot act on comes into the privacy
// mailbox (a real Dovecot), leaves the Consent Mailbox Trigger inside a real n8n at its Review
// output, n8n's Send Email (send and wait) mails the officer a form, the officer decides in it, and
// the Consent Ledger's Act on Request carries the decision out with the ledger's proof rules.

const OFFICER = 'Olga Officer';

function mailWithoutRequestWords(from: string, messageId: string): string {
  return (
    `From: ${from}\r\nTo: privacy@example-shop.test\r\nSubject: Re: Nieuwsbrief\r\nMessage-ID: <${messageId}>\r\n` +
    `Date: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
    'Zie mijn vorige bericht.\r\n'
  );
}

/** The button in the officer's mail: n8n's signed link to the waiting run's form. */
function formLink(mail: SandboxMail): string {
  const href = /href="([^"]*\/webhook-waiting\/[^"]+)"/.exec(mail.html ?? '')?.[1];
  if (!href) throw new Error(`no form link in the officer's mail: ${mail.html?.slice(0, 500)}`);
  return href.replace(/&amp;/g, '&');
}

async function check(tryOut: TryOut, email: string) {
  const [result] = await ledgerCli(tryOut, ['check', email]);
  return result as { allowed: boolean; status: string; reason: string };
}

describe('request mails decided by a person (workflows/inbox-review.json) on a real n8n', () => {
  let tryOut: TryOut;
  let browser: Browser;
  let imap: ImapFlow;

  beforeAll(async () => {
    tryOut = await startTryOut({ workflows: [], extraWorkflows: [sampleWorkflow('inbox-review.json')] });
    browser = await launchChromium();
    const csv = path.join(tryOut.dir, 'people.csv');
    writeFileSync(csv, 'email,name,external_id,previously_mailed\nanna@example.test,Anna,CRM-1001,1\nbob@example.test,Bob,CRM-1002,1\n');
    await ledgerCli(tryOut, ['import', csv]);
    const box = tryOut.sandbox.imap!;
    imap = new ImapFlow({ host: box.host, port: box.port, secure: false, auth: { user: box.user, pass: box.password }, logger: false });
    imap.on('error', () => undefined);
    await imap.connect();
  }, 20 * 60_000);

  afterAll(async () => {
    await imap?.logout().catch(() => undefined);
    await browser?.close();
    await tryOut?.stop();
  }, 120_000);

  async function folderOf(messageId: string): Promise<string> {
    return waitFor(
      async () => {
        for (const folder of ['Processed', 'Review']) {
          const lock = await imap.getMailboxLock(folder);
          try {
            const found = await imap.search({ header: { 'message-id': messageId } });
            if (found && found.length > 0) return folder;
          } finally {
            lock.release();
          }
        }
        return undefined;
      },
      { what: `${messageId} moved out of the privacy mailbox's INBOX`, intervalMs: 250 },
    );
  }

  /** The officer opens the form behind the mail's button and sends their decision. */
  async function decideInForm(officerMail: SandboxMail, decision: string, note: string, screenshot: string) {
    const context = await browser.newContext({ userAgent: PERSON_USER_AGENT });
    const page = await context.newPage();
    const dialogs = watchDialogs(page);
    await page.goto(formLink(officerMail));
    await page.getByLabel('Decision').selectOption(decision);
    await page.getByLabel('Decided by').fill(OFFICER);
    await page.getByLabel('Note').fill(note);
    await page.screenshot({ path: screenshotPath(screenshot), fullPage: true });
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText('Got it, thanks').waitFor();
    await context.close();
    expect(dialogs).toEqual([]);
  }

  test('a mail without request words comes out on Review, goes to the Review folder, and the officer is asked with the sender\'s own words', async () => {
    const before = await lastMailId(tryOut);
    await deliverToPrivacyMailbox(tryOut, mailWithoutRequestWords('anna@example.test', 'review-anna-1@example.test'), 'pass');

    const officerMail = await waitForMail(tryOut, { to: 'privacy-officer@example-shop.test', after: before });

    expect(officerMail.subject).toBe('Decide on a request mail: Re: Nieuwsbrief');
    expect(officerMail.html).toContain('Zie mijn vorige bericht.');
    expect(officerMail.html).toContain('From: anna@example.test');
    expect(officerMail.html).toContain('Sender proven: yes (authserv)');
    // Nothing was done; the mail went where the worker puts it, once the run went to wait.
    expect(await check(tryOut, 'anna@example.test')).toMatchObject({ allowed: true, status: 'subscribed' });
    expect(await folderOf('review-anna-1@example.test')).toBe('Review');

    // The officer decides: erase. The sender was proven when the mail came, so it is done at once.
    await decideInForm(officerMail, 'erase', 'she called to ask for it', 'review-form');

    const ack = await waitForMail(tryOut, { to: 'anna@example.test', after: officerMail.id });
    expect(ack.subject).toBe('Uw gegevens zijn verwijderd bij Example Shop');
    expect(ack.headers['in-reply-to']).toBe('<review-anna-1@example.test>');
    expect(await check(tryOut, 'anna@example.test')).toMatchObject({ allowed: false, reason: 'suppressed' });
    expect(await ledgerCli(tryOut, ['export', 'anna@example.test'])).toEqual([{ found: false }]);
  });

  test('a sender that was not proven: the officer\'s erase only mails a verification link; reject changes nothing', async () => {
    const before = await lastMailId(tryOut);
    await deliverToPrivacyMailbox(tryOut, mailWithoutRequestWords('bob@example.test', 'review-bob-1@example.test'), 'none');
    const officerMail = await waitForMail(tryOut, { to: 'privacy-officer@example-shop.test', after: before });
    expect(officerMail.html).toContain('Sender proven: no.');

    await decideInForm(officerMail, 'erase', 'asked on the phone, but who was it?', 'review-form-unproven');

    const verification = await waitForMail(tryOut, { to: 'bob@example.test', after: officerMail.id });
    expect(verification.subject).toBe('Bevestig het verwijderen van uw gegevens bij Example Shop');
    expect(verification.text).toMatch(/\/webhook\/consent\/erase\?token=/);
    expect(await check(tryOut, 'bob@example.test')).toMatchObject({ allowed: true, status: 'subscribed' });

    // A second mail, rejected: nothing changes for Bob and nobody is answered.
    const beforeReject = await lastMailId(tryOut);
    await deliverToPrivacyMailbox(tryOut, mailWithoutRequestWords('bob@example.test', 'review-bob-2@example.test'), 'none');
    const second = await waitForMail(tryOut, { to: 'privacy-officer@example-shop.test', after: beforeReject });
    await decideInForm(second, 'reject', 'no request in it', 'review-form-reject');
    await waitFor(async () => ((await ledgerCli(tryOut, ['export', 'bob@example.test']))[0] as { requests?: Array<{ messageId: string; outcome: string }> }).requests?.find((r) => r.messageId === '<review-bob-2@example.test>')?.outcome === 'rejected', {
      what: 'the rejected request recorded in the ledger',
      intervalMs: 500,
    });
    const held = (await ledgerCli(tryOut, ['export', 'bob@example.test']))[0] as { requests: Array<{ messageId: string; outcome: string; detail: string }> };
    expect(held.requests.find((r) => r.messageId === '<review-bob-2@example.test>')!.detail).toContain(`decision=reject; by=${OFFICER}; note=no request in it`);
    expect(held.requests.find((r) => r.messageId === '<review-bob-1@example.test>')).toMatchObject({ outcome: 'awaiting_verification' });
    expect(await check(tryOut, 'bob@example.test')).toMatchObject({ allowed: true, status: 'subscribed' });
  });
});
