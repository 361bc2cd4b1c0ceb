import type { Channel } from '../consent/statuses';
import { suppressionHash, tokenRow, type LedgerContext } from './context';
import type { TopicOutcome } from './schemas';

/**
 * Who gets the optional welcome mail after a confirmation and the goodbye mail after an
 * unsubscribe (issue 13; off by default, switched on in the Confirm Token and Unsubscribe nodes),
 * and with which link. The mail itself is composed in core/mail (compose.ts, the 'welcome' and
 * 'goodbye' templates) and sent over the same SMTP as the confirmation mail.
 */
export interface FollowUpRecipient {
  subjectId: number;
  email: string;
  name: string | null;
  locale: string | null;
  /** An unsubscribe/preferences link for the topics the mail is about (a welcome mail's footer and List-Unsubscribe). */
  unsubscribeToken: string | null;
}

/**
 * The person a link action just changed, if a follow-up mail may go to them: by email only, to an
 * address we hold, never to a suppressed person (a retention hold's erasure) or a suppressed
 * (erased) address. `kind` 'welcome' needs a topic that was confirmed now and issues a fresh
 * unsubscribe link for the confirmed topics; 'goodbye' needs a topic unsubscribed now.
 */
export async function followUpRecipient(
  ctx: LedgerContext,
  kind: 'welcome' | 'goodbye',
  done: { subjectId: number; channel: Channel; topics: TopicOutcome[] },
): Promise<FollowUpRecipient | null> {
  const wanted = kind === 'welcome' ? 'confirmed' : 'unsubscribed';
  const changed = done.topics.filter((t) => t.outcome === 'changed' && t.status === wanted).map((t) => t.topic);
  if (done.channel !== 'email' || changed.length === 0) return null;
  const now = ctx.now();
  const key = await ctx.loadSuppressionKey();
  return ctx.store.transaction(async (tx) => {
    const subject = (await tx.findSubjects({ ids: [done.subjectId] }))[0];
    if (!subject?.email || subject.suppressedAt) return null;
    if ((await tx.findSuppressed([suppressionHash(key, 'email', subject.email)])).size > 0) return null;
    let unsubscribeToken: string | null = null;
    if (kind === 'welcome') {
      const issued = ctx.newToken('unsubscribe', now, ctx.settings.unsubscribeDays);
      await tx.insertTokens([tokenRow(issued, 'unsubscribe', { subjectId: subject.id, channel: 'email', topics: changed }, now)]);
      unsubscribeToken = issued.token;
    }
    return { subjectId: subject.id, email: subject.email, name: subject.name, locale: subject.locale, unsubscribeToken };
  });
}
