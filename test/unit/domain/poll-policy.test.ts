import { logDrained, nextLogReadIn, nextStatusPollIn, DEFAULT_POLICY as P, type WatchFacts } from '../../../src/domain/poll-policy';

const facts = (f: Partial<WatchFacts> = {}): WatchFacts => ({
  now: 100_000,
  hasStream: true,
  awaitingStream: false,
  emptyReads: 0,
  finalPhaseLogged: false,
  caughtUp: true,
  logPacingMs: 0,
  statusPacingMs: 0,
  ...f,
});

describe('poll policy', () => {
  test('logs: quick while lines flow, immediate when pages wait, backing off to the quiet cap', () => {
    expect(nextLogReadIn(facts())).toBe(P.logActiveMs);
    expect(nextLogReadIn(facts({ caughtUp: false, moreLikely: true }))).toBe(0);
    // a short page while the build runs: the live edge, read again after the interval
    expect(nextLogReadIn(facts({ caughtUp: false }))).toBe(P.logActiveMs);
    // after the end only the same token proves the log complete: follow it now
    expect(nextLogReadIn(facts({ caughtUp: false, endSeenAt: 90_000 }))).toBe(0);
    // …but a run of empty pages (a quiet stretch) is followed at the normal pace, not in a loop
    expect(nextLogReadIn(facts({ caughtUp: false, stalled: true, endSeenAt: 90_000 }))).toBe(P.logActiveMs);
    expect(logDrained(facts({ caughtUp: false, stalled: true, endSeenAt: 0, now: 60_000, lastReadAt: 59_000 }))).toBe(false);
    const delays = [1, 2, 3, 4, 5, 10, 100].map((n) => nextLogReadIn(facts({ emptyReads: n })));
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(delays.at(-1)).toBe(P.logQuietMs);
  });

  test('never faster than the fair share the operation is paced at', () => {
    expect(nextLogReadIn(facts({ logPacingMs: 4_000 }))).toBe(4_000);
    expect(nextLogReadIn(facts({ logPacingMs: 4_000, moreLikely: true, caughtUp: false }))).toBe(4_000);
    expect(nextStatusPollIn(facts({ statusPacingMs: 30_000 }))).toBe(30_000);
    expect(nextLogReadIn(facts({ statusPacingMs: 8_000 }))).toBe(P.logActiveMs);
  });

  test('status: eager near the end, patient while quiet', () => {
    expect(nextStatusPollIn(facts({ finalPhaseLogged: true }))).toBe(P.statusNearEndMs);
    expect(nextStatusPollIn(facts({ hasStream: false, awaitingStream: true }))).toBe(P.statusWithoutLogMs);
    expect(nextStatusPollIn(facts({ emptyReads: 3 }))).toBe(P.statusQuietMs);
    expect(nextStatusPollIn(facts({ hasStream: false }))).toBe(P.statusWithoutLogMs);
  });

  test('a silent build stays within 20 calls a minute at the quickest jitter, reads within 5 s of a line arriving, and polls within 15 s', () => {
    const quiet = facts({ emptyReads: 50 });
    const perMinute = 60_000 / (nextLogReadIn(quiet) * 0.95) + 60_000 / (nextStatusPollIn(quiet) * (1 - P.statusQuietSpread));
    expect(perMinute).toBeLessThanOrEqual(20);
    expect(nextStatusPollIn(quiet) * (1 + P.statusQuietSpread)).toBeLessThanOrEqual(15_000);
    expect(nextLogReadIn(facts({ emptyReads: 50 })) * 1.05).toBeLessThanOrEqual(5_000);
    expect(60_000 / nextStatusPollIn(facts({ hasStream: false, awaitingStream: true }))).toBeLessThanOrEqual(20);
  });

  test('never drained before the end, however quiet', () => {
    expect(logDrained(facts({ emptyReads: 1000, lastReadAt: 99_000, lastLineAt: 0 }))).toBe(false);
  });

  test('after the end: drained once a read sent long enough after the last line found nothing', () => {
    const end = 100_000;
    const base = { endSeenAt: end, lastLineAt: end - 100 };
    expect(logDrained(facts({ ...base, now: end + 10_000, lastReadAt: end + P.drainQuietMs - 1 }))).toBe(false);
    expect(logDrained(facts({ ...base, now: end + 10_000, lastReadAt: end + P.drainQuietMs }))).toBe(true);
    // not caught up: pages still waiting
    expect(logDrained(facts({ ...base, now: end + 10_000, lastReadAt: end + P.drainQuietMs, caughtUp: false }))).toBe(false);
    // a late line resets the quiet period
    expect(logDrained(facts({ ...base, lastLineAt: end + 3_000, now: end + 9_000, lastReadAt: end + 7_000 }))).toBe(false);
  });

  test('after the end, reads that keep failing are given up soon; throttled ones (a crowd) are read on', () => {
    const end = 100_000;
    const unanswered = { endSeenAt: end, lastReadAt: end - 10_000, lastLineAt: end - 12_000 };
    const failing = { ...unanswered, logFailingSince: end - 30_000 };
    expect(logDrained(facts({ ...failing, now: end + P.drainFailingMs - 1 }))).toBe(false);
    expect(logDrained(facts({ ...failing, now: end + P.drainFailingMs }))).toBe(true);
    // failing only since after the end: counted from then
    expect(logDrained(facts({ ...unanswered, logFailingSince: end + 3_000, now: end + P.drainFailingMs + 2_000 }))).toBe(false);
    // throttled, not failing: the backlog's bound
    expect(logDrained(facts({ ...unanswered, now: end + 5 * 60_000 }))).toBe(false);
    expect(logDrained(facts({ ...unanswered, now: end + P.backlogMaxMs }))).toBe(true);
  });

  test('once the agent logged its last phase only a short settle is needed', () => {
    const end = 100_000;
    expect(logDrained(facts({ endSeenAt: end, finalPhaseLogged: true, lastLineAt: end, lastReadAt: end + P.drainAfterFinalPhaseMs }))).toBe(true);
  });

  test('a read made before the status told the end never proves the log complete, even after the last marker', () => {
    // CloudWatch bounds no ingestion delay, and a build may print a nested build's markers.
    const f = { finalPhaseLogged: true, lastLineAt: 50_000, endSeenAt: 60_000, now: 60_000 };
    expect(logDrained(facts({ ...f, lastReadAt: 59_000 }))).toBe(false);
    expect(logDrained(facts({ ...f, lastReadAt: 60_000 + P.drainAfterFinalPhaseMs }))).toBe(true);
  });

  test('after the end, reads that never get an answer (throttled, failing) are given up on, not waited on forever', () => {
    const f = { endSeenAt: 0, caughtUp: true, lastReadAt: undefined };
    expect(logDrained(facts({ ...f, now: P.drainMaxMs }))).toBe(false);
    expect(logDrained(facts({ ...f, now: P.backlogMaxMs }))).toBe(true);
    // answered before the end, then never again: the same 10 minutes, not the 1-minute quiet cap
    const since = { endSeenAt: 10_000, caughtUp: true, lastReadAt: 9_000 };
    expect(logDrained(facts({ ...since, now: 10_000 + P.drainMaxMs }))).toBe(false);
    expect(logDrained(facts({ ...since, now: 10_000 + P.backlogMaxMs }))).toBe(true);
  });

  test('in a crowded account the verdict is asked for a few seconds after the last phase, not in the same second as everyone', () => {
    expect(nextStatusPollIn(facts({ finalPhaseLogged: true, crowded: true }))).toBe(P.statusNearEndCrowdedMs);
    expect(P.statusNearEndCrowdedMs).toBeGreaterThan(P.statusNearEndMs);
    // while lines flow, the log tells the phases: status polls are rare
    expect(nextStatusPollIn(facts())).toBe(P.statusWithLogsMs);
    expect(P.statusWithLogsMs).toBeGreaterThanOrEqual(30_000);
  });

  test('no stream (logs disabled or never created): done at the end', () => {
    expect(logDrained(facts({ hasStream: false, endSeenAt: 1 }))).toBe(true);
  });

  test('a known backlog is read to its end, however long after the end; only a runaway one is cut', () => {
    expect(logDrained(facts({ endSeenAt: 0, now: P.drainMaxMs * 2, caughtUp: false, lastReadAt: P.drainMaxMs * 2 }))).toBe(false);
    expect(logDrained(facts({ endSeenAt: 0, now: P.backlogMaxMs, caughtUp: false }))).toBe(true);
  });

  test('caught up but never quiet (lines keep trickling in): stop waiting after drainMaxMs', () => {
    expect(logDrained(facts({ endSeenAt: 0, now: P.drainMaxMs, lastLineAt: P.drainMaxMs - 10, lastReadAt: P.drainMaxMs }))).toBe(true);
  });
});
