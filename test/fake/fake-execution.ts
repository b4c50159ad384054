import { randomUUID } from 'node:crypto';
import type { Json } from './aws-error';
import { storeBucket } from './fake-artifacts';
import {
  type ActionRun,
  AUTO_STAGE_RETRY_AFTER_MS,
  batchEnabled,
  type ExecutionHooks,
  type ScriptedAction,
  type ScriptedEntryCondition,
  type ScriptedPipeline,
  type ScriptedStage,
} from './pipeline-script';

export type { ExecutionHooks, ScriptedAction, ScriptedEntryCondition, ScriptedPipeline, ScriptedStage, ScriptedStageRetry } from './pipeline-script';

/**
 * One execution of a scripted pipeline, computed from the clock like the fake's builds: stages in
 * order, actions of a stage by runOrder, a failed action ends the stage and the execution (unless
 * the stage retries itself, above); a stage whose entry condition engages is skipped or failed
 * without running an action. Stop and wait lets running actions end, a pending manual approval
 * included (up to its timeout, 7 days by default: "The execution is in a Stopping state until the
 * in-progress actions are complete"); stop and abandon marks them Abandoned (StopPipelineExecution,
 * "Stop a pipeline execution" in the user guide). SUPERSEDED mode, the default: one execution per
 * stage; one that waits to enter a stage is Superseded when a newer one comes to wait there
 * ("while this pipeline execution was waiting for the next stage to be completed, a newer pipeline
 * execution advanced and continued through the pipeline instead", PipelineExecution.status).
 */
export class FakeExecution {
  readonly id = randomUUID();
  readonly runs: ActionRun[] = [];
  /** Stages an entry condition skipped or failed, with the condition's summary. */
  readonly conditions = new Map<string, { status: 'Skipped' | 'Failed'; summary: string }>();
  /** Stages CodePipeline retried by itself (onFailure RETRY). */
  readonly autoRetried = new Set<string>();
  stop?: { at: number; abandon: boolean; reason?: string };
  /** The stage it waits to enter while another execution holds it. */
  waitingAt?: string;
  private supersededAt?: number;
  private finishedAt?: number;
  private failedStage?: string;
  private retryDue?: { stage: string; at: number };
  private resumedAt = 0;

  constructor(
    readonly pipeline: ScriptedPipeline,
    readonly startedAt: number,
    readonly trigger: { triggerType: string; triggerDetail: string },
    readonly variables: readonly Json[],
    readonly sourceRevision: { actionName: string; revisionId: string } | undefined,
    private readonly hooks: ExecutionHooks,
  ) {}

  /** Advance the timeline to `now`. */
  settle(now: number): void {
    for (let progressed = true; progressed; ) {
      progressed = this.retryIfDue(now);
      for (const run of this.runs.filter((r) => r.status === 'InProgress')) {
        const end = this.endOf(run, now);
        if (end === undefined || end > now) continue;
        this.finish(run, end);
        progressed = true;
      }
      if (this.finishedAt === undefined && !this.runs.some((r) => r.status === 'InProgress')) progressed = this.startNext(now) || progressed;
    }
  }

  get status(): string {
    if (this.supersededAt !== undefined) return 'Superseded';
    if (this.stop && this.finishedAt !== undefined) return 'Stopped';
    if (this.stop) return 'Stopping';
    if (this.finishedAt === undefined) return 'InProgress';
    return this.failedStage ? 'Failed' : 'Succeeded';
  }

  get lastUpdate(): number {
    return Math.max(this.startedAt, ...this.runs.map((r) => r.endedAt ?? r.startedAt));
  }

  get ended(): boolean {
    return this.finishedAt !== undefined;
  }

  /** It has reached the stage: run an action there, or had it skipped or failed by its entry condition. */
  entered(stage: string): boolean {
    return this.conditions.has(stage) || this.runs.some((r) => r.stage === stage);
  }

  /** It holds the stage: it has begun it and has actions there still running or still to start. */
  holds(stage: string): boolean {
    const here = this.live(stage);
    if (this.ended || !here.length) return false;
    const declared = this.pipeline.stages.find((s) => s.name === stage)?.actions.length ?? 0;
    return here.some((r) => r.status === 'InProgress') || (here.length < declared && !this.failedStage && !this.stop);
  }

  /** The stage's status in GetPipelineState (StageExecution.status), once this execution entered it. */
  stageStatus(stage: string): string | undefined {
    const condition = this.conditions.get(stage);
    if (condition) return condition.status;
    const here = this.live(stage);
    if (!here.length) return undefined;
    if (here.some((r) => r.status === 'InProgress')) return this.stop ? 'Stopping' : 'InProgress';
    if (here.some((r) => r.status === 'Failed')) return 'Failed';
    if (here.some((r) => r.status === 'Abandoned')) return 'Stopped';
    const declared = this.pipeline.stages.find((s) => s.name === stage)?.actions.length ?? 0;
    return here.length === declared ? 'Succeeded' : this.stop ? 'Stopped' : 'InProgress';
  }

  supersede(at: number): void {
    this.supersededAt = at;
    this.finishedAt = at;
    this.waitingAt = undefined;
  }

