import type { StartBuildBatchInput, StartBuildInput } from '@aws-sdk/client-codebuild';
import type { Config } from '../config/config';

/**
 * The StartBuild request for a config. `start-build-overrides` is merged last so it can set
 * any field, including ones this tool models itself.
 */
export function startBuildRequest(config: Config, idempotencyToken?: string): StartBuildInput {
  const request: StartBuildInput = {
    projectName: config.projectName,
    privilegedModeOverride: config.privilegedMode,
    ...(config.sourceVersion && { sourceVersion: config.sourceVersion }),
    ...(config.environmentVariables.length > 0 && {
      environmentVariablesOverride: config.environmentVariables.map(({ name, value, type }) => ({ name, value, type })),
    }),
    ...(config.buildspecOverride && { buildspecOverride: config.buildspecOverride }),
    ...(config.computeTypeOverride && { computeTypeOverride: config.computeTypeOverride as StartBuildInput['computeTypeOverride'] }),
    ...(config.imageOverride && { imageOverride: config.imageOverride }),
    ...(config.timeoutInMinutesOverride !== undefined && { timeoutInMinutesOverride: config.timeoutInMinutesOverride }),
    ...(idempotencyToken && { idempotencyToken }),
  };
  return { ...request, ...config.startBuildOverrides } as StartBuildInput;
}

/**
 * Every StartBuild request field. The SDK silently drops unknown keys, so a typo such as
 * `sourceVersoin` in start-build-overrides would build the default branch and go green:
 * overrides are checked against this list (kept in step with the SDK by a unit test).
 */
export const START_BUILD_FIELDS: readonly string[] = [
  'projectName', 'secondarySourcesOverride', 'secondarySourcesVersionOverride', 'sourceVersion', 'artifactsOverride',
  'secondaryArtifactsOverride', 'environmentVariablesOverride', 'sourceTypeOverride', 'sourceLocationOverride',
  'sourceAuthOverride', 'gitCloneDepthOverride', 'gitSubmodulesConfigOverride', 'buildspecOverride', 'insecureSslOverride',
  'reportBuildStatusOverride', 'buildStatusConfigOverride', 'environmentTypeOverride', 'imageOverride', 'computeTypeOverride',
  'certificateOverride', 'cacheOverride', 'serviceRoleOverride', 'privilegedModeOverride', 'timeoutInMinutesOverride',
  'queuedTimeoutInMinutesOverride', 'encryptionKeyOverride', 'idempotencyToken', 'logsConfigOverride',
  'registryCredentialOverride', 'imagePullCredentialsTypeOverride', 'debugSessionEnabled', 'fleetOverride',
  'autoRetryLimitOverride', 'hostKernelOverride',
];

/** The StartBuildBatch request: the same overrides, one renamed (the batch has its own timeout). */
export function startBuildBatchRequest(config: Config, idempotencyToken?: string): StartBuildBatchInput {
  const { timeoutInMinutesOverride, ...common } = startBuildRequest({ ...config, startBuildOverrides: {} }, idempotencyToken);
  return {
    ...(common as StartBuildBatchInput),
    ...(timeoutInMinutesOverride !== undefined && { buildTimeoutInMinutesOverride: timeoutInMinutesOverride }),
    ...config.startBuildOverrides,
  } as StartBuildBatchInput;
}

/** Every StartBuildBatch request field (see START_BUILD_FIELDS). */
export const START_BUILD_BATCH_FIELDS: readonly string[] = [
  'projectName', 'secondarySourcesOverride', 'secondarySourcesVersionOverride', 'sourceVersion', 'artifactsOverride',
  'secondaryArtifactsOverride', 'environmentVariablesOverride', 'sourceTypeOverride', 'sourceLocationOverride',
  'sourceAuthOverride', 'gitCloneDepthOverride', 'gitSubmodulesConfigOverride', 'buildspecOverride', 'insecureSslOverride',
  'reportBuildBatchStatusOverride', 'environmentTypeOverride', 'imageOverride', 'computeTypeOverride', 'certificateOverride',
  'cacheOverride', 'serviceRoleOverride', 'privilegedModeOverride', 'buildTimeoutInMinutesOverride',
  'queuedTimeoutInMinutesOverride', 'encryptionKeyOverride', 'idempotencyToken', 'logsConfigOverride',
  'registryCredentialOverride', 'imagePullCredentialsTypeOverride', 'buildBatchConfigOverride', 'debugSessionEnabled',
];
