/**
 * Position in a CloudWatch log stream. The cursor only moves past a page once the caller has
 * printed it, so a failed or retried read can never skip or repeat a line.
 */
export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime?: number;
}

export interface LogPage {
  readonly events: readonly LogEvent[];
  readonly nextForwardToken?: string;
  /** When the request that got this page left: after any wait for the pace or a retry. */
  readonly sentAt?: number;
}

/** Either continue from a token, or (first read, or after a token expired) from a time. */
export interface LogRequest {
  readonly token?: string;
  readonly startTime?: number;
}

/**
 * Events we ask for per page. GetLogEvents allows 10,000 (and at most 1 MB, counting 26 bytes
 * of overhead per event); half of that streams a 100k-line log just as fast with ~15 MB less
 * peak memory.
 */
export const PAGE_EVENT_LIMIT = 5_000;

/** What a printed page says about what is left behind it. */
export interface PageReading {
  /**
   * Nothing more is there now. Only CloudWatch handing back the token it was sent proves it:
   * "partially full or empty pages don't necessarily mean that pagination is finished. As long as
   * the nextForwardToken returned is NOT equal to the nextToken that you passed into the API
   * call, there might be more log events available" (GetLogEvents API reference).
   */
  readonly caughtUp: boolean;
  /**
   * More is probably waiting right now, so read on at once rather than after a read interval:
   * an empty page with a new token, a page big enough to have been cut by a page limit, or one
   * whose newest line is older than the live edge (a backlog being read).
   */
  readonly moreLikely: boolean;
  /**
   * Why moreLikely: the page is big (its newest line at the live edge), or its newest line is old
   * (history: a backlog, or just the end of what was written); none for an empty page with a new
   * token. At a crowded account's pace, a read follows at once only where it is surely behind.
   */
  readonly sign?: 'size' | 'history';
  /**
   * Several empty pages in a row, each with a new token: not the end (only the same token is),
   * but no reason to follow at once either; a quiet stretch in the log reads like this
   * (boto/boto3#3718), and such runs have been seen to go on (aws/aws-sdk-js-v3#3099).
   */
  readonly stalled?: boolean;
}

/**
 * A page this big was likely cut by one of CloudWatch's page limits (users see ~285-event pages
 * whatever the limit asked, boto/boto3#4472); a live tail read every second rarely finds this many.
 */
const CUT_PAGE_EVENTS = 100;
const CUT_PAGE_BYTES = 64 * 1024;
/** A page whose newest line was ingested this long before the read is history, not the live edge. */
const HISTORY_AGE_MS = 2_000;
/**
 * Empty pages with ever-new tokens are documented as possible, and have been seen to go on
 * (aws/aws-sdk-js-v3#3099, dstackai/dstack#2501): after this many in a row, stop following at
 * once, and read on at the normal pace; the stream is still not proven complete.
 */
const EMPTY_PAGES_IN_A_ROW = 3;

export class LogCursor {
  private token?: string;
  private lastTimestamp?: number;
  /** Events already printed that carry `lastTimestamp`, to skip when resuming by time. */
  private printedAtLastTimestamp = 0;

  request(): LogRequest {
    if (this.token) return { token: this.token };
    return this.lastTimestamp === undefined ? {} : { startTime: this.lastTimestamp };
  }

  /** The events of `page` (read with `request`) that have not been printed yet. */
  fresh(request: LogRequest, page: LogPage): readonly LogEvent[] {
    if (request.token !== undefined || request.startTime === undefined) return page.events;
    // Resuming by time re-reads the events at lastTimestamp: skip the ones already printed.
    let skip = this.printedAtLastTimestamp;
    return page.events.filter((e) => !(e.timestamp === this.lastTimestamp && skip-- > 0));
  }

  /** Empty pages with a new token, in a row. */
  private emptyPages = 0;

  /** Move past a page whose fresh events were printed (read with `request`, sent at `sentAt`). */
  commit(request: LogRequest, page: LogPage, printed: readonly LogEvent[], sentAt: number): PageReading {
    for (const e of printed) {
      if (e.timestamp === this.lastTimestamp) this.printedAtLastTimestamp++;
      else {
        this.lastTimestamp = e.timestamp;
        this.printedAtLastTimestamp = 1;
      }
    }
    if (page.nextForwardToken) this.token = page.nextForwardToken;
    const sameToken = !page.nextForwardToken || page.nextForwardToken === request.token;
    this.emptyPages = !sameToken && page.events.length === 0 ? this.emptyPages + 1 : 0;
    if (sameToken) return { caughtUp: true, moreLikely: false };
    if (this.emptyPages >= EMPTY_PAGES_IN_A_ROW) {
      this.emptyPages = 0;
      return { caughtUp: false, moreLikely: false, stalled: true };
    }
    if (page.events.length === 0) return { caughtUp: false, moreLikely: true };
    if (isHistory(page.events, sentAt)) return { caughtUp: false, moreLikely: true, sign: 'history' };
    return looksCut(page.events) ? { caughtUp: false, moreLikely: true, sign: 'size' } : { caughtUp: false, moreLikely: false };
  }

  /** A token CloudWatch no longer accepts: the next request resumes by timestamp. */
  dropToken(): void {
    this.token = undefined;
  }
}

/**
 * The page's newest line was ingested well before the read: a backlog, not the live edge.
 * Ingestion times are CloudWatch's clock, sentAt ours: a skewed runner clock errs towards one
 * read too many (clock ahead) or towards the size test alone (clock behind), never a lost line.
 */
function isHistory(events: readonly LogEvent[], sentAt: number): boolean {
  const newest = events.at(-1)?.ingestionTime;
  return newest !== undefined && sentAt - newest >= HISTORY_AGE_MS;
}

function looksCut(events: readonly LogEvent[]): boolean {
  if (events.length >= CUT_PAGE_EVENTS) return true;
  // The 1 MB counts the JSON response: ~80 bytes of framing per event, and escapes in messages.
  return events.reduce((n, e) => n + e.message.length + 80, 0) >= CUT_PAGE_BYTES;
}

/** CloudWatch keeps the agent's trailing newline; the CI log adds its own. */
export function lineText(event: LogEvent): string {
  return event.message.replace(/\r?\n$/, '');
}
