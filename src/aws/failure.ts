import { errorName } from './errors';
import { foreignAnswerOf } from './foreign-body';
import { operationOf } from './retry';

/** What to check for an error, by its name, from what the run knows of itself (its project, its pipeline). */
export type FailureHints = (errorName: string) => string | undefined;

/** Hints any call can earn, whatever the run. */
const COMMON: Readonly<Record<string, string>> = {
  AccessDeniedException: "the credentials lack this permission: see the README's IAM permissions for the feature in use",
  CredentialsProviderError: 'no AWS credentials were found (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or a role)',
};

/** One clear line for an AWS or runtime failure: the call, what it got, and a hint where we can give one. */
export function describeFailure(error: unknown, hints?: FailureHints): string {
  const operation = operationOf(error);
  const call = operation ? `${operation}: ` : '';
  const foreign = foreignAnswerOf(error);
  if (foreign) {
    const type = foreign.contentType ? ` ${foreign.contentType}` : '';
    return `${call}HTTP ${foreign.status ?? '?'} with a${type} body that is not an AWS answer (a proxy, a gateway or an emulator between here and AWS?): ${foreign.snippet}`;
  }
  const name = errorName(error);
  const message = (error as Error)?.message ?? String(error);
  const hint = hints?.(name) ?? COMMON[name];
  return `${call}${name}: ${message}${hint ? ` (${hint})` : ''}`;
}
