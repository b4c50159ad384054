import type { Report } from '@aws-sdk/client-codebuild';
import { readReports } from '../../../src/aws/test-report-reader';
import { VirtualClock } from '../support';

const report = (arn: string, extra: Partial<Report> = {}): Report => ({
  arn,
  name: arn,
  type: 'TEST',
  status: 'SUCCEEDED',
  testSummary: { total: 1, statusCounts: { SUCCEEDED: 1 }, durationInNanoSeconds: 1 },
  ...extra,
});

describe('reading reports', () => {
  test('at most 100 ARNs a call; GENERATING ones read again a few seconds later', async () => {
    const clock = new VirtualClock();
    const arns = Array.from({ length: 230 }, (_, i) => `r${i}`);
    const sizes: number[] = [];
    let reads = 0;
    const reports = await readReports(
      {
        batchGetReports: async (chunk) => {
          sizes.push(chunk.length);
          return chunk.map((a) => (a === 'r7' && reads++ < 2 ? report(a, { status: 'GENERATING', testSummary: undefined }) : report(a)));
        },
        describeTestCases: async () => [],
      },
      arns,
      clock,
    );
    expect(sizes).toEqual([100, 100, 30, 1, 1]);
    expect(reports).toHaveLength(230);
    expect(reports[7]).toMatchObject({ name: 'r7', total: 1, passed: 1 });
    expect(reports[7]!.note).toBeUndefined();
  });

  test('FAILED and ERROR cases each asked for with their own filter; coverage reports get no case calls', async () => {
    const asked: string[] = [];
    const [tests, coverage] = await readReports(
      {
        batchGetReports: async () => [
          report('t', { status: 'FAILED', testSummary: { total: 4, statusCounts: { SUCCEEDED: 2, FAILED: 1, ERROR: 1 }, durationInNanoSeconds: 1 } }),
          report('c', { type: 'CODE_COVERAGE', testSummary: undefined, codeCoverageSummary: { lineCoveragePercentage: 75, linesCovered: 3, linesMissed: 1 } }),
        ],
        describeTestCases: async (arn, status) => {
          asked.push(`${arn} ${status}`);
          return [{ name: `${status.toLowerCase()} case`, message: 'boom' }];
        },
      },
      ['t', 'c'],
      new VirtualClock(),
    );
    expect(asked).toEqual(['t FAILED', 't ERROR']);
    expect(tests!.failures).toEqual([
      { name: 'failed case', message: 'boom' },
      { name: 'error case', message: 'boom', error: true },
    ]);
    expect(coverage).toMatchObject({ kind: 'coverage', coverage: { linePercent: 75, linesCovered: 3, linesMissed: 1 } });
  });
});
