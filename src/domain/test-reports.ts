/** CodeBuild test reports (JUnit, Cucumber, …), reduced to what a CI log, summary and Slack show. */
export interface FailedTest {
  readonly name: string;
  readonly message?: string;
}

export interface TestReport {
  readonly name: string;
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly other: number;
  /** The failed cases fetched (at most a page of them). */
  readonly failures: readonly FailedTest[];
}

export function reportOf(name: string, statusCounts: Readonly<Record<string, number>>, total: number, failures: readonly FailedTest[]): TestReport {
  const passed = statusCounts.SUCCEEDED ?? 0;
  const failed = (statusCounts.FAILED ?? 0) + (statusCounts.ERROR ?? 0);
  return { name, total, passed, failed, other: Math.max(0, total - passed - failed), failures };
}

/** `unit-tests: 120 tests, 119 passed, 1 failed` */
export function reportLine(r: TestReport): string {
  const other = r.other ? `, ${r.other} skipped or unknown` : '';
  return `${r.name}: ${r.total} tests, ${r.passed} passed, ${r.failed} failed${other}`;
}

/** One line a failed case, message on the same line and cut to stay readable. */
export function failureLine(f: FailedTest, max = 300): string {
  const message = f.message?.replace(/\s+/g, ' ').trim();
  return message ? `${f.name}: ${message.length > max ? `${message.slice(0, max)}…` : message}` : f.name;
}

export function testsTotals(reports: readonly TestReport[]): { total: number; passed: number; failed: number } {
  return reports.reduce((t, r) => ({ total: t.total + r.total, passed: t.passed + r.passed, failed: t.failed + r.failed }), { total: 0, passed: 0, failed: 0 });
}
