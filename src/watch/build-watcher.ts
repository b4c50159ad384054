import type { Build } from '@aws-sdk/client-codebuild';
import type { CodeBuildApi } from '../aws/codebuild';
import type { LogStream, LogsApi } from '../aws/logs';
import type { Throttle } from '../aws/throttle';
import { BEFORE_CONTAINER, containerMayHaveRun, isRecorded } from '../domain/build-progress';
import type { Clock } from '../domain/clock';
import { streamOf } from '../domain/log-stream';
import { DEFAULT_POLICY, logDrained, type PollPolicy, type WatchFacts } from '../domain/poll-policy';
import { isFinal } from '../domain/verdict';
import type { Log } from '../log/log';
import { logEndWarning } from './log-end';
import { LogTail } from './log-tail';
import { PhaseAnnouncer } from './phase-announcer';
import { unlessThrottled } from './polling';
import { WatchSchedule } from './watch-schedule';

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
  /** A parent's own poll (a batch's, a pipeline's) saw this build end: its status is worth asking now. */
  readonly endedElsewhere?: () => boolean;
}

/** A final status whose record is incomplete is polled again, a second apart, a few times at most. */
const MAX_SETTLE_POLLS = 3;
/** A throttle this recent means a crowded account. */
const CROWD_MEMORY_MS = 120_000;

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
  private readonly schedule: WatchSchedule;
  private lastPhase?: string;
  /** Polls after the final status, waiting for CodeBuild to finish the build's record. */
  private settlePolls = 0;

  constructor(
    initial: Build,
    private readonly deps: WatchDeps,
  ) {
    this.build = initial;
    this.policy = deps.policy ?? DEFAULT_POLICY;
    this.phases = new PhaseAnnouncer(deps.log);
    this.schedule = new WatchSchedule(() => deps.clock.now(), this.policy, deps.random ?? Math.random);
  }

  async run(): Promise<Build> {
    const { clock, signal } = this.deps;
    const schedule = this.schedule;
    this.absorb(this.build);
    schedule.polled(this.facts());
    schedule.readNow();
    for (;;) {
      signal?.throwIfAborted();
      if (this.endSeenAt === undefined && this.deps.endedElsewhere?.()) schedule.statusDue = Math.min(schedule.statusDue, clock.now());
      if (clock.now() >= schedule.statusDue) {
        await this.pollStatus();
        schedule.polled(this.facts());
      }
      if (this.tail && clock.now() >= schedule.logsDue) {
        await this.readLogs(this.tail);
        schedule.readDone(this.facts());
      }
      const f = this.facts();
      if (f.endSeenAt !== undefined && !f.unsettled && logDrained(f, this.policy)) break;
      await clock.sleep(Math.max(0, schedule.wake(!!this.tail) - clock.now()), signal);
    }
    this.warnIfCut();
    this.phases.flush();
    this.phases.fromStatus(this.build, () => true);
    return this.build;
  }

  /** What the log's end leaves to say (never found, or given up on before CloudWatch proved it complete). */
  private warnIfCut(): void {
    // No stream to read (the build ended before its container ran): nothing was cut.
    if (!this.tail || this.endSeenAt === undefined || !this.facts().hasStream) return;
    const warning = logEndWarning(this.tail, this.endSeenAt, this.logsLink);
    if (warning) this.deps.log.warning(warning);
  }

  private async readLogs(tail: LogTail): Promise<void> {
    await tail.read(this.endSeenAt !== undefined);
    if (tail.gaveUp) {
      this.tail = undefined;
      this.logsUnavailable = true;
    }
  }

  /** Throttled lately: other pipelines poll this account too. */
  private crowded(): boolean {
    return this.deps.throttle.throttledWithin(CROWD_MEMORY_MS);
  }

  private facts(): WatchFacts {
    const tail = this.tail;
    return {
      now: this.deps.clock.now(),
      // A stream to read: found, or expected and the container may have written to it.
      hasStream: !!tail && (tail.found || containerMayHaveRun(this.build)),
      probingStream: !!tail && !tail.found,
      awaitingStream: this.deps.tailLogs && !tail?.found && !this.logsUnavailable,
      emptyReads: tail?.emptyReads ?? 0,
      finalPhaseLogged: this.phases.finalPhaseLogged,
      endSeenAt: this.endSeenAt,
      endedAt: this.build.endTime?.getTime(),
      lastLineAt: tail?.lastLineAt,
      lastReadAt: tail?.lastReadAt,
      logFailingSince: tail?.failingSince,
      caughtUp: tail?.caughtUp ?? true,
      moreLikely: tail?.moreLikely ?? false,
      stalled: tail?.stalled ?? false,
      logPacingMs: this.deps.throttle.delay('GetLogEvents'),
      statusPacingMs: this.deps.throttle.delay('BatchGetBuilds'),
      crowded: this.crowded(),
      unsettled: this.endSeenAt !== undefined && !isRecorded(this.build) && this.settlePolls < MAX_SETTLE_POLLS,
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
      this.schedule.readNow();
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
      this.schedule.polled(this.facts());
    }
    // Polled or not, the log now tells what the build does: status polls can be rarer.
    this.schedule.planStatus(this.facts());
    if (!this.announcedStream) this.announceStream(this.build);
  }

  /** One status poll; a throttled one is skipped: the next comes at the pace the throttle set. */
  private async pollStatus(): Promise<void> {
    if (this.endSeenAt !== undefined) this.settlePolls++;
    const polled = await unlessThrottled(() => this.deps.codebuild.getBuild(this.build.id ?? '', { poll: true }));
    if (polled) this.absorb(polled);
  }

  private announceStream(build: Build): void {
    this.announcedStream = true;
    this.logsLink = this.deps.onStream?.(this.tail!.stream, build);
  }
}
