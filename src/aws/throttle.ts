import type { FailureKind } from './errors';
import { FairShare, type FairShareOptions } from './fair-share';

/**
 * The process's pacing of each API operation (each has its own account-wide quota): a
 * FairShare per operation, fed by every attempt of every call, retries included, so a
 * throttled retry counts against the same share.
 */
export class Throttle {
  private readonly shares = new Map<string, FairShare>();

  constructor(
    private readonly now: () => number,
    private readonly random: () => number = Math.random,
    private readonly options?: FairShareOptions,
  ) {}

  private of(operation: string): FairShare {
    const known = this.shares.get(operation);
    if (known) return known;
    const share = new FairShare(this.now, this.random, this.options);
    this.shares.set(operation, share);
    return share;
  }

  /** Milliseconds before the next call of `operation` may go. */
  delay(operation: string): number {
    return this.of(operation).delay();
  }

  /** The mean spacing `operation` is paced at (0: unpaced), for polling loops to plan with. */
  interval(operation: string): number {
    return this.shares.get(operation)?.interval() ?? 0;
  }

  /** Some operation was throttled in the last `ms`: other pipelines share the account's quotas now. */
  throttledWithin(ms: number): boolean {
    return [...this.shares.values()].some((s) => s.throttledWithin(ms));
  }

  sent(operation: string): void {
    this.of(operation).sent();
  }

  succeeded(operation: string): void {
    this.of(operation).succeeded();
  }

  failed(kind: FailureKind, operation: string): void {
    if (kind === 'throttle') this.of(operation).throttled();
  }
}
