import { consoleHost } from '../../domain/links';

/** An execution's timeline: `…/codesuite/codepipeline/pipelines/NAME/executions/ID/timeline`. */
export function pipelineExecutionUrl(region: string, pipeline: string, executionId: string): string {
  const path = `codesuite/codepipeline/pipelines/${encodeURIComponent(pipeline)}/executions/${encodeURIComponent(executionId)}/timeline`;
  return `${consoleHost(region)}/${path}?region=${region}`;
}

/** The pipeline's page, where a manual approval is reviewed. */
export function pipelineViewUrl(region: string, pipeline: string): string {
  return `${consoleHost(region)}/codesuite/codepipeline/pipelines/${encodeURIComponent(pipeline)}/view?region=${region}`;
}
