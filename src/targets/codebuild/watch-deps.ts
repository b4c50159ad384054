import { bindSignal, CODEBUILD_OPTIONS, LOGS_OPTIONS } from '../../aws/bind-signal';
import type { CodeBuildApi } from '../../aws/codebuild';
import type { WatchDeps } from '../../watch/build-watcher';
import type { TargetDeps } from '../target';

/** What a build watcher needs of a target's deps: the clients, bound to `signal`, and the loop's tools. */
export function watchDepsOf(
  deps: TargetDeps,
  signal: AbortSignal,
): Omit<WatchDeps, 'onStream' | 'onBuild' | 'codebuild'> & { readonly codebuild: CodeBuildApi } {
  const { services, clock, log, tailLogs, policy, random } = deps;
  return {
    codebuild: bindSignal(services.codebuild, CODEBUILD_OPTIONS, signal),
    logs: bindSignal(services.logs, LOGS_OPTIONS, signal),
    clock,
    log,
    throttle: services.throttle,
    tailLogs,
    policy,
    random,
    signal,
  };
}
