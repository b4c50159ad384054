import { describeFailure } from '../aws/failure';
import type { ArtifactStore } from '../aws/s3-artifact-store';
import type { SourceStore } from '../aws/s3-source-store';
import type { Config } from '../config/config';
import type { CiContext } from '../domain/ci-context';
import type { Clock } from '../domain/clock';
import type { Outcome, OutcomeKind } from '../domain/outcome';
import { shouldRetry } from '../domain/retry-rules';
import type { Log } from '../log/log';
import type { OutputSink } from '../present/outputs';
import type { Presenter } from '../present/presenter';
import type { SlackPoster } from '../present/slack-post';
import { downloadArtifacts } from './artifact-download';
import { finish } from './finish';
import { Interruption } from './interruption';
import { SourceUpload } from './source-upload';
import type { BuildTarget } from './target';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

export interface StepDeps {
  readonly config: Config;
  readonly target: BuildTarget;
  readonly log: Log;
  readonly presenter: Presenter;
  readonly outputs: OutputSink;
  readonly ci: CiContext;
  readonly clock: Clock;
  /** Where upload-source puts the checkout, and which directory that is. */
  readonly store: SourceStore;
  readonly workdir: string;
  /** Where download-artifacts reads the artifacts. */
  readonly artifacts: ArtifactStore;
  /** Aborted with a `Cancelled` reason when the CI cancels the job. */
  readonly signal?: AbortSignal;
  readonly slackPost?: SlackPoster;
}

/**
 * The step: prepare the source → start (or attach) → watch, with retries → test reports →
 * outcome → finish. Returns the exit code; never throws.
 */
export async function runStep(deps: StepDeps): Promise<number> {
  const { config, target, log } = deps;
  const interruption = new Interruption(deps.signal, config, deps.clock);
  const upload = new SourceUpload(config.upload, { ...deps, commit: deps.ci.commit, failure: config });
  let outcome: Outcome;
  let signalName: string | undefined;
  try {
    interruption.signal.throwIfAborted();
    const destination = config.upload && target.uploadDestination ? await target.uploadDestination() : undefined;
    const source = await upload.prepare(interruption.signal, destination);
    await target.start(source);
    interruption.signal.throwIfAborted();
    outcome = config.wait ? await followToEnd(deps, interruption.signal) : notWaiting(deps);
  } catch (error) {
    if (interruption.reason) {
      const ended = await interruption.settle(target, log);
      signalName = ended.signalName;
      outcome = outcomeOf(target, ended.kind, ended.detail);
    } else {
      const detail = describeFailure(error, config);
      log.error(detail);
      if (config.debug && error instanceof Error && error.stack) log.debug(error.stack);
      outcome = outcomeOf(target, 'error', detail);
    }
  } finally {
    interruption.dispose();
  }
  outcome = { ...outcome, ...(upload.location && { sourceLocation: upload.location }) };
  await finish(outcome, { ...deps, slack: config.slack, post: deps.slackPost });
  // wait: false leaves the zip: the build still needs it.
  if (outcome.kind !== 'started') await upload.remove(outcome.kind === 'cancelled');
  if (outcome.kind === 'cancelled') return SIGNAL_EXIT[signalName ?? ''] ?? EXIT.failed;
  if (outcome.artifactsProblem) return EXIT.failed;
  return outcome.kind === 'started' || (outcome.kind === 'verdict' && outcome.verdict?.ok) ? EXIT.ok : EXIT.failed;
}

/** Watch; while the end is one the user asked to retry, start it again and watch that. */
async function followToEnd(deps: StepDeps, signal: AbortSignal): Promise<Outcome> {
  const { config, target, log } = deps;
  await target.watch(signal);
  for (let used = 0; shouldRetry(config, target.status, used); used++) {
    if (!target.retryable) {
      log.warning(`${target.verdict().summary}. CodeBuild cannot retry ${target.name} as it ended (${target.status}); not retrying.`);
      break;
    }
    log.warning(`${target.verdict().summary}. Retrying (${used + 1} of ${config.maxRetries}, retry-on: ${config.retryOn.join(',')}).`);
    signal.throwIfAborted();
    await target.retry();
    await target.watch(signal);
  }
  const tests = await target.testReports();
  const verdict = target.verdict();
  const artifactsProblem = await download(deps, verdict.ok, signal);
  return { kind: 'verdict', ...target.report(), verdict, tests, ...(artifactsProblem && { artifactsProblem }) };
}

/** download-artifacts, when asked for and the verdict allows (download-artifacts-on). */
async function download({ config, target, artifacts, log, outputs, workdir }: StepDeps, ok: boolean, signal: AbortSignal): Promise<string | undefined> {
  if (!config.download) return undefined;
  if (!ok && config.download.on === 'success') {
    log.info(`Not downloading the artifacts: the build did not succeed (download-artifacts-on: success).`);
    return undefined;
  }
  return downloadArtifacts(target.artifacts(), config.download, { store: artifacts, log, outputs, workdir, signal });
}

function notWaiting({ target, log }: StepDeps): Outcome {
  log.info(`Not waiting (wait: false); ${target.name} is ${target.status ?? 'IN_PROGRESS'}.`);
  return outcomeOf(target, 'started');
}

function outcomeOf(target: BuildTarget, kind: OutcomeKind, detail?: string): Outcome {
  return { kind, ...target.report(), tests: [], ...(detail && { detail }) };
}
