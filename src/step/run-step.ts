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
import type { StartedRun, Target } from '../targets/target';
import { downloadArtifacts } from './artifact-download';
import { finish } from './finish';
import { Interruption } from './interruption';
import { SourceUpload } from './source-upload';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

export interface StepDeps {
  readonly config: Config;
  readonly target: Target;
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
 * The step, the same for every kind of run: prepare the source → start (or attach) → watch, with
 * retries → test reports → artifacts → outcome → finish. Returns the exit code; never throws.
 */
export async function runStep(deps: StepDeps): Promise<number> {
  const { config, target, log } = deps;
  const interruption = new Interruption(deps.signal, config, deps.clock);
  const upload = new SourceUpload(config.upload, { ...deps, commit: deps.ci.commit });
  let run: StartedRun | undefined;
  let outcome: Outcome;
  let signalName: string | undefined;
  try {
    const { signal } = interruption;
    signal.throwIfAborted();
    const destination = config.upload && target.uploadDestination ? await target.uploadDestination(signal) : undefined;
    const source = await upload.prepare(signal, destination);
    run = await target.start(source, signal);
    signal.throwIfAborted();
    outcome = config.wait ? await followToEnd(deps, run, signal) : notWaiting(deps, run);
  } catch (error) {
    if (interruption.reason) {
      const ended = await interruption.settle(run, target, log);
      signalName = ended.signalName;
      outcome = outcomeOf(target, run, ended.kind, ended.detail);
    } else {
      const detail = describeFailure(error, target.failureHints);
      log.error(detail);
      if (config.debug && error instanceof Error && error.stack) log.debug(error.stack);
      outcome = outcomeOf(target, run, 'error', detail);
    }
  } finally {
    interruption.dispose();
  }
  outcome = { ...outcome, ...(upload.location && { sourceLocation: upload.location }) };
  await finish(outcome, { ...deps, slack: config.slack, post: deps.slackPost });
  // wait: false leaves the zip: the run still needs it.
  if (outcome.kind !== 'started') await upload.remove(outcome.kind === 'cancelled');
  if (outcome.kind === 'cancelled') return SIGNAL_EXIT[signalName ?? ''] ?? EXIT.failed;
  if (outcome.artifactsProblem) return EXIT.failed;
  return outcome.kind === 'started' || (outcome.kind === 'verdict' && outcome.verdict?.ok) ? EXIT.ok : EXIT.failed;
}

/** Watch; while the end is one the user asked to retry, start it again and watch that. */
async function followToEnd(deps: StepDeps, run: StartedRun, signal: AbortSignal): Promise<Outcome> {
  const { config, log } = deps;
  await run.watch(signal);
  for (let used = 0; shouldRetry(config, run.status.normal, used); used++) {
    const refusal = run.retry ? run.retry.refusal() : `retry-on does not apply to ${run.name}`;
    if (refusal || !run.retry) {
      log.warning(`${run.verdict().summary}. ${refusal}; not retrying.`);
      break;
    }
    log.warning(`${run.verdict().summary}. Retrying (${used + 1} of ${config.maxRetries}, retry-on: ${config.retryOn.join(',')}).`);
    signal.throwIfAborted();
    await run.retry.start(signal);
    await run.watch(signal);
  }
  const tests = (await run.testReports?.()) ?? [];
  const verdict = run.verdict();
  const artifactsProblem = await download(deps, run, verdict.ok, signal);
  return { kind: 'verdict', ...run.report(), verdict, tests, ...(artifactsProblem && { artifactsProblem }) };
}

/** download-artifacts, when asked for and the verdict allows (download-artifacts-on). */
async function download(
  { config, artifacts, log, outputs, workdir }: StepDeps,
  run: StartedRun,
  ok: boolean,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (!config.download) return undefined;
  if (!ok && config.download.on === 'success') {
    log.info(`Not downloading the artifacts: ${run.name} did not succeed (download-artifacts-on: success).`);
    return undefined;
  }
  if (!run.artifacts) {
    log.info(`${run.name} leaves no artifacts to download.`);
    return undefined;
  }
  return downloadArtifacts(run.artifacts(), config.download, { store: artifacts, log, outputs, workdir, signal });
}

function notWaiting({ log }: StepDeps, run: StartedRun): Outcome {
  log.info(`Not waiting (wait: false); ${run.name} is ${run.status.word}.`);
  return { kind: 'started', ...run.report(), tests: [] };
}

function outcomeOf(target: Target, run: StartedRun | undefined, kind: OutcomeKind, detail?: string): Outcome {
  return { kind, ...(run?.report() ?? target.requested()), tests: [], ...(detail && { detail }) };
}
