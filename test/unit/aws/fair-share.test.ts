import { DEFAULT_FAIR_SHARE as D, FairShare } from '../../../src/aws/fair-share';

/** A seeded generator, so the simulations below are the same on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A process calling at every slot its share allows, on a clock it moves itself. */
function caller(random: () => number = () => 0.5) {
  const clock = { t: 0 };
  const share = new FairShare(() => clock.t, random);
  return {
    clock,
    share,
    /** Wait for the slot, call; the call succeeds (or is throttled). */
    call(throttled = false) {
      clock.t += share.delay();
      share.sent();
      if (throttled) share.throttled();
      else share.succeeded();
    },
    rate: () => 1000 / share.interval(),
  };
}

describe('FairShare', () => {
  test('a wall clock stepped back an hour stalls no call past one interval', () => {
    const c = caller();
    c.call(true);
    c.clock.t -= 3_600_000;
    expect(c.share.delay()).toBeLessThanOrEqual(c.share.interval() * (1 + D.jitter));
  });

  it('does not pace a process that was never throttled', () => {
    let t = 0;
    const share = new FairShare(() => t);
    for (let i = 0; i < 100; i++) {
      expect(share.delay()).toBe(0);
      share.sent();
      share.succeeded();
      t += 100;
    }
    expect(share.interval()).toBe(0);
  });

  it('drops to the first rate at the first throttle, comes back anywhere within that interval, then spaces calls with jitter', () => {
    let t = 0;
    let r = 0.5;
    const share = new FairShare(
      () => t,
      () => r,
    );
    share.sent();
    share.throttled();
    const interval = 1000 / D.firstRate;
    expect(share.interval()).toBe(interval);
    // Fifty processes throttled in the same second must not all come back together.
    expect(share.delay()).toBeCloseTo(interval * (1 - D.spread / 2));
    t += share.delay();
    expect(share.delay()).toBe(0);
    r = 0;
    share.sent();
    expect(share.delay()).toBeCloseTo(interval * (1 - D.jitter));
    const early = new FairShare(
      () => 0,
      () => 1,
    );
    early.throttled();
    expect(early.delay()).toBeCloseTo(interval * (1 - D.spread));
    expect(early.delay()).toBeGreaterThan(0);
  });

  it('cuts a busy process (a batch tailing twenty children) to a share of what it sent, not to one call every 7 s', () => {
    let t = 0;
    const share = new FairShare(
      () => t,
      () => 0.5,
    );
    for (let i = 0; i < 200; i++) {
      share.sent();
      share.succeeded();
      t += 50; // 20 calls a second
    }
    share.throttled();
    expect(share.interval()).toBeCloseTo(1000 / (20 * D.firstCut), 0);
  });

  it('holds the first rate while the crowd comes back, then approaches its target, and settles below where a throttle met it', () => {
    const p = caller();
    p.call(true);
    // Successes at every slot during the hold: no growth (a build of seconds ends at the first rate).
    while (p.clock.t + p.share.delay() < D.holdMs) p.call();
    expect(p.rate()).toBeCloseTo(D.firstRate);
    // Then the rate grows toward approachTo, a little each call…
    for (let i = 0; i < 10; i++) p.call();
    const grown = p.rate();
    expect(grown).toBeGreaterThan(D.firstRate * 1.1);
    expect(grown).toBeLessThan(D.approachTo);
    // …until a throttle: the target becomes a share of the rate it met, and the rate stays there.
    p.call(true);
    const target = D.converge * grown;
    expect(p.rate()).toBeCloseTo(target);
    for (let i = 0; i < 20; i++) p.call();
    expect(p.rate()).toBeCloseTo(target);
  });

  it('on its plateau, each throttle lowers the target (throttles in a row count once), never below the minimum rate', () => {
    const p = caller();
    p.call(true);
    while (p.clock.t < D.holdMs) p.call();
    p.call(true); // met on the approach: plateau
    const target = p.rate();
    p.call();
    p.call(true);
    // A crowd that still overflows settles lower.
    const lowered = target * D.plateauCut;
    expect(p.rate()).toBeCloseTo(lowered);
    p.call(true);
    p.call(true);
    expect(p.rate()).toBeCloseTo(lowered);
    for (let i = 0; i < 5; i++) p.call();
    expect(p.rate()).toBeCloseTo(lowered);
    for (let i = 0; i < 50; i++) {
      p.call();
      p.call(true);
    }
    expect(p.rate()).toBeCloseTo(D.minRate);
  });

  it('tries a throttled call again within a fraction of the interval, but the comeback from the first throttle within the whole of it', () => {
    const p = caller(() => 0);
    p.call(true);
    expect(p.share.delay()).toBeCloseTo(1000 / D.firstRate);
    p.call(true); // the comeback throttled too: the crowd still overflows, come back later
    expect(p.share.delay()).toBeCloseTo(1000 / (D.firstRate * D.crowded));
    p.call();
    p.call(true);
    expect(p.share.delay()).toBeCloseTo(D.retry * p.share.interval());
  });

  it('grows only on calls sent at their slot: pages followed at once and quiet spells bank no credit', () => {
    const p = caller();
    p.call(true);
    while (p.clock.t < D.holdMs) p.call();
    const rate = p.rate();
    // Followed pages: sent before the slot.
    for (let i = 0; i < 20; i++) {
      p.share.sent();
      p.share.succeeded();
    }
    expect(p.rate()).toBe(rate);
    // A quiet build: calls long after their slot.
    for (let i = 0; i < 2; i++) {
      p.clock.t += 50_000;
      p.share.sent();
      p.share.succeeded();
      expect(p.rate()).toBe(rate);
    }
    // …and once no throttle came for two minutes, a pace the calls no longer use is ended.
    p.clock.t += 50_000;
    p.share.sent();
    p.share.succeeded();
    expect(p.share.interval()).toBe(0);
    expect(p.share.throttledWithin(120_000)).toBe(false);
  });

  it('probes for room after its plateau, and unpaces once the rate passes the maximum', () => {
    const p = caller();
    p.call(true);
    let calls = 0;
    while (p.share.interval() > 0 && calls < 10_000) {
      p.call();
      calls++;
    }
    expect(p.share.interval()).toBe(0);
    expect(p.clock.t).toBeGreaterThan(D.holdMs + D.plateauMs);
  });

  /**
   * N processes share one per-second quota, as the account's do: a call in a second that has
   * already served `quota` calls is throttled. Each process wants a call a second (a log read
   * while lines flow), far more than its share.
   */
  function simulate(n: number, quota: number, seconds: number) {
    let t = 0;
    const random = seeded(42);
    const shares = Array.from({ length: n }, () => new FairShare(() => t, random));
    const due = shares.map((_, i) => i * 7); // all start within a third of a second
    const served = new Map<number, number>();
    const late = { calls: 0, throttled: 0, perProcess: new Array<number>(n).fill(0) };
    while (t < seconds * 1000) {
      let i = 0;
      for (let k = 1; k < n; k++) if (due[k]! < due[i]!) i = k;
      t = due[i]!;
      const share = shares[i]!;
      const wait = share.delay();
      if (wait > 0) {
        due[i] = t + wait;
        continue;
      }
      const second = Math.floor(t / 1000);
      const ok = (served.get(second) ?? 0) < quota;
      share.sent();
      if (ok) {
        served.set(second, (served.get(second) ?? 0) + 1);
        share.succeeded();
      } else share.throttled();
      if (t > (seconds * 1000) / 2) {
        late.calls++;
        if (!ok) late.throttled++;
        else late.perProcess[i]!++;
      }
      due[i] = t + Math.max(share.delay(), 1000 * (0.9 + 0.2 * random())); // wants a call a second, no faster than its pace
    }
    return late;
  }

  it('converges fifty processes on a fair share of the quota with few throttles', () => {
    const { calls, throttled, perProcess } = simulate(50, 10, 600);
    // Unpaced, 80 % of these calls would be throttled.
    expect(throttled / calls).toBeLessThan(0.06);
    const served = perProcess.reduce((a, b) => a + b, 0);
    // The quota stays used…
    expect(served / 300).toBeGreaterThan(10 * 0.75);
    // …and shared: no process gets under half an equal share.
    expect(Math.min(...perProcess)).toBeGreaterThan(served / 50 / 2);
  });

  it('lets a pipeline alone under the quota run unpaced', () => {
    const { throttled, perProcess } = simulate(1, 1000, 60);
    expect(throttled).toBe(0);
    // a call a second for the last 30 s
    expect(perProcess[0]).toBeGreaterThan(28);
  });
});
