import type { Build } from '@aws-sdk/client-codebuild';
import type { ActionExecutionDetail, PipelineDeclaration, PipelineExecution } from '@aws-sdk/client-codepipeline';
import type { CodePipelineApi } from '../aws/codepipeline';
import { classify } from '../aws/errors';
import { pipelineViewUrl } from '../domain/links';
import { actionEndLine, actionLabel, actionRows, isCodeBuild, type PipelineActionRow, pipelineEnded } from '../domain/pipeline';
import { DEFAULT_POLICY } from '../domain/poll-policy';
import { formatDuration } from '../domain/verdict';
import { type WatchDeps, watchBuild } from './build-watcher';

export interface PipelineWatchDeps extends Omit<WatchDeps, 'onStream' | 'onBuild'> {
  readonly codepipeline: Pick<CodePipelineApi, 'getExecution' | 'actionExecutions' | 'runningBuildIds'>;
  readonly declaration?: PipelineDeclaration;
  readonly region: string;
  /** Every fresh view of the execution and its actions (outputs as soon as they are known). */
  readonly onUpdate?: (execution: PipelineExecution, rows: readonly PipelineActionRow[]) => void;
  /** A CodeBuild action's build, each time it is seen. */
  readonly onBuild?: (row: PipelineActionRow, build: Build) => void;
}

export interface PipelineResult {
  readonly execution: PipelineExecution;
  readonly rows: readonly PipelineActionRow[];
  /** The CodeBuild actions' builds, at their end, by `Stage/Action`. */
  readonly builds: ReadonlyMap<string, Build>;
}

const STATUS_WORD: Record<string, string> = { Succeeded: 'SUCCEEDED', Failed: 'FAILED', Abandoned: 'ABANDONED', InProgress: 'IN_PROGRESS' };

/**
 * Follow a pipeline execution: its actions as they start and end, a (GitHub) group per stage, each
 * CodeBuild action's build followed like a single build with a `[Stage/Action]` prefix, until
 * CodePipeline gives the execution's final status and every followed log is drained.
 */
export async function watchPipeline(initial: PipelineExecution, deps: PipelineWatchDeps): Promise<PipelineResult> {
  return new PipelineWatcher(initial, deps).run();
}

class PipelineWatcher {
  private execution: PipelineExecution;
  private actions: ActionExecutionDetail[] = [];
  private readonly seen = new Map<string, string>();
  private readonly followers = new Map<string, { stage: string; done: boolean; promise: Promise<void> }>();
  private readonly builds = new Map<string, Build>();
  private readonly stages = new Map<string, 'open' | 'closed'>();
  private readonly stageStarted = new Map<string, number>();

  constructor(
    initial: PipelineExecution,
    private readonly deps: PipelineWatchDeps,
  ) {
    this.execution = initial;
  }

  async run(): Promise<PipelineResult> {
    const { clock, signal } = this.deps;
    const policy = this.deps.policy ?? DEFAULT_POLICY;
    try {
      for (;;) {
        await this.poll();
        const rows = await this.withBuildIds(actionRows(this.deps.declaration, this.actions));
        this.deps.onUpdate?.(this.execution, rows);
        this.advance(rows);
        if (pipelineEnded(this.execution.status)) break;
        const onlyApproval = rows.some((r) => r.status === 'InProgress') && rows.every((r) => r.status !== 'InProgress' || r.category === 'Approval');
        const base = onlyApproval ? policy.pipelineApprovalMs : policy.pipelineMs;
        await clock.sleep(base * (0.9 + 0.2 * (this.deps.random ?? Math.random)()), signal);
      }
      await Promise.all([...this.followers.values()].map((f) => f.promise));
    } catch (error) {
      await Promise.allSettled([...this.followers.values()].map((f) => f.promise));
      throw error;
    }
    const rows = actionRows(this.deps.declaration, this.actions);
    this.advance(rows, true);
    return { execution: this.execution, rows, builds: this.builds };
  }

  /** The execution and its actions; a throttled poll keeps what was known and comes again later. */
  private async poll(): Promise<void> {
    const { codepipeline } = this.deps;
    const name = this.execution.pipelineName!;
    const id = this.execution.pipelineExecutionId!;
    try {
      this.execution = await codepipeline.getExecution(name, id, { poll: true });
      this.actions = await codepipeline.actionExecutions(name, id, { poll: true });
    } catch (error) {
      if (classify(error) !== 'throttle') throw error;
    }
  }

