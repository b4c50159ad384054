/** CodeBuild reports (JUnit, Cucumber, … and code coverage), reduced to what a CI log, summary and Slack show. */
export interface FailedTest {
  /** The full name: the case's prefix (its class or file, when the report gives one) › its name. */
  readonly name: string;
  /** The case's prefix alone (a JUnit classname), when the report gives one. */
  readonly prefix?: string;
  readonly message?: string;
  /** ERROR rather than FAILED: the test could not run to an assertion. */
  readonly error?: boolean;
}

/** A CODE_COVERAGE report's codeCoverageSummary. */
export interface Coverage {
  readonly linePercent: number;
  readonly linesCovered: number;
  readonly linesMissed: number;
  readonly branchPercent: number;
  readonly branchesCovered: number;
  readonly branchesMissed: number;
}

export interface TestReport {
  readonly name: string;
  /** TEST reports count cases; CODE_COVERAGE reports have coverage and no cases. */
  readonly kind: 'test' | 'coverage';
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  /** Of the failed, how many ERROR rather than FAILED (when the report says). */
  readonly errors?: number;
  readonly other: number;
  /** The failed and errored cases fetched (at most a page of them). */
  readonly failures: readonly FailedTest[];
  readonly coverage?: Coverage;
  /** What the reader must know about the report itself: truncated, incomplete, still generating. */
  readonly note?: string;
}

export function testReportOf(
  name: string,
  statusCounts: Readonly<Record<string, number>>,
  total: number,
  failures: readonly FailedTest[],
  note?: string,
): TestReport {
  const passed = statusCounts.SUCCEEDED ?? 0;
  const errors = statusCounts.ERROR ?? 0;
  const failed = (statusCounts.FAILED ?? 0) + errors;
  return { name, kind: 'test', total, passed, failed, errors, other: Math.max(0, total - passed - failed), failures, ...(note && { note }) };
}

export function coverageReportOf(name: string, coverage: Coverage | undefined, note?: string): TestReport {
  return { name, kind: 'coverage', total: 0, passed: 0, failed: 0, other: 0, failures: [], ...(coverage && { coverage }), ...(note && { note }) };
}

/** "Tests" or "Coverage": what a line about the report starts with. */
export function reportHeading(r: TestReport): string {
  return r.kind === 'coverage' ? 'Coverage' : 'Tests';
}

const pct = (n: number) => `${n.toFixed(1)}%`;

/** `unit: 120 tests, 119 passed, 1 failed` / `coverage: lines 80.0% (800 of 1000), branches 50.0% (100 of 200)` */
export function reportLine(r: TestReport): string {
  const note = r.note ? ` (${r.note})` : '';
  if (r.kind === 'coverage') {
    const c = r.coverage;
    if (!c) return `${r.name}: no coverage figures${note}`;
    const lines = `lines ${pct(c.linePercent)} (${c.linesCovered} of ${c.linesCovered + c.linesMissed})`;
    return `${r.name}: ${lines}, branches ${pct(c.branchPercent)} (${c.branchesCovered} of ${c.branchesCovered + c.branchesMissed})${note}`;
  }
  const other = r.other ? `, ${r.other} skipped or unknown` : '';
  return `${r.name}: ${r.total} tests, ${r.passed} passed, ${r.failed} failed${other}${note}`;
}

/** One line a failed case: its full name (a name on several lines joined), the message cut to stay readable. */
export function failureLine(f: FailedTest, max = 300): string {
  const message = f.message?.replace(/\s+/g, ' ').trim();
  const name = `${f.name.replace(/[\r\n]+/g, ' ')}${f.error ? ' (error)' : ''}`;
  return message ? `${name}: ${message.length > max ? `${message.slice(0, max)}…` : message}` : name;
}

/** Failed and errored cases listed in the log, over all reports: enough to act on, a screen to read. */
export const LISTED_FAILURES = 50;

/** A report's lines under its heading: its listed cases, and how many more it has. */
export interface FailureList {
  readonly cases: readonly string[];
  readonly more?: string;
}

/**
 * The failed and errored cases each report lists in the log, the same text in every CI: each by
 * its full name (annotation titles are cut; these lines are where a long parameterised name is
 * read), up to `cap` over all reports, then the count of a report's cases not listed (past the
 * cap, or never fetched).
 */
export function failureLists(reports: readonly TestReport[], cap = LISTED_FAILURES): FailureList[] {
  let room = cap;
  return reports.map((r) => {
    const shown = r.failures.slice(0, Math.max(0, room));
    room -= shown.length;
    const rest = r.failed - shown.length;
    const more = rest > 0 ? `  …and ${rest} more failed test${rest === 1 ? '' : 's'} (in the CodeBuild console)` : undefined;
    return { cases: shown.map((f) => `  ✖ ${failureLine(f)}`), ...(more && { more }) };
  });
}

/** Test counts over the TEST reports (coverage reports have none). */
export function testsTotals(reports: readonly TestReport[]): { total: number; passed: number; failed: number } {
  return reports
    .filter((r) => r.kind === 'test')
    .reduce((t, r) => ({ total: t.total + r.total, passed: t.passed + r.passed, failed: t.failed + r.failed }), { total: 0, passed: 0, failed: 0 });
}
