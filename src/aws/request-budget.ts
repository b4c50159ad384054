/**
 * A token bucket every AWS call of this process draws from: a hard ceiling on our share of
 * the account's quotas, however many pages or polls happen to fall due at once.
 */
export class RequestBudget {
  private tokens: number;
  private last: number;

  constructor(
    private readonly now: () => number,
    /** Sustained requests per second. */
    private readonly rate = 3,
    /** Requests allowed back to back (following full pages, a status poll beside a log read). */
    private readonly burst = 6,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Reserve one request; returns how long to wait before sending it. */
  reserve(): number {
    const t = this.now();
    // The wall clock may step back (NTP): no time passed then, rather than a debt of that size.
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, t - this.last) / 1000) * this.rate);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000);
  }
}
