import { z } from 'zod/v4';
import { parseInput } from '../validation';
import type { LedgerContext } from './context';

/**
 * "Why are you leaving?" (issue 13, optional on the unsubscribe page): a few fixed reasons, kept
 * as a count per month and reason, never with the person: no subject, no event, no time of day,
 * and no free text (a sentence typed by a person can name them or anyone else, and would have to
 * be kept, erased and shown like their other data; a fixed choice says what the report needs).
 */
export const LEAVE_REASONS = ['too_many', 'not_relevant', 'never_signed_up', 'other'] as const;
export type LeaveReason = (typeof LEAVE_REASONS)[number];

const LeaveReasonSchema = z.enum(LEAVE_REASONS, { error: `reason: one of ${LEAVE_REASONS.join(', ')}` });

export function isLeaveReason(value: unknown): value is LeaveReason {
  return LeaveReasonSchema.safeParse(value).success;
}

/** Counts one answer in the ledger clock's month. */
export async function countLeaveReason(ctx: LedgerContext, reason: LeaveReason): Promise<void> {
  const checked = parseInput(LeaveReasonSchema, reason, 'reason');
  const month = ctx.now().toISOString().slice(0, 7);
  await ctx.store.transaction((tx) => tx.countLeaveReason(month, checked));
}
