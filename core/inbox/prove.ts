import { TokenRejected } from '../errors';
import { checkAuthenticationResults, checkDkimAlignment, type SenderCheck } from '../mail/authenticity';
import type { Context } from './context';

/**
 * An unsubscribe token in an erasure mail proves the sender only for its own subject: a forwarded
 * newsletter quoted in someone else's reply must not erase the person it was sent to.
 */
export async function tokenSubject(ctx: Context): Promise<TokenSubject | undefined> {
  const { ledger, classification: c } = ctx;
  if (!c.address) return undefined;
  const view = await unsubscribeTokenSubject(ctx);
  if (!view) return undefined;
  const held = await ledger.export({ subjectId: view.subjectId });
  return held?.subject.email === c.address ? view : undefined;
}

export type TokenSubject = { subjectId: number; locale: string | null };

/** The person a valid unsubscribe token of ours in the mail belongs to. */
export async function unsubscribeTokenSubject(ctx: Context): Promise<TokenSubject | undefined> {
  if (!ctx.classification.token) return undefined;
  try {
    const view = await ctx.ledger.viewToken(ctx.classification.token, 'unsubscribe');
    return view.subjectId ? { subjectId: view.subjectId, locale: view.locale } : undefined;
  } catch (error) {
    if (error instanceof TokenRejected) return undefined;
    throw error;
  }
}

/**
 * Who the sender of a request is proven to be, without acting (record only): for an unsubscribe
 * any valid token of ours (the token decides who), for an erasure only one of the sender's own
 * address; then a trusted Authentication-Results header, then DKIM aligned with DMARC.
 */
export async function proveRequestSender(ctx: Context): Promise<SenderCheck & { subjectId?: number }> {
  const c = ctx.classification;
  const byToken = c.intent === 'erase' ? await tokenSubject(ctx) : await unsubscribeTokenSubject(ctx);
  if (byToken) return { isProven: true, proof: 'token', detail: 'valid unsubscribe token', subjectId: byToken.subjectId };
  if (!c.address) return { isProven: false, proof: 'none', detail: 'not exactly one From address' };
  return proveSender(ctx, c.address);
}

export async function proveSender(ctx: Context, address: string): Promise<SenderCheck> {
  const byHeader = checkAuthenticationResults(ctx.mail.headers, address, ctx.options.trustedAuthservIds);
  if (byHeader.isProven) return byHeader;
  if (!ctx.options.verifyDkim || !ctx.hooks.source) return byHeader;
  try {
    const byDkim = await checkDkimAlignment(await ctx.hooks.source(), address, ctx.hooks.resolver);
    return byDkim.isProven ? byDkim : { ...byDkim, detail: `${byHeader.detail}; ${byDkim.detail}` };
  } catch (error) {
    return { isProven: false, proof: 'none', detail: `DKIM check failed: ${(error as Error).message}` };
  }
}
