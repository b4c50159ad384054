import type { CiContext } from '../domain/ci-context';
import { clientTuning, DEFAULT_CHAIN } from './aws-tuning';
import { compact } from './context';
import type { Env, FrontDoor, Surroundings } from './frontdoor';
import { envVariables } from './settings';
import { textDoorParts } from './text-door';

/** `docker run` (or `node dist/index.js`) in any other CI: the pipe's contract, plain lines. */
export function plainFrontDoor(s: Surroundings): FrontDoor {
  const { env } = s;
  return {
    name: 'plain',
    settings: envVariables(env),
    workdir: s.cwd,
    ci: plainContext(env),
    ...textDoorParts(s, s.cwd, wantsColor(env, s.isTty)),
    aws: () => ({ settings: clientTuning(env), description: DEFAULT_CHAIN }),
  };
}

/** NO_COLOR and FORCE_COLOR decide; otherwise colour only on a terminal (GitLab has its own door). */
function wantsColor(env: Env, isTty: boolean): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return isTty;
}

/** The other CIs that run the container; the first whose marker variable is set wins. */
const READERS: readonly { marker: string; read: (e: Env) => CiContext }[] = [
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

function plainContext(env: Env): CiContext {
  const reader = READERS.find((r) => env[r.marker]);
  return reader ? compact(reader.read(env)) : { ci: env.CI ? 'CI' : 'local' };
}
