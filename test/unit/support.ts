import type { Build } from '@aws-sdk/client-codebuild';
import type { CodeBuildApi, LogStream, LogsApi } from '../../src/aws/apis';
import type { Clock } from '../../src/clock';
import type { LogEvent, LogRequest } from '../../src/core/log-cursor';
import type { TestReport } from '../../src/core/test-reports';
import type { Verdict } from '../../src/core/verdict';
import type { PhaseEnd, Reporter, RunReport } from '../../src/report/reporter';

/** A clock whose sleeps return at once, advancing virtual time: loop tests run in microseconds. */
export class VirtualClock implements Clock {
  constructor(public time = 1_000_000) {}
  now = () => this.time;
  sleep = async (ms: number, signal?: AbortSignal) => {
    signal?.throwIfAborted();
    this.time += Math.max(1, ms);
    await Promise.resolve();
  };
}

/** Everything the user would have seen, as events. */
export class RecordingReporter implements Reporter {
  readonly events: string[] = [];
  readonly lines: string[] = [];
  debug() {}
  info(m: string) { this.events.push(`info ${m}`); }
  warning(m: string) { this.events.push(`warning ${m}`); }
  error(m: string) { this.events.push(`error ${m}`); }
  mask() {}
  logLines(lines: readonly string[]) { this.lines.push(...lines); this.events.push(...lines.map((l) => `line ${l}`)); }
  phaseStarted(p: string) { this.events.push(`start ${p}`); }
  phaseEnded(e: PhaseEnd) { this.events.push(`end ${e.phase} ${e.status}`); }
  verdict(v: Verdict) { this.events.push(`verdict ${v.summary}`); }
  testReports(r: readonly TestReport[]) { this.events.push(...r.map((t) => `tests ${t.name}`)); }
  async close(_r: RunReport) {}
}

export interface ScriptedLine { at: number; message: string }

/**
 * A build on the virtual clock: the log stream appears at `streamAt`, each line becomes
 * readable `lag` ms after its timestamp, the build ends at `endAt`.
 */
export class ScriptedBuild implements Pick<CodeBuildApi, 'getBuild'>, LogsApi {
  calls = { getBuild: 0, getPage: 0 };
  /** When each call was made, on the virtual clock. */
  readonly callTimes: number[] = [];
  pageSize = 10_000;
  /** Inject failures: called before each log read; throw to fail it. */
  beforeRead?: (n: number) => void;

  constructor(
    private readonly clock: VirtualClock,
    readonly opts: { start: number; endAt: number; status: string; lines: ScriptedLine[]; lag?: number; streamAt?: number; logsDisabled?: boolean; phases?: Build['phases'] },
  ) {}

  private get t() { return this.clock.now() - this.opts.start; }

  build(): Build {
    const done = this.t >= this.opts.endAt;
    const streamed = !this.opts.logsDisabled && this.t >= (this.opts.streamAt ?? 0);
    return {
      id: 'app:1',
      arn: 'arn:aws:codebuild:eu-west-1:123456789012:build/app:1',
      projectName: 'app',
      buildNumber: 7,
      buildStatus: done ? this.opts.status as Build['buildStatus'] : 'IN_PROGRESS',
      startTime: new Date(this.opts.start),
      ...(done && { endTime: new Date(this.opts.start + this.opts.endAt) }),
      phases: done ? this.opts.phases : [],
      logs: this.opts.logsDisabled
        ? { cloudWatchLogs: { status: 'DISABLED' } }
        : streamed ? { groupName: '/aws/codebuild/app', streamName: 'uuid' } : {},
    };
  }

  async getBuild(): Promise<Build> {
    this.calls.getBuild++;
    this.callTimes.push(this.clock.now());
    return this.build();
  }

  async getPage(_s: LogStream, request: LogRequest) {
    this.calls.getPage++;
    this.callTimes.push(this.clock.now());
    this.beforeRead?.(this.calls.getPage);
    if (this.t < (this.opts.streamAt ?? 0)) return undefined;
    const visible = this.opts.lines.filter((l) => l.at + (this.opts.lag ?? 500) <= this.t);
    const from = request.token ? Number(request.token) : 0;
    const events: LogEvent[] = visible.slice(from, from + this.pageSize).map((l) => ({ timestamp: this.opts.start + l.at, message: `${l.message}\n` }));
    return { events, nextForwardToken: String(from + events.length) };
  }
}
