import type { ArtifactToFetch } from '../domain/artifacts';

/** What S3 refused, as the store reports it. */
export interface Refusal {
  readonly message: string;
  /** The IAM action (and resource) the request needed. */
  readonly permission: string;
  /** A 403, whose cause S3 does not say (rather than a missing bucket). */
  readonly denied: boolean;
  /** S3's message names KMS: the key, not S3, refused. */
  readonly kms: boolean;
}

/** The AWS managed aws/s3 key needs no grant of its own; a customer managed key does. */
const customerKey = (key: string | undefined) => (key && !key.endsWith('alias/aws/s3') ? key : undefined);

/**
 * The permission first, then the other documented causes of a 403 that can apply: S3's answer
 * never says which. A customer managed KMS key (the project's, or the pipeline artifact store's
 * ArtifactStore.encryptionKey: "If this is undefined, the default key for Amazon S3 is used");
 * bucketOwnerAccess NONE, the default ("only the account that uploads the objects to the bucket
 * has access to these objects", BuildArtifacts), when the project is in another account than the
 * bucket; a key that is not there, which S3 answers with 403 when the credentials lack
 * s3:ListBucket (GetObject API reference, "Permissions"); another account's Requester Pays bucket,
 * which answers 403 to a request without x-amz-request-payer ("Downloading objects from Requester
 * Pays buckets"; its owner's own requests need no header).
 */
export function accessProblem(what: string, artifact: ArtifactToFetch, refusal: Refusal): string {
  const key = customerKey(artifact.encryptionKey);
  const need = refusal.kms
    ? `kms:Decrypt on ${key ?? "the artifacts' KMS key"} (and ${refusal.permission})`
    : `${refusal.permission}${key ? `; it is encrypted with ${key}: also kms:Decrypt on that key` : ''}`;
  const others = refusal.denied ? otherCauses(artifact, refusal) : [];
  const more = others.length ? ` S3 does not say why it refused; also possible: ${others.join('; ')}.` : '';
  return `${what}: ${refusal.message}. The credentials need ${need}.${more}`;
}

function otherCauses(artifact: ArtifactToFetch, refusal: Refusal): string[] {
  const causes: string[] = [];
  if (artifact.bucketOwnerAccess === 'NONE') {
    causes.push(
      "if the build's project is in another account than the bucket, and the bucket's Object Ownership is not 'bucket owner enforced' (the default since 2023), artifacts with bucketOwnerAccess NONE (the default) are unreadable to the bucket's account: set it to READ_ONLY or FULL",
    );
  }
  // GetObject reference, "Permissions": without s3:ListBucket, a key that is not there is a 403.
  if (refusal.permission.startsWith('s3:GetObject')) {
    causes.push(
      'the object is not there (expired by a lifecycle rule, removed, or never written): without s3:ListBucket on the bucket, S3 answers a missing key with 403, not 404',
    );
  }
  // Bucket owners need no x-amz-request-payer ("Downloading objects from Requester Pays buckets").
  causes.push(
    "the bucket is another account's and Requester Pays, which refuses requests that do not accept the charges (x-amz-request-payer), as this download does not",
  );
  return causes;
}
