/** Console links users click from the CI log, the summary and Slack. */

export interface BuildIdentity {
  readonly id: string;
  readonly arn?: string;
  readonly region: string;
}

export interface ParsedArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** `arn:PARTITION:codebuild:REGION:ACCOUNT:build/…` (or build-batch/…). */
export function parseCodeBuildArn(arn: string | undefined): ParsedArn | undefined {
  const m = /^arn:(aws[\w-]*):codebuild:([\w-]+):(\d{12}):build(?:-batch)?\//.exec(arn ?? '');
  return m ? { partition: m[1]!, region: m[2]!, account: m[3]! } : undefined;
}

/** `arn:aws:codebuild:REGION:ACCOUNT:build/PROJECT:UUID` */
export function parseBuildArn(arn: string | undefined): ParsedArn | undefined {
  return arn?.includes(':build/') ? parseCodeBuildArn(arn) : undefined;
}

/**
 * The console of a partition: its own domain for China (console.amazonaws.cn) and GovCloud
 * (console.amazonaws-us-gov.com). Without an ARN the region's name tells the partition.
 */
export function consoleHost(region: string, partition?: string): string {
  const p = partition ?? (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');
  const domain = p === 'aws-cn' ? 'console.amazonaws.cn' : p === 'aws-us-gov' ? 'console.amazonaws-us-gov.com' : 'console.aws.amazon.com';
  return `https://${region}.${domain}`;
}

/** A build's id from its id or ARN (`arn:aws:codebuild:REGION:ACCOUNT:build/PROJECT:UUID` → `PROJECT:UUID`). */
export function buildIdOf(idOrArn: string): string {
  const at = idOrArn.indexOf(':build/');
  return at < 0 ? idOrArn : idOrArn.slice(at + ':build/'.length);
}

export function projectOf(buildId: string): string {
  return buildId.slice(0, buildId.lastIndexOf(':'));
}

/** `…/projects/PROJECT/build|batch/ID/`: with the account when the ARN gives it, region-level otherwise (both resolve). */
function codeBuildPage(kind: 'build' | 'batch', id: string, project: string, arn: string | undefined, fallbackRegion: string): string {
  const parsed = parseCodeBuildArn(arn);
  const region = parsed?.region ?? fallbackRegion;
  const scope = parsed ? `${parsed.account}/` : '';
  const path = `codesuite/codebuild/${scope}projects/${encodeURIComponent(project)}/${kind}/${encodeURIComponent(id)}/`;
  return `${consoleHost(region, parsed?.partition)}/${path}?region=${region}`;
}

export function buildConsoleUrl(build: BuildIdentity): string {
  return codeBuildPage('build', build.id, projectOf(build.id), build.arn, build.region);
}

/** The batch's page: `…/projects/PROJECT/batch/ID/`. */
export function batchConsoleUrl(batch: { arn?: string; id?: string; projectName?: string }, region: string): string {
  return codeBuildPage('batch', batch.id ?? '', batch.projectName ?? '', batch.arn, region);
}

/** The CloudWatch console encodes path parts twice and writes '%' as '$'. */
export function logsConsoleUrl(region: string, group: string, stream: string): string {
  const enc = (s: string) => encodeURIComponent(encodeURIComponent(s)).replace(/%/g, '$');
  return `${consoleHost(region)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${enc(group)}/log-events/${enc(stream)}`;
}

/** An execution's timeline: `…/codesuite/codepipeline/pipelines/NAME/executions/ID/timeline`. */
export function pipelineExecutionUrl(region: string, pipeline: string, executionId: string): string {
  const path = `codesuite/codepipeline/pipelines/${encodeURIComponent(pipeline)}/executions/${encodeURIComponent(executionId)}/timeline`;
  return `${consoleHost(region)}/${path}?region=${region}`;
}

/** The pipeline's page, where a manual approval is reviewed. */
export function pipelineViewUrl(region: string, pipeline: string): string {
  return `${consoleHost(region)}/codesuite/codepipeline/pipelines/${encodeURIComponent(pipeline)}/view?region=${region}`;
}
