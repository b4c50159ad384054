import type { Build, BuildBatch } from '@aws-sdk/client-codebuild';
import { randomUUID } from 'node:crypto';
import { codeBuildApi, logsApi, type ClientSettings, type CodeBuildApi, type LogsApi } from './aws/apis';
import { chooseCredentials } from './aws/credentials';
import { errorName } from './aws/errors';
import type { RetryDeps, RetryPolicy } from './aws/retry';
import { ciContext, type CiContext } from './ci-context';
import { systemClock, type Clock } from './clock';
import { ConfigError, loadConfig, type Config, type RetryableStatus } from './config/config';
import { INPUTS } from './config/inputs';
import { Congestion } from './core/congestion';
import { RequestBudget } from './core/request-budget';
import { batchConsoleUrl, buildConsoleUrl, logsConsoleUrl, parseBuildArn } from './core/links';
import { attemptOf, outcomeStatus, type Attempt, type Outcome } from './core/outcome';
import type { PollPolicy } from './core/poll-policy';
import { startBuildBatchRequest, startBuildRequest } from './core/start-request';
import type { TestReport } from './core/test-reports';
import { batchVerdictOf, isTerminal, verdictOf } from './core/verdict';
import { helpText } from './help';
import { zipDirectory } from './source-upload/archive';
import { s3SourceStore, sourceKey, type SourceStore } from './source-upload/s3-store';
import { notifySlack } from './notify/notify';
import { detectPlatform } from './platform';
import type { OutputSink } from './report/outputs';
import type { PhaseEnd, Reporter } from './report/reporter';
import { Cancelled, WaitTimedOut } from './stop-reason';
import { batchAsBuild, watchBatch } from './watch/watch-batch';
import { watchBuild } from './watch/watch-build';

type Env = Readonly<Record<string, string | undefined>>;

export interface Apis {
  readonly codebuild: CodeBuildApi;
  readonly logs: LogsApi;
  /** Where upload-source puts the zipped working directory. */
  readonly source: SourceStore;
  region(): Promise<string>;
}

export interface RunOptions {
  readonly env: Env;
  readonly argv?: readonly string[];
  readonly clock?: Clock;
  readonly policy?: PollPolicy;
  /** The directory upload-source zips; by default the working directory. */
  readonly workdir?: string;
  /** Aborted with a `Cancelled` reason when the CI cancels the job. */
  readonly signal?: AbortSignal;
  /** Override the AWS adapters (unit tests); by default the real SDK clients. */
  readonly apis?: (settings: ClientSettings, retry: RetryDeps) => Apis;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Stopping must finish inside GitHub's ~7.5 s between SIGINT and SIGTERM, Slack post included:
 * a short retry budget, and a hard deadline on the call itself.
 */
const STOP_RETRY: RetryPolicy = { retries: 3, baseMs: 200, capMs: 1_000, maxRetryTimeMs: 3_000 };
const STOP_DEADLINE_MS = 3_000;
const REPORT_RETRY: RetryPolicy = { retries: 4, baseMs: 500, capMs: 4_000, maxRetryTimeMs: 20_000 };

function defaultApis(settings: ClientSettings, retry: RetryDeps): Apis {
  const codebuild = codeBuildApi(settings, retry);
  return { codebuild, logs: logsApi(settings, retry), source: s3SourceStore(settings), region: () => codebuild.region() };
}

/** The whole step: settings → build → logs → verdict. Returns the exit code; never throws. */
export async function run(options: RunOptions): Promise<number> {
  const { env } = options;
  if (options.argv?.some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(helpText());
    return EXIT.ok;
  }
  const platform = detectPlatform(env);
  let config: Config;
  try {
    config = loadConfig(platform.source, platform.defaults);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    platform.reporter({ debug: false }).error(error.message);
    return EXIT.usage;
  }
  const reporter = platform.reporter(config);
  maskSecrets(config, reporter);
  for (const warning of config.warnings) reporter.warning(warning);
  const credentials = chooseCredentials(env);
  if (credentials.warning) reporter.warning(credentials.warning);
  reporter.debug(`AWS credentials: ${credentials.description}`);
  const clock = options.clock ?? systemClock;
  const congestion = new Congestion(clock.now);
  const retry: RetryDeps = { clock, observer: congestion, budget: new RequestBudget(clock.now), log: (m) => reporter.debug(m) };
  const settings: ClientSettings = { region: config.region, ...(credentials.provider && { credentials: credentials.provider }) };
  const apis = (options.apis ?? defaultApis)(settings, retry);
  // A missing region is a setting problem: say so before any call, instead of retrying one.
  const region = await apis.region().catch(() => undefined);
  if (!region) {
    reporter.error(`Invalid settings:\n  - no AWS region: set ${platform.source.describe(INPUTS.region)}`);
    return EXIT.usage;
  }
  const outputs = guardedSink(platform.outputs(config), reporter);
  return new Step(config, reporter, outputs, ciContext(env), apis, region, clock, congestion, options, options.workdir ?? platform.workdir).execute();
}

/** Writing outputs must never fail the step or leave a started build unwatched. */
function guardedSink(sink: OutputSink, reporter: Reporter): OutputSink {
  let warned = false;
  return {
    set(values) {
      try {
        sink.set(values);
      } catch (error) {
        if (!warned) reporter.warning(`Could not write the outputs/result: ${(error as Error).message}`);
        warned = true;
      }
    },
  };
}

/** Before anything else is printed, so no later line can leak them. */
function maskSecrets(config: Config, reporter: Reporter): void {
  if (config.slack) reporter.mask(config.slack.webhookUrl);
  const fromOverrides = config.startBuildOverrides.environmentVariablesOverride;
  const all = [...config.environmentVariables, ...(Array.isArray(fromOverrides) ? fromOverrides : [])] as { type?: unknown; value?: unknown }[];
  for (const v of all) if (v?.type && v.type !== 'PLAINTEXT' && typeof v.value === 'string') reporter.mask(v.value);
}

class Step {
  private build?: Build;
  private buildUrl?: string;
  private logsUrl?: string;
  private readonly phases: PhaseEnd[] = [];
  /** Builds already judged, for the attempts output when retry-on starts one again. */
  private readonly attempts: Attempt[] = [];
  /** Set for a batch build: cancel stops the batch, not one build. */
  private batchId?: string;

