import pRetry, { AbortError } from 'p-retry';
import type { Clock } from '../domain/clock';
import { classify, errorName } from './errors';
import { foreignAnswerOf } from './foreign-body';
import type { RequestBudget } from './request-budget';
import type { Throttle } from './throttle';

export interface RetryPolicy {
  readonly retries: number;
  readonly baseMs: number;
  readonly capMs: number;
  /** Give up after this long in total (throttling: the account's quota is shared, so waits can be long). */
  readonly maxRetryTimeMs: number;
  /** Give up on failures that are not throttling (5xx, dropped connections, foreign answers) after this long. */
  readonly transientMaxMs?: number;
}

/**
 * Throttles are retried for up to 5 minutes (every pipeline shares the account's quotas); other
 * transient failures for up to 1 minute: a service or proxy that has answered 5xx for a minute is
 * an outage the user should hear of, not wait out.
 */
export const DEFAULT_RETRY: RetryPolicy = { retries: 12, baseMs: 500, capMs: 20_000, maxRetryTimeMs: 5 * 60_000, transientMaxMs: 60_000 };
/** A call failing this long gets a line for the user (then one every NOTICE_EVERY_MS). */
const NOTICE_AFTER_MS = 10_000;
const NOTICE_EVERY_MS = 30_000;

export interface RetryDeps {
  readonly clock: Clock;
  /** Paces each operation at this process's fair share of the account's quota; told of every attempt. */
  readonly throttle?: Throttle;
  readonly signal?: AbortSignal;
  readonly random?: () => number;
  readonly policy?: RetryPolicy;
  readonly log?: (message: string) => void;
  /** A line the user sees: a call that keeps failing (which, what it got, when it tries again). */
  readonly notice?: (message: string) => void;
  /** Shared by every call of the process; each attempt waits for its turn. */
  readonly budget?: RequestBudget;
  /** A poll: a throttle is thrown at once, not retried (see CallOptions.poll). */
  readonly poll?: boolean;
  /** A page following one sent at the pace: not held back by it (see CallOptions.follow). */
  readonly follow?: boolean;
  /** Stop retrying: no new attempt and no wait once aborted; the attempt in flight may finish (see CallOptions.stop). */
  readonly stop?: AbortSignal;
}

/** Full jitter: a uniform delay up to the capped exponential, so many clients spread out. */
export function fullJitterDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  return Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1)));
}

/**
 * Run one AWS call with retries on throttling and transient faults. Permanent errors
 * (unknown project, access denied) are thrown at once, unchanged.
 */
export async function withRetry<T>(operation: string, call: () => Promise<T>, deps: RetryDeps): Promise<T> {
  const policy = deps.policy ?? DEFAULT_RETRY;
  const random = deps.random ?? Math.random;
  const started = deps.clock.now();
  const halt = deps.signal && deps.stop ? AbortSignal.any([deps.signal, deps.stop]) : (deps.signal ?? deps.stop);
  let noticedAt: number | undefined;
  const notice = (error: unknown, delay: number) => {
    const failing = deps.clock.now() - started;
    if (!deps.notice || failing < NOTICE_AFTER_MS || (noticedAt !== undefined && deps.clock.now() - noticedAt < NOTICE_EVERY_MS)) return;
    noticedAt = deps.clock.now();
    deps.notice(
      `${operation} keeps failing (${shortFailure(error)}); trying again in ${Math.max(1, Math.round(delay / 1000))} s (failing for ${Math.round(failing / 1000)} s)`,
    );
  };
  try {
    return await attempts();
  } catch (error) {
    // Which call failed travels with the error, for the one line the user reads.
    throw withOperation(error, operation);
  }

  function attempts() {
    return pRetry(
      async () => {
        halt?.throwIfAborted();
        const wait = Math.max(deps.budget?.reserve() ?? 0, deps.follow ? 0 : (deps.throttle?.delay(operation) ?? 0));
        if (wait > 0) await deps.clock.sleep(wait, halt);
        // Callers sharing the pace (a batch's children) wake at the same slot: the first takes it
        // (`sent` moves the next one on) and the others wait for theirs.
        for (let again = deps.follow ? 0 : (deps.throttle?.delay(operation) ?? 0); again > 0; again = deps.throttle!.delay(operation))
          await deps.clock.sleep(again, halt);
        deps.throttle?.sent(operation);
        try {
          const result = await call();
          deps.throttle?.succeeded(operation);
          return result;
        } catch (error) {
          const kind = classify(error);
          deps.throttle?.failed(kind, operation);
          throw kind === 'permanent' || (kind === 'throttle' && deps.poll) ? new AbortError(error as Error) : error;
        }
      },
      {
        retries: policy.retries,
        maxRetryTime: policy.maxRetryTimeMs,
        // p-retry's own timer is off: we sleep on the injected clock with full jitter instead,
        // and keep the time budget on that clock too (p-retry's maxRetryTime reads the real one).
        minTimeout: 0,
        maxTimeout: 0,
        signal: deps.signal,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft <= 0) return;
          if (deps.stop?.aborted) throw error;
          const delay = fullJitterDelay(attemptNumber, policy, random);
          const budget =
            classify(error) === 'throttle' ? policy.maxRetryTimeMs : Math.min(policy.maxRetryTimeMs, policy.transientMaxMs ?? Number.POSITIVE_INFINITY);
          if (deps.clock.now() - started + delay > budget) throw error;
          deps.log?.(`${operation} failed (${errorName(error)}), retry ${attemptNumber} in ${delay} ms`);
          notice(error, delay);
          await deps.clock.sleep(delay, halt);
        },
      },
    );
  }
}

/** "HTTP 502: <!doctype html>…" for a foreign answer; the error's name otherwise. */
function shortFailure(error: unknown): string {
  const foreign = foreignAnswerOf(error);
  if (foreign) return `HTTP ${foreign.status ?? '?'}, not an AWS answer: ${foreign.snippet.slice(0, 60)}…`;
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return `${errorName(error)}${status ? `, HTTP ${status}` : ''}`;
}

/** The operation, on the error itself: its class and fields stay as the SDK made them. */
function withOperation(error: unknown, operation: string): unknown {
  if (error && typeof error === 'object' && !('$operation' in error)) Object.defineProperty(error, '$operation', { value: operation, enumerable: false });
  return error;
}

export function operationOf(error: unknown): string | undefined {
  return (error as { $operation?: string })?.$operation;
}
