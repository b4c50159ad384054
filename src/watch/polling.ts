import { classify } from '../aws/errors';
import type { Clock } from '../domain/clock';

/**
 * A poll that tolerates throttling: a throttled one gives `undefined` (the caller keeps what it
 * knew; the next poll comes at the pace the throttle set), anything else is thrown.
 */
export async function unlessThrottled<T>(poll: () => Promise<T>): Promise<T | undefined> {
  try {
    return await poll();
  } catch (error) {
    if (classify(error) !== 'throttle') throw error;
    return undefined;
  }
}

/** Sleep `ms` ±10 %, so loops started together do not poll in lockstep. */
export function jitteredSleep(clock: Clock, ms: number, random: (() => number) | undefined, signal?: AbortSignal): Promise<void> {
  return clock.sleep(ms * (0.9 + 0.2 * (random ?? Math.random)()), signal);
}
