import type { FailureKind } from '../aws/errors';

/**
 * A multiplier on every polling interval: doubled by each throttle (up to `max`), and halved
 * every `halfLifeMs` without one, so the tool slows down while the account's quota is exhausted
 * and is back to full speed seconds after the throttling stops.
 */
export class Congestion {
  private level = 1;
  private since: number;

  constructor(
    private readonly now: () => number,
    private readonly max = 8,
    private readonly halfLifeMs = 5_000,
  ) {
    this.since = now();
  }

  get factor(): number {
    const decayed = this.level * 0.5 ** ((this.now() - this.since) / this.halfLifeMs);
    return Math.max(1, decayed);
  }

  onFailure(kind: FailureKind): void {
    if (kind !== 'throttle') return;
    this.level = Math.min(this.max, this.factor * 2);
    this.since = this.now();
  }
}
