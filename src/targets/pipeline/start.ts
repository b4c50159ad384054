import { randomUUID } from 'node:crypto';
import type { PipelineDeclaration } from '@aws-sdk/client-codepipeline';
import type { CodePipelineApi } from '../../aws/codepipeline';
import type { PipelineConfig } from '../../config/config';
import type { Clock } from '../../domain/clock';
import type { UploadDestination, UploadedSource } from '../../domain/source';
import type { Log } from '../../log/log';
import { executionOfRevision, type S3Source, s3SourceOf } from './rows';

export interface PipelineStartDeps {
  readonly codepipeline: CodePipelineApi;
  readonly clock: Clock;
  readonly log: Log;
  readonly signal?: AbortSignal;
}

/**
 * How long to look for the execution an upload triggers. A polled source (PollForSourceChanges
 * absent or true) starts one when CodePipeline's next poll sees the new version; an event rule
 * (PollForSourceChanges false, with EventBridge) within seconds: "typically delivered in seconds
 * but can sometimes take a minute" (S3 event notifications guide).
 */
export const FIND_POLLED_MS = 5 * 60_000;
export const FIND_EVENT_MS = 30_000;
const FIND_EVERY_MS = 5_000;

/** upload-source with a pipeline: its S3 source action's bucket and key, or a clear error. */
export function uploadDestinationOf(declaration: PipelineDeclaration, wanted: { bucket: string; prefix: string }): UploadDestination {
  const source = s3SourceOf(declaration);
  if (!source) throw new Error(`pipeline ${declaration.name} has no S3 source action (provider S3) for upload-source to put the checkout in`);
  const given = `${wanted.bucket}/${wanted.prefix}`;
  if (wanted.bucket && given !== `${source.bucket}/${source.key}`) {
    throw new Error(
      `upload-source s3://${given} is not where pipeline ${declaration.name}'s source action ${source.actionName} reads (s3://${source.bucket}/${source.key}); set upload-source: true`,
    );
  }
  return { bucket: source.bucket, key: source.key };
}

/**
 * What the pipeline's declaration says StartPipelineExecution would refuse: V1 pipelines take
 * neither variables nor source revisions (pipeline types guide); a revision must name a source
 * action; S3_OBJECT_KEY needs AllowOverrideForS3ObjectKey on that action (S3 action reference).
 */
export function startProblem(declaration: PipelineDeclaration, config: PipelineConfig): string | undefined {
  if (declaration.pipelineType !== 'V2' && (config.variables.length || config.sourceRevisions.length)) {
    return `pipeline ${config.name} is a V1 pipeline: pipeline-variables and source-revisions need a V2 pipeline`;
  }
  const sources = (declaration.stages ?? []).flatMap((s) => s.actions ?? []).filter((a) => a.actionTypeId?.category === 'Source');
  for (const r of config.sourceRevisions) {
    const action = sources.find((a) => a.name === r.actionName);
    if (!action) {
      return `source-revisions names ${r.actionName}, which is not a source action of pipeline ${config.name} (its source actions: ${sources.map((a) => a.name).join(', ') || 'none'})`;
    }
    if (r.revisionType === 'S3_OBJECT_KEY' && action.configuration?.AllowOverrideForS3ObjectKey?.toLowerCase() !== 'true') {
      return `source-revisions: S3_OBJECT_KEY for ${r.actionName} needs AllowOverrideForS3ObjectKey: true in that action's configuration`;
    }
  }
  return undefined;
}

/** StartPipelineExecution with the user's variables and revisions (and the uploaded version, if any). */
export function startExecution(
  deps: PipelineStartDeps,
  declaration: PipelineDeclaration,
  config: PipelineConfig,
  uploaded?: { source: S3Source; versionId: string },
) {
  const revisions = [...config.sourceRevisions];
  // Pin the execution to the version just uploaded, where the pipeline type allows it.
  if (uploaded && declaration.pipelineType === 'V2' && !revisions.some((r) => r.actionName === uploaded.source.actionName)) {
    revisions.push({ actionName: uploaded.source.actionName, revisionType: 'S3_OBJECT_VERSION_ID', revisionValue: uploaded.versionId });
  }
  // The token makes a retried start (a lost answer) the same execution; `stop` ends the retries
  // on a cancel, while a start in flight may finish, so what it started can be stopped.
  return deps.codepipeline.start(
    {
      name: config.name,
      clientRequestToken: randomUUID(),
      ...(config.variables.length && { variables: [...config.variables] }),
      ...(revisions.length && { sourceRevisions: revisions }),
    },
    { ...(deps.signal && { stop: deps.signal }) },
  );
}

/**
 * After an upload to the pipeline's S3 source: the execution that upload triggers, found by its
 * source revision (the object's version id); started by us, pinned to that version, only when
 * none appears within the window (a source neither polled nor watched by an event rule).
 */
export async function executionForUpload(
  deps: PipelineStartDeps,
  pipeline: { declaration: PipelineDeclaration; pollingDisabled: boolean },
  config: PipelineConfig,
  versionId: string,
): Promise<string> {
  const { declaration } = pipeline;
  const source = s3SourceOf(declaration, pipeline.pollingDisabled);
  if (!source) throw new Error(`pipeline ${declaration.name} has no S3 source action (provider S3) for upload-source to put the checkout in`);
  const window = source.polled ? FIND_POLLED_MS : FIND_EVENT_MS;
  const how = source.polled ? 'CodePipeline polls the source' : 'an event rule may start it';
  deps.log.info(`Looking for the execution the upload starts (${how}; source revision ${versionId})`);
  const until = deps.clock.now() + window;
  for (;;) {
    const found = executionOfRevision(await deps.codepipeline.recentExecutions(config.name, { signal: deps.signal }), source.actionName, versionId);
    if (found) {
      deps.log.info(`Found execution ${found}, started by the upload: following it (none started here)`);
      return found;
    }
    if (deps.clock.now() + FIND_EVERY_MS > until) break;
    await deps.clock.sleep(FIND_EVERY_MS, deps.signal);
  }
  deps.log.info(`No execution of revision ${versionId} after ${Math.round(window / 1000)}s: starting one`);
  return startExecution(deps, declaration, config, { source, versionId });
}

/** The S3 source action reads only from a versioned bucket (S3 action reference): without a version there is nothing to pin. */
export function versionOf(source: UploadedSource): string {
  if (source.versionId) return source.versionId;
  throw new Error(
    `S3 gave no version id for s3://${source.bucket}/${source.key}: the pipeline's S3 source action needs a bucket with versioning enabled (aws s3api put-bucket-versioning)`,
  );
}
