/** What download-artifacts brings back, whatever kind of run left it: a plan of S3 objects. */

export interface S3Object {
  readonly bucket: string;
  /** The object's key (ZIP), or the "folder" prefix without its trailing slash (NONE); '' is the bucket's root. */
  readonly key: string;
  /**
   * The bucket's region, when the run says (a cross-region pipeline action's artifact store):
   * S3 answers a request sent to another region with a redirect that SDK v3 does not follow.
   */
  readonly region?: string;
}

/** When the run wrote its objects (ms): the phase that uploaded them. */
export interface WriteWindow {
  readonly from: number;
  readonly to: number;
  /** The phase, for messages: "UPLOAD_ARTIFACTS phase", "COMBINE_ARTIFACTS phase". */
  readonly phase: string;
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
  /** The checksums the run reported (ZIP only): what arrives must match. */
  readonly sha256?: string;
  readonly md5?: string;
  /** When the run wrote it: objects under a shared prefix written at other times are another build's. */
  readonly written?: WriteWindow;
  /** Its location holds the run's own id (namespaceType BUILD_ID): what is under it is the run's, whenever written. */
  readonly ownsPrefix?: boolean;
  /** overrideArtifactName: the buildspec named it at build time, so the location's last segment may not be its name. */
  readonly nameFromBuildspec?: boolean;
  /** The KMS key the run (or the pipeline's artifact store) encrypts with, for the hint when S3 denies the download. */
  readonly encryptionKey?: string;
  /** BuildArtifacts.bucketOwnerAccess (absent: NONE, the default), for the hint when S3 denies the download. */
  readonly bucketOwnerAccess?: string;
}

export interface ArtifactPlan {
  readonly fetch: readonly ArtifactToFetch[];
  /** Why some artifacts are not fetched, one line each. */
  readonly nothing: readonly string[];
}

/** `arn:<partition>:s3:::bucket/key` → bucket and key (the key may hold ':' and '/'; '' for the root). */
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
