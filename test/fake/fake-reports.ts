import { AwsError, type Json } from './aws-error';
import type { ScriptedReport } from './build-script';

/** A report some build or batch published, by ARN. */
export interface PublishedReport {
  readonly arn: string;
  readonly name: string;
  readonly report: ScriptedReport;
}

/** BatchGetReports' and DescribeTestCases' limits (CodeBuild API reference: ReportArns max 100, PageSize 1–100). */
const MAX_ARNS = 100;
const MAX_PAGE = 100;
const CASE_STATUSES = ['SUCCEEDED', 'FAILED', 'ERROR', 'SKIPPED', 'UNKNOWN'];

/** CodeBuild test and coverage reports, as the Reports API returns them. */
export class FakeReports {
  /** How many times each report was read, for GENERATING. */
  private readonly reads = new Map<string, number>();

  batchGetReports(request: Json, published: ReadonlyMap<string, PublishedReport>): Json {
    const arns: string[] = request.reportArns ?? [];
    if (arns.length < 1 || arns.length > MAX_ARNS) {
      throw new AwsError(
        'InvalidInputException',
        `1 validation error detected: Value at 'reportArns' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ARNS}`,
      );
    }
    return {
      reports: arns.filter((a) => published.has(a)).map((arn) => this.view(published.get(arn)!)),
      reportsNotFound: arns.filter((a) => !published.has(a)),
    };
  }

  private view({ arn, name, report }: PublishedReport): Json {
    const reads = (this.reads.get(arn) ?? 0) + 1;
    this.reads.set(arn, reads);
    const generating = reads <= (report.generatingReads ?? 0);
    const failed = report.failed ?? [];
    const status = generating ? 'GENERATING' : (report.status ?? (failed.length ? 'FAILED' : 'SUCCEEDED'));
    const base = { arn, name, reportGroupArn: arn.slice(0, arn.lastIndexOf(':')), status, created: Date.now() / 1000, truncated: !!report.truncated };
    if (report.type === 'CODE_COVERAGE') {
      const [linesCovered, linesMissed] = report.coverage?.lines ?? [0, 0];
      const [branchesCovered, branchesMissed] = report.coverage?.branches ?? [0, 0];
      const pct = (c: number, m: number) => (c + m ? (100 * c) / (c + m) : 0);
      return {
        ...base,
        type: 'CODE_COVERAGE',
        // Coverage reports carry a codeCoverageSummary and no testSummary (Report API reference).
        ...(!generating && {
          codeCoverageSummary: {
            lineCoveragePercentage: pct(linesCovered, linesMissed),
            linesCovered,
            linesMissed,
            branchCoveragePercentage: pct(branchesCovered, branchesMissed),
            branchesCovered,
            branchesMissed,
          },
        }),
      };
    }
    const counts: Record<string, number> = { SUCCEEDED: report.passed ?? 0 };
    for (const c of failed) counts[c.status ?? 'FAILED'] = (counts[c.status ?? 'FAILED'] ?? 0) + 1;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return { ...base, type: 'TEST', ...(!generating && { testSummary: { total, statusCounts: counts, durationInNanoSeconds: 1e9 } }) };
  }

  /** One status per call ("A TestCaseFilter can have one status"), at most 100 cases a page, paged with nextToken. */
  describeTestCases(request: Json, published: ReadonlyMap<string, PublishedReport>): Json {
    const found = published.get(String(request.reportArn));
    if (!found) throw new AwsError('ResourceNotFoundException', `Report not found: ${request.reportArn}`);
    const size = Number(request.maxResults ?? MAX_PAGE);
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
      throw new AwsError('InvalidInputException', `maxResults must be between 1 and ${MAX_PAGE}`);
    }
    const status = request.filter?.status;
    if (status !== undefined && !CASE_STATUSES.includes(status)) throw new AwsError('InvalidInputException', `Invalid status filter: ${status}`);
    const cases = (found.report.failed ?? []).filter((c) => status === undefined || (c.status ?? 'FAILED') === status);
    const from = Number(request.nextToken ?? 0);
    const page = cases.slice(from, from + size);
    const next = from + size < cases.length ? String(from + size) : undefined;
    return {
      testCases: page.map((c) => ({
        reportArn: found.arn,
        status: c.status ?? 'FAILED',
        name: c.name,
        ...(c.prefix && { prefix: c.prefix }),
        message: c.message,
      })),
      ...(next && { nextToken: next }),
    };
  }
}
