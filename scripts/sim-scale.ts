// `npm run bench -- sim`: the crowd on the discrete-event clock (test/sim/crowd.ts): the same
// table as `scale`, in seconds instead of minutes, exactly reproducible from a seed; for 12 s and
// three-minute builds, under either quota rule of the fake (AWS's token bucket, or the stricter
// sliding second).

import { simulateCrowd } from '../test/sim/crowd';
import { beyondFirstShare } from '../test/sim/figures';
import { BUILDS, type BuildKind, QUOTA_SETS } from './bench-scale';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function simScale(
  sizes: readonly number[],
  which: readonly (keyof typeof QUOTA_SETS)[],
  seeds = [1, 2, 3],
  quotaRule: 'bucket' | 'window' = 'bucket',
  builds: readonly BuildKind[] = ['standard', 'long'],
) {
  for (const build of builds)
    for (const name of which) {
      const what = build === 'long' ? 'three-minute builds' : '12 s builds';
      console.log(`\n== simulated, ${what}, ${name} quotas as a ${quotaRule === 'bucket' ? 'token bucket' : 'sliding second'} (seeds ${seeds.join(', ')}) ==`);
      console.log(
        "| pipelines | lines lost | calls throttled | beyond each one's first | median p95 latency | worst p95 latency | floor | calls/min each | worst end lag |",
      );
      console.log('|---|---|---|---|---|---|---|---|---|');
      for (const n of sizes) {
        for (const seed of seeds) {
          const f = await simulateCrowd({ pipelines: n, quotas: QUOTA_SETS[name], script: BUILDS[build], seed, quotaRule });
          const perMin = f.calls.length / (f.durationMs / 60_000) / n;
          const endLag = Math.max(...f.pipelines.map((p) => p.endLagMs));
          console.log(
            `| ${n} | ${f.lost} | ${(100 * f.throttledShare).toFixed(1)} % | ${(100 * beyondFirstShare(f.calls)).toFixed(1)} % | ${s(f.medianP95Ms)} (${(f.medianP95Ms / f.floorMs).toFixed(2)}×) | ${s(f.worstP95Ms)} (${(f.worstP95Ms / f.floorMs).toFixed(2)}×) | ${s(f.floorMs)} | ${perMin.toFixed(0)} | ${s(endLag)} |`,
          );
        }
      }
    }
}

// `npx tsx scripts/sim-scale.ts tight 20,50 1,2,3 bucket long` (both builds without the last)
if (require.main === module) {
  const [quota, sizes, seeds, rule, build] = process.argv.slice(2);
  simScale(
    sizes ? sizes.split(',').map(Number) : [1, 5, 20, 50],
    quota ? [quota as keyof typeof QUOTA_SETS] : ['tight', 'default'],
    seeds ? seeds.split(',').map(Number) : [1, 2, 3],
    rule === 'window' ? 'window' : 'bucket',
    build ? [build === 'long' ? 'long' : 'standard'] : undefined,
  );
}
