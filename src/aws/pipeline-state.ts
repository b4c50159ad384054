import type { StageConditionState, StageState } from '@aws-sdk/client-codepipeline';

/**
 * One stage as GetPipelineState shows it. Every field of StageState but its name is optional in
 * the API model, and other implementations of the API leave some out: absent means "not said".
 */
export interface PipelineStageState {
  readonly name: string;
  /** Its latest execution (StageExecution): in SUPERSEDED mode maybe another than the one followed. */
  readonly executionId?: string;
  /** "Cancelled | InProgress | Failed | Stopped | Stopping | Succeeded | Skipped" (StageExecution.status). */
  readonly status?: string;
  /** retryStageMetadata.autoStageRetryAttempt: "One attempt is allowed for automatic stage retry on failure". */
  readonly autoRetries?: number;
  /** A stage condition whose rules failed (entry, on success), with what it said. */
  readonly failedCondition?: { readonly kind: 'entry' | 'success'; readonly summary?: string };
  /** Running actions' external ids (a CodeBuild action's build, or batch, id) with their action execution ids. */
  readonly running: readonly { readonly action: string; readonly actionExecutionId?: string; readonly externalId: string }[];
}

export function stageStateOf(stage: StageState): PipelineStageState {
  const failedCondition = conditionFailure('entry', stage.beforeEntryConditionState) ?? conditionFailure('success', stage.onSuccessConditionState);
  return {
    name: stage.stageName ?? '',
    ...(stage.latestExecution?.pipelineExecutionId && { executionId: stage.latestExecution.pipelineExecutionId }),
    ...(stage.latestExecution?.status && { status: stage.latestExecution.status }),
    ...(stage.retryStageMetadata?.autoStageRetryAttempt !== undefined && { autoRetries: stage.retryStageMetadata.autoStageRetryAttempt }),
    ...(failedCondition && { failedCondition }),
    running: (stage.actionStates ?? []).flatMap((a) => {
      const e = a.latestExecution;
      if (e?.status !== 'InProgress' || !e.externalExecutionId) return [];
      return [{ action: a.actionName ?? '', externalId: e.externalExecutionId, ...(e.actionExecutionId && { actionExecutionId: e.actionExecutionId }) }];
    }),
  };
}

/** ConditionExecution.status Failed or Errored: the condition's result (Fail, Skip, Rollback) engaged. */
function conditionFailure(kind: 'entry' | 'success', state: StageConditionState | undefined) {
  const failed = (s?: string) => s === 'Failed' || s === 'Errored';
  const condition = state?.conditionStates?.find((c) => failed(c.latestExecution?.status));
  if (!failed(state?.latestExecution?.status) && !condition) return undefined;
  const summary = state?.latestExecution?.summary ?? condition?.latestExecution?.summary;
  return { kind, ...(summary && { summary }) };
}
