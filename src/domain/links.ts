/** Console links users click from the CI log, the summary and Slack. */

export interface BuildIdentity {
  readonly id: string;
  readonly arn?: string;
  readonly region: string;
}

/** `arn:aws:codebuild:REGION:ACCOUNT:build/PROJECT:UUID` */
export function parseBuildArn(arn: string | undefined): { region: string; account: string } | undefined {
  const m = /^arn:aws[\w-]*:codebuild:([\w-]+):(\d{12}):build\//.exec(arn ?? '');
  return m ? { region: m[1]!, account: m[2]! } : undefined;
}

/** A build's id from its id or ARN (`arn:aws:codebuild:REGION:ACCOUNT:build/PROJECT:UUID` → `PROJECT:UUID`). */
export function buildIdOf(idOrArn: string): string {
  const at = idOrArn.indexOf(':build/');
  return at < 0 ? idOrArn : idOrArn.slice(at + ':build/'.length);
}

export function projectOf(buildId: string): string {
  return buildId.slice(0, buildId.lastIndexOf(':'));
}

export function buildConsoleUrl(build: BuildIdentity): string {
  const fromArn = parseBuildArn(build.arn);
  const region = fromArn?.region ?? build.region;
  const project = encodeURIComponent(projectOf(build.id));
  const id = encodeURIComponent(build.id);
  const host = `https://${region}.console.aws.amazon.com`;
  // Without the account the codesuite URL does not resolve; the region-level build page does.
  return fromArn
    ? `${host}/codesuite/codebuild/${fromArn.account}/projects/${project}/build/${id}/?region=${region}`
    : `${host}/codesuite/codebuild/projects/${project}/build/${id}/?region=${region}`;
}

/** The CloudWatch console encodes path parts twice and writes '%' as '$'. */
export function logsConsoleUrl(region: string, group: string, stream: string): string {
  const enc = (s: string) => encodeURIComponent(encodeURIComponent(s)).replace(/%/g, '$');
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${enc(group)}/log-events/${enc(stream)}`;
}

/** The batch's page: `…/projects/PROJECT/batch/ID/`. */
export function batchConsoleUrl(batch: { arn?: string; id?: string; projectName?: string }, region: string): string {
  const account = /^arn:aws[\w-]*:codebuild:[\w-]+:(\d{12}):/.exec(batch.arn ?? '')?.[1];
  const project = encodeURIComponent(batch.projectName ?? '');
  // Without the account (a batch whose ARN is missing) the region-level page still resolves.
  const scope = account ? `${account}/` : '';
  return `https://${region}.console.aws.amazon.com/codesuite/codebuild/${scope}projects/${project}/batch/${encodeURIComponent(batch.id ?? '')}/?region=${region}`;
}
