import type { ClientSettings } from '../aws/client-options';
import type { Env } from './frontdoor';

/**
 * Client settings every CI shares. The SDK reads AWS_* itself (keys, region, endpoints); here only
 * what it cannot decide: the request timeout, and path-style S3 addressing for a custom endpoint
 * (MinIO, LocalStack, the tests' fake), which the SDK does not switch on by itself.
 */
export function clientTuning(env: Env): Omit<ClientSettings, 'region' | 'credentials'> {
  const tuned = Number(env.CODEBUILD_RUN_REQUEST_TIMEOUT_MS);
  return {
    ...(Number.isFinite(tuned) && tuned > 0 && { requestTimeoutMs: tuned }),
    s3PathStyle: !!(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL),
  };
}

export const DEFAULT_CHAIN = 'the default AWS credential chain';
