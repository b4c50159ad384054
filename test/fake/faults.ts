/**
 * What the fake does to a request before answering it: throttle, fail, drop, stall, or quota.
 * `html502` and `xml500` answer as what sits between the client and AWS can: a proxy's or
 * gateway's HTML error page, or an emulator's XML body to a JSON API (shared/README §2b).
 * `acted500` carries the request out, then answers 500.
 */
export type FaultKind = 'throttle' | 'error500' | 'unavailable503' | 'reset' | 'stall' | 'html502' | 'xml500' | 'acted500';

export interface FaultOptions {
  /** Probability per request of each fault, for every operation or per operation name. */
  readonly rates?: Partial<Record<FaultKind, number>>;
  readonly ratesByOp?: Readonly<Record<string, Partial<Record<FaultKind, number>>>>;
  /** How long a stalled request hangs before its connection is dropped. */
  readonly stallMs?: number;
  /** Requests per second per operation, shared by all clients: beyond it, ThrottlingException. */
  readonly quotas?: Readonly<Record<string, number>>;
  /**
   * How a quota is enforced. AWS documents a token bucket for its API throttling where it
   * documents one (EC2, ECS, ELB: a bucket refilled at the sustained rate, whose capacity is the
   * burst, "the maximum number of API requests allowed in any one second"; EC2's DescribeHosts:
   * 100 tokens, 20 a second). CloudWatch Logs and CodeBuild document no algorithm, only a
   * per-second figure (or, for BatchGetBuilds, none). 'bucket' (the default) is the tightest
   * bucket that figure allows: as many tokens as the per-second quota, refilled at it, no burst
   * beyond. 'window' is stricter still, kept for comparison: at most that many accepted requests
   * in any sliding second, which throttles random arrivals far more (12 % of them at 80 % of a
   * 10/s quota, against 0.4 % for the bucket).
   */
  readonly quotaRule?: 'bucket' | 'window';
  readonly seed?: number;
}

/** mulberry32: tiny, seeded, good enough to make fault runs reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private options: FaultOptions;
  private random: () => number;
  private readonly scheduled: { op: string; kind: FaultKind; count: number }[] = [];
  private readonly windows = new Map<string, number[]>();

  constructor(options: FaultOptions = {}) {
    this.options = options;
    this.random = seededRandom(options.seed ?? 1);
  }

  set(options: FaultOptions): void {
    this.options = options;
    if (options.seed !== undefined) this.random = seededRandom(options.seed);
  }

  get stallMs(): number {
    return this.options.stallMs ?? 30_000;
  }

  /** The next `count` calls of `op` (or '*') fail with `kind`. */
  failNext(op: string, kind: FaultKind, count = 1): void {
    this.scheduled.push({ op, kind, count });
  }

  /**
   * The fault for this request, if any. Quota first: it is what shared accounts hit. `aimed`: only
   * faults set for this operation by name (S3's requests, which the JSON services' quotas, global
   * rates and '*' plans are not meant for: they must neither consume those nor the random draws).
   */
  decide(op: string, now: number, aimed = false): FaultKind | undefined {
    if (!aimed && this.overQuota(op, now)) return 'throttle';
    const planned = this.scheduled.find((s) => (s.op === op || (!aimed && s.op === '*')) && s.count > 0);
    if (planned) {
      planned.count--;
      return planned.kind;
    }
    const rates = { ...(aimed ? {} : this.options.rates), ...this.options.ratesByOp?.[op] };
    for (const [kind, rate] of Object.entries(rates) as [FaultKind, number][]) {
      if (rate > 0 && this.random() < rate) return kind;
    }
    return undefined;
  }

  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  private overQuota(op: string, now: number): boolean {
    const limit = this.options.quotas?.[op];
    if (!limit) return false;
    if ((this.options.quotaRule ?? 'bucket') === 'bucket') {
      const b = this.buckets.get(op) ?? { tokens: limit, at: now };
      b.tokens = Math.min(limit, b.tokens + ((now - b.at) / 1000) * limit);
      b.at = now;
      this.buckets.set(op, b);
      if (b.tokens < 1) return true;
      b.tokens -= 1;
      return false;
    }
    const recent = (this.windows.get(op) ?? []).filter((t) => now - t < 1_000);
    const over = recent.length >= limit;
    if (!over) recent.push(now);
    this.windows.set(op, recent);
    return over;
  }
}
