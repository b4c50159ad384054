import { writeFileSync } from 'node:fs';
import type { Build, BuildBatch, StartBuildBatchInput, StartBuildInput } from '@aws-sdk/client-codebuild';
import type { CallOptions, CodeBuildApi } from '../../../src/aws/codebuild';
import type { CodePipelineApi } from '../../../src/aws/codepipeline';
import type { LogsApi } from '../../../src/aws/logs';
import { ArtifactAccessError, type ArtifactStore } from '../../../src/aws/s3-artifact-store';
import type { SourceStore } from '../../../src/aws/s3-source-store';
import type { Services } from '../../../src/aws/services';
import { Throttle } from '../../../src/aws/throttle';
import type { TestReport } from '../../../src/domain/test-reports';
import type { VirtualClock } from '../support';

/** How a scripted build goes: it ends `status` `durationMs` after it starts, writing `lines`. */
export interface RunScript {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'FAULT' | 'TIMED_OUT' | 'STOPPED';
  readonly durationMs?: number;
  readonly lines?: readonly string[];
  readonly reports?: readonly TestReport[];
  /** Files the build leaves as its primary artifact (NONE packaging, under s3://artifacts/<build id>/). */
  readonly artifacts?: Readonly<Record<string, string>>;
}

interface FakeRun {
  readonly id: string;
  readonly number: number;
  readonly startedAt: number;
  readonly script: RunScript;
  stoppedAt?: number;
}

/**
 * CodeBuild, CloudWatch Logs and S3 as the step's adapters see them, on the virtual clock: each
 * call is recorded, and `scripts` decide how each started build goes (one per StartBuild/RetryBuild).
 */
export class FakeServices implements Services {
  readonly calls: string[] = [];
  readonly runs = new Map<string, FakeRun>();
  readonly uploads: string[] = [];
  readonly removed: string[] = [];
  uploadFails?: Error;
  /** S3 objects (bucket/key) the artifact store serves. */
  readonly objects = new Map<string, string>();
  /** When each build's artifact objects were written. */
  private readonly writtenAt = new Map<string, number>();
  /** S3 answers AccessDenied to every artifact download. */
  artifactsDenied = false;
  /** Called on every status poll; tests use it to cancel mid-build. */
  onPoll?: (count: number) => void;
  private polls = 0;
  private numbers = 0;
  readonly throttle: Throttle;

  constructor(
    private readonly clock: VirtualClock,
    private readonly scripts: RunScript[],
    private readonly batchChildren: Record<string, RunScript> = {},
  ) {
    this.throttle = new Throttle(clock.now);
  }

  region = async () => 'eu-west-1';

  /** A build that already runs, as `build-id` finds it. */
  seed(script: RunScript): string {
    return this.startRun(script).id;
  }

  private startRun(script: RunScript | undefined): FakeRun {
    if (!script) throw new Error('no script left for another build');
    const number = ++this.numbers;
    const run = { id: `app:${number}`, number, startedAt: this.clock.now(), script };
    for (const [name, body] of Object.entries(script.artifacts ?? {})) this.objects.set(`artifacts/${run.id}/${name}`, body);
    // Written during its UPLOAD_ARTIFACTS phase, the last second of the build (S3's LastModified).
    this.writtenAt.set(run.id, run.startedAt + (script.durationMs ?? 10_000) - 500);
    this.runs.set(run.id, run);
    return run;
  }

  private view(run: FakeRun): Build {
    const end = run.startedAt + (run.script.durationMs ?? 10_000);
    const stopped = run.stoppedAt !== undefined && run.stoppedAt < end;
    const done = this.clock.now() >= (stopped ? run.stoppedAt! : end);
    const status = stopped ? 'STOPPED' : run.script.status;
    const failedPhase =
      status === 'SUCCEEDED'
        ? []
        : [{ phaseType: 'BUILD' as const, phaseStatus: status, contexts: [{ statusCode: 'E', message: `${status.toLowerCase()} on purpose` }] }];
    return {
      id: run.id,
      arn: `arn:aws:codebuild:eu-west-1:123456789012:build/${run.id}`,
      projectName: 'app',
      buildNumber: run.number,
      buildStatus: done ? status : 'IN_PROGRESS',
      startTime: new Date(run.startedAt),
      ...(done && {
        endTime: new Date(stopped ? run.stoppedAt! : end),
        phases: [...failedPhase, { phaseType: 'UPLOAD_ARTIFACTS', phaseStatus: 'SUCCEEDED', startTime: new Date(end - 1_000), endTime: new Date(end) }],
      }),
      ...(run.script.artifacts && { artifacts: { location: `arn:aws:s3:::artifacts/${run.id}` } }),
      logs: run.script.lines ? { groupName: '/aws/codebuild/app', streamName: run.id } : { cloudWatchLogs: { status: 'DISABLED' } },
      ...(done && run.script.reports && { reportArns: run.script.reports.map((r) => `arn:report/${run.id}/${r.name}`) }),
    };
  }

