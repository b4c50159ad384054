import { describeFailure } from '../../aws/failure';
import type { RetryPolicy } from '../../aws/retry';
import type { TestReport } from '../../domain/test-reports';
import type { TargetDeps } from '../target';

/** Reports are extra information: a short, bounded retry. */
export const REPORT_RETRY: RetryPolicy = { retries: 4, baseMs: 500, capMs: 4_000, maxRetryTimeMs: 20_000 };

/** A build's or batch's test reports; failing to read them is a warning, never the verdict. */
export async function readTestReports(deps: Pick<TargetDeps, 'services' | 'log'>, arns: readonly string[] | undefined): Promise<TestReport[]> {
  if (!arns?.length) return [];
  try {
    return await deps.services.codebuild.testReports(arns, { policy: REPORT_RETRY });
  } catch (error) {
    deps.log.warning(`Could not read the test reports (${describeFailure(error)}); they are in the CodeBuild console.`);
    return [];
  }
}
