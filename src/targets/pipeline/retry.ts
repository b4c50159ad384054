import type { PipelineDeclaration } from '@aws-sdk/client-codepipeline';
import type { PipelineStageState } from '../../aws/pipeline-state';
import type { PipelineActionRow } from './rows';

/**
 * How long a Failed execution is given for CodePipeline's automatic retry of its failed stage to
 * start, when GetPipelineState does not show that retry used. The user guide does not say how soon
 * the retry comes; AWS shows a used retry in retryStageMetadata, so this bound only matters where
 * that field is missing (other implementations of the API).
 */
export const AUTO_RETRY_WAIT_MS = 120_000;
/**
 * With failure conditions declared, RETRY applies only "when the failure conditions are met"
 * (API reference, FailureConditions), and a retry the rules did not engage leaves no trace in
 * GetPipelineState: the wait for it is kept short.
 */
export const CONDITIONAL_RETRY_WAIT_MS = 30_000;

export interface PendingRetry {
  readonly stage: string;
  readonly mode?: string;
  /** How long to give the retry to start. */
  readonly waitMs: number;
}

/**
 * A failed stage CodePipeline will still retry by itself: declared with onFailure result RETRY
 * ("Configure a stage for automatic retry on failure"), still this execution's in GetPipelineState
 * (`stages`; none given: nothing known yet), and whose one automatic attempt ("One attempt is allowed
 * for automatic stage retry on failure", RetryStageMetadata.autoStageRetryAttempt) is not used.
 */
export function retryToCome(
  declaration: PipelineDeclaration | undefined,
  rows: readonly PipelineActionRow[],
  executionId: string,
  stages: readonly PipelineStageState[] = [],
): PendingRetry | undefined {
  for (const stage of new Set(rows.filter((r) => r.status === 'Failed').map((r) => r.stage))) {
    const onFailure = declaration?.stages?.find((s) => s.name === stage)?.onFailure;
    if (onFailure?.result !== 'RETRY') continue;
    const state = stages.find((s) => s.name === stage);
    // Another execution has entered the stage since: this one's retry will not come.
    if (state?.executionId && state.executionId !== executionId) continue;
    if ((state?.autoRetries ?? 0) >= 1) continue;
    const mode = onFailure.retryConfiguration?.retryMode;
    const waitMs = onFailure.conditions?.length ? CONDITIONAL_RETRY_WAIT_MS : AUTO_RETRY_WAIT_MS;
    return { stage, waitMs, ...(mode && { mode }) };
  }
  return undefined;
}

/**
 * A stage of this execution that failed with no action failed in it: an entry condition with
 * result Fail (the stage ran no action), or a success condition with result Fail; with what the
 * condition said.
 */
export function conditionFailure(stages: readonly PipelineStageState[], executionId: string): { stage: string; reason: string } | undefined {
  const failed = stages.find((s) => s.executionId === executionId && s.status === 'Failed');
  if (!failed) return undefined;
  const c = failed.failedCondition;
  const what = c ? `${c.kind === 'entry' ? 'entry' : 'success'} condition failed` : 'the stage failed without a failed action';
  return { stage: failed.name, reason: c?.summary ? `${what}: ${c.summary}` : what };
}
