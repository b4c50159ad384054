import { S3Client } from '@aws-sdk/client-s3';
import { type ClientSettings, sdkOptions } from './client-options';
import { keepForeignBodies } from './foreign-body';

/** One S3 client for the uploads and the downloads. */
export function s3Client(settings: ClientSettings): S3Client {
  const { requestHandler } = sdkOptions(settings);
  const client = new S3Client({
    ...(settings.region && { region: settings.region }),
    ...(settings.credentials && { credentials: settings.credentials }),
    // Timeouts as for the other clients (the request timeout is the socket's idle time, so a long
    // download is not cut); the SDK's own retries stay: transfers are not polled.
    requestHandler,
    // The SDK's standard retries, as for the other clients, whatever AWS_RETRY_MODE says.
    retryMode: 'standard',
    forcePathStyle: !!settings.s3PathStyle,
    // Checksums only where S3 requires them: plain bodies work with S3-compatible stores too.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  // A proxy's HTML error page would otherwise read "UnknownError", with nothing to go on.
  keepForeignBodies(client as never, 'xml');
  return client;
}
