import { randomUUID } from 'node:crypto';
import { AwsError, arnOf, DEFAULT_PLACE, type Json, type Place } from './aws-error';
import type { BuildScript } from './build-script';
import { type BatchChild, type BatchOptions, FakeBatch } from './fake-batch';
import { FakeBuild } from './fake-build';
import { FakeReports, type PublishedReport } from './fake-reports';

export type ScriptFactory = (request: Json) => BuildScript;

export interface ProjectOptions {
  /** The project's autoRetryLimit: CodeBuild retries a failed build itself, up to this often. */
  readonly autoRetryLimit?: number;
}

/**
 * CodeBuild starts its own retry some time after the failed build ends; the docs do not say when
 * (the build's autoRetryConfig.nextAutoRetry appears then), so a reader must not expect it at once.
 */
export const AUTO_RETRY_DELAY_MS = 2_000;
/** "after a failed build" (auto-retry user guide); a build stopped on purpose is not retried. */
const AUTO_RETRIED = new Set(['FAILED', 'FAULT', 'TIMED_OUT']);

const notFound = (what: string, id: unknown) => new AwsError('ResourceNotFoundException', `${what} not found: ${id}`);

/** The CodeBuild API over scripted projects: builds, auto-retries, batches, reports. */
export class FakeCodeBuild {
  readonly builds = new Map<string, FakeBuild>();
  readonly batches = new Map<string, FakeBatch>();
  readonly startRequests: Json[] = [];
  readonly stopCalls: { id: string; at: number }[] = [];
  private readonly projects = new Map<string, { factory: ScriptFactory; options: ProjectOptions }>();
  private readonly batchProjects = new Map<string, { children: readonly BatchChild[]; options: BatchOptions }>();
  private readonly numbers = new Map<string, number>();
  private readonly idempotent = new Map<string, string>();
  private readonly reports = new FakeReports();

  constructor(
    private readonly now: () => number,
    readonly place: Place = DEFAULT_PLACE,
  ) {}

  addProject(name: string, script: BuildScript | ScriptFactory, options: ProjectOptions = {}): void {
    this.projects.set(name, { factory: typeof script === 'function' ? script : () => script, options });
  }

  addBatchProject(name: string, children: readonly BatchChild[], options: BatchOptions = {}): void {
    this.batchProjects.set(name, { children, options });
  }

  handle(op: string, body: Json): Json | undefined {
    this.settle();
    const ops: Record<string, (b: Json) => Json> = {
      StartBuild: (b) => ({ build: this.startBuild(b).view(this.now()) }),
      BatchGetBuilds: (b) => this.batchGetBuilds(b),
      StopBuild: (b) => this.stopBuild(b),
      RetryBuild: (b) => this.retryBuild(b),
      StartBuildBatch: (b) => this.startBuildBatch(b),
      BatchGetBuildBatches: (b) => this.batchGetBuildBatches(b),
      StopBuildBatch: (b) => this.stopBuildBatch(b),
      RetryBuildBatch: (b) => this.retryBuildBatch(b),
      BatchGetReports: (b) => this.reports.batchGetReports(b, this.published()),
      DescribeTestCases: (b) => this.reports.describeTestCases(b, this.published()),
    };
    return ops[op]?.(body);
  }

  private nextNumber(project: string): number {
    const n = (this.numbers.get(project) ?? 0) + 1;
    this.numbers.set(project, n);
    return n;
  }

  /** A new build of `project`, started at `at`. */
  newBuild(project: string, script: BuildScript, request: Json, at = this.now()): FakeBuild {
    const build = new FakeBuild(`${project}:${randomUUID()}`, this.nextNumber(project), project, at, script, request);
    build.place = this.place;
    this.builds.set(build.id, build);
    return build;
  }

  /** The script a build of `name` runs when something other than StartBuild starts it (a pipeline action). */
  scriptOf(name: string): BuildScript {
    return this.factoryOf(name)({});
  }

  private factoryOf(name: string): ScriptFactory {
    const project = this.projects.get(name);
    if (!project) throw new AwsError('ResourceNotFoundException', `Project cannot be found: ${arnOf(this.place, 'codebuild', `project/${name}`)}`);
    return project.factory;
  }

  private startBuild(request: Json): FakeBuild {
    this.startRequests.push(request);
    const name = String(request.projectName ?? '');
    const factory = this.factoryOf(name);
    const token = request.idempotencyToken as string | undefined;
    if (token && this.idempotent.has(token)) return this.builds.get(this.idempotent.get(token)!)!;
    const build = this.newBuild(name, factory(request), request);
    const limit = Number(request.autoRetryLimitOverride ?? this.projects.get(name)!.options.autoRetryLimit ?? 0);
    if (limit > 0) build.autoRetry = { limit, number: 0 };
    if (token) this.idempotent.set(token, build.id);
    return build;
  }

  /** CodeBuild's own auto-retries and the batches' progress, as of now. */
  private settle(): void {
    const now = this.now();
    for (const batch of this.batches.values()) batch.settle(now);
    for (const build of [...this.builds.values()]) {
      const retry = build.autoRetry;
      if (!retry || retry.next || retry.number >= retry.limit || build.stoppedAt !== undefined) continue;
      if (!AUTO_RETRIED.has(build.status) || now < build.endAt + AUTO_RETRY_DELAY_MS) continue;
      const next = this.newBuild(build.project, this.factoryOf(build.project)(build.request), build.request, build.endAt + AUTO_RETRY_DELAY_MS);
      next.autoRetry = { limit: retry.limit, number: retry.number + 1, previous: build.arn };
      retry.next = next.arn;
    }
  }

