/** What the fake's JSON 1.1 services share: the account, the region, and how an error answers. */
export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

/** Where the fake's resources live: ARNs and console links follow the partition (aws, aws-cn, aws-us-gov). */
export interface Place {
  readonly partition: string;
  readonly region: string;
}

export const DEFAULT_PLACE: Place = { partition: 'aws', region: REGION };

export const arnOf = (place: Place, service: string, resource: string) => `arn:${place.partition}:${service}:${place.region}:${ACCOUNT}:${resource}`;

/** The console host for a partition (AWS's own domains for the China and GovCloud partitions). */
export function consoleHostOf(place: Place): string {
  const domain = { 'aws-cn': 'console.amazonaws.cn', 'aws-us-gov': 'console.amazonaws-us-gov.com' }[place.partition] ?? 'console.aws.amazon.com';
  return `https://${domain}`;
}

export type Json = Record<string, any>;

/** Answered as HTTP `status` with `{"__type": type, "message": …}`, as JSON 1.1 services do. */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
