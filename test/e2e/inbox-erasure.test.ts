import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import type { Browser } from 'playwright-core';
import { launchChromium, watchDialogs } from '../support/browser';
import { waitFor } from '../support/wait';
import {
  deliverToPrivacyMailbox,
  lastMailId,
  ledgerCli,
  sampleWorkflow,
  linkTo,
  mails,
  PERSON_USER_AGENT,
  screenshotPath,
  startTryOut,
  waitForMail,
  type TryOut,
} from './support/try-out';

// The inbox-erasure sample, end to end: request mails put into the privacy mailbox (a real Dovecot)
// the way the organisation's border mail server delivers them, read by the Consent Mailbox
// Trigger inside a real n8n, acknowledgements and verification links out through the sandbox.

function requestMail(from: string, messageId: string, extraHeaders = ''): string {
  return (
    `${extraHeaders}From: ${from}\r\nTo: privacy@example-shop.test\r\nSubject: VERWIJDER\r\nMessage-ID: <${messageId}>\r\n` +
    `Date: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
    'Verwijder al mijn gegevens uit uw bestanden.\r\n'
  );
}

function accessMail(from: string, messageId: string): string {
  return (
    `From: ${from}\r\nTo: privacy@example-shop.test\r\nSubject: Inzageverzoek\r\nMessage-ID: <${messageId}>\r\n` +
    `Date: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
    'Ik wil graag inzage in mijn gegevens (AVG artikel 15).\r\n'
  );
}

/**
 * The sample with its CRM placeholder replaced by what a user puts there: an HTTP Request that
 * deletes the person's CRM record, here at a small CRM stand-in of the test.
 */
function withCrmDelete(crmUrl: string) {
  const workflow = sampleWorkflow('inbox-erasure.json');
  const nodes = workflow.nodes.map((node) =>
    node.name === 'Delete in your CRM (placeholder)'
      ? {
          ...node,
          type: 'n8n-nodes-base.httpRequest',
          typeVersion: 4.2,
          parameters: { method: 'DELETE', url: `=${crmUrl}/contacts/{{ $json.externalIds.join(',') }}?receipt={{ $json.receiptId }}`, options: {} },
        }
      : node,
  );
  return { ...workflow, nodes };
}

async function check(tryOut: TryOut, email: string) {
  const [result] = await ledgerCli(tryOut, ['check', email]);
  return result as { allowed: boolean; status: string; reason: string };
}

