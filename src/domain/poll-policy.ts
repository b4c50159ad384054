/**
 * When to call AWS next. Quick while lines flow or the end is near, frugal while the build is
 * quiet, never faster than this process's fair share of the account's quotas (FairShare):
 * every pipeline in the account shares them. Status polls are rare while the log tells what the
 * build is doing: the agent logs each phase, and its last one calls for the verdict at once.
 */
export interface PollPolicy {
  /** Log read interval while lines are arriving. */
  readonly logActiveMs: number;
  /** Each empty read stretches the interval by this factor … */
  readonly logBackoff: number;
  /** … up to this. */
  readonly logQuietMs: number;
  /** Status poll interval while logs tell us what is happening. */
  readonly statusWithLogsMs: number;
  /** Status poll interval while the build is quiet or its logs are not tailed. */
  readonly statusQuietMs: number;
  /** Its spread either way: narrow, so the slowest poll still notices a silent end in time and the quickest stays within budget. */
  readonly statusQuietSpread: number;
  /**
   * The same for a build a parent follows (a batch's child, a pipeline's CodeBuild action): the
   * parent's own poll tells when it ends, so its quiet status polls can be rare.
   */
  readonly childStatusQuietMs: number;
  /** Status poll interval with no log to read: logs disabled, or not tailed. */
  readonly statusWithoutLogMs: number;
  /** Status poll interval while the expected stream is read before it exists (the log will say when it starts). */
  readonly statusWhileProbingMs: number;
  /** Status poll interval once the log says the build is done: only the verdict is missing. */
  readonly statusNearEndMs: number;
  /**
   * The same in a crowded account: pipelines started together see their last phases together,
   * and their verdicts can wait a few seconds rather than all be asked for in the same one.
   */
  readonly statusNearEndCrowdedMs: number;
  /** After the end, how long the log must stay quiet before we stop reading it. */
  readonly drainQuietMs: number;
  /** The same when the agent already logged its last phase: only the ingestion tail is left. */
  readonly drainAfterFinalPhaseMs: number;
  /** Stop waiting for more lines this long after the end, once caught up with what is there. */
  readonly drainMaxMs: number;
  /** A backlog is read to its end, but not past this (the log then stays in CloudWatch). */
  readonly backlogMaxMs: number;
  /**
   * After the end, reads that keep failing (5xx, a proxy's page: not throttles, which a crowd
   * explains and the pace answers) are given up this soon: the verdict is not held for an outage
   * of CloudWatch Logs, and the log stays there.
   */
  readonly drainFailingMs: number;
  /** A pipeline execution's status and actions (two calls) this often… */
  readonly pipelineMs: number;
  /** …and this rarely while it only waits for a manual approval. */
  readonly pipelineApprovalMs: number;
}

export const DEFAULT_POLICY: PollPolicy = {
  // ×1.1 jitter at most: lines read within a second of CloudWatch having them, some margin left.
  logActiveMs: 950,
  logBackoff: 1.5,
  // ×1.05 jitter at most (quiet reads are spread ±5 %): a line after a silence is read within
  // 5 s of CloudWatch having it.
  logQuietMs: 4_500,
  statusWithLogsMs: 30_000,
  // A silent stretch ends unannounced when only the status tells (a stop from the console, a
  // fault): noticed within 15 s (14.2 s, +5% at most). A quiet minute then costs 13.3 log reads
  // and 4.2 status polls (at most 14.0 and 4.4 at the quickest jitter): under the 20 allowed in
  // any minute.
  statusQuietMs: 14_200,
  statusQuietSpread: 0.05,
  childStatusQuietMs: 75_000,
  statusWithoutLogMs: 4_000,
  statusWhileProbingMs: 10_000,
  statusNearEndMs: 1_000,
  statusNearEndCrowdedMs: 6_000,
  drainQuietMs: 5_000,
  drainAfterFinalPhaseMs: 800,
  drainMaxMs: 60_000,
  backlogMaxMs: 10 * 60_000,
  drainFailingMs: 5_000,
  pipelineMs: 10_000,
  pipelineApprovalMs: 30_000,
};