  constructor(
    private readonly config: Config,
    private readonly reporter: Reporter,
    private readonly outputs: OutputSink,
    private readonly ci: CiContext,
    private readonly apis: Apis,
    private readonly region: string,
    private readonly clock: Clock,
    private readonly congestion: Congestion,
    private readonly options: RunOptions,
    private readonly workdir: string,
  ) {}

  async execute(): Promise<number> {
    const outcome = await this.outcome();
    await this.finish(outcome);
    if (outcome.kind === 'cancelled') return SIGNAL_EXIT[(outcome as { signalName?: string }).signalName ?? ''] ?? EXIT.failed;
    return outcome.kind === 'started' || (outcome.kind === 'verdict' && outcome.verdict?.ok) ? EXIT.ok : EXIT.failed;
  }

  private base() {
    const sourceLocation = this.uploaded && `${this.uploaded.bucket}/${this.uploaded.key}`;
    return { build: this.build, buildUrl: this.buildUrl, logsUrl: this.logsUrl, attempts: this.attempts, ...(sourceLocation && { sourceLocation }) };
  }

  /** Watch; while the end is one the user asked to retry, RetryBuild and watch the new build. */
  private async watchWithRetries(started: Build, signal: AbortSignal): Promise<Build> {
    let final = await this.watch(started, signal);
    for (;;) {
      this.attempts.push(attemptOf(final));
      const status = final.buildStatus as RetryableStatus;
      const retriesUsed = this.attempts.length - 1;
      if (!this.config.retryOn.includes(status) || retriesUsed >= this.config.maxRetries) break;
      this.reporter.warning(`${verdictOf(final).summary}. Retrying (${retriesUsed + 1} of ${this.config.maxRetries}, retry-on: ${this.config.retryOn.join(',')}).`);
      signal.throwIfAborted();
      const retried = await this.apis.codebuild.retryBuild(final.id!, randomUUID());
      this.announceBuild(retried, 'Retried as');
      final = await this.watch(retried, signal);
    }
    if (this.attempts.length > 1) this.outputs.set({ attempts: attemptsJson(this.attempts) });
    return final;
  }

  /** The CI's cancel and our wait timeout, once the step runs. */
  private waitSignal?: AbortSignal;

