import type { RunDescription } from '../../domain/outcome';

/** A CodeBuild build or batch, as the summary and Slack speak of it. */
export function codeBuildDescription(noun: 'build' | 'batch build', project: string, number?: number): RunDescription {
  const numbered = number === undefined ? project : `${project} #${number}`;
  return {
    noun,
    service: 'CodeBuild',
    owner: project,
    title: `CodeBuild ${numbered}`,
    shortName: numbered || 'CodeBuild',
    ownerLabel: 'Project',
    idLabel: 'Build',
    consoleLinkText: 'Build in the CodeBuild console',
    logsLinkText: 'Build log in CloudWatch',
    failedPartLabel: 'Failed phase',
    statusOutput: 'build-status',
    partColumns: ['Identifier', 'Build'],
  };
}
