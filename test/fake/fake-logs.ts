import { AwsError, type Json } from './aws-error';
import type { FakeBuild } from './fake-build';
import { seededRandom } from './faults';

/** How GetLogEvents cuts the visible events into pages. */
export interface PagingOptions {
  /**
   * Most events in a page. CloudWatch documents ≤ 10,000 events or 1 MB, but "a returned page
   * might only be partially full, or even empty … partially full or empty pages don't
   * necessarily mean that pagination is finished" (GetLogEvents API reference); users saw pages
   * of ~285 events with limit 10,000 (boto/boto3#4472). Pages here hold a random number of
   * events up to this cap.
   */
  readonly maxPageEvents?: number;
  /** Chance that a page is empty, with a new token, although events are waiting (same sources). */
  readonly emptyPageRate?: number;
  /**
   * A quiet stretch in a stream comes back as a run of empty pages, each with a new token
   * (boto/boto3#3718): before an event written `afterMs` or more after the one before it, this
   * many empty pages.
   */
  readonly gapEmptyPages?: { readonly afterMs: number; readonly pages: number };
  /** Every page as full as the limits allow (the fake's old, too kind behaviour). */
  readonly fullPages?: boolean;
  /** CloudWatch tokens older than this are rejected (InvalidParameterException). */
  readonly tokenTtlMs?: number;
  readonly seed?: number;
}

const MAX_EVENTS = 10_000;
const MAX_BYTES = 1_048_576;
/** CloudWatch counts 26 bytes of overhead per event towards the 1 MB. */
const EVENT_OVERHEAD = 26;

/** GetLogEvents over the fake builds' streams, paged the way CloudWatch pages. */
export class FakeLogs {
  private readonly issued = new Map<string, number>();
  /** Empty pages served so far before a gap, by stream and position. */
  private readonly gapPages = new Map<string, number>();
  private readonly random: () => number;
  private minted = 0;

  constructor(
    private readonly options: PagingOptions,
    private readonly now: () => number,
  ) {
    this.random = seededRandom(options.seed ?? 17);
  }

  getLogEvents(request: Json, builds: Iterable<FakeBuild>): Json {
    const build = [...builds].find((b) => b.group === request.logGroupName && b.stream === request.logStreamName);
    if (!build?.streamExists(this.now())) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const visible = build.visibleLines(this.now());
    const from = this.position(request, visible);
    if (this.beforeGap(build, visible, from)) return { events: [], nextForwardToken: this.mint(from, build), nextBackwardToken: `b/${from}` };
    const size = this.pageSize(Math.min(Number(request.limit ?? MAX_EVENTS), MAX_EVENTS), visible.length - from);
    const events: Json[] = [];
    let bytes = 0;
    for (let i = from; i < visible.length && events.length < size; i++) {
      const line = visible[i]!;
      // Pages cover stretches of time: one ends where the log went quiet.
      if (events.length > 0 && this.options.gapEmptyPages && line.timestamp - visible[i - 1]!.timestamp >= this.options.gapEmptyPages.afterMs) break;
      bytes += Buffer.byteLength(line.message) + EVENT_OVERHEAD;
      if (bytes > MAX_BYTES && events.length > 0) break;
      events.push({ timestamp: line.timestamp, message: line.message, ingestionTime: line.availableAt });
    }
    const atEnd = from + events.length >= visible.length;
    // At the end of the stream CloudWatch hands back the very token it was given; anywhere else
    // (an empty page included) a new one: "as long as the nextForwardToken returned is NOT equal
    // to the nextToken that you passed, there might be more log events" (API reference).
    const token = atEnd && events.length === 0 && request.nextToken ? request.nextToken : this.mint(from + events.length, build);
    return { events, nextForwardToken: token, nextBackwardToken: `b/${String(from).padStart(20, '0')}` };
  }

  /** Where a request starts: after its token, or at the first event at or after startTime. */
  private position(request: Json, visible: readonly { timestamp: number }[]): number {
    if (request.nextToken) {
      const issuedAt = this.issued.get(request.nextToken);
      if (issuedAt === undefined) throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
      if (this.options.tokenTtlMs !== undefined && this.now() - issuedAt > this.options.tokenTtlMs) {
        throw new AwsError('InvalidParameterException', 'The specified nextToken has expired.');
      }
      return Number(String(request.nextToken).split('/')[1]);
    }
    if (request.startTime === undefined) return 0;
    const at = visible.findIndex((l) => l.timestamp >= request.startTime);
    return at < 0 ? visible.length : at;
  }

  private beforeGap(build: FakeBuild, visible: readonly { timestamp: number }[], from: number): boolean {
    const gap = this.options.gapEmptyPages;
    if (!gap || from === 0 || from >= visible.length || visible[from]!.timestamp - visible[from - 1]!.timestamp < gap.afterMs) return false;
    const key = `${build.id}/${from}`;
    const served = this.gapPages.get(key) ?? 0;
    if (served >= gap.pages) return false;
    this.gapPages.set(key, served + 1);
    return true;
  }

  private pageSize(limit: number, waiting: number): number {
    if (this.options.fullPages || waiting <= 0) return limit;
    if (this.random() < (this.options.emptyPageRate ?? 0.05)) return 0;
    const cap = Math.min(limit, this.options.maxPageEvents ?? limit);
    return 1 + Math.floor(this.random() * cap);
  }

  /** A token for a position; each one distinct, as CloudWatch's are, even for the same position. */
  private mint(position: number, build: FakeBuild): string {
    const token = `f/${String(position).padStart(20, '0')}/${build.uuid.slice(0, 8)}/${++this.minted}`;
    this.issued.set(token, this.now());
    return token;
  }
}
