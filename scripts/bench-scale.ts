// `npm run bench -- scale`: N pipelines at once under an account's shared per-second quotas.
// Prints per N: lines lost, calls throttled, the median and worst of the pipelines' p95 log
// latency against the floor (ingestion lag + N / GetLogEvents quota: no design can do better),
// throttled calls beyond each pipeline's first, and calls per minute per pipeline. The fake
// enforces the quotas as AWS documents its throttling: a token bucket (test/fake/faults.ts).
import { FakeAws } from '../test/fake/fake-aws';
import { LAG_MS, longBuild, standardBuild } from '../test/sim/builds';
import { beyondFirstShare, crowdLatency } from '../test/sim/figures';
import { measureRun, percentile } from './bench-support';

export const QUOTA_SETS = {
  /** The scripted account of issue 11; GetLogEvents' default in us-west-2, eu-west-1, eu-central-1 and a few more. */
  tight: { GetLogEvents: 10, BatchGetBuilds: 5 },
  /**
   * GetLogEvents at 25/s, the default in most regions, not adjustable (CloudWatch Logs quotas page);
   * CodeBuild publishes no request rate for BatchGetBuilds or StartBuild: 10/s
   * is an assumption.
   */
  default: { GetLogEvents: 25, BatchGetBuilds: 10, StartBuild: 10 },
} as const;

/** The crowd's builds: 12 s of 480 lines, or three minutes of 7,200 (long enough for shares to settle). */
export const BUILDS = { standard: standardBuild, long: longBuild } as const;
export type BuildKind = keyof typeof BUILDS;

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function scaleRow(n: number, quotas: Readonly<Record<string, number>>, build: BuildKind = 'standard'): Promise<string> {
  const fake = new FakeAws({ quotas });
  for (let i = 0; i < n; i++) fake.addProject(`pipe${i}`, BUILDS[build](`pipe${i}`));
  const endpoint = await fake.start();
  const started = Date.now();
  const runs = await Promise.all(Array.from({ length: n }, (_, i) => measureRun(fake, endpoint, `pipe${i}`)));
  const minutes = (Date.now() - started) / 60_000;
  await fake.stop();
  const {
    medianP95Ms,
    worstP95Ms,
    floorMs: floor,
  } = crowdLatency(
    runs.map((r) => percentile(r.latenciesMs, 95)),
    LAG_MS,
    quotas.GetLogEvents,
  );
  const throttled = fake.calls.filter((c) => c.throttled).length;
  // Each call named its pipeline's project, build or stream.
  const owner = new Map(runs.flatMap((r) => [r.build.project, r.build.id, r.build.stream].map((k) => [k, r.build.project] as const)));
  const beyond = beyondFirstShare(fake.calls.map((c) => ({ who: owner.get(c.resource ?? '') ?? '?', throttled: c.throttled })));
  const lost = runs.reduce((sum, r) => sum + r.missing + r.duplicated, 0);
  const wrong = runs.filter((r) => r.code !== 0).length;
  return [
    `| ${n}`,
    `${lost}${wrong ? ` (${wrong} wrong verdicts)` : ''}`,
    `${((100 * throttled) / fake.calls.length).toFixed(1)} %`,
    `${(100 * beyond).toFixed(1)} %`,
    `${s(medianP95Ms)} (${(medianP95Ms / floor).toFixed(2)}×)`,
    `${s(worstP95Ms)} (${(worstP95Ms / floor).toFixed(2)}×)`,
    s(floor),
    `${(fake.calls.length / minutes / n).toFixed(0)} |`,
  ].join(' | ');
}

export async function scale(sizes: readonly number[], which: readonly (keyof typeof QUOTA_SETS)[], build: BuildKind = 'standard') {
  for (const name of which) {
    const quotas = QUOTA_SETS[name];
    console.log(
      `\n== ${name} quotas: ${Object.entries(quotas)
        .map(([k, v]) => `${k} ${v}/s`)
        .join(', ')}; each pipeline a ${build === 'long' ? 'three-minute build of 7,200' : '12 s build of 480'} lines ==`,
    );
    console.log("| pipelines | lines lost | calls throttled | beyond each one's first | median p95 latency | worst p95 latency | floor | calls/min each |");
    console.log('|---|---|---|---|---|---|---|---|');
    for (const n of sizes) console.log(await scaleRow(n, quotas, build));
  }
}

// `npx tsx scripts/bench-scale.ts tight 20,50 long`: one quota set, some sizes, 12 s or three-minute builds.
if (require.main === module) {
  const [quota, sizes, build] = process.argv.slice(2);
  scale(
    sizes ? sizes.split(',').map(Number) : [1, 5, 20, 50],
    quota ? [quota as keyof typeof QUOTA_SETS] : (Object.keys(QUOTA_SETS) as (keyof typeof QUOTA_SETS)[]),
    build === 'long' ? 'long' : 'standard',
  );
}
