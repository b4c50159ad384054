/** Lines of a failed phase repeated outside its (collapsed) group or section, so the cause is in view. */
export const FAILED_PHASE_TAIL = 30;

/**
 * The last lines of the phase being shown, kept while a GitHub group or GitLab section is open so
 * a failing phase's cause can be repeated under it. Bounded: a phase of a million lines keeps at
 * most twice the tail before trimming.
 */
export class PhaseTail {
  private lines: string[] = [];
  private open?: string;

  /** A phase's lines start to be kept (a new group or section). */
  start(phase: string): void {
    this.open = phase;
    this.lines = [];
  }

  /** Lines printed while a phase is open. */
  push(lines: readonly string[]): void {
    if (!this.open) return;
    this.lines.push(...lines);
    if (this.lines.length > FAILED_PHASE_TAIL * 2) this.lines = this.lines.slice(-FAILED_PHASE_TAIL);
  }

  /** The phase that is open, if any. */
  get phase(): string | undefined {
    return this.open;
  }

  /** Closes the phase: its last lines when `phase` is the one open and it did not succeed, else none. */
  end(phase: string, failed: boolean): readonly string[] {
    const kept = this.open === phase && failed ? this.lines.slice(-FAILED_PHASE_TAIL) : [];
    this.close();
    return kept;
  }

  close(): void {
    this.open = undefined;
    this.lines = [];
  }
}
