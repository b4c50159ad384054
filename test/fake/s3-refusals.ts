import type { IncomingHttpHeaders } from 'node:http';

/** A bucket's own settings that make S3 refuse a request before it reads any object. */
export interface BucketRules {
  /** Buckets in another region than the fake's (bucket → region). */
  readonly regions?: Readonly<Record<string, string>>;
  /**
   * Requester Pays buckets of another account than the caller's: "Bucket owners do not need to add
   * x-amz-request-payer to their requests" (S3 user guide, "Downloading objects from Requester
   * Pays buckets"), so a bucket of the caller's own account is not listed here.
   */
  readonly requesterPays?: readonly string[];
}

export interface S3Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers: Record<string, string>;
  /** Extra elements of the <Error> document. */
  readonly extra: string;
}

/**
 * Regions launched after 20 March 2019 answer a request for a bucket elsewhere with HTTP 400
 * IllegalLocationConstraintException instead of the 301 redirect (S3 "Request redirection and the
 * REST API"; boto/boto3#2728); the SDK's own redirect middleware handles both, with the
 * x-amz-bucket-region header.
 */
const LATE_REGIONS = new Set([
  'af-south-1',
  'ap-east-1',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'eu-south-1',
  'eu-south-2',
  'me-south-1',
  'me-central-1',
]);

/**
 * What S3 answers a request signed for one region about a bucket in another: 301 PermanentRedirect
 * ("The bucket you are attempting to access must be addressed using the specified endpoint"), its
 * region in x-amz-bucket-region. SDK v3 throws it and does not follow it unless
 * followRegionRedirects is set (aws/aws-sdk-js-v3#1807, #5712). One endpoint serves every region
 * here, so the request's signing region (its SigV4 credential scope) stands for the endpoint it
 * was sent to. A Requester Pays bucket refuses, with 403, a request that does not accept the
 * charges (x-amz-request-payer: requester) ("Downloading objects from Requester Pays buckets").
 */
export function refusalOf(headers: IncomingHttpHeaders, bucket: string, rules: BucketRules): S3Refusal | undefined {
  const home = rules.regions?.[bucket];
  const signedFor = /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\//.exec(String(headers.authorization ?? ''))?.[1];
  if (home && signedFor && home !== signedFor) {
    const headers = { 'x-amz-bucket-region': home };
    if (LATE_REGIONS.has(home)) {
      const message = `The ${home} location constraint is incompatible for the region specific endpoint this request was sent to.`;
      return { status: 400, code: 'IllegalLocationConstraintException', message, headers, extra: '' };
    }
    const message = 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.';
    return {
      status: 301,
      code: 'PermanentRedirect',
      message,
      headers,
      extra: `<Bucket>${bucket}</Bucket><Endpoint>${bucket}.s3.${home}.amazonaws.com</Endpoint>`,
    };
  }
  if (rules.requesterPays?.includes(bucket) && headers['x-amz-request-payer'] !== 'requester') {
    return { status: 403, code: 'AccessDenied', message: 'Access Denied', headers: {}, extra: '' };
  }
  return undefined;
}
