import type { CallOptions } from '../aws/codebuild';
import type { FailureHints } from '../aws/failure';
import type { Services } from '../aws/services';
import type { ArtifactPlan } from '../domain/artifacts';
import type { Clock } from '../domain/clock';
import type { RunReport } from '../domain/outcome';
import type { PollPolicy } from '../domain/poll-policy';
import type { RunStatus } from '../domain/run-status';
import type { UploadDestination, UploadedSource } from '../domain/source';
import type { TestReport } from '../domain/test-reports';
import type { Verdict } from '../domain/verdict';
import type { Log } from '../log/log';
import type { OutputSink } from '../present/outputs';

/** What every kind of run needs from the step. */
export interface TargetDeps {
  readonly services: Services;
  readonly log: Log;
  readonly outputs: OutputSink;
  readonly clock: Clock;
  /** The region the clients use, for links when an ARN does not say. */
  readonly region: string;
  readonly tailLogs: boolean;
  readonly policy?: PollPolicy;
  readonly random?: () => number;
}

/**
 * One kind of run, chosen once from the settings, before anything has started. The step drives
 * every kind the same way (start → watch → retry → reports → artifacts, or stop) and never asks
 * which kind it has: a new kind is a new folder under targets/, not a branch in the step.
 */
export interface Target {
  /** What was asked for, as the summary and Slack show it when nothing could be started. */
  requested(): RunReport;
  /** What to check when a call fails, from what was asked for (the project, the build id, the pipeline). */
  readonly failureHints: FailureHints;
  /** Where upload-source must put the zip, when the run decides (a pipeline's S3 source action). */
  readonly uploadDestination?: (signal: AbortSignal) => Promise<UploadDestination>;
  /** Start the run (or attach to it), print its link, set the early outputs. */
  start(source: UploadedSource | undefined, signal: AbortSignal): Promise<StartedRun>;
}

/** A run that exists: it always has an id, a name and a status. What a kind cannot do is absent. */
export interface StartedRun {
  readonly id: string;
  /** "build app:1234", for messages. */
  readonly name: string;
  readonly status: RunStatus;
  /** Follow the run to its end: status, logs, phases. */
  watch(signal: AbortSignal): Promise<void>;
  /** Start the ended run again (retry-on); absent for a kind the service cannot run again. */
  readonly retry?: Retry;
  /** The final run's test reports; failing to read them is a warning, never the verdict. */
  readonly testReports?: () => Promise<TestReport[]>;
  /** What the ended run left for download-artifacts, and what it did not; absent when it leaves none. */
  readonly artifacts?: () => ArtifactPlan;
  /** Stop it once, within `options`' deadline; says what happened either way. */
  stop(options: CallOptions): Promise<string>;
  /** The service's verdict on the ended run. */
  verdict(): Verdict;
  report(): RunReport;
}

export interface Retry {
  /** Why this ended run cannot be started again, when it cannot (a batch that did not fail). */
  refusal(): string | undefined;
  start(signal: AbortSignal): Promise<void>;
}