  readonly codebuild: CodeBuildApi = {
    startBuild: async (input: StartBuildInput) => {
      this.calls.push(`StartBuild ${input.projectName}${input.sourceLocationOverride ? ` from ${input.sourceLocationOverride}` : ''}`);
      return this.view(this.startRun(this.scripts.shift()));
    },
    getBuild: async (id: string, o?: CallOptions) => {
      this.calls.push(`BatchGetBuilds ${id}`);
      this.onPoll?.(++this.polls);
      o?.signal?.throwIfAborted();
      const run = this.runs.get(id);
      if (!run) throw Object.assign(new Error(`Build ${id} not found`), { name: 'ResourceNotFoundException' });
      return this.view(run);
    },
    stopBuild: async (id: string) => {
      this.calls.push(`StopBuild ${id}`);
      const run = this.runs.get(id)!;
      run.stoppedAt ??= this.clock.now();
      return this.view(run);
    },
    retryBuild: async (id: string) => {
      this.calls.push(`RetryBuild ${id}`);
      return this.view(this.startRun(this.scripts.shift()));
    },
    startBuildBatch: async (input: StartBuildBatchInput) => {
      this.calls.push(`StartBuildBatch ${input.projectName}`);
      const children = Object.entries(this.batchChildren).map(([identifier, script]) => ({ identifier, run: this.startRun(script) }));
      this.batch = { id: 'app:batch', startedAt: this.clock.now(), children };
      return this.batchView();
    },
    getBuildBatch: async () => {
      this.calls.push('BatchGetBuildBatches');
      return this.batchView();
    },
    stopBuildBatch: async (id: string) => {
      this.calls.push(`StopBuildBatch ${id}`);
      for (const c of this.batch!.children) c.run.stoppedAt ??= this.clock.now();
      return this.batchView();
    },
    retryBuildBatch: async (id: string) => {
      this.calls.push(`RetryBuildBatch ${id}`);
      for (const c of this.batch!.children) if (this.view(c.run).buildStatus !== 'SUCCEEDED') c.run = this.startRun(this.scripts.shift());
      return this.batchView();
    },
    testReports: async (arns: readonly string[]) => {
      this.calls.push(`BatchGetReports ${arns.length}`);
      return [...this.runs.values()].flatMap((r) => r.script.reports ?? []).filter((r) => arns.some((a) => a.endsWith(`/${r.name}`)));
    },
  };

  private batch?: { id: string; startedAt: number; children: { identifier: string; run: FakeRun }[] };

  private batchView(): BuildBatch {
    const batch = this.batch!;
    const children = batch.children.map((c) => ({ identifier: c.identifier, build: this.view(c.run) }));
    const done = children.every((c) => c.build.buildStatus !== 'IN_PROGRESS');
    const endTime = Math.max(...children.map((c) => c.build.endTime?.getTime() ?? 0));
    const stopped = children.some((c) => c.build.buildStatus === 'STOPPED');
    const status = stopped ? 'STOPPED' : children.every((c) => c.build.buildStatus === 'SUCCEEDED') ? 'SUCCEEDED' : 'FAILED';
    return {
      id: batch.id,
      arn: `arn:aws:codebuild:eu-west-1:123456789012:build-batch/${batch.id}`,
      projectName: 'app',
      buildBatchNumber: 1,
      buildBatchStatus: done ? status : 'IN_PROGRESS',
      startTime: new Date(batch.startedAt),
      ...(done && { endTime: new Date(endTime) }),
      buildGroups: children.map((c) => ({
        identifier: c.identifier,
        currentBuildSummary: { arn: `arn:aws:codebuild:eu-west-1:123456789012:build/${c.build.id}` },
      })),
    };
  }

  readonly logs: LogsApi = {
    getPage: async (stream, request) => {
      this.calls.push(`GetLogEvents ${stream.stream}`);
      const run = this.runs.get(stream.stream)!;
      const lines = run.script.lines ?? [];
      const from = Number(request.token ?? 0);
      const events = lines.slice(from).map((message) => ({ timestamp: run.startedAt, message }));
      return { events, nextForwardToken: String(lines.length) };
    },
  };

  readonly source: SourceStore = {
    upload: async (bucket, key, _path, _bytes, options) => {
      options?.signal?.throwIfAborted();
      this.calls.push(`PutObject ${bucket}/${key}`);
      if (this.uploadFails) throw this.uploadFails;
      this.uploads.push(`${bucket}/${key}`);
      return { versionId: `v${this.uploads.length}` };
    },
    remove: async (bucket, key) => {
      this.calls.push(`DeleteObject ${bucket}/${key}`);
      this.removed.push(`${bucket}/${key}`);
    },
  };

  /** Pipelines are driven end to end against the fake endpoint (test/e2e/pipeline.e2e.test.ts). */
  readonly codepipeline: CodePipelineApi = new Proxy({} as CodePipelineApi, {
    get: (_, op) => () => Promise.reject(new Error(`CodePipeline ${String(op)} is not scripted in-process`)),
  });

  readonly artifacts: ArtifactStore = {
    list: (bucket, prefix) => {
      this.calls.push(`ListObjectsV2 ${bucket}/${prefix}/`);
      const keys = [...this.objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}/`));
      const at = (k: string) => new Date(this.writtenAt.get(k.split('/')[1]!) ?? 0);
      const denied = this.artifactsDenied;
      return (async function* () {
        if (denied) throw new ArtifactAccessError('Could not list: access denied (Access Denied)', `s3:ListBucket on arn:aws:s3:::${bucket}`);
        for (const k of keys) yield { key: k.slice(bucket.length + 1), size: 1, lastModified: at(k) };
      })();
    },
    download: async (bucket, key, path) => {
      this.calls.push(`GetObject ${bucket}/${key}`);
      const body = this.objects.get(`${bucket}/${key}`);
      if (body === undefined) return undefined;
      writeFileSync(path, body);
      return { bytes: body.length, sha256: '', md5: '', looksZip: false };
    },
  };
}
