/**
 * One process's share of an account-wide, per-operation request quota, learnt from throttles
 * alone: every pipeline is a separate process and none knows the others.
 *
 * - Unpaced until AWS throttles the operation: a pipeline alone runs at full speed.
 * - Hold: the first throttle drops it to `firstRate` (low enough for fifty pipelines at 10/s),
 *   or to half of what it sent if more (alone for minutes, or a batch tailing twenty children),
 *   for `holdMs` while the crowd throttled in the same seconds comes back spread over the
 *   interval. A build of seconds is over before anyone probes.
 * - Approach: then it grows toward `approachTo`, closing `pull` of the gap a second. Those
 *   throttled together grow alike and stay alike; twenty rivals leave room that fifty do not,
 *   and only a throttle tells which.
 * - Plateau: that throttle sets rate and target to `converge` × the rate it came at; each
 *   further one lowers both by `plateauCut`. After `plateauMs`, probe: each success adds `probe`
 *   (room left by finished pipelines) until a throttle dips it by `step`, starting a plateau at
 *   the rate before it.
 * - Throttles with no success between them count once (during the hold each cuts by `crowded`).
 *   A throttled call goes again within `retry` × the interval, lest one throttle leave a gap of
 *   two in the log; only the comeback from the first throttle takes the whole, spread, interval.
 * - The rate changes only on calls sent at their slot: followed pages and quiet spells bank no
 *   credit. Figures and the alternatives measured: test/sim and the README's scale section.
 */
export interface FairShareOptions {
  /** Calls/s after the first throttle… */
  readonly firstRate: number;
  /** …or this fraction of the calls sent over the last ten seconds, if more. */
  readonly firstCut: number;
  /** No growth for this long after the first throttle. */
  readonly holdMs: number;
  /** The approach's target (unless the first rate is higher). */
  readonly approachTo: number;
  /** Fraction of the gap to the target closed per second of paced use. */
  readonly pull: number;
  /** A throttle on the approach sets the target to this × the rate. */
  readonly converge: number;
  /** How long the rate stays at its target before probing. */
  readonly plateauMs: number;
  /** A throttle on the plateau lowers the target by this factor. */
  readonly plateauCut: number;
  /** Growth per success while probing. */
  readonly probe: number;
  /** Relative cut of the rate per throttle (one per success). */
  readonly step: number;
  /** During the hold, the cut per throttle in a row (no success between). */
  readonly crowded: number;
  /** A throttled call goes again within this fraction of the interval. */
  readonly retry: number;
  /** Calls per second never paced below, and above which pacing ends. */
  readonly minRate: number;
  readonly maxRate: number;
  /** Spacing is the interval × (1 ± jitter); the first comeback, × (1 − spread × random). */
  readonly jitter: number;
  readonly spread: number;
}

export const DEFAULT_FAIR_SHARE: FairShareOptions = {
  firstRate: 0.15,
  firstCut: 0.5,
  holdMs: 15_000,
  approachTo: 0.4,
  pull: 0.02,
  converge: 0.75,
  plateauMs: 120_000,
  plateauCut: 0.8,
  probe: 0.01,
  step: 0.15,
  crowded: 0.7,
  retry: 0.6,
  minRate: 0.1,
  maxRate: 4,
  jitter: 0.05,
  spread: 0.8,
};

/** How long the measured call rate looks back. */
const MEASURE_MS = 10_000;
/** Without a throttle for this long, a pace the calls no longer use is ended. */
const RELEASE_AFTER_MS = 120_000;

type Phase = 'hold' | 'approach' | 'plateau' | 'probe';

export class FairShare {
  /** Calls per second allowed; undefined while unpaced. */
  private rate?: number;
  private target = 0;
  private phase: Phase = 'hold';
  private phaseAt = 0;
  private nextAt = 0;
  /** This interval's jitter factor. */
  private drawn = 1;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  /** Since the call before the last one sent. */
  private gap = Number.POSITIVE_INFINITY;
  /** The last call went at its slot: the pace, not the caller, set when. */
  private atSlot = false;
  private succeededSinceCut = false;
  private lastThrottledAt = Number.NEGATIVE_INFINITY;
  private readonly sentAt: number[] = [];

  constructor(
    private readonly now: () => number,
    private readonly random: () => number = Math.random,
    private readonly o: FairShareOptions = DEFAULT_FAIR_SHARE,
  ) {}

  /** Milliseconds to wait before the next call may go (0 while unpaced). */
  delay(): number {
    if (this.rate === undefined) return 0;
    // Never more than one (jittered) interval: a wall clock stepped back must not stall the calls.
    return Math.max(0, Math.min(this.nextAt - this.now(), (1000 / this.rate) * (1 + this.o.jitter)));
  }

