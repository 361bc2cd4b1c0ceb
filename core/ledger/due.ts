import { addDays } from '../clock';
import type { Evidence } from '../consent/evidence';
import type { Channel } from '../consent/statuses';
import { resolveTransition, statusesAllowing } from '../consent/transitions';
import type { ConsentChange, ConsentRow, StoreTx, TokenRow } from '../store/store';
import { eventFrom, nextConsent, parseEvidence, type LedgerContext } from './context';
import type { DueItem } from './schemas';

/** What falls due with time: reminders of pending invitations, and their expiry. */

/**
 * Invitations waiting more than `afterDays` since the last mail, with fewer than `maxReminders`
 * reminders: each becomes `reminded` and gets fresh links for the reminder mail.
 */
export function remind(ctx: LedgerContext, options: DueOptions & { maxReminders: number }): Promise<DueItem[]> {
  return advanceDue(ctx, 'remind', options);
}

/** Signups and invitations unanswered for more than `afterDays` since they began: expired. */
export function expire(ctx: LedgerContext, options: DueOptions): Promise<DueItem[]> {
  return advanceDue(ctx, 'expire', options);
}

interface DueOptions {
  afterDays: number;
  topic?: string;
  channel?: Channel;
  limit?: number;
  evidence?: unknown;
}

/** What each falls due by: a reminder counts from the last mail, expiry from the first invitation. */
const DUE = {
  remind: { column: 'lastSentAt', ref: 'reminders' },
  expire: { column: 'invitedAt', ref: 'expiry' },
} as const;

/** The rows the action applies to (the statuses the transition table lets it change), advanced. */
async function advanceDue(ctx: LedgerContext, action: 'remind' | 'expire', options: DueOptions & { maxReminders?: number }): Promise<DueItem[]> {
  const now = ctx.now();
  const evidence = parseEvidence(options.evidence ?? { actor: { kind: 'system' }, source: { kind: 'workflow', ref: DUE[action].ref } });
  return ctx.store.transaction(async (tx) => {
    const due = await tx.findPending({
      statuses: statusesAllowing(action),
      column: DUE[action].column,
      before: addDays(now, -options.afterDays).toISOString(),
      maxReminders: options.maxReminders,
      topic: options.topic,
      channel: options.channel,
      limit: options.limit ?? 100_000,
    });
    return advance(ctx, tx, due, action, evidence, now);
  });
}

async function advance(ctx: LedgerContext, tx: StoreTx, found: ConsentRow[], action: 'remind' | 'expire', evidence: Evidence, now: Date): Promise<DueItem[]> {
  const at = now.toISOString();
  const ids = [...new Set(found.map((r) => r.subjectId))];
  await tx.lockSubjects(ids);
  // The rows were found before the lock: under PostgreSQL's READ COMMITTED a confirmation or
  // another run (a second scheduler, n8n's queue mode) may have changed them since. Read them
  // again under the lock and advance only those still as found, or a confirmed person would be
  // reminded (and later expired) and a second run would remind twice.
  const key = (r: ConsentRow) => `${r.subjectId}|${r.topic}|${r.channel}`;
  const current = new Map((await tx.getConsents(ids)).map((r) => [key(r), r]));
  const rows = found.flatMap((r) => {
    const fresh = current.get(key(r));
    const unchanged = fresh && fresh.status === r.status && fresh.reminders === r.reminders && fresh.lastSentAt === r.lastSentAt && fresh.invitedAt === r.invitedAt;
    return unchanged ? [fresh] : [];
  });
  const subjects = new Map((await tx.findSubjects({ ids })).map((s) => [s.id, s]));
  const changes: ConsentChange[] = [];
  const tokens: TokenRow[] = [];
  const items: DueItem[] = [];
  for (const c of rows) {
    const subject = subjects.get(c.subjectId);
    const transition = resolveTransition(action, c.status, { basis: c.basis });
    if (!subject || transition.kind !== 'change') continue;
    // The text the person was asked to agree to travels along with each reminder and its link.
    const textHash = c.consentTextHash;
    changes.push({
      consent: nextConsent(c, c, transition.to, transition.basis, action, at),
      event: eventFrom(
        evidence,
        { subjectId: c.subjectId, topic: c.topic, channel: c.channel, action, fromStatus: c.status, toStatus: transition.to, basis: transition.basis },
        now,
        { text: null, hash: textHash },
      ),
    });
    const item: DueItem = {
      subjectId: subject.id,
      email: subject.email,
      phone: subject.phone,
      name: subject.name,
      locale: subject.locale,
      topic: c.topic,
      channel: c.channel,
      status: transition.to,
      reminders: action === 'remind' ? c.reminders + 1 : c.reminders,
      confirmToken: null,
      unsubscribeToken: null,
    };
    if (action === 'remind') {
      // Only a hash of the first link is stored, so a reminder carries a new one; both work.
      const { confirm, unsubscribe, row } = ctx.newLinkSet(now, { subjectId: subject.id, channel: c.channel, topics: [c.topic], consentTextHash: textHash });
      tokens.push(row);
      item.confirmToken = confirm.token;
      item.unsubscribeToken = unsubscribe.token;
    }
    items.push(item);
  }
  await tx.writeChanges(changes);
  await tx.insertTokens(tokens);
  return items;
}
