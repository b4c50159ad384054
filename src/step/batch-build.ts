import { randomUUID } from 'node:crypto';
import type { Build, BuildBatch } from '@aws-sdk/client-codebuild';
import type { CallOptions } from '../aws/codebuild';
import { type ArtifactPlan, batchArtifacts } from '../domain/artifacts';
import { batchConsoleUrl } from '../domain/links';
import type { Attempt, Links } from '../domain/outcome';
import { type StartSettings, startBuildBatchRequest } from '../domain/start-request';
import { batchSubject } from '../domain/subject';
import type { TestReport } from '../domain/test-reports';
import { batchVerdictOf, type ChildBuild, type Verdict, verdictOf } from '../domain/verdict';
import { watchBatch } from '../watch/batch-watcher';
import { announceRun } from './announce';
import { buildOverrides, type UploadedSource } from './source-upload';
import { stopRun } from './stop-run';
import { type BuildTarget, type TargetDeps, type TargetReport, watchDepsOf } from './target';
import { readTestReports } from './test-reports';

/** How long a retried batch may still show its old status. */
const RETRY_SETTLE_MS = 15_000;

export interface BatchSettings {
  /** Attach to this batch instead of starting one. */
  readonly buildId?: string;
  readonly start: StartSettings;
}

/** A batch build: StartBuildBatch (or attach), every child followed, RetryBuildBatch, StopBuildBatch. */
export class BatchBuild implements BuildTarget {
  private batch?: BuildBatch;
  private children: readonly ChildBuild[] = [];
  private sourceDownload?: Build;
  /** Child builds followed to their end: a retry of the batch does not tail them again. */
  private followed: ReadonlyMap<string, Build> = new Map();
  private links: Links = {};
  private readonly attempts: Attempt[] = [];
  /** "Only batch builds that have failed can be retried" (RetryBuildBatch API reference). */
  get retryable(): boolean {
    return this.batch?.buildBatchStatus === 'FAILED';
  }

  constructor(
    private readonly settings: BatchSettings,
    private readonly deps: TargetDeps,
  ) {}

  get name(): string | undefined {
    return this.batch && `batch build ${this.batch.id}`;
  }

  get status(): string | undefined {
    return this.batch?.buildBatchStatus;
  }

  async start(source?: UploadedSource): Promise<void> {
    const { codebuild } = this.deps.services;
    const { buildId, start } = this.settings;
    const batch = buildId
      ? await codebuild.getBuildBatch(buildId)
      : await codebuild.startBuildBatch({ ...startBuildBatchRequest(start, randomUUID()), ...buildOverrides(source) });
    this.announce(batch, buildId ? 'Attached to' : 'Started');
  }

  async watch(signal: AbortSignal): Promise<void> {
    const { services } = this.deps;
    const { codebuild } = services;
    const result = await watchBatch(this.batch!, {
      ...watchDepsOf(this.deps, signal),
      codebuild: { getBuild: (id, o) => codebuild.getBuild(id, { ...o, signal }), getBuildBatch: (id, o) => codebuild.getBuildBatch(id, { ...o, signal }) },
      followed: this.followed,
      onBatch: (b) => (this.batch = b),
    });
    ({ batch: this.batch, children: this.children, followed: this.followed, sourceDownload: this.sourceDownload } = result);
    this.attempts.push({
      id: this.batch.id ?? '',
      number: this.batch.buildBatchNumber,
      status: this.batch.buildBatchStatus ?? 'UNKNOWN',
      label: `attempt ${this.attempts.length + 1}`,
    });
    this.deps.outputs.set({
      'batch-builds': JSON.stringify(this.children.map((c) => ({ identifier: c.identifier, 'build-id': c.build.id, 'build-status': c.build.buildStatus }))),
    });
  }

  /** RetryBuildBatch starts the failed builds again, in the same batch (same id and number). */
  async retry(): Promise<void> {
    const { codebuild } = this.deps.services;
    let batch = await codebuild.retryBuildBatch(this.batch!.id!, 'RETRY_FAILED_BUILDS', randomUUID());
    this.deps.log.info(`Retried the failed builds of batch build ${batch.id} (RetryBuildBatch RETRY_FAILED_BUILDS)`);
    // The same batch id: nothing documents that its status turns IN_PROGRESS before the call
    // returns, and a watch that starts on the old FAILED would judge the old attempt.
    for (let waited = 0; batch.buildBatchStatus !== 'IN_PROGRESS' && waited < RETRY_SETTLE_MS; waited += 1_000) {
      await this.deps.clock.sleep(1_000);
      batch = await codebuild.getBuildBatch(batch.id!);
    }
    this.batch = batch;
  }

  /**
   * CodeBuild merges the children's reports into the batch's reportArns only for fanout batches
   * (user guide, parallel-test-auto-merge); a build list, matrix or graph keeps them on each child.
   */
  testReports(): Promise<TestReport[]> {
    const merged = this.batch?.reportArns ?? [];
    return readTestReports(this.deps, merged.length ? merged : this.children.flatMap((c) => c.build.reportArns ?? []));
  }

  artifacts(): ArtifactPlan {
    return batchArtifacts(this.batch!, this.children);
  }

  stop(options: CallOptions): Promise<string> {
    return stopRun(this.deps, { id: this.batch?.id, status: this.batch?.buildBatchStatus }, async () => {
      const stopped = await this.deps.services.codebuild.stopBuildBatch(this.batch!.id!, options);
      if (stopped) this.batch = stopped;
    });
  }

  verdict(): Verdict {
    return batchVerdictOf(this.batch!, this.children, this.sourceDownload);
  }

  report(): TargetReport {
    const rows = this.children.map(({ identifier, build }) => partOf(identifier, build));
    return { subject: this.batch && batchSubject(this.batch), links: this.links, attempts: this.attempts, parts: { heading: 'Batch builds', rows } };
  }

  private announce(batch: BuildBatch, verb: string): void {
    this.batch = batch;
    this.links = { console: batchConsoleUrl(batch, this.deps.region) };
    const run = { id: batch.id, arn: batch.arn, number: batch.buildBatchNumber, status: batch.buildBatchStatus, url: this.links.console! };
    const line = `${verb} batch build ${batch.id} (#${batch.buildBatchNumber ?? '?'}) of project ${batch.projectName}`;
    announceRun(this.deps, run, line, { 'batch-id': batch.id });
  }
}

function partOf(identifier: string, build: Build) {
  const v = verdictOf(build);
  return { label: identifier, id: build.id, status: v.status, ...(v.durationSeconds !== undefined && { durationSeconds: v.durationSeconds }) };
}
