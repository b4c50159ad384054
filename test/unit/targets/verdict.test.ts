import type { Build, BuildBatch } from '@aws-sdk/client-codebuild';
import { formatDuration } from '../../../src/domain/verdict';
import { batchVerdictOf } from '../../../src/targets/batch/verdict';
import { verdictOf } from '../../../src/targets/codebuild/verdict';

const failedPhase = (message: string) => [
  { phaseType: 'BUILD' as const, phaseStatus: 'FAILED' as const, contexts: [{ statusCode: 'COMMAND_EXECUTION_ERROR', message }] },
];
const build = (status: Build['buildStatus'], extra: Partial<Build> = {}): Build => ({
  projectName: 'app',
  buildNumber: 3,
  buildStatus: status,
  startTime: new Date(0),
  endTime: new Date(65_000),
  ...extra,
});
const batch: BuildBatch = { projectName: 'app', buildBatchNumber: 2, buildBatchStatus: 'FAILED', startTime: new Date(0), endTime: new Date(30_000) };

describe('verdicts', () => {
  test('a build: status, duration, the failing phase and its reason', () => {
    expect(verdictOf(build('SUCCEEDED')).summary).toBe('Build app #3 SUCCEEDED in 1m 5s');
    expect(verdictOf(build('FAILED', { phases: failedPhase('npm test') })).summary).toBe(
      'Build app #3 FAILED after 1m 5s in phase BUILD: COMMAND_EXECUTION_ERROR: npm test',
    );
  });

  test('a batch is blamed on its first child that failed it, never on one whose failure is ignored', () => {
    const children = [
      { identifier: 'lint', build: build('FAILED', { phases: failedPhase('lint') }), ignoreFailure: true },
      { identifier: 'unit', build: build('FAILED', { phases: failedPhase('unit') }) },
    ];
    expect(batchVerdictOf(batch, children).summary).toBe('Batch app #2 FAILED after 30s: unit FAILED in phase BUILD: COMMAND_EXECUTION_ERROR: unit');
    expect(batchVerdictOf(batch, children.slice(0, 1)).summary).toBe('Batch app #2 FAILED after 30s');
  });

  test("a batch whose source download failed says so, with CodeBuild's reason", () => {
    const source = build('FAILED', {
      phases: [
        {
          phaseType: 'DOWNLOAD_SOURCE',
          phaseStatus: 'CLIENT_ERROR' as Build['buildStatus'],
          contexts: [{ statusCode: 'CLIENT_ERROR', message: 'repository not found' }],
        },
      ],
    });
    expect(batchVerdictOf(batch, [], source)).toMatchObject({
      failedPhase: 'DOWNLOAD_SOURCE',
      summary: 'Batch app #2 FAILED after 30s: the source download failed: CLIENT_ERROR: repository not found',
    });
  });

  test('durations', () => {
    expect([formatDuration(5), formatDuration(65), formatDuration(3_725)]).toEqual(['5s', '1m 5s', '1h 2m 5s']);
  });
});
