import { randomUUID } from 'node:crypto';
import { startBuildBatchRequest } from '../../domain/start-request';
import { codeBuildTarget, type StartOrAttach } from '../codebuild/run-base';
import { buildOverrides } from '../codebuild/source';
import type { Target, TargetDeps } from '../target';
import { BatchRun } from './run';

/** A batch build: StartBuildBatch (the project's or the overridden buildspec's batch), or attach to a running batch. */
export function batchTarget(how: StartOrAttach, deps: TargetDeps): Target {
  const { codebuild } = deps.services;
  return codeBuildTarget(how, {
    noun: 'batch build',
    attach: (id, signal) => codebuild.getBuildBatch(id, { signal }),
    start: (settings, source, signal) =>
      codebuild.startBuildBatch({ ...startBuildBatchRequest(settings, randomUUID()), ...buildOverrides(source) }, { stop: signal }),
    started: (batch, verb) => new BatchRun(batch, deps, verb),
  });
}
