import { S3Client } from '@aws-sdk/client-s3';
import { type ClientSettings, sdkOptions } from './client-options';

/** One S3 client for the uploads and the downloads. */
export function s3Client(settings: ClientSettings): S3Client {
  const { requestHandler } = sdkOptions(settings);
  return new S3Client({
    ...(settings.region && { region: settings.region }),
    ...(settings.credentials && { credentials: settings.credentials }),
    // Timeouts as for the other clients (the request timeout is the socket's idle time, so a long
    // download is not cut); the SDK's own retries stay: transfers are not polled.
    requestHandler,
    forcePathStyle: !!settings.s3PathStyle,
    // Checksums only where S3 requires them: plain bodies work with S3-compatible stores too.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
