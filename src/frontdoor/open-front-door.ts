import { bitbucketFrontDoor } from './bitbucket';
import type { FrontDoor, Surroundings } from './frontdoor';
import { gitHubFrontDoor } from './github';
import { gitlabFrontDoor } from './gitlab';
import { plainFrontDoor } from './plain';

/** The one place the CI is detected. */
export function openFrontDoor(surroundings: Surroundings): FrontDoor {
  const { env } = surroundings;
  if (env.GITHUB_ACTIONS === 'true') return gitHubFrontDoor(surroundings);
  if (env.BITBUCKET_BUILD_NUMBER !== undefined) return bitbucketFrontDoor(surroundings);
  // GitLab sets GITLAB_CI=true in every job (predefined variables); gitlab-ci-local sets it false.
  if (env.GITLAB_CI === 'true') return gitlabFrontDoor(surroundings);
  return plainFrontDoor(surroundings);
}
