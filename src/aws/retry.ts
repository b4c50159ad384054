import pRetry, { AbortError } from 'p-retry';
import type { Clock } from '../domain/clock';
import { classify, errorName } from './errors';
import type { RequestBudget } from './request-budget';
import type { Throttle } from './throttle';

export interface RetryPolicy {
  readonly retries: number;
  readonly baseMs: number;
  readonly capMs: number;
  /** Give up on transient faults after this long in total. */
  readonly maxRetryTimeMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 12, baseMs: 500, capMs: 20_000, maxRetryTimeMs: 5 * 60_000 };

export interface RetryDeps {
  readonly clock: Clock;
  /** Paces each operation at this process's fair share of the account's quota; told of every attempt. */
  readonly throttle?: Throttle;
  readonly signal?: AbortSignal;
  readonly random?: () => number;
  readonly policy?: RetryPolicy;
  readonly log?: (message: string) => void;
  /** Shared by every call of the process; each attempt waits for its turn. */
  readonly budget?: RequestBudget;
  /** A poll: a throttle is thrown at once, not retried (see CallOptions.poll). */
  readonly poll?: boolean;
  /** A page following one sent at the pace: not held back by it (see CallOptions.follow). */
  readonly follow?: boolean;
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
  return pRetry(
    async () => {
      const wait = Math.max(deps.budget?.reserve() ?? 0, deps.follow ? 0 : (deps.throttle?.delay(operation) ?? 0));
      if (wait > 0) await deps.clock.sleep(wait, deps.signal);
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
        const delay = fullJitterDelay(attemptNumber, policy, random);
        if (deps.clock.now() - started + delay > policy.maxRetryTimeMs) throw error;
        deps.log?.(`${operation} failed (${errorName(error)}), retry ${attemptNumber} in ${delay} ms`);
        await deps.clock.sleep(delay, deps.signal);
      },
    },
  );
}
