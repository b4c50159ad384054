import { longBuild, standardBuild } from '../../sim/builds';
import { simulateCrowd } from '../../sim/crowd';
import { beyondFirstShare } from '../../sim/figures';

/**
 * Many pipelines in one account, each its own process, on the discrete-event clock of
 * test/sim: the real watch loop, retry and adapters against the e2e fake's builds, pages and
 * token-bucket quotas. Seeded, so a failure here reproduces; `npm run bench -- scale` measures
 * the same against real bundles.
 */
const TIGHT = { GetLogEvents: 10, BatchGetBuilds: 5 };

describe('a crowded account', () => {
  test.each([1, 2])('fifty pipelines at 10 log reads/s (seed %i): every line once, few throttles beyond the first each, none far behind', async (seed) => {
    const f = await simulateCrowd({ pipelines: 50, quotas: TIGHT, script: standardBuild, seed });
    expect(f.lost).toBe(0);
    expect(f.pipelines.every((p) => p.verdict === 'SUCCEEDED')).toBe(true);
    // Each pipeline learns of the crowd from a throttle of its own (one a second unpaced): about
    // one throttled call per pipeline is the price of a pipeline alone reading every second.
    expect(beyondFirstShare(f.calls)).toBeLessThan(0.08);
    expect(f.medianP95Ms / f.floorMs).toBeLessThan(1.4);
    expect(f.worstP95Ms / f.floorMs).toBeLessThan(2.8);
  });

  test.each([20, 50])(
    '%i pipelines under the stricter sliding-second rule: every line once, the right verdicts, and the throttles beyond the first bounded',
    async (pipelines) => {
      const f = await simulateCrowd({ pipelines, quotas: TIGHT, script: standardBuild, quotaRule: 'window' });
      expect(f.lost).toBe(0);
      expect(f.pipelines.every((p) => p.verdict === 'SUCCEEDED')).toBe(true);
      // Random arrivals meet a sliding second's wall far more often than a bucket (see faults.ts).
      expect(beyondFirstShare(f.calls)).toBeLessThan(0.15);
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

  test('thirty pipelines in three-minute builds at 25 log reads/s: hardly a throttle, and the ones throttled first are not left far behind', async () => {
    const f = await simulateCrowd({ pipelines: 30, quotas: { GetLogEvents: 25, BatchGetBuilds: 10 }, script: longBuild });
    expect(f.lost).toBe(0);
    expect(f.throttledShare).toBeLessThan(0.02);
    // Cut to a quarter of their reads at the start's first throttle, they stayed near 8 s while
    // the never-throttled read every second; halved, they keep within a few seconds.
    expect(f.worstP95Ms).toBeLessThan(4_500);
  });
});
