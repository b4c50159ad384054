import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `docker run -e …` in any CI: the container gets only what the job passes (no defaults from
 * any metadata file). In a GitLab job, the job's `variables:` plus GitLab's predefined `CI_*`
 * variables (GitLab docs, "Predefined CI/CD variables reference"); the working directory is the
 * checkout, CI_PROJECT_DIR.
 */
export interface ContainerJob {
  readonly env: Record<string, string>;
  readonly cwd: string;
}

export function plainContainer(variables: Readonly<Record<string, string>>, cwd = mkdtempSync(join(tmpdir(), 'cbr-run-'))): ContainerJob {
  return { env: { ...variables }, cwd };
}

export function gitlabJob(variables: Readonly<Record<string, string>>, gitlab: Readonly<Record<string, string>> = {}): ContainerJob {
  const dir = gitlab.CI_PROJECT_DIR ?? mkdtempSync(join(tmpdir(), 'cbr-gl-'));
  const predefined: Record<string, string> = {
    CI: 'true',
    GITLAB_CI: 'true',
    CI_SERVER_URL: 'https://gitlab.example.com',
    CI_PROJECT_DIR: dir,
    CI_PROJECT_PATH: 'group/app',
    CI_PROJECT_URL: 'https://gitlab.example.com/group/app',
    CI_PIPELINE_ID: '1001',
    CI_PIPELINE_URL: 'https://gitlab.example.com/group/app/-/pipelines/1001',
    CI_PIPELINE_SOURCE: 'push',
    CI_JOB_ID: '5005',
    CI_JOB_NAME: 'codebuild',
    CI_JOB_URL: 'https://gitlab.example.com/group/app/-/jobs/5005',
    CI_COMMIT_SHA: 'feedface00000000000000000000000000000000',
    CI_COMMIT_REF_NAME: 'main',
    CI_COMMIT_BRANCH: 'main',
    GITLAB_USER_LOGIN: 'dev',
  };
  return { env: { ...predefined, ...gitlab, ...variables }, cwd: dir };
}
