import { randomUUID } from 'node:crypto';
import type { Build, BuildBatch } from '@aws-sdk/client-codebuild';
import type { CallOptions } from '../../aws/codebuild';
import type { ArtifactPlan } from '../../domain/artifacts';
import type { RunReport } from '../../domain/outcome';
import type { TestReport } from '../../domain/test-reports';
import type { Verdict } from '../../domain/verdict';
import { batchConsoleUrl } from '../codebuild/links';
import { CodeBuildRun, type RecordFacts } from '../codebuild/run-base';
import { codeBuildStatus, phaseRows } from '../codebuild/subject';
import { readTestReports } from '../codebuild/test-reports';
import { verdictOf } from '../codebuild/verdict';
import { watchDepsOf } from '../codebuild/watch-deps';
import type { Retry, StartedRun, TargetDeps } from '../target';
import { batchArtifacts } from './artifacts';
import { batchVerdictOf, type ChildBuild } from './verdict';
import { watchBatch } from './watcher';

/** How long a retried batch may still show its old status. */
const RETRY_SETTLE_MS = 15_000;

/** A batch build, started or attached to: every child followed, RetryBuildBatch, StopBuildBatch. */
export class BatchRun extends CodeBuildRun<BuildBatch> implements StartedRun {
  private children: readonly ChildBuild[] = [];
  private sourceDownload?: Build;
  /** Child builds followed to their end: a retry of the batch does not tail them again. */
  private followed: ReadonlyMap<string, Build> = new Map();

  constructor(batch: BuildBatch, deps: TargetDeps, verb: string) {
    super(batch, deps, 'batch build');
    this.announce(batch, verb, { 'batch-id': batch.id });
  }

  protected facts(b: BuildBatch): RecordFacts {
    return { id: b.id ?? '', arn: b.arn, number: b.buildBatchNumber, status: b.buildBatchStatus, project: b.projectName ?? '' };
  }

  protected consoleUrl(b: BuildBatch): string {
    return batchConsoleUrl(b, this.deps.region);
  }

  protected sendStop(id: string, options: CallOptions): Promise<BuildBatch | undefined> {
    return this.deps.services.codebuild.stopBuildBatch(id, options);
  }

  async watch(signal: AbortSignal): Promise<void> {
    const result = await watchBatch(this.record, {
      ...watchDepsOf(this.deps, signal),
      followed: this.followed,
      onBatch: (b) => (this.record = b),
    });
    ({ batch: this.record, children: this.children, followed: this.followed, sourceDownload: this.sourceDownload } = result);
    this.attempts.push({ id: this.id, number: this.record.buildBatchNumber, status: this.status.word, label: `attempt ${this.attempts.length + 1}` });
    this.deps.outputs.set({
      'batch-builds': JSON.stringify(this.children.map((c) => ({ identifier: c.identifier, 'build-id': c.build.id, 'build-status': c.build.buildStatus }))),
    });
  }

  /** RetryBuildBatch starts the failed builds again, in the same batch (same id and number). */
  readonly retry: Retry = {
    // "Only batch builds that have failed can be retried" (RetryBuildBatch API reference).
    refusal: () => (this.status.word === 'FAILED' ? undefined : `CodeBuild cannot retry ${this.name} as it ended (${this.status.word})`),
    start: async (signal) => {
      const { codebuild } = this.deps.services;
      let batch = await codebuild.retryBuildBatch(this.id, 'RETRY_FAILED_BUILDS', randomUUID(), { stop: signal });
      this.deps.log.info(`Retried the failed builds of batch build ${batch.id} (RetryBuildBatch RETRY_FAILED_BUILDS)`);
      // The same batch id: nothing documents that its status turns IN_PROGRESS before the call
      // returns, and a watch that starts on the old FAILED would judge the old attempt.
      for (let waited = 0; batch.buildBatchStatus !== 'IN_PROGRESS' && waited < RETRY_SETTLE_MS; waited += 1_000) {
        await this.deps.clock.sleep(1_000, signal);
        batch = await codebuild.getBuildBatch(this.id, { signal });
      }
      this.record = batch;
    },
  };

  /**
   * CodeBuild merges the children's reports into the batch's reportArns only for fanout batches
   * (user guide, parallel-test-auto-merge); a build list, matrix or graph keeps them on each child.
   */
  readonly testReports = (): Promise<TestReport[]> => {
    const merged = this.record.reportArns ?? [];
    return readTestReports(this.deps, merged.length ? merged : this.children.flatMap((c) => c.build.reportArns ?? []));
  };

  readonly artifacts = (): ArtifactPlan => batchArtifacts(this.record, this.children);

  verdict(): Verdict {
    return batchVerdictOf(this.record, this.children, this.sourceDownload);
  }

  report(): RunReport {
    const b = this.record;
    const rows = this.children.map(({ identifier, build }) => partOf(identifier, build));
    return {
      description: this.description(),
      subject: {
        id: this.id,
        arn: b.arn,
        number: b.buildBatchNumber,
        status: this.status,
        sourceVersion: b.sourceVersion,
        resolvedSourceVersion: b.resolvedSourceVersion,
        phases: phaseRows(b.phases),
        exportedVariables: [],
      },
      links: this.links,
      attempts: this.attempts,
      parts: { heading: 'Batch builds', rows },
    };
  }
}

function partOf(identifier: string, build: Build) {
  const v = verdictOf(build);
  return { label: identifier, id: build.id, status: codeBuildStatus(v.status), ...(v.durationSeconds !== undefined && { durationSeconds: v.durationSeconds }) };
}
