import { AwsError, arnOf, DEFAULT_PLACE, type Json, type Place } from './aws-error';
import { placeStores } from './fake-artifacts';
import type { FakeCodeBuild } from './fake-codebuild';
import { type ExecutionHooks, FakeExecution, type ScriptedPipeline } from './fake-execution';
import { actionDetail, declarationOf, stateOf } from './fake-pipeline-views';
import type { FakeS3 } from './fake-s3';

const seconds = (ms: number) => ms / 1000;

/**
 * CodePipeline (JSON 1.1, `CodePipeline_20150709.<Op>`, epoch-second timestamps) over scripted
 * pipelines whose CodeBuild actions run builds the fake CodeBuild serves: GetPipeline,
 * StartPipelineExecution, GetPipelineExecution, ListActionExecutions (newest first, paged),
 * GetPipelineState, StopPipelineExecution, ListPipelineExecutions (newest first).
 */
export class FakeCodePipeline {
  readonly executions: FakeExecution[] = [];
  readonly startRequests: Json[] = [];
  readonly stopRequests: Json[] = [];
  private readonly pipelines = new Map<string, ScriptedPipeline>();
  private readonly tokens = new Map<string, string>();
  private readonly pending: { pipeline: string; at: number; versionId: string; actionName: string; polled: boolean }[] = [];
  /** ListActionExecutions page size (the service's maxResults is at most 100). */
  actionPageSize = 100;
  /**
   * Whether a running action's ActionExecutionOutput already carries its executionResult (external
   * id, link). The API reference does not say when it appears; the CLI examples show it on ended
   * actions. Off: the tool must find a running build through GetPipelineState.
   */
  resultsWhileRunning = false;
  /**
   * Whether GetPipelineState tells each stage's latest execution, retries and conditions. Every
   * StageState field but stageName is optional in the API model; off, the fake answers as an
   * implementation of the API that leaves them out.
   */
  stageDetails = true;

  constructor(
    private readonly now: () => number,
    private readonly codebuild: FakeCodeBuild,
    private readonly s3: FakeS3,
    private readonly place: Place = DEFAULT_PLACE,
  ) {
    s3.onObjectWritten = (key, versionId) => this.uploaded(key, versionId);
  }

  addPipeline(pipeline: ScriptedPipeline): void {
    this.pipelines.set(pipeline.name, pipeline);
    placeStores(this.s3, pipeline, this.place.region);
  }

  handle(op: string, body: Json): Json | undefined {
    this.settle();
    const ops: Record<string, (b: Json) => Json> = {
      GetPipeline: (b) => ({ pipeline: this.declaration(this.pipeline(b.name)), metadata: { pipelineArn: arnOf(this.place, 'codepipeline', b.name) } }),
      StartPipelineExecution: (b) => this.start(b),
      GetPipelineExecution: (b) => ({ pipelineExecution: this.executionView(this.execution(b.pipelineName, b.pipelineExecutionId)) }),
      ListActionExecutions: (b) => this.listActions(b),
      GetPipelineState: (b) => this.state(b),
      StopPipelineExecution: (b) => this.stopExecution(b),
      ListPipelineExecutions: (b) => ({
        pipelineExecutionSummaries: this.executionsOf(this.pipeline(b.pipelineName).name)
          .slice(0, b.maxResults ?? 100)
          .map((e) => this.summary(e)),
      }),
    };
    return ops[op]?.(body);
  }

  /** Advance every execution to now. */
  tick(): void {
    this.settle();
  }

  private settle(): void {
    const now = this.now();
    const due = this.pending.filter((t) => t.at <= now);
    this.pending.splice(0, this.pending.length, ...this.pending.filter((t) => t.at > now));
    for (const p of due) {
      // ListPipelineExecutions' trigger: PollForSourceChanges, or CloudWatchEvent for an event rule
      // (ExecutionTrigger in the API reference).
      const trigger = p.polled
        ? { triggerType: 'PollForSourceChanges', triggerDetail: p.actionName }
        : { triggerType: 'CloudWatchEvent', triggerDetail: arnOf(this.place, 'events', `rule/codepipeline-${p.pipeline}-source`) };
      this.newExecution(this.pipeline(p.pipeline), p.at, trigger, [], { actionName: p.actionName, revisionId: p.versionId });
    }
    for (const e of this.executions) e.settle(now);
  }

  private pipeline(name: unknown): ScriptedPipeline {
    const p = this.pipelines.get(String(name));
    if (!p) throw new AwsError('PipelineNotFoundException', `Account '123456789012' does not have a pipeline with name '${name}'`);
    return p;
  }

  private execution(pipeline: unknown, id: unknown): FakeExecution {
    this.pipeline(pipeline);
    const e = this.executions.find((x) => x.id === id && x.pipeline.name === pipeline);
    if (!e) throw new AwsError('PipelineExecutionNotFoundException', `Pipeline execution with id '${id}' does not exist in pipeline with name '${pipeline}'.`);
    return e;
  }

  private executionsOf(name: string): FakeExecution[] {
    return this.executions.filter((e) => e.pipeline.name === name).sort((a, b) => b.startedAt - a.startedAt);
  }

  private declaration(p: ScriptedPipeline): Json {
    return declarationOf(p, arnOf(this.place, 'iam', `role/${p.name}`).replace(`:${this.place.region}:`, '::'), this.place.region);
  }

  private get artifactBucket(): string {
    return `codepipeline-${this.place.region}-123456789012`;
  }

