import type { Config } from '../config/config';
import { batchTarget } from './batch/target';
import { buildTarget } from './build/target';
import { PipelineTarget } from './pipeline/target';
import type { Target, TargetDeps } from './target';

/** The one place that knows which kinds of run there are. */
export function chooseTarget(config: Config, deps: TargetDeps): Target {
  const { run } = config;
  switch (run.kind) {
    case 'build':
      return buildTarget({ start: run.start }, deps);
    case 'batch':
      return batchTarget({ start: run.start }, deps);
    case 'attach':
      return (run.batch ? batchTarget : buildTarget)({ buildId: run.buildId }, deps);
    case 'pipeline':
      return new PipelineTarget(run.pipeline, config.upload, deps);
  }
}
