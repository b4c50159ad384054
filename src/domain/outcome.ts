import type { TestReport } from './test-reports';
import type { Verdict } from './verdict';

/**
 * How the step ended, whatever ended it: the service's own verdict, or the CI cancelling the job,
 * our wait timing out, an AWS error. The exit code, outputs, job summary and Slack all read this.
 */
export type OutcomeKind = 'verdict' | 'started' | 'cancelled' | 'wait-timeout' | 'error';

/** What ran, in the terms a summary shows: a build, a batch of builds, a pipeline execution. */
export interface Subject {
  readonly kind: 'build' | 'batch' | 'pipeline';
  readonly id?: string;
  readonly arn?: string;
  readonly project?: string;
  readonly number?: number;
  /** The service's status word as last seen (IN_PROGRESS while it runs). */
  readonly status?: string;
  readonly sourceVersion?: string;
  readonly resolvedSourceVersion?: string;
  readonly phases: readonly PhaseRow[];
  readonly exportedVariables: readonly { readonly name: string; readonly value: string }[];
}

export interface PhaseRow {
  readonly name: string;
  readonly status: string;
  readonly durationSeconds?: number;
  readonly detail?: string;
}

/** One of the things a run is made of (a batch's child builds), as a summary row. */
export interface Part {
  readonly label: string;
  readonly id?: string;
  /** Where to look at it (a pipeline action's external link). */
  readonly url?: string;
  readonly status: string;
  readonly durationSeconds?: number;
}

export interface Attempt {
  readonly id: string;
  readonly number?: number;
  readonly status: string;
  /** How to name it when the number does not tell attempts apart ("attempt 2" of one batch). */
  readonly label?: string;
}

export interface Links {
  readonly console?: string;
  readonly logs?: string;
}

export interface Outcome {
  readonly kind: OutcomeKind;
  /** Undefined when nothing was started (a cancel or an error before the start). */
  readonly subject?: Subject;
  readonly verdict?: Verdict;
  readonly links: Links;
  /** What happened, when it was not the service's verdict. */
  readonly detail?: string;
  /** Every build this step followed, oldest first: more than one after retries. */
  readonly attempts: readonly Attempt[];
  /** The final run's test reports. */
  readonly tests: readonly TestReport[];
  /** A batch's children. */
  readonly parts?: { readonly heading: string; readonly rows: readonly Part[] };
  /** upload-source: the S3 location (bucket/key) of the uploaded zip. */
  readonly sourceLocation?: string;
  /** download-artifacts failed: the step fails, whatever the verdict. */
  readonly artifactsProblem?: string;
}

/** The status word users see: the service's, or ours when it did not get to give one. */
export function outcomeStatus(o: Outcome): string {
  switch (o.kind) {
    case 'verdict':
      return o.verdict?.status ?? 'UNKNOWN';
    case 'started':
      return o.subject?.status ?? 'IN_PROGRESS';
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
