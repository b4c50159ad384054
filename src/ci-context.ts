/** Where the step runs, for links back and "who triggered it" (Slack, summary). */
export interface CiContext {
  readonly ci: string;
  readonly runUrl?: string;
  readonly repository?: string;
  readonly commit?: string;
  readonly branch?: string;
  readonly triggeredBy?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Each CI's own variables; the first whose marker variable is set wins. */
const READERS: readonly { marker: string; read: (e: Env) => CiContext }[] = [
  {
    marker: 'GITHUB_ACTIONS',
    read: (e) => ({
      ci: 'GitHub Actions',
      runUrl: e.GITHUB_RUN_ID && `${e.GITHUB_SERVER_URL ?? 'https://github.com'}/${e.GITHUB_REPOSITORY}/actions/runs/${e.GITHUB_RUN_ID}`,
      repository: e.GITHUB_REPOSITORY,
      commit: e.GITHUB_SHA,
      branch: e.GITHUB_HEAD_REF || e.GITHUB_REF_NAME,
      triggeredBy: e.GITHUB_ACTOR && `${e.GITHUB_ACTOR}${e.GITHUB_EVENT_NAME ? ` (${e.GITHUB_EVENT_NAME})` : ''}`,
    }),
  },
  {
    marker: 'BITBUCKET_BUILD_NUMBER',
    read: (e) => ({
      ci: 'Bitbucket Pipelines',
      runUrl:
        e.BITBUCKET_WORKSPACE && e.BITBUCKET_REPO_SLUG
          ? `https://bitbucket.org/${e.BITBUCKET_WORKSPACE}/${e.BITBUCKET_REPO_SLUG}/addon/pipelines/home#!/results/${e.BITBUCKET_BUILD_NUMBER}`
          : undefined,
      repository: e.BITBUCKET_REPO_FULL_NAME,
      commit: e.BITBUCKET_COMMIT,
      branch: e.BITBUCKET_BRANCH ?? (e.BITBUCKET_TAG && `tag ${e.BITBUCKET_TAG}`),
      triggeredBy: e.BITBUCKET_PR_ID ? `pull request #${e.BITBUCKET_PR_ID}` : `pipeline #${e.BITBUCKET_BUILD_NUMBER}`,
    }),
  },
  {
    marker: 'GITLAB_CI',
    read: (e) => ({
      ci: 'GitLab CI',
      runUrl: e.CI_JOB_URL ?? e.CI_PIPELINE_URL,
      repository: e.CI_PROJECT_PATH,
      commit: e.CI_COMMIT_SHA,
      branch: e.CI_COMMIT_REF_NAME,
      triggeredBy: e.GITLAB_USER_LOGIN && `${e.GITLAB_USER_LOGIN}${e.CI_PIPELINE_SOURCE ? ` (${e.CI_PIPELINE_SOURCE})` : ''}`,
    }),
  },
  {
    marker: 'CIRCLECI',
    read: (e) => ({
      ci: 'CircleCI',
      runUrl: e.CIRCLE_BUILD_URL,
      repository: e.CIRCLE_PROJECT_USERNAME && `${e.CIRCLE_PROJECT_USERNAME}/${e.CIRCLE_PROJECT_REPONAME}`,
      commit: e.CIRCLE_SHA1,
      branch: e.CIRCLE_BRANCH ?? (e.CIRCLE_TAG && `tag ${e.CIRCLE_TAG}`),
      triggeredBy: e.CIRCLE_USERNAME,
    }),
  },
  {
    marker: 'JENKINS_URL',
    read: (e) => ({
      ci: 'Jenkins',
      runUrl: e.BUILD_URL,
      repository: e.GIT_URL ?? e.JOB_NAME,
      commit: e.GIT_COMMIT,
      branch: e.BRANCH_NAME ?? e.GIT_BRANCH,
      triggeredBy: e.BUILD_USER ?? e.JOB_NAME,
    }),
  },
];

export function ciContext(env: Env): CiContext {
  const reader = READERS.find((r) => env[r.marker]);
  if (!reader) return { ci: env.CI ? 'CI' : 'local' };
  const context = reader.read(env);
  return Object.fromEntries(Object.entries(context).filter(([, v]) => v)) as unknown as CiContext;
}
