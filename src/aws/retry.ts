import pRetry, { AbortError } from 'p-retry';
import type { Clock } from '../domain/clock';
import { classify, errorName, type FailureKind } from './errors';
import type { RequestBudget } from './request-budget';

export interface RetryPolicy {
  readonly retries: number;
  readonly baseMs: number;
  readonly capMs: number;
  /** Give up on transient faults after this long in total. */
  readonly maxRetryTimeMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 12, baseMs: 500, capMs: 20_000, maxRetryTimeMs: 5 * 60_000 };

/** Told about every failed attempt, so the polling policy can slow down while AWS pushes back. */
export interface RetryObserver {
  onFailure(kind: FailureKind, operation: string, error: unknown): void;
}

export interface RetryDeps {
  readonly clock: Clock;
  readonly observer?: RetryObserver;
  readonly signal?: AbortSignal;
  readonly random?: () => number;
  readonly policy?: RetryPolicy;
  readonly log?: (message: string) => void;
  /** Shared by every call of the process; each attempt waits for its turn. */
  readonly budget?: RequestBudget;
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
      const wait = deps.budget?.reserve() ?? 0;
      if (wait > 0) await deps.clock.sleep(wait, deps.signal);
      try {
        return await call();
      } catch (error) {
        const kind = classify(error);
        deps.observer?.onFailure(kind, operation, error);
        throw kind === 'permanent' ? new AbortError(error as Error) : error;
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
