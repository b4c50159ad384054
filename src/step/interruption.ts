import type { RetryPolicy } from '../aws/retry';
import type { Clock } from '../domain/clock';
import { Cancelled, WaitTimedOut } from '../domain/stop-reason';
import type { Log } from '../log/log';
import type { StartedRun, Target } from '../targets/target';

/**
 * Stopping must finish inside GitHub's ~7.5 s between SIGINT and SIGTERM, Slack post included:
 * a short retry budget, and a hard deadline on the call itself.
 */
const STOP_RETRY: RetryPolicy = { retries: 3, baseMs: 200, capMs: 1_000, maxRetryTimeMs: 3_000 };
const STOP_DEADLINE_MS = 3_000;

export interface StopChoices {
  readonly stopOnCancel: boolean;
  readonly stopOnTimeout: boolean;
  readonly waitTimeoutMinutes?: number;
}

export interface Interrupted {
  readonly kind: 'cancelled' | 'wait-timeout';
  readonly detail: string;
  /** The signal that cancelled the job, for the exit code. */
  readonly signalName?: string;
}

/** The CI's cancel and our wait timeout: one signal for the step, and at most one stop. */
export class Interruption {
  readonly signal: AbortSignal;
  private readonly cancelTimer: () => void;

  constructor(
    ci: AbortSignal | undefined,
    private readonly choices: StopChoices,
    clock: Clock,
  ) {
    const timeout = new AbortController();
    const minutes = choices.waitTimeoutMinutes;
    this.cancelTimer = minutes === undefined ? () => {} : clock.after(minutes * 60_000, () => timeout.abort(new WaitTimedOut(minutes)));
    this.signal = AbortSignal.any([...(ci ? [ci] : []), timeout.signal]);
  }

  /** Why the wait was cut short, if it was. */
  get reason(): Cancelled | WaitTimedOut | undefined {
    const reason: unknown = this.signal.aborted ? this.signal.reason : undefined;
    return reason instanceof Cancelled || reason instanceof WaitTimedOut ? reason : undefined;
  }

  /** Say why the wait ended and stop the run (if one started) when the user wants that; called once. */
  async settle(run: StartedRun | undefined, target: Target, log: Log): Promise<Interrupted> {
    this.cancelTimer();
    const reason = this.reason;
    const cancelled = !(reason instanceof WaitTimedOut);
    log.error(`${cancelled ? 'Cancelled' : 'Wait timeout'}: ${reason?.message ?? 'stopped'}.`);
    const [wanted, setting] = cancelled ? [this.choices.stopOnCancel, 'stop-on-cancel'] : [this.choices.stopOnTimeout, 'stop-on-timeout'];
    const noun = target.requested().description.noun;
    if (!run) log.info(`No ${noun} had been started: nothing to stop.`);
    const detail = !run
      ? `no ${noun} had been started`
      : wanted
        ? await run.stop({ policy: STOP_RETRY, signal: AbortSignal.timeout(STOP_DEADLINE_MS) })
        : `the ${noun} was left running (${setting}: false)`;
    const signalName = reason instanceof Cancelled ? reason.signalName : undefined;
    return cancelled ? { kind: 'cancelled', detail, ...(signalName && { signalName }) } : { kind: 'wait-timeout', detail };
  }

  dispose(): void {
    this.cancelTimer();
  }
}
