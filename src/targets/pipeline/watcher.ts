import type { Build } from '@aws-sdk/client-codebuild';
import type { ActionExecutionDetail, PipelineDeclaration, PipelineExecution } from '@aws-sdk/client-codepipeline';
import type { CodePipelineApi } from '../../aws/codepipeline';
import { describeFailure } from '../../aws/failure';
import { childPolicy, DEFAULT_POLICY } from '../../domain/poll-policy';
import { formatDuration } from '../../domain/verdict';
import { type WatchDeps, watchBuild } from '../../watch/build-watcher';
import { Children } from '../../watch/children';
import { jitteredSleep, unlessThrottled } from '../../watch/polling';
import { pipelineViewUrl } from './links';
import { conditionFailure, retryToCome } from './retry';
import { actionEndLine, actionLabel, actionRows, isCodeBuild, type PipelineActionRow, pipelineEnded } from './rows';
import { StageProgress } from './stages';

export interface PipelineWatchDeps extends Omit<WatchDeps, 'onStream' | 'onBuild'> {
  readonly codepipeline: Pick<CodePipelineApi, 'getExecution' | 'actionExecutions' | 'stageStates'>;
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
  /** A stage that failed with no failed action in it (a stage condition), and why. */
  readonly failedStage?: { readonly stage: string; readonly reason: string };
}

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
  private readonly seen = new Map<string, { id?: string; status: string }>();
  /** Build ids GetPipelineState gave for running CodeBuild actions, by action execution id (or `Stage/Action`). */
  private readonly buildIds = new Map<string, string>();
  /** Each CodeBuild action's build, followed by `Stage/Action@build id`, with its stage. */
  private readonly followers = new Children<string>();
  private readonly builds = new Map<string, Build>();
  /** The actions as last polled: a followed build's action that is no longer InProgress has ended. */
  private lastRows: readonly PipelineActionRow[] = [];
  private followed = 0;
  private readonly stages: StageProgress;
  /** Until when a Failed reading waits for CodePipeline's automatic retry of the failed stage. */
  private retryDeadline?: number;

  constructor(
    initial: PipelineExecution,
    private readonly deps: PipelineWatchDeps,
  ) {
    this.execution = initial;
    const tailing = (stage: string) => this.followers.unfinished((s) => s === stage) > 0;
    this.stages = new StageProgress({ log: deps.log, clock: deps.clock, announce: (row) => this.announce(row), tailing });
  }

  async run(): Promise<PipelineResult> {
    const { clock, signal } = this.deps;
    const policy = this.deps.policy ?? DEFAULT_POLICY;
    await this.followers.around(async () => {
      for (;;) {
        await this.poll();
        const rows = await this.withBuildIds(actionRows(this.deps.declaration, this.actions));
        this.lastRows = rows;
        this.stages.advance(rows, this.execution.status);
        this.deps.onUpdate?.(this.execution, this.stages.marked(rows));
        if (!pipelineEnded(this.execution.status)) this.retryDeadline = undefined;
        else if (!(await this.retryComing(rows))) return;
        const onlyApproval = rows.some((r) => r.status === 'InProgress') && rows.every((r) => r.status !== 'InProgress' || r.category === 'Approval');
        await jitteredSleep(clock, onlyApproval ? policy.pipelineApprovalMs : policy.pipelineMs, this.deps.random, signal);
      }
    });
    const rows = actionRows(this.deps.declaration, this.actions);
    // A stage after one still tailing its log when the execution ended is reached only now: its
    // builds are followed and drained in turn, until no stage starts a new one.
    for (let known = -1; known !== this.followed; ) {
      known = this.followed;
      await this.followers.around(async () => this.stages.advance(rows, this.execution.status, true));
    }
    const failedStage = await this.failedStage(rows);
    return { execution: this.execution, rows: this.stages.marked(rows), builds: this.builds, ...(failedStage && { failedStage }) };
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

  /** This execution's stages in GetPipelineState, or undefined when throttled. */
  private async stageStates() {
    const { name, id } = this.ids();
    const all = await unlessThrottled(() => this.deps.codepipeline.stageStates(name, { poll: true }));
    return all && { all, mine: all.filter((s) => s.executionId === id) };
  }

  /**
   * A Failed reading is not the end while CodePipeline is still to retry the failed stage by itself
   * (onFailure RETRY): the execution reads Failed until that retry starts, then InProgress again.
   * GetPipelineState is asked only for a failed stage declared so.
   */
  private async retryComing(rows: readonly PipelineActionRow[]): Promise<boolean> {
    const { declaration, clock, log } = this.deps;
    const { id } = this.ids();
    if (this.execution.status !== 'Failed' || !retryToCome(declaration, rows, id)) return false;
    const states = await this.stageStates();
    // Throttled: what GetPipelineState says is not known yet; it is asked again at the next poll.
    const pending = retryToCome(declaration, rows, id, states?.all);
    if (!pending) return false;
    if (this.retryDeadline === undefined) {
      this.retryDeadline = clock.now() + pending.waitMs;
      const how = ['onFailure RETRY', pending.mode].filter(Boolean).join(', ');
      log.info(`Stage ${pending.stage} failed: waiting for CodePipeline to retry the stage (${how}) before judging the execution`);
    }
    if (clock.now() <= this.retryDeadline) return true;
    log.warning(`CodePipeline did not retry stage ${pending.stage} within ${formatDuration(pending.waitMs / 1000)}: the execution stays Failed`);
    return false;
  }

  /** Failed with no failed action: a stage condition failed the stage (GetPipelineState, asked once). */
  private async failedStage(rows: readonly PipelineActionRow[]) {
    if (this.execution.status !== 'Failed' || rows.some((r) => r.status === 'Failed' || r.status === 'Abandoned')) return undefined;
    const states = await this.stageStates();
    const failed = states && conditionFailure(states.mine, this.ids().id);
    if (failed) this.deps.log.phaseEnded({ phase: `Stage ${failed.stage}`, status: 'FAILED', message: failed.reason });
    return failed;
  }

  /**
   * ListActionExecutions is documented with the external id of ended actions; for a running
   * CodeBuild action without one, GetPipelineState's latest action execution gives the build id,
   * so its log is tailed while it runs rather than after.
   */
  private async withBuildIds(listed: PipelineActionRow[]): Promise<PipelineActionRow[]> {
    // A build already found keeps its id: ListActionExecutions still leaves it out while the
    // action runs, and the stop (stop-mode abandon) needs it. A retried action runs a new build.
    const known = (r: PipelineActionRow) => (r.executionId && this.buildIds.get(r.executionId)) || this.buildIds.get(actionLabel(r));
    const withIds = () => listed.map((r) => (r.externalId || !known(r) ? r : { ...r, externalId: known(r) }));
    if (!withIds().some((r) => isCodeBuild(r) && r.status === 'InProgress' && !r.externalId)) return withIds();
    for (const stage of (await this.stageStates())?.mine ?? []) {
      for (const a of stage.running) this.buildIds.set(a.actionExecutionId ?? `${stage.name}/${a.action}`, a.externalId);
    }
    return withIds();
  }

  /** A line when an action starts, waits for approval, or ends; its CodeBuild build followed. */
  private announce(row: PipelineActionRow): void {
    const { log } = this.deps;
    const label = actionLabel(row);
    // The build id can come a poll after the action started (CodePipeline starts the build).
    if (isCodeBuild(row) && row.externalId) this.follow(row, label, row.externalId);
    const before = this.seen.get(label);
    const rerun = !!before?.id && !!row.executionId && before.id !== row.executionId;
    if (row.status === before?.status && !rerun) return;
    this.seen.set(label, { status: row.status, ...(row.executionId && { id: row.executionId }) });
    if (row.status === 'NotStarted' || row.status === 'Skipped') return;
    // An action can start and end between two polls: it still gets its start line.
    if (!before || before.status === 'NotStarted' || rerun) {
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
    const key = `${label}@${buildId}`;
    if (this.followers.has(key)) return;
    this.followed++;
    this.followers.start(key, row.stage, async () => {
      // A batch-enabled action's id is a batch's: its builds are not followed here.
      if (row.batch)
        return deps.log.info(`${label} runs batch build ${buildId} (BatchEnabled): its result comes from CodePipeline, its logs are in the CodeBuild console`);
      try {
        const build = await deps.codebuild.getBuild(buildId);
        deps.onBuild?.(row, build);
        const ended = () => this.lastRows.some((r) => actionLabel(r) === label && r.externalId === buildId && r.status !== 'InProgress');
        const final = await watchBuild(build, {
          ...deps,
          log: deps.log.withPrefix(label),
          policy: childPolicy(deps.policy),
          endedElsewhere: ended,
          onBuild: (b) => deps.onBuild?.(row, b),
        });
        this.builds.set(label, final);
        deps.onBuild?.(row, final);
      } catch (error) {
        if (deps.signal?.aborted) throw error;
        // A build in another region or account: its result still comes from CodePipeline; only its log is not shown here.
        deps.log.warning(`Cannot follow the build of ${label} (${buildId}): ${describeFailure(error)}. Its result comes from CodePipeline.`);
      }
    });
  }
}
