import type { Build } from '@aws-sdk/client-codebuild';
import { buildIdOf } from '../codebuild/links';
import type { TargetDeps } from '../target';

/** How long to wait for CodeBuild to start a retry it is due to start, and how often to look. */
const WAIT_MS = 60_000;
const POLL_MS = 2_000;

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

/**
 * The build CodeBuild started to retry `build`, once it has; undefined when it does not retry it
 * (retries spent, or none started within a minute: then the build at hand is judged).
 */
export async function nextAutoRetry(build: Build, deps: Pick<TargetDeps, 'services' | 'clock' | 'log'>, signal: AbortSignal): Promise<Build | undefined> {
  if (!autoRetryExpected(build)) return undefined;
  const { services, clock, log } = deps;
  const deadline = clock.now() + WAIT_MS;
  let current = build;
  if (!current.autoRetryConfig?.nextAutoRetry) log.info(`Build ${build.id} ${build.buildStatus}; CodeBuild retries it itself: waiting for the retry to start.`);
  while (!current.autoRetryConfig?.nextAutoRetry) {
    if (clock.now() >= deadline) {
      log.warning(`CodeBuild did not start its retry of build ${build.id} within ${WAIT_MS / 1000} s; judging that build.`);
      return undefined;
    }
    await clock.sleep(POLL_MS, signal);
    current = await services.codebuild.getBuild(build.id ?? '', { signal });
  }
  return services.codebuild.getBuild(buildIdOf(current.autoRetryConfig.nextAutoRetry), { signal });
}
