import type { Build } from '@aws-sdk/client-codebuild';

/**
 * CodeBuild's own retries (a project's autoRetryLimit, or StartBuild's autoRetryLimitOverride):
 * "CodeBuild will automatically call RetryBuild … after a failed build up to a specified limit"
 * (auto-retry user guide). The failed build then carries autoRetryConfig.nextAutoRetry, the new
 * build's ARN, once CodeBuild has started it; the docs say neither when that is nor which final
 * statuses count as failed, so a stopped build is taken as not retried.
 */
export function autoRetryExpected(build: Build): boolean {
  const c = build.autoRetryConfig;
  if (!c || build.buildStatus === 'SUCCEEDED' || build.buildStatus === 'STOPPED' || build.buildStatus === 'IN_PROGRESS') return false;
  return !!c.nextAutoRetry || (c.autoRetryNumber ?? 0) < (c.autoRetryLimit ?? 0);
}

/** "auto-retry 1 of 2" */
export function autoRetryLabel(build: Build): string {
  const c = build.autoRetryConfig;
  return `auto-retry ${c?.autoRetryNumber ?? '?'} of ${c?.autoRetryLimit ?? '?'}`;
}
