import { createReadStream } from 'node:fs';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ClientSettings } from './client-options';

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

export function s3SourceStore(settings: ClientSettings): SourceStore {
  const client = new S3Client({
    ...(settings.region && { region: settings.region }),
    ...(settings.credentials && { credentials: settings.credentials }),
    forcePathStyle: !!settings.s3PathStyle,
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
