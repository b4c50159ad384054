import { arnOf, consoleHostOf, DEFAULT_PLACE, type Json, type Place } from './aws-error';
import { type BuildScript, CONTAINER_PHASES, type ScriptedLine, scriptLines } from './build-script';
import { artifactView, overridden, type ScriptedArtifact, uploadArtifact, uploadStartMs } from './fake-artifacts';
import type { FakeS3 } from './fake-s3';

export interface FakeLine extends ScriptedLine {
  readonly timestamp: number;
  readonly availableAt: number;
}

/** CodeBuild's own retries of a failed build (autoRetryLimit / autoRetryLimitOverride). */
export interface AutoRetry {
  readonly limit: number;
  readonly number: number;
  /** The ARN of the build CodeBuild started to retry this one, once it has. */
  next?: string;
  readonly previous?: string;
}

export class FakeBuild {
  readonly lines: FakeLine[];
  stoppedAt?: number;
  autoRetry?: AutoRetry;
  place: Place = DEFAULT_PLACE;

  constructor(
    readonly id: string,
    readonly number: number,
    readonly project: string,
    readonly startedAt: number,
    readonly script: BuildScript,
    readonly request: Json,
  ) {
    const lag = script.ingestionLagMs ?? 500;
    this.lines = scriptLines(script, startedAt).map((l) => ({ ...l, timestamp: startedAt + l.atMs, availableAt: startedAt + l.atMs + lag }));
  }

  private artifactsUploaded = false;

  /** The artifacts as this build's request placed them (artifactsOverride moves the primary). */
  get artifacts(): ScriptedArtifact[] {
    return (this.script.artifacts ?? []).map((a) => (a.identifier ? a : overridden(a, this.request.artifactsOverride)));
  }

  /** Once UPLOAD_ARTIFACTS has succeeded, the objects are in S3. */
  uploadArtifacts(s3: FakeS3, now: number): void {
    if (this.artifactsUploaded || !this.done(now) || this.stopCut) return;
    if (!this.script.phases.some((p) => p.name === 'UPLOAD_ARTIFACTS' && (p.status ?? 'SUCCEEDED') === 'SUCCEEDED')) return;
    for (const a of this.artifacts) uploadArtifact(s3, a, this.startedAt + uploadStartMs(this.script));
    this.artifactsUploaded = true;
  }

  get arn(): string {
    return arnOf(this.place, 'codebuild', `build/${this.id}`);
  }

  reportArn(index: number): string {
    return arnOf(this.place, 'codebuild', `report/${this.project}-${this.script.reports![index]!.group}:${this.uuid}-${index}`);
  }

  get uuid(): string {
    return this.id.slice(this.id.lastIndexOf(':') + 1);
  }

  private get naturalEndMs(): number {
    return this.script.phases.reduce((t, p) => t + p.durationMs, 0);
  }

  /** A StopBuild before the natural end ends the build STOPPED about a second later. */
  get stopCut(): boolean {
    return this.stoppedAt !== undefined && this.stoppedAt - this.startedAt + 1_000 < this.naturalEndMs;
  }

  /** When the build is (or will be) over, relative to its start. */
  get endMs(): number {
    return this.stopCut ? this.stoppedAt! - this.startedAt + 1_000 : this.naturalEndMs;
  }

  get status(): string {
    return this.stopCut ? 'STOPPED' : this.script.finalStatus;
  }

  /** When the build is (or will be) over, on the fake's clock. */
  get endAt(): number {
    return this.startedAt + this.endMs;
  }

  done(now: number): boolean {
    return now >= this.endAt;
  }

  /** CodeBuild names the stream when the container starts… */
  get streamNamedAtMs(): number {
    let t = 0;
    for (const p of this.script.phases) {
      if (CONTAINER_PHASES.has(p.name)) return t;
      t += p.durationMs;
    }
    return t;
  }

  get group(): string {
    return this.script.logGroup ?? `/aws/codebuild/${this.project}`;
  }

  get stream(): string {
    return this.script.streamPrefix ? `${this.script.streamPrefix}/${this.uuid}` : this.uuid;
  }

  /** … and CloudWatch has it from then on, or later (`streamDelayMs`). */
  streamExists(now: number): boolean {
    if (this.script.logsDisabled || this.script.logsNeverWritten) return false;
    return now - this.startedAt >= (this.script.streamDelayMs ?? this.streamNamedAtMs);
  }

  /** Lines readable now; a stopped build writes nothing after the stop. */
  visibleLines(now: number): FakeLine[] {
    const cut = this.stoppedAt ?? Infinity;
    return this.lines.filter((l) => l.availableAt <= now && l.timestamp <= cut);
  }

