import type { Build } from '@aws-sdk/client-codebuild';
import type { CodeBuildApi } from '../aws/codebuild';
import { classify } from '../aws/errors';
import type { LogStream, LogsApi } from '../aws/logs';
import type { Throttle } from '../aws/throttle';
import type { Clock } from '../domain/clock';
import { streamOf } from '../domain/log-stream';
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
  /** The process's pacing per operation: the loop plans its calls with it. */
  readonly throttle: Throttle;
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
  /** The stream was announced (the logs-url output, its link printed). */
  private announcedStream = false;
  private logsLink?: string;
  private logsUnavailable = false;
  private endSeenAt?: number;
  private logsDue = 0;
  private statusDue = 0;
  private lastStatusAt = 0;
  /** This status interval's random spread, drawn at each poll. */
  private statusSpread = 1;
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
    this.polled();
    this.logsDue = clock.now();
    for (;;) {
      signal?.throwIfAborted();
      if (clock.now() >= this.statusDue) {
        await this.pollStatus();
        this.polled();
      }
      if (this.tail && clock.now() >= this.logsDue) {
        await this.readLogs(this.tail);
        this.logsDue = clock.now() + this.jitter(nextLogReadIn(this.facts(), this.policy));
        // What the log said may move the next status poll: sooner once the last phase is done,
        // later once the log has gone quiet.
        this.planStatus();
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

  /** A status poll was made (or stood in for): the schedule starts from now, with a new spread. */
  private polled(): void {
    this.lastStatusAt = this.deps.clock.now();
    // Status polls are rare and nobody waits on them: spread wide (±25%, ±50% in a crowd) so
    // pipelines started together do not poll together.
    this.statusSpread = this.jitter(1, this.crowded() ? 0.5 : 0.25);
    this.planStatus();
  }

  /** The next status poll, from the last one and what is known now; none once the end is known. */
  private planStatus(): void {
    this.statusDue =
      this.endSeenAt !== undefined ? Number.POSITIVE_INFINITY : this.lastStatusAt + this.statusSpread * nextStatusPollIn(this.facts(), this.policy);
  }

  private async readLogs(tail: LogTail): Promise<void> {
    await tail.read(this.endSeenAt !== undefined);
    if (tail.gaveUp) {
      this.tail = undefined;
      this.logsUnavailable = true;
    }
  }

  /** Until the build ended without reaching its container, a log may exist. */
  private containerMayHaveRun(): boolean {
    if (!isFinal(this.build.buildStatus)) return true;
    return (this.build.phases ?? []).some((p) => p.phaseType && !BEFORE_CONTAINER.has(p.phaseType) && p.phaseType !== 'COMPLETED');
  }

  private crowded(): boolean {
    return this.deps.throttle.interval('GetLogEvents') > 0 || this.deps.throttle.interval('BatchGetBuilds') > 0;
  }

  private jitter(ms: number, spread = 0.1): number {
    return ms * (1 - spread + 2 * spread * (this.deps.random ?? Math.random)());
  }

  private facts(): WatchFacts {
    const tail = this.tail;
    return {
      now: this.deps.clock.now(),
      // A stream to read: found, or expected and the container may have written to it.
      hasStream: !!tail && (tail.found || this.containerMayHaveRun()),
      probingStream: !!tail && !tail.found,
      awaitingStream: this.deps.tailLogs && !tail?.found && !this.logsUnavailable,
      emptyReads: tail?.emptyReads ?? 0,
      finalPhaseLogged: this.phases.finalPhaseLogged,
      endSeenAt: this.endSeenAt,
      lastLineAt: tail?.lastLineAt,
      lastReadAt: tail?.lastReadAt,
      caughtUp: tail?.caughtUp ?? true,
      moreLikely: tail?.moreLikely ?? false,
      stalled: tail?.stalled ?? false,
      logPacingMs: this.deps.throttle.delay('GetLogEvents'),
      statusPacingMs: this.deps.throttle.delay('BatchGetBuilds'),
      crowded: this.crowded(),
    };
  }

  private absorb(build: Build): void {
    this.build = build;
    this.deps.onBuild?.(build);
    // Find the stream before announcing phases: once it is known, the log tells container phases.
    if (this.deps.tailLogs && !this.logsUnavailable) this.followStream(build);
    this.phases.fromStatus(build, (phase) => BEFORE_CONTAINER.has(phase) || (!this.tail && !this.deps.tailLogs));
    if (isFinal(build.buildStatus) && this.endSeenAt === undefined) this.endSeenAt = this.deps.clock.now();
    // A new phase or the end means lines are on their way: stop backing off the log reads.
    // Unless the log showed that phase starting already (a long silent step polled mid-way).
    const phase = isFinal(build.buildStatus) ? 'END' : build.currentPhase;
    if (phase !== this.lastPhase) {
      this.lastPhase = phase;
      if (phase && this.phases.startLogged(phase)) return;
      if (this.tail) this.tail.emptyReads = 0;
      this.logsDue = Math.min(this.logsDue, this.deps.clock.now());
    }
  }

  /** Read the stream the build names, or the one its LogsConfig says it will have until it names one. */
  private followStream(build: Build): void {
    const info = streamOf(build);
    if (info?.kind === 'disabled') {
      this.logsUnavailable = true;
      this.tail = undefined;
      this.deps.log.info('CloudWatch Logs are disabled for this project: follow the build in the console; waiting for the verdict.');
      return;
    }
    if (!info) return;
    const current = this.tail?.stream;
    const same = current?.group === info.stream.group && current.stream === info.stream.stream;
    // A named stream replaces an expected one that was never found (a LogsConfig we misread).
    if (!this.tail || (!same && info.kind === 'named' && !this.tail.found)) {
      const { clock, log, signal } = this.deps;
      const onFound = () => this.streamFound();
      const paced = () => this.deps.throttle.interval('GetLogEvents') > 0;
      this.tail = new LogTail(info.stream, { logs: this.deps.logs, clock, log, signal, onFound, paced }, this.phases);
    }
    if (info.kind === 'named' && !this.announcedStream) this.announceStream(build);
  }

  /**
   * The stream exists: before its first lines, a status poll tells the phases before the
   * container (queued, provisioning), so they print in order.
   */
  private async streamFound(): Promise<void> {
    // Not in a crowded account (either operation paced: the pipelines beside this one poll too):
    // the phases then print a little late.
    if (!this.crowded()) {
      await this.pollStatus();
      this.polled();
    }
    // Polled or not, the log now tells what the build does: status polls can be rarer.
    this.planStatus();
    if (!this.announcedStream) this.announceStream(this.build);
  }

  /** One status poll; a throttled one is skipped: the next comes at the pace the throttle set. */
  private async pollStatus(): Promise<void> {
    try {
      this.absorb(await this.deps.codebuild.getBuild(this.build.id!, { poll: true }));
    } catch (error) {
      if (classify(error) !== 'throttle') throw error;
    }
  }

  private announceStream(build: Build): void {
    this.announcedStream = true;
    this.logsLink = this.deps.onStream?.(this.tail!.stream, build);
  }
}
