import { readFileSync } from 'node:fs';
import { awsEnv, startBundle } from '../test/e2e/run-bundle';
import type { FakeAws, FakeBuild } from '../test/fake/fake-aws';
import { lineLatencies } from '../test/sim/figures';

export { percentile } from '../test/sim/figures';

export interface RunFigures {
  readonly code: number | null;
  readonly latenciesMs: number[];
  readonly missing: number;
  readonly duplicated: number;
  readonly endLagMs: number;
  readonly peakRssMb: number;
  readonly startBuildAfterMs: number;
  readonly build: FakeBuild;
  readonly stdout: string;
}

/** Peak RSS of a running process (VmHWM), sampled until it exits. */
function watchPeakRss(pid: number): { stop(): number } {
  let peak = 0;
  const sample = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {
      /* exited */
    }
  };
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Run the bundle once against `fake` for `project`; figures from the fake's and the parent's clocks. */
export async function measureRun(fake: FakeAws, endpoint: string, project: string, extraEnv: Record<string, string> = {}): Promise<RunFigures> {
  const spawnedAt = Date.now();
  const before = new Set(fake.builds.keys());
  const run = startBundle({ ...awsEnv(endpoint), PROJECT_NAME: project, RESULT_FILE: '', ...extraEnv });
  const rss = watchPeakRss(run.child.pid!);
  const result = await run.done;
  const exitedAt = Date.now();
  const peakRssMb = rss.stop();
  const build = [...fake.builds.values()].find((b) => !before.has(b.id) && b.project === project)!;
  const startCall = fake.calls.find((c) => c.op === 'StartBuild' && c.resource === project && c.at >= spawnedAt);
  return {
    code: result.code,
    stdout: result.stdout,
    ...lineLatencies(run.lines, build.lines),
    endLagMs: exitedAt - endOf(build),
    peakRssMb,
    startBuildAfterMs: (startCall?.at ?? NaN) - spawnedAt,
    build,
  };
}

/** The moment the bundle could at best have known everything: the end, and the last line readable (a stopped build's planned later lines never are). */
export function endOf(build: FakeBuild): number {
  return Math.max(build.startedAt + build.endMs, ...build.visibleLines(Number.POSITIVE_INFINITY).map((l) => l.availableAt));
}

/** API calls a minute made for `build` between two instants. */
export function callsPerMinute(fake: FakeAws, build: FakeBuild, from: number, to: number): number {
  const mine = fake.calls.filter((c) => c.at >= from && c.at < to && (c.resource === build.stream || c.resource === build.id));
  return (mine.length * 60_000) / (to - from);
}
