import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type GetObjectCommandOutput, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { errorName } from './errors';

export interface StoredObject {
  readonly key: string;
  readonly size: number;
}

export interface Downloaded {
  readonly bytes: number;
  readonly sha256: string;
  /** The object starts as a ZIP archive does ("PK\x03\x04", or an empty archive's "PK\x05\x06"). */
  readonly looksZip: boolean;
}

export interface DownloadOptions {
  readonly signal?: AbortSignal;
  /** Bytes written so far, and the object's size. */
  readonly onBytes?: (written: number, total: number) => void;
}

/** Where the build's artifacts are read from. Failures come as ArtifactAccessError. */
export interface ArtifactStore {
  /** Every object under `prefix/` (ListObjectsV2, page after page). */
  list(bucket: string, prefix: string, signal?: AbortSignal): AsyncGenerator<StoredObject>;
  /** The object streamed into the file at `path`: memory stays bounded whatever its size. Undefined when S3 has no such object. */
  download(bucket: string, key: string, path: string, options?: DownloadOptions): Promise<Downloaded | undefined>;
}

/** S3 refused: `permission` names the IAM action (and resource) the credentials need. */
export class ArtifactAccessError extends Error {
  constructor(
    message: string,
    readonly permission: string,
  ) {
    super(message);
    this.name = 'ArtifactAccessError';
  }
}

export function s3ArtifactStore(client: S3Client): ArtifactStore {
  return {
    async *list(bucket, prefix, signal) {
      // The trailing slash: "name" must not also match "name-2/…".
      const pages = paginateListObjectsV2({ client, pageSize: 1000 }, { Bucket: bucket, Prefix: `${prefix}/` }, { abortSignal: signal });
      try {
        for await (const page of pages) for (const o of page.Contents ?? []) if (o.Key) yield { key: o.Key, size: o.Size ?? 0 };
      } catch (error) {
        throw refused(error, `list s3://${bucket}/${prefix}/`, `s3:ListBucket on arn:aws:s3:::${bucket}`);
      }
    },
    async download(bucket, key, path, { signal, onBytes } = {}) {
      let answer: GetObjectCommandOutput;
      try {
        answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      } catch (error) {
        if (['NoSuchKey', 'NotFound'].includes(errorName(error))) return undefined;
        throw refused(error, `download s3://${bucket}/${key}`, `s3:GetObject on arn:aws:s3:::${bucket}/${key}`);
      }
      const total = answer.ContentLength ?? 0;
      const hash = createHash('sha256');
      let written = 0;
      let head = Buffer.alloc(0);
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          if (head.length < 4) head = Buffer.concat([head, chunk.subarray(0, 4 - head.length)]);
          written += chunk.length;
          onBytes?.(written, total);
          done(null, chunk);
        },
      });
      await pipeline(answer.Body as Readable, count, createWriteStream(path), { signal });
      const magic = head.toString('latin1');
      return { bytes: written, sha256: hash.digest('hex'), looksZip: magic === 'PK\x03\x04' || magic === 'PK\x05\x06' };
    },
  };
}

/**
 * S3's 403 does not say which permission failed: a missing s3:GetObject or s3:ListBucket, a KMS
 * key the credentials cannot use (still "AccessDenied", sometimes with "ciphertext"/"KMS" in the
 * message), or a missing key without s3:ListBucket. Name the likeliest and the alternatives.
 */
function refused(error: unknown, what: string, permission: string): Error {
  const name = errorName(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const message = (error as Error).message ?? String(error);
  if (name === 'AccessDenied' || status === 403) {
    const kms = /kms|ciphertext/i.test(message);
    return new ArtifactAccessError(
      `Could not ${what}: access denied (${message})`,
      kms ? `kms:Decrypt on the artifacts' KMS key (and ${permission})` : permission,
    );
  }
  if (name === 'NoSuchBucket') return new ArtifactAccessError(`Could not ${what}: the bucket does not exist (${message})`, permission);
  return error instanceof Error ? error : new Error(String(error));
}
