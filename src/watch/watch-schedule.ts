import { nextLogReadIn, nextStatusPollIn, type PollPolicy, quietStatus, type WatchFacts } from '../domain/poll-policy';

/**
 * When the watch loop calls next: a log read and a status poll, each due at a time the poll
 * policy sets from what the loop knows. Jittered so pipelines started together drift apart.
 */
export class WatchSchedule {
  logsDue: number;
  statusDue = 0;
  private lastStatusAt: number;
  /** This status interval's random spread, drawn at each poll. */
  private statusSpread = 1;
  /** When the log first showed the agent's last phase done. */
  private finalLoggedAt?: number;

  constructor(
    private readonly now: () => number,
    private readonly policy: PollPolicy,
    private readonly random: () => number,
  ) {
    this.logsDue = now();
    this.lastStatusAt = now();
  }

  /** A status poll was made (or stood in for): the next is planned from now, with a new spread. */
  polled(f: WatchFacts): void {
    this.lastStatusAt = this.now();
    // Status polls are rare and nobody waits on them: spread wide (±25%, ±50% in a crowd) so
    // pipelines started together do not poll together; narrower while quiet, where the slowest
    // poll is how late a silent end is noticed.
    this.statusSpread = this.jitter(1, f.crowded ? 0.5 : quietStatus(f) ? this.policy.statusQuietSpread : 0.25);
    this.planStatus(f);
  }

  /**
   * The next status poll, from the last one and what is known now: sooner once the last phase
   * is logged, later once the log has gone quiet; none once the end is known and recorded.
   */
  planStatus(f: WatchFacts): void {
    if (!f.finalPhaseLogged) this.finalLoggedAt = undefined;
    else if (this.finalLoggedAt === undefined) this.finalLoggedAt = this.now();
    const ended = f.endSeenAt !== undefined && !f.unsettled;
    // In a crowd, the verdict's wait counts from the last phase's marker, so the pipelines that
    // see theirs together do not all ask at once because their last poll was long ago.
    const from = f.crowded && this.finalLoggedAt !== undefined ? Math.max(this.lastStatusAt, this.finalLoggedAt) : this.lastStatusAt;
    // Quiet since the poll drew its spread: held to the quiet spread, so a silent end is still noticed in time.
    const q = this.policy.statusQuietSpread;
    const spread = quietStatus(f) && !f.crowded ? Math.min(1 + q, Math.max(1 - q, this.statusSpread)) : this.statusSpread;
    this.statusDue = ended ? Number.POSITIVE_INFINITY : from + spread * nextStatusPollIn(f, this.policy);
  }

  /** After a read. After the end only the drain's settle is left: exact, so no jitter below it costs a read. */
  readDone(f: WatchFacts): void {
    const next = nextLogReadIn(f, this.policy);
    // Quiet reads spread less: their slowest bounds how late the first line after a silence is.
    const spread = next >= this.policy.logQuietMs ? 0.05 : 0.1;
    this.logsDue = this.now() + (f.endSeenAt === undefined ? this.jitter(next, spread) : next);
    this.planStatus(f);
  }

  /** Lines are on their way (a new phase, the end): read now. */
  readNow(): void {
    this.logsDue = Math.min(this.logsDue, this.now());
  }

  /** When the loop next has something to do. */
  wake(reading: boolean): number {
    return Math.min(this.statusDue, reading ? this.logsDue : Number.POSITIVE_INFINITY);
  }

  private jitter(ms: number, spread = 0.1): number {
    return ms * (1 - spread + 2 * spread * this.random());
  }
}
