import { readFileSync } from 'node:fs';
import { InvalidInput } from './errors';

/** Where the ledger gets "now" from. Tests and the CLI's --now set it; nothing else reads Date. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export function fixedClock(at: Date | string): Clock {
  const date = typeof at === 'string' ? parseInstant(at, '--now') : at;
  return () => new Date(date.getTime());
}

/** Accepts an ISO 8601 instant or a plain date (taken as midnight UTC). */
export function parseInstant(value: string, field: string): Date {
  const text = value.trim();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new InvalidInput(`${field}: "${value}" is not a date; use ISO 8601, e.g. 2026-11-23 or 2026-11-23T10:00:00Z.`);
  }
  return date;
}

export const DAY_MS = 86_400_000;

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** GDPR Art. 12(3): answer "within one month of receipt" — the same day of the next month, clamped. */
export function addOneMonth(at: Date): Date {
  const next = new Date(at.getTime());
  const day = next.getUTCDate();
  next.setUTCDate(1);
  next.setUTCMonth(next.getUTCMonth() + 1);
  const lastDay = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  next.setUTCDate(Math.min(day, lastDay));
  return next;
}

/** GDPR Art. 12(3)'s extension "by two further months": `months` calendar months on, clamped like addOneMonth. */
export function addMonths(at: Date, months: number): Date {
  const next = new Date(at.getTime());
  const day = next.getUTCDate();
  next.setUTCDate(1);
  next.setUTCMonth(next.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  next.setUTCDate(Math.min(day, lastDay));
  return next;
}

/**
 * A clock read from a file that holds one ISO 8601 instant, read at every call; while the file is
 * missing or empty, the system time. For demos and end-to-end tests that must let days pass for
 * reminders and expiry without waiting: set CONSENT_CLOCK_FILE for n8n (the nodes use it) and
 * write a later instant into the file. Never set it in production.
 */
export function fileClock(path: string): Clock {
  return () => {
    let text = '';
    try {
      text = readFileSync(path, 'utf8').trim();
    } catch {
      return new Date();
    }
    return text ? parseInstant(text, 'CONSENT_CLOCK_FILE') : new Date();
  };
}

/** The clock the environment asks for: CONSENT_CLOCK_FILE, else the system's. */
export function clockFromEnvironment(env: NodeJS.ProcessEnv = process.env): Clock {
  return env.CONSENT_CLOCK_FILE ? fileClock(env.CONSENT_CLOCK_FILE) : systemClock;
}
