import { randomUUID } from 'node:crypto';
import type { Build } from '@aws-sdk/client-codebuild';
import type { CallOptions } from '../../aws/codebuild';
import type { ArtifactPlan } from '../../domain/artifacts';
import type { RunReport } from '../../domain/outcome';
import type { TestReport } from '../../domain/test-reports';
import type { Verdict } from '../../domain/verdict';
import { type WatchDeps, watchBuild } from '../../watch/build-watcher';
import { buildArtifacts } from '../codebuild/artifacts';
import { buildConsoleUrl, logsLinkOf } from '../codebuild/links';
import { CodeBuildRun, type RecordFacts } from '../codebuild/run-base';
import { attemptOf, buildSubject } from '../codebuild/subject';
import { readTestReports } from '../codebuild/test-reports';
import { verdictOf } from '../codebuild/verdict';
import { watchDepsOf } from '../codebuild/watch-deps';
import type { Retry, StartedRun, TargetDeps } from '../target';
import { autoRetryLabel, nextAutoRetry } from './auto-retry';

/** One CodeBuild build, started or attached to: followed (through CodeBuild's own retries), retried with RetryBuild, stopped. */
export class BuildRun extends CodeBuildRun<Build> implements StartedRun {
  constructor(build: Build, deps: TargetDeps, verb: string) {
    super(build, deps, 'build');
    this.announce(build, verb);
  }

  protected facts(b: Build): RecordFacts {
    return { id: b.id ?? '', arn: b.arn, number: b.buildNumber, status: b.buildStatus, project: b.projectName ?? '' };
  }

  protected consoleUrl(b: Build): string {
    return buildConsoleUrl({ id: b.id ?? '', arn: b.arn, region: this.deps.region });
  }

  protected sendStop(id: string, options: CallOptions): Promise<Build | undefined> {
    return this.deps.services.codebuild.stopBuild(id, options);
  }

  /** Follow the build to its end, and on through the retries CodeBuild starts itself. */
  async watch(signal: AbortSignal): Promise<void> {
    for (;;) {
      this.record = await watchBuild(this.record, this.watchDeps(signal));
      this.attempts.push(attemptOf(this.record));
      const next = await nextAutoRetry(this.record, this.deps, signal);
      if (!next) return;
      this.announce(next, `CodeBuild retried the build itself (${autoRetryLabel(next)}):`);
    }
  }

  private watchDeps(signal: AbortSignal): WatchDeps {
    return {
      ...watchDepsOf(this.deps, signal),
      onBuild: (b) => (this.record = b),
      onStream: (stream, b) => {
        this.links = { ...this.links, logs: logsLinkOf(b, stream, this.deps.region) };
        this.deps.outputs.set({ 'logs-url': this.links.logs });
        this.deps.log.info(`Streaming the build log: ${this.links.logs}`);
        return this.links.logs;
      },
    };
  }

  readonly retry: Retry = {
    refusal: () => undefined,
    start: async (signal) => {
      const retried = await this.deps.services.codebuild.retryBuild(this.id, randomUUID(), { stop: signal });
      this.announce(retried, 'Retried as');
    },
  };

  readonly testReports = (): Promise<TestReport[]> => readTestReports(this.deps, this.record.reportArns);

  readonly artifacts = (): ArtifactPlan => buildArtifacts(this.record);

  verdict(): Verdict {
    return verdictOf(this.record);
  }

  report(): RunReport {
    return { description: this.description(), subject: buildSubject(this.record), links: this.links, attempts: this.attempts };
  }
}
