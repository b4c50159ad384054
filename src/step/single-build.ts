import { randomUUID } from 'node:crypto';
import type { Build } from '@aws-sdk/client-codebuild';
import type { CallOptions } from '../aws/codebuild';
import { type ArtifactPlan, buildArtifacts } from '../domain/artifacts';
import { autoRetryLabel } from '../domain/auto-retry';
import { buildConsoleUrl, logsConsoleUrl, parseBuildArn } from '../domain/links';
import type { Attempt, Links } from '../domain/outcome';
import { type StartSettings, startBuildRequest } from '../domain/start-request';
import { attemptOf, buildSubject } from '../domain/subject';
import type { TestReport } from '../domain/test-reports';
import { type Verdict, verdictOf } from '../domain/verdict';
import { type WatchDeps, watchBuild } from '../watch/build-watcher';
import { announceRun } from './announce';
import { nextAutoRetry } from './auto-retry-follower';
import { buildOverrides, type UploadedSource } from './source-upload';
import { stopRun } from './stop-run';
import { type BuildTarget, type TargetDeps, type TargetReport, watchDepsOf } from './target';
import { readTestReports } from './test-reports';

export interface SingleBuildSettings {
  /** Attach to this build instead of starting one. */
  readonly buildId?: string;
  readonly start: StartSettings;
}

/** One CodeBuild build: StartBuild (or attach), follow, RetryBuild, StopBuild. */
export class SingleBuild implements BuildTarget {
  private build?: Build;
  private links: Links = {};
  private readonly attempts: Attempt[] = [];
  readonly retryable = true;

  constructor(
    private readonly settings: SingleBuildSettings,
    private readonly deps: TargetDeps,
  ) {}

  get name(): string | undefined {
    return this.build && `build ${this.build.id}`;
  }

  get status(): string | undefined {
    return this.build?.buildStatus;
  }

  async start(source?: UploadedSource): Promise<void> {
    const { codebuild } = this.deps.services;
    const { buildId, start } = this.settings;
    const build = buildId
      ? await codebuild.getBuild(buildId)
      : // The token makes a retried StartBuild (lost response) return the same build, not a second one.
        await codebuild.startBuild({ ...startBuildRequest(start, randomUUID()), ...buildOverrides(source) });
    this.announce(build, buildId ? 'Attached to' : 'Started');
  }

  /** Follow the build to its end, and on through the retries CodeBuild starts itself. */
  async watch(signal: AbortSignal): Promise<void> {
    let build = this.build!;
    for (;;) {
      build = await watchBuild(build, this.watchDeps(signal));
      this.build = build;
      this.attempts.push(attemptOf(build));
      const next = await nextAutoRetry(build, this.deps, signal);
      if (!next) return;
      this.announce(next, `CodeBuild retried the build itself (${autoRetryLabel(next)}):`);
      build = next;
    }
  }

  private watchDeps(signal: AbortSignal): WatchDeps {
    const { log } = this.deps;
    return {
      ...watchDepsOf(this.deps, signal),
      onBuild: (b) => (this.build = b),
      onStream: (stream, b) => {
        const region = parseBuildArn(b.arn)?.region ?? this.deps.region;
        this.links = { ...this.links, logs: b.logs?.deepLink ?? logsConsoleUrl(region, stream.group, stream.stream) };
        this.deps.outputs.set({ 'logs-url': this.links.logs });
        log.info(`Streaming the build log: ${this.links.logs}`);
        return this.links.logs;
      },
    };
  }

  async retry(): Promise<void> {
    const retried = await this.deps.services.codebuild.retryBuild(this.build!.id!, randomUUID());
    this.announce(retried, 'Retried as');
  }

  testReports(): Promise<TestReport[]> {
    return readTestReports(this.deps, this.build?.reportArns);
  }

  artifacts(): ArtifactPlan {
    return buildArtifacts(this.build!);
  }

  stop(options: CallOptions): Promise<string> {
    return stopRun(this.deps, { id: this.build?.id, status: this.build?.buildStatus }, async () => {
      const stopped = await this.deps.services.codebuild.stopBuild(this.build!.id!, options);
      if (stopped) this.build = stopped;
    });
  }

  verdict(): Verdict {
    return verdictOf(this.build!);
  }

  report(): TargetReport {
    return { subject: this.build && buildSubject(this.build), links: this.links, attempts: this.attempts };
  }

  /** The link and the early outputs, for a build we start, attach to or retry. */
  private announce(build: Build, verb: string): void {
    this.build = build;
    this.links = { console: buildConsoleUrl({ id: build.id!, arn: build.arn, region: this.deps.region }) };
    const run = { id: build.id, arn: build.arn, number: build.buildNumber, status: build.buildStatus, url: this.links.console! };
    announceRun(this.deps, run, `${verb} build ${build.id} (#${build.buildNumber ?? '?'}) of project ${build.projectName}`);
  }
}
