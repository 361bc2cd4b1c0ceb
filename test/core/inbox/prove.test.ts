import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ledger } from '../../../core/ledger';
import { processRequestMail, recordRequestMail, type RequestOptions } from '../../../core/inbox';
import { classifyFile } from '../../../worker/cli';
import { tempLedger } from '../../support/ledger';
import { rawMail } from '../mail/fixtures';
import { seedSubscriber, statusOf } from '../mail/seed';

/**
 * One erasure proof rule (core/inbox/prove.ts) for every face: the worker and the trigger acting
 * (processRequestMail), the trigger recording only (recordRequestMail) and `n8n-consent classify`
 * (classifyFile) say the same of the same .eml.
 */
const OPTIONS: RequestOptions = {
  mailbox: 'privacy@shop.example/INBOX',
  baseUrl: 'https://shop.example/consent',
  organisation: 'De Winkel',
  replyFrom: 'Privacy De Winkel <privacy@shop.example>',
};

let t: Awaited<ReturnType<typeof tempLedger>>;
let ledger: Ledger;
beforeEach(async () => {
  t = await tempLedger();
  ledger = t.ledger;
});
afterEach(() => t?.dispose());

/** An erasure request quoting the newsletter that carried `token`, as three faces see it. */
async function threeFaces(from: string, token: string, id: string) {
  const raw = rawMail({ from, subject: 'Re: Nieuwsbrief', messageId: `<${id}@example.nl>`, text: `Verwijder mijn gegevens.\n\n> Afmelden: https://shop.example/consent/unsubscribe?token=${token}` });
  const path = join(t.dir, `${id}.eml`);
  writeFileSync(path, raw);
  const classified = await classifyFile(path, { ledger });
  // Recording first (under its own Message-ID): acting may erase the person the token belongs to.
  const recorded = await recordRequestMail(ledger, raw.replace(`<${id}@example.nl>`, `<${id}-recorded@example.nl>`), OPTIONS);
  const acted = await processRequestMail(ledger, raw, OPTIONS);
  return { classified, recorded, acted };
}

test('the token of another person in an erase mail proves nothing, for the worker, the trigger and classify alike', async () => {
  const { unsubscribeToken } = await seedSubscriber(ledger, 'jan@example.nl');
  await seedSubscriber(ledger, 'piet@example.nl');
  const { classified, recorded, acted } = await threeFaces('piet@example.nl', unsubscribeToken, 'forwarded');
  expect([classified.intent, classified.proof, recorded.proof, acted.proof]).toEqual(['erase', 'none', 'none', 'none']);
  expect(classified.proofDetail).toContain('token of another address than the sender');
  expect(acted.outcome).toBe('awaiting_verification');
  expect([await statusOf(ledger, 'jan@example.nl'), await statusOf(ledger, 'piet@example.nl')]).toEqual(['confirmed', 'confirmed']);
});

test('the sender\'s own token in an erase mail proves them, for the worker, the trigger and classify alike', async () => {
  const { unsubscribeToken, subjectId } = await seedSubscriber(ledger, 'jan@example.nl');
  const { classified, recorded, acted } = await threeFaces('jan@example.nl', unsubscribeToken, 'own');
  expect([classified.intent, classified.proof, recorded.proof, acted.proof]).toEqual(['erase', 'token', 'token', 'token']);
  expect(recorded.subjectId).toBe(subjectId);
  expect(acted).toMatchObject({ outcome: 'erased', subjectId });
  expect(await statusOf(ledger, 'jan@example.nl')).toBe('erased');
});
