import { CheckItemSchema, RequestItemSchema, type Ledger, type RequestResult } from '../../../core/ledger';
import type { PageOptionsInput } from '../../../core/pages/options';
import { parseInput } from '../../../core/validation';

/** Shared set-up for the page tests (not a test file itself). */
export const PAGE_OPTIONS: PageOptionsInput = {
  organisation: 'Voorbeeld BV',
  privacyUrl: 'https://example.nl/privacy',
  signupUrl: 'https://example.nl/aanmelden',
  topicLabels: { newsletter: { nl: 'Nieuwsbrief', en: 'Newsletter' }, events: { nl: 'Evenementen', en: 'Events' } },
};

export const CONSENT_TEXT = 'Ja, ik wil de nieuwsbrief van Voorbeeld BV ontvangen. Afmelden kan altijd.';

export async function signup(
  ledger: Ledger,
  person: { email: string; name?: string; locale?: 'nl' | 'en'; topics?: string[]; externalId?: string },
): Promise<RequestResult & { confirmToken: string; unsubscribeToken: string }> {
  const item = parseInput(RequestItemSchema, {
    consentText: CONSENT_TEXT,
    topics: ['newsletter'],
    evidence: { actor: { kind: 'person' }, source: { kind: 'webform', ref: 'https://example.nl/aanmelden' } },
    ...person,
  });
  const [result] = await ledger.request([item], 'signup');
  if (result.outcome !== 'requested' || !result.confirmToken || !result.unsubscribeToken) {
    throw new Error(`signup of ${person.email} was not requested: ${result.reason}`);
  }
  return result as RequestResult & { confirmToken: string; unsubscribeToken: string };
}

/** Signs up and confirms through the ledger directly: a subscribed person, for unsubscribe tests. */
export async function subscribed(ledger: Ledger, person: Parameters<typeof signup>[1]) {
  const requested = await signup(ledger, person);
  await ledger.confirm(requested.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' } });
  return requested;
}

export async function statusOf(ledger: Ledger, email: string, topic = 'newsletter'): Promise<string> {
  const [result] = await ledger.check([parseInput(CheckItemSchema, { email, topic })]);
  return result.status;
}

/** An erase request that waits for the mailbox owner's verification link. */
export async function eraseVerification(ledger: Ledger, email: string, messageId = `<erase-${email}>`) {
  await ledger.recordRequest({ messageId, mailbox: 'INBOX', kind: 'erase', receivedAt: ledger.clock(), address: email, outcome: 'waiting_for_verification' });
  return (await ledger.issueEraseVerification(messageId)).token;
}
