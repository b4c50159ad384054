import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type GetObjectCommandOutput, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { errorName } from './errors';

export interface StoredObject {
  readonly key: string;
  readonly size: number;
  /** When it was written (S3 lists it to the second; a multipart upload's is when it began). */
  readonly lastModified?: Date;
}

export interface Downloaded {
  readonly bytes: number;
  readonly sha256: string;
  readonly md5: string;
  /** The object starts as a ZIP archive does ("PK\x03\x04", or an empty archive's "PK\x05\x06"). */
  readonly looksZip: boolean;
}

export interface StoreOptions {
  readonly signal?: AbortSignal;
  /** The bucket's region, when known; otherwise the client's, or the one S3 names when it redirects. */
  readonly region?: string;
}

export interface DownloadOptions extends StoreOptions {
  /** Bytes written so far, and the object's size. */
  readonly onBytes?: (written: number, total: number) => void;
}

/** Where the runs' artifacts are read from. Failures come as ArtifactAccessError or ArtifactRegionError. */
export interface ArtifactStore {
  /** Every object under `folder/` ('' lists the whole bucket), page after page. */
  list(bucket: string, folder: string, options?: StoreOptions): AsyncGenerator<StoredObject>;
  /** The object streamed into the file at `path`: memory stays bounded whatever its size. Undefined when S3 has no such object. */
  download(bucket: string, key: string, path: string, options?: DownloadOptions): Promise<Downloaded | undefined>;
}

/** S3 refused: `permission` names the IAM action (and resource) the credentials need. */
export class ArtifactAccessError extends Error {
  constructor(
    message: string,
    readonly permission: string,
    /** A 403 (rather than a missing bucket): S3 does not say which of the documented causes. */
    readonly denied = false,
    /** S3's message names KMS: the key refused, not S3. */
    readonly kms = false,
  ) {
    super(message);
    this.name = 'ArtifactAccessError';
  }
}

/** The bucket is in another region than the request went to, and S3 did not say which, or still refused there. */
export class ArtifactRegionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArtifactRegionError';
  }
}

/**
 * `clientIn` makes a client for another region. A bucket in another region answers 301
 * PermanentRedirect (400 IllegalLocationConstraintException from regions opened since 2019) with
 * its region in x-amz-bucket-region; SDK v3 throws it rather than follow it (aws-sdk-js-v3#1807;
 * its opt-in followRegionRedirects swaps the region of a client shared by concurrent requests,
 * #5554). So each request goes to the region the run names, or is sent once more to the one S3
 * names, which is then used for the rest of that bucket's objects and pages.
 */
export function s3ArtifactStore(client: S3Client, clientIn: (region: string) => S3Client = () => client): ArtifactStore {
  const learnt = new Map<string, string>();
  const clients = new Map<string, S3Client>();
  const home = () => client.config.region();
  const pick = async (region: string) => (region === (await home()) ? client : (clients.get(region) ?? clients.set(region, clientIn(region)).get(region)!));

  /**
   * `call` in the bucket's region (what S3 said, else what the run said, else the client's), once
   * more in the one S3 names if it redirects. Failures come as the store's errors, naming the
   * region when it is not the client's.
   */
  async function inRegion<T>(bucket: string, given: string | undefined, ask: Ask, call: (c: S3Client) => Promise<T>): Promise<T> {
    const first = learnt.get(bucket) ?? given ?? (await home());
    const fail = async (error: unknown, region: string) => refused(error, ask, region, region === (await home()));
    try {
      return await call(await pick(first));
    } catch (error) {
      const named = redirectedTo(error);
      if (!named || named === first) throw await fail(error, first);
      learnt.set(bucket, named);
      return call(await pick(named)).catch(async (again) => {
        throw await fail(again, named);
      });
    }
  }

  return {
    async *list(bucket, folder, { signal, region } = {}) {
      // The trailing slash: "name" must not also match "name-2/…".
      const prefix = folder ? `${folder}/` : '';
      const ask = { what: `list s3://${bucket}/${prefix}`, permission: `s3:ListBucket on arn:aws:s3:::${bucket}` };
      let token: string | undefined;
      do {
        const input = { Bucket: bucket, Prefix: prefix, MaxKeys: 1000, ...(token && { ContinuationToken: token }) };
        const page = await inRegion(bucket, region, ask, (c) => c.send(new ListObjectsV2Command(input), { abortSignal: signal }));
        yield* objectsOf(page.Contents);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
    async download(bucket, key, path, { signal, onBytes, region } = {}) {
      // An empty key would be a request for the bucket itself (a listing), never an artifact.
      if (!key) throw new Error(`no object key for s3://${bucket}/`);
      const ask = { what: `download s3://${bucket}/${key}`, permission: `s3:GetObject on arn:aws:s3:::${bucket}/${key}` };
      let answer: GetObjectCommandOutput;
      try {
        answer = await inRegion(bucket, region, ask, (c) => c.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal }));
      } catch (error) {
        if (['NoSuchKey', 'NotFound'].includes(errorName(error))) return undefined;
        throw error;
      }
      return written(answer, path, signal, onBytes);
    },
  };
}

