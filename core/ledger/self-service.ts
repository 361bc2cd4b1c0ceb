import { TokenRejected } from '../errors';
import { verifyToken } from '../tokens';
import { accessPackage, issueAccessLink, type AccessPackage } from './access';
import { eventFrom, parseEvidence, type LedgerContext } from './context';
import { eraseWithin } from './erasure';
import { recordHandledRequest } from './register';
import type { EraseResult } from './schemas';

/**
 * The preferences page's "download my data" and "erase my data" (issue 13): the person's own
 * preferences link proves the mailbox, as an access link or an erase-verification link does, so
 * each button is answered at once. Each is a request of the person's (GDPR Art. 15, Art. 17) and
 * goes into the requests register (channel `link`), closed with its outcome in the same commit.
 */

/** Who handled a request answered on the preferences page: nobody but the page itself. */
export const PREFERENCES_PAGE = 'preferences page';

/** The person behind a preferences link (an unsubscribe-purpose token that names a person). */
async function linkPerson(ctx: LedgerContext, token: unknown, now: Date) {
  const verified = verifyToken(ctx.keys.tokenKeys, token, 'unsubscribe', now);
  return ctx.store.transaction(async (tx) => {
    const row = await tx.findToken(verified.hash);
    if (!row || row.subjectId === null) throw TokenRejected.of('unknown');
    const subject = (await tx.findSubjects({ ids: [row.subjectId] }))[0];
    if (!subject) throw TokenRejected.of('unknown');
    return subject;
  });
}

/**
 * "Download my data": an access link for the person (the one link kind that shows the package,
 * core/ledger/access.ts), the request logged as answered, and the click's evidence (time, IP, user
 * agent) as an `access` event in the person's history. Returns the link's token and the package.
 */
export async function accessByLink(ctx: LedgerContext, token: unknown, evidenceInput: unknown): Promise<{ accessToken: string; requestId: string; data: AccessPackage }> {
  const now = ctx.now();
  const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'person' }, source: { kind: 'link' } });
  const issued = await ctx.store.transaction(async (tx) => {
    const subject = await linkPerson(ctx, token, now);
    await tx.appendEvents([eventFrom(evidence, { subjectId: subject.id, topic: null, channel: null, action: 'access', fromStatus: null, toStatus: null, basis: null }, now)]);
    const logged = await recordHandledRequest(ctx, {
      channel: 'link', kind: 'access', handledBy: PREFERENCES_PAGE, outcome: 'answered', subjectId: subject.id, address: subject.email ?? subject.phone,
    });
    const link = await issueAccessLink(ctx, { subjectId: subject.id }, logged.id);
    if (!link.found) throw TokenRejected.of('unknown');
    return { accessToken: link.token, requestId: logged.id };
  });
  return { ...issued, data: await accessPackage(ctx, issued.accessToken) };
}

/**
 * "Erase my data": the one erasure path (core/ledger/erasure.ts eraseWithin: the receipt, the
 * suppression hashes; under a retention hold the person is suppressed instead and the erasure is
 * carried out when the hold ends), with the click's evidence, and its line in the register without
 * the address (the receipt is its record).
 */
export async function eraseByLink(ctx: LedgerContext, token: unknown, evidenceInput: unknown): Promise<EraseResult & { requestId: string }> {
  const now = ctx.now();
  const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'person' }, source: { kind: 'link' } });
  const key = await ctx.loadSuppressionKey();
  const result = await ctx.store.transaction(async (tx) => {
    const subject = await linkPerson(ctx, token, now);
    const done = await eraseWithin(tx, { subjectId: subject.id }, key, 'erasure request on the preferences page', evidence, now);
    const logged = await recordHandledRequest(ctx, {
      channel: 'link', kind: 'erase', handledBy: PREFERENCES_PAGE, outcome: done.outcome, subjectId: done.subjectId, address: null, detail: `receipt=${done.receiptId}`,
    });
    return { ...done, requestId: logged.id };
  });
  if (result.outcome === 'erased') await ctx.store.flushErased?.();
  return result;
}
