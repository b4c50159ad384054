import type { Build } from '@aws-sdk/client-codebuild';
import type { PipelineDeclaration, PipelineExecution } from '@aws-sdk/client-codepipeline';
import type { CallOptions } from '../aws/codebuild';
import type { PipelineConfig, UploadConfig } from '../config/config';
import { type ArtifactPlan, pipelineArtifacts } from '../domain/artifacts';
import { buildConsoleUrl, pipelineExecutionUrl } from '../domain/links';
import type { Links } from '../domain/outcome';
import { actionLabel, type PipelineActionRow, rowSeconds, successorOf } from '../domain/pipeline';
import { pipelineSubject, pipelineVerdictOf } from '../domain/pipeline-verdict';
import type { TestReport } from '../domain/test-reports';
import type { Verdict } from '../domain/verdict';
import { watchPipeline } from '../watch/pipeline-watcher';
import { executionForUpload, startExecution, startProblem, uploadDestinationOf, versionOf } from './pipeline-start';
import { stopPipelineExecution } from './pipeline-stop';
import type { UploadDestination, UploadedSource } from './source-upload';
import { type BuildTarget, type TargetDeps, type TargetReport, watchDepsOf } from './target';
import { readTestReports } from './test-reports';

/** Superseded executions followed on to their successor: a chain longer than this is churn, not one change. */
const MAX_HOPS = 3;

/** A CodePipeline execution: started (or found after an upload, or attached to), followed, stopped. */
export class PipelineRun implements BuildTarget {
  private declaration?: PipelineDeclaration;
  private pollingDisabled = false;
  private execution?: PipelineExecution;
  private rows: readonly PipelineActionRow[] = [];
  private builds: ReadonlyMap<string, Build> = new Map();
  private links: Links = {};
  readonly retryable = false;

  constructor(
    private readonly config: PipelineConfig,
    private readonly upload: UploadConfig | undefined,
    private readonly deps: TargetDeps,
  ) {}

  get name(): string | undefined {
    return this.execution && `pipeline ${this.config.name} execution ${this.execution.pipelineExecutionId}`;
  }

  get status(): string | undefined {
    return this.execution?.status;
  }

  private async pipeline(): Promise<PipelineDeclaration> {
    if (!this.declaration)
      ({ pipeline: this.declaration, pollingDisabled: this.pollingDisabled } = await this.deps.services.codepipeline.getPipeline(this.config.name));
    return this.declaration;
  }

  async uploadDestination(): Promise<UploadDestination> {
    return uploadDestinationOf(await this.pipeline(), this.upload ?? { bucket: '', prefix: '' });
  }

  async start(source?: UploadedSource): Promise<void> {
    const { services, clock, log } = this.deps;
    const declaration = await this.pipeline();
    const problem = startProblem(declaration, this.config);
    if (problem) throw new Error(problem);
    const deps = { codepipeline: services.codepipeline, clock, log };
    let verb = 'Started';
    let id = this.config.executionId;
    if (id) verb = 'Following';
    else if (source) id = await executionForUpload(deps, { declaration, pollingDisabled: this.pollingDisabled }, this.config, versionOf(source));
    else id = await startExecution(deps, declaration, this.config);
    this.follow(id, verb);
  }

  private follow(id: string, verb: string): void {
    this.execution = { pipelineName: this.config.name, pipelineExecutionId: id, status: 'InProgress' };
    this.rows = [];
    this.links = { console: pipelineExecutionUrl(this.deps.region, this.config.name, id) };
    this.deps.outputs.set({ 'pipeline-execution-id': id, 'pipeline-url': this.links.console, 'pipeline-status': 'InProgress' });
    this.deps.log.info(`${verb} pipeline ${this.config.name} execution ${id}`);
    this.deps.log.info(`Console: ${this.links.console}`);
  }

  async watch(signal: AbortSignal): Promise<void> {
    const builds = new Map<string, Build>();
    for (let hop = 0; ; hop++) {
      const result = await this.watchOne(signal);
      for (const [k, b] of result.builds) builds.set(k, b);
      this.builds = builds;
      const next = this.execution?.status === 'Superseded' && hop < MAX_HOPS ? await this.successor(signal) : undefined;
      if (!next) return;
      this.follow(next, 'Following');
    }
  }

