import type { Build } from '@aws-sdk/client-codebuild';
import { autoRetryExpected } from '../domain/auto-retry';
import { buildIdOf } from '../domain/links';
import type { TargetDeps } from './target';

/** How long to wait for CodeBuild to start a retry it is due to start, and how often to look. */
const WAIT_MS = 60_000;
const POLL_MS = 2_000;

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
    current = await services.codebuild.getBuild(build.id!, { signal });
  }
  return services.codebuild.getBuild(buildIdOf(current.autoRetryConfig.nextAutoRetry), { signal });
}
