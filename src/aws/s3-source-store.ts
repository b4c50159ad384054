import { createReadStream } from 'node:fs';
import { AbortMultipartUploadCommand, DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
}

export interface UploadOptions {
  readonly onProgress?: (p: UploadProgress) => void;
  /** Stops the upload and removes the parts already stored. */
  readonly signal?: AbortSignal;
  /** Told when the parts of a stopped upload could not be removed. */
  readonly warn?: (message: string) => void;
}

/** Where the source zip goes: S3, multipart for large archives. */
export interface SourceStore {
  /** Returns the object's version id, in a versioned bucket. */
  upload(bucket: string, key: string, path: string, bytes: number, options?: UploadOptions): Promise<{ versionId?: string }>;
  remove(bucket: string, key: string, signal?: AbortSignal): Promise<void>;
}

const PART_SIZE = 8 * 1024 * 1024;
/** A cancel must leave time for the rest of the stop (StopBuild, Slack) inside the CI's window. */
const ABORT_DEADLINE_MS = 2_000;

export function s3SourceStore(client: S3Client): SourceStore {
  const uploadIds = recordMultipartUploads(client);
  return {
    async upload(bucket, key, path, bytes, { onProgress, signal, warn } = {}) {
      signal?.throwIfAborted();
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: key, Body: createReadStream(path), ContentType: 'application/zip', ContentLength: bytes },
        partSize: PART_SIZE,
        queueSize: 4,
        leavePartsOnError: false,
      });
      upload.on('httpUploadProgress', (p) => onProgress?.({ loaded: p.loaded ?? 0, total: p.total ?? bytes }));
      const abort = () => void upload.abort();
      signal?.addEventListener('abort', abort, { once: true });
      try {
        const done = await upload.done();
        return { ...(done.VersionId && { versionId: done.VersionId }) };
      } catch (error) {
        if (!signal?.aborted) throw error;
        // lib-storage sends AbortMultipartUpload only after the parts in flight finish, without
        // waiting for it: a process that exits then leaves the parts stored (and billed).
        const failed = await abortMultipart(client, bucket, key, uploadIds.get(key));
        if (failed)
          warn?.(`Could not abort the multipart upload of s3://${bucket}/${key} (${failed}); its parts stay in S3 until a lifecycle rule removes them.`);
        throw signal.reason;
      } finally {
        signal?.removeEventListener('abort', abort);
      }
    },
    async remove(bucket, key, signal) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    },
  };
}

/** The UploadId of each key's multipart upload, as CreateMultipartUpload answers (pending while it is in flight). */
function recordMultipartUploads(client: S3Client): Map<string, Promise<string | undefined>> {
  const ids = new Map<string, Promise<string | undefined>>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'CreateMultipartUploadCommand') return next(args);
      const result = next(args);
      const key = String((args.input as { Key?: string }).Key);
      ids.set(
        key,
        result.then((r) => (r.output as { UploadId?: string }).UploadId).catch(() => undefined),
      );
      return result;
    },
    { step: 'initialize', name: 'codebuildRunRecordMultipartUploads' },
  );
  return ids;
}

/** Abort the key's multipart upload, if one was created; returns why it failed, if it did. */
async function abortMultipart(client: S3Client, bucket: string, key: string, pending: Promise<string | undefined> | undefined): Promise<string | undefined> {
  if (!pending) return undefined; // a single PutObject: nothing stored to remove
  const deadline = AbortSignal.timeout(ABORT_DEADLINE_MS);
  const uploadId = await Promise.race([pending, new Promise<undefined>((r) => deadline.addEventListener('abort', () => r(undefined)))]);
  if (!uploadId) return 'its id never came back';
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }), { abortSignal: deadline });
    return undefined;
  } catch (error) {
    const name = (error as Error).name;
    // lib-storage may have aborted it first: that is the outcome we want.
    return name === 'NoSuchUpload' ? undefined : `${name}: ${(error as Error).message}`;
  }
}
