import type { Build } from '@aws-sdk/client-codebuild';
import { classify, errorName } from '../aws/errors';
import { ExpiredToken, type CodeBuildApi, type LogStream, type LogsApi } from '../aws/apis';
import type { Clock } from '../clock';
import type { Congestion } from '../core/congestion';
import { LogCursor, lineText, type LogEvent } from '../core/log-cursor';
import { PhaseMarkers } from '../core/phase-markers';
import { DEFAULT_POLICY, logDrained, nextLogReadIn, nextStatusPollIn, type PollPolicy, type WatchFacts } from '../core/poll-policy';
import { isTerminal } from '../core/verdict';
import type { PhaseEnd, Reporter } from '../report/reporter';

export interface WatchDeps {
  readonly codebuild: Pick<CodeBuildApi, 'getBuild'>;
  readonly logs: LogsApi;
  readonly clock: Clock;
  readonly reporter: Reporter;
  readonly congestion: Congestion;
  readonly tailLogs: boolean;
  readonly policy?: PollPolicy;
  readonly signal?: AbortSignal;
  /** Spreads intervals ±10% so pipelines started together do not poll in lockstep. */
  readonly random?: () => number;
  /** Called once CodeBuild names the log stream (for the logs-url output). */
  readonly onStream?: (stream: LogStream, build: Build) => void;
  /** Called with every fresh copy of the build, e.g. to keep outputs current. */
  readonly onBuild?: (build: Build) => void;
}

/**
 * Phases before the container starts never show up in its log: their progress comes from
 * BatchGetBuilds. FINALIZING (after the container) waits for the end, so it prints after the log.
 */
const BEFORE_CONTAINER = new Set(['SUBMITTED', 'QUEUED', 'PROVISIONING']);
/** Bounds one burst of page-following so status polls are not starved by a huge backlog. */
const MAX_PAGES_PER_READ = 50;

/** Follow a build to its end: status polls, log tail, phase lines. Resolves with the final build. */
export async function watchBuild(initial: Build, deps: WatchDeps): Promise<Build> {
  return new BuildWatcher(initial, deps).run();
}

class BuildWatcher {
  private build: Build;
  private readonly cursor = new LogCursor();
  private readonly markers = new PhaseMarkers();
  private readonly announced = new Set<string>();
  private readonly policy: PollPolicy;
  private stream?: LogStream;
  private logsUnavailable = false;
  private emptyReads = 0;
  private caughtUp = true;
  private lastLineAt?: number;
  private lastReadAt?: number;
  private endSeenAt?: number;
  private logsDue = 0;
  private statusDue = 0;
  private lastStatusAt = 0;
  private lastPhase?: string;

  constructor(initial: Build, private readonly deps: WatchDeps) {
    this.build = initial;
    this.policy = deps.policy ?? DEFAULT_POLICY;
  }

  async run(): Promise<Build> {
    const { clock, signal } = this.deps;
    this.absorb(this.build);
    this.lastStatusAt = clock.now();
    this.statusDue = this.lastStatusAt + nextStatusPollIn(this.facts(), this.policy);
    this.logsDue = clock.now();
    for (;;) {
      signal?.throwIfAborted();
      if (clock.now() >= this.statusDue) {
        this.lastStatusAt = clock.now();
        this.absorb(await this.deps.codebuild.getBuild(this.build.id!));
        this.statusDue = clock.now() + this.jitter(nextStatusPollIn(this.facts(), this.policy));
      }
      if (this.stream && clock.now() >= this.logsDue) {
        await this.readLogs();
        this.logsDue = clock.now() + this.jitter(nextLogReadIn(this.facts(), this.policy));
        // What the log said (e.g. the last phase is done) may call for an earlier status poll.
        this.statusDue = Math.min(this.statusDue, this.lastStatusAt + nextStatusPollIn(this.facts(), this.policy));
      }
      if (this.endSeenAt !== undefined && logDrained(this.facts(), this.policy)) break;
      const wake = Math.min(this.statusDue, this.stream ? this.logsDue : Infinity);
      await clock.sleep(Math.max(0, wake - clock.now()), signal);
    }
    if (this.stream && !this.caughtUp) {
      this.deps.reporter.warning('Stopped reading the log before its end (still behind 10 minutes after the build ended); the rest is in CloudWatch.');
    }
    this.finishPhases();
    return this.build;
  }

  private jitter(ms: number): number {
    return ms * (0.9 + 0.2 * (this.deps.random ?? Math.random)());
  }

  private facts(): WatchFacts {
    return {
      now: this.deps.clock.now(),
      hasStream: !!this.stream,
      awaitingStream: this.deps.tailLogs && !this.stream && !this.logsUnavailable,
      emptyReads: this.emptyReads,
      finalPhaseLogged: this.markers.finished,
      endSeenAt: this.endSeenAt,
      lastLineAt: this.lastLineAt,
      lastReadAt: this.lastReadAt,
      caughtUp: this.caughtUp,
      logCongestion: this.deps.congestion.factor('GetLogEvents'),
      statusCongestion: this.deps.congestion.factor('BatchGetBuilds'),
    };
  }

