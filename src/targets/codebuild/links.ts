import type { Build } from '@aws-sdk/client-codebuild';
import { consoleHost, logsConsoleUrl } from '../../domain/links';
import type { LogStream } from '../../domain/log-stream';

/** CodeBuild's console links and ids: builds and batches. */

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

/**
 * The link of the log stream actually read. CodeBuild's own deepLink only when it names that
 * stream: until CodeBuild names it, the record holds a placeholder (`group=null;stream=null`, as
 * in the API reference's BatchGetBuilds example), and the stream can be found by reading it first.
 */
export function logsLinkOf(build: Build, stream: LogStream, fallbackRegion: string): string {
  const deepLink = build.logs?.deepLink;
  if (deepLink && !/=null\b/.test(deepLink) && deepLink.includes(stream.stream)) return deepLink;
  return logsConsoleUrl(parseBuildArn(build.arn)?.region ?? fallbackRegion, stream.group, stream.stream);
}
