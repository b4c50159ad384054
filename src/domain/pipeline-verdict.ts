import type { PipelineExecution } from '@aws-sdk/client-codepipeline';
import type { PhaseRow, Subject } from './outcome';
import { actionLabel, type PipelineActionRow, rowSeconds } from './pipeline';
import { formatDuration, type Verdict } from './verdict';

/**
 * Only Succeeded passes. Superseded fails too: a newer execution carried on in its place, so
 * what this CI job asked for (its commit, its upload) may never reach the end of the pipeline.
 */
export function pipelineVerdictOf(execution: PipelineExecution, rows: readonly PipelineActionRow[], startedAt?: Date, endedAt?: Date): Verdict {
  const status = execution.status ?? 'Unknown';
  const ok = status === 'Succeeded';
  const failed = rows.find((r) => r.status === 'Failed') ?? rows.find((r) => r.status === 'Abandoned');
  const durationSeconds = startedAt && endedAt ? Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000)) : undefined;
  const name = `Pipeline ${execution.pipelineName} execution ${execution.pipelineExecutionId}`;
  const took = durationSeconds === undefined ? '' : ` ${ok ? 'in' : 'after'} ${formatDuration(durationSeconds)}`;
  const superseded = status === 'Superseded' ? 'a newer execution went on through the pipeline in its place' : undefined;
  const reason = ok ? undefined : (failed ? [failed.error, failed.summary].find(Boolean) : undefined) || execution.statusSummary || superseded;
  const where = failed ? ` in stage ${failed.stage}, action ${failed.action}` : '';
  return {
    ok,
    status,
    ...(failed && !ok && { failedPhase: actionLabel(failed) }),
    ...(reason && { reason }),
    ...(durationSeconds !== undefined && { durationSeconds }),
    summary: `${name} ${status}${took}${ok ? '' : where}${reason ? `: ${reason}` : ''}`,
  };
}

/** The execution as the summary and Slack show it: one row per action, in pipeline order. */
export function pipelineSubject(execution: PipelineExecution, rows: readonly PipelineActionRow[]): Subject {
  const source = execution.artifactRevisions?.[0];
  return {
    kind: 'pipeline',
    id: execution.pipelineExecutionId,
    project: execution.pipelineName,
    status: execution.status ?? 'InProgress',
    ...(source?.revisionId && { sourceVersion: source.revisionId }),
    phases: rows.map(phaseRowOf),
    exportedVariables: (execution.variables ?? []).map((v) => ({ name: v.name ?? '', value: v.resolvedValue ?? '' })),
  };
}

function phaseRowOf(row: PipelineActionRow): PhaseRow {
  const seconds = rowSeconds(row);
  const detail = [row.error ?? row.summary, row.url].filter(Boolean).join(' ');
  return {
    name: `${actionLabel(row)} (${row.provider})`,
    status: row.status,
    ...(seconds !== undefined && { durationSeconds: seconds }),
    ...(detail && { detail }),
  };
}
