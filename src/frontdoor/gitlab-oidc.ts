import { tmpdir } from 'node:os';
import { DEFAULT_CHAIN } from './aws-tuning';
import type { Env } from './frontdoor';
import { type CredentialChoice, ignoredKeys, webIdentity } from './oidc';

export interface GitLabCredentials extends CredentialChoice {
  /** What keeps OIDC from working: a settings error, before any call. */
  readonly problems?: readonly string[];
}

/**
 * The role a GitLab job names: AWS_OIDC_ROLE_ARN (as on Bitbucket), or AWS_ROLE_ARN (the SDK's
 * name, which GitLab users paste from AWS examples) when no AWS_WEB_IDENTITY_TOKEN_FILE says the
 * SDK's own web identity is meant.
 */
function roleOf(env: Env): { roleArn: string; variable: string } | undefined {
  const oidc = env.AWS_OIDC_ROLE_ARN?.trim();
  if (oidc) return { roleArn: oidc, variable: 'AWS_OIDC_ROLE_ARN' };
  const sdk = env.AWS_ROLE_ARN?.trim();
  if (sdk && !env.AWS_WEB_IDENTITY_TOKEN_FILE) return { roleArn: sdk, variable: 'AWS_ROLE_ARN' };
  return undefined;
}

/**
 * GitLab OIDC: `id_tokens:` puts a signed JWT in the variable the job names (GitLab's docs call
 * it GITLAB_OIDC_TOKEN); with a role it is assumed by web identity and static keys are ignored.
 * A role without a token is a settings problem, said before any call, with the `id_tokens:` to add.
 */
export function gitlabCredentials(env: Env, tokenVariable: string, tmp = tmpdir()): GitLabCredentials {
  const role = roleOf(env);
  if (!role) return { description: DEFAULT_CHAIN };
  const token = env[tokenVariable]?.trim();
  if (!token) {
    return {
      description: DEFAULT_CHAIN,
      problems: [
        `${role.variable} is set but the job has no ID token in ${tokenVariable}: add \`id_tokens: { ${tokenVariable}: { aud: sts.amazonaws.com } }\` to the job (the audience your IAM OIDC identity provider lists), or set OIDC_TOKEN_VARIABLE to the name your id_tokens: uses`,
      ],
    };
  }
  const warning = ignoredKeys(env, role.variable);
  return { ...webIdentity(role.roleArn, token, `codebuild-run-${env.CI_JOB_ID ?? Date.now()}`, tmp), ...(warning && { warning }) };
}
