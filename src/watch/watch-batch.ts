import type { Build, BuildBatch } from '@aws-sdk/client-codebuild';
import type { CodeBuildApi } from '../aws/apis';
import { phaseLine } from '../report/format';
import type { Reporter } from '../report/reporter';
import { watchBuild, type WatchDeps } from './watch-build';

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

/** `arn:aws:codebuild:REGION:ACCOUNT:build/PROJECT:UUID` → `PROJECT:UUID` */
export function buildIdFromArn(arn: string): string {
  return arn.slice(arn.indexOf(':build/') + ':build/'.length);
}

/**
 * Follow a batch build: each child build, as it appears, gets its own watcher (status, log tail,
 * phases) whose output carries the child's identifier; the batch ends when CodeBuild says so and
 * every child's log is drained.
 */
export async function watchBatch(initial: BuildBatch, deps: BatchWatchDeps): Promise<BatchResult> {
  const { clock, signal, reporter, codebuild } = deps;
  const children = new Map<string, Build>();
  const watchers = new Map<string, Promise<void>>();
  let batch = initial;
  for (;;) {
    deps.onBatch?.(batch);
    for (const group of batch.buildGroups ?? []) {
      const arn = group.currentBuildSummary?.arn;
      const identifier = group.identifier ?? 'build';
      if (!arn || watchers.has(arn)) continue;
      reporter.info(`[${identifier}] build ${buildIdFromArn(arn)} started`);
      const watcher = watchChild(buildIdFromArn(arn), identifier, deps).then((final) => void children.set(identifier, final));
      // Its failure is reported by Promise.all below; until then it must not count as unhandled.
      watcher.catch(() => {});
      watchers.set(arn, watcher);
    }
    if (batch.buildBatchStatus && batch.buildBatchStatus !== 'IN_PROGRESS') break;
    try {
      await clock.sleep(BATCH_POLL_MS * (0.9 + 0.2 * (deps.random ?? Math.random)()), signal);
      batch = await codebuild.getBuildBatch(batch.id!);
    } catch (error) {
      await Promise.allSettled(watchers.values()); // the children stop on the same signal
      throw error;
    }
  }
  await Promise.all(watchers.values());
  return { batch, children };
}

async function watchChild(id: string, identifier: string, deps: BatchWatchDeps): Promise<Build> {
  const build = await deps.codebuild.getBuild(id);
  return watchBuild(build, { ...deps, codebuild: deps.codebuild, reporter: childReporter(deps.reporter, identifier) });
}

/**
 * A child's lines interleave with its siblings', so each carries `[identifier]`, and phases are
 * plain lines rather than (GitHub) groups, which cannot interleave.
 */
export function childReporter(parent: Reporter, identifier: string): Reporter {
  const tag = (m: string) => `[${identifier}] ${m}`;
  return {
    debug: (m) => parent.debug(tag(m)),
    info: (m) => parent.info(tag(m)),
    warning: (m) => parent.warning(tag(m)),
    error: (m) => parent.error(tag(m)),
    mask: (s) => parent.mask(s),
    logLines: (lines) => parent.logLines(lines.map(tag)),
    phaseStarted: (phase) => parent.debug(tag(`Phase ${phase} started`)),
    phaseEnded: (end) => (end.status === 'SUCCEEDED' ? parent.info(tag(phaseLine(end))) : parent.warning(tag(phaseLine(end)))),
    testReports: () => {},
    verdict: () => {},
    close: async () => {},
  };
}

/** A batch seen as one build, for the verdict, the summary and Slack (same status, phases, number). */
export function batchAsBuild(batch: BuildBatch): Build {
  return {
    id: batch.id,
    arn: batch.arn,
    projectName: batch.projectName,
    buildNumber: batch.buildBatchNumber,
    buildStatus: batch.buildBatchStatus,
    startTime: batch.startTime,
    endTime: batch.endTime,
    sourceVersion: batch.sourceVersion,
    resolvedSourceVersion: batch.resolvedSourceVersion,
    phases: batch.phases as Build['phases'],
  };
}

