import type { FailureKind } from './errors';

/**
 * Multipliers on polling intervals, one per API operation (each has its own quota): doubled by
 * each throttle of that operation (up to `max`), halved every `halfLifeMs` without one. The tool
 * slows down while a quota is exhausted and is back to full speed seconds after it recovers.
 */
export class Congestion {
  private readonly state = new Map<string, { level: number; since: number }>();

  constructor(
    private readonly now: () => number,
    private readonly max = 8,
    private readonly halfLifeMs = 5_000,
  ) {}

  factor(operation: string): number {
    const s = this.state.get(operation);
    if (!s) return 1;
    return Math.max(1, s.level * 0.5 ** ((this.now() - s.since) / this.halfLifeMs));
  }

  onFailure(kind: FailureKind, operation: string): void {
    if (kind !== 'throttle') return;
    this.state.set(operation, { level: Math.min(this.max, this.factor(operation) * 2), since: this.now() });
  }
}
