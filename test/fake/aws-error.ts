/** What the fake's JSON 1.1 services share: the account, the region, and how an error answers. */
export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

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