  /**
   * ListActionExecutions is documented with the external id of ended actions; for a running
   * CodeBuild action without one, GetPipelineState's latest action execution gives the build id,
   * so its log is tailed while it runs rather than after.
   */
  private async withBuildIds(rows: PipelineActionRow[]): Promise<PipelineActionRow[]> {
    const missing = rows.filter((r) => isCodeBuild(r) && r.status === 'InProgress' && !r.externalId && !this.followers.has(actionLabel(r)));
    if (!missing.length) return rows;
    let ids: Map<string, string>;
    try {
      ids = await this.deps.codepipeline.runningBuildIds(this.execution.pipelineName!, this.execution.pipelineExecutionId!, { poll: true });
    } catch (error) {
      if (classify(error) !== 'throttle') throw error;
      return rows;
    }
    return rows.map((r) => (missing.includes(r) && ids.has(actionLabel(r)) ? { ...r, externalId: ids.get(actionLabel(r))! } : r));
  }

  /** One stage at a time, in order: its group opens when it starts and closes when its actions and logs are done. */
  private advance(rows: readonly PipelineActionRow[], final = false): void {
    const stageNames = [...new Set(rows.map((r) => r.stage))];
    for (const stage of stageNames) {
      const mine = rows.filter((r) => r.stage === stage);
      const state = this.stages.get(stage);
      if (state === 'closed') continue;
      if (!state) {
        if (mine.every((r) => r.status === 'NotStarted')) return;
        this.deps.log.phaseStarted(`Stage ${stage}`);
        this.stages.set(stage, 'open');
        this.stageStarted.set(stage, this.deps.clock.now());
      }
      for (const row of mine) this.announce(row);
      const running = mine.some((r) => r.status === 'InProgress') || [...this.followers.values()].some((f) => f.stage === stage && !f.done);
      const stageOver = !running && (final || mine.every((r) => r.status !== 'NotStarted') || pipelineEnded(this.execution.status));
      if (!stageOver) return;
      this.closeStage(stage, mine);
    }
  }

  private closeStage(stage: string, rows: readonly PipelineActionRow[]): void {
    const worst = rows.find((r) => r.status === 'Failed') ?? rows.find((r) => r.status === 'Abandoned');
    const status = worst ? STATUS_WORD[worst.status]! : rows.every((r) => r.status === 'NotStarted') ? 'NOT_STARTED' : 'SUCCEEDED';
    const durationMs = this.deps.clock.now() - (this.stageStarted.get(stage) ?? this.deps.clock.now());
    this.deps.log.phaseEnded({
      phase: `Stage ${stage}`,
      status,
      durationMs,
      ...(worst && { message: `${worst.action}: ${worst.error ?? worst.summary ?? worst.status}` }),
    });
    this.stages.set(stage, 'closed');
  }

  /** A line when an action starts, waits for approval, or ends; its CodeBuild build followed. */
  private announce(row: PipelineActionRow): void {
    const { log } = this.deps;
    const label = actionLabel(row);
    // The build id can come a poll after the action started (CodePipeline starts the build).
    if (isCodeBuild(row) && row.externalId && !this.followers.has(label)) this.follow(row, label);
    const before = this.seen.get(label);
    if (row.status === before) return;
    this.seen.set(label, row.status);
    if (row.status === 'NotStarted') return;
    // An action can start and end between two polls: it still gets its start line.
    if (before === undefined || before === 'NotStarted') {
      if (row.category === 'Approval' && row.status === 'InProgress') {
        log.info(`${label} waits for a manual approval: review it at ${pipelineViewUrl(this.deps.region, this.execution.pipelineName!)}`);
      } else log.info(`${label} (${row.provider}) started${row.url ? `: ${row.url}` : ''}`);
    }
    if (row.status !== 'InProgress') {
      const line = actionEndLine(row, formatDuration);
      if (row.status === 'Succeeded') log.info(line);
      else log.warning(line);
    }
  }

  /** The action's build, tailed like a single build: every line once, with `[Stage/Action]`. */
  private follow(row: PipelineActionRow, label: string): void {
    const deps = this.deps;
    const entry = { stage: row.stage, done: false, promise: Promise.resolve() };
    entry.promise = (async () => {
      try {
        const build = await deps.codebuild.getBuild(row.externalId!);
        deps.onBuild?.(row, build);
        const final = await watchBuild(build, { ...deps, log: deps.log.withPrefix(label), onBuild: (b) => deps.onBuild?.(row, b) });
        this.builds.set(label, final);
        deps.onBuild?.(row, final);
      } catch (error) {
        if (deps.signal?.aborted) throw error;
        // A batch build (BatchEnabled), or one in another region or account: its result still
        // comes from CodePipeline; only its log is not shown here.
        deps.log.warning(`Cannot follow the build of ${label} (${row.externalId}): ${(error as Error).message}. Its result comes from CodePipeline.`);
      }
    })().finally(() => {
      entry.done = true;
    });
    // Its failure is reported by Promise.all in run(); until then it must not count as unhandled.
    entry.promise.catch(() => {});
    this.followers.set(label, entry);
  }
}
