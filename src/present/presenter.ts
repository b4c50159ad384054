import type { Outcome } from '../domain/outcome';
import type { TestReport } from '../domain/test-reports';
import type { Verdict } from '../domain/verdict';

/** The end of the step as the user sees it, in the idiom of their CI. */
export interface Presenter {
  /** Totals of the test reports and their failed cases. */
  testReports(reports: readonly TestReport[]): void;
  /** The final line: ✔ or ✖ with the reason. */
  verdict(verdict: Verdict): void;
  /** Anything written once everything else is done (GitHub's job summary). */
  summary(outcome: Outcome): Promise<void>;
}
