import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ledger } from '../../core/ledger';
import { classifyFile } from '../../worker/cli';
import { loadWorkerSettings } from '../../worker/settings';
import { rawMail } from '../core/mail/fixtures';
import { dkimDomain, seedSubscriber } from '../core/mail/seed';
import { tempLedger } from '../support/ledger';

let t: Awaited<ReturnType<typeof tempLedger>>;
let ledger: Ledger;
beforeEach(async () => {
  t = await tempLedger();
  ledger = t.ledger;
});
afterEach(() => t?.dispose());

const eml = (name: string, raw: string) => {
  const path = join(t.dir, name);
  writeFileSync(path, raw);
  return path;
};

describe('n8n-consent classify FILE.eml', () => {
  it('prints intent, language, address, proof and reason without touching a mailbox', async () => {
    const path = eml('a.eml', rawMail({ from: 'Jan <Jan@Example.nl>', rawSubject: '=?UTF-8?B?VkVSV0lKREVS?=' }));
    expect(await classifyFile(path)).toMatchObject({ intent: 'erase', language: 'nl', address: 'jan@example.nl', proof: 'none', reason: 'subject: "verwijder" (nl)' });
  });

  it('checks DKIM only when asked, and a token against the ledger when given one', async () => {
    const signer = dkimDomain('example.nl');
    const signed = eml('b.eml', await signer.sign(rawMail({ from: 'jan@example.nl', subject: 'Delete my data' })));
    expect(await classifyFile(signed)).toMatchObject({ proof: 'none' });
    expect(await classifyFile(signed, { verifyDkim: true, resolver: signer.resolver })).toMatchObject({ proof: 'dkim', proofDetail: 'dkim=pass d=example.nl, dmarc=pass' });
    const { unsubscribeToken } = await seedSubscriber(ledger, 'anna@example.nl');
    const token = eml('c.eml', rawMail({ from: 'anna@example.nl', subject: `unsubscribe ${unsubscribeToken}` }));
    expect(await classifyFile(token, { ledger })).toMatchObject({ intent: 'unsubscribe', proof: 'token' });
    expect(await classifyFile(token)).toMatchObject({ intent: 'unsubscribe', proof: 'none' });
  });

  it('says which file it cannot read', async () => {
    await expect(classifyFile(join(t.dir, 'missing.eml'))).rejects.toThrow(/FILE.eml: cannot read .*missing.eml \(ENOENT\)/);
  });
});

describe('worker settings from a file and the environment', () => {
  it('reads the file, lets CONSENT_* variables override it, and names a wrong field', () => {
    const file = join(t.dir, 'worker.json');
    writeFileSync(file, JSON.stringify({ imap: { host: 'imap.example.com', user: 'privacy@example.com' }, smtp: { host: 'smtp.example.com' }, replyFrom: 'privacy@example.com', organisation: 'X', baseUrl: 'https://example.com/c' }));
    const settings = loadWorkerSettings({ file, env: { CONSENT_IMAP_PASSWORD: 'p', CONSENT_TRUSTED_AUTHSERV_IDS: 'mx1.example.com, mx2.example.com', CONSENT_ACT_ON_UNPROVEN_UNSUBSCRIBE: 'false' } });
    expect(settings.imap).toMatchObject({ host: 'imap.example.com', password: 'p', secure: true, mailbox: 'INBOX', processedFolder: 'Processed', reviewFolder: 'Review' });
    expect(settings).toMatchObject({ trustedAuthservIds: ['mx1.example.com', 'mx2.example.com'], actOnUnprovenUnsubscribe: false, pollSeconds: 60 });
    expect(() => loadWorkerSettings({ file, env: { CONSENT_IMAP_PASSWORD: 'p', CONSENT_POLL_SECONDS: 'soon' } })).toThrow(/worker settings, pollSeconds: /);
    expect(() => loadWorkerSettings({ file, env: { CONSENT_IMAP_PASSWORD: 'p', CONSENT_IMAP_SECURE: 'maybe' } })).toThrow('CONSENT_IMAP_SECURE: "maybe" is not true or false.');
    expect(() => loadWorkerSettings({ file: join(t.dir, 'nope.json') })).toThrow(/--config: cannot read .*nope.json \(ENOENT\)/);
  });
});
