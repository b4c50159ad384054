import { longBuild, standardBuild } from '../../sim/builds';
import { simulateCrowd } from '../../sim/crowd';
import { beyondFirstShare } from '../../sim/figures';

/**
 * Many pipelines in one account, each its own process, on the discrete-event clock of
 * test/sim: the real watch loop, retry and adapters against the e2e fake's builds, pages and
 * token-bucket quotas. Seeded, so a failure here reproduces; `npm run bench -- scale` measures
 * the same against real bundles. The limits hold the README's figures with a margin for seeds.
 */
const TIGHT = { GetLogEvents: 10, BatchGetBuilds: 5 };
const DEFAULT = { GetLogEvents: 25, BatchGetBuilds: 10, StartBuild: 10 };

describe('a crowded account', () => {
  test.each([1, 2])('fifty 12 s builds at 10 log reads/s (seed %i): every line once, few throttles beyond the first each, none far behind', async (seed) => {
    const f = await simulateCrowd({ pipelines: 50, quotas: TIGHT, script: standardBuild, seed });
    expect(f.lost).toBe(0);
    expect(f.pipelines.every((p) => p.verdict === 'SUCCEEDED')).toBe(true);
    // Each pipeline learns of the crowd from a throttle of its own (one a second unpaced): about
    // one throttled call per pipeline is the price of a pipeline alone reading every second.
    expect(beyondFirstShare(f.calls)).toBeLessThan(0.065);
    expect(f.medianP95Ms / f.floorMs).toBeLessThan(1.3);
    expect(f.worstP95Ms / f.floorMs).toBeLessThan(2.8);
  });

  test.each([
    [20, 0.03],
    [50, 0.15],
  ])(
    '%i pipelines under the stricter sliding-second rule: every line once, the right verdicts, and the throttles beyond the first bounded',
    async (pipelines, beyond) => {
      const f = await simulateCrowd({ pipelines, quotas: TIGHT, script: standardBuild, quotaRule: 'window' });
      expect(f.lost).toBe(0);
      expect(f.pipelines.every((p) => p.verdict === 'SUCCEEDED')).toBe(true);
      // Random arrivals meet a sliding second's wall far more often than a bucket (see faults.ts).
      expect(beyondFirstShare(f.calls)).toBeLessThan(beyond);
    },
  );

  test('a pipeline alone: never paced, p95 within a second of CloudWatch, the end noticed within 2 s', async () => {
    const f = await simulateCrowd({ pipelines: 1, quotas: TIGHT, script: standardBuild });
    expect(f.throttledShare).toBe(0);
    expect(f.lost).toBe(0);
    expect(f.p95s[0]).toBeLessThanOrEqual(1_000);
    expect(f.pipelines[0]!.endLagMs).toBeLessThanOrEqual(2_000);
    // status: the start's, maybe one while the log is probed, and the verdict
    expect(f.calls.filter((c) => c.op === 'BatchGetBuilds').length).toBeLessThanOrEqual(3);
  });

  // Builds of minutes leave time to find the room twenty rivals (or fifty at 25/s) leave: the
  // shares grow from the first guess until a throttle, and settle below where it came.
  test.each([
    { who: 'twenty', reads: 10, pipelines: 20, quotas: TIGHT, median: 1.6, worst: 2.1, beyond: 0.01 },
    { who: 'fifty', reads: 10, pipelines: 50, quotas: TIGHT, median: 1.25, worst: 2.0, beyond: 0.055 },
    { who: 'fifty', reads: 25, pipelines: 50, quotas: DEFAULT, median: 1.3, worst: 2.4, beyond: 0.01 },
  ])(
    '$who three-minute builds at $reads log reads/s: near the floor, the slowest within about twice it, few throttles beyond the first',
    async ({ pipelines, quotas, median, worst, beyond }) => {
      const f = await simulateCrowd({ pipelines, quotas, script: longBuild });
      expect(f.lost).toBe(0);
      expect(beyondFirstShare(f.calls)).toBeLessThan(beyond);
      expect(f.medianP95Ms / f.floorMs).toBeLessThan(median);
      expect(f.worstP95Ms / f.floorMs).toBeLessThan(worst);
    },
  );
});
