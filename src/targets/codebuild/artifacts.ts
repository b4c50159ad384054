import type { Build, BuildArtifacts } from '@aws-sdk/client-codebuild';
import { type ArtifactPlan, type ArtifactToFetch, joinDir, parseS3Arn, type S3Object, type WriteWindow } from '../../domain/artifacts';

/** What owns artifacts: a build, or a batch that combines its builds' into artifacts of its own. */
export interface ArtifactOwner {
  /** "build app:1", "batch build app:b1". */
  readonly name: string;
  readonly artifacts?: BuildArtifacts;
  readonly secondaryArtifacts?: readonly BuildArtifacts[];
  readonly encryptionKey?: string;
  /** The phase that uploaded them; undefined when it did not succeed. */
  readonly upload?: { readonly succeeded: boolean; readonly window?: WriteWindow; readonly phase: string };
  /** The run's own id (a build's UUID): a location holding it is the run's alone (namespaceType BUILD_ID). */
  readonly uniqueId?: string;
}

/** The primary artifact into `into`, each secondary into `into/<artifactIdentifier>`. */
export function buildArtifacts(build: Build, into = ''): ArtifactPlan {
  const name = `build ${build.id}`;
  if (build.source?.type === 'CODEPIPELINE')
    return { fetch: [], nothing: [`${name} hands its artifacts to its pipeline (CODEPIPELINE): nothing to download.`] };
  const phase = build.phases?.find((p) => p.phaseType === 'UPLOAD_ARTIFACTS');
  const upload = { succeeded: phase?.phaseStatus === 'SUCCEEDED', window: windowOf(phase, 'UPLOAD_ARTIFACTS phase'), phase: 'UPLOAD_ARTIFACTS phase' };
  const { artifacts, secondaryArtifacts, encryptionKey } = build;
  const uniqueId = build.id?.slice(build.id.lastIndexOf(':') + 1);
  return ownedArtifacts({ name, artifacts, secondaryArtifacts, encryptionKey, upload, ...(uniqueId && { uniqueId }) }, into);
}

/** An owner's artifacts, once the phase that uploads them has succeeded. */
export function ownedArtifacts(owner: ArtifactOwner, into: string): ArtifactPlan {
  const { name } = owner;
  const all = [
    { artifact: owner.artifacts, label: `the primary artifact of ${name}`, into },
    ...(owner.secondaryArtifacts ?? []).map((a) => ({
      artifact: a,
      label: `artifact ${a.artifactIdentifier} of ${name}`,
      into: joinDir(into, a.artifactIdentifier ?? ''),
    })),
  ];
  const withLocation = all.flatMap((a) => (a.artifact?.location ? [{ ...a, artifact: a.artifact, location: a.artifact.location }] : []));
  if (!withLocation.length) return { fetch: [], nothing: [`${name} has no artifacts (NO_ARTIFACTS): nothing to download.`] };
  if (!owner.upload?.succeeded) return { fetch: [], nothing: [`${name} uploaded no artifacts (its ${owner.upload?.phase ?? 'upload'} did not succeed).`] };
  const fetch: ArtifactToFetch[] = [];
  const nothing: string[] = [];
  for (const a of withLocation) {
    const location = parseS3Arn(a.location);
    if (!location) nothing.push(`${a.label} is at ${a.location}, not in S3: not downloaded.`);
    else fetch.push(toFetch(a.artifact, a.label, a.into, location, owner));
  }
  return { fetch, nothing };
}

/**
 * CodeBuild reports no packaging on a build, but it reports checksums only for ZIP
 * (BuildArtifacts.sha256sum: "available only if the build project's packaging value is set to
 * ZIP"); without them, what S3 holds at the location decides.
 */
function toFetch(artifact: BuildArtifacts, label: string, into: string, location: S3Object, owner: ArtifactOwner): ArtifactToFetch {
  return {
    label,
    into,
    location,
    zip: !!(artifact.sha256sum || artifact.md5sum),
    ...(artifact.sha256sum && { sha256: artifact.sha256sum }),
    ...(artifact.md5sum && { md5: artifact.md5sum }),
    ...(owner.upload?.window && { written: owner.upload.window }),
    // namespaceType BUILD_ID puts the build's id in the path: everything under it is the build's.
    ...(owner.uniqueId && location.key.includes(owner.uniqueId) && { ownsPrefix: true }),
    ...(artifact.overrideArtifactName && { nameFromBuildspec: true }),
    ...(owner.encryptionKey && { encryptionKey: owner.encryptionKey }),
    // NONE is the default: "By default, only the account that uploads the objects to the bucket has access to these objects".
    bucketOwnerAccess: artifact.bucketOwnerAccess ?? 'NONE',
  };
}

/** When a phase ran, if CodeBuild says (a finished phase has both times). */
export function windowOf(phase: { startTime?: Date; endTime?: Date } | undefined, name: string): WriteWindow | undefined {
  return phase?.startTime && phase.endTime ? { from: phase.startTime.getTime(), to: phase.endTime.getTime(), phase: name } : undefined;
}
