/**
 * One process's share of an account-wide, per-operation request quota, learnt from throttles
 * alone: every pipeline is a separate process and none knows the others.
 *
 * - Unpaced until AWS throttles the operation: a pipeline alone runs at full speed.
 * - The first throttle drops it to `firstRate`, a guess at a fair share in a crowded account (or
 *   a quarter of what it was sending, for a process that reads many streams).
 * - Then the rate settles where about `targetThrottled` of calls are throttled: each throttle
 *   cuts it by `step` (by `1 - crowded` for throttles in a row), each success raises it by the
 *   amount that balances those cuts at that fraction, plus a small constant that lets smaller
 *   shares catch up with larger ones (additive increase: what makes AIMD converge to fairness).
 * - The rate only grows while the calls actually use it, so a quiet spell does not bank credit.
 * - Calls are spaced at random around the rate's interval, so fifty processes don't call in step.
 */
export interface FairShareOptions {
  /** The throttled fraction the rate settles at. */
  readonly targetThrottled: number;
  /** Relative cut per isolated throttle. */
  readonly step: number;
  /** Cut per throttle in a row. */
  readonly crowded: number;
  /**
   * The rate at the first throttle: a guess at a fair share in a crowded account (one call every
   * few seconds), from which the steps move quickly; a deep first cut costs fewer throttles than
   * halving down to it would.
   */
  readonly firstRate: number;
  /**
   * …or this fraction of what the process was sending, if that is more: one process tailing a
   * batch's twenty children needs twenty reads where a single build needs one.
   */
  readonly firstCut: number;
  /** Calls per second added on each success while paced: small rates catch up faster, which makes shares converge. */
  readonly catchUp: number;
  /** Calls per second never paced below (one call per `1 / minRate` seconds)… */
  readonly minRate: number;
  /** …and above which pacing ends (the caller's own policy is slower than that). */
  readonly maxRate: number;
  /** Spacing is the interval × (1 ± jitter). */
  readonly jitter: number;
}

export const DEFAULT_FAIR_SHARE: FairShareOptions = {
  targetThrottled: 0.04,
  step: 0.15,
  crowded: 0.7,
  firstRate: 0.25,
  firstCut: 0.25,
  catchUp: 0.002,
  minRate: 0.1,
  maxRate: 4,
  jitter: 0.3,
};

/** How long the measured call rate looks back. */
const MEASURE_MS = 10_000;

export class FairShare {
  /** Calls per second allowed; undefined while unpaced. */
  private rate?: number;
  private nextAt = 0;
  private throttledInARow = 0;
  private readonly sentAt: number[] = [];

  constructor(
    private readonly now: () => number,
    private readonly random: () => number = Math.random,
    private readonly o: FairShareOptions = DEFAULT_FAIR_SHARE,
  ) {}

  /** Milliseconds to wait before the next call may go (0 while unpaced). */
  delay(): number {
    return this.rate === undefined ? 0 : Math.max(0, this.nextAt - this.now());
  }

  /** The mean spacing of calls while paced; 0 while unpaced. */
  interval(): number {
    return this.rate === undefined ? 0 : 1000 / this.rate;
  }

  /** A call goes now. */
  sent(): void {
    const t = this.now();
    this.sentAt.push(t);
    if (this.rate !== undefined) this.nextAt = t + this.spacing();
  }

  succeeded(): void {
    this.throttledInARow = 0;
    if (this.rate === undefined || this.measured() < this.rate / 2) return;
    const p = this.o.targetThrottled;
    this.rate = this.rate * (1 + (this.o.step * p) / (1 - p)) + this.o.catchUp;
    if (this.rate >= this.o.maxRate) this.rate = undefined;
  }

  throttled(): void {
    this.throttledInARow++;
    if (this.rate === undefined) this.rate = Math.max(this.o.firstRate, this.measured() * this.o.firstCut);
    else {
      this.rate = Math.max(this.o.minRate, this.rate * (this.throttledInARow > 1 ? this.o.crowded : 1 - this.o.step));
    }
    this.nextAt = this.now() + this.spacing();
  }

  /** Calls a second over the last ten seconds. */
  private measured(): number {
    const t = this.now();
    while (this.sentAt.length && t - this.sentAt[0]! > MEASURE_MS) this.sentAt.shift();
    return this.sentAt.length / (MEASURE_MS / 1000);
  }

  private spacing(): number {
    const j = this.o.jitter;
    return (1000 / this.rate!) * (1 - j + 2 * j * this.random());
  }
}
