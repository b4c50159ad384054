import { type FailedTest, type TestReport, testReportOf } from '../../../src/domain/test-reports';
import type { Verdict } from '../../../src/domain/verdict';
import { GitHubLog } from '../../../src/log/github-log';
import { TextLog } from '../../../src/log/text-log';
import { GitHubPresenter } from '../../../src/present/github-presenter';
import { TextPresenter } from '../../../src/present/text-presenter';
import { capture } from '../support';

/** A parameterised name far past GitHub's title limits, unique in its first and last characters. */
const longName = (i: number) => `checkout › applies discount[${i}-${'{"currency":"EUR","basket":[1,2,3]}'.repeat(7)}-case ${i}]`;
const cases = (n: number, from = 1): FailedTest[] =>
  Array.from({ length: n }, (_, i) => ({ name: longName(from + i), message: `expected 90 to equal 81 (case ${from + i})` }));

/** As the reader gives them: at most 50 cases fetched a report, the counts of all. */
const reports: TestReport[] = [
  testReportOf('app-unit', { SUCCEEDED: 10, FAILED: 60 }, 70, cases(50)),
  testReportOf('app-pytest', { FAILED: 1, ERROR: 1 }, 2, [
    { name: 'tests/test_api.py::TestOrders::test_total[##[error]x]', message: 'assert 1 == 2' },
    { name: 'tests/test_db.py::test_connect', message: 'OperationalError', error: true },
  ]),
];
const verdict: Verdict = { ok: false, status: 'FAILED', normal: 'FAILED', summary: 'Build app #1 FAILED after 1m in phase BUILD' };

function textLines(tests: readonly TestReport[]): string[] {
  const out = capture();
  new TextPresenter(new TextLog({ color: false, debug: false }, out.write)).conclusion(verdict, tests);
  return out.text.split('\n');
}

/** GitHub's log as the runner shows it: fences removed (and checked), annotations apart. */
function gitHubLines(tests: readonly TestReport[]): { lines: string[]; annotations: string[]; raw: string } {
  const out = capture();
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((t) => {
    out.write(String(t));
    return true;
  });
  try {
    new GitHubPresenter(new GitHubLog(false, out.write), false).conclusion(verdict, tests);
  } finally {
    write.mockRestore();
  }
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of out.text.split('\n')) {
    if (!fence && line.startsWith('::stop-commands::')) fence = `::${line.slice('::stop-commands::'.length)}::`;
    else if (fence && line === fence) fence = undefined;
    else if (!fence && (line.includes('::') || line.includes('##['))) expect(line).toMatch(/^::error /);
    else lines.push(line);
  }
  return { lines, annotations: out.text.split('\n').filter((l) => l.startsWith('::error ')), raw: out.text };
}

const listed = (lines: readonly string[]) => lines.filter((l) => l.startsWith('  ✖ ') || l.startsWith('  …and '));

describe('failed and errored tests in the log, by their full names', () => {
  test('text: every case up to 50 over all reports, full name and message; then how many more each report has', () => {
    const lines = listed(textLines(reports));
    expect(lines.filter((l) => l.startsWith('  ✖ '))).toHaveLength(50);
    for (let i = 1; i <= 50; i++) expect(lines).toContain(`  ✖ ${longName(i)}: expected 90 to equal 81 (case ${i})`);
    expect(lines).toContain('  …and 10 more failed tests (in the CodeBuild console)');
    expect(lines).toContain('  …and 2 more failed tests (in the CodeBuild console)');
    expect(lines.at(-1)).toBe('  …and 2 more failed tests (in the CodeBuild console)');
  });

  test('GitHub: the same lines as text (annotations as before, 9 after the verdict), fenced against workflow commands', () => {
    const gh = gitHubLines(reports);
    expect(listed(gh.lines)).toEqual(listed(textLines(reports)));
    expect(gh.annotations).toHaveLength(10);
    expect(gh.annotations[1]).toContain(`title=Test failed%3A ${longName(1).slice(0, 40)}`);
    expect(gh.annotations[1]).not.toContain(`case 1]`);
    // Both pytest names hold "::": listed, inside a fence, never taken for a command.
    const few = gitHubLines([reports[1]!]);
    expect(listed(few.lines)).toEqual([
      '  ✖ tests/test_api.py::TestOrders::test_total[##[error]x]: assert 1 == 2',
      '  ✖ tests/test_db.py::test_connect (error): OperationalError',
    ]);
    expect(few.raw).toMatch(/::stop-commands::\S+\n {2}✖ tests\/test_api\.py::TestOrders/);
  });

  test('a name on several lines stays one line; a short list has no "more" line', () => {
    const one = testReportOf('r', { FAILED: 1 }, 1, [{ name: 'adds\nnumbers', message: 'boom' }]);
    expect(listed(textLines([one]))).toEqual(['  ✖ adds numbers: boom']);
    expect(listed(gitHubLines([one]).lines)).toEqual(['  ✖ adds numbers: boom']);
  });
});
