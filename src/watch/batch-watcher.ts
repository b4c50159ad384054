import type { Build, BuildBatch } from '@aws-sdk/client-codebuild';
import type { CodeBuildApi } from '../aws/codebuild';
import { buildIdOf } from '../domain/links';
import { isFinal } from '../domain/verdict';
import { type WatchDeps, watchBuild } from './build-watcher';

export interface BatchWatchDeps extends Omit<WatchDeps, 'codebuild' | 'onStream' | 'onBuild'> {
  readonly codebuild: Pick<CodeBuildApi, 'getBuild' | 'getBuildBatch'>;
  readonly onBatch?: (batch: BuildBatch) => void;
}

export interface BatchResult {
  readonly batch: BuildBatch;
  /** Each child's final build, by its identifier in the build graph, matrix or list. */
  readonly children: ReadonlyMap<string, Build>;
}

const BATCH_POLL_MS = 5_000;

/**
 * Follow a batch build: each child build, as it appears, gets its own watcher (status, log tail,
 * phases) whose output carries the child's identifier; the batch ends when CodeBuild says so and
 * every child's log is drained.
 */
export async function watchBatch(initial: BuildBatch, deps: BatchWatchDeps): Promise<BatchResult> {
  const { clock, signal, log, codebuild } = deps;
  const children = new Map<string, Build>();
  const watchers = new Map<string, Promise<void>>();
  let batch = initial;
  for (;;) {
    deps.onBatch?.(batch);
    for (const group of batch.buildGroups ?? []) {
      const arn = group.currentBuildSummary?.arn;
      const identifier = group.identifier ?? 'build';
      if (!arn || watchers.has(arn)) continue;
      log.info(`[${identifier}] build ${buildIdOf(arn)} started`);
      const watcher = watchChild(buildIdOf(arn), identifier, deps).then((final) => void children.set(identifier, final));
      // Its failure is reported by Promise.all below; until then it must not count as unhandled.
      watcher.catch(() => {});
      watchers.set(arn, watcher);
    }
    if (isFinal(batch.buildBatchStatus)) break;
    try {
      await clock.sleep(BATCH_POLL_MS * (0.9 + 0.2 * (deps.random ?? Math.random)()), signal);
      batch = await codebuild.getBuildBatch(batch.id!);
    } catch (error) {
      await Promise.allSettled(watchers.values()); // the children stop on the same signal
      throw error;
    }
  }
  await Promise.all(watchers.values());
  // In the order the batch lists its groups, not the order they happened to finish.
  const order = (batch.buildGroups ?? []).map((g) => g.identifier ?? 'build');
  return { batch, children: new Map([...children].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))) };
}

async function watchChild(id: string, identifier: string, deps: BatchWatchDeps): Promise<Build> {
  const build = await deps.codebuild.getBuild(id);
  return watchBuild(build, { ...deps, log: deps.log.withPrefix(identifier) });
}
