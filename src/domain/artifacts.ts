import type { Build, BuildArtifacts, BuildBatch } from '@aws-sdk/client-codebuild';
import { actionLabel, isCodeBuild, type PipelineActionRow } from './pipeline';

export interface S3Object {
  readonly bucket: string;
  /** The object's key (ZIP), or the "folder" prefix without its trailing slash (NONE). */
  readonly key: string;
}

/** One artifact to bring back, and where it goes. */
export interface ArtifactToFetch {
  /** "primary artifact of build app:1234", for messages. */
  readonly label: string;
  /** Its directory under the download directory ('' for the directory itself). */
  readonly into: string;
  readonly location: S3Object;
  /**
   * ZIP packaging. CodeBuild reports no packaging on a build, but it reports checksums only for
   * ZIP (BuildArtifacts.sha256sum: "available only if the build project's packaging value is
   * set to ZIP"); without them, what S3 holds at the location decides.
   */
  readonly zip: boolean;
  readonly sha256?: string;
  /** The build's KMS key, for the hint when S3 denies the download. */
  readonly encryptionKey?: string;
}

export interface ArtifactPlan {
  readonly fetch: readonly ArtifactToFetch[];
  /** Why some artifacts are not fetched, one line each. */
  readonly nothing: readonly string[];
}

/** `arn:<partition>:s3:::bucket/key` → bucket and key (the key may hold ':' and '/'). */
export function parseS3Arn(location: string): S3Object | undefined {
  const m = /^arn:aws[a-z-]*:s3:::([^/]+)(?:\/(.*))?$/.exec(location);
  return m ? { bucket: m[1]!, key: (m[2] ?? '').replace(/\/+$/, '') } : undefined;
}

/** The primary artifact into `into`, each secondary into `into/<artifactIdentifier>`. */
export function buildArtifacts(build: Build, into = ''): ArtifactPlan {
  const name = `build ${build.id}`;
  if (build.source?.type === 'CODEPIPELINE')
    return { fetch: [], nothing: [`${name} hands its artifacts to its pipeline (CODEPIPELINE): nothing to download.`] };
  const all = [
    { artifact: build.artifacts, label: `the primary artifact of ${name}`, into },
    ...(build.secondaryArtifacts ?? []).map((a) => ({
      artifact: a,
      label: `artifact ${a.artifactIdentifier} of ${name}`,
      into: join(into, a.artifactIdentifier ?? ''),
    })),
  ];
  const withLocation = all.filter((a) => a.artifact?.location);
  if (!withLocation.length) return { fetch: [], nothing: [`${name} has no artifacts (NO_ARTIFACTS): nothing to download.`] };
  if (!uploaded(build)) return { fetch: [], nothing: [`${name} uploaded no artifacts (its UPLOAD_ARTIFACTS phase did not succeed).`] };
  const fetch: ArtifactToFetch[] = [];
  const nothing: string[] = [];
  for (const a of withLocation) {
    const location = parseS3Arn(a.artifact!.location!);
    if (!location) nothing.push(`${a.label} is at ${a.artifact!.location}, not in S3: not downloaded.`);
    else fetch.push(toFetch(a.artifact!, a.label, a.into, location, build.encryptionKey));
  }
  return { fetch, nothing };
}

/**
 * A batch: the combined artifact (buildBatchConfig.combineArtifacts) into the directory itself,
 * each child's into `<identifier>`.
 */
export function batchArtifacts(batch: BuildBatch, children: readonly { identifier: string; build: Build }[]): ArtifactPlan {
  // Only a batch that combines its children's artifacts (buildBatchConfig.combineArtifacts) has one of its own.
  const combined = batch.buildBatchConfig?.combineArtifacts && batch.artifacts?.location ? parseS3Arn(batch.artifacts.location) : undefined;
  const own: ArtifactPlan = combined
    ? { fetch: [toFetch(batch.artifacts!, `the combined artifact of batch build ${batch.id}`, '', combined, batch.encryptionKey)], nothing: [] }
    : { fetch: [], nothing: [] };
  const parts = [own, ...children.map((c) => buildArtifacts(c.build, c.identifier))];
  return { fetch: parts.flatMap((p) => p.fetch), nothing: parts.flatMap((p) => p.nothing) };
}

/**
 * A pipeline: each CodeBuild action's output artifacts, from the pipeline's artifact store
 * (always ZIPs there), into `<artifact name>`.
 */
export function pipelineArtifacts(rows: readonly PipelineActionRow[]): ArtifactPlan {
  const built = rows.filter((r) => isCodeBuild(r) && r.status !== 'NotStarted');
  const fetch = built.flatMap((r) =>
    (r.artifacts ?? []).map((a) => ({ label: `artifact ${a.name} of ${actionLabel(r)}`, into: a.name, location: { bucket: a.bucket, key: a.key }, zip: true })),
  );
  return { fetch, nothing: fetch.length ? [] : ['No CodeBuild action of the execution produced an output artifact: nothing to download.'] };
}

function toFetch(artifact: BuildArtifacts, label: string, into: string, location: S3Object, encryptionKey?: string): ArtifactToFetch {
  const zip = !!(artifact.sha256sum || artifact.md5sum);
  return { label, into, location, zip, ...(artifact.sha256sum && { sha256: artifact.sha256sum }), ...(encryptionKey && { encryptionKey }) };
}

/** The location is reported from the start; only a finished UPLOAD_ARTIFACTS put something there. */
function uploaded(build: Build): boolean {
  return !!build.phases?.some((p) => p.phaseType === 'UPLOAD_ARTIFACTS' && p.phaseStatus === 'SUCCEEDED');
}

const join = (a: string, b: string) => (a && b ? `${a}/${b}` : a || b);
