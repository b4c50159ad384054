import type { Report, TestCase } from '@aws-sdk/client-codebuild';
import type { Clock } from '../domain/clock';
import { coverageReportOf, type FailedTest, type TestReport, testReportOf } from '../domain/test-reports';

/** The two Reports API calls the reader needs, each already retried. */
export interface ReportCalls {
  batchGetReports(arns: readonly string[]): Promise<Report[]>;
  describeTestCases(reportArn: string, status: 'FAILED' | 'ERROR', maxResults: number): Promise<TestCase[]>;
}

/** BatchGetReports takes at most 100 ARNs (ReportArns, CodeBuild API reference). */
const ARNS_PER_CALL = 100;
/** Failed and errored cases fetched per report: enough to act on, without paging through thousands. */
const CASES_PER_REPORT = 50;
/** A report still GENERATING when the build ends is read again, this often, this far apart. */
const GENERATING_READS = 5;
const GENERATING_PAUSE_MS = 2_000;

/**
 * Reports as the step shows them: every ARN read (in chunks of 100), GENERATING ones read again
 * for a few seconds, TEST reports with their FAILED and ERROR cases (DescribeTestCases takes one
 * status per call), CODE_COVERAGE reports with their coverage (they have no test summary).
 */
export async function readReports(calls: ReportCalls, arns: readonly string[], clock: Clock, signal?: AbortSignal): Promise<TestReport[]> {
  const byArn = new Map<string, Report>();
  let pending = [...arns];
  for (let read = 0; pending.length && read < GENERATING_READS; read++) {
    if (read > 0) await clock.sleep(GENERATING_PAUSE_MS, signal);
    for (let i = 0; i < pending.length; i += ARNS_PER_CALL) {
      for (const report of await calls.batchGetReports(pending.slice(i, i + ARNS_PER_CALL))) if (report.arn) byArn.set(report.arn, report);
    }
    pending = pending.filter((arn) => byArn.get(arn)?.status === 'GENERATING');
  }
  const reports = arns.flatMap((arn) => byArn.get(arn) ?? []);
  return Promise.all(reports.map((report) => toTestReport(calls, report)));
}

function noteOf(report: Report): string | undefined {
  if (report.status === 'GENERATING') return 'still being generated: see the CodeBuild console';
  if (report.status === 'INCOMPLETE') return 'INCOMPLETE: CodeBuild could not finish the report';
  if (report.truncated) return 'truncated: CodeBuild kept only part of the cases';
  return undefined;
}

async function toTestReport(calls: ReportCalls, report: Report): Promise<TestReport> {
  const name = report.name ?? report.arn ?? 'tests';
  const note = noteOf(report);
  if (report.type === 'CODE_COVERAGE') {
    const c = report.codeCoverageSummary;
    const coverage = c && {
      linePercent: c.lineCoveragePercentage ?? 0,
      linesCovered: c.linesCovered ?? 0,
      linesMissed: c.linesMissed ?? 0,
      branchPercent: c.branchCoveragePercentage ?? 0,
      branchesCovered: c.branchesCovered ?? 0,
      branchesMissed: c.branchesMissed ?? 0,
    };
    return coverageReportOf(name, coverage, note);
  }
  const counts = report.testSummary?.statusCounts ?? {};
  return testReportOf(name, counts, report.testSummary?.total ?? 0, await failuresOf(calls, report.arn!, counts), note);
}

async function failuresOf(calls: ReportCalls, arn: string, counts: Readonly<Record<string, number>>): Promise<FailedTest[]> {
  const failures: FailedTest[] = [];
  for (const status of ['FAILED', 'ERROR'] as const) {
    const room = CASES_PER_REPORT - failures.length;
    if (!counts[status] || room <= 0) continue;
    for (const c of await calls.describeTestCases(arn, status, Math.min(room, 100))) {
      failures.push({
        name: [c.prefix, c.name].filter(Boolean).join(' › '),
        ...(c.prefix && { prefix: c.prefix }),
        ...(c.message && { message: c.message }),
        ...(status === 'ERROR' && { error: true }),
      });
    }
  }
  return failures;
}
