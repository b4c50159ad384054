import type { AwsCredentialIdentityProvider, HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';

/** How every AWS client of the process is set up; the front door decides credentials and tuning. */
export interface ClientSettings {
  readonly region?: string;
  readonly credentials?: AwsCredentialIdentityProvider;
  /** Per request; a stalled connection must not hang the step. Default 20 s. */
  readonly requestTimeoutMs?: number;
  /** A custom S3 endpoint (MinIO, LocalStack, a test fake) rarely has bucket subdomains. */
  readonly s3PathStyle?: boolean;
  /**
   * A seam for the in-process test tier: the SDK's transport, replaced so the real clients
   * (serialisation, errors, our retries) talk to the fake services without sockets. Never set by
   * the tool itself.
   */
  readonly transport?: RequestHandler<HttpRequest, HttpResponse>;
}

export function sdkOptions(settings: ClientSettings) {
  return {
    ...(settings.region && { region: settings.region }),
    ...(settings.credentials && { credentials: settings.credentials }),
    // One retry policy, ours (p-retry, full jitter, shared throttle feedback), not two stacked.
    maxAttempts: 1,
    // AWS_RETRY_MODE=adaptive would add the SDK's own rate limiter, which delays even first
    // attempts, unabortably, per client: a second pacer beside ours.
    retryMode: 'standard',
    // Without throwOnRequestTimeout, smithy only logs a warning and keeps waiting.
    requestHandler: settings.transport ?? {
      connectionTimeout: 5_000,
      requestTimeout: settings.requestTimeoutMs ?? 20_000,
      throwOnRequestTimeout: true,
    },
  };
}
