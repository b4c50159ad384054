import type { Build } from '@aws-sdk/client-codebuild';
import type { Attempt } from '../core/outcome';
import type { TestReport } from '../core/test-reports';
import type { ChildBuild, Verdict } from '../core/verdict';

export interface PhaseEnd {
  readonly phase: string;
  readonly status: string;
  readonly durationMs?: number;
  readonly message?: string;
}

/** What the user sees, in the idiom of their CI. One implementation per style. */
export interface Reporter {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  /** Register a value that must never appear in the log. Call before anything is printed. */
  mask(secret: string): void;
  /** Build log lines, verbatim. */
  logLines(lines: readonly string[]): void;
  phaseStarted(phase: string): void;
  phaseEnded(end: PhaseEnd): void;
  /** Totals of the build's test reports and their failed cases. */
  testReports(reports: readonly TestReport[]): void;
  /** The final line: the verdict, or a failure that prevented one. */
  verdict(verdict: Verdict, build?: Build): void;
  error(message: string): void;
  /** Anything to write once everything else is done (e.g. a job summary). */
  close(report: RunReport): Promise<void>;
}

export interface RunReport {
  readonly build?: Build;
  readonly verdict?: Verdict;
  readonly buildUrl?: string;
  readonly logsUrl?: string;
  readonly phases: readonly PhaseEnd[];
  readonly error?: string;
  readonly attempts?: readonly Attempt[];
  readonly tests?: readonly TestReport[];
  readonly children?: readonly ChildBuild[];
  /** upload-source: where the zip the build ran on was put. */
  readonly sourceLocation?: string;
}
