/**
 * How the tests wait: for a state, never for a length of time, and never forever. Each wait has
 * its own deadline and says what it waited for when it gives up, so a hang is a clear failure
 * instead of jest's "Exceeded timeout" (or a test that never ends).
 */
export interface WaitOptions {
  /**
   * What is awaited, for the message: "the worker's connected line", "INBOX empty"; a function is
   * asked when the wait gives up (to say what was seen by then).
   */
  what: string | (() => string);
  /** Default 45 s: below jest's 60 s per test, so this message is the one you read. */
  timeoutMs?: number;
  /** Between two probes; default 50 ms. */
  intervalMs?: number;
}

export const DEFAULT_WAIT_MS = 45_000;

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** Polls `probe` until it gives a truthy value, and returns that value. An error in `probe` ends the wait. */
export async function waitFor<T>(probe: () => T | Promise<T>, { what, timeoutMs = DEFAULT_WAIT_MS, intervalMs = 50 }: WaitOptions): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() >= deadline) throw new Error(gaveUp(what, timeoutMs));
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The same deadline for a wait that is a promise (an event): rejects if it has not settled in time. */
export function withDeadline<T>(promise: Promise<T>, { what, timeoutMs = DEFAULT_WAIT_MS }: Omit<WaitOptions, 'intervalMs'>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(gaveUp(what, timeoutMs))), timeoutMs);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function gaveUp(what: WaitOptions['what'], timeoutMs: number): string {
  return `gave up after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`;
}
