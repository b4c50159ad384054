import type { Build, BuildBatch, BuildGroup } from '@aws-sdk/client-codebuild';
import type { CodeBuildApi } from '../../aws/codebuild';
import { childPolicy } from '../../domain/poll-policy';
import { isFinal } from '../../domain/verdict';
import { type WatchDeps, watchBuild } from '../../watch/build-watcher';
import { Children } from '../../watch/children';
import { jitteredSleep, unlessThrottled } from '../../watch/polling';
import { buildIdOf } from '../codebuild/links';
import type { ChildBuild } from './verdict';

export interface BatchWatchDeps extends Omit<WatchDeps, 'codebuild' | 'onStream' | 'onBuild'> {
  readonly codebuild: Pick<CodeBuildApi, 'getBuild' | 'getBuildBatch'>;
  readonly onBatch?: (batch: BuildBatch) => void;
  /** Child builds already followed to their end (by ARN), e.g. before a RetryBuildBatch: not tailed again. */
  readonly followed?: ReadonlyMap<string, Build>;
}

export interface BatchResult {
  readonly batch: BuildBatch;
  /** Each group's latest build, in the batch's order, at its end. */
  readonly children: readonly ChildBuild[];
  /** Every child build followed to its end, by ARN: what a later watch need not follow again. */
  readonly followed: ReadonlyMap<string, Build>;
  /** The batch's source download, when the batch failed (its reason may be the batch's). */
  readonly sourceDownload?: Build;
}

const BATCH_POLL_MS = 5_000;
/**
 * The group that downloads the batch's source, listed first by BatchGetBuildBatches (CLI
 * reference examples): not a child of the user's buildspec, so never tailed or listed as one.
 */
export const SOURCE_GROUP = 'DOWNLOAD_SOURCE';

const childGroups = (batch: BuildBatch) => (batch.buildGroups ?? []).filter((g) => g.identifier !== SOURCE_GROUP);
const identifierOf = (g: BuildGroup) => g.identifier ?? 'build';

/**
 * Follow a batch build: each child build, as it appears, gets its own watcher (status, log tail,
 * phases) whose output carries the child's identifier; the batch ends when CodeBuild says so and
 * every child's log is drained.
 */
export async function watchBatch(initial: BuildBatch, deps: BatchWatchDeps): Promise<BatchResult> {
  const { clock, signal, log, codebuild } = deps;
  const followed = new Map(deps.followed);
  const children = new Children();
  let batch = initial;
  await children.around(async () => {
    for (;;) {
      deps.onBatch?.(batch);
      for (const group of childGroups(batch)) {
        const arn = group.currentBuildSummary?.arn;
        if (!arn || children.has(arn) || followed.has(arn)) continue;
        const identifier = identifierOf(group);
        log.info(`[${identifier}] build ${buildIdOf(arn)} started`);
        const ended = () => isFinal(childGroups(batch).find((g) => g.currentBuildSummary?.arn === arn)?.currentBuildSummary?.buildStatus);
        children.start(arn, undefined, async () => void followed.set(arn, await watchChild(buildIdOf(arn), identifier, deps, ended)));
      }
      if (isFinal(batch.buildBatchStatus)) return;
      await jitteredSleep(clock, BATCH_POLL_MS, deps.random, signal);
      batch = (await unlessThrottled(() => codebuild.getBuildBatch(batch.id ?? '', { poll: true }))) ?? batch;
    }
  });
  const ended = childGroups(batch).flatMap((g) => {
    const build = g.currentBuildSummary?.arn && followed.get(g.currentBuildSummary.arn);
    return build ? [{ identifier: identifierOf(g), build, ignoreFailure: !!g.ignoreFailure }] : [];
  });
  return { batch, children: ended, followed, sourceDownload: await sourceDownloadOf(batch, deps) };
}

/** Only a failed batch needs its source download: its reason may be the batch's. */
async function sourceDownloadOf(batch: BuildBatch, deps: BatchWatchDeps): Promise<Build | undefined> {
  const arn = batch.buildGroups?.find((g) => g.identifier === SOURCE_GROUP)?.currentBuildSummary?.arn;
  if (!arn || batch.buildBatchStatus === 'SUCCEEDED') return undefined;
  return deps.codebuild.getBuild(buildIdOf(arn));
}

async function watchChild(id: string, identifier: string, deps: BatchWatchDeps, ended: () => boolean): Promise<Build> {
  const build = await deps.codebuild.getBuild(id);
  return watchBuild(build, { ...deps, log: deps.log.withPrefix(identifier), policy: childPolicy(deps.policy), endedElsewhere: ended });
}
