import type { Build } from '@aws-sdk/client-codebuild';
import type { CodeBuildApi } from '../aws/codebuild';
import type { Congestion } from '../aws/congestion';
import type { LogStream, LogsApi } from '../aws/logs';
import type { Clock } from '../domain/clock';
import { DEFAULT_POLICY, logDrained, nextLogReadIn, nextStatusPollIn, type PollPolicy, type WatchFacts } from '../domain/poll-policy';
import { isFinal } from '../domain/verdict';
import type { Log } from '../log/log';
import { LogTail } from './log-tail';
import { PhaseAnnouncer } from './phase-announcer';

export interface WatchDeps {
  readonly codebuild: Pick<CodeBuildApi, 'getBuild'>;
  readonly logs: LogsApi;
  readonly clock: Clock;
  readonly log: Log;
  readonly congestion: Congestion;
  readonly tailLogs: boolean;
  readonly policy?: PollPolicy;
  readonly signal?: AbortSignal;
  /** Spreads intervals ±10% so pipelines started together do not poll in lockstep. */
  readonly random?: () => number;
  /** Called once CodeBuild names the log stream; returns the stream's console link, for messages. */
  readonly onStream?: (stream: LogStream, build: Build) => string | undefined;
  /** Called with every fresh copy of the build, e.g. to keep outputs current. */
  readonly onBuild?: (build: Build) => void;
}

/**
 * Phases before the container starts never show up in its log: their progress comes from
 * BatchGetBuilds. FINALIZING (after the container) waits for the end, so it prints after the log.
 */
const BEFORE_CONTAINER = new Set(['SUBMITTED', 'QUEUED', 'PROVISIONING']);

/** Follow a build to its end: status polls, log tail, phase lines. Resolves with the final build. */
export async function watchBuild(initial: Build, deps: WatchDeps): Promise<Build> {
  return new BuildWatcher(initial, deps).run();
}

class BuildWatcher {
  private build: Build;
  private readonly phases: PhaseAnnouncer;
  private readonly policy: PollPolicy;
  private tail?: LogTail;
  private logsLink?: string;
  private logsUnavailable = false;
  private endSeenAt?: number;
  private logsDue = 0;
  private statusDue = 0;
  private lastStatusAt = 0;
  private lastPhase?: string;

  constructor(
    initial: Build,
    private readonly deps: WatchDeps,
  ) {
    this.build = initial;
    this.policy = deps.policy ?? DEFAULT_POLICY;
    this.phases = new PhaseAnnouncer(deps.log);
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
      if (this.tail && clock.now() >= this.logsDue) {
        await this.readLogs(this.tail);
        this.logsDue = clock.now() + this.jitter(nextLogReadIn(this.facts(), this.policy));
        // What the log said (e.g. the last phase is done) may call for an earlier status poll.
        this.statusDue = Math.min(this.statusDue, this.lastStatusAt + nextStatusPollIn(this.facts(), this.policy));
      }
      if (this.endSeenAt !== undefined && logDrained(this.facts(), this.policy)) break;
      const wake = Math.min(this.statusDue, this.tail ? this.logsDue : Number.POSITIVE_INFINITY);
      await clock.sleep(Math.max(0, wake - clock.now()), signal);
    }
    if (this.tail && !this.tail.caughtUp) {
      const where = this.logsLink ? `: ${this.logsLink}` : '';
      this.deps.log.warning(`Stopped reading the log before its end (still behind 10 minutes after the build ended); the rest is in CloudWatch${where}`);
    }
    this.phases.flush();
    this.phases.fromStatus(this.build, () => true);
    return this.build;
  }

  private async readLogs(tail: LogTail): Promise<void> {
    await tail.read(this.endSeenAt !== undefined);
    if (tail.gaveUp) {
      this.tail = undefined;
      this.logsUnavailable = true;
    }
  }

  private jitter(ms: number): number {
    return ms * (0.9 + 0.2 * (this.deps.random ?? Math.random)());
  }

  private facts(): WatchFacts {
    const tail = this.tail;
    return {
      now: this.deps.clock.now(),
      hasStream: !!tail,
      awaitingStream: this.deps.tailLogs && !tail && !this.logsUnavailable,
      emptyReads: tail?.emptyReads ?? 0,
      finalPhaseLogged: this.phases.finalPhaseLogged,
      endSeenAt: this.endSeenAt,
      lastLineAt: tail?.lastLineAt,
      lastReadAt: tail?.lastReadAt,
      caughtUp: tail?.caughtUp ?? true,
      moreLikely: tail?.moreLikely ?? false,
      logCongestion: this.deps.congestion.factor('GetLogEvents'),
      statusCongestion: this.deps.congestion.factor('BatchGetBuilds'),
    };
  }

  private absorb(build: Build): void {
    this.build = build;
    this.deps.onBuild?.(build);
    // Find the stream before announcing phases: once it is known, the log tells container phases.
    const found = this.deps.tailLogs && !this.tail && !this.logsUnavailable && this.findStream(build);
    this.phases.fromStatus(build, (phase) => BEFORE_CONTAINER.has(phase) || (!this.tail && !this.deps.tailLogs));
    if (found) this.logsLink = this.deps.onStream?.(this.tail!.stream, build);
    if (isFinal(build.buildStatus) && this.endSeenAt === undefined) this.endSeenAt = this.deps.clock.now();
    // A new phase or the end means lines are on their way: stop backing off the log reads.
    const phase = isFinal(build.buildStatus) ? 'END' : build.currentPhase;
    if (phase !== this.lastPhase) {
      this.lastPhase = phase;
      if (this.tail) this.tail.emptyReads = 0;
      this.logsDue = Math.min(this.logsDue, this.deps.clock.now());
    }
  }

  /** True when this build names the stream for the first time. */
  private findStream(build: Build): boolean {
    const logs = build.logs;
    if (logs?.cloudWatchLogs?.status === 'DISABLED') {
      this.logsUnavailable = true;
      this.deps.log.info('CloudWatch Logs are disabled for this project: follow the build in the console; waiting for the verdict.');
      return false;
    }
    if (!logs?.groupName || !logs.streamName || logs.streamName === 'null') return false;
    const { clock, log, signal } = this.deps;
    this.tail = new LogTail({ group: logs.groupName, stream: logs.streamName }, { logs: this.deps.logs, clock, log, signal }, this.phases);
    return true;
  }
}
