import type { CallOptions, CodeBuildApi } from './codebuild';
import type { CodePipelineApi } from './codepipeline';
import type { LogsApi } from './logs';

/** Where each method of an API takes its CallOptions; every method must say (the type checks it). */
export type OptionsAt<T> = { readonly [K in keyof T]: number };

/**
 * `api` with `signal` in every call's options, so a cancel or a wait timeout aborts whatever the
 * holder sends; options given at the call are kept (a poll stays a poll).
 */
export function bindSignal<T extends object>(api: T, at: OptionsAt<T>, signal: AbortSignal): T {
  const bound: Record<string, unknown> = {};
  for (const [name, index] of Object.entries(at) as [string, number][]) {
    const method = (api as Record<string, (...args: unknown[]) => unknown>)[name]!;
    bound[name] = (...args: unknown[]) => {
      const all = [...args];
      all[index] = { ...(all[index] as CallOptions | undefined), signal };
      return method.apply(api, all);
    };
  }
  return bound as T;
}

export const CODEBUILD_OPTIONS: OptionsAt<CodeBuildApi> = {
  startBuild: 1,
  getBuild: 1,
  stopBuild: 1,
  retryBuild: 2,
  startBuildBatch: 1,
  getBuildBatch: 1,
  stopBuildBatch: 1,
  retryBuildBatch: 3,
  testReports: 1,
};

export const CODEPIPELINE_OPTIONS: OptionsAt<CodePipelineApi> = {
  getPipeline: 1,
  start: 1,
  getExecution: 2,
  actionExecutions: 2,
  stageStates: 1,
  recentExecutions: 1,
  stop: 4,
};

export const LOGS_OPTIONS: OptionsAt<LogsApi> = { getPage: 2 };
