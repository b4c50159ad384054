import * as core from '@actions/core';
import type { CiContext } from '../domain/ci-context';
import { GitHubLog } from '../log/github-log';
import { GitHubPresenter } from '../present/github-presenter';
import { combineSinks, type OutputSink } from '../present/outputs';
import { clientTuning, DEFAULT_CHAIN } from './aws-tuning';
import { compact } from './context';
import { fileSinks } from './files';
import type { Env, FrontDoor, Surroundings } from './frontdoor';
import { githubInputs } from './settings';

/** GitHub Actions: inputs, groups and annotations, step outputs, the job summary. */
export function gitHubFrontDoor(s: Surroundings): FrontDoor {
  const { env } = s;
  return {
    name: 'github',
    settings: githubInputs(env),
    defaults: {},
    workdir: env.GITHUB_WORKSPACE ?? s.cwd,
    ci: compact(githubContext(env)),
    console({ debug }) {
      const log = new GitHubLog(debug, s.write);
      return { log, presenter: new GitHubPresenter(log, !!env.GITHUB_STEP_SUMMARY) };
    },
    // Files given relative go where the step runs, as before (GitHub sets no default for them).
    outputs: (files, log) => combineSinks(githubOutputs, fileSinks(s.cwd, files, log)),
    // configure-aws-credentials exports keys or a web identity; the SDK's chain picks them up.
    aws: () => ({ settings: clientTuning(env), description: DEFAULT_CHAIN }),
  };
}

function githubContext(e: Env): CiContext {
  return {
    ci: 'GitHub Actions',
    runUrl: e.GITHUB_RUN_ID && `${e.GITHUB_SERVER_URL ?? 'https://github.com'}/${e.GITHUB_REPOSITORY}/actions/runs/${e.GITHUB_RUN_ID}`,
    repository: e.GITHUB_REPOSITORY,
    commit: e.GITHUB_SHA,
    branch: e.GITHUB_HEAD_REF || e.GITHUB_REF_NAME,
    triggeredBy: e.GITHUB_ACTOR && `${e.GITHUB_ACTOR}${e.GITHUB_EVENT_NAME ? ` (${e.GITHUB_EVENT_NAME})` : ''}`,
  };
}

/** GitHub step outputs, each written the moment it is known. */
const githubOutputs: OutputSink = {
  set(values) {
    for (const [name, value] of Object.entries(values)) if (value !== undefined) core.setOutput(name, value);
  },
};
