import { DatabaseError } from 'pg';

/**
 * READ COMMITTED: a transaction that loses a race (deadlock, a unique or foreign key another
 * transaction made true or false meanwhile) is run again from the start (see Store.transaction).
 */

/** SQLSTATEs of a race this transaction lost; running it again reads the new state. */
const LOST_RACE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '23505', // unique_violation: another transaction added the address meanwhile
  '23503', // foreign_key_violation: another transaction erased the subject meanwhile
]);
export const MAX_ATTEMPTS = 5;

/**
 * A subject this transaction looked for and did not find was added by another one before this
 * transaction could add it. What the transaction decided from "not there" is stale: run it again.
 */
export class SubjectAppeared extends Error {
  constructor() {
    super('A subject was added by another transaction meanwhile.');
  }
}

export function isLostRace(error: unknown): boolean {
  return error instanceof SubjectAppeared || (error instanceof DatabaseError && LOST_RACE.has(error.code ?? ''));
}

/** A short random wait before attempt `attempt + 1`, longer each time, so two losers do not meet again. */
export function backOff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
}
