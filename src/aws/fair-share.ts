/**
 * One process's share of an account-wide, per-operation request quota, learnt from throttles
 * alone: every pipeline is a separate process and none knows the others.
 *
 * - Unpaced until AWS throttles the operation: a pipeline alone runs at full speed.
 * - The first throttle drops it to `firstRate`, a guess at a fair share in a crowded account, low
 *   enough that fifty pipelines paced at it stay under a 10/s quota and need no second round of
 *   cuts; or to half of what it was sending, if that is more (TCP's cut: a pipeline that read
 *   alone for minutes, or one tailing a batch's twenty children).
 * - Then the rate settles where about `targetThrottled` of calls are throttled: each throttle
 *   cuts it by `step` (by `1 - crowded` for throttles in a row), each success raises it by the
 *   amount that balances those cuts at that fraction, plus a small constant that lets smaller
 *   shares catch up with larger ones (additive increase: what makes AIMD converge to fairness).
 * - The rate only grows while the calls actually use it, so a quiet spell does not bank credit.
 * - Calls are spaced at random around the rate's interval, so fifty processes don't call in step;
 *   after a throttle, anywhere within the next interval, since the processes throttled in the
 *   same second would otherwise come back in the same second.
 *
 * What this cannot avoid: a process learns of the crowd from its own throttle only, and a
 * pipeline alone must read every second, so when N pipelines start together about N calls are
 * throttled before any is paced (measured in test/sim: 47 of 50 pipelines' first reads, 10 % of
 * all their calls). What it avoids is the rest: rates that overshoot the quota after that.
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
   * few seconds). Pipelines started together are throttled within their first seconds, before
   * any has a rate to halve; a guess too high costs each of them a second throttle, too low
   * leaves a smaller crowd's reads slower than they need be (measured in test/sim).
   */
  readonly firstRate: number;
  /**
   * …or this fraction of what the process was sending over the last ten seconds, if that is
   * more: halving is fairer to a pipeline that read alone for minutes (a quarter left it far
   * behind the pipelines never throttled), and one tailing a batch's twenty children needs
   * twenty reads where a single build needs one.
   */
  readonly firstCut: number;
  /**
   * Calls per second added on each success while paced (additive increase: small rates catch up,
   * which makes shares converge). Kept small: the throttled share a crowd settles at is about
   * the rise per call over the cut per throttle, and a paced pipeline calls every few seconds.
   */
  readonly catchUp: number;
  /** Calls per second never paced below (one call per `1 / minRate` seconds)… */
  readonly minRate: number;
  /** …and above which pacing ends (the caller's own policy is slower than that). */
  readonly maxRate: number;
  /** Spacing is the interval × (1 ± jitter). */
  readonly jitter: number;
  /**
   * After a throttle, the next call waits the interval × (1 − spread × random): processes
   * throttled in the same second must come back spread over the interval, not together, and
   * none waits longer than the interval.
   */
  readonly spread: number;
}

export const DEFAULT_FAIR_SHARE: FairShareOptions = {
  targetThrottled: 0.04,
  step: 0.15,
  crowded: 0.7,
  firstRate: 0.15,
  firstCut: 0.5,
  catchUp: 0.002,
  minRate: 0.1,
  maxRate: 4,
  jitter: 0.15,
  spread: 0.8,
};

/** How long the measured call rate looks back. */
const MEASURE_MS = 10_000;
/** Without a throttle for this long, a pace the calls no longer use is ended. */
const RELEASE_AFTER_MS = 120_000;

export class FairShare {
  /** Calls per second allowed; undefined while unpaced. */
  private rate?: number;
  private nextAt = 0;
  private throttledInARow = 0;
  private lastThrottledAt = Number.NEGATIVE_INFINITY;
  /** Since the call before the last one sent. */
  private gap = Number.POSITIVE_INFINITY;
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
    this.gap = t - (this.sentAt.at(-1) ?? Number.NEGATIVE_INFINITY);
    this.sentAt.push(t);
    if (this.rate !== undefined) this.nextAt = t + this.spacing();
  }

  succeeded(): void {
    this.throttledInARow = 0;
    if (this.rate === undefined) return;
    // A call long after the one before (a quiet build, rare status polls) proves nothing about a
    // faster rate; once no throttle came for a while, the pace is not what holds calls back: end it.
    if (this.gap > 2_000 / this.rate) {
      if (this.now() - this.lastThrottledAt >= RELEASE_AFTER_MS) this.rate = undefined;
      return;
    }
    const p = this.o.targetThrottled;
    this.rate = this.rate * (1 + (this.o.step * p) / (1 - p)) + this.o.catchUp;
    if (this.rate >= this.o.maxRate) this.rate = undefined;
  }

  /** A throttle came in the last `ms`. */
  throttledWithin(ms: number): boolean {
    return this.now() - this.lastThrottledAt < ms;
  }

  throttled(): void {
    this.throttledInARow++;
    this.lastThrottledAt = this.now();
    if (this.rate === undefined) this.rate = Math.max(this.o.firstRate, this.measured() * this.o.firstCut);
    else {
      this.rate = Math.max(this.o.minRate, this.rate * (this.throttledInARow > 1 ? this.o.crowded : 1 - this.o.step));
    }
    // Anywhere in the next interval (but not at once: the quota is spent right now), so the
    // processes throttled in the same second come back spread over it, not together.
    this.nextAt = this.now() + (1000 / this.rate) * (1 - this.o.spread * this.random());
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
