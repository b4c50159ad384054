import type { Outcome, RunDescription } from '../domain/outcome';
import type { TestReport } from '../domain/test-reports';
import type { Verdict } from '../domain/verdict';

/** The end of the step as the user sees it, in the idiom of their CI. */
export interface Presenter {
  /** Test results and the verdict (✔ or ✖ with the reason), in the order this CI shows best. */
  conclusion(verdict: Verdict | undefined, tests: readonly TestReport[], run?: RunDescription): void;
  /** Anything written once everything else is done (GitHub's job summary). */
  summary(outcome: Outcome): Promise<void>;
}