/** What the loop knows; everything the decisions below need, nothing more. */
export interface WatchFacts {
  readonly now: number;
  /** A log stream to read that CloudWatch has. */
  readonly hasStream: boolean;
  /** The stream the build's LogsConfig gives is read before it exists. */
  readonly probingStream?: boolean;
  /** Tailing wanted but CodeBuild has not named the stream yet. */
  readonly awaitingStream: boolean;
  /** Consecutive log reads that brought nothing new. */
  readonly emptyReads: number;
  /** The agent logged the completion of its last phase. */
  readonly finalPhaseLogged: boolean;
  /** When the loop first saw a terminal status. */
  readonly endSeenAt?: number;
  /** When CodeBuild says the build ended (its record's endTime), once it says. */
  readonly endedAt?: number;
  /** When the last new line arrived (or the stream was first read). */
  readonly lastLineAt?: number;
  /** CloudWatch said there is nothing beyond what was printed (the same token back). */
  readonly caughtUp: boolean;
  /** The last page suggests more is waiting right now. */
  readonly moreLikely?: boolean;
  /** Empty pages with new tokens in a row: not the end, but nothing to hurry for. */
  readonly stalled?: boolean;
  /** When the last log read was sent. */
  readonly lastReadAt?: number;
  /** Since when every log read has failed (not throttled), while they do. */
  readonly logFailingSince?: number;
  /** The spacing this process's fair share allows for log reads / status polls (0: unpaced). */
  readonly logPacingMs: number;
  readonly statusPacingMs: number;
  /** This process was throttled: other pipelines share the account's quotas. */
  readonly crowded?: boolean;
  /** The status is final, but CodeBuild has not finished the build's record (no end time, not complete). */
  readonly unsettled?: boolean;
}

export function nextLogReadIn(f: WatchFacts, p: PollPolicy = DEFAULT_POLICY): number {
  return Math.max(logPolicyInterval(f, p), f.logPacingMs);
}

function logPolicyInterval(f: WatchFacts, p: PollPolicy): number {
  // More pages are probably waiting, or the build has ended and only the same token back proves
  // the log complete: follow the token now.
  if (f.moreLikely) return 0;
  if (f.endSeenAt !== undefined && !f.caughtUp) return f.stalled ? p.logActiveMs : 0;
  if (f.endSeenAt !== undefined) return f.finalPhaseLogged ? p.drainAfterFinalPhaseMs : p.logActiveMs;
  return Math.min(p.logQuietMs, p.logActiveMs * p.logBackoff ** f.emptyReads);
}

/** The build is quiet and only a status poll can tell it ended: the log has no more to say. */
export function quietStatus(f: WatchFacts): boolean {
  return !f.unsettled && !f.finalPhaseLogged && !f.probingStream && f.hasStream && f.emptyReads > 0;
}

export function nextStatusPollIn(f: WatchFacts, p: PollPolicy = DEFAULT_POLICY): number {
  let base: number;
  if (f.unsettled) base = p.statusNearEndMs;
  else if (f.finalPhaseLogged) base = f.crowded ? p.statusNearEndCrowdedMs : p.statusNearEndMs;
  else if (f.probingStream) base = p.statusWhileProbingMs;
  else if (!f.hasStream) base = p.statusWithoutLogMs;
  else if (f.emptyReads === 0) base = p.statusWithLogsMs;
  else base = p.statusQuietMs;
  return Math.max(base, f.statusPacingMs);
}

/**
 * After the end, CloudWatch still delivers the last lines for a few seconds (ingestion lag).
 * Stop once caught up and quiet for long enough; sooner when the agent logged its last phase.
 */
export function logDrained(f: WatchFacts, p: PollPolicy = DEFAULT_POLICY): boolean {
  if (f.endSeenAt === undefined) return false;
  if (!f.hasStream) return true;
  // Behind, or no read answered since the end (every one throttled or failing): read on, but
  // not forever.
  if (!f.caughtUp || f.lastReadAt === undefined || f.lastReadAt < f.endSeenAt) {
    const failingFor = f.logFailingSince === undefined ? 0 : f.now - Math.max(f.logFailingSince, f.endSeenAt);
    return failingFor >= p.drainFailingMs || f.now - f.endSeenAt >= p.backlogMaxMs;
  }
  // Caught up, but lines keep trickling in long after the end: stop waiting for quiet.
  if (f.now - f.endSeenAt >= p.drainMaxMs) return true;
  // Quiet is judged by a read sent after the end and after the last line, not by the clock
  // alone, nor by a read from before the status told the end: CloudWatch bounds no ingestion
  // delay, and a build's own output may hold a line that looks like the agent's last marker.
  // Ingestion lag runs from when a line was written, and nothing is written after the build's
  // end: when the status told the end late (a silent build stopped), the time since CodeBuild's
  // endTime counts too, so one caught-up read can be enough.
  // Only a credit that fits what a status poll can be late by: a runner's clock ahead of AWS's, or
  // an odd endTime from another implementation, must not cut the drain short.
  const credit = f.endedAt === undefined ? 0 : f.endSeenAt - f.endedAt;
  const end = credit > 0 && credit <= p.statusQuietMs * (1 + p.statusQuietSpread) ? f.endSeenAt - credit : f.endSeenAt;
  const quiet = f.lastReadAt - Math.max(f.lastLineAt ?? end, end);
  return quiet >= (f.finalPhaseLogged ? p.drainAfterFinalPhaseMs : p.drainQuietMs);
}

/** The policy for a build a parent follows: quiet status polls left to the parent's poll. */
export function childPolicy(p: PollPolicy = DEFAULT_POLICY): PollPolicy {
  return { ...p, statusQuietMs: p.childStatusQuietMs, statusQuietSpread: 0.25 };
}
