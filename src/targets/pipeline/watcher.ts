import type { Build } from '@aws-sdk/client-codebuild';
import type { ActionExecutionDetail, PipelineDeclaration, PipelineExecution } from '@aws-sdk/client-codepipeline';
import type { CodePipelineApi } from '../../aws/codepipeline';
import { DEFAULT_POLICY } from '../../domain/poll-policy';
import { formatDuration } from '../../domain/verdict';
import { type WatchDeps, watchBuild } from '../../watch/build-watcher';
import { Children } from '../../watch/children';
import { jitteredSleep, unlessThrottled } from '../../watch/polling';
import { pipelineViewUrl } from './links';
import { actionEndLine, actionLabel, actionRows, isCodeBuild, type PipelineActionRow, pipelineEnded } from './rows';

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
  /** The build ids GetPipelineState gave for running CodeBuild actions, by `Stage/Action`. */
  private readonly buildIds = new Map<string, string>();
  /** Each CodeBuild action's build, followed by `Stage/Action`, with its stage. */
  private readonly followers = new Children<string>();
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
    await this.followers.around(async () => {
      for (;;) {
        await this.poll();
        const rows = await this.withBuildIds(actionRows(this.deps.declaration, this.actions));
        this.deps.onUpdate?.(this.execution, rows);
        this.advance(rows);
        if (pipelineEnded(this.execution.status)) return;
        const onlyApproval = rows.some((r) => r.status === 'InProgress') && rows.every((r) => r.status !== 'InProgress' || r.category === 'Approval');
        await jitteredSleep(clock, onlyApproval ? policy.pipelineApprovalMs : policy.pipelineMs, this.deps.random, signal);
      }
    });
    const rows = actionRows(this.deps.declaration, this.actions);
    this.advance(rows, true);
    return { execution: this.execution, rows, builds: this.builds };
  }

  /** The execution and its actions; a throttled poll keeps what was known and comes again later. */
  private async poll(): Promise<void> {
    const { codepipeline } = this.deps;
    const { name, id } = this.ids();
    const polled = await unlessThrottled(
      async () => [await codepipeline.getExecution(name, id, { poll: true }), await codepipeline.actionExecutions(name, id, { poll: true })] as const,
    );
    if (polled) [this.execution, this.actions] = polled;
  }

  private ids() {
    return { name: this.execution.pipelineName ?? '', id: this.execution.pipelineExecutionId ?? '' };
  }

  /**
   * ListActionExecutions is documented with the external id of ended actions; for a running
   * CodeBuild action without one, GetPipelineState's latest action execution gives the build id,
   * so its log is tailed while it runs rather than after.
   */
  private async withBuildIds(listed: PipelineActionRow[]): Promise<PipelineActionRow[]> {
    // A build already found keeps its id: ListActionExecutions still leaves it out while the
    // action runs, and the stop (stop-mode abandon) needs it.
    const rows = listed.map((r) => (r.externalId || !this.buildIds.has(actionLabel(r)) ? r : { ...r, externalId: this.buildIds.get(actionLabel(r)) }));
    const missing = rows.filter((r) => isCodeBuild(r) && r.status === 'InProgress' && !r.externalId);
    if (!missing.length) return rows;
    const { name, id } = this.ids();
    const ids = await unlessThrottled(() => this.deps.codepipeline.runningBuildIds(name, id, { poll: true }));
    for (const [label, buildId] of ids ?? []) this.buildIds.set(label, buildId);
    return rows.map((r) => (missing.includes(r) && this.buildIds.has(actionLabel(r)) ? { ...r, externalId: this.buildIds.get(actionLabel(r)) } : r));
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
      const running = mine.some((r) => r.status === 'InProgress') || this.followers.unfinished((s) => s === stage) > 0;
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
    if (isCodeBuild(row) && row.externalId && !this.followers.has(label)) this.follow(row, label, row.externalId);
    const before = this.seen.get(label);
    if (row.status === before) return;
    this.seen.set(label, row.status);
    if (row.status === 'NotStarted') return;
    // An action can start and end between two polls: it still gets its start line.
    if (before === undefined || before === 'NotStarted') {
      if (row.category === 'Approval' && row.status === 'InProgress') {
        log.info(`${label} waits for a manual approval: review it at ${pipelineViewUrl(this.deps.region, this.ids().name)}`);
      } else log.info(`${label} (${row.provider}) started${row.url ? `: ${row.url}` : ''}`);
    }
    if (row.status !== 'InProgress') {
      const line = actionEndLine(row, formatDuration);
      if (row.status === 'Succeeded') log.info(line);
      else log.warning(line);
    }
  }

  /** The action's build, tailed like a single build: every line once, with `[Stage/Action]`. */
  private follow(row: PipelineActionRow, label: string, buildId: string): void {
    const deps = this.deps;
    this.followers.start(label, row.stage, async () => {
      try {
        const build = await deps.codebuild.getBuild(buildId);
        deps.onBuild?.(row, build);
        const final = await watchBuild(build, { ...deps, log: deps.log.withPrefix(label), onBuild: (b) => deps.onBuild?.(row, b) });
        this.builds.set(label, final);
        deps.onBuild?.(row, final);
      } catch (error) {
        if (deps.signal?.aborted) throw error;
        // A batch build (BatchEnabled), or one in another region or account: its result still
        // comes from CodePipeline; only its log is not shown here.
        deps.log.warning(`Cannot follow the build of ${label} (${buildId}): ${(error as Error).message}. Its result comes from CodePipeline.`);
      }
    });
  }
}
