import type { ArtifactToFetch } from '../domain/artifacts';

/**
 * What arrived must be what the run uploaded (BuildArtifacts.sha256sum and md5sum: "You can use
 * this hash along with a checksum tool to confirm file integrity and authenticity"). A mismatch
 * is another build's file: the default namespaceType NONE gives every build of the project the
 * same key, so a later build overwrites it. Returns the problem, naming both hashes.
 */
export function checksumProblem(artifact: ArtifactToFetch, url: string, got: { readonly sha256: string; readonly md5: string }): string | undefined {
  const [kind, reported, actual] = artifact.sha256 ? ['SHA-256', artifact.sha256, got.sha256] : ['MD5', artifact.md5, got.md5];
  if (!reported || reported.toLowerCase() === actual) return undefined;
  return `${url} is not the file it uploaded: its ${kind} is ${actual}, the build reported ${reported}. Most likely a later build wrote the same key (with namespaceType NONE every build of the project does): set the project's artifacts namespaceType to BUILD_ID`;
}
