import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BuildScript, CONTAINER_PHASES, type PhaseName, type ScriptedLine, scriptLines } from './build-script';
import { FakeS3 } from './fake-s3';
import { FaultInjector, type FaultOptions } from './faults';

/**
 * A local CodeBuild + CloudWatch Logs endpoint speaking the real JSON 1.1 protocol, so the
 * product's real SDK clients (signing, retries, error parsing) run against it unchanged.
 */
export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

type Json = Record<string, any>;
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

export interface FakeLine extends ScriptedLine {
  readonly timestamp: number;
  readonly availableAt: number;
}

export class FakeBuild {
  readonly lines: FakeLine[];
  stoppedAt?: number;

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

  get arn(): string {
    return `arn:aws:codebuild:${REGION}:${ACCOUNT}:build/${this.id}`;
  }

  reportArn(index: number): string {
    return `arn:aws:codebuild:${REGION}:${ACCOUNT}:report/${this.project}-${this.script.reports![index]!.group}:${this.uuid}-${index}`;
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
    return !this.script.logsDisabled && now - this.startedAt >= (this.script.streamDelayMs ?? this.streamNamedAtMs);
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
            cloudWatchLogs: { status: 'ENABLED' },
            ...(streamed && {
              groupName: this.group,
              streamName: this.stream,
              deepLink: `https://console.aws.amazon.com/cloudwatch/home?region=${REGION}#logEvent:group=${this.group};stream=${this.stream}`,
              cloudWatchLogsArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${this.group}:log-stream:${this.stream}`,
            }),
          },
      ...(done && this.script.reports && { reportArns: this.script.reports.map((_, i) => this.reportArn(i)) }),
      ...(done &&
        this.script.exportedVariables && {
          exportedEnvironmentVariables: Object.entries(this.script.exportedVariables).map(([name, value]) => ({ name, value })),
        }),
    };
  }
}

/** A batch build: its children run at once; it ends when the last one does. */
export class FakeBatch {
  stoppedAt?: number;
  constructor(
    readonly id: string,
    readonly number: number,
    readonly project: string,
    readonly startedAt: number,
    readonly children: readonly { identifier: string; build: FakeBuild }[],
  ) {}

  get arn(): string {
    return `arn:aws:codebuild:${REGION}:${ACCOUNT}:build-batch/${this.id}`;
  }

  view(now: number): Json {
    const ends = this.children.map((c) => c.build.startedAt + c.build.endMs);
    const endAt = Math.max(...ends) + 500;
    const done = now >= endAt;
    const statuses = this.children.map((c) => c.build.status);
    const status = this.stoppedAt !== undefined ? 'STOPPED' : statuses.every((s) => s === 'SUCCEEDED') ? 'SUCCEEDED' : 'FAILED';
    return {
      id: this.id,
      arn: this.arn,
      buildBatchNumber: this.number,
      projectName: this.project,
      startTime: this.startedAt / 1000,
      ...(done && { endTime: endAt / 1000 }),
      buildBatchStatus: done ? status : 'IN_PROGRESS',
      currentPhase: done ? 'SUCCEEDED' : 'IN_PROGRESS',
      complete: done,
      phases: [{ phaseType: 'SUBMITTED', phaseStatus: 'SUCCEEDED', durationInSeconds: 0 }],
      buildGroups: this.children.map((c) => ({
        identifier: c.identifier,
        currentBuildSummary: { arn: c.build.arn, buildStatus: now >= c.build.startedAt + c.build.endMs ? c.build.status : 'IN_PROGRESS' },
      })),
    };
  }
}

export interface FakeAwsOptions extends FaultOptions {
  readonly now?: () => number;
  /** CloudWatch tokens older than this are rejected (InvalidParameterException). */
  readonly tokenTtlMs?: number;
}

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
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
  private readonly tokensIssued = new Map<string, number>();
  private readonly idempotent = new Map<string, string>();
  private server?: Server;
  private readonly now: () => number;

  constructor(private readonly options: FakeAwsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.faults = new FaultInjector(options);
  }

  addProject(name: string, script: BuildScript | ScriptFactory): this {
    this.projects.set(name, typeof script === 'function' ? script : () => script);
    return this;
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
    if (target.startsWith('Logs_20140328.') && op === 'GetLogEvents') return this.getLogEvents(body);
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

  private getLogEvents(request: Json): Json {
    const build = [...this.builds.values()].find((b) => b.group === request.logGroupName && b.stream === request.logStreamName);
    if (!build?.streamExists(this.now())) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const visible = build.visibleLines(this.now());
    let from = 0;
    if (request.nextToken) {
      const issued = this.tokensIssued.get(request.nextToken);
      if (issued === undefined) throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
      if (this.options.tokenTtlMs !== undefined && this.now() - issued > this.options.tokenTtlMs) {
        throw new AwsError('InvalidParameterException', 'The specified nextToken has expired.');
      }
      from = Number(String(request.nextToken).split('/')[1]);
    } else if (request.startTime !== undefined) {
      from = visible.findIndex((l) => l.timestamp >= request.startTime);
      if (from < 0) from = visible.length;
    }
    const limit = Math.min(Number(request.limit ?? 10_000), 10_000);
    const events: Json[] = [];
    let bytes = 0;
    for (let i = from; i < visible.length && events.length < limit; i++) {
      const line = visible[i]!;
      bytes += Buffer.byteLength(line.message) + 26;
      if (bytes > 1_048_576 && events.length > 0) break;
      events.push({ timestamp: line.timestamp, message: line.message, ingestionTime: line.availableAt });
    }
    const next = `f/${String(from + events.length).padStart(20, '0')}/${build.uuid.slice(0, 8)}`;
    // CloudWatch hands back the very token it was given once nothing new is there.
    const token = events.length === 0 && request.nextToken ? request.nextToken : next;
    if (!this.tokensIssued.has(token)) this.tokensIssued.set(token, this.now());
    return { events, nextForwardToken: token, nextBackwardToken: `b/${String(from).padStart(20, '0')}` };
  }
}

export type { BuildScript, PhaseName };