  /** Superseded by an execution of the same source revisions: the change goes on there, and so does the step. */
  private async successor(signal: AbortSignal): Promise<string | undefined> {
    const id = this.execution!.pipelineExecutionId!;
    const next = successorOf(await this.deps.services.codepipeline.recentExecutions(this.config.name, { signal }), id);
    if (next) this.deps.log.info(`Execution ${id} was superseded by ${next}, which carries the same source revisions: following it`);
    return next;
  }

  private watchOne(signal: AbortSignal) {
    const { services, region } = this.deps;
    const cp = services.codepipeline;
    return watchPipeline(this.execution!, {
      ...watchDepsOf(this.deps, signal),
      codepipeline: {
        getExecution: (p, id, o) => cp.getExecution(p, id, { ...o, signal }),
        actionExecutions: (p, id, o) => cp.actionExecutions(p, id, { ...o, signal }),
        runningBuildIds: (p, id, o) => cp.runningBuildIds(p, id, { ...o, signal }),
      },
      region,
      ...(this.declaration && { declaration: this.declaration }),
      onUpdate: (execution, rows) => this.update(execution, rows),
      onBuild: (_row, build) => this.buildSeen(build),
    }).then((result) => {
      this.update(result.execution, result.rows);
      return result;
    });
  }

  private update(execution: PipelineExecution, rows: readonly PipelineActionRow[]): void {
    this.execution = execution;
    this.rows = rows;
    const actions = rows.map((r) => ({ stage: r.stage, action: r.action, provider: r.provider, status: r.status, 'external-id': r.externalId, link: r.url }));
    this.deps.outputs.set({ 'pipeline-status': execution.status, 'pipeline-actions': JSON.stringify(actions) });
  }

  /** build-id and the other build outputs name the latest CodeBuild action's build. */
  private buildSeen(build: Build): void {
    const url = buildConsoleUrl({ id: build.id!, arn: build.arn, region: this.deps.region });
    this.deps.outputs.set({
      'build-id': build.id,
      'build-arn': build.arn,
      'build-number': build.buildNumber === undefined ? undefined : String(build.buildNumber),
      'build-url': url,
      'build-status': build.buildStatus,
    });
  }

  async retry(): Promise<void> {
    throw new Error('retry-on does not apply to a pipeline execution');
  }

  testReports(): Promise<TestReport[]> {
    return readTestReports(
      this.deps,
      [...this.builds.values()].flatMap((b) => b.reportArns ?? []),
    );
  }

  artifacts(): ArtifactPlan {
    return pipelineArtifacts(this.rows);
  }

  stop(options: CallOptions): Promise<string> {
    return stopPipelineExecution(this.deps, this.config, this.execution, this.rows, options);
  }

  verdict(): Verdict {
    const starts = this.rows.flatMap((r) => (r.startTime ? [r.startTime.getTime()] : []));
    const ends = this.rows.flatMap((r) => (r.lastUpdateTime ? [r.lastUpdateTime.getTime()] : []));
    const span = starts.length && ends.length ? { from: new Date(Math.min(...starts)), to: new Date(Math.max(...ends)) } : undefined;
    return pipelineVerdictOf(this.execution!, this.rows, span?.from, span?.to);
  }

  report(): TargetReport {
    const rows = this.rows.map((r) => {
      const seconds = rowSeconds(r);
      return {
        label: `${actionLabel(r)} (${r.provider})`,
        status: r.status,
        ...(r.externalId && { id: r.externalId }),
        ...(r.url && { url: r.url }),
        ...(seconds !== undefined && { durationSeconds: seconds }),
      };
    });
    return {
      // Before the start too: the outputs and summary still speak of a pipeline.
      subject: this.execution ? pipelineSubject(this.execution, this.rows) : { kind: 'pipeline', project: this.config.name, phases: [], exportedVariables: [] },
      links: this.links,
      attempts: [],
      parts: { heading: 'Pipeline actions', rows },
    };
  }
}