  /** BatchGetBuilds takes ids or ARNs (aws-codebuild-run-build passes batch groups' ARNs). */
  private lookup(idOrArn: string): FakeBuild | undefined {
    return this.builds.get(idOrArn.includes(':build/') ? idOrArn.slice(idOrArn.indexOf(':build/') + 7) : idOrArn);
  }

  private batchGetBuilds(request: Json): Json {
    const ids: string[] = request.ids ?? [];
    const now = this.now();
    return { builds: ids.flatMap((id) => this.lookup(id)?.view(now) ?? []), buildsNotFound: ids.filter((id) => !this.lookup(id)) };
  }

  private stopBuild(request: Json): Json {
    const build = this.lookup(String(request.id));
    if (!build) throw notFound('Build', request.id);
    this.stopCalls.push({ id: build.id, at: this.now() });
    build.stoppedAt ??= this.now();
    return { build: build.view(this.now()) };
  }

  private retryBuild(request: Json): Json {
    const previous = this.lookup(String(request.id));
    if (!previous) throw notFound('Build', request.id);
    return { build: this.startBuild({ ...previous.request, idempotencyToken: request.idempotencyToken }).view(this.now()) };
  }

  private startBuildBatch(request: Json): Json {
    this.startRequests.push(request);
    return { buildBatch: this.newBatch(String(request.projectName ?? ''), request).view(this.now()) };
  }

  /** A new batch of `name`, started at `at` (StartBuildBatch, or a pipeline's batch-enabled CodeBuild action). */
  newBatch(name: string, request: Json, at = this.now()): FakeBatch {
    const project = this.batchProjects.get(name);
    if (!project) throw new AwsError('ResourceNotFoundException', `Project cannot be found: ${arnOf(this.place, 'codebuild', `project/${name}`)}`);
    const number = this.nextNumber(`batch:${name}`);
    const start = (script: BuildScript, when: number) => this.newBuild(name, script, request, when);
    const batch = new FakeBatch(`${name}:${randomUUID()}`, number, name, at, project.children, project.options, start, downloadSource(project.options));
    batch.place = this.place;
    this.batches.set(batch.id, batch);
    return batch;
  }

  private batchGetBuildBatches(request: Json): Json {
    const ids: string[] = request.ids ?? [];
    if (ids.length > 100) throw new AwsError('InvalidInputException', 'ids: at most 100');
    return {
      buildBatches: ids.filter((id) => this.batches.has(id)).map((id) => this.batches.get(id)!.view(this.now())),
      buildBatchesNotFound: ids.filter((id) => !this.batches.has(id)),
    };
  }

  private stopBuildBatch(request: Json): Json {
    const batch = this.batches.get(String(request.id));
    if (!batch) throw notFound('Batch', request.id);
    this.stopCalls.push({ id: batch.id, at: this.now() });
    batch.stoppedAt ??= this.now();
    for (const b of [batch.downloadSource, ...batch.children.map((c) => c.build)]) b.stoppedAt ??= this.now();
    return { buildBatch: batch.view(this.now()) };
  }

  /** RetryBuildBatch (retryType RETRY_ALL_BUILDS | RETRY_FAILED_BUILDS): "Only batch builds that have failed can be retried." */
  private retryBuildBatch(request: Json): Json {
    const batch = this.batches.get(String(request.id));
    if (!batch) throw notFound('Batch', request.id);
    const type = String(request.retryType ?? 'RETRY_ALL_BUILDS');
    if (!['RETRY_ALL_BUILDS', 'RETRY_FAILED_BUILDS'].includes(type)) throw new AwsError('InvalidInputException', `Invalid retryType: ${type}`);
    if (batch.status(this.now()) !== 'FAILED') throw new AwsError('InvalidInputException', 'Only batch builds that have failed can be retried');
    batch.retry(this.now(), type);
    return { buildBatch: batch.view(this.now()) };
  }

  /** Every report a build or batch published, by ARN. */
  private published(): Map<string, PublishedReport> {
    const all = new Map<string, PublishedReport>();
    for (const b of this.builds.values()) {
      for (const [i, report] of (b.script.reports ?? []).entries())
        all.set(b.reportArn(i), { arn: b.reportArn(i), name: `${b.project}-${report.group}`, report });
    }
    for (const batch of this.batches.values()) {
      for (const [i, report] of (batch.options.reports ?? []).entries()) {
        all.set(batch.reportArn(i), { arn: batch.reportArn(i), name: `${batch.project}-${report.group}`, report });
      }
    }
    return all;
  }
}

/** The batch's first build: it downloads the source the children build. */
function downloadSource(options: BatchOptions): BuildScript {
  const failed = options.downloadSourceFails;
  return {
    finalStatus: failed ? 'FAILED' : 'SUCCEEDED',
    phases: [
      { name: 'SUBMITTED', durationMs: 100 },
      { name: 'PROVISIONING', durationMs: 300 },
      {
        name: 'DOWNLOAD_SOURCE',
        durationMs: 400,
        lines: ['Downloading the batch source'],
        ...(failed && { status: 'CLIENT_ERROR' as const, statusCode: 'CLIENT_ERROR', message: failed }),
      },
    ],
  };
}
