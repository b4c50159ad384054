import type { OutputName } from './outputs';
import type { NormalStatus, RunStatus } from './run-status';
import type { TestReport } from './test-reports';
import type { Verdict } from './verdict';

/**
 * How the step ended, whatever ended it: the service's own verdict, or the CI cancelling the job,
 * our wait timing out, an AWS error. The exit code, outputs, job summary and Slack all read this.
 */
export type OutcomeKind = 'verdict' | 'started' | 'cancelled' | 'wait-timeout' | 'error';

/**
 * How a kind of run speaks of itself to the presenters, so that none of them asks which kind it
 * is: a build, a batch of builds, a pipeline execution, or any kind added later.
 */
export interface RunDescription {
  /** "build", "batch build", "pipeline execution": for sentences. */
  readonly noun: string;
  /** The service that runs it, for titles ("CodeBuild FAILED"). */
  readonly service: string;
  /** What was asked for: the project or pipeline (known before anything starts). */
  readonly owner: string;
  /** The summary's heading: "CodeBuild app #42", "CodePipeline deploy execution 1a2b…". */
  readonly title: string;
  /** Slack's short name: "app #42", "deploy execution 1a2b3c4d". */
  readonly shortName: string;
  /** How the summary labels the owner and the id: "Project"/"Build", "Pipeline"/"Execution". */
  readonly ownerLabel: string;
  readonly idLabel: string;
  /** The console link's text, and its log's (where it has one). */
  readonly consoleLinkText: string;
  readonly logsLinkText: string;
  /** "Failed phase", "Failed action". */
  readonly failedPartLabel: string;
  /** The output that carries the final status word. */
  readonly statusOutput: OutputName;
  /** The columns of its parts' table: what names a part, what identifies it. */
  readonly partColumns: readonly [string, string];
}

/** What ran, in the terms a summary shows. */
export interface Subject {
  readonly id: string;
  readonly arn?: string;
  readonly number?: number;
  /** The service's status word as last seen, and what it means. */
  readonly status: RunStatus;
  readonly sourceVersion?: string;
  readonly resolvedSourceVersion?: string;
  /** The run's own phases (a build's); empty when its parts say more (a pipeline's actions). */
  readonly phases: readonly PhaseRow[];
  readonly exportedVariables: readonly { readonly name: string; readonly value: string }[];
}

export interface PhaseRow {
  readonly name: string;
  readonly status: string;
  readonly durationSeconds?: number;
  readonly detail?: string;
}

/** One of the things a run is made of (a batch's child builds, a pipeline's actions), as a summary row. */
export interface Part {
  readonly label: string;
  readonly id?: string;
  /** Where to look at it (a pipeline action's external link). */
  readonly url?: string;
  readonly status: RunStatus;
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

/** What the summary, Slack and the outputs learn of a run: before its start, only the description. */
export interface RunReport {
  readonly description: RunDescription;
  /** Undefined when nothing was started (a cancel or an error before the start). */
  readonly subject?: Subject;
  readonly links: Links;
  /** Every run this step followed, oldest first: more than one after retries. */
  readonly attempts: readonly Attempt[];
  readonly parts?: { readonly heading: string; readonly rows: readonly Part[] };
}

export interface Outcome extends RunReport {
  readonly kind: OutcomeKind;
  readonly verdict?: Verdict;
  /** What happened, when it was not the service's verdict. */
  readonly detail?: string;
  /** The final run's test reports. */
  readonly tests: readonly TestReport[];
  /** upload-source: the S3 location (bucket/key) of the uploaded zip. */
  readonly sourceLocation?: string;
  /** download-artifacts failed: the step fails, whatever the verdict. */
  readonly artifactsProblem?: string;
}

const OURS: Readonly<Record<Exclude<OutcomeKind, 'verdict' | 'started'>, NormalStatus>> = {
  cancelled: 'CANCELLED',
  'wait-timeout': 'WAIT_TIMEOUT',
  error: 'ERROR',
};

/** The status users see: the service's, or ours when it did not get to give one. */
export function outcomeStatus(o: Outcome): RunStatus {
  switch (o.kind) {
    case 'verdict':
      return o.verdict ? { word: o.verdict.status, normal: o.verdict.normal } : { word: 'UNKNOWN', normal: 'UNKNOWN' };
    case 'started':
      return o.subject?.status ?? { word: 'IN_PROGRESS', normal: 'IN_PROGRESS' };
    default:
      return { word: OURS[o.kind], normal: OURS[o.kind] };
  }
}

export function outcomeSucceeded(o: Outcome): boolean {
  return (o.kind === 'verdict' && !!o.verdict?.ok) || o.kind === 'started';
}