  private absorb(build: Build): void {
    this.build = build;
    this.deps.onBuild?.(build);
    // Find the stream before announcing phases: once it is known, the log tells container phases.
    const found = this.deps.tailLogs && !this.stream && !this.logsUnavailable && this.findStream(build);
    this.announceStatusPhases(build, (phase) => BEFORE_CONTAINER.has(phase) || (!this.stream && !this.deps.tailLogs));
    if (found) this.deps.onStream?.(this.stream!, build);
    if (isTerminal(build) && this.endSeenAt === undefined) this.endSeenAt = this.deps.clock.now();
    // A new phase or the end means lines are on their way: stop backing off the log reads.
    const phase = isTerminal(build) ? 'END' : build.currentPhase;
    if (phase !== this.lastPhase) {
      this.lastPhase = phase;
      this.emptyReads = 0;
      this.logsDue = Math.min(this.logsDue, this.deps.clock.now());
    }
  }

  /** True when this build names the stream for the first time. */
  private findStream(build: Build): boolean {
    const logs = build.logs;
    if (logs?.cloudWatchLogs?.status === 'DISABLED') {
      this.logsUnavailable = true;
      this.deps.reporter.info('CloudWatch Logs are disabled for this project: follow the build in the console; waiting for the verdict.');
      return false;
    }
    if (!logs?.groupName || !logs.streamName || logs.streamName === 'null') return false;
    this.stream = { group: logs.groupName, stream: logs.streamName };
    return true;
  }

  /** Status-derived phase lines, for phases the log cannot tell us about. */
  private announceStatusPhases(build: Build, wanted: (phase: string) => boolean): void {
    for (const p of build.phases ?? []) {
      const phase = p.phaseType;
      if (!phase || !p.phaseStatus || phase === 'COMPLETED' || this.announced.has(phase) || !wanted(phase)) continue;
      this.announced.add(phase);
      const message = (p.contexts ?? []).map((c) => [c.statusCode, c.message].filter(Boolean).join(': ')).filter(Boolean).join('; ');
      this.phaseEnded({
        phase,
        status: p.phaseStatus,
        ...(p.durationInSeconds !== undefined && { durationMs: p.durationInSeconds * 1000 }),
        ...(message && { message }),
      });
    }
  }

  private phaseEnded(end: PhaseEnd): void {
    this.deps.reporter.phaseEnded(end);
  }

  /** Whatever the log never told (no stream, cut short), from the final build. */
  private finishPhases(): void {
    this.emit(this.markers.flush());
    this.announceStatusPhases(this.build, () => true);
  }

  private async readLogs(): Promise<void> {
    const stream = this.stream!;
    let fresh = 0;
    for (let page = 0; page < MAX_PAGES_PER_READ; page++) {
      const request = this.cursor.request();
      this.lastReadAt = this.deps.clock.now();
      let result;
      try {
        result = await this.deps.logs.getPage(stream, request);
      } catch (error) {
        if (this.deps.signal?.aborted) throw this.deps.signal.reason;
        if (error instanceof ExpiredToken) {
          this.cursor.dropToken();
          continue;
        }
        this.logReadFailed(error);
        break;
      }
      if (!result) {
        this.caughtUp = true; // the stream does not exist yet
        break;
      }
      const events = this.cursor.fresh(request, result);
      this.print(events);
      this.caughtUp = this.cursor.commit(request, result, events);
      fresh += events.length;
      if (this.caughtUp) break;
    }
    if (fresh > 0) {
      this.lastLineAt = this.deps.clock.now();
      this.emptyReads = 0;
    } else this.emptyReads++;
  }

  /** A failed read proves nothing about the end of the log: caughtUp stays as it was. */
  private logReadFailed(error: unknown): void {
    const detail = `${errorName(error)}: ${(error as Error).message}`;
    if (classify(error) === 'permanent') {
      // Logs are a convenience; the verdict is what the step is for. Keep waiting without them.
      this.logsUnavailable = true;
      this.stream = undefined;
      this.deps.reporter.warning(`Cannot read the build log (${detail}); waiting for the verdict without it. Logs need logs:GetLogEvents.`);
    } else {
      this.deps.reporter.warning(`Reading the build log keeps failing (${detail}); trying again.`);
    }
  }

  /** Print a page, with phase boundaries where the agent logged them. */
  private print(events: readonly LogEvent[]): void {
    let batch: string[] = [];
    const flush = () => {
      if (batch.length) this.deps.reporter.logLines(batch);
      batch = [];
    };
    for (const event of events) {
      const line = lineText(event);
      const phaseEvents = this.markers.feed(line, event.timestamp);
      const before = phaseEvents.filter((e) => !(e.kind === 'end' && e.afterLine));
      if (before.length) {
        flush();
        this.emit(before);
      }
      batch.push(line);
      const after = phaseEvents.filter((e) => e.kind === 'end' && e.afterLine);
      if (after.length) {
        flush();
        this.emit(after);
      }
    }
    flush();
  }

  private emit(events: ReturnType<PhaseMarkers['feed']>): void {
    for (const e of events) {
      if (e.kind === 'start') this.deps.reporter.phaseStarted(e.phase);
      else if (!this.announced.has(e.phase)) {
        this.announced.add(e.phase);
        const { kind: _kind, afterLine: _after, ...end } = e;
        this.phaseEnded(end);
      }
    }
  }
}
