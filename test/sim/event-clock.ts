import type { Clock } from '../../src/domain/clock';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * A discrete-event clock for many concurrent loops in one process: `sleep` parks the caller
 * until `run` advances virtual time to its wake-up, so fifty pipelines' minutes of waiting take
 * milliseconds and interleave exactly as their timers say. (The unit tests' VirtualClock, which
 * jumps on every sleep, suits a single loop only.)
 */
export class EventClock implements Clock {
  private timers: Timer[] = [];
  private seq = 0;

  constructor(private time = 1_700_000_000_000) {}

  now = (): number => this.time;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const abort = () => {
        cancel();
        reject(signal!.reason);
      };
      const cancel = this.after(ms, () => {
        signal?.removeEventListener('abort', abort);
        resolve();
      });
      signal?.addEventListener('abort', abort, { once: true });
    });

  after = (ms: number, fn: () => void): (() => void) => {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    // Sorted by time, then by order of scheduling: ties wake in the order they slept.
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.timers[mid]!;
      if (t.at < timer.at || (t.at === timer.at && t.seq < timer.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  };

  /** Advance time timer by timer, letting every woken loop run to its next sleep, until `work` settles. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    watched.catch(() => {});
    let idle = 0;
    for (;;) {
      // setImmediate runs after every pending promise job: each woken loop has reached its next sleep.
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return watched;
      const next = this.timers.shift();
      if (!next) {
        // Real I/O no timer stands for (the SDK loading a module on first use): let it finish.
        if (++idle > 2_000) throw new Error('EventClock: nothing scheduled and the work has not settled (a loop waits on something other than the clock)');
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      idle = 0;
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
  }
}
