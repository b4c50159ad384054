import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand, type Build, type CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { codeBuildApi } from '../../src/aws/codebuild';
import type { FairShareOptions } from '../../src/aws/fair-share';
import { logsApi } from '../../src/aws/logs';
import { RequestBudget } from '../../src/aws/request-budget';
import type { RetryDeps } from '../../src/aws/retry';
import { Throttle } from '../../src/aws/throttle';
import type { PollPolicy } from '../../src/domain/poll-policy';
import { isFinal } from '../../src/domain/verdict';
import type { Log } from '../../src/log/log';
import { watchBuild } from '../../src/watch/build-watcher';
import { AwsError, type Json } from '../fake/aws-error';
import type { BuildScript } from '../fake/build-script';
import { FakeBuild } from '../fake/fake-build';
import { FakeLogs } from '../fake/fake-logs';
import { FaultInjector, seededRandom } from '../fake/faults';
import { EventClock } from './event-clock';
import { crowdLatency, lineLatencies, type PrintedAt, percentile } from './figures';

/**
 * Many pipelines, each its own "process" (its own Throttle, RequestBudget and randomness), in
 * one account with per-operation quotas, on one discrete-event clock: the product's real watch
 * loop, retry and CloudWatch/CodeBuild adapters run; only HTTP is replaced, by the same fake
 * builds, pages and quota rule the e2e fake endpoint serves (test/fake). Minutes of fifty
 * pipelines take a second, exactly reproducible from a seed: what the unit tests and the quick
 * bench use, while `npm run bench -- scale` measures the real bundles.
 */
export interface CrowdOptions {
  readonly pipelines: number;
  /** Calls per second per operation, for the whole account. */
  readonly quotas: Readonly<Record<string, number>>;
  /** How the quotas are enforced (test/fake/faults.ts): AWS's token bucket by default. */
  readonly quotaRule?: 'bucket' | 'window';
  readonly script: (name: string) => BuildScript;
  /** Pipelines start spread evenly over this long (CI jobs never start in the same millisecond). */
  readonly startSpreadMs?: number;
  /** One way, per call. */
  readonly latencyMs?: number;
  readonly seed?: number;
  readonly fairShare?: FairShareOptions;
  readonly policy?: PollPolicy;
  /** Replaces the product's pacing, to compare it with other designs (e.g. an oracle that knows the crowd). */
  readonly throttle?: (now: () => number, random: () => number) => Throttle;
}

export interface CallRecord {
  readonly op: string;
  readonly at: number;
  readonly who: string;
  readonly throttled: boolean;
}

export interface PipelineFigures {
  readonly name: string;
  readonly p95Ms: number;
  readonly missing: number;
  readonly duplicated: number;
  readonly verdict?: string;
  /** From the end of the build (or the last line readable, if later) to the end of the watch. */
  readonly endLagMs: number;
  readonly calls: number;
  readonly throttled: number;
}

export interface CrowdFigures {
  readonly pipelines: PipelineFigures[];
  readonly calls: CallRecord[];
  readonly throttledShare: number;
  /** The pipelines' p95 latencies, sorted. */
  readonly p95s: number[];
  readonly medianP95Ms: number;
  readonly worstP95Ms: number;
  /** Lag + N / GetLogEvents quota: what no design can beat. */
  readonly floorMs: number;
  readonly lost: number;
  readonly durationMs: number;
}

/** An account: per-operation quotas shared by every caller (the e2e fake's rule), and every call recorded. */
class Account {
  readonly calls: CallRecord[] = [];
  private readonly quota: FaultInjector;

  constructor(
    private readonly clock: EventClock,
    quotas: Readonly<Record<string, number>>,
    quotaRule: 'bucket' | 'window' | undefined,
    private readonly latencyMs: number,
  ) {
    this.quota = new FaultInjector({ quotas, quotaRule });
  }

  async call<T>(op: string, who: string, answer: () => T): Promise<T> {
    await this.clock.sleep(this.latencyMs);
    const throttled = this.quota.decide(op, this.clock.now()) === 'throttle';
    this.calls.push({ op, at: this.clock.now(), who, throttled });
    let result: T | undefined;
    let failure: AwsError | undefined;
    try {
      if (!throttled) result = answer();
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      failure = error;
    }
    await this.clock.sleep(this.latencyMs);
    if (throttled) throw sdkError('ThrottlingException', 'Rate exceeded', 400);
    if (failure) throw sdkError(failure.type, failure.message, failure.status);
    return result!;
  }
}

/** As the SDK throws a service's error: the name is the error's type. */
function sdkError(name: string, message: string, status: number): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

