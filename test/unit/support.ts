import type { Build } from '@aws-sdk/client-codebuild';
import type { CodeBuildApi } from '../../src/aws/codebuild';
import type { LogStream, LogsApi } from '../../src/aws/logs';
import type { Config } from '../../src/config/config';
import type { Clock } from '../../src/domain/clock';
import type { LogEvent, LogRequest } from '../../src/domain/log-cursor';
import type { Outcome } from '../../src/domain/outcome';
import type { PhaseEnd } from '../../src/domain/phase';
import type { StartSettings } from '../../src/domain/start-request';
import type { TestReport } from '../../src/domain/test-reports';
import type { Verdict } from '../../src/domain/verdict';
import type { Log } from '../../src/log/log';
import type { Presenter } from '../../src/present/presenter';

/**
 * A clock whose sleeps return at once, advancing virtual time, and whose timers fire as time
 * passes them: loop tests run in microseconds.
 */
export class VirtualClock implements Clock {
  private timers: { at: number; fn: () => void }[] = [];
  constructor(public time = 1_000_000) {}
  now = () => this.time;
  sleep = async (ms: number, signal?: AbortSignal) => {
    signal?.throwIfAborted();
    this.advance(Math.max(1, ms));
    await Promise.resolve();
    signal?.throwIfAborted();
  };
  after = (ms: number, fn: () => void) => {
    const timer = { at: this.time + ms, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  };
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.fn();
  }
}

/** A `write` function and what it was given. */
export function capture(): { write: (text: string) => void; readonly text: string } {
  let text = '';
  return {
    write: (t) => {
      text += t;
    },
    get text() {
      return text;
    },
  };
}

/** Everything the user would have seen, as events. */
export class RecordingLog implements Log {
  constructor(
    readonly events: string[] = [],
    readonly lines: string[] = [],
    private readonly prefix = '',
  ) {}
  private tag = (m: string) => (this.prefix ? `[${this.prefix}] ${m}` : m);
  debug() {}
  info(m: string) {
    this.events.push(`info ${this.tag(m)}`);
  }
  warning(m: string) {
    this.events.push(`warning ${this.tag(m)}`);
  }
  error(m: string) {
    this.events.push(`error ${this.tag(m)}`);
  }
  mask() {}
  buildLines(lines: readonly string[]) {
    this.lines.push(...lines.map(this.tag));
    this.events.push(...lines.map((l) => `line ${this.tag(l)}`));
  }
  phaseStarted(p: string) {
    this.events.push(`start ${this.tag(p)}`);
  }
  phaseEnded(e: PhaseEnd) {
    this.events.push(`end ${this.tag(e.phase)} ${e.status}`);
  }
  withPrefix(prefix: string): Log {
    return new RecordingLog(this.events, this.lines, prefix);
  }
  has(pattern: RegExp): boolean {
    return this.events.some((e) => pattern.test(e));
  }
}

/** The end of the step, as the user would have seen it. */
export class RecordingPresenter implements Presenter {
  readonly verdicts: Verdict[] = [];
  readonly tests: TestReport[] = [];
  readonly summaries: Outcome[] = [];
  conclusion(v: Verdict | undefined, r: readonly TestReport[]) {
    this.tests.push(...r);
    if (v) this.verdicts.push(v);
  }
  async summary(o: Outcome) {
    this.summaries.push(o);
  }
}

export interface ScriptedLine {
  at: number;
  message: string;
}

/**
 * A build on the virtual clock: the log stream appears at `streamAt`, each line becomes
 * readable `lag` ms after its timestamp, the build ends at `endAt`.
 */
export class ScriptedBuild implements Pick<CodeBuildApi, 'getBuild'>, LogsApi {
  calls = { getBuild: 0, getPage: 0 };
  /** When each call was made, on the virtual clock. */
  readonly callTimes: number[] = [];
  pageSize = 10_000;
  /** Set to serve pages the way CloudWatch may: any size up to pageSize, or empty with a new token. */
  partialPages?: () => number;
  private minted = 0;
  /** Inject failures: called before each log read; throw to fail it. */
  beforeRead?: (n: number) => void;

  constructor(
    private readonly clock: VirtualClock,
    readonly opts: {
      start: number;
      endAt: number;
      status: string;
      lines: ScriptedLine[];
      lag?: number;
      streamAt?: number;
      logsDisabled?: boolean;
      phases?: Build['phases'];
    },
  ) {}

  private get t() {
    return this.clock.now() - this.opts.start;
  }

  build(): Build {
    const done = this.t >= this.opts.endAt;
    const streamed = !this.opts.logsDisabled && this.t >= (this.opts.streamAt ?? 0);
    return {
      id: 'app:1',
      arn: 'arn:aws:codebuild:eu-west-1:123456789012:build/app:1',
      projectName: 'app',
      buildNumber: 7,
      buildStatus: done ? (this.opts.status as Build['buildStatus']) : 'IN_PROGRESS',
      startTime: new Date(this.opts.start),
      ...(done && { endTime: new Date(this.opts.start + this.opts.endAt) }),
      phases: done ? this.opts.phases : [],
      logs: this.opts.logsDisabled ? { cloudWatchLogs: { status: 'DISABLED' } } : streamed ? { groupName: '/aws/codebuild/app', streamName: 'uuid' } : {},
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
    const lag = this.opts.lag ?? 500;
    const visible = this.opts.lines.filter((l) => l.at + lag <= this.t);
    const from = request.token ? Number(request.token.split('/')[0]) : 0;
    const size = this.partialPages && from < visible.length ? Math.min(this.pageSize, this.partialPages()) : this.pageSize;
    const events: LogEvent[] = visible
      .slice(from, from + size)
      .map((l) => ({ timestamp: this.opts.start + l.at, message: `${l.message}\n`, ingestionTime: this.opts.start + l.at + lag }));
    // The same token back only at the end of what is readable; a new one otherwise, even for an empty page.
    const atEnd = from + events.length >= visible.length && events.length === 0;
    return { events, nextForwardToken: atEnd && request.token ? request.token : `${from + events.length}/${++this.minted}` };
  }
}

/** The StartBuild settings of a config that starts a build or a batch. */
export function startOf(c: Config): StartSettings {
  if (c.run.kind === 'build' || c.run.kind === 'batch') return c.run.start;
  throw new Error(`a ${c.run.kind} run starts no build`);
}

/** The pipeline settings of a config that runs one. */
export const pipelineOf = (c: Config) => (c.run.kind === 'pipeline' ? c.run.pipeline : undefined);
