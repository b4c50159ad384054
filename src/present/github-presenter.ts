import * as core from '@actions/core';
import type { Outcome } from '../domain/outcome';
import { failureLine, reportHeading, reportLine, type TestReport } from '../domain/test-reports';
import type { Verdict } from '../domain/verdict';
import { defang, type GitHubLog } from '../log/github-log';
import { writeJobSummary } from './job-summary';
import type { Presenter } from './presenter';

/** GitHub shows the first 10 error annotations of a step (actions/toolkit docs/problem-matchers.md). */
const SHOWN_ERROR_ANNOTATIONS = 10;

/** GitHub: the verdict and failed tests as annotations, and the job summary page. */
export class GitHubPresenter implements Presenter {
  constructor(
    private readonly log: GitHubLog,
    /** False outside a runner that gives us $GITHUB_STEP_SUMMARY. */
    private readonly hasSummary: boolean,
  ) {}

  /**
   * A failed verdict is the first error annotation, so it is always among those GitHub shows;
   * failed tests take the rest. Everything derived from the build is fenced or defanged.
   */
  conclusion(verdict: Verdict | undefined, tests: readonly TestReport[]): void {
    this.log.closeGroup();
    const failed = verdict && !verdict.ok;
    if (failed) core.error(defang(verdict.summary), { title: `CodeBuild ${verdict.status}` });
    let room = SHOWN_ERROR_ANNOTATIONS - (failed ? 1 : 0);
    for (const r of tests) {
      this.log.info(`${reportHeading(r)} ${reportLine(r)}`);
      for (const f of r.failures) {
        if (room-- > 0) core.error(defang(f.message ?? f.name), { title: defang(`Test failed: ${f.name}`.slice(0, 250)) });
        else this.log.info(`  ✖ ${failureLine(f)}`);
      }
    }
    if (verdict?.ok) this.log.info(`✔ ${verdict.summary}`);
    // After test results the verdict is repeated, so the log still ends with it (not annotated twice).
    else if (failed && tests.length) this.log.info(`✖ ${verdict.summary}`);
  }

  async summary(outcome: Outcome): Promise<void> {
    this.log.closeGroup();
    if (this.hasSummary) await writeJobSummary(outcome);
  }
}
