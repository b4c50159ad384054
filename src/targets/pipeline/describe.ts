import type { RunDescription } from '../../domain/outcome';

/** A CodePipeline execution, as the summary and Slack speak of it. */
export function pipelineDescription(pipeline: string, executionId?: string): RunDescription {
  return {
    noun: 'pipeline execution',
    service: 'CodePipeline',
    owner: pipeline,
    title: `CodePipeline ${pipeline}${executionId ? ` execution ${executionId}` : ''}`,
    shortName: `${pipeline}${executionId ? ` execution ${executionId.slice(0, 8)}` : ''}`,
    ownerLabel: 'Pipeline',
    idLabel: 'Execution',
    consoleLinkText: 'Execution in the CodePipeline console',
    logsLinkText: 'Build log in CloudWatch',
    failedPartLabel: 'Failed action',
    statusOutput: 'pipeline-status',
    partColumns: ['Stage/Action', 'External id'],
  };
}
