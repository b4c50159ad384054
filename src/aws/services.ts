import type { Clock } from '../domain/clock';
import type { ClientSettings } from './client-options';
import { type CodeBuildApi, codeBuildApi } from './codebuild';
import { type CodePipelineApi, codePipelineApi } from './codepipeline';
import { type LogsApi, logsApi } from './logs';
import { RequestBudget } from './request-budget';
import type { RetryDeps } from './retry';
import { type ArtifactStore, s3ArtifactStore } from './s3-artifact-store';
import { s3Client } from './s3-client';
import { type SourceStore, s3SourceStore } from './s3-source-store';
import { Throttle } from './throttle';

/** Every AWS service the step talks to, behind the interfaces tests replace. */
export interface Services {
  readonly codebuild: CodeBuildApi;
  readonly codepipeline: CodePipelineApi;
  readonly logs: LogsApi;
  /** Where upload-source puts the zipped working directory. */
  readonly source: SourceStore;
  /** Where download-artifacts reads the build's artifacts. */
  readonly artifacts: ArtifactStore;
  /** This process's pacing of each operation, learnt from throttles: polling plans with it. */
  readonly throttle: Throttle;
  region(): Promise<string>;
}

/** The real SDK clients, sharing one retry policy, throttle state and request budget. */
export function awsServices(settings: ClientSettings, clock: Clock, debug: (message: string) => void, notice?: (message: string) => void): Services {
  const throttle = new Throttle(clock.now);
  const retry: RetryDeps = { clock, throttle, budget: new RequestBudget(clock.now), log: debug, ...(notice && { notice }) };
  const codebuild = codeBuildApi(settings, retry);
  const s3 = s3Client(settings);
  return {
    codebuild,
    codepipeline: codePipelineApi(settings, retry),
    logs: logsApi(settings, retry),
    source: s3SourceStore(s3),
    // A cross-region pipeline action's artifacts are in its region's store: a client there.
    artifacts: s3ArtifactStore(s3, (region) => s3Client({ ...settings, region })),
    throttle,
    region: () => codebuild.region(),
  };
}
