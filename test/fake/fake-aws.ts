import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNT, AwsError, type Json, type Place, REGION } from './aws-error';
import type { BuildScript, PhaseName } from './build-script';
import type { BatchChild, BatchOptions, FakeBatch } from './fake-batch';
import { FakeBuild } from './fake-build';
import { FakeCodeBuild, type ProjectOptions, type ScriptFactory } from './fake-codebuild';
import { FakeCodePipeline } from './fake-codepipeline';
import type { ScriptedPipeline } from './fake-execution';
import { FakeIam } from './fake-iam';
import { FakeLogs, type PagingOptions } from './fake-logs';
import { FakeS3, type FakeS3Options } from './fake-s3';
import { FaultInjector, type FaultOptions } from './faults';

/**
 * A local CodeBuild + CloudWatch Logs endpoint speaking the real JSON 1.1 protocol, so the
 * product's real SDK clients (signing, retries, error parsing) run against it unchanged.
 */

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
  /** The partition and region the fake's resources live in (default aws, eu-west-1). */
  readonly place?: Place;
  readonly s3?: FakeS3Options;
}

export class FakeAws {
  readonly calls: CallRecord[] = [];
  readonly s3 = new FakeS3();
  readonly faults: FaultInjector;
  readonly codebuild: FakeCodeBuild;
  readonly codepipeline: FakeCodePipeline;
  /** The README's IAM policy: operations it does not allow are refused (see fake-iam.ts). */
  readonly iam: FakeIam;
  private readonly logs: FakeLogs;
  private server?: Server;
  private readonly now: () => number;
  private ticker?: NodeJS.Timeout;

  constructor(options: FakeAwsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.faults = new FaultInjector(options);
    this.s3.options = options.s3 ?? {};
    this.s3.now = this.now;
    this.logs = new FakeLogs({ ...options, seed: options.seed }, this.now);
    this.codebuild = new FakeCodeBuild(this.now, options.place);
    this.codepipeline = new FakeCodePipeline(this.now, this.codebuild, this.s3, options.place);
    this.iam = new FakeIam(options.place);
  }

  get builds(): Map<string, FakeBuild> {
    return this.codebuild.builds;
  }

  get batches(): Map<string, FakeBatch> {
    return this.codebuild.batches;
  }

  get startRequests(): Json[] {
    return this.codebuild.startRequests;
  }

  get stopCalls(): { id: string; at: number }[] {
    return this.codebuild.stopCalls;
  }

  addProject(name: string, script: BuildScript | ScriptFactory, options?: ProjectOptions): this {
    this.codebuild.addProject(name, script, options);
    return this;
  }

  /**
   * A build of `project` that already ran and ended `endedAgoMs` ago, as `build-id` finds it
   * (its log complete in CloudWatch). Returns the build.
   */
  addFinishedBuild(project: string, script: BuildScript, endedAgoMs: number): FakeBuild {
    const probe = new FakeBuild('probe:0', 0, project, 0, script, {});
    const startedAt = this.now() - endedAgoMs - Math.max(probe.endMs, ...probe.lines.map((l) => l.availableAt));
    return this.codebuild.newBuild(project, script, {}, startedAt);
  }

  /** A pipeline whose CodeBuild actions build projects added with addProject. */
  addPipeline(pipeline: ScriptedPipeline): this {
    this.codepipeline.addPipeline(pipeline);
    return this;
  }

