import { randomUUID } from 'node:crypto';
import type { Build, BuildBatch } from '@aws-sdk/client-codebuild';
import type { CallOptions } from '../aws/codebuild';
import { batchConsoleUrl, parseBuildArn } from '../domain/links';
import type { Links } from '../domain/outcome';
import { type StartSettings, startBuildBatchRequest } from '../domain/start-request';
import { batchSubject } from '../domain/subject';
import type { TestReport } from '../domain/test-reports';
import { batchVerdictOf, type ChildBuild, type Verdict, verdictOf } from '../domain/verdict';
import { watchBatch } from '../watch/batch-watcher';
import { announceRun } from './announce';
import type { SourceOverride } from './source-upload';
import { stopRun } from './stop-run';
import type { BuildTarget, TargetDeps, TargetReport } from './target';

/** A batch build: StartBuildBatch, every child followed, StopBuildBatch. */
export class BatchBuild implements BuildTarget {
  private batch?: BuildBatch;
  private children: ChildBuild[] = [];
  private links: Links = {};
  readonly retryable = false;

  constructor(
    private readonly settings: StartSettings,
    private readonly deps: TargetDeps,
  ) {}

  get name(): string | undefined {
    return this.batch && `batch build ${this.batch.id}`;
  }

  get status(): string | undefined {
    return this.batch?.buildBatchStatus;
  }

  async start(source?: SourceOverride): Promise<void> {
    const started = await this.deps.services.codebuild.startBuildBatch({ ...startBuildBatchRequest(this.settings, randomUUID()), ...source });
    this.announce(started);
  }

  async watch(signal: AbortSignal): Promise<void> {
    const { services, clock, log, tailLogs, policy, random } = this.deps;
    const { codebuild } = services;
    const { batch, children } = await watchBatch(this.batch!, {
      codebuild: { getBuild: (id) => codebuild.getBuild(id, { signal }), getBuildBatch: (id) => codebuild.getBuildBatch(id, { signal }) },
      logs: { getPage: (stream, request) => services.logs.getPage(stream, request, { signal }) },
      clock,
      log,
      congestion: services.throttle,
      tailLogs,
      policy,
      random,
      signal,
      onBatch: (b) => (this.batch = b),
    });
    this.batch = batch;
    this.children = [...children].map(([identifier, build]) => ({ identifier, build }));
    this.deps.outputs.set({
      'batch-builds': JSON.stringify(this.children.map((c) => ({ identifier: c.identifier, 'build-id': c.build.id, 'build-status': c.build.buildStatus }))),
    });
  }

  async retry(): Promise<void> {
    throw new Error('retry-on does not apply to batch builds');
  }

  async testReports(): Promise<TestReport[]> {
    return [];
  }

  stop(options: CallOptions): Promise<string> {
    return stopRun(this.deps, { id: this.batch?.id, status: this.batch?.buildBatchStatus }, async () => {
      const stopped = await this.deps.services.codebuild.stopBuildBatch(this.batch!.id!, options);
      if (stopped) this.batch = stopped;
    });
  }

  verdict(): Verdict {
    return batchVerdictOf(this.batch!, this.children);
  }

  report(): TargetReport {
    const rows = this.children.map(({ identifier, build }) => partOf(identifier, build));
    return { subject: this.batch && batchSubject(this.batch), links: this.links, attempts: [], parts: { heading: 'Batch builds', rows } };
  }

  private announce(batch: BuildBatch): void {
    this.batch = batch;
    const region = parseBuildArn(batch.arn?.replace(':build-batch/', ':build/'))?.region ?? this.deps.region;
    this.links = { console: batchConsoleUrl(batch, region) };
    const run = { id: batch.id, arn: batch.arn, number: batch.buildBatchNumber, status: batch.buildBatchStatus, url: this.links.console! };
    const line = `Started batch build ${batch.id} (#${batch.buildBatchNumber ?? '?'}) of project ${batch.projectName}`;
    announceRun(this.deps, run, line, { 'batch-id': batch.id });
  }
}

function partOf(identifier: string, build: Build) {
  const v = verdictOf(build);
  return { label: identifier, id: build.id, status: v.status, ...(v.durationSeconds !== undefined && { durationSeconds: v.durationSeconds }) };
}
