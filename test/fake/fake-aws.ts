import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNT, AwsError, type Json, REGION } from './aws-error';
import type { BuildScript, PhaseName } from './build-script';
import { FakeBatch } from './fake-batch';
import { FakeBuild } from './fake-build';
import { FakeLogs, type PagingOptions } from './fake-logs';
import { FakeS3 } from './fake-s3';
import { FaultInjector, type FaultOptions } from './faults';

/**
 * A local CodeBuild + CloudWatch Logs endpoint speaking the real JSON 1.1 protocol, so the
 * product's real SDK clients (signing, retries, error parsing) run against it unchanged.
 */
export type ScriptFactory = (request: Json) => BuildScript;

export interface CallRecord {
  readonly op: string;
  readonly at: number;
  readonly status: number;
  readonly throttled: boolean;
  /** The stream, project or build the call named, to tell concurrent clients apart. */
  readonly resource?: string;
  readonly errorType?: string;
}

export interface FakeAwsOptions extends FaultOptions, Omit<PagingOptions, 'seed'> {
  readonly now?: () => number;
}

export class FakeAws {
  readonly builds = new Map<string, FakeBuild>();
  readonly calls: CallRecord[] = [];
  readonly startRequests: Json[] = [];
  readonly stopCalls: { id: string; at: number }[] = [];
  readonly batches = new Map<string, FakeBatch>();
  readonly s3 = new FakeS3();
  private readonly batchProjects = new Map<string, readonly { identifier: string; script: BuildScript }[]>();
  readonly faults: FaultInjector;
  private readonly projects = new Map<string, ScriptFactory>();
  private readonly numbers = new Map<string, number>();
  private readonly logs: FakeLogs;
  private readonly idempotent = new Map<string, string>();
  private server?: Server;
  private readonly now: () => number;

  constructor(options: FakeAwsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.faults = new FaultInjector(options);
    this.logs = new FakeLogs({ ...options, seed: options.seed }, this.now);
  }

  addProject(name: string, script: BuildScript | ScriptFactory): this {
    this.projects.set(name, typeof script === 'function' ? script : () => script);
    return this;
  }

  /**
   * A build of `project` that already ran and ended `endedAgoMs` ago, as `build-id` finds it
   * (its log complete in CloudWatch). Returns the build.
   */
  addFinishedBuild(project: string, script: BuildScript, endedAgoMs: number): FakeBuild {
    const number = (this.numbers.get(project) ?? 0) + 1;
    this.numbers.set(project, number);
    const probe = new FakeBuild('probe:0', 0, project, 0, script, {});
    const startedAt = this.now() - endedAgoMs - Math.max(probe.endMs, ...probe.lines.map((l) => l.availableAt));
    const build = new FakeBuild(`${project}:${randomUUID()}`, number, project, startedAt, script, {});
    this.builds.set(build.id, build);
    return build;
  }

  /** A project whose StartBuildBatch runs these children (as a build list in its buildspec would). */
  addBatchProject(name: string, children: readonly { identifier: string; script: BuildScript }[]): this {
    this.batchProjects.set(name, children);
    return this;
  }

  setFaults(options: FaultOptions): void {
    this.faults.set(options);
  }

  get onlyBuild(): FakeBuild {
    const all = [...this.builds.values()];
    if (all.length !== 1) throw new Error(`expected one build, have ${all.length}`);
    return all[0]!;
  }

