/** How an AWS call failed decides what we do next: back off, retry, or stop. */
export type FailureKind = 'throttle' | 'transient' | 'permanent';

// Matched by error name, never by message text: messages change, names are the API contract.
const THROTTLE = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);
const TRANSIENT = new Set([
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  // CodePipeline's Start/StopPipelineExecution: "the pipeline is busy handling ongoing
  // activities. Try again later" (API reference, ConflictException).
  'ConflictException',
]);
// Local failures that no retry can fix (credentials missing, request invalid).
const PERMANENT = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ValidationException',
  'InvalidInputException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ResourceNotFoundException',
  // Static session credentials that ran out: retrying cannot renew them.
  'ExpiredTokenException',
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
]);

interface AwsLikeError {
  name?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; clockSkewCorrected?: boolean };
  $retryable?: { throttling?: boolean };
}

export function classify(error: unknown): FailureKind {
  const e = (error ?? {}) as AwsLikeError;
  const status = e.$metadata?.httpStatusCode;
  // The SDK just corrected its clock from the answer's Date (a runner whose clock is minutes
  // off): the same call signed again goes through. With maxAttempts 1 it no longer retries itself.
  if (e.$metadata?.clockSkewCorrected) return 'transient';
  if (e.name && PERMANENT.has(e.name)) return 'permanent';
  if ((e.name && THROTTLE.has(e.name)) || e.$retryable?.throttling || status === 429) return 'throttle';
  if ((e.name && TRANSIENT.has(e.name)) || (status !== undefined && status >= 500)) return 'transient';
  if (e.code && NETWORK_CODES.has(e.code)) return 'transient';
  // Anything else without an answer from AWS (no region, a bug) will fail the same way again.
  return 'permanent';
}

export function errorName(error: unknown): string {
  return (error as AwsLikeError)?.name ?? 'Error';
}