  /** Runs the build to whatever end it comes to; never throws. */
  private async outcome(): Promise<Outcome & { signalName?: string }> {
    const waitSignal = this.stopSignal();
    this.waitSignal = waitSignal;
    try {
      waitSignal.throwIfAborted();
      if (this.config.batch) return await this.runBatch(waitSignal);
      // StartBuild is not abortable: a build we started but never heard of could not be stopped.
      const started = await this.startOrAttach();
      waitSignal.throwIfAborted();
      if (!this.config.wait) {
        this.reporter.info(`Not waiting (wait: false); build ${started.id} is ${started.buildStatus ?? 'IN_PROGRESS'}.`);
        return { kind: 'started', ...this.base() };
      }
      const final = await this.watchWithRetries(started, waitSignal);
      const tests = await this.testReports(final);
      return { kind: 'verdict', ...this.base(), build: final, verdict: verdictOf(final), ...(tests.length && { tests }) };
    } catch (error) {
      const reason = waitSignal.aborted ? waitSignal.reason : undefined;
      if (reason instanceof Cancelled) return this.cancelled(reason);
      if (reason instanceof WaitTimedOut) return this.timedOut(reason);
      const detail = describeFailure(error, this.config);
      this.reporter.error(detail);
      if (this.config.debug && error instanceof Error && error.stack) this.reporter.debug(error.stack);
      return { kind: 'error', ...this.base(), detail };
    }
  }

  /** A batch build: start it, follow every child, judge by the batch's status. */
  private async runBatch(signal: AbortSignal): Promise<Outcome> {
    const { codebuild } = this.apis;
    const started = await codebuild.startBuildBatch({ ...startBuildBatchRequest(this.config, randomUUID()), ...(await this.uploadSource()) });
    this.batchId = started.id;
    this.announceBatch(started);
    signal.throwIfAborted();
    if (!this.config.wait) return { kind: 'started', ...this.base() };
    const { batch, children } = await watchBatch(started, {
      codebuild: { getBuild: (id) => codebuild.getBuild(id, { signal }), getBuildBatch: (id) => codebuild.getBuildBatch(id, { signal }) },
      logs: { getPage: (stream, request) => this.apis.logs.getPage(stream, request, { signal }) },
      clock: this.clock,
      reporter: this.reporter,
      congestion: this.congestion,
      tailLogs: this.config.tailLogs,
      policy: this.options.policy,
      signal,
      onBatch: (b) => (this.build = batchAsBuild(b)),
    });
    const childList = [...children].map(([identifier, build]) => ({ identifier, build }));
    this.build = batchAsBuild(batch);
    this.outputs.set({
      'batch-builds': JSON.stringify(childList.map((c) => ({ identifier: c.identifier, 'build-id': c.build.id, 'build-status': c.build.buildStatus }))),
    });
    return { kind: 'verdict', ...this.base(), verdict: batchVerdictOf(this.build, childList), children: childList };
  }

  private announceBatch(batch: BuildBatch): void {
    this.build = batchAsBuild(batch);
    const region = parseBuildArn(batch.arn?.replace(':build-batch/', ':build/'))?.region ?? this.region;
    this.buildUrl = batchConsoleUrl(batch, region);
    this.outputs.set({
      'batch-id': batch.id,
      'build-id': batch.id,
      'build-arn': batch.arn,
      'build-number': batch.buildBatchNumber === undefined ? undefined : String(batch.buildBatchNumber),
      'build-url': this.buildUrl,
      'build-status': batch.buildBatchStatus ?? 'IN_PROGRESS',
    });
    this.reporter.info(`Started batch build ${batch.id} (#${batch.buildBatchNumber ?? '?'}) of project ${batch.projectName}`);
    this.reporter.info(`Console: ${this.buildUrl}`);
  }

  /** The uploaded zip, once uploaded: deleted after the build unless keep-source. */
  private uploaded?: { bucket: string; key: string };

