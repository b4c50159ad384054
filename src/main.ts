import type { Build } from '@aws-sdk/client-codebuild';
import { randomUUID } from 'node:crypto';
import { codeBuildApi, logsApi, type CodeBuildApi, type ClientSettings, type LogsApi } from './aws/apis';
import { errorName } from './aws/errors';
import type { RetryDeps } from './aws/retry';
import { systemClock, type Clock } from './clock';
import { ConfigError, loadConfig, type Config } from './config/config';
import type { Outputs } from './config/inputs';
import { Congestion } from './core/congestion';
import { buildConsoleUrl, logsConsoleUrl, parseBuildArn } from './core/links';
import type { PollPolicy } from './core/poll-policy';
import { startBuildRequest } from './core/start-request';
import { verdictOf } from './core/verdict';
import { helpText } from './help';
import { detectPlatform } from './platform';
import type { OutputSink } from './report/outputs';
import type { PhaseEnd, Reporter } from './report/reporter';
import { watchBuild } from './watch/watch-build';

type Env = Readonly<Record<string, string | undefined>>;

export interface Apis {
  readonly codebuild: CodeBuildApi;
  readonly logs: LogsApi;
  region(): Promise<string>;
}

export interface RunOptions {
  readonly env: Env;
  readonly argv?: readonly string[];
  readonly clock?: Clock;
  readonly policy?: PollPolicy;
  readonly signal?: AbortSignal;
  /** Override the AWS adapters (unit tests); by default the real SDK clients. */
  readonly apis?: (settings: ClientSettings, retry: RetryDeps) => Apis;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function defaultApis(settings: ClientSettings, retry: RetryDeps): Apis {
  const codebuild = codeBuildApi(settings, retry);
  return { codebuild, logs: logsApi(settings, retry), region: () => codebuild.region() };
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
    const reporter = platform.reporter({ debug: false });
    if (!(error instanceof ConfigError)) throw error;
    reporter.error(error.message);
    return EXIT.usage;
  }
  const reporter = platform.reporter(config);
  const outputs = platform.outputs(config);
  const clock = options.clock ?? systemClock;
  const congestion = new Congestion();
  const retry: RetryDeps = { clock, observer: congestion, signal: options.signal, log: (m) => reporter.debug(m) };
  const apis = (options.apis ?? defaultApis)({ region: config.region }, retry);
  return new Step(config, reporter, outputs, apis, clock, congestion, options).execute();
}

class Step {
  private build?: Build;
  private buildUrl?: string;
  private logsUrl?: string;
  private readonly phases: PhaseEnd[] = [];

  constructor(
    private readonly config: Config,
    private readonly reporter: Reporter,
    private readonly outputs: OutputSink,
    private readonly apis: Apis,
    private readonly clock: Clock,
    private readonly congestion: Congestion,
    private readonly options: RunOptions,
  ) {}

  async execute(): Promise<number> {
    try {
      return await this.startAndWatch();
    } catch (error) {
      this.reporter.error(describeFailure(error, this.config));
      if (this.config.debug && error instanceof Error && error.stack) this.reporter.debug(error.stack);
      await this.reporter.close({ build: this.build, buildUrl: this.buildUrl, logsUrl: this.logsUrl, phases: this.phases, error: String(error) });
      return EXIT.failed;
    }
  }

  private async startAndWatch(): Promise<number> {
    const { config, reporter } = this;
    const started = await this.startOrAttach();
    if (!config.wait) {
      reporter.info(`Not waiting (wait: false); build ${started.id} is ${started.buildStatus ?? 'IN_PROGRESS'}.`);
      await reporter.close({ build: started, buildUrl: this.buildUrl, phases: [] });
      return EXIT.ok;
    }
    const final = await watchBuild(started, {
      codebuild: this.apis.codebuild,
      logs: this.apis.logs,
      clock: this.clock,
      reporter: this.recordingPhases(reporter),
      congestion: this.congestion,
      tailLogs: config.tailLogs,
      policy: this.options.policy,
      signal: this.options.signal,
      onBuild: (b) => (this.build = b),
      onStream: (stream, b) => {
        const region = parseBuildArn(b.arn)?.region ?? config.region ?? 'us-east-1';
        this.logsUrl = b.logs?.deepLink ?? logsConsoleUrl(region, stream.group, stream.stream);
        this.outputs.set({ 'logs-url': this.logsUrl });
        reporter.info(`Streaming the build log (${stream.group} ${stream.stream}): ${this.logsUrl}`);
      },
    });
    const verdict = verdictOf(final);
    this.outputs.set({ 'build-status': verdict.status, 'exported-variables': exportedVariables(final) });
    reporter.verdict(verdict, final);
    await reporter.close({ build: final, verdict, buildUrl: this.buildUrl, logsUrl: this.logsUrl, phases: this.phases });
    return verdict.ok ? EXIT.ok : EXIT.failed;
  }

  private async startOrAttach(): Promise<Build> {
    const { config, reporter, apis } = this;
    const build = config.buildId
      ? await apis.codebuild.getBuild(config.buildId)
      : // The token makes a retried StartBuild (lost response) return the same build, not a second one.
        await apis.codebuild.startBuild(startBuildRequest(config, randomUUID()));
    this.build = build;
    const region = parseBuildArn(build.arn)?.region ?? (await apis.region());
    this.buildUrl = buildConsoleUrl({ id: build.id!, arn: build.arn, region });
    const early: Outputs = {
      'build-id': build.id,
      'build-arn': build.arn,
      'build-number': build.buildNumber === undefined ? undefined : String(build.buildNumber),
      'build-url': this.buildUrl,
      'build-status': build.buildStatus ?? 'IN_PROGRESS',
    };
    this.outputs.set(early);
    const verb = config.buildId ? 'Attached to' : 'Started';
    reporter.info(`${verb} build ${build.id} (#${build.buildNumber ?? '?'}) of project ${build.projectName}`);
    reporter.info(`Console: ${this.buildUrl}`);
    return build;
  }

  /** Keep the phases the user was shown, for the summary. */
  private recordingPhases(reporter: Reporter): Reporter {
    const phases = this.phases;
    return new Proxy(reporter, {
      get(target, prop, receiver) {
        if (prop === 'phaseEnded') return (end: PhaseEnd) => (phases.push(end), target.phaseEnded(end));
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}

function exportedVariables(build: Build): string {
  const vars = Object.fromEntries((build.exportedEnvironmentVariables ?? []).map((v) => [v.name ?? '', v.value ?? '']));
  return JSON.stringify(vars);
}

/** One clear line for an AWS or runtime failure, with a hint where we can give one. */
export function describeFailure(error: unknown, config: Config): string {
  const name = errorName(error);
  const message = (error as Error)?.message ?? String(error);
  const hints: Record<string, string> = {
    ResourceNotFoundException: config.buildId
      ? `check build-id and the region`
      : `check that project '${config.projectName}' exists in this account and region`,
    AccessDeniedException: 'the credentials need codebuild:StartBuild, codebuild:BatchGetBuilds, codebuild:StopBuild and logs:GetLogEvents',
    CredentialsProviderError: 'no AWS credentials were found (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or a role)',
  };
  const hint = hints[name] ? ` (${hints[name]})` : '';
  return `${name}: ${message}${hint}`;
}