  /** A project whose StartBuildBatch runs these groups (as a build list or graph in its buildspec would). */
  addBatchProject(name: string, children: readonly BatchChild[], options?: BatchOptions): this {
    this.codebuild.addBatchProject(name, children, options);
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
    // CodePipeline moves executions on whether or not anyone asks: stage locks and superseding
    // depend on the order things happen in, which a fake settled only on requests would skew.
    this.ticker = setInterval(() => this.codepipeline.tick(), 100);
    this.ticker.unref();
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** One request, from the HTTP server or in-process (test/fake/in-process.ts). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    // S3 speaks REST, not JSON targets: one endpoint serves all the services, as AWS_ENDPOINT_URL does.
    if (!target) {
      const op = s3OperationOf(req);
      // A proxy's HTML page answers S3 requests as readily as JSON ones (shared/README §2b).
      if (this.faults.decide(op, this.now(), true) === 'html502') {
        this.calls.push({ op, at: this.now(), status: 502, throttled: false, resource: req.url ?? '', errorType: 'html502' });
        return void res.writeHead(502, { 'content-type': 'text/html' }).end(PROXY_PAGE);
      }
      if (this.iam.refuseS3(req, res)) return;
      for (const build of this.builds.values()) build.uploadArtifacts(this.s3, this.now());
      for (const batch of this.batches.values()) batch.uploadArtifacts(this.s3, this.now());
      return this.s3.handle(req, res, Buffer.concat(chunks));
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const op = target.slice(target.indexOf('.') + 1);
    const at = this.now();
    const fault = this.faults.decide(op, at);
    const request: Json = body ? JSON.parse(body) : {};
    const resource = String(
      request.logStreamName ?? request.projectName ?? request.pipelineName ?? request.name ?? request.id ?? (request.ids ?? []).join(',') ?? '',
    );
    if (fault === 'html502' || fault === 'xml500') {
      this.calls.push({ op, at, status: fault === 'html502' ? 502 : 500, throttled: false, resource, errorType: fault });
      const xml = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>';
      res
        .writeHead(fault === 'html502' ? 502 : 500, { 'content-type': fault === 'html502' ? 'text/html' : 'application/xml' })
        .end(fault === 'html502' ? PROXY_PAGE : xml);
      return;
    }
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
      this.iam.authorizeJson(target, request);
      if (fault === 'throttle') throw new AwsError('ThrottlingException', 'Rate exceeded');
      if (fault === 'error500') throw new AwsError('InternalFailure', 'An internal error occurred', 500);
      if (fault === 'unavailable503') throw new AwsError('ServiceUnavailableException', 'Service unavailable', 503);
      payload = this.dispatch(target, op, request);
      // A 5xx does not mean the service did nothing: it may have acted, then failed to answer (the
      // reason StartBuild takes an idempotency token, "valid for 5 minutes": API reference).
      if (fault === 'acted500') throw new AwsError('InternalFailure', 'An internal error occurred', 500);
    } catch (e) {
      const err = e instanceof AwsError ? e : new AwsError('InternalFailure', String(e), 500);
      status = err.status;
      payload = { __type: err.type, message: err.message };
    }
    this.calls.push({ op, at, status, throttled: payload.__type === 'ThrottlingException', resource, ...(payload.__type && { errorType: payload.__type }) });
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() }).end(JSON.stringify(payload));
  }

  private dispatch(target: string, op: string, body: Json): Json {
    const service = target.startsWith('CodeBuild_20161006.') ? this.codebuild : target.startsWith('CodePipeline_20150709.') ? this.codepipeline : undefined;
    const answer = service?.handle(op, body);
    if (answer) return answer;
    if (target.startsWith('Logs_20140328.') && op === 'GetLogEvents') return this.logs.getLogEvents(body, this.builds.values());
    throw new AwsError('UnknownOperationException', `Unknown operation ${target}`);
  }
}

export type { BuildScript, FakeBatch, PhaseName, ScriptFactory };
export { ACCOUNT, FakeBuild, REGION };

const PROXY_PAGE = '<!doctype html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';

/** The S3 REST operation a request is, by method and query (for faults aimed at one operation). */
function s3OperationOf(req: IncomingMessage): string {
  const query = new URL(req.url ?? '/', 'http://s3').searchParams;
  switch (req.method) {
    case 'GET':
      return query.has('list-type') ? 'ListObjectsV2' : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'PUT':
      return query.has('uploadId') ? 'UploadPart' : 'PutObject';
    case 'POST':
      return query.has('uploads') ? 'CreateMultipartUpload' : 'CompleteMultipartUpload';
    case 'DELETE':
      return query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    default:
      return `S3 ${req.method}`;
  }
}
