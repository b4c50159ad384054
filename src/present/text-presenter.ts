import type { Outcome } from '../domain/outcome';
import { failureLine, reportHeading, reportLine, type TestReport } from '../domain/test-reports';
import type { Verdict } from '../domain/verdict';
import type { TextLog } from '../log/text-log';
import type { Presenter } from './presenter';

/** Bitbucket-pipe style: a green `✔` or red `✖` verdict; test failures in red. No summary page. */
export class TextPresenter implements Presenter {
  constructor(private readonly log: TextLog) {}

  testReports(reports: readonly TestReport[]): void {
    for (const r of reports) {
      const line = `${reportHeading(r)} ${reportLine(r)}`;
      if (r.failed) this.log.warning(line);
      else this.log.info(line);
      for (const f of r.failures) this.log.print(`  ✖ ${failureLine(f)}`, 'red');
    }
  }

  verdict(verdict: Verdict): void {
    if (verdict.ok) this.log.print(`✔ ${verdict.summary}`, 'green');
    else this.log.error(verdict.summary);
  }

  async summary(_outcome: Outcome): Promise<void> {}
}
