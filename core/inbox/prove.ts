import type { Readable } from 'node:stream';
import { normaliseEmail } from '../consent/identity';
import { TokenRejected } from '../errors';
import type { Ledger } from '../ledger';
import { checkAuthenticationResults, checkDkimAlignment, type DnsResolver, type SenderCheck } from '../mail/authenticity';
import type { Classification } from '../mail/classify';
import type { RequestMail } from '../mail/request-mail';
import type { Context } from './context';

/**
 * The one sender proof rule, for the worker, the n8n trigger (act or record only) and
 * `n8n-consent classify` alike:
 *  1. a valid unsubscribe token of ours in the mail. For an erasure it proves the sender only when
 *     the token's person holds the From address: a forwarded newsletter quoted in someone else's
 *     reply must not erase the person it was sent to. For any other request the token decides who.
 *  2. else an Authentication-Results header of a trusted authserv-id (dmarc=pass for From);
 *  3. else, when allowed and the raw mail is at hand, DKIM aligned with DMARC (mailauth).
 * A request about another address than the sender's (an old address, a web form's, a forward's)
 * is proven by none of these: the sender's proof is not that person's, and a token quoted in the
 * mail is not their word. Only the verification link sent to that address can act on it.
 */
export interface ProofInput {
  /** Where a token is checked (read only); without one no token proves anything. */
  ledger?: Pick<Ledger, 'viewToken' | 'export'>;
  mail: RequestMail;
  classification: Classification;
  trustedAuthservIds: readonly string[];
  verifyDkim: boolean;
  /** The raw message for the DKIM check. */
  source?: () => Promise<Buffer | Readable>;
  resolver?: DnsResolver;
  /** Checks of the From address already made for this mail (proveSender keeps its result here). */
  senderChecks?: Map<string, Promise<SenderCheck>>;
}

export interface SenderProof extends SenderCheck {
  /** The person the token proved (proof `token`). */
  subjectId?: number;
  /** That person's stored language. */
  locale?: string | null;
}

export async function proveRequestSender(input: ProofInput): Promise<SenderProof> {
  const c = input.classification;
  const from = senderOf(input.mail);
  const another: SenderProof | null =
    c.address && c.address !== from ? { isProven: false, proof: 'none', detail: `the request is about ${c.address}, not the sender${from ? ` ${from}` : ''}: only a link sent to that address proves it` } : null;
  // An erasure about another address: not even a token of that person in the mail (a forward quotes one).
  if (another && c.intent === 'erase') return another;
  const token = await tokenProof(input);
  if (token.isProven) return token;
  if (!c.address) return { isProven: false, proof: 'none', detail: token.detail ?? 'not exactly one From address' };
  if (another) return token.detail ? { ...another, detail: `${token.detail}; ${another.detail}` } : another;
  const sender = await proveSender(input, c.address);
  return token.detail && !sender.isProven ? { ...sender, detail: `${token.detail}; ${sender.detail}` } : sender;
}

/** The one From address, normalised; null when there is not exactly one. */
export function senderOf(mail: RequestMail): string | null {
  return mail.from.length === 1 ? (normaliseEmail(mail.from[0].address) ?? null) : null;
}

/** The rule's inputs as the inbox has them for one mail. */
export function proofInputOf(ctx: Context): ProofInput {
  const { options, hooks } = ctx;
  return {
    ledger: ctx.ledger,
    mail: ctx.mail,
    classification: ctx.classification,
    trustedAuthservIds: options.trustedAuthservIds,
    verifyDkim: options.verifyDkim,
    source: hooks.source,
    resolver: hooks.resolver,
    senderChecks: ctx.senderChecks,
  };
}

/**
 * Makes the From address's header and DKIM check now, outside the ledger transaction that acts on
 * the mail (DKIM fetches the raw mail and asks DNS), for the requests that will ask for it.
 */
export async function checkSenderAhead(ctx: Context): Promise<void> {
  const c = ctx.classification;
  if (!c.address || c.intent === 'bounce' || c.intent === 'auto_reply' || c.intent === 'access') return;
  if (c.intent === 'unsubscribe' && c.review === null && ctx.options.actOnUnprovenUnsubscribe) return;
  // An erasure (or a mail for review, checked as one) about another address than the sender's is
  // proven by no check of the sender: proveRequestSender answers it without one.
  if ((c.intent === 'erase' || c.review !== null) && c.address !== senderOf(ctx.mail)) return;
  await proveSender(proofInputOf(ctx), c.address);
}

/** Step 1: a token that proves, or why the token in the mail (if any) did not. */
async function tokenProof({ ledger, classification: c }: ProofInput): Promise<SenderProof | { isProven: false; detail?: string }> {
  if (!c.token || !ledger) return { isProven: false };
  let view;
  try {
    view = await ledger.viewToken(c.token, 'unsubscribe');
  } catch (error) {
    if (error instanceof TokenRejected) return { isProven: false, detail: `token ${error.problem}` };
    throw error;
  }
  if (!view.subjectId) return { isProven: false, detail: 'token of nobody held' };
  const proven = { isProven: true, proof: 'token', subjectId: view.subjectId, locale: view.locale } as const;
  if (c.intent !== 'erase') return { ...proven, detail: `valid unsubscribe token (subject ${view.subjectId})` };
  const held = c.address ? await ledger.export({ subjectId: view.subjectId }) : undefined;
  if (held?.subject.email === c.address) return { ...proven, detail: 'token of the same address' };
  return { isProven: false, detail: 'token of another address than the sender' };
}

/** Steps 2 and 3: the From address proven by a trusted header or by DKIM aligned with DMARC. */
export function proveSender(input: Pick<ProofInput, 'mail' | 'trustedAuthservIds' | 'verifyDkim' | 'source' | 'resolver' | 'senderChecks'>, address: string): Promise<SenderCheck> {
  const known = input.senderChecks?.get(address);
  if (known) return known;
  const check = checkSender(input, address);
  input.senderChecks?.set(address, check);
  return check;
}

async function checkSender(input: Pick<ProofInput, 'mail' | 'trustedAuthservIds' | 'verifyDkim' | 'source' | 'resolver'>, address: string): Promise<SenderCheck> {
  const byHeader = checkAuthenticationResults(input.mail.headers, address, input.trustedAuthservIds);
  if (byHeader.isProven) return byHeader;
  if (!input.verifyDkim || !input.source) return byHeader;
  try {
    const byDkim = await checkDkimAlignment(await input.source(), address, input.resolver);
    return byDkim.isProven ? byDkim : { ...byDkim, detail: `${byHeader.detail}; ${byDkim.detail}` };
  } catch (error) {
    return { isProven: false, proof: 'none', detail: `DKIM check failed: ${(error as Error).message}` };
  }
}
