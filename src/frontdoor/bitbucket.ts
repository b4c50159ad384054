import type { CiContext } from '../domain/ci-context';
import { clientTuning } from './aws-tuning';
import { compact } from './context';
import type { Env, FrontDoor, Surroundings } from './frontdoor';
import { chooseCredentials } from './oidc';
import { envVariables } from './settings';
import { textDoorParts } from './text-door';

/** A Bitbucket pipe: variables as env, coloured status lines, the result file in the clone, OIDC. */
export function bitbucketFrontDoor(s: Surroundings): FrontDoor {
  const { env } = s;
  // A pipe's working directory is the clone; keep the result beside the user's files either way.
  const base = env.BITBUCKET_CLONE_DIR ?? s.cwd;
  return {
    name: 'bitbucket',
    settings: envVariables(env),
    workdir: base,
    ci: compact(bitbucketContext(env)),
    // Bitbucket renders ANSI colours without a TTY.
    ...textDoorParts(s, base, true),
    aws() {
      const { provider, description, warning } = chooseCredentials(env);
      return { settings: { ...clientTuning(env), ...(provider && { credentials: provider }) }, description, ...(warning && { warning }) };
    },
  };
}

function bitbucketContext(e: Env): CiContext {
  return {
    ci: 'Bitbucket Pipelines',
    runUrl:
      e.BITBUCKET_WORKSPACE && e.BITBUCKET_REPO_SLUG
        ? `https://bitbucket.org/${e.BITBUCKET_WORKSPACE}/${e.BITBUCKET_REPO_SLUG}/addon/pipelines/home#!/results/${e.BITBUCKET_BUILD_NUMBER}`
        : undefined,
    repository: e.BITBUCKET_REPO_FULL_NAME,
    commit: e.BITBUCKET_COMMIT,
    branch: e.BITBUCKET_BRANCH ?? (e.BITBUCKET_TAG && `tag ${e.BITBUCKET_TAG}`),
    triggeredBy: e.BITBUCKET_PR_ID ? `pull request #${e.BITBUCKET_PR_ID}` : `pipeline #${e.BITBUCKET_BUILD_NUMBER}`,
  };
}
