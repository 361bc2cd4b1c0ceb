import type { Readable } from 'node:stream';
import { dkimVerify, dmarc } from 'mailauth';
import { normaliseEmail } from '../consent/identity';
import type { HeaderMap } from './headers';

/**
 * Is the sender who the From header says? Erasure acts only on a proven sender: anyone can put
 * any address in From. Two proofs are read here (a token of ours is checked by the pipeline,
 * against the ledger):
 *  - an Authentication-Results header (RFC 8601) whose authserv-id the operator named as their own
 *    border server, reporting dmarc=pass for the From domain. Headers with any other authserv-id
 *    are ignored: the sender can write those themselves. This relies on that server removing
 *    incoming headers that carry its own id (RFC 8601 §5), which common MTAs do.
 *  - our own check with mailauth: a valid DKIM signature whose domain aligns with the From domain
 *    under its DMARC policy (DKIM-aligned DMARC pass). SPF is not used: the client IP is not ours
 *    to know from a mailbox.
 */
export type Proof = 'token' | 'dkim' | 'authserv' | 'none';

/** The DNS lookup mailauth uses: (name, 'TXT') → [[chunk, …], …]; tests serve their own keys. */
export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;

export interface SenderCheck {
  isProven: boolean;
  proof: Proof;
  detail: string;
}

const NOT_PROVEN = (detail: string): SenderCheck => ({ isProven: false, proof: 'none', detail });

/** The first Authentication-Results from a trusted authserv-id that reports dmarc=pass for the From domain. */
export function checkAuthenticationResults(headers: HeaderMap, fromAddress: string, trustedAuthservIds: readonly string[]): SenderCheck {
  if (trustedAuthservIds.length === 0) return NOT_PROVEN('no trusted authserv-id configured');
  const trusted = new Set(trustedAuthservIds.map((id) => id.trim().toLowerCase()));
  const domain = fromAddress.split('@')[1]?.toLowerCase();
  for (const value of headers.get('authentication-results') ?? []) {
    const withoutComments = value.replace(/\([^()]*\)/g, ' ');
    const [head, ...results] = withoutComments.split(';');
    const authservId = head.trim().split(/\s+/)[0]?.toLowerCase();
    if (!authservId || !trusted.has(authservId)) continue;
    // Only the topmost header of our own server counts: it was added last, on arrival.
    for (const result of results) {
      const method = /^\s*dmarc\s*=\s*([a-z]+)/i.exec(result);
      if (!method) continue;
      const headerFrom = /header\.from\s*=\s*("?)([^\s";]+)\1/i.exec(result)?.[2]?.toLowerCase();
      if (method[1].toLowerCase() === 'pass' && (!headerFrom || headerFrom === domain)) {
        return { isProven: true, proof: 'authserv', detail: `${authservId}: dmarc=pass header.from=${headerFrom ?? domain}` };
      }
      return NOT_PROVEN(`${authservId}: dmarc=${method[1].toLowerCase()}`);
    }
    return NOT_PROVEN(`${authservId}: no dmarc result`);
  }
  return NOT_PROVEN('no Authentication-Results from a trusted authserv-id');
}

/**
 * Verifies DKIM and DMARC on the raw message (streamed; mailauth hashes the body as it passes).
 * Proven only with exactly one From address and a DKIM pass aligned with it.
 */
export async function checkDkimAlignment(source: Buffer | Readable, fromAddress: string, resolver?: DnsResolver): Promise<SenderCheck> {
  const verified = await dkimVerify(source, { resolver } as Parameters<typeof dkimVerify>[1]);
  const headerFrom = verified.headerFrom as unknown as string[] | string | undefined;
  const froms = Array.isArray(headerFrom) ? headerFrom : headerFrom ? [headerFrom] : [];
  if (froms.length !== 1) return NOT_PROVEN(`DMARC needs exactly one From address, found ${froms.length}`);
  if (normaliseEmail(froms[0]) !== normaliseEmail(fromAddress)) return NOT_PROVEN('From differs from the address the request was read from');
  const passing = (verified.results ?? []).filter((r) => r.status?.result === 'pass');
  if (passing.length === 0) {
    const first = verified.results?.[0];
    return NOT_PROVEN(first ? `dkim=${first.status?.result}${first.status?.comment ? ` (${first.status.comment})` : ''}` : 'no DKIM signature');
  }
  const result = await dmarc({
    headerFrom: froms[0],
    spfDomains: [],
    dkimDomains: passing.map((r) => ({ id: r.id, domain: r.signingDomain, aligned: r.status?.aligned, underSized: r.status?.underSized })),
    resolver,
  } as Parameters<typeof dmarc>[0]);
  const outcome = result ? result.status?.result : 'none';
  const alignedDomain = result && 'alignment' in result ? result.alignment?.dkim?.result : undefined;
  if (outcome === 'pass' && alignedDomain) {
    return { isProven: true, proof: 'dkim', detail: `dkim=pass d=${alignedDomain}, dmarc=pass` };
  }
  return NOT_PROVEN(`dkim=pass d=${passing.map((r) => r.signingDomain).join(',')}, dmarc=${outcome}`);
}
