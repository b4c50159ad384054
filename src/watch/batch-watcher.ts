import type { Build, BuildBatch, BuildGroup } from '@aws-sdk/client-codebuild';
import type { CodeBuildApi } from '../aws/codebuild';
import { classify } from '../aws/errors';
import { buildIdOf } from '../domain/links';
import { type ChildBuild, isFinal } from '../domain/verdict';
import { type WatchDeps, watchBuild } from './build-watcher';

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
  const watchers = new Map<string, Promise<void>>();
  let batch = initial;
  for (;;) {
    deps.onBatch?.(batch);
    for (const group of childGroups(batch)) {
      const arn = group.currentBuildSummary?.arn;
      if (!arn || watchers.has(arn) || followed.has(arn)) continue;
      const identifier = identifierOf(group);
      log.info(`[${identifier}] build ${buildIdOf(arn)} started`);
      const watcher = watchChild(buildIdOf(arn), identifier, deps).then((final) => void followed.set(arn, final));
      // Its failure is reported by Promise.all below; until then it must not count as unhandled.
      watcher.catch(() => {});
      watchers.set(arn, watcher);
    }
    if (isFinal(batch.buildBatchStatus)) break;
    try {
      await clock.sleep(BATCH_POLL_MS * (0.9 + 0.2 * (deps.random ?? Math.random)()), signal);
      batch = await pollBatch(batch, codebuild);
    } catch (error) {
      await Promise.allSettled(watchers.values()); // the children stop on the same signal
      throw error;
    }
  }
  await Promise.all(watchers.values());
  const children = childGroups(batch).flatMap((g) => {
    const build = g.currentBuildSummary?.arn && followed.get(g.currentBuildSummary.arn);
    return build ? [{ identifier: identifierOf(g), build, ignoreFailure: !!g.ignoreFailure }] : [];
  });
  return { batch, children, followed, sourceDownload: await sourceDownloadOf(batch, deps) };
}

/** One poll of the batch; a throttled one keeps what was known: the next comes at the pace the throttle set. */
async function pollBatch(batch: BuildBatch, codebuild: BatchWatchDeps['codebuild']): Promise<BuildBatch> {
  try {
    return await codebuild.getBuildBatch(batch.id!, { poll: true });
  } catch (error) {
    if (classify(error) !== 'throttle') throw error;
    return batch;
  }
}

/** Only a failed batch needs its source download: its reason may be the batch's. */
async function sourceDownloadOf(batch: BuildBatch, deps: BatchWatchDeps): Promise<Build | undefined> {
  const arn = batch.buildGroups?.find((g) => g.identifier === SOURCE_GROUP)?.currentBuildSummary?.arn;
  if (!arn || batch.buildBatchStatus === 'SUCCEEDED') return undefined;
  return deps.codebuild.getBuild(buildIdOf(arn));
}

async function watchChild(id: string, identifier: string, deps: BatchWatchDeps): Promise<Build> {
  const build = await deps.codebuild.getBuild(id);
  return watchBuild(build, { ...deps, log: deps.log.withPrefix(identifier) });
}
