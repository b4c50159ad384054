import type { Clock } from '../domain/clock';
import { classify, errorName } from './errors';
import { type RetryDeps, type RetryPolicy, withRetry } from './retry';

/** Per call: abort it (cancel, wait timeout, deadline) or retry it on a tighter budget. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly policy?: RetryPolicy;
  /**
   * A poll: a throttle is not retried, it is thrown (the caller polls again on its own schedule,
   * at the pace the throttle set), so a crowded operation never holds up the others.
   */
  readonly poll?: boolean;
  /**
   * The next page of a read already sent at the pace: it goes at once (more lines are likely
   * waiting), though it counts against the pace like any call, pushing the next read back.
   */
  readonly follow?: boolean;
  /**
   * For a call that creates something under an idempotency token (StartBuild, StartBuildBatch,
   * StartPipelineExecution): once aborted, no new attempt and no backoff wait, but an attempt in
   * flight may finish for a moment; and if an attempt already sent may have created it (a 5xx, a
   * timeout, a dropped connection: the service may have acted before failing), one last attempt
   * with the same token returns what was created, so it can be stopped, never left running unseen.
   */
  readonly stop?: AbortSignal;
}

/** How long an attempt in flight may still finish after `stop`, and the confirming attempt may take. */
export const IN_FLIGHT_GRACE_MS = 1_500;

/** One call, retried: `send` is called with the SDK's abort signal for this attempt. */
export async function callWithRetry<T>(op: string, o: CallOptions | undefined, send: (abortSignal?: AbortSignal) => Promise<T>, retry: RetryDeps): Promise<T> {
  const settings = { ...(o?.signal && { signal: o.signal }), ...(o?.stop && { stop: o.stop }), ...(o?.policy && { policy: o.policy }), poll: o?.poll };
  const abortSignal = o?.signal ?? (o?.stop && graceAfter(o.stop, retry.clock));
  let sent = false;
  let lastFailure: unknown;
  const attempt = async () => {
    sent = true;
    try {
      return await send(abortSignal);
    } catch (error) {
      lastFailure = error;
      throw error;
    }
  };
  try {
    return await withRetry(op, attempt, { ...retry, ...settings });
  } catch (error) {
    // Stopped after an attempt that may have acted: the same request (the same token) once more
    // tells what exists. If nothing did, this creates it, and the caller stops it at once.
    const cutOff = errorName(lastFailure) === 'AbortError';
    const mayHaveActed = sent && (lastFailure === undefined || cutOff || classify(lastFailure) !== 'permanent');
    if (!o?.stop?.aborted || o.signal || !mayHaveActed) throw error;
    const deadline = new AbortController();
    retry.clock.after(IN_FLIGHT_GRACE_MS, () => deadline.abort());
    return send(deadline.signal);
  }
}

/** A signal that aborts IN_FLIGHT_GRACE_MS after `stop` does. */
function graceAfter(stop: AbortSignal, clock: Pick<Clock, 'after'>): AbortSignal {
  const late = new AbortController();
  const arm = () => clock.after(IN_FLIGHT_GRACE_MS, () => late.abort(stop.reason));
  if (stop.aborted) arm();
  else stop.addEventListener('abort', arm, { once: true });
  return late.signal;
}
