import type { Clock } from '../../domain/clock';
import type { Log } from '../../log/log';
import { type PipelineActionRow, pipelineEnded } from './rows';

const STATUS_WORD: Record<string, string> = { Succeeded: 'SUCCEEDED', Failed: 'FAILED', Abandoned: 'ABANDONED', InProgress: 'IN_PROGRESS' };

const notRun = (r: PipelineActionRow) => r.status === 'NotStarted' || r.status === 'Skipped';
/** Which runs of its actions a stage has seen: a retry of the stage runs them under new action execution ids. */
const runsOf = (rows: readonly PipelineActionRow[]) => rows.map((r) => r.executionId ?? r.status).join(',');

export interface StageDeps {
  readonly log: Log;
  readonly clock: Clock;
  /** A line for the action's start or end, and its build followed. */
  readonly announce: (row: PipelineActionRow) => void;
  /** Whether the stage still has a build log being tailed. */
  readonly tailing: (stage: string) => boolean;
}

/**
 * The stages in order, as the CI log shows them: a (GitHub) group per stage, opened when its first
 * action starts and closed when its actions and their logs are done. A stage the execution passed
 * by without running any of its actions (a stage condition with result Skip: StageExecution status
 * Skipped) is said to be skipped, and the stages after it are followed; a stage run again (an
 * automatic or manual stage retry) opens again.
 */
export class StageProgress {
  private readonly state = new Map<string, 'open' | 'closed' | 'skipped'>();
  private readonly startedAt = new Map<string, number>();
  private readonly closedWith = new Map<string, string>();

  constructor(private readonly deps: StageDeps) {}

  /** The rows as the outputs show them: a skipped stage's actions read Skipped. */
  marked(rows: readonly PipelineActionRow[]): PipelineActionRow[] {
    return rows.map((r) => (this.state.get(r.stage) === 'skipped' && r.status === 'NotStarted' ? { ...r, status: 'Skipped' } : r));
  }

  advance(rows: readonly PipelineActionRow[], executionStatus: string | undefined, final = false): void {
    const names = [...new Set(rows.map((r) => r.stage))];
    for (const [i, stage] of names.entries()) {
      const mine = rows.filter((r) => r.stage === stage);
      const state = this.state.get(stage);
      if (state === 'skipped' || (state === 'closed' && this.closedWith.get(stage) === runsOf(mine))) continue;
      if (state === 'closed') this.open(stage, true);
      if (!state && mine.every(notRun)) {
        // A later stage ran, or the execution succeeded without this one: it was passed by.
        const passed = rows.some((r) => names.indexOf(r.stage) > i && !notRun(r)) || (final && executionStatus === 'Succeeded');
        if (!passed) return;
        this.skip(stage);
        continue;
      }
      if (!state) this.open(stage);
      for (const row of mine) this.deps.announce(row);
      const running = mine.some((r) => r.status === 'InProgress') || this.deps.tailing(stage);
      const over = !running && (final || !mine.some((r) => r.status === 'NotStarted') || pipelineEnded(executionStatus));
      if (!over) return;
      this.close(stage, mine);
    }
  }

  private open(stage: string, again = false): void {
    if (again) this.deps.log.info(`Stage ${stage} runs again (a stage retry)`);
    this.deps.log.phaseStarted(`Stage ${stage}`);
    this.state.set(stage, 'open');
    this.startedAt.set(stage, this.deps.clock.now());
  }

  private skip(stage: string): void {
    this.deps.log.info(`Stage ${stage} was skipped: none of its actions ran (a stage condition can skip a stage)`);
    this.state.set(stage, 'skipped');
  }

  private close(stage: string, rows: readonly PipelineActionRow[]): void {
    const worst = rows.find((r) => r.status === 'Failed') ?? rows.find((r) => r.status === 'Abandoned');
    const status = worst ? STATUS_WORD[worst.status]! : rows.every(notRun) ? 'NOT_STARTED' : 'SUCCEEDED';
    const durationMs = this.deps.clock.now() - (this.startedAt.get(stage) ?? this.deps.clock.now());
    this.deps.log.phaseEnded({
      phase: `Stage ${stage}`,
      status,
      durationMs,
      ...(worst && { message: `${worst.action}: ${worst.error ?? worst.summary ?? worst.status}` }),
    });
    this.state.set(stage, 'closed');
    this.closedWith.set(stage, runsOf(rows));
  }
}
