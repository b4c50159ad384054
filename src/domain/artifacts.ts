/** What download-artifacts brings back, whatever kind of run left it: a plan of S3 objects. */

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
  /** A ZIP to extract; otherwise the objects under the location are copied (NONE packaging). */
  readonly zip: boolean;
  readonly sha256?: string;
  /** The KMS key the run encrypts with, for the hint when S3 denies the download. */
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

/** Plans side by side: one download of all of them. */
export function combinePlans(plans: readonly ArtifactPlan[]): ArtifactPlan {
  return { fetch: plans.flatMap((p) => p.fetch), nothing: plans.flatMap((p) => p.nothing) };
}

/** `a/b`, or whichever is not empty. */
export const joinDir = (a: string, b: string) => (a && b ? `${a}/${b}` : a || b);
