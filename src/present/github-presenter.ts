import * as core from '@actions/core';
import type { Outcome } from '../domain/outcome';
import { failureLine, reportHeading, reportLine, type TestReport } from '../domain/test-reports';
import type { Verdict } from '../domain/verdict';
import type { GitHubLog } from '../log/github-log';
import { writeJobSummary } from './job-summary';
import type { Presenter } from './presenter';

const MAX_TEST_ANNOTATIONS = 10;

/** GitHub: the verdict and failed tests as annotations, and the job summary page. */
export class GitHubPresenter implements Presenter {
  constructor(
    private readonly log: GitHubLog,
    /** False outside a runner that gives us $GITHUB_STEP_SUMMARY. */
    private readonly hasSummary: boolean,
  ) {}

  testReports(reports: readonly TestReport[]): void {
    this.log.closeGroup();
    let annotated = 0;
    for (const r of reports) {
      core.info(`${reportHeading(r)} ${reportLine(r)}`);
      for (const f of r.failures) {
        // GitHub shows a handful of annotations per step; the rest stay in the log and summary.
        if (annotated++ < MAX_TEST_ANNOTATIONS) core.error(f.message ?? f.name, { title: `Test failed: ${f.name}`.slice(0, 250) });
        else core.info(`  ✖ ${failureLine(f)}`);
      }
    }
  }

  verdict(verdict: Verdict): void {
    this.log.closeGroup();
    if (verdict.ok) core.info(`✔ ${verdict.summary}`);
    else core.error(verdict.summary, { title: `CodeBuild ${verdict.status}` });
  }

  async summary(outcome: Outcome): Promise<void> {
    this.log.closeGroup();
    if (this.hasSummary) await writeJobSummary(outcome);
  }
}
