import type { Env } from '../../../src/frontdoor/frontdoor';
import { openFrontDoor } from '../../../src/frontdoor/open-front-door';
import { bitbucketPipe } from '../../platforms/bitbucket-pipe';
import { gitlabJob } from '../../platforms/container-job';
import { githubStep } from '../../platforms/github-runner';

const open = (env: Env, isTty = false) => openFrontDoor({ env, cwd: '/work', write: () => {}, isTty });

describe('the front door is chosen once, from the environment', () => {
  test('GitHub Actions: inputs, the workspace, the run link', () => {
    const step = githubStep({
      with: { 'project-name': 'app' },
      workspace: '/ws',
      github: { GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '9', GITHUB_SHA: 'abc', GITHUB_REF_NAME: 'main', GITHUB_ACTOR: 'al', GITHUB_EVENT_NAME: 'push' },
    });
    const door = open(step.env);
    expect(door.name).toBe('github');
    expect(door.workdir).toBe('/ws');
    expect(door.settings.describe({ input: 'project-name', env: ['PROJECT_NAME'], description: '' })).toBe("input 'project-name'");
    expect(door.ci).toEqual({
      ci: 'GitHub Actions',
      runUrl: 'https://github.com/o/r/actions/runs/9',
      repository: 'o/r',
      commit: 'abc',
      branch: 'main',
      triggeredBy: 'al (push)',
    });
    expect(door.defaults.resultFile).toBeUndefined();
  });

  test('Bitbucket: variables, the clone dir, the pipeline link, a result file by default', () => {
    const { BITBUCKET_BRANCH: _onlyOnBranches, ...tagBuild } = bitbucketPipe({ form: 'docker', variables: { PROJECT_NAME: 'app' } }).env;
    const door = open({
      ...tagBuild,
      ...{
        BITBUCKET_BUILD_NUMBER: '5',
        BITBUCKET_CLONE_DIR: '/clone',
        BITBUCKET_WORKSPACE: 't',
        BITBUCKET_REPO_SLUG: 'app',
        BITBUCKET_COMMIT: 'c1',
        BITBUCKET_TAG: 'v1',
      },
    });
    expect(door.name).toBe('bitbucket');
    expect(door.workdir).toBe('/clone');
    expect(door.ci).toMatchObject({
      ci: 'Bitbucket Pipelines',
      runUrl: 'https://bitbucket.org/t/app/addon/pipelines/home#!/results/5',
      commit: 'c1',
      branch: 'tag v1',
      triggeredBy: 'pipeline #5',
    });
    expect(door.defaults.resultFile).toBe('codebuild-result.json');
  });

  test('Bitbucket OIDC: a role without the step token is a warning naming oidc: true', () => {
    const access = open(bitbucketPipe({ form: 'docker', variables: { PROJECT_NAME: 'app', AWS_OIDC_ROLE_ARN: 'arn:aws:iam::1:role/r' } }).env).aws();
    expect(access.warning).toContain('oidc: true');
    expect(access.settings.credentials).toBeUndefined();
  });

  test('GitLab has its own door (test/unit/frontdoor/gitlab-door.test.ts); anything else is the plain door, CircleCI and Jenkins recognised', () => {
    const gitlab = open(gitlabJob({}, { CI_COMMIT_SHA: 'g1', CI_COMMIT_REF_NAME: 'dev' }).env);
    expect(gitlab.name).toBe('gitlab');
    expect(gitlab.ci).toMatchObject({ ci: 'GitLab CI', commit: 'g1', branch: 'dev' });
    expect(open({ CIRCLECI: 'true', CIRCLE_SHA1: 'c2' }).name).toBe('plain');
    expect(open({ CIRCLECI: 'true', CIRCLE_SHA1: 'c2' }).ci).toMatchObject({ ci: 'CircleCI', commit: 'c2' });
    expect(open({ JENKINS_URL: 'http://j', GIT_COMMIT: 'j3' }).ci).toMatchObject({ ci: 'Jenkins', commit: 'j3' });
    expect(open({ CI: 'true' }).ci).toEqual({ ci: 'CI' });
    expect(open({}).name).toBe('plain');
  });

  test('client tuning: request timeout, and path-style S3 for any custom endpoint', () => {
    expect(open({ CODEBUILD_RUN_REQUEST_TIMEOUT_MS: '1500' }).aws().settings).toEqual({ requestTimeoutMs: 1500, s3PathStyle: false });
    expect(open({ AWS_ENDPOINT_URL_S3: 'http://minio:9000' }).aws().settings.s3PathStyle).toBe(true);
    expect(open({ AWS_ENDPOINT_URL: 'http://localhost:4566' }).aws().settings.s3PathStyle).toBe(true);
  });
});
