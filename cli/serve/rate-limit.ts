/**
 * A small in-process token bucket per key (here: per client IP for signups). One process only: a
 * service run as several processes behind a balancer gives each its own buckets. Time comes from
 * the ledger's clock, so tests move it by hand. Buckets are dropped once full again (no growth).
 */
export class TokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly capacity: number,
    /** tokens added per millisecond */
    private readonly refill: number,
    private readonly now: () => number,
  ) {}

  /** Takes one token for `key`: 0 when granted, else the milliseconds until one is there. */
  take(key: string): number {
    const now = this.now();
    if (this.buckets.size > 10_000) this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + Math.max(0, now - bucket.at) * this.refill);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return Math.ceil((1 - bucket.tokens) / this.refill);
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return 0;
  }

  private sweep(now: number) {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.refill >= this.capacity) this.buckets.delete(key);
    }
  }
}
