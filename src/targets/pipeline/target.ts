import type { PipelineDeclaration } from '@aws-sdk/client-codepipeline';
import type { PipelineConfig, UploadConfig } from '../../config/config';
import type { RunReport } from '../../domain/outcome';
import type { UploadDestination, UploadedSource } from '../../domain/source';
import type { StartedRun, Target, TargetDeps } from '../target';
import { pipelineDescription } from './describe';
import { PipelineRun } from './run';
import { executionForUpload, startExecution, startProblem, uploadDestinationOf, versionOf } from './start';

/** A CodePipeline execution: started, found after an upload, or followed by its id. */
export class PipelineTarget implements Target {
  private pipeline?: { declaration: PipelineDeclaration; pollingDisabled: boolean };

  constructor(
    private readonly config: PipelineConfig,
    private readonly upload: UploadConfig | undefined,
    private readonly deps: TargetDeps,
  ) {}

  /** CodePipeline names a missing pipeline or execution by these errors (API reference). */
  readonly failureHints = (name: string) =>
    name === 'PipelineNotFoundException'
      ? `check that pipeline '${this.config.name}' exists in this account and region`
      : name === 'PipelineExecutionNotFoundException'
        ? `check pipeline-execution-id: no execution ${this.config.executionId ?? ''} of pipeline '${this.config.name}'`
        : undefined;

  requested(): RunReport {
    return { description: pipelineDescription(this.config.name), links: {}, attempts: [] };
  }

  /** GetPipeline, once: the upload's destination and the start both need it. */
  private async declared(signal?: AbortSignal) {
    if (!this.pipeline) {
      const { pipeline, pollingDisabled } = await this.deps.services.codepipeline.getPipeline(this.config.name, { signal });
      this.pipeline = { declaration: pipeline, pollingDisabled };
    }
    return this.pipeline;
  }

  readonly uploadDestination = async (signal: AbortSignal): Promise<UploadDestination> =>
    uploadDestinationOf((await this.declared(signal)).declaration, this.upload ?? { bucket: '', prefix: '' });

  async start(source: UploadedSource | undefined, signal: AbortSignal): Promise<StartedRun> {
    const { services, clock, log } = this.deps;
    const pipeline = await this.declared(signal);
    const problem = startProblem(pipeline.declaration, this.config);
    if (problem) throw new Error(problem);
    const deps = { codepipeline: services.codepipeline, clock, log, signal };
    const given = this.config.executionId;
    const id =
      given ??
      (source ? await executionForUpload(deps, pipeline, this.config, versionOf(source)) : await startExecution(deps, pipeline.declaration, this.config));
    return new PipelineRun(this.config, pipeline.declaration, id, given ? 'Following' : 'Started', this.deps);
  }
}
