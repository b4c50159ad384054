import type { Build } from '@aws-sdk/client-codebuild';
import type { PipelineDeclaration, PipelineExecution } from '@aws-sdk/client-codepipeline';
import { bindSignal, CODEPIPELINE_OPTIONS } from '../../aws/bind-signal';
import type { CallOptions } from '../../aws/codebuild';
import type { PipelineConfig } from '../../config/config';
import type { ArtifactPlan } from '../../domain/artifacts';
import type { Links, RunReport } from '../../domain/outcome';
import type { RunStatus } from '../../domain/run-status';
import type { TestReport } from '../../domain/test-reports';
import type { Verdict } from '../../domain/verdict';
import { announcedBuild, buildOutputs } from '../codebuild/announce';
import { readTestReports } from '../codebuild/test-reports';
import { watchDepsOf } from '../codebuild/watch-deps';
import type { StartedRun, TargetDeps } from '../target';
import { pipelineArtifacts } from './artifacts';
import { pipelineDescription } from './describe';
import { pipelineExecutionUrl } from './links';
import { actionLabel, type PipelineActionRow, pipelineStatus, rowSeconds, successorOf } from './rows';
import { stopPipelineExecution } from './stop';
import { pipelineSubject, pipelineVerdictOf } from './verdict';
import { type PipelineResult, watchPipeline } from './watcher';

/** Superseded executions followed on to their successor: a chain longer than this is churn, not one change. */
const MAX_HOPS = 3;

/** A CodePipeline execution that exists: followed (on to a successor carrying the same change), stopped. */
export class PipelineRun implements StartedRun {
  private execution: PipelineExecution;
  private rows: readonly PipelineActionRow[] = [];
  private builds: ReadonlyMap<string, Build> = new Map();
  private failedStage?: PipelineResult['failedStage'];
  private links: Links = {};

  constructor(
    private readonly config: PipelineConfig,
    private readonly declaration: PipelineDeclaration,
    executionId: string,
    verb: string,
    private readonly deps: TargetDeps,
  ) {
    this.execution = this.follow(executionId, verb);
  }

  get id(): string {
    return this.execution.pipelineExecutionId ?? '';
  }

  get name(): string {
    return `pipeline ${this.config.name} execution ${this.id}`;
  }

  get status(): RunStatus {
    return pipelineStatus(this.execution.status);
  }

  private follow(id: string, verb: string): PipelineExecution {
    this.rows = [];
    this.links = { console: pipelineExecutionUrl(this.deps.region, this.config.name, id) };
    this.deps.outputs.set({ 'pipeline-execution-id': id, 'pipeline-url': this.links.console, 'pipeline-status': 'InProgress' });
    this.deps.log.info(`${verb} pipeline ${this.config.name} execution ${id}`);
    this.deps.log.info(`Console: ${this.links.console}`);
    return { pipelineName: this.config.name, pipelineExecutionId: id, status: 'InProgress' };
  }

  async watch(signal: AbortSignal): Promise<void> {
    const builds = new Map<string, Build>();
    for (let hop = 0; ; hop++) {
      const result = await this.watchOne(signal);
      for (const [k, b] of result.builds) builds.set(k, b);
      this.builds = builds;
      const next = this.execution.status === 'Superseded' && hop < MAX_HOPS ? await this.successor(signal) : undefined;
      if (!next) return;
      this.execution = this.follow(next, 'Following');
    }
  }

  /** Superseded by an execution of the same source revisions: the change goes on there, and so does the step. */
  private async successor(signal: AbortSignal): Promise<string | undefined> {
    const next = successorOf(await this.deps.services.codepipeline.recentExecutions(this.config.name, { signal }), this.id);
    if (next) this.deps.log.info(`Execution ${this.id} was superseded by ${next}, which carries the same source revisions: following it`);
    return next;
  }

  private async watchOne(signal: AbortSignal) {
    const result = await watchPipeline(this.execution, {
      ...watchDepsOf(this.deps, signal),
      codepipeline: bindSignal(this.deps.services.codepipeline, CODEPIPELINE_OPTIONS, signal),
      region: this.deps.region,
      declaration: this.declaration,
      onUpdate: (execution, rows) => this.update(execution, rows),
      // build-id and the other build outputs name the latest CodeBuild action's build.
      onBuild: (_row, build) => this.deps.outputs.set(buildOutputs(announcedBuild(build, this.deps.region))),
    });
    this.update(result.execution, result.rows);
    this.failedStage = result.failedStage;
    return result;
  }

  private update(execution: PipelineExecution, rows: readonly PipelineActionRow[]): void {
    this.execution = execution;
    this.rows = rows;
    const actions = rows.map((r) => ({ stage: r.stage, action: r.action, provider: r.provider, status: r.status, 'external-id': r.externalId, link: r.url }));
    this.deps.outputs.set({ 'pipeline-status': execution.status, 'pipeline-actions': JSON.stringify(actions) });
  }

  readonly testReports = (): Promise<TestReport[]> =>
    readTestReports(
      this.deps,
      [...this.builds.values()].flatMap((b) => b.reportArns ?? []),
    );

  readonly artifacts = (): ArtifactPlan => pipelineArtifacts(this.rows, this.declaration);

  stop(options: CallOptions): Promise<string> {
    return stopPipelineExecution(this.deps, this.config, this.execution, this.rows, options);
  }

  verdict(): Verdict {
    return pipelineVerdictOf(this.execution, this.rows, this.failedStage);
  }

  report(): RunReport {
    const rows = this.rows.map((r) => {
      const seconds = rowSeconds(r);
      return {
        label: `${actionLabel(r)} (${r.provider})`,
        status: pipelineStatus(r.status),
        ...(r.externalId && { id: r.externalId }),
        ...(r.url && { url: r.url }),
        ...(seconds !== undefined && { durationSeconds: seconds }),
      };
    });
    return {
      description: pipelineDescription(this.config.name, this.id),
      subject: pipelineSubject(this.execution),
      links: this.links,
      attempts: [],
      parts: { heading: 'Pipeline actions', rows },
    };
  }
}
