import { AwsError, arnOf, DEFAULT_PLACE, type Json, type Place } from './aws-error';
import type { FakeCodeBuild } from './fake-codebuild';
import { type ExecutionHooks, FakeExecution, type ScriptedAction, type ScriptedPipeline } from './fake-execution';
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
    const action = (a: ScriptedAction) => ({
      name: a.name,
      actionTypeId: { category: a.category, owner: 'AWS', provider: a.provider, version: '1' },
      runOrder: a.runOrder ?? 1,
      ...(a.timeoutInMinutes && { timeoutInMinutes: a.timeoutInMinutes }),
      configuration: { ...(a.project && { ProjectName: a.project }), ...a.configuration },
      ...(a.outputs && { outputArtifacts: Object.keys(a.outputs).map((name) => ({ name })) }),
    });
    return {
      name: p.name,
      roleArn: arnOf(this.place, 'iam', `role/${p.name}`).replace(`:${this.place.region}:`, '::'),
      artifactStore: { type: 'S3', location: this.artifactBucket },
      stages: p.stages.map((s) => ({ name: s.name, actions: s.actions.map(action) })),
      version: 1,
      pipelineType: p.type ?? 'V2',
      executionMode: 'SUPERSEDED',
    };
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
    return {
      pipelineName: p.name,
      pipelineVersion: 1,
      stageStates: p.stages.map((s) => {
        const latest = this.executionsOf(p.name).find((e) => e.runs.some((r) => r.stage === s.name));
        return {
          stageName: s.name,
          inboundTransitionState: { enabled: true },
          actionStates: s.actions.map((a) => {
            const run = latest?.runs.find((r) => r.stage === s.name && r.action.name === a.name);
            const execution = run && {
              actionExecutionId: run.id,
              status: run.status,
              lastStatusChange: seconds(run.endedAt ?? run.startedAt),
              ...(run.build && { externalExecutionId: run.build.id }),
            };
            return { actionName: a.name, ...(execution && { latestExecution: execution }) };
          }),
          ...(latest && { latestExecution: { pipelineExecutionId: latest.id, status: latest.status } }),
        };
      }),
    };
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

function actionDetail(e: FakeExecution, r: FakeExecution['runs'][number], place: Place, resultsWhileRunning: boolean): Json {
  const a = r.action;
  const build = r.build;
  const externalId = build?.id ?? (a.provider === 'S3' ? e.sourceRevision?.revisionId : undefined) ?? `${a.provider.toLowerCase()}-${r.id.slice(0, 8)}`;
  const url = build
    ? `https://${place.region}.console.aws.amazon.com/codesuite/codebuild/projects/${build.project}/build/${encodeURIComponent(build.id)}/?region=${place.region}`
    : a.url;
  const failed = r.status === 'Failed';
  const error = build
    ? { code: 'JobFailed', message: `Build terminated with state: ${build.status}` }
    : (a.fails ?? (a.category === 'Approval' ? { code: 'JobFailed', message: 'The approval timed out' } : undefined));
  return {
    pipelineExecutionId: e.id,
    actionExecutionId: r.id,
    pipelineVersion: 1,
    stageName: r.stage,
    actionName: a.name,
    startTime: seconds(r.startedAt),
    lastUpdateTime: seconds(r.endedAt ?? r.startedAt),
    status: r.status,
    input: { actionTypeId: { category: a.category, owner: 'AWS', provider: a.provider, version: '1' }, configuration: a.configuration ?? {} },
    output: {
      ...(r.outputs && { outputArtifacts: r.outputs.map((o) => ({ name: o.name, s3location: { bucket: o.bucket, key: o.key } })) }),
      ...(r.status !== 'InProgress' || resultsWhileRunning
        ? {
            executionResult: {
              externalExecutionId: externalId,
              ...(url && { externalExecutionUrl: url }),
              ...(a.summary && r.status === 'Succeeded' && { externalExecutionSummary: a.summary }),
              ...(failed && error && { errorDetails: error }),
            },
          }
        : {}),
    },
  };
}
