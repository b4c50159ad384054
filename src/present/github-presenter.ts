import * as core from '@actions/core';
import type { Outcome, RunDescription } from '../domain/outcome';
import { failureLists, reportHeading, reportLine, type TestReport } from '../domain/test-reports';
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
   * failed tests take the rest, their titles cut to GitHub's limits. Every failed case is also a
   * log line with its full name, as on the other CIs. Everything derived from the build is fenced
   * (one fence for a report's list) or defanged.
   */
  conclusion(verdict: Verdict | undefined, tests: readonly TestReport[], run?: RunDescription): void {
    this.log.closeGroup();
    const failed = verdict && !verdict.ok;
    if (failed) core.error(defang(verdict.summary), { title: `${run?.service ?? 'CodeBuild'} ${verdict.status}` });
    let room = SHOWN_ERROR_ANNOTATIONS - (failed ? 1 : 0);
    const lists = failureLists(tests);
    for (const [i, r] of tests.entries()) {
      this.log.info(`${reportHeading(r)} ${reportLine(r)}`);
      const { cases, more } = lists[i]!;
      if (cases.length || more) this.log.untrusted([...cases, ...(more ? [more] : [])].join('\n'));
      for (const f of r.failures) {
        if (room-- <= 0) break;
        core.error(defang(f.message ?? f.name), { title: defang(`Test failed: ${f.name}`.slice(0, 250)) });
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
