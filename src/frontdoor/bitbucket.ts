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
      const problems = missingInPipe(env, !!provider);
      return { settings: { ...clientTuning(env), ...(provider && { credentials: provider }) }, description, ...(warning && { warning }), problems };
    },
  };
}

/**
 * A `pipe: docker://…` step gets only the variables it lists: Bitbucket reads no pipe.yml for it,
 * so its defaults ($AWS_ACCESS_KEY_ID …) never apply. Say exactly what to add, before any call.
 */
function missingInPipe(env: Env, oidc: boolean): string[] {
  const problems: string[] = [];
  const keys = !!(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
  const otherSource = !!(env.AWS_PROFILE || (env.AWS_ROLE_ARN && env.AWS_WEB_IDENTITY_TOKEN_FILE) || env.AWS_CONTAINER_CREDENTIALS_FULL_URI);
  if (!oidc && !keys && !otherSource) {
    problems.push(
      "no AWS credentials reached the pipe: add AWS_ACCESS_KEY_ID: $AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: $AWS_SECRET_ACCESS_KEY to the pipe's variables: (or AWS_OIDC_ROLE_ARN with oidc: true on the step)",
    );
  }
  if (!env.AWS_DEFAULT_REGION && !env.AWS_REGION && !env.AWS_PROFILE) {
    problems.push("no AWS region reached the pipe: add AWS_DEFAULT_REGION: $AWS_DEFAULT_REGION to the pipe's variables:");
  }
  return problems;
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