  private live(stage: string, action?: string): ActionRun[] {
    return this.runs.filter((r) => r.stage === stage && !r.replaced && (action === undefined || r.action.name === action));
  }

  private endOf(run: ActionRun, now: number): number | undefined {
    if (this.stop?.abandon) return this.stop.at;
    if (run.build) return run.build.done(now) ? run.build.endAt : undefined;
    if (run.batch) return run.batch.endAt(now);
    if (run.action.category === 'Approval') {
      const minutes = run.action.timeoutInMinutes ?? 7 * 24 * 60;
      return run.startedAt + minutes * 60_000;
    }
    return run.startedAt + (run.action.durationMs ?? 500);
  }

  private finish(run: ActionRun, at: number): void {
    run.endedAt = at;
    if (this.stop?.abandon) run.status = 'Abandoned';
    else if (run.build) run.status = run.build.status === 'SUCCEEDED' ? 'Succeeded' : 'Failed';
    else if (run.batch) run.status = run.batch.status(at) === 'SUCCEEDED' ? 'Succeeded' : 'Failed';
    else run.status = run.action.fails || run.action.category === 'Approval' ? 'Failed' : 'Succeeded';
    if (run.status === 'Failed') this.failedStage ??= run.stage;
    if (run.status === 'Succeeded') this.storeOutputs(run);
  }

  /** The next group of actions (same stage, next runOrder; or the next stage), or the end. */
  private startNext(now: number): boolean {
    const at = Math.max(this.startedAt, this.resumedAt, ...this.runs.map((r) => r.endedAt ?? 0));
    if (this.failedStage || this.stop) return this.end(at);
    for (const stage of this.pipeline.stages) {
      if (this.conditions.has(stage.name)) continue;
      const orders = [...new Set(stage.actions.map((a) => a.runOrder ?? 1))].sort((a, b) => a - b);
      for (const order of orders) {
        const group = stage.actions.filter((a) => (a.runOrder ?? 1) === order && !this.live(stage.name, a.name).length);
        if (!group.length) continue;
        if (at > now) return false;
        const entering = !this.entered(stage.name);
        if (entering && this.hooks.stageBusy(stage.name, this)) {
          if (this.waitingAt !== stage.name) this.hooks.waiting(stage.name, this, now);
          this.waitingAt = stage.name;
          return false;
        }
        // Entering after a wait: when the stage was seen free.
        const from = this.waitingAt === stage.name ? now : at;
        this.waitingAt = undefined;
        if (entering && stage.entry) return this.engage(stage.name, stage.entry);
        for (const action of group) this.begin(stage.name, action, from);
        return true;
      }
    }
    return this.end(at);
  }

  private end(at: number): boolean {
    this.finishedAt = this.stop ? Math.max(at, this.stop.at) : at;
    const retry = this.failedStage && !this.stop && !this.autoRetried.has(this.failedStage) && this.stageOf(this.failedStage)?.onFailure;
    if (retry) this.retryDue = { stage: this.failedStage!, at: at + (retry.afterMs ?? AUTO_STAGE_RETRY_AFTER_MS) };
    return true;
  }

  /** The entry condition's rules failed: its result engages, and no action of the stage runs. */
  private engage(stage: string, entry: ScriptedEntryCondition): boolean {
    const summary = entry.summary ?? `The entry condition of stage ${stage} was not met`;
    this.conditions.set(stage, { status: entry.result === 'SKIP' ? 'Skipped' : 'Failed', summary });
    if (entry.result === 'FAIL') this.failedStage = stage;
    return true;
  }

  /** CodePipeline's one automatic retry of a failed stage: the execution reads InProgress again. */
  private retryIfDue(now: number): boolean {
    const due = this.retryDue;
    if (!due || due.at > now || this.supersededAt !== undefined) return false;
    const all = this.stageOf(due.stage)?.onFailure?.retryMode === 'ALL_ACTIONS';
    for (const r of this.live(due.stage)) if (all || r.status === 'Failed') r.replaced = true;
    this.autoRetried.add(due.stage);
    this.retryDue = undefined;
    this.failedStage = undefined;
    this.finishedAt = undefined;
    this.resumedAt = due.at;
    return true;
  }

  private stageOf(name: string): ScriptedStage | undefined {
    return this.pipeline.stages.find((s) => s.name === name);
  }

  private begin(stage: string, action: ScriptedAction, at: number): void {
    const run: ActionRun = { stage, action, id: randomUUID(), startedAt: at, status: 'InProgress' };
    if (batchEnabled(action)) run.batch = this.hooks.startBatch(action.project ?? '', at);
    else if (action.provider === 'CodeBuild') run.build = this.hooks.startBuild(action.project ?? '', at, this);
    this.runs.push(run);
  }

  private storeOutputs(run: ActionRun): void {
    run.outputs = Object.entries(run.action.outputs ?? {}).map(([name, body]) => {
      const key = `${this.pipeline.name.slice(0, 20)}/${name.slice(0, 20)}/${randomUUID().slice(0, 7)}`;
      // A cross-region action's go to its region's store.
      const bucket = run.action.region ? storeBucket(run.action.region) : this.hooks.artifactBucket;
      this.hooks.store(bucket, key, body);
      return { name, bucket, key };
    });
  }
}
