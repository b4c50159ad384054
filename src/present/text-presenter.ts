import type { Outcome } from '../domain/outcome';
import { failureLists, reportHeading, reportLine, type TestReport } from '../domain/test-reports';
import type { Verdict } from '../domain/verdict';
import type { TextLog } from '../log/text-log';
import type { Presenter } from './presenter';

/** Bitbucket-pipe style: test results, then a green `✔` or red `✖` verdict as the last line. No summary page. */
export class TextPresenter implements Presenter {
  constructor(private readonly log: TextLog) {}

  conclusion(verdict: Verdict | undefined, tests: readonly TestReport[]): void {
    const lists = failureLists(tests);
    for (const [i, r] of tests.entries()) {
      const line = `${reportHeading(r)} ${reportLine(r)}`;
      if (r.failed) this.log.warning(line);
      else this.log.info(line);
      const { cases, more } = lists[i]!;
      for (const c of cases) this.log.print(c, 'red');
      if (more) this.log.print(more);
    }
    if (!verdict) return;
    if (verdict.ok) this.log.print(`✔ ${verdict.summary}`, 'green');
    else this.log.error(verdict.summary);
  }

  async summary(_outcome: Outcome): Promise<void> {}
}
