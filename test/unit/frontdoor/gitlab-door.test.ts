import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/config';
import type { Env } from '../../../src/frontdoor/frontdoor';
import { gitlabCredentials } from '../../../src/frontdoor/gitlab-oidc';
import { openFrontDoor } from '../../../src/frontdoor/open-front-door';
import { gitlabJob } from '../../platforms/container-job';

const open = (env: Env) => openFrontDoor({ env, cwd: '/work', write: () => {}, isTty: false });
const ROLE = 'arn:aws:iam::123456789012:role/gitlab-codebuild';
/** What `id_tokens: GITLAB_OIDC_TOKEN: aud: sts.amazonaws.com` puts in the job: a signed JWT. */
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2dpdGxhYi5jb20iLCJzdWIiOiJwcm9qZWN0X3BhdGg6Z3JvdXAvYXBwIn0.c2ln';

describe('GitLab has its own front door', () => {
  test('chosen when GITLAB_CI is true (GitLab sets it in every job); not when false, as gitlab-ci-local sets it', () => {
    const job = gitlabJob({ PROJECT_NAME: 'app' }, { CI_MERGE_REQUEST_IID: '12', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature' });
    const door = open(job.env);
    expect(door.name).toBe('gitlab');
    expect(door.workdir).toBe(job.cwd);
    expect(door.ci).toEqual({
      ci: 'GitLab CI',
      runUrl: 'https://gitlab.example.com/group/app/-/jobs/5005',
      repository: 'group/app',
      commit: 'feedface00000000000000000000000000000000',
      branch: 'feature',
      triggeredBy: 'merge request !12',
    });
    expect(open({ ...job.env, GITLAB_CI: 'false' }).name).toBe('plain');
  });

  test('the result, the dotenv report and the JUnit file are on by default; empty turns one off; elsewhere they are off', () => {
    const load = (env: Env) => loadConfig(open(env).settings, open(env).defaults);
    expect(load(gitlabJob({ PROJECT_NAME: 'app' }).env)).toMatchObject({
      resultFile: 'codebuild-result.json',
      dotenvFile: 'codebuild.env',
      junitFile: 'codebuild-junit.xml',
      oidcTokenVariable: 'GITLAB_OIDC_TOKEN',
    });
    expect(load(gitlabJob({ PROJECT_NAME: 'app', DOTENV_FILE: '', JUNIT_FILE: 'out/junit.xml' }).env)).toMatchObject({ junitFile: 'out/junit.xml' });
    expect(load(gitlabJob({ PROJECT_NAME: 'app', DOTENV_FILE: '' }).env).dotenvFile).toBeUndefined();
    const plain = load({ PROJECT_NAME: 'app' });
    expect([plain.dotenvFile, plain.junitFile]).toEqual([undefined, undefined]);
    expect(() => load(gitlabJob({ PROJECT_NAME: 'app', OIDC_TOKEN_VARIABLE: 'MY-TOKEN' }).env)).toThrow(/OIDC_TOKEN_VARIABLE must be a variable name/);
  });
});

describe('GitLab OIDC: the job ID token, by web identity', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'cbr-gl-oidc-'));

  test('role + token: the token in a 0600 file for the SDK, the role assumed with it; static keys ignored, with a warning', () => {
    const env = gitlabJob({ AWS_OIDC_ROLE_ARN: ROLE, AWS_ACCESS_KEY_ID: 'AKIAOLD', AWS_SECRET_ACCESS_KEY: 'old' }, { GITLAB_OIDC_TOKEN: JWT }).env;
    const choice = gitlabCredentials(env, 'GITLAB_OIDC_TOKEN', tmp);
    expect(choice.provider).toBeInstanceOf(Function);
    expect(readFileSync(choice.tokenFile!, 'utf8')).toBe(JWT);
    expect(statSync(choice.tokenFile!).mode & 0o777).toBe(0o600);
    expect(choice.description).toBe(`OIDC web identity, role ${ROLE}`);
    expect(choice.warning).toBe('AWS_OIDC_ROLE_ARN is set: using OIDC web identity; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are ignored.');
    expect(choice.problems).toBeUndefined();
    // Through the door: the provider is what the clients get.
    const access = open(env).aws({ oidcTokenVariable: 'GITLAB_OIDC_TOKEN' });
    expect(access.settings.credentials).toBeInstanceOf(Function);
    expect(access.problems).toBeUndefined();
  });

  test('AWS_ROLE_ARN, the name AWS examples use, works too; with AWS_WEB_IDENTITY_TOKEN_FILE the SDK chain is left to do it', () => {
    expect(gitlabCredentials(gitlabJob({ AWS_ROLE_ARN: ROLE }, { GITLAB_OIDC_TOKEN: JWT }).env, 'GITLAB_OIDC_TOKEN', tmp).provider).toBeInstanceOf(Function);
    const sdk = gitlabCredentials(gitlabJob({ AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token' }).env, 'GITLAB_OIDC_TOKEN', tmp);
    expect(sdk).toEqual({ description: 'the default AWS credential chain' });
  });

  test('another id_tokens: name, given in OIDC_TOKEN_VARIABLE', () => {
    const env = gitlabJob({ PROJECT_NAME: 'app', AWS_OIDC_ROLE_ARN: ROLE, OIDC_TOKEN_VARIABLE: 'AWS_ID_TOKEN' }, { AWS_ID_TOKEN: JWT }).env;
    const config = loadConfig(open(env).settings, open(env).defaults);
    expect(open(env).aws(config).settings.credentials).toBeInstanceOf(Function);
  });

  test("the component's region variable comes first: an empty one leaves the runner's AWS_REGION", () => {
    const load = (env: Env) => loadConfig(open(env).settings, open(env).defaults);
    expect(load(gitlabJob({ PROJECT_NAME: 'app', CODEBUILD_RUN_REGION: 'eu-west-1', AWS_REGION: 'us-east-1' }).env).region).toBe('eu-west-1');
    expect(load(gitlabJob({ PROJECT_NAME: 'app', CODEBUILD_RUN_REGION: '', AWS_REGION: 'us-east-1' }).env).region).toBe('us-east-1');
  });

  test("the job log's limit: 4096 KB unless LOG_LIMIT_KB says otherwise; 0 is none; a bad one is a settings error", () => {
    const load = (env: Env) => loadConfig(open(env).settings, open(env).defaults);
    expect(load(gitlabJob({ PROJECT_NAME: 'app' }).env).logLimitKb).toBe(4096);
    expect(load(gitlabJob({ PROJECT_NAME: 'app', LOG_LIMIT_KB: '0' }).env).logLimitKb).toBe(0);
    expect(() => load(gitlabJob({ PROJECT_NAME: 'app', LOG_LIMIT_KB: '4 MB' }).env)).toThrow(/LOG_LIMIT_KB/);
  });

  test('a role without the token is a settings problem before any call, naming the variable and the id_tokens: to add', () => {
    const access = open(gitlabJob({ AWS_OIDC_ROLE_ARN: ROLE, AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' }).env).aws({
      oidcTokenVariable: 'GITLAB_OIDC_TOKEN',
    });
    expect(access.problems).toEqual([
      'AWS_OIDC_ROLE_ARN is set but the job has no ID token in GITLAB_OIDC_TOKEN: add `id_tokens: { GITLAB_OIDC_TOKEN: { aud: sts.amazonaws.com } }` to the job (the audience your IAM OIDC identity provider lists), or set OIDC_TOKEN_VARIABLE to the name your id_tokens: uses',
    ]);
    expect(access.settings.credentials).toBeUndefined();
  });

  test('no role: the default chain, whatever the job has (a token alone does nothing)', () => {
    expect(gitlabCredentials(gitlabJob({}, { GITLAB_OIDC_TOKEN: JWT }).env, 'GITLAB_OIDC_TOKEN', tmp)).toEqual({
      description: 'the default AWS credential chain',
    });
  });
});
