import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromTokenFile } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

import { DEFAULT_CHAIN } from './aws-tuning';
import type { Env } from './frontdoor';

export interface CredentialChoice {
  /** undefined: the SDK's default chain (keys, profile, web identity, container/instance role). */
  readonly provider?: AwsCredentialIdentityProvider;
  readonly warning?: string;
  readonly description: string;
  /** Where the OIDC token was written, for tests and clean-up. */
  readonly tokenFile?: string;
}

/**
 * A CI's OIDC token exchanged for the role by web identity (AssumeRoleWithWebIdentity): the token
 * is written to a file only this user can read, which the SDK's token-file provider reads again
 * whenever it refreshes. Shared by the Bitbucket and GitLab doors.
 */
export function webIdentity(roleArn: string, token: string, sessionName: string, tmp = tmpdir()): CredentialChoice {
  const dir = mkdtempSync(join(tmp, 'codebuild-run-oidc-'));
  const tokenFile = join(dir, 'web-identity-token');
  writeFileSync(tokenFile, token, { mode: 0o600 });
  return {
    provider: fromTokenFile({ roleArn, webIdentityTokenFile: tokenFile, roleSessionName: sessionName }),
    description: `OIDC web identity, role ${roleArn}`,
    tokenFile,
  };
}

/** Static keys beside OIDC: the role wins, and the user hears that the keys do nothing. */
export function ignoredKeys(env: Env, roleVariable: string): string | undefined {
  return env.AWS_ACCESS_KEY_ID ? `${roleVariable} is set: using OIDC web identity; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are ignored.` : undefined;
}

/**
 * Bitbucket OIDC, the way Atlassian's AWS pipes do it: with `AWS_OIDC_ROLE_ARN` and the step's
 * `BITBUCKET_STEP_OIDC_TOKEN`, assume the role by web identity and ignore static keys.
 */
export function chooseCredentials(env: Env, tmp = tmpdir()): CredentialChoice {
  const roleArn = env.AWS_OIDC_ROLE_ARN?.trim();
  const token = env.BITBUCKET_STEP_OIDC_TOKEN?.trim();
  if (roleArn && token) return webIdentity(roleArn, token, `codebuild-run-${env.BITBUCKET_BUILD_NUMBER ?? Date.now()}`, tmp);
  if (roleArn) {
    return {
      warning: 'AWS_OIDC_ROLE_ARN is set but BITBUCKET_STEP_OIDC_TOKEN is not: add `oidc: true` to the step to use OIDC. Falling back to AWS keys.',
      description: DEFAULT_CHAIN,
    };
  }
  return { description: DEFAULT_CHAIN };
}
