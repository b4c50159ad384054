import type { Build, BuildArtifacts } from '@aws-sdk/client-codebuild';
import { type ArtifactPlan, type ArtifactToFetch, joinDir, parseS3Arn, type S3Object } from '../../domain/artifacts';

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
      into: joinDir(into, a.artifactIdentifier ?? ''),
    })),
  ];
  const withLocation = all.flatMap((a) => (a.artifact?.location ? [{ ...a, artifact: a.artifact, location: a.artifact.location }] : []));
  if (!withLocation.length) return { fetch: [], nothing: [`${name} has no artifacts (NO_ARTIFACTS): nothing to download.`] };
  if (!uploaded(build)) return { fetch: [], nothing: [`${name} uploaded no artifacts (its UPLOAD_ARTIFACTS phase did not succeed).`] };
  const fetch: ArtifactToFetch[] = [];
  const nothing: string[] = [];
  for (const a of withLocation) {
    const location = parseS3Arn(a.location);
    if (!location) nothing.push(`${a.label} is at ${a.location}, not in S3: not downloaded.`);
    else fetch.push(toFetch(a.artifact, a.label, a.into, location, build.encryptionKey));
  }
  return { fetch, nothing };
}

/**
 * CodeBuild reports no packaging on a build, but it reports checksums only for ZIP
 * (BuildArtifacts.sha256sum: "available only if the build project's packaging value is set to
 * ZIP"); without them, what S3 holds at the location decides.
 */
export function toFetch(artifact: BuildArtifacts, label: string, into: string, location: S3Object, encryptionKey?: string): ArtifactToFetch {
  const zip = !!(artifact.sha256sum || artifact.md5sum);
  return { label, into, location, zip, ...(artifact.sha256sum && { sha256: artifact.sha256sum }), ...(encryptionKey && { encryptionKey }) };
}

/** The location is reported from the start; only a finished UPLOAD_ARTIFACTS put something there. */
function uploaded(build: Build): boolean {
  return !!build.phases?.some((p) => p.phaseType === 'UPLOAD_ARTIFACTS' && p.phaseStatus === 'SUCCEEDED');
}
