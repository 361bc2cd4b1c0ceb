import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth';
import { RequestItemSchema, type Ledger } from '../../../core/ledger';
import { parseInput } from '../../../core/validation';
import type { RequestOptions } from '../../../core/inbox';

/** A person who signed up and confirmed: the way a real subscriber gets into the ledger. */
export async function seedSubscriber(ledger: Ledger, email: string, options: { locale?: 'nl' | 'en'; topics?: string[] } = {}) {
  const [requested] = await ledger.request(
    [parseInput(RequestItemSchema, { email, locale: options.locale, topics: options.topics ?? ['newsletter'], consentText: 'Ja, stuur mij de nieuwsbrief.', evidence: { actor: { kind: 'person' }, source: { kind: 'webform' } } })],
    'signup',
  );
  await ledger.confirm(requested.confirmToken, { actor: { kind: 'person' }, source: { kind: 'link' } });
  return { subjectId: requested.subjectId!, unsubscribeToken: requested.unsubscribeToken! };
}

export async function statusOf(ledger: Ledger, email: string, topic = 'newsletter') {
  const held = await ledger.export({ email });
  return held?.consents.find((c) => c.topic === topic && c.channel === 'email')?.status ?? (held ? 'none' : 'erased');
}

/**
 * A signing domain for tests: a real RSA key made here, its public half served by a DNS resolver
 * that answers only for this domain (DKIM key and DMARC policy) and "not found" for every other
 * name, so mailauth does real crypto and no query leaves the process.
 */
export function dkimDomain(domain: string, selector = 'test') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const records = new Map<string, string[][]>([
    [`${selector}._domainkey.${domain}`, [[`v=DKIM1; k=rsa; p=${p}`]]],
    [`_dmarc.${domain}`, [['v=DMARC1; p=reject; adkim=r']]],
  ]);
  const queries: string[] = [];
  return {
    queries,
    resolver: async (name: string, rrtype: string) => {
      queries.push(`${rrtype} ${name}`);
      const found = rrtype === 'TXT' ? records.get(name.toLowerCase()) : undefined;
      if (found) return found;
      throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    },
    async sign(raw: string, signingDomain = domain): Promise<string> {
      // mailauth reads signatureData at run time (its .d.ts names the fields flat). signTime is
      // given: without it mailauth's signer reads the clock for t= twice (the header it signs, the
      // header it writes) and rounds each to the nearest second, so about one signature in 200
      // crossing a half second was written with another t= than it signed: "bad signature".
      const options = { signTime: new Date(), signatureData: [{ signingDomain, selector, privateKey: pem, canonicalization: 'relaxed/relaxed' }] };
      const signed = await dkimSign(raw, options as unknown as Parameters<typeof dkimSign>[1]);
      if (signed.errors?.length) throw signed.errors[0];
      if (!signed.signatures.startsWith('DKIM-Signature:')) throw new Error('DKIM signing produced no signature');
      return signed.signatures + raw;
    },
  };
}

/**
 * The shop's privacy mailbox as the inbox tests run it: our own border server (mx.shop.example) is
 * the only trusted authserv-id, so a sender's own DMARC pass proves only that sender's address.
 */
export const SHOP_MAILBOX: RequestOptions = {
  mailbox: 'privacy@shop.example/INBOX',
  baseUrl: 'https://shop.example/consent',
  organisation: 'De Winkel',
  replyFrom: 'Privacy De Winkel <privacy@shop.example>',
  trustedAuthservIds: ['mx.shop.example'],
};
