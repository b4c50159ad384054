import type { TestReport } from '../domain/test-reports';
import type { GitLabLog } from '../log/gitlab-log';
import { TextPresenter } from './text-presenter';

/**
 * What the job's `coverage:` regex reads (the README's job and the component set
 * `coverage: '/Coverage: \d+(?:\.\d+)?% of lines/'`). GitLab takes the last match in the log. No `^`:
 * before GitLab 17.5 an anchored regex missed lines once runner timestamps were on (MR !166268).
 */
export const COVERAGE_REGEX = '/Coverage: (\\d+(?:\\.\\d+)?)% of lines/';

/** GitLab: the text presenter's lines outside any section, and the line coverage for GitLab's coverage: keyword. */
export class GitLabPresenter extends TextPresenter {
  constructor(private readonly gitlab: GitLabLog) {
    super(gitlab);
  }

  /** Whatever the text presenter is given, it is passed on (the arguments may grow). */
  override conclusion(...args: Parameters<TextPresenter['conclusion']>): void {
    this.gitlab.closeSection();
    this.gitlab.reportLeftOut();
    const line = coverageLine(args[1]);
    if (line) this.gitlab.print(line);
    super.conclusion(...args);
  }
}

/** `Coverage: 81.2% of lines (report app-coverage)`: over every coverage report, by lines covered. */
export function coverageLine(tests: readonly TestReport[]): string | undefined {
  const reports = tests.filter((r) => r.kind === 'coverage' && r.coverage);
  if (!reports.length) return undefined;
  const covered = reports.reduce((n, r) => n + r.coverage!.linesCovered, 0);
  const all = reports.reduce((n, r) => n + r.coverage!.linesCovered + r.coverage!.linesMissed, 0);
  const percent = all ? (100 * covered) / all : reports[0]!.coverage!.linePercent;
  const names = reports.map((r) => r.name).join(', ');
  return `Coverage: ${percent.toFixed(1)}% of lines (${reports.length > 1 ? 'reports' : 'report'} ${names})`;
}
