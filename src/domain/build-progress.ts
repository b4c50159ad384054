import type { Build } from '@aws-sdk/client-codebuild';
import { isFinal } from './verdict';

/**
 * Phases before the container starts never show up in its log: their progress comes from
 * BatchGetBuilds. FINALIZING (after the container) waits for the end, so it prints after the log.
 */
export const BEFORE_CONTAINER: ReadonlySet<string> = new Set(['SUBMITTED', 'QUEUED', 'PROVISIONING']);

/** Until the build ended without reaching its container, a log may exist. */
export function containerMayHaveRun(build: Build): boolean {
  if (!isFinal(build.buildStatus)) return true;
  return (build.phases ?? []).some((p) => p.phaseType && !BEFORE_CONTAINER.has(p.phaseType) && p.phaseType !== 'COMPLETED');
}

/**
 * CodeBuild may report the final status before the build's record is complete (an end time
 * missing with currentPhase COMPLETED has been seen; `buildComplete` says when it is), and the
 * duration, phase contexts, exported variables and reports come from that record.
 */
export function isRecorded(build: Build): boolean {
  return build.buildComplete === true || (build.buildComplete === undefined && build.endTime !== undefined);
}