/** What was asked, for messages: "download s3://b/k", and the permission it needs. */
interface Ask {
  readonly what: string;
  readonly permission: string;
}

function* objectsOf(contents: readonly { Key?: string; Size?: number; LastModified?: Date }[] | undefined): Generator<StoredObject> {
  for (const o of contents ?? []) if (o.Key) yield { key: o.Key, size: o.Size ?? 0, ...(o.LastModified && { lastModified: o.LastModified }) };
}

/** The body into the file, hashed (SHA-256 and MD5, the two CodeBuild reports) and sniffed as it goes. */
async function written(answer: GetObjectCommandOutput, path: string, signal?: AbortSignal, onBytes?: DownloadOptions['onBytes']): Promise<Downloaded> {
  const total = answer.ContentLength ?? 0;
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let count = 0;
  let head = Buffer.alloc(0);
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sha256.update(chunk);
      md5.update(chunk);
      if (head.length < 4) head = Buffer.concat([head, chunk.subarray(0, 4 - head.length)]);
      count += chunk.length;
      onBytes?.(count, total);
      done(null, chunk);
    },
  });
  await pipeline(answer.Body as Readable, tap, createWriteStream(path), { signal });
  const magic = head.toString('latin1');
  return { bytes: count, sha256: sha256.digest('hex'), md5: md5.digest('hex'), looksZip: magic === 'PK\x03\x04' || magic === 'PK\x05\x06' };
}

type Answered = { $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } };
const redirectedTo = (error: unknown) => (error as Answered).$response?.headers?.['x-amz-bucket-region'];
const isRedirect = (error: unknown) =>
  (error as Answered).$metadata?.httpStatusCode === 301 ||
  ['PermanentRedirect', 'IllegalLocationConstraintException', 'AuthorizationHeaderMalformed'].includes(errorName(error));

/**
 * S3's 403 does not say which permission failed: a missing s3:GetObject or s3:ListBucket, a KMS
 * key the credentials cannot use (still "AccessDenied", sometimes with "ciphertext"/"KMS" in the
 * message), or a missing key without s3:ListBucket. Say what was asked; the step names the causes.
 */
function refused(error: unknown, { what: asked, permission }: Ask, region: string, home: boolean): Error {
  const what = home ? asked : `${asked} in ${region}`;
  const name = errorName(error);
  const status = (error as Answered).$metadata?.httpStatusCode;
  const message = (error as Error).message ?? String(error);
  if (name === 'AccessDenied' || status === 403)
    return new ArtifactAccessError(`Could not ${what}: access denied (${message})`, permission, true, /kms|ciphertext/i.test(message));
  if (name === 'NoSuchBucket') return new ArtifactAccessError(`Could not ${what}: the bucket does not exist (${message})`, permission);
  if (isRedirect(error))
    return new ArtifactRegionError(`Could not ${what}: the bucket is not in ${region}, and S3 did not say where it is (${name}: ${message})`);
  return error instanceof Error ? error : new Error(String(error));
}
