import { DEFAULT_FAIR_SHARE, FairShare } from '../../../src/aws/fair-share';

/** A seeded generator, so the simulations below are the same on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('FairShare', () => {
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

  it('drops to the first-guess rate at the first throttle, comes back anywhere within that interval, then spaces calls with jitter', () => {
    let t = 0;
    let r = 0.5;
    const share = new FairShare(
      () => t,
      () => r,
    );
    share.sent();
    share.throttled();
    const interval = 1000 / DEFAULT_FAIR_SHARE.firstRate;
    expect(share.interval()).toBe(interval);
    // Fifty processes throttled in the same second must not all come back together.
    expect(share.delay()).toBeCloseTo(interval * (1 - DEFAULT_FAIR_SHARE.spread / 2));
    t += share.delay();
    expect(share.delay()).toBe(0);
    r = 0;
    share.sent();
    expect(share.delay()).toBeCloseTo(interval * (1 - DEFAULT_FAIR_SHARE.jitter));
    const early = new FairShare(
      () => 0,
      () => 1,
    );
    early.throttled();
    expect(early.delay()).toBeCloseTo(interval * (1 - DEFAULT_FAIR_SHARE.spread));
    expect(early.delay()).toBeGreaterThan(0);
  });

  it('cuts a busy process (a batch tailing twenty children) to a share of what it sent, not to one call every 4 s', () => {
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
    expect(share.interval()).toBeCloseTo(1000 / (20 * DEFAULT_FAIR_SHARE.firstCut), 0);
  });

  it('cuts deeper for throttles in a row than for an isolated one, never below the minimum rate', () => {
    const share = new FairShare(
      () => 0,
      () => 0.5,
    );
    share.throttled();
    const first = share.interval();
    share.throttled();
    expect(share.interval()).toBeCloseTo(first / DEFAULT_FAIR_SHARE.crowded);
    for (let i = 0; i < 50; i++) share.throttled();
    expect(share.interval()).toBe(1000 / DEFAULT_FAIR_SHARE.minRate);
  });

  it('grows only while its calls use the rate, and unpaces once the rate passes the maximum', () => {
    let t = 0;
    const idle = new FairShare(
      () => t,
      () => 0.5,
    );
    idle.throttled();
    const paced = idle.interval();
    // Successes that come rarely (a quiet build) do not bank credit…
    for (let i = 0; i < 2; i++) {
      t += 50_000;
      idle.sent();
      idle.succeeded();
      expect(idle.interval()).toBe(paced);
    }
    // …and once no throttle came for two minutes, a pace the calls no longer use is ended.
    t += 50_000;
    idle.sent();
    idle.succeeded();
    expect(idle.interval()).toBe(0);
    expect(idle.throttledWithin(120_000)).toBe(false);

    const busy = new FairShare(
      () => t,
      () => 0.5,
    );
    busy.throttled();
    let calls = 0;
    while (busy.interval() > 0 && calls < 10_000) {
      t += busy.delay();
      busy.sent();
      busy.succeeded();
      calls++;
    }
    expect(busy.interval()).toBe(0);
    expect(calls).toBeLessThan(10_000);
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
      due[i] = t + 1000 * (0.9 + 0.2 * random()); // wants a call a second, jittered as the poll policy does
    }
    return late;
  }

  it('converges fifty processes on a fair share of the quota with few throttles', () => {
    const { calls, throttled, perProcess } = simulate(50, 10, 600);
    // Unpaced, 80 % of these calls would be throttled.
    expect(throttled / calls).toBeLessThan(0.12);
    const served = perProcess.reduce((a, b) => a + b, 0);
    // The quota stays used…
    expect(served / 300).toBeGreaterThan(10 * 0.8);
    // …and shared: no process gets under a third of an equal share.
    expect(Math.min(...perProcess)).toBeGreaterThan(served / 50 / 3);
  });

  it('lets a pipeline alone under the quota run unpaced', () => {
    const { throttled, perProcess } = simulate(1, 1000, 60);
    expect(throttled).toBe(0);
    // a call a second for the last 30 s
    expect(perProcess[0]).toBeGreaterThan(28);
  });
});