/** The fake's JSON view as the SDK hands it over: epoch seconds become Dates. */
function sdkBuild(view: Json): Build {
  const date = (s: unknown) => (typeof s === 'number' ? new Date(s * 1000) : undefined);
  return {
    ...view,
    startTime: date(view.startTime),
    endTime: date(view.endTime),
    phases: (view.phases as Json[]).map((p) => ({ ...p, startTime: date(p.startTime), endTime: date(p.endTime) })),
  } as Build;
}

class TimedLog implements Log {
  readonly printed: PrintedAt[] = [];
  constructor(private readonly now: () => number) {}
  debug() {}
  info() {}
  warning() {}
  error() {}
  mask() {}
  phaseStarted() {}
  phaseEnded() {}
  buildLines(lines: readonly string[]) {
    for (const text of lines) this.printed.push({ text, at: this.now() });
  }
  withPrefix(): Log {
    return this;
  }
}

interface Run {
  readonly name: string;
  readonly log: TimedLog;
  build?: FakeBuild;
  final?: Build;
  endedAt?: number;
}

async function runPipeline(run: Run, clock: EventClock, account: Account, o: CrowdOptions, index: number): Promise<void> {
  const random = seededRandom((o.seed ?? 1) * 1_000 + index);
  const throttle = o.throttle?.(clock.now, random) ?? new Throttle(clock.now, random, o.fairShare);
  const retry: RetryDeps = { clock, throttle, budget: new RequestBudget(clock.now), random };
  const pages = new FakeLogs({ seed: index + 1 }, clock.now);
  const codebuildClient = {
    config: { region: async () => 'eu-west-1' },
    send: (command: unknown) =>
      account.call(command instanceof StartBuildCommand ? 'StartBuild' : 'BatchGetBuilds', run.name, () => {
        if (command instanceof StartBuildCommand) {
          run.build = new FakeBuild(`${run.name}:${index + 1}`, 1, run.name, clock.now(), o.script(run.name), {});
          return { build: sdkBuild(run.build.view(clock.now())) };
        }
        if (!(command instanceof BatchGetBuildsCommand)) throw new Error('the crowd serves StartBuild and BatchGetBuilds only');
        return { builds: [sdkBuild(run.build!.view(clock.now()))] };
      }),
  } as unknown as CodeBuildClient;
  const logsClient = {
    send: (command: { input: Json }) => account.call('GetLogEvents', run.name, () => pages.getLogEvents(command.input, [run.build!])),
  } as unknown as CloudWatchLogsClient;
  const codebuild = codeBuildApi({}, retry, codebuildClient);
  const initial = await codebuild.startBuild({ projectName: run.name });
  run.final = await watchBuild(initial, {
    codebuild,
    logs: logsApi({}, retry, logsClient),
    clock,
    log: run.log,
    throttle,
    tailLogs: true,
    random,
    policy: o.policy,
  });
  run.endedAt = clock.now();
}

export async function simulateCrowd(o: CrowdOptions): Promise<CrowdFigures> {
  const clock = new EventClock();
  const started = clock.now();
  const account = new Account(clock, o.quotas, o.quotaRule, o.latencyMs ?? 25);
  const spread = o.startSpreadMs ?? 3_000;
  const runs: Run[] = Array.from({ length: o.pipelines }, (_, i) => ({ name: `pipe${i}`, log: new TimedLog(clock.now) }));
  const all = Promise.all(
    runs.map(async (run, i) => {
      await clock.sleep(o.pipelines > 1 ? (spread * i) / (o.pipelines - 1) : 0);
      await runPipeline(run, clock, account, o, i);
    }),
  );
  await clock.run(all);
  return figures(runs, account.calls, o, clock.now() - started);
}

function figures(runs: readonly Run[], calls: CallRecord[], o: CrowdOptions, durationMs: number): CrowdFigures {
  const pipelines = runs.map((run): PipelineFigures => {
    const build = run.build!;
    const seen = lineLatencies(run.log.printed, build.lines);
    const end = Math.max(build.endAt, ...build.lines.map((l) => l.availableAt));
    const mine = calls.filter((c) => c.who === run.name);
    return {
      name: run.name,
      p95Ms: percentile(seen.latenciesMs, 95),
      missing: seen.missing,
      duplicated: seen.duplicated,
      verdict: isFinal(run.final?.buildStatus) ? run.final?.buildStatus : undefined,
      endLagMs: run.endedAt! - end,
      calls: mine.length,
      throttled: mine.filter((c) => c.throttled).length,
    };
  });
  return {
    pipelines,
    calls,
    throttledShare: calls.filter((c) => c.throttled).length / calls.length,
    ...crowdLatency(
      pipelines.map((p) => p.p95Ms),
      o.script('x').ingestionLagMs ?? 500,
      o.quotas.GetLogEvents,
    ),
    lost: pipelines.reduce((sum, p) => sum + p.missing + p.duplicated, 0),
    durationMs,
  };
}
