import { randomUUID } from 'node:crypto';
import type { Json } from './aws-error';
import type { FakeBuild } from './fake-build';

/** An action of a scripted pipeline. */
export interface ScriptedAction {
  readonly name: string;
  readonly category: 'Source' | 'Build' | 'Test' | 'Deploy' | 'Approval' | 'Invoke';
  readonly provider: string;
  readonly runOrder?: number;
  /** CodeBuild: the fake project it builds (its script decides the build). */
  readonly project?: string;
  /** Other providers: how long it runs, and how it ends. */
  readonly durationMs?: number;
  readonly fails?: { readonly code: string; readonly message: string };
  readonly summary?: string;
  readonly url?: string;
  readonly configuration?: Readonly<Record<string, string>>;
  /** Manual approvals: ActionDeclaration.timeoutInMinutes, "available only to the manual approval ActionType" (7 days by default). */
  readonly timeoutInMinutes?: number;
  /** Output artifacts put in the pipeline's artifact store when it succeeds (ZIP bytes). */
  readonly outputs?: Readonly<Record<string, Buffer>>;
}

export interface ScriptedPipeline {
  readonly name: string;
  readonly type?: 'V1' | 'V2';
  readonly stages: readonly { readonly name: string; readonly actions: readonly ScriptedAction[] }[];
  /** An upload to its S3 source starts an execution this long after (polling or an event rule); never when unset. */
  readonly uploadTriggersAfterMs?: number;
}

interface ActionRun {
  readonly stage: string;
  readonly action: ScriptedAction;
  readonly id: string;
  readonly startedAt: number;
  status: 'InProgress' | 'Succeeded' | 'Failed' | 'Abandoned';
  endedAt?: number;
  build?: FakeBuild;
  outputs?: { name: string; bucket: string; key: string }[];
}

export interface ExecutionHooks {
  /** CodeBuild actions start a build of the project at `at`. */
  startBuild(project: string, at: number, execution: FakeExecution): FakeBuild;
  /** A succeeded action's outputs go to the artifact store. */
  store(bucket: string, key: string, body: Buffer): void;
  /** Another execution of the pipeline holds the stage (one execution per stage at a time). */
  stageBusy(stage: string, execution: FakeExecution): boolean;
  /** This execution now waits to enter the stage: an older one waiting there is superseded. */
  waiting(stage: string, execution: FakeExecution, at: number): void;
  readonly artifactBucket: string;
}

/**
 * One execution of a scripted pipeline, computed from the clock like the fake's builds: stages in
 * order, actions of a stage by runOrder, a failed action ends the stage and the execution.
 * Stop and wait lets running actions end, stop and abandon marks them Abandoned
 * (StopPipelineExecution, "Stop a pipeline execution" in the user guide). SUPERSEDED mode, the
 * default: one execution per stage; one that waits to enter a stage is Superseded when a newer one
 * comes to wait there ("while this pipeline execution was waiting for the next stage to be
 * completed, a newer pipeline execution advanced and continued through the pipeline instead",
 * PipelineExecution.status in the API reference).
 */
export class FakeExecution {
  readonly id = randomUUID();
  readonly runs: ActionRun[] = [];
  stop?: { at: number; abandon: boolean; reason?: string };
  /** The stage it waits to enter while another execution holds it. */
  waitingAt?: string;
  private supersededAt?: number;
  private finishedAt?: number;
  private failed?: ActionRun;

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
      progressed = false;
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
    return this.failed ? 'Failed' : 'Succeeded';
  }

  get lastUpdate(): number {
    return Math.max(this.startedAt, ...this.runs.map((r) => r.endedAt ?? r.startedAt));
  }

  get failure(): ActionRun | undefined {
    return this.failed;
  }

  get ended(): boolean {
    return this.finishedAt !== undefined;
  }

  /** It holds the stage: it has begun it and has actions there still running or still to start. */
  holds(stage: string): boolean {
    const here = this.runs.filter((r) => r.stage === stage);
    if (this.ended || !here.length) return false;
    const declared = this.pipeline.stages.find((s) => s.name === stage)?.actions.length ?? 0;
    return here.some((r) => r.status === 'InProgress') || (here.length < declared && !this.failed && !this.stop);
  }

  supersede(at: number): void {
    this.supersededAt = at;
    this.finishedAt = at;
    this.waitingAt = undefined;
  }

  private endOf(run: ActionRun, now: number): number | undefined {
    if (this.stop?.abandon) return this.stop.at;
    if (run.build) return run.build.done(now) ? run.build.endAt : undefined;
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
    else run.status = run.action.fails || run.action.category === 'Approval' ? 'Failed' : 'Succeeded';
    if (run.status === 'Failed') this.failed ??= run;
    if (run.status === 'Succeeded') this.storeOutputs(run);
  }

  /** The next group of actions (same stage, next runOrder; or the next stage), or the end. */
  private startNext(now: number): boolean {
    const at = Math.max(this.startedAt, ...this.runs.map((r) => r.endedAt ?? 0));
    if (this.failed || this.stop) {
      this.finishedAt = this.stop ? Math.max(at, this.stop.at) : at;
      return true;
    }
    for (const stage of this.pipeline.stages) {
      const orders = [...new Set(stage.actions.map((a) => a.runOrder ?? 1))].sort((a, b) => a - b);
      for (const order of orders) {
        const group = stage.actions.filter((a) => (a.runOrder ?? 1) === order);
        if (group.every((a) => this.runs.some((r) => r.stage === stage.name && r.action.name === a.name))) continue;
        if (at > now) return false;
        const entering = !this.runs.some((r) => r.stage === stage.name);
        if (entering && this.hooks.stageBusy(stage.name, this)) {
          if (this.waitingAt !== stage.name) this.hooks.waiting(stage.name, this, now);
          this.waitingAt = stage.name;
          return false;
        }
        // Entering after a wait: when the stage was seen free.
        const from = this.waitingAt === stage.name ? now : at;
        this.waitingAt = undefined;
        for (const action of group) this.begin(stage.name, action, from);
        return true;
      }
    }
    this.finishedAt = at;
    return true;
  }

  private begin(stage: string, action: ScriptedAction, at: number): void {
    const run: ActionRun = { stage, action, id: randomUUID(), startedAt: at, status: 'InProgress' };
    if (action.provider === 'CodeBuild') run.build = this.hooks.startBuild(action.project ?? '', at, this);
    this.runs.push(run);
  }

  private storeOutputs(run: ActionRun): void {
    run.outputs = Object.entries(run.action.outputs ?? {}).map(([name, body]) => {
      const key = `${this.pipeline.name.slice(0, 20)}/${name.slice(0, 20)}/${randomUUID().slice(0, 7)}`;
      this.hooks.store(this.hooks.artifactBucket, key, body);
      return { name, bucket: this.hooks.artifactBucket, key };
    });
  }
}