  /** "the values can be anything except an empty string"; V1 pipelines take neither variables nor revisions. */
  private start(b: Json): Json {
    this.startRequests.push(b);
    const p = this.pipeline(b.name);
    if (b.clientRequestToken && this.tokens.has(b.clientRequestToken)) return { pipelineExecutionId: this.tokens.get(b.clientRequestToken) };
    if ((p.type ?? 'V2') === 'V1' && (b.variables?.length || b.sourceRevisions?.length)) {
      throw new AwsError('ValidationException', 'Pipeline variables and source revision overrides are only supported for V2 pipelines');
    }
    const revision = (b.sourceRevisions ?? []).find((r: Json) => r.revisionType === 'S3_OBJECT_VERSION_ID');
    const e = this.newExecution(
      p,
      this.now(),
      { triggerType: 'StartPipelineExecution', triggerDetail: arnOf(this.place, 'sts', 'assumed-role/ci/codebuild-run') },
      b.variables ?? [],
      revision && { actionName: revision.actionName, revisionId: revision.revisionValue },
    );
    if (b.clientRequestToken) this.tokens.set(b.clientRequestToken, e.id);
    return { pipelineExecutionId: e.id };
  }

  private newExecution(
    p: ScriptedPipeline,
    at: number,
    trigger: FakeExecution['trigger'],
    variables: readonly Json[],
    revision?: { actionName: string; revisionId: string },
  ): FakeExecution {
    const hooks: ExecutionHooks = {
      startBuild: (project, when) => this.codebuild.newBuild(project, this.codebuild.scriptOf(project), { initiator: `codepipeline/${p.name}` }, when),
      startBatch: (project, when) => this.codebuild.newBatch(project, { projectName: project, initiator: `codepipeline/${p.name}` }, when),
      store: (bucket, key, body) => void this.s3.objects.set(`${bucket}/${key}`, body),
      artifactBucket: this.artifactBucket,
      stageBusy: (stage, self) => this.executionsOf(p.name).some((o) => o !== self && o.holds(stage)),
      waiting: (stage, self, when) => {
        for (const o of this.executionsOf(p.name)) if (o !== self && o.startedAt <= self.startedAt && o.waitingAt === stage && !o.ended) o.supersede(when);
      },
    };
    const e = new FakeExecution(p, at, trigger, variables, revision, hooks);
    this.executions.push(e);
    e.settle(this.now());
    return e;
  }

  /** An object written to a pipeline's S3 source key starts an execution later, if the pipeline is so wired. */
  private uploaded(key: string, versionId: string): void {
    for (const p of this.pipelines.values()) {
      if (p.uploadTriggersAfterMs === undefined) continue;
      for (const a of p.stages.flatMap((s) => s.actions)) {
        const c = a.configuration ?? {};
        if (a.provider === 'S3' && `${c.S3Bucket}/${c.S3ObjectKey}` === key)
          this.pending.push({
            pipeline: p.name,
            at: this.now() + p.uploadTriggersAfterMs,
            versionId,
            actionName: a.name,
            polled: c.PollForSourceChanges?.toLowerCase() !== 'false',
          });
      }
    }
  }

  private executionView(e: FakeExecution): Json {
    return {
      pipelineName: e.pipeline.name,
      pipelineVersion: 1,
      pipelineExecutionId: e.id,
      status: e.status,
      // No statusSummary or revisionSummary: their texts are not documented (an S3 source's
      // revisionSummary is the object's codepipeline-artifact-revision-summary metadata).
      artifactRevisions: e.sourceRevision ? [{ name: 'SourceArtifact', revisionId: e.sourceRevision.revisionId }] : [],
      variables: e.variables.map((v) => ({ name: v.name, resolvedValue: v.value })),
      trigger: e.trigger,
      executionMode: 'SUPERSEDED',
      executionType: 'STANDARD',
    };
  }

  private summary(e: FakeExecution): Json {
    return {
      pipelineExecutionId: e.id,
      status: e.status,
      startTime: seconds(e.startedAt),
      lastUpdateTime: seconds(e.lastUpdate),
      trigger: e.trigger,
      executionMode: 'SUPERSEDED',
      ...(e.sourceRevision && { sourceRevisions: [{ ...e.sourceRevision }] }),
      ...(e.stop?.reason && { stopTrigger: { reason: e.stop.reason } }),
    };
  }

  private listActions(b: Json): Json {
    const id = b.filter?.pipelineExecutionId;
    const all = (id ? [this.execution(b.pipelineName, id)] : this.executionsOf(this.pipeline(b.pipelineName).name)).flatMap((e) =>
      e.runs.map((r) => ({ e, r })),
    );
    const newestFirst = all.sort((x, y) => y.r.startedAt - x.r.startedAt).map(({ e, r }) => actionDetail(e, r, this.place, this.resultsWhileRunning));
    const size = Math.min(b.maxResults ?? 100, this.actionPageSize);
    const from = Number(b.nextToken ?? 0);
    const more = from + size < newestFirst.length;
    return { actionExecutionDetails: newestFirst.slice(from, from + size), ...(more && { nextToken: String(from + size) }) };
  }

  /** Each stage's latest state: the newest execution that entered it, and its actions' latest runs. */
  private state(b: Json): Json {
    const p = this.pipeline(b.name);
    return stateOf(p, this.executionsOf(p.name), this.stageDetails);
  }

  private stopExecution(b: Json): Json {
    this.stopRequests.push(b);
    const e = this.execution(b.pipelineName, b.pipelineExecutionId);
    if (!['InProgress', 'Stopping'].includes(e.status))
      throw new AwsError('PipelineExecutionNotStoppableException', 'Unable to stop pipeline execution: it is not in progress');
    if (e.stop && !(b.abandon && !e.stop.abandon))
      throw new AwsError('DuplicatedStopRequestException', 'The pipeline execution is already in a Stopping state');
    e.stop = { at: this.now(), abandon: !!b.abandon, reason: b.reason };
    e.settle(this.now());
    return { pipelineExecutionId: e.id };
  }
}
