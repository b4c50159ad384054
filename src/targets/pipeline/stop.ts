import type { PipelineExecution } from '@aws-sdk/client-codepipeline';
import type { CallOptions } from '../../aws/codebuild';
import type { PipelineConfig } from '../../config/config';
import type { TargetDeps } from '../target';
import { actionLabel, isCodeBuild, type PipelineActionRow, pipelineEnded } from './rows';

const STOP_REASON = 'The CI job that started it was cancelled (codebuild-run)';

/**
 * One StopPipelineExecution. Abandon with stop-mode abandon, and when only approvals are pending:
 * "stop and wait" waits for in-progress actions, and an approval waits up to its timeout (7 days
 * by default), the stage locked meanwhile. After an abandon, the running CodeBuild actions' builds
 * are stopped too: CodePipeline marks the actions Abandoned and says nothing of stopping them.
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
  const approvalsOnly = inProgress.length > 0 && inProgress.every((r) => r.category === 'Approval');
  const abandon = config.stopMode === 'abandon' || approvalsOnly;
  const running = inProgress.flatMap((r) => (isCodeBuild(r) && r.externalId ? [{ ...r, externalId: r.externalId }] : []));
  try {
    await services.codepipeline.stop(config.name, id, abandon, STOP_REASON, options);
  } catch (error) {
    const name = (error as Error).name;
    // Stopping already, or ended between our last poll and now: what we asked for.
    if (name === 'PipelineExecutionNotStoppableException') return `pipeline execution ${id} had already ended`;
    if (name !== 'DuplicatedStopRequestException') {
      log.error(`Could not stop pipeline execution ${id}: ${name}: ${(error as Error).message}`);
      return `stopping pipeline execution ${id} failed; it may still be running`;
    }
  }
  // After the abandon, so the action reads Abandoned, not Failed.
  const stopped = abandon ? await Promise.allSettled(running.map((r) => services.codebuild.stopBuild(r.externalId, options))) : [];
  const notStopped = running.filter((_, i) => stopped[i]?.status === 'rejected');
  if (notStopped.length) log.warning(`Could not stop the build of ${notStopped.map(actionLabel).join(', ')}; it may still be running.`);
  const why = config.stopMode === 'abandon' ? 'stop-mode: abandon' : 'only an approval was pending, which stop-mode finish would wait for';
  const how = abandon
    ? `abandoned (${why}${running.length ? `; stopped ${running.map(actionLabel).join(', ')}` : ''})`
    : 'stopping: running actions finish, no new ones start (stop-mode: finish)';
  log.info(`Stopped pipeline execution ${id}, ${how}.`);
  return `pipeline execution ${id} was stopped (${abandon ? 'abandon' : 'finish'})`;
}
