import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';

export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
}

/** Where the source zip goes: S3, multipart for large archives. */
export interface SourceStore {
  upload(bucket: string, key: string, path: string, bytes: number, onProgress?: (p: UploadProgress) => void): Promise<void>;
  remove(bucket: string, key: string): Promise<void>;
}

const PART_SIZE = 8 * 1024 * 1024;

export function s3SourceStore(options: { region?: string; credentials?: S3Client['config']['credentials'] }): SourceStore {
  const client = new S3Client({
    ...(options.region && { region: options.region }),
    ...(options.credentials && { credentials: options.credentials }),
    // A custom endpoint (AWS_ENDPOINT_URL: LocalStack, MinIO, the tests' fake) rarely has
    // bucket subdomains.
    forcePathStyle: !!process.env.AWS_ENDPOINT_URL,
    // Checksums only where S3 requires them: plain bodies work with S3-compatible stores too.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return {
    async upload(bucket, key, path, bytes, onProgress) {
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: key, Body: createReadStream(path), ContentType: 'application/zip', ContentLength: bytes },
        partSize: PART_SIZE,
        queueSize: 4,
        leavePartsOnError: false,
      });
      upload.on('httpUploadProgress', (p) => onProgress?.({ loaded: p.loaded ?? 0, total: p.total ?? bytes }));
      await upload.done();
    },
    async remove(bucket, key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}

/** `prefix/codebuild-run/<commit or time>-<random>.zip`: unique per run, findable by commit. */
export function sourceKey(prefix: string, commit: string | undefined, now: Date, random: string): string {
  const stamp = commit?.slice(0, 12) ?? now.toISOString().replace(/[-:.]/g, '');
  return [prefix, 'codebuild-run', `${stamp}-${random}.zip`].filter(Boolean).join('/');
}
