import type { PipelineExecution } from '@aws-sdk/client-codepipeline';
import type { CallOptions } from '../../aws/codebuild';
import { describeFailure } from '../../aws/failure';
import type { PipelineConfig } from '../../config/config';
import type { TargetDeps } from '../target';
import { actionLabel, isCodeBuild, type PipelineActionRow, pipelineEnded } from './rows';

const STOP_REASON = 'The CI job that started it was cancelled (codebuild-run)';

/**
 * One StopPipelineExecution. "Stop and wait" leaves the execution Stopping "until the in-progress
 * actions are complete", and a pending manual approval completes only when answered or at its
 * timeout (7 days by default), the stage locked meanwhile ("Stop a pipeline execution", user
 * guide). So it abandons with stop-mode abandon and whenever an approval is in progress; with
 * stop-mode finish the actions beside that approval are abandoned too, but their builds are left
 * to end, as finish promised. After an abandon in stop-mode abandon, the running CodeBuild actions'
 * builds (or batches, for BatchEnabled actions) are stopped too: CodePipeline marks the actions
 * Abandoned and says nothing of stopping them.
 */
export async function stopPipelineExecution(
  deps: Pick<TargetDeps, 'services' | 'log'>,
  config: PipelineConfig,
  execution: PipelineExecution,
  rows: readonly PipelineActionRow[],
  options: CallOptions,
): Promise<string> {
  const { services, log } = deps;
  const id = execution.pipelineExecutionId ?? '';
  if (pipelineEnded(execution.status)) return `pipeline execution ${id} had already ended ${execution.status}`;
  const inProgress = rows.filter((r) => r.status === 'InProgress');
  const approvals = inProgress.filter((r) => r.category === 'Approval');
  const abandon = config.stopMode === 'abandon' || approvals.length > 0;
  const builds = config.stopMode === 'abandon' ? inProgress.flatMap((r) => (isCodeBuild(r) && r.externalId ? [{ ...r, externalId: r.externalId }] : [])) : [];
  try {
    await services.codepipeline.stop(config.name, id, abandon, STOP_REASON, options);
  } catch (error) {
    const name = (error as Error).name;
    // Stopping already, or ended between our last poll and now: what we asked for.
    if (name === 'PipelineExecutionNotStoppableException') return `pipeline execution ${id} had already ended`;
    if (name !== 'DuplicatedStopRequestException') {
      log.error(`Could not stop pipeline execution ${id}: ${describeFailure(error)}`);
      return `stopping pipeline execution ${id} failed; it may still be running`;
    }
  }
  // After the abandon, so the action reads Abandoned, not Failed. A batch-enabled action's id is a batch's.
  const { codebuild } = services;
  const stopped = await Promise.allSettled(
    builds.map((r) => (r.batch ? codebuild.stopBuildBatch(r.externalId, options) : codebuild.stopBuild(r.externalId, options))),
  );
  const notStopped = builds.filter((_, i) => stopped[i]?.status === 'rejected');
  if (notStopped.length) log.warning(`Could not stop the build of ${notStopped.map(actionLabel).join(', ')}; it may still be running.`);
  log.info(`Stopped pipeline execution ${id}, ${howStopped(config, abandon, approvals, inProgress, builds)}.`);
  return `pipeline execution ${id} was stopped (${abandon ? 'abandon' : 'finish'})`;
}

function howStopped(
  config: PipelineConfig,
  abandon: boolean,
  approvals: readonly PipelineActionRow[],
  inProgress: readonly PipelineActionRow[],
  builds: readonly PipelineActionRow[],
): string {
  if (!abandon) return 'stopping: running actions finish, no new ones start (stop-mode: finish)';
  if (config.stopMode === 'abandon') return `abandoned (stop-mode: abandon${builds.length ? `; stopped ${builds.map(actionLabel).join(', ')}` : ''})`;
  const others = inProgress.filter((r) => r.category !== 'Approval');
  if (!others.length) return 'abandoned (only an approval was pending, which stop-mode finish would wait for)';
  const pending = approvals.map(actionLabel).join(', ');
  const left = others.map(actionLabel).join(', ');
  return (
    `abandoned (${pending} was pending: stop-mode finish would leave the execution Stopping until it is answered or times out, ` +
    `up to 7 days, its stage locked; ${left} abandoned too, what it started left to end)`
  );
}
