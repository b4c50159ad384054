import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseCredentials } from '../../../src/frontdoor/oidc';
import { bitbucketPipe } from '../../platforms/bitbucket-pipe';

describe('chooseCredentials', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'creds-test-'));

  test('OIDC role + step token: web identity from a 0600 token file; static keys ignored', () => {
    const choice = chooseCredentials(
      bitbucketPipe({
        form: 'docker',
        variables: { AWS_OIDC_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci', AWS_ACCESS_KEY_ID: 'AKIA' },
        // `oidc: true` on the step: Bitbucket sets the step's token.
        bitbucket: { BITBUCKET_STEP_OIDC_TOKEN: 'eyJ.token', BITBUCKET_BUILD_NUMBER: '7' },
      }).env,
      tmp,
    );
    expect(choice.provider).toBeInstanceOf(Function);
    expect(choice.warning).toBeUndefined();
    expect(readFileSync(choice.tokenFile!, 'utf8')).toBe('eyJ.token');
    expect(statSync(choice.tokenFile!).mode & 0o777).toBe(0o600);
    expect(choice.description).toContain('arn:aws:iam::123456789012:role/ci');
  });

  test('role without token: a warning naming oidc: true, then the default chain', () => {
    const choice = chooseCredentials(bitbucketPipe({ form: 'docker', variables: { AWS_OIDC_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci' } }).env, tmp);
    expect(choice.provider).toBeUndefined();
    expect(choice.warning).toContain('oidc: true');
  });

  test('nothing set: the default chain, silently', () => {
    expect(chooseCredentials({}, tmp)).toEqual({ description: 'the default AWS credential chain' });
  });
});
