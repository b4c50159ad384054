import type { Build } from '@aws-sdk/client-codebuild';
import type { TestReport } from './test-reports';
import type { ChildBuild, Verdict } from './verdict';

/**
 * How the step ended, whatever ended it: the build's own verdict, or the CI cancelling the job,
 * our wait timing out, an AWS error. Slack, the summary and the exit code all read this.
 */
export type OutcomeKind = 'verdict' | 'started' | 'cancelled' | 'wait-timeout' | 'error';

export interface Outcome {
  readonly kind: OutcomeKind;
  readonly build?: Build;
  readonly verdict?: Verdict;
  readonly buildUrl?: string;
  readonly logsUrl?: string;
  /** What happened, when it was not the build's verdict. */
  readonly detail?: string;
  /** Every build this step ran, oldest first: more than one when retry-on started it again. */
  readonly attempts?: readonly Attempt[];
  /** The final build's test reports, when it produced any. */
  readonly tests?: readonly TestReport[];
  /** A batch build's children, by identifier. */
  readonly children?: readonly ChildBuild[];
  /** upload-source: the S3 location (bucket/key) of the uploaded zip. */
  readonly sourceLocation?: string;
}

export interface Attempt {
  readonly buildId: string;
  readonly buildNumber?: number;
  readonly status: string;
}

export function attemptOf(build: Build): Attempt {
  return { buildId: build.id ?? '', buildNumber: build.buildNumber, status: build.buildStatus ?? 'IN_PROGRESS' };
}

/** The status word users see: CodeBuild's, or ours when the build did not get to give one. */
export function outcomeStatus(o: Outcome): string {
  switch (o.kind) {
    case 'verdict':
      return o.verdict?.status ?? 'UNKNOWN';
    case 'started':
      return o.build?.buildStatus ?? 'IN_PROGRESS';
    case 'cancelled':
      return 'CANCELLED';
    case 'wait-timeout':
      return 'WAIT_TIMEOUT';
    case 'error':
      return 'ERROR';
  }
}

export function outcomeSucceeded(o: Outcome): boolean {
  return (o.kind === 'verdict' && !!o.verdict?.ok) || o.kind === 'started';
}
