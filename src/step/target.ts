import type { CallOptions } from '../aws/codebuild';
import type { FailureContext } from '../aws/failure';
import type { Services } from '../aws/services';
import type { ArtifactPlan } from '../domain/artifacts';
import type { Clock } from '../domain/clock';
import type { Outcome } from '../domain/outcome';
import type { PollPolicy } from '../domain/poll-policy';
import type { TestReport } from '../domain/test-reports';
import type { Verdict } from '../domain/verdict';
import type { Log } from '../log/log';
import type { OutputSink } from '../present/outputs';
import type { WatchDeps } from '../watch/build-watcher';
import type { UploadDestination, UploadedSource } from './source-upload';

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
  readonly failure: FailureContext;
}

/** What the summary, Slack and the outputs learn of a run, whatever ended it. */
export type TargetReport = Pick<Outcome, 'subject' | 'links' | 'attempts' | 'parts'>;

/**
 * One kind of run: a single build, a batch. The step drives each the same way (start → watch →
 * retry → reports, or stop), so a new kind is a new implementation, not a branch in the step.
 */
export interface BuildTarget {
  /** "build app:1234", for messages. Undefined before the start. */
  readonly name: string | undefined;
  /** The service's status word, once known. */
  readonly status: string | undefined;
  /** Whether retry-on can start this kind of run again. */
  readonly retryable: boolean;
  /**
   * Start the run (or attach to it), print its link, set the early outputs. Not abortable: a
   * run we started but never heard of could not be stopped.
   */
  start(source?: UploadedSource): Promise<void>;
  /** Where upload-source must put the zip, when the run decides (a pipeline's S3 source action). */
  uploadDestination?(): Promise<UploadDestination>;
  /** Follow the run to its end: status, logs, phases. */
  watch(signal: AbortSignal): Promise<void>;
  /** Start the ended run again (retry-on). */
  retry(): Promise<void>;
  /** The final run's test reports; failing to read them is a warning, never the verdict. */
  testReports(): Promise<TestReport[]>;
  /** What the ended run left in S3 for download-artifacts, and what it did not. */
  artifacts(): ArtifactPlan;
  /** Stop it once, within `options`' deadline; says what happened either way. */
  stop(options: CallOptions): Promise<string>;
  /** The service's verdict on the ended run. */
  verdict(): Verdict;
  report(): TargetReport;
}

/** What every watcher needs of the target's deps: the clients, bound to `signal`, and the loop's tools. */
export function watchDepsOf(deps: TargetDeps, signal: AbortSignal): Omit<WatchDeps, 'onStream' | 'onBuild'> {
  const { services, clock, log, tailLogs, policy, random } = deps;
  return {
    codebuild: { getBuild: (id, o) => services.codebuild.getBuild(id, { ...o, signal }) },
    logs: { getPage: (stream, request, o) => services.logs.getPage(stream, request, { ...o, signal }) },
    clock,
    log,
    throttle: services.throttle,
    tailLogs,
    policy,
    random,
    signal,
  };
}