  count(op?: string): number {
    return this.calls.filter((c) => !op || c.op === op).length;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    // Longer than the SDK keeps idle sockets, so no reset happens that a test did not inject.
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    // S3 speaks REST, not JSON targets: one endpoint serves all the services, as AWS_ENDPOINT_URL does.
    if (!target) return this.s3.handle(req, res, Buffer.concat(chunks));
    const body = Buffer.concat(chunks).toString('utf8');
    const op = target.slice(target.indexOf('.') + 1);
    const at = this.now();
    const fault = this.faults.decide(op, at);
    const request: Json = body ? JSON.parse(body) : {};
    const resource = String(request.logStreamName ?? request.projectName ?? request.id ?? (request.ids ?? []).join(',') ?? '');
    if (fault === 'reset' || fault === 'stall') {
      this.calls.push({ op, at, status: 0, throttled: false, resource, errorType: fault });
      const drop = () => req.socket.destroy();
      if (fault === 'reset') drop();
      else setTimeout(drop, this.faults.stallMs).unref();
      return;
    }
    let status = 200;
    let payload: Json;
    try {
      if (fault === 'throttle') throw new AwsError('ThrottlingException', 'Rate exceeded');
      if (fault === 'error500') throw new AwsError('InternalFailure', 'An internal error occurred', 500);
      if (fault === 'unavailable503') throw new AwsError('ServiceUnavailableException', 'Service unavailable', 503);
      payload = this.dispatch(target, op, request);
    } catch (e) {
      const err = e instanceof AwsError ? e : new AwsError('InternalFailure', String(e), 500);
      status = err.status;
      payload = { __type: err.type, message: err.message };
    }
    this.calls.push({ op, at, status, throttled: payload.__type === 'ThrottlingException', resource, ...(payload.__type && { errorType: payload.__type }) });
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() }).end(JSON.stringify(payload));
  }

  private dispatch(target: string, op: string, body: Json): Json {
    if (target.startsWith('CodeBuild_20161006.')) {
      if (op === 'StartBuild') return this.startBuild(body);
      if (op === 'BatchGetBuilds') return this.batchGetBuilds(body);
      if (op === 'StopBuild') return this.stopBuild(body);
      if (op === 'RetryBuild') return this.retryBuild(body);
      if (op === 'BatchGetReports') return this.batchGetReports(body);
      if (op === 'StartBuildBatch') return this.startBuildBatch(body);
      if (op === 'BatchGetBuildBatches') return this.batchGetBuildBatches(body);
      if (op === 'StopBuildBatch') return this.stopBuildBatch(body);
      if (op === 'DescribeTestCases') return this.describeTestCases(body);
    }
    if (target.startsWith('Logs_20140328.') && op === 'GetLogEvents') return this.logs.getLogEvents(body, this.builds.values());
    throw new AwsError('UnknownOperationException', `Unknown operation ${target}`);
  }

  private startBuild(request: Json): Json {
    this.startRequests.push(request);
    const name = String(request.projectName ?? '');
    const factory = this.projects.get(name);
    if (!factory) throw new AwsError('ResourceNotFoundException', `Project cannot be found: arn:aws:codebuild:${REGION}:${ACCOUNT}:project/${name}`);
    const token = request.idempotencyToken as string | undefined;
    if (token && this.idempotent.has(token)) return { build: this.builds.get(this.idempotent.get(token)!)!.view(this.now()) };
    const number = (this.numbers.get(name) ?? 0) + 1;
    this.numbers.set(name, number);
    const build = new FakeBuild(`${name}:${randomUUID()}`, number, name, this.now(), factory(request), request);
    this.builds.set(build.id, build);
    if (token) this.idempotent.set(token, build.id);
    return { build: build.view(this.now()) };
  }

  private startBuildBatch(request: Json): Json {
    this.startRequests.push(request);
    const name = String(request.projectName ?? '');
    const children = this.batchProjects.get(name);
    if (!children) throw new AwsError('ResourceNotFoundException', `Project cannot be found: arn:aws:codebuild:${REGION}:${ACCOUNT}:project/${name}`);
    const number = (this.numbers.get(name) ?? 0) + 1;
    this.numbers.set(name, number);
    const now = this.now();
    const builds = children.map(({ identifier, script }, i) => {
      const build = new FakeBuild(`${name}:${randomUUID()}`, number * 100 + i, name, now, script, request);
      this.builds.set(build.id, build);
      return { identifier, build };
    });
    const batch = new FakeBatch(`${name}:${randomUUID()}`, number, name, now, builds);
    this.batches.set(batch.id, batch);
    return { buildBatch: batch.view(now) };
  }

  private batchGetBuildBatches(request: Json): Json {
    const ids: string[] = request.ids ?? [];
    return {
      buildBatches: ids.filter((id) => this.batches.has(id)).map((id) => this.batches.get(id)!.view(this.now())),
      buildBatchesNotFound: ids.filter((id) => !this.batches.has(id)),
    };
  }

  private stopBuildBatch(request: Json): Json {
    const batch = this.batches.get(String(request.id));
    if (!batch) throw new AwsError('ResourceNotFoundException', `Batch not found: ${request.id}`);
    this.stopCalls.push({ id: batch.id, at: this.now() });
    batch.stoppedAt ??= this.now();
    for (const c of batch.children) c.build.stoppedAt ??= this.now();
    return { buildBatch: batch.view(this.now()) };
  }

  private retryBuild(request: Json): Json {
    const previous = this.builds.get(String(request.id));
    if (!previous) throw new AwsError('ResourceNotFoundException', `Build not found: ${request.id}`);
    return this.startBuild({ ...previous.request, idempotencyToken: request.idempotencyToken });
  }

  /** Every scripted report of every build, by ARN. */
  private reports(): Map<string, { build: FakeBuild; index: number }> {
    const all = new Map<string, { build: FakeBuild; index: number }>();
    for (const build of this.builds.values()) {
      for (const index of (build.script.reports ?? []).keys()) all.set(build.reportArn(index), { build, index });
    }
    return all;
  }

  private batchGetReports(request: Json): Json {
    const all = this.reports();
    const arns: string[] = request.reportArns ?? [];
    return {
      reports: arns
        .filter((a) => all.has(a))
        .map((arn) => {
          const { build, index } = all.get(arn)!;
          const r = build.script.reports![index]!;
          return {
            arn,
            name: `${build.project}-${r.group}`,
            type: 'TEST',
            status: r.failed.length ? 'FAILED' : 'SUCCEEDED',
            testSummary: { total: r.passed + r.failed.length, statusCounts: { SUCCEEDED: r.passed, FAILED: r.failed.length }, durationInNanoSeconds: 1e9 },
          };
        }),
      reportsNotFound: arns.filter((a) => !all.has(a)),
    };
  }

  private describeTestCases(request: Json): Json {
    const found = this.reports().get(String(request.reportArn));
    if (!found) throw new AwsError('ResourceNotFoundException', `Report not found: ${request.reportArn}`);
    const failed = found.build.script.reports![found.index]!.failed;
    const limit = Number(request.maxResults ?? 50);
    return { testCases: failed.slice(0, limit).map((f) => ({ reportArn: request.reportArn, status: 'FAILED', ...f })) };
  }

  private batchGetBuilds(request: Json): Json {
    const ids: string[] = request.ids ?? [];
    const found = ids.filter((id) => this.builds.has(id));
    return { builds: found.map((id) => this.builds.get(id)!.view(this.now())), buildsNotFound: ids.filter((id) => !this.builds.has(id)) };
  }

  private stopBuild(request: Json): Json {
    const build = this.builds.get(String(request.id));
    if (!build) throw new AwsError('ResourceNotFoundException', `Build not found: ${request.id}`);
    this.stopCalls.push({ id: build.id, at: this.now() });
    if (build.stoppedAt === undefined) build.stoppedAt = this.now();
    return { build: build.view(this.now()) };
  }
}

export type { BuildScript, PhaseName };
export { ACCOUNT, FakeBatch, FakeBuild, REGION };
