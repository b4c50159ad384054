import type { ConfigDefaults } from '../config/config';
import { INPUTS } from '../config/inputs';
import type { CiContext } from '../domain/ci-context';
import { GitLabLog } from '../log/gitlab-log';
import { DOTENV_MAX_VARIABLES } from '../present/dotenv';
import { GitLabPresenter } from '../present/gitlab-presenter';
import { clientTuning } from './aws-tuning';
import { compact } from './context';
import { fileSinks } from './files';
import type { Env, FrontDoor, Surroundings } from './frontdoor';
import { gitlabCredentials } from './gitlab-oidc';
import { envVariables } from './settings';
import { RESULT_FILE } from './text-door';

/**
 * On GitLab the files a later job or the merge request reads are on by default: the result, the
 * outputs as a dotenv report, the test reports as JUnit. The job lists them under `artifacts:`.
 */
export const GITLAB_DEFAULTS = { resultFile: RESULT_FILE, dotenvFile: 'codebuild.env', junitFile: 'codebuild-junit.xml' } as const satisfies ConfigDefaults;

/**
 * A GitLab CI job (GITLAB_CI=true): the container's variables, each phase in a collapsible
 * section, the outputs as a dotenv report and the tests as JUnit for later jobs and the merge
 * request, OIDC through the job's ID token.
 */
export function gitlabFrontDoor(s: Surroundings): FrontDoor {
  const { env } = s;
  // Artifact paths are relative to the project directory, where the job starts.
  const base = env.CI_PROJECT_DIR ?? s.cwd;
  return {
    name: 'gitlab',
    settings: envVariables(env),
    defaults: GITLAB_DEFAULTS,
    workdir: base,
    ci: compact(gitlabContext(env)),
    console({ debug, logLimitKb }) {
      // GitLab's log renders ANSI colours without a TTY; NO_COLOR still turns them off.
      const limit = logLimitKb ?? Number(INPUTS.logLimitKb.default);
      const log = new GitLabLog({ color: !env.NO_COLOR, debug }, s.write, Date.now, limit);
      return { log, presenter: new GitLabPresenter(log) };
    },
    outputs: (files, log) => fileSinks(base, files, log, dotenvCap(env)),
    aws(settings) {
      const choice = gitlabCredentials(env, settings?.oidcTokenVariable ?? INPUTS.oidcTokenVariable.default!);
      const { provider, description, warning, problems } = choice;
      return {
        settings: { ...clientTuning(env), ...(provider && { credentials: provider }) },
        description,
        ...(warning && { warning }),
        ...(problems && { problems }),
      };
    },
  };
}

/** GitLab.com's smallest plan (Free) takes 50 dotenv variables; a self-managed instance 20 unless its admin changed it. */
function dotenvCap(env: Env): number {
  return env.CI_SERVER_HOST === 'gitlab.com' ? DOTENV_MAX_VARIABLES.gitlabCom : DOTENV_MAX_VARIABLES.selfManaged;
}

/** GitLab's predefined variables (docs: "Predefined CI/CD variables reference"). */
function gitlabContext(e: Env): CiContext {
  return {
    ci: 'GitLab CI',
    runUrl: e.CI_JOB_URL ?? e.CI_PIPELINE_URL,
    repository: e.CI_PROJECT_PATH,
    commit: e.CI_COMMIT_SHA,
    branch: e.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME ?? e.CI_COMMIT_REF_NAME,
    triggeredBy: e.CI_MERGE_REQUEST_IID
      ? `merge request !${e.CI_MERGE_REQUEST_IID}`
      : e.GITLAB_USER_LOGIN && `${e.GITLAB_USER_LOGIN}${e.CI_PIPELINE_SOURCE ? ` (${e.CI_PIPELINE_SOURCE})` : ''}`,
  };
}
