import type { Build } from '@aws-sdk/client-codebuild';
import { type PhaseEnd, phaseContext } from '../domain/phase';
import { type PhaseEvent, PhaseMarkers } from '../domain/phase-markers';
import type { Log } from '../log/log';

/**
 * Each phase is announced once, from whichever source tells first: the agent's markers in the
 * log (in step with the lines), or BatchGetBuilds for phases the log cannot show.
 */
export class PhaseAnnouncer {
  private readonly announced = new Set<string>();
  /** Phases whose start the log showed. */
  private readonly started = new Set<string>();
  readonly markers = new PhaseMarkers();

  constructor(private readonly log: Log) {}

  /** The agent logged the completion of the last phase it runs. */
  get finalPhaseLogged(): boolean {
    return this.markers.finished;
  }

  /** The log already showed this phase starting: the status saying so is no news. */
  startLogged(phase: string): boolean {
    return this.started.has(phase);
  }

  /** Phase ends from the build's status, for the phases `wanted` picks. */
  fromStatus(build: Build, wanted: (phase: string) => boolean): void {
    for (const p of build.phases ?? []) {
      const phase = p.phaseType;
      if (!phase || !p.phaseStatus || phase === 'COMPLETED' || this.announced.has(phase) || !wanted(phase)) continue;
      const message = phaseContext(p);
      this.ended({
        phase,
        status: p.phaseStatus,
        ...(p.durationInSeconds !== undefined && { durationMs: p.durationInSeconds * 1000 }),
        ...(message && { message }),
      });
    }
  }

  /** Phase events read from the log. */
  fromLog(events: readonly PhaseEvent[]): void {
    for (const e of events) {
      if (e.kind === 'start') {
        this.started.add(e.phase);
        this.log.phaseStarted(e.phase);
      } else {
        const { kind: _kind, afterLine: _after, ...end } = e;
        this.ended(end);
      }
    }
  }

  /** A completion whose context line never came. */
  flush(): void {
    this.fromLog(this.markers.flush());
  }

  private ended(end: PhaseEnd): void {
    if (this.announced.has(end.phase)) return;
    this.announced.add(end.phase);
    this.log.phaseEnded(end);
  }
}
