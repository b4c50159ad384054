/** What the user saw of a build's log, against what CloudWatch had and when: shared by the bench and the simulation. */
export interface PrintedAt {
  readonly text: string;
  readonly at: number;
}

export interface LineFigures {
  readonly latenciesMs: number[];
  readonly missing: number;
  readonly duplicated: number;
}

/** Per line the build wrote: how long after CloudWatch had it the user saw it; and lines never or twice seen. */
export function lineLatencies(printed: readonly PrintedAt[], lines: readonly { message: string; availableAt: number }[]): LineFigures {
  const byText = new Map<string, number[]>();
  for (const p of printed) byText.set(p.text, [...(byText.get(p.text) ?? []), p.at]);
  const latenciesMs: number[] = [];
  let missing = 0;
  let duplicated = 0;
  for (const line of lines) {
    const seen = byText.get(line.message.replace(/\n$/, '')) ?? [];
    if (seen.length === 0) missing++;
    // Agent markers repeat their text (same second, same phase), so only user lines count twice.
    if (seen.length > 1 && !line.message.startsWith('[Container]')) duplicated++;
    if (seen.length) latenciesMs.push(Math.max(0, seen[0]! - line.availableAt));
  }
  return { latenciesMs, missing, duplicated };
}

export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Throttled calls beyond each caller's first, as a share of all calls: the part the pacing
 * answers for. A caller learns of a crowd only from a throttle of its own, so its first is the
 * price of reading every second when alone.
 */
export function beyondFirstShare(calls: readonly { readonly who: string; readonly throttled: boolean }[]): number {
  const seen = new Set<string>();
  let beyond = 0;
  for (const c of calls) {
    if (!c.throttled) continue;
    if (seen.has(c.who)) beyond++;
    else seen.add(c.who);
  }
  return calls.length ? beyond / calls.length : 0;
}

/** The pipelines' p95 latencies, their median and worst, and the floor no design can beat: ingestion lag + N / log-read quota. */
export function crowdLatency(p95s: readonly number[], lagMs: number, logReadsPerSecond: number | undefined) {
  const sorted = [...p95s].sort((a, b) => a - b);
  return {
    p95s: sorted,
    medianP95Ms: sorted[Math.floor((sorted.length - 1) / 2)]!,
    worstP95Ms: sorted[sorted.length - 1]!,
    floorMs: lagMs + (1000 * sorted.length) / (logReadsPerSecond ?? Number.POSITIVE_INFINITY),
  };
}
