import { errorName } from './errors';

/** What the user asked for, so a failure can say what to check. */
export interface FailureContext {
  readonly buildId?: string;
  readonly projectName?: string;
}

/** One clear line for an AWS or runtime failure, with a hint where we can give one. */
export function describeFailure(error: unknown, context: FailureContext): string {
  const name = errorName(error);
  const message = (error as Error)?.message ?? String(error);
  const hints: Record<string, string> = {
    ResourceNotFoundException: context.buildId
      ? 'check build-id and the region'
      : `check that project '${context.projectName}' exists in this account and region`,
    AccessDeniedException: 'the credentials need codebuild:StartBuild, codebuild:BatchGetBuilds, codebuild:StopBuild and logs:GetLogEvents',
    CredentialsProviderError: 'no AWS credentials were found (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or a role)',
  };
  const hint = hints[name] ? ` (${hints[name]})` : '';
  return `${name}: ${message}${hint}`;
}
