import { randomUUID } from 'node:crypto';
import { startBuildRequest } from '../../domain/start-request';
import { codeBuildTarget, type StartOrAttach } from '../codebuild/run-base';
import { buildOverrides } from '../codebuild/source';
import type { Target, TargetDeps } from '../target';
import { BuildRun } from './run';

/** A single CodeBuild build: StartBuild, or attach to a running build. */
export function buildTarget(how: StartOrAttach, deps: TargetDeps): Target {
  const { codebuild } = deps.services;
  return codeBuildTarget(how, {
    noun: 'build',
    attach: (id, signal) => codebuild.getBuild(id, { signal }),
    // The token makes a retried StartBuild (lost response) return the same build, not a second one.
    start: (settings, source, signal) => codebuild.startBuild({ ...startBuildRequest(settings, randomUUID()), ...buildOverrides(source) }, { stop: signal }),
    started: (build, verb) => new BuildRun(build, deps, verb),
  });
}
