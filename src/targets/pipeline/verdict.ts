import type { PipelineExecution } from '@aws-sdk/client-codepipeline';
import type { Subject } from '../../domain/outcome';
import { secondsBetween, tookText, type Verdict } from '../../domain/verdict';
import { actionLabel, type PipelineActionRow, pipelineStatus } from './rows';

/**
 * Only Succeeded passes. Superseded fails too: a newer execution carried on in its place, so
 * what this CI job asked for (its commit, its upload) may never reach the end of the pipeline.
 * A stage failed by a stage condition has no failed action: `failedStage` names it.
 */
export function pipelineVerdictOf(
  execution: PipelineExecution,
  rows: readonly PipelineActionRow[],
  failedStage?: { readonly stage: string; readonly reason: string },
): Verdict {
  const status = pipelineStatus(execution.status);
  const ok = status.word === 'Succeeded';
  const failed = rows.find((r) => r.status === 'Failed') ?? rows.find((r) => r.status === 'Abandoned');
  const durationSeconds = secondsBetween(...span(rows));
  const name = `Pipeline ${execution.pipelineName} execution ${execution.pipelineExecutionId}`;
  const superseded = status.word === 'Superseded' ? 'a newer execution went on through the pipeline in its place' : undefined;
  const byCondition = !ok && !failed ? failedStage : undefined;
  const reason = ok ? undefined : (failed ? [failed.error, failed.summary].find(Boolean) : byCondition?.reason) || execution.statusSummary || superseded;
  const where = failed ? ` in stage ${failed.stage}, action ${failed.action}` : byCondition ? ` in stage ${byCondition.stage}` : '';
  return {
    ok,
    status: status.word,
    normal: status.normal,
    ...(failed && !ok && { failedPhase: actionLabel(failed) }),
    ...(byCondition && { failedPhase: byCondition.stage }),
    ...(reason && { reason }),
    ...(durationSeconds !== undefined && { durationSeconds }),
    summary: `${name} ${status.word}${tookText(durationSeconds, ok)}${ok ? '' : where}${reason ? `: ${reason}` : ''}`,
  };
}

/** From the first action's start to the last action's update: the execution's own times are not reported. */
function span(rows: readonly PipelineActionRow[]): [Date | undefined, Date | undefined] {
  const starts = rows.flatMap((r) => (r.startTime ? [r.startTime.getTime()] : []));
  const ends = rows.flatMap((r) => (r.lastUpdateTime ? [r.lastUpdateTime.getTime()] : []));
  return starts.length && ends.length ? [new Date(Math.min(...starts)), new Date(Math.max(...ends))] : [undefined, undefined];
}

/** The execution as the summary and Slack show it; its actions are its parts. */
export function pipelineSubject(execution: PipelineExecution): Subject {
  const source = execution.artifactRevisions?.[0];
  return {
    id: execution.pipelineExecutionId ?? '',
    status: pipelineStatus(execution.status ?? 'InProgress'),
    ...(source?.revisionId && { sourceVersion: source.revisionId }),
    phases: [],
    exportedVariables: (execution.variables ?? []).map((v) => ({ name: v.name ?? '', value: v.resolvedValue ?? '' })),
  };
}
