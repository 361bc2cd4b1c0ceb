import type { SubjectRef } from '../consent/identity';
import type { Channel } from '../consent/statuses';
import type { LedgerContext } from './context';
import type { SubjectExport } from './schemas';
import { exportPurposes } from './purposes';
import { findSubject } from './subjects';

/** Reading the ledger out: one person's data (GDPR Art. 15), the counts, the pages campaigns and call lists walk. */

/** Everything held about one person, history included (GDPR Art. 15). */
export async function exportSubject(ctx: LedgerContext, ref: SubjectRef): Promise<SubjectExport | undefined> {
  return ctx.store.transaction(async (tx) => {
    const subject = await findSubject(tx, ref);
    if (!subject) return undefined;
    return {
      subject,
      consents: await tx.getConsents([subject.id]),
      events: await tx.listEvents(subject.id),
      messages: await tx.listMessages(subject.id),
      requests: await tx.listRequests(subject.id),
      activeTokens: await tx.countTokens(subject.id),
      purposes: exportPurposes(await tx.getPurposes([subject.id]), subject),
    };
  });
}

export async function report(ctx: LedgerContext) {
  return ctx.store.transaction((tx) => tx.countStatuses());
}

/** A page of the ids of subjects with an email address, ascending, after `after` (a campaign to all). */
export async function subjectIdsWithEmail(ctx: LedgerContext, after: number, limit: number): Promise<number[]> {
  return ctx.store.transaction((tx) => tx.listSubjectIdsWithEmail(after, limit));
}

/** A page of the subjects with a phone number and a consent for `topic` (the call list's candidates). */
export async function phoneSubjects(ctx: LedgerContext, topic: string, after: number, limit: number) {
  return ctx.store.transaction((tx) => tx.listPhoneSubjects(topic, after, limit));
}

/** The mail we sent with this Message-ID and to whom (an abuse report names the mail complained about). */
export async function findMessage(ctx: LedgerContext, messageId: string) {
  return ctx.store.transaction((tx) => tx.findMessage(messageId));
}

/** The message history: every mail sent to a subject. */
export async function recordMessages(ctx: LedgerContext, rows: { subjectId: number; messageId: string; template: string; topics: string[]; channel: Channel; sentAt?: Date }[]) {
  const at = ctx.now().toISOString();
  await ctx.store.transaction((tx) => tx.insertMessages(rows.map((r) => ({ ...r, sentAt: r.sentAt?.toISOString() ?? at }))));
}