  /**
   * upload-source: zip the working directory (excludes, .git-commit-hash), put it in S3, and
   * return the StartBuild overrides that build it instead of the project's source.
   */
  private async uploadSource(): Promise<{ sourceTypeOverride: 'S3'; sourceLocationOverride: string } | object> {
    const upload = this.config.upload;
    if (!upload) return {};
    const archive = await zipDirectory(this.workdir, { exclude: upload.exclude, commit: this.ci.commit });
    const key = sourceKey(upload.prefix, this.ci.commit, new Date(), randomUUID().slice(0, 8));
    const mb = (n: number) => (n / 1_048_576).toFixed(1);
    this.reporter.info(`Uploading the working directory (${archive.files} files, ${mb(archive.bytes)} MB zipped) to s3://${upload.bucket}/${key}`);
    let shown = 0;
    await this.apis.source.upload(upload.bucket, key, archive.path, archive.bytes, ({ loaded, total }) => {
      const pct = total ? Math.floor((100 * loaded) / total) : 100;
      // A line a quarter: progress without flooding the log.
      if (pct >= shown + 25 || (pct === 100 && shown < 100)) this.reporter.info(`Uploaded ${pct}% (${mb(loaded)} of ${mb(total)} MB)`), (shown = pct);
    });
    this.uploaded = { bucket: upload.bucket, key };
    this.outputs.set({ 'source-location': `${upload.bucket}/${key}` });
    // A cancel during a long upload must not go on to start the build (the zip is removed after).
    this.waitSignal?.throwIfAborted();
    return { sourceTypeOverride: 'S3', sourceLocationOverride: `${upload.bucket}/${key}` };
  }

  /** After the build: the zip is only for this build. */
  private async removeUploadedSource(): Promise<void> {
    if (!this.uploaded || this.config.upload?.keep) return;
    const { bucket, key } = this.uploaded;
    try {
      await this.apis.source.remove(bucket, key);
      this.reporter.debug(`Deleted s3://${bucket}/${key}`);
    } catch (error) {
      this.reporter.warning(`Could not delete the uploaded source s3://${bucket}/${key}: ${describeFailure(error, this.config)}`);
    }
  }

  /** Test reports are extra information: failing to fetch them is a warning, never the verdict. */
  private async testReports(build: Build): Promise<TestReport[]> {
    if (!build.reportArns?.length) return [];
    try {
      return await this.apis.codebuild.testReports(build.reportArns, { policy: REPORT_RETRY });
    } catch (error) {
      this.reporter.warning(`Could not read the test reports (${describeFailure(error, this.config)}); they are in the CodeBuild console.`);
      return [];
    }
  }