  view(now: number): Json {
    const t = now - this.startedAt;
    const done = t >= this.endMs;
    const phases: Json[] = [];
    let start = 0;
    let current: string = 'COMPLETED';
    for (const p of this.script.phases) {
      if (start > t || start >= this.endMs) break;
      const end = Math.min(start + p.durationMs, this.endMs);
      const finished = t >= end;
      const cut = this.stopCut && end === this.endMs && end < start + p.durationMs;
      const status = cut ? 'STOPPED' : (p.status ?? 'SUCCEEDED');
      phases.push({
        phaseType: p.name,
        startTime: (this.startedAt + start) / 1000,
        ...(finished && {
          endTime: (this.startedAt + end) / 1000,
          durationInSeconds: Math.round((end - start) / 1000),
          phaseStatus: status,
          contexts:
            status === 'SUCCEEDED' ? [{ statusCode: '', message: '' }] : [{ statusCode: p.statusCode ?? 'COMMAND_EXECUTION_ERROR', message: p.message ?? '' }],
        }),
      });
      if (!finished) current = p.name;
      start += p.durationMs;
    }
    if (done) phases.push({ phaseType: 'COMPLETED', startTime: (this.startedAt + this.endMs) / 1000 });
    const streamed = now - this.startedAt >= this.streamNamedAtMs;
    return {
      id: this.id,
      arn: this.arn,
      buildNumber: this.number,
      projectName: this.project,
      startTime: this.startedAt / 1000,
      ...(done && { endTime: (this.startedAt + this.endMs) / 1000 }),
      currentPhase: done ? 'COMPLETED' : current,
      buildStatus: done ? this.status : 'IN_PROGRESS',
      buildComplete: done,
      sourceVersion: this.request.sourceVersion,
      resolvedSourceVersion: '3f2a9c1d5e7b8a6c4d2e0f1a3b5c7d9e1f2a3b4c',
      initiator: 'codebuild-run-tests',
      phases,
      environment: {
        privilegedMode: this.request.privilegedModeOverride ?? false,
        image: this.request.imageOverride ?? 'aws/codebuild/standard:7.0',
        computeType: this.request.computeTypeOverride ?? 'BUILD_GENERAL1_SMALL',
        type: 'LINUX_CONTAINER',
      },
      logs: this.script.logsDisabled
        ? { cloudWatchLogs: { status: 'DISABLED' } }
        : {
            // The project's LogsConfig, echoed from the start: a custom group, and the stream
            // name's prefix (the stream is `<prefix>/<build uuid>`, or the uuid alone).
            cloudWatchLogs: {
              status: 'ENABLED',
              ...(this.script.logGroup && { groupName: this.script.logGroup }),
              ...(this.script.streamPrefix && { streamName: this.script.streamPrefix }),
            },
            // Until CodeBuild names the stream its record holds placeholders, as in the API
            // reference's own BatchGetBuilds example ("group=null;stream=null").
            ...(!streamed && {
              deepLink: `${consoleHostOf(this.place)}/cloudwatch/home?region=${this.place.region}#logEvent:group=null;stream=null`,
              cloudWatchLogsArn: arnOf(this.place, 'logs', 'log-group:null:log-stream:null'),
            }),
            ...(streamed && {
              groupName: this.group,
              streamName: this.stream,
              deepLink: `${consoleHostOf(this.place)}/cloudwatch/home?region=${this.place.region}#logEvent:group=${this.group};stream=${this.stream}`,
              cloudWatchLogsArn: arnOf(this.place, 'logs', `log-group:${this.group}:log-stream:${this.stream}`),
            }),
          },
      // Reported from the start; empty when the project has none (NO_ARTIFACTS: location "").
      artifacts: this.artifacts.find((a) => !a.identifier) ? artifactView(this.artifacts.find((a) => !a.identifier)!) : { location: '' },
      ...(this.artifacts.some((a) => a.identifier) && { secondaryArtifacts: this.artifacts.filter((a) => a.identifier).map(artifactView) }),
      ...(done && this.script.reports && { reportArns: this.script.reports.map((_, i) => this.reportArn(i)) }),
      ...(this.autoRetry && {
        autoRetryConfig: {
          autoRetryLimit: this.autoRetry.limit,
          autoRetryNumber: this.autoRetry.number,
          ...(this.autoRetry.next && { nextAutoRetry: this.autoRetry.next }),
          ...(this.autoRetry.previous && { previousAutoRetry: this.autoRetry.previous }),
        },
      }),
      ...(done &&
        this.script.exportedVariables && {
          exportedEnvironmentVariables: Object.entries(this.script.exportedVariables).map(([name, value]) => ({ name, value })),
        }),
    };
  }
}
