import type { FailureKind } from '../aws/errors';

/**
 * A multiplier on every polling interval: doubled by each throttle, eased back towards 1 by
 * successes, so the tool slows down while the account's quota is exhausted and recovers after.
 */
export class Congestion {
  factor = 1;
  constructor(private readonly max = 8, private readonly recovery = 0.85) {}

  onFailure(kind: FailureKind): void {
    if (kind === 'throttle') this.factor = Math.min(this.max, this.factor * 2);
  }

  onSuccess(): void {
    this.factor = Math.max(1, this.factor * this.recovery);
  }
}