describe('inbox erasure requests (workflows/inbox-erasure.json) on a real n8n', () => {
  let tryOut: TryOut;
  let browser: Browser;
  let imap: ImapFlow;
  let crm: Server;
  const crmCalls: string[] = [];

  beforeAll(async () => {
    crm = createServer((req, res) => {
      crmCalls.push(`${req.method} ${req.url}`);
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => crm.listen(0, '127.0.0.1', resolve));
    const crmUrl = `http://127.0.0.1:${(crm.address() as AddressInfo).port}/crm`;
    tryOut = await startTryOut({ workflows: [], extraWorkflows: [withCrmDelete(crmUrl)] });
    browser = await launchChromium();
    const csv = path.join(tryOut.dir, 'people.csv');
    writeFileSync(csv, 'email,name,external_id,previously_mailed\nanna@example.test,Anna,CRM-1001,1\nbob@example.test,Bob,CRM-1002,1\ndora@example.test,Dora,CRM-1004,1\n');
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
    await new Promise((resolve) => crm?.close(resolve));
  }, 120_000);

  /** Resolves once the trigger has moved the mail out of the inbox (after its workflow run). */
  async function movedTo(messageId: string): Promise<string> {
    return waitFor(
      async () => {
        for (const folder of ['Processed', 'Review']) {
          const status = await imap.status(folder, { messages: true });
          if (!status || !status.messages) continue;
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

  test('a VERWIJDER mail from a proven sender erases the person and is acknowledged in reply', async () => {
    const before = await lastMailId(tryOut);
    await deliverToPrivacyMailbox(tryOut, requestMail('anna@example.test', 'erase-anna-1@example.test'), 'pass');

    const ack = await waitForMail(tryOut, { to: 'anna@example.test', after: before });

    expect(ack.subject).toBe('Uw gegevens zijn verwijderd bij Example Shop');
    expect(ack.headers['in-reply-to']).toBe('<erase-anna-1@example.test>');
    expect(ack.headers['auto-submitted']).toBe('auto-replied');
    expect(await check(tryOut, 'anna@example.test')).toMatchObject({ allowed: false, status: 'none', reason: 'suppressed' });
    expect(await ledgerCli(tryOut, ['export', 'anna@example.test'])).toEqual([{ found: false }]);
    expect(await movedTo('erase-anna-1@example.test')).toBe('Processed');
    // The CRM branch got the erased person's CRM id and the receipt (moved only after the run).
    expect(crmCalls).toEqual([expect.stringMatching(/^DELETE \/crm\/contacts\/CRM-1001\?receipt=erasure-[0-9a-f-]{36}$/)]);
  });

  test('the same mail again (same Message-ID) changes nothing and is not answered twice', async () => {
    const before = await lastMailId(tryOut);
    await deliverToPrivacyMailbox(tryOut, requestMail('anna@example.test', 'erase-anna-1@example.test'), 'pass');

    // Both copies are in Processed once the second run has ended.
    await waitFor(
      async () => {
        const lockProcessed = await imap.getMailboxLock('Processed');
        try {
          const copies = await imap.search({ header: { 'message-id': 'erase-anna-1@example.test' } });
          return copies && copies.length === 2;
        } finally {
          lockProcessed.release();
        }
      },
      { what: 'both copies of erase-anna-1 in Processed', intervalMs: 250 },
    );
    expect((await mails(tryOut)).filter((m) => m.id > before && m.envelope.to.includes('anna@example.test'))).toEqual([]);
    expect(crmCalls).toHaveLength(1);
  });

  test('the same request with a forged sender proof gets a verification link, erases only on its button, and is then acknowledged', async () => {
    const before = await lastMailId(tryOut);
    // A sender can write any header, also one naming the organisation's own mail server: the border
    // server (the sandbox) removes it on arrival (RFC 8601 §5) and writes what it found: nothing.
    const forged = 'Authentication-Results: mail-sandbox.example-shop.test; dkim=pass header.d=example.test; dmarc=pass header.from=example.test\r\n';
    await deliverToPrivacyMailbox(tryOut, requestMail('bob@example.test', 'erase-bob-1@example.test', forged), 'none');

    const verification = await waitForMail(tryOut, { to: 'bob@example.test', after: before });
    expect(verification.subject).toBe('Bevestig het verwijderen van uw gegevens bij Example Shop');
    expect(await check(tryOut, 'bob@example.test')).toMatchObject({ allowed: true, status: 'subscribed' });
    const eraseUrl = linkTo(verification, 'erase');

    // Opening the link (a scanner, or the person) only shows the page.
    expect((await fetch(eraseUrl)).status).toBe(200);
    expect((await fetch(eraseUrl, { method: 'HEAD' })).status).toBe(200);
    expect(await check(tryOut, 'bob@example.test')).toMatchObject({ allowed: true });

    const context = await browser.newContext({ userAgent: PERSON_USER_AGENT });
    const page = await context.newPage();
    const dialogs = watchDialogs(page);
    await page.goto(eraseUrl);
    await page.screenshot({ path: screenshotPath('erase-page'), fullPage: true });
    await page.getByRole('button', { name: 'Erase my data' }).click();
    await page.getByRole('heading', { name: 'Your data has been erased' }).waitFor();
    await context.close();
    // Then the acknowledgement a proven request gets (Anna's above), in the verification mail's language.
    const ack = await waitForMail(tryOut, { to: 'bob@example.test', after: verification.id });
    expect(ack.subject).toBe('Uw gegevens zijn verwijderd bij Example Shop');
    expect(ack.headers['in-reply-to']).toBe('<erase-bob-1@example.test>');
    expect(ack.headers['auto-submitted']).toBe('auto-replied');

    expect(dialogs).toEqual([]);
    expect(await check(tryOut, 'bob@example.test')).toMatchObject({ allowed: false, reason: 'suppressed' });
    expect(await movedTo('erase-bob-1@example.test')).toBe('Processed');
  });

  test('an access request by mail: the link to her data goes to the sender; through the workflow it shows the page and the JSON download, and the request is answered', async () => {
    const before = await lastMailId(tryOut);
    await deliverToPrivacyMailbox(tryOut, accessMail('dora@example.test', 'access-dora-1@example.test'), 'none');
    const answer = await waitForMail(tryOut, { to: 'dora@example.test', after: before });
    expect(answer.subject).toBe('Uw gegevens bij Example Shop');
    expect(answer.headers['in-reply-to']).toBe('<access-dora-1@example.test>');
    const accessUrl = answer.links.find((l) => new URL(l).pathname.endsWith('/consent/access'));
    expect(accessUrl).toBeDefined();
    expect(await movedTo('access-dora-1@example.test')).toBe('Processed');

    const context = await browser.newContext({ userAgent: PERSON_USER_AGENT, acceptDownloads: true });
    const page = await context.newPage();
    const dialogs = watchDialogs(page);
    expect((await page.goto(accessUrl!))?.status()).toBe(200);
    await page.getByRole('heading', { name: /^(The data we hold about you|De gegevens die we van je hebben)$/ }).waitFor();
    expect(await page.getByText('dora@example.test').count()).toBeGreaterThan(0);
    expect(await page.getByText('bob@example.test').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('access-page'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[download]').click()]);
    const saved = path.join(tryOut.dir, 'dora-data.json');
    await download.saveAs(saved);
    await context.close();
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toMatchObject({ person: { email: 'dora@example.test', name: 'Dora', externalId: 'CRM-1004' } });
    expect(dialogs).toEqual([]);

    const register = (await ledgerCli(tryOut, ['requests'])) as { id: string }[];
    expect(register.find((r) => r.id === '<access-dora-1@example.test>')).toMatchObject({ kind: 'access', status: 'closed', outcome: 'answered' });
    // Showing it changed nothing: Dora may still be mailed.
    expect(await check(tryOut, 'dora@example.test')).toMatchObject({ allowed: true });
  });

  test("the sandbox inbox's compose form delivers a request the trigger answers (the try-out's step 5)", async () => {
    const before = await lastMailId(tryOut);
    const context = await browser.newContext({ userAgent: PERSON_USER_AGENT });
    const page = await context.newPage();
    await page.goto(`${tryOut.sandbox.inboxUrl}compose`);
    await page.getByLabel('From (the address you signed up with)').fill('carla@example.test');
    await page.getByRole('button', { name: 'Deliver into the privacy mailbox' }).click();
    await page.getByText('delivered to the privacy mailbox', { exact: false }).waitFor();
    await context.close();

    const reply = await waitForMail(tryOut, { to: 'carla@example.test', after: before });

    // Nobody by that address: the answer says so, and no one else is touched.
    expect(reply.subject).toMatch(/^(Your request at|Uw verzoek bij) Example Shop$/);
    expect(reply.headers['in-reply-to']).toMatch(/^<[0-9a-f]{24}@example\.test>$/);
    expect(await check(tryOut, 'carla@example.test')).toMatchObject({ allowed: false, reason: 'suppressed' });
  });
});