  /** The mean spacing of calls while paced; 0 while unpaced. */
  interval(): number {
    return this.rate === undefined ? 0 : 1000 / this.rate;
  }

  /** A throttle came in the last `ms`. */
  throttledWithin(ms: number): boolean {
    return this.now() - this.lastThrottledAt < ms;
  }

  /** A call goes now. */
  sent(): void {
    const t = this.now();
    this.gap = t - this.lastSentAt;
    this.lastSentAt = t;
    this.sentAt.push(t);
    while (t - this.sentAt[0]! > MEASURE_MS) this.sentAt.shift();
    if (this.rate === undefined) return;
    // At its slot, or a little after (the loop's own jitter); a page followed at once is early.
    this.atSlot = t >= this.nextAt - 1 && t - this.nextAt <= 200 / this.rate;
    this.drawn = 1 - this.o.jitter + 2 * this.o.jitter * this.random();
    this.nextAt = t + (1000 / this.rate) * this.drawn;
  }

  succeeded(): void {
    this.succeededSinceCut = true;
    if (this.rate === undefined) return;
    const t = this.now();
    if (!this.atSlot) {
      // Calls far rarer than the pace (a quiet build): once no throttle came for a while, end it.
      if (this.gap > 2_000 / this.rate && t - this.lastThrottledAt >= RELEASE_AFTER_MS) this.rate = undefined;
      return;
    }
    const o = this.o;
    const seconds = Math.min(this.gap, 2_000 / this.rate) / 1000;
    const toTarget = (r: number) => r + (this.target - r) * (1 - Math.exp(-o.pull * seconds));
    let r = this.rate;
    if (this.phase === 'hold' && t - this.phaseAt >= o.holdMs) {
      // The crash's deeper cuts were for the crash: the approach starts from the first rate.
      r = Math.max(r, o.firstRate);
      this.enter('approach');
    }
    if (this.phase === 'approach') {
      r = toTarget(r);
      if (r >= 0.97 * this.target) this.enter('plateau');
    } else if (this.phase === 'plateau') {
      if (r < this.target) r = toTarget(r);
      if (t - this.phaseAt >= o.plateauMs) this.enter('probe');
    } else if (this.phase === 'probe') r *= 1 + o.probe;
    if (this.phase === 'plateau') r = Math.min(r, this.target);
    if (r >= o.maxRate) {
      this.rate = undefined;
      return;
    }
    this.rate = r;
    // A faster rate brings the next slot closer.
    this.nextAt = Math.min(this.nextAt, this.lastSentAt + (1000 / r) * this.drawn);
  }

  throttled(): void {
    const o = this.o;
    const t = this.now();
    this.lastThrottledAt = t;
    if (this.rate === undefined) {
      this.rate = Math.max(o.firstRate, this.measured() * o.firstCut);
      this.target = Math.max(this.rate, o.approachTo);
      this.enter('hold');
      this.succeededSinceCut = false;
      // Anywhere in the next interval (but not at once: the quota is spent right now), so the
      // processes throttled in the same second come back spread over it, not together.
      this.nextAt = t + (1000 / this.rate) * (1 - o.spread * this.random());
      return;
    }
    // Throttles with no success between them are one event: cut once.
    const cut = this.succeededSinceCut;
    // …except while the crowd comes back: throttled again before a success, the account is
    // still overflowing, and the comeback waits longer (the approach starts from firstRate).
    if (!cut && this.phase === 'hold') this.rate = Math.max(o.minRate, this.rate * o.crowded);
    if (cut) {
      const before = this.rate;
      if (this.phase === 'approach') {
        this.target = Math.max(o.minRate, o.converge * before);
        this.enter('plateau');
      } else if (this.phase === 'plateau') this.target = Math.max(o.minRate, this.target * o.plateauCut);
      else if (this.phase === 'probe') {
        this.target = before;
        this.enter('plateau');
      }
      this.rate = Math.max(o.minRate, Math.min(before * (1 - o.step), this.target));
    }
    this.succeededSinceCut = false;
    // The comeback from the first throttle keeps its whole interval (the crowd comes back then).
    const within = this.phase === 'hold' && !cut ? 1 : o.retry;
    this.nextAt = t + within * (1000 / this.rate) * (1 - o.spread * this.random());
  }

  private enter(phase: Phase): void {
    this.phase = phase;
    this.phaseAt = this.now();
  }

  /** Calls a second over the last ten seconds. */
  private measured(): number {
    const t = this.now();
    return this.sentAt.filter((at) => t - at <= MEASURE_MS).length / (MEASURE_MS / 1000);
  }
}
