import { classify } from '../aws/errors';
import { describeFailure } from '../aws/failure';
import { ExpiredToken, type LogStream, type LogsApi } from '../aws/logs';
import type { Clock } from '../domain/clock';
import { LogCursor, type LogEvent, lineText } from '../domain/log-cursor';
import type { Log } from '../log/log';
import type { PhaseAnnouncer } from './phase-announcer';

/** Bounds one burst of page-following so status polls are not starved by a huge backlog. */
const MAX_PAGES_PER_READ = 50;

export interface LogTailDeps {
  readonly logs: LogsApi;
  readonly clock: Clock;
  readonly log: Log;
  readonly signal?: AbortSignal;
  /** Reads are paced at a crowded account's fair share: a page that is merely big waits for the next paced read. */
  readonly paced?: () => boolean;
  /** Called once, when the stream is first found to exist, before its first lines are printed. */
  readonly onFound?: () => Promise<void>;
}

/**
 * The first reads of a stream that does not exist yet do not back off: a fast provisioning (a
 * second or two) would otherwise leave the first lines waiting for a slowed probe.
 */
const EAGER_PROBES = 3;
/** A log that keeps failing is said once, then again at most this often. */
const WARN_EVERY_MS = 30_000;

/** One build's CloudWatch stream, read page by page into the CI log: every line once, in order. */
export class LogTail {
  private readonly cursor = new LogCursor();
  /** CloudWatch said there is nothing beyond what was printed (the same token back). */
  caughtUp = true;
  /** The last page suggests more is waiting right now. */
  moreLikely = false;
  /** Empty pages with new tokens in a row: read on, but at the normal pace. */
  stalled = false;
  /** Consecutive reads that brought nothing new. */
  emptyReads = 0;
  lastLineAt?: number;
  /** When the last read that got an answer was sent. */
  lastReadAt?: number;
  /** Reading failed for good (no permission): the watch goes on without the log. */
  gaveUp = false;
  /** CloudWatch has the stream (a read got an answer other than "no such stream"). */
  found = false;
  /** Lines printed from this stream. */
  printed = 0;
  /** Since when every read has failed (not throttled), while they do. */
  failingSince?: number;
  /** Reads that found no stream. */
  private missing = 0;
  private warnedAt?: number;

  constructor(
    readonly stream: LogStream,
    private readonly deps: LogTailDeps,
    private readonly phases: PhaseAnnouncer,
  ) {}

  /**
   * Read what is there now, following the token at once while more is likely waiting, or, once
   * the build has ended (`draining`), until CloudWatch proves the log complete.
   */
  async read(draining: boolean): Promise<void> {
    let fresh = 0;
    let answered = false;
    for (let page = 0; page < MAX_PAGES_PER_READ; page++) {
      const request = this.cursor.request();
      let sentAt = this.deps.clock.now();
      let result: Awaited<ReturnType<LogsApi['getPage']>>;
      try {
        result = await this.deps.logs.getPage(this.stream, request, { poll: true, follow: page > 0 });
      } catch (error) {
        if (this.deps.signal?.aborted) throw this.deps.signal.reason;
        if (error instanceof ExpiredToken) {
          this.cursor.dropToken();
          continue;
        }
        // Throttled: read again at the pace the throttle set; nothing is wrong with the log.
        if (classify(error) === 'throttle') break;
        this.failed(error);
        break;
      }
      // Only an answer tells what the log holds: a throttled or failed read proves no quiet. It
      // tells it as of when it left, which a wait for the pace may have put off.
      if (result?.sentAt !== undefined) sentAt = result.sentAt;
      this.lastReadAt = sentAt;
      this.failingSince = undefined;
      answered = true;
      if (!result) {
        this.caughtUp = true; // the stream does not exist yet
        this.moreLikely = false;
        break;
      }
      if (!this.found) {
        this.found = true;
        await this.deps.onFound?.();
      }
      const events = this.cursor.fresh(request, result);
      this.print(events);
      const reading = this.cursor.commit(request, result, events, sentAt);
      ({ caughtUp: this.caughtUp, moreLikely: this.moreLikely } = reading);
      this.stalled = !!reading.stalled;
      fresh += events.length;
      this.printed += events.length;
      if (this.caughtUp || this.stalled) break;
      // At a crowded account's pace, only a read surely behind follows at once: an empty page with
      // a new token, or old lines while the build still writes (once its last phase is logged,
      // old lines are just the end). Anything else, the drain included, waits its turn.
      const behind = this.moreLikely && (reading.sign === undefined || (reading.sign === 'history' && !this.phases.finalPhaseLogged));
      if (this.deps.paced?.() ? !behind : !(this.moreLikely || draining)) break;
    }
    if (fresh > 0) {
      this.lastLineAt = this.deps.clock.now();
      this.emptyReads = 0;
    } else if (answered && (this.found || ++this.missing > EAGER_PROBES)) this.emptyReads++; // a throttle says nothing of the log
  }

  /** A failed read proves nothing about the end of the log: caughtUp stays as it was. */
  private failed(error: unknown): void {
    const detail = describeFailure(error);
    const now = this.deps.clock.now();
    this.failingSince ??= now;
    if (classify(error) === 'permanent') {
      // Logs are a convenience; the verdict is what the step is for. Keep waiting without them.
      this.gaveUp = true;
      this.deps.log.warning(`Cannot read the build log (${detail}); waiting for the verdict without it. Logs need logs:GetLogEvents.`);
    } else if (this.warnedAt === undefined || now - this.warnedAt >= WARN_EVERY_MS) {
      // Each read gives up within seconds (so status polls go on), and is tried again at the next.
      this.warnedAt = now;
      const since = Math.round((now - this.failingSince) / 1000);
      this.deps.log.warning(`Reading the build log keeps failing (${detail})${since ? ` for ${since} s` : ''}; trying again.`);
    }
  }

  /** Print a page, with phase boundaries where the agent logged them. */
  private print(events: readonly LogEvent[]): void {
    let batch: string[] = [];
    const flush = () => {
      if (batch.length) this.deps.log.buildLines(batch);
      batch = [];
    };
    for (const event of events) {
      const line = lineText(event);
      const phaseEvents = this.phases.markers.feed(line, event.timestamp);
      const before = phaseEvents.filter((e) => !(e.kind === 'end' && e.afterLine));
      if (before.length) {
        flush();
        this.phases.fromLog(before);
      }
      batch.push(line);
      const after = phaseEvents.filter((e) => e.kind === 'end' && e.afterLine);
      if (after.length) {
        flush();
        this.phases.fromLog(after);
      }
    }
    flush();
  }
}
