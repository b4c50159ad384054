/** Final statuses retry-on may name. FAILED is usually the code's fault, so it is never implied. */
export const RETRYABLE_STATUSES = ['FAULT', 'TIMED_OUT', 'STOPPED', 'FAILED'] as const;
export type RetryableStatus = (typeof RETRYABLE_STATUSES)[number];

export interface RetryRules {
  readonly retryOn: readonly RetryableStatus[];
  readonly maxRetries: number;
}

/** Whether a run that ended `status` is started again, after `used` retries of our own. */
export function shouldRetry(rules: RetryRules, status: string | undefined, used: number): boolean {
  return !!status && (rules.retryOn as readonly string[]).includes(status) && used < rules.maxRetries;
}
