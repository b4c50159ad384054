import type { Config } from '../config/config';
import { BatchBuild } from './batch-build';
import { PipelineRun } from './pipeline-run';
import { SingleBuild } from './single-build';
import type { BuildTarget, TargetDeps } from './target';

/** The one place that knows which kinds of run there are. */
export function chooseTarget(config: Config, deps: TargetDeps): BuildTarget {
  if (config.pipeline) return new PipelineRun(config.pipeline, config.upload, deps);
  if (config.batch) return new BatchBuild({ buildId: config.buildId, start: config }, deps);
  return new SingleBuild({ buildId: config.buildId, start: config }, deps);
}