  /** The CI's cancel signal, plus our own wait timeout. */
  private stopSignal(): AbortSignal {
    const signals = this.options.signal ? [this.options.signal] : [];
    const minutes = this.config.waitTimeoutMinutes;
    if (minutes !== undefined) {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new WaitTimedOut(minutes)), minutes * 60_000).unref();
      signals.push(controller.signal);
    }
    return AbortSignal.any(signals);
  }

  private async cancelled(reason: Cancelled): Promise<Outcome & { signalName: string }> {
    this.reporter.error(`Cancelled: ${reason.message}.`);
    const detail = this.config.stopOnCancel ? await this.stopBuild() : 'the build was left running (stop-on-cancel: false)';
    return { kind: 'cancelled', ...this.base(), detail, signalName: reason.signalName };
  }

  private async timedOut(reason: WaitTimedOut): Promise<Outcome> {
    this.reporter.error(`Wait timeout: ${reason.message}.`);
    const detail = this.config.stopOnTimeout ? await this.stopBuild() : 'the build was left running (stop-on-timeout: false)';
    return { kind: 'wait-timeout', ...this.base(), detail };
  }

  /** One StopBuild (StopBuildBatch for a batch), quick; says what happened either way. */
  private async stopBuild(): Promise<string> {
    const id = this.build?.id;
    if (!id) return 'no build had been started';
    if (isTerminal(this.build)) return `build ${id} had already ended ${this.build?.buildStatus}`;
    try {
      const options = { policy: STOP_RETRY, signal: AbortSignal.timeout(STOP_DEADLINE_MS) };
      if (this.batchId) {
        const stopped = await this.apis.codebuild.stopBuildBatch(this.batchId, options);
        if (stopped) this.build = batchAsBuild(stopped);
      } else {
        const stopped = await this.apis.codebuild.stopBuild(id, options);
        if (stopped) this.build = stopped;
      }
      this.reporter.info(`Stopped build ${id}.`);
      return `build ${id} was stopped`;
    } catch (error) {
      this.reporter.error(`Could not stop build ${id}: ${describeFailure(error, this.config)}`);
      return `stopping build ${id} failed; it may still be running`;
    }
  }

  private async startOrAttach(): Promise<Build> {
    const { config, apis } = this;
    const build = config.buildId
      ? await apis.codebuild.getBuild(config.buildId)
      : // The token makes a retried StartBuild (lost response) return the same build, not a second one.
        await apis.codebuild.startBuild({ ...startBuildRequest(config, randomUUID()), ...(await this.uploadSource()) });
    this.announceBuild(build, config.buildId ? 'Attached to' : 'Started');
    return build;
  }

  /** The link and the early outputs, for a build we start, attach to or retry. */
  private announceBuild(build: Build, verb: string): void {
    this.build = build;
    this.logsUrl = undefined;
    const region = parseBuildArn(build.arn)?.region ?? this.region;
    this.buildUrl = buildConsoleUrl({ id: build.id!, arn: build.arn, region });
    this.outputs.set({
      'build-id': build.id,
      'build-arn': build.arn,
      'build-number': build.buildNumber === undefined ? undefined : String(build.buildNumber),
      'build-url': this.buildUrl,
      'build-status': build.buildStatus ?? 'IN_PROGRESS',
    });
    this.reporter.info(`${verb} build ${build.id} (#${build.buildNumber ?? '?'}) of project ${build.projectName}`);
    this.reporter.info(`Console: ${this.buildUrl}`);
  }

  private watch(started: Build, signal: AbortSignal): Promise<Build> {
    const { codebuild, logs } = this.apis;
    return watchBuild(started, {
      codebuild: { getBuild: (id) => codebuild.getBuild(id, { signal }) },
      logs: { getPage: (stream, request) => logs.getPage(stream, request, { signal }) },
      clock: this.clock,
      reporter: this.recordingPhases(),
      congestion: this.congestion,
      tailLogs: this.config.tailLogs,
      policy: this.options.policy,
      signal,
      onBuild: (b) => (this.build = b),
      onStream: (stream, b) => {
        const region = parseBuildArn(b.arn)?.region ?? this.region;
        this.logsUrl = b.logs?.deepLink ?? logsConsoleUrl(region, stream.group, stream.stream);
        this.outputs.set({ 'logs-url': this.logsUrl });
        this.reporter.info(`Streaming the build log: ${this.logsUrl}`);
      },
    });
  }

  /** Outputs, the verdict line, the summary, Slack: in that order, each independent of the next. */
  private async finish(outcome: Outcome): Promise<void> {
    const build = outcome.build;
    this.outputs.set({
      'build-status': outcomeStatus(outcome),
      ...(build && { 'exported-variables': exportedVariables(build) }),
    });
    if (outcome.kind !== 'started') await this.removeUploadedSource();
    if (outcome.tests?.length) this.reporter.testReports(outcome.tests);
    if (outcome.verdict) this.reporter.verdict(outcome.verdict, build);
    try {
      await this.reporter.close({ ...outcome, phases: this.phases, error: outcome.detail });
    } catch (error) {
      this.reporter.warning(`Could not write the job summary: ${(error as Error).message}`);
    }
    if (this.config.slack) {
      const hurry = outcome.kind === 'cancelled';
      await notifySlack(this.config.slack, outcome, this.ci, { clock: systemClock, reporter: this.reporter, hurry });
    }
  }

  /** Keep the phases the user was shown, for the summary. */
  private recordingPhases(): Reporter {
    const { reporter, phases } = this;
    return new Proxy(reporter, {
      get(target, prop, receiver) {
        if (prop === 'phaseEnded') return (end: PhaseEnd) => (phases.push(end), target.phaseEnded(end));
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}

function attemptsJson(attempts: readonly Attempt[]): string {
  return JSON.stringify(attempts.map((a) => ({ 'build-id': a.buildId, 'build-number': a.buildNumber, 'build-status': a.status })));
}

function exportedVariables(build: Build): string {
  return JSON.stringify(Object.fromEntries((build.exportedEnvironmentVariables ?? []).map((v) => [v.name ?? '', v.value ?? ''])));
}

/** One clear line for an AWS or runtime failure, with a hint where we can give one. */
export function describeFailure(error: unknown, config: Config): string {
  const name = errorName(error);
  const message = (error as Error)?.message ?? String(error);
  const hints: Record<string, string> = {
    ResourceNotFoundException: config.buildId
      ? 'check build-id and the region'
      : `check that project '${config.projectName}' exists in this account and region`,
    AccessDeniedException: 'the credentials need codebuild:StartBuild, codebuild:BatchGetBuilds, codebuild:StopBuild and logs:GetLogEvents',
    CredentialsProviderError: 'no AWS credentials were found (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or a role)',
  };
  const hint = hints[name] ? ` (${hints[name]})` : '';
  return `${name}: ${message}${hint}`;
}
