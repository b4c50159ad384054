import type { StartBuildBatchInput, StartBuildInput } from '@aws-sdk/client-codebuild';

export const ENV_VAR_TYPES = ['PLAINTEXT', 'PARAMETER_STORE', 'SECRETS_MANAGER'] as const;
export type EnvVarType = (typeof ENV_VAR_TYPES)[number];

export interface EnvironmentVariable {
  readonly name: string;
  readonly value: string;
  readonly type: EnvVarType;
}

/** The settings a StartBuild (or StartBuildBatch) request is made from. */
export interface StartSettings {
  readonly projectName?: string;
  readonly sourceVersion?: string;
  readonly privilegedMode: boolean;
  readonly environmentVariables: readonly EnvironmentVariable[];
  readonly buildspecOverride?: string;
  readonly computeTypeOverride?: string;
  readonly imageOverride?: string;
  readonly timeoutInMinutesOverride?: number;
  /** Any other request field, merged last. */
  readonly startBuildOverrides: Readonly<Record<string, unknown>>;
}

/**
 * The StartBuild request for a config. `start-build-overrides` is merged last so it can set
 * any field, including ones this tool models itself.
 */
export function startBuildRequest(config: StartSettings, idempotencyToken?: string): StartBuildInput {
  const variables = mergedEnvironmentVariables(config);
  const request: StartBuildInput = {
    projectName: config.projectName,
    privilegedModeOverride: config.privilegedMode,
    ...(config.sourceVersion && { sourceVersion: config.sourceVersion }),
    ...(config.buildspecOverride && { buildspecOverride: config.buildspecOverride }),
    ...(config.computeTypeOverride && { computeTypeOverride: config.computeTypeOverride as StartBuildInput['computeTypeOverride'] }),
    ...(config.imageOverride && { imageOverride: config.imageOverride }),
    ...(config.timeoutInMinutesOverride !== undefined && { timeoutInMinutesOverride: config.timeoutInMinutesOverride }),
    ...(idempotencyToken && { idempotencyToken }),
  };
  return { ...request, ...config.startBuildOverrides, ...(variables.length && { environmentVariablesOverride: variables }) } as StartBuildInput;
}

type VariableOverride = { name: string; value: string; type?: string };

/** start-build-overrides' own environmentVariablesOverride, when it is one (the config checks its shape). */
export function overriddenVariables(config: StartSettings): VariableOverride[] {
  const list = config.startBuildOverrides.environmentVariablesOverride;
  return Array.isArray(list) ? (list as VariableOverride[]) : [];
}

/**
 * environment-variables and start-build-overrides' environmentVariablesOverride, merged by
 * name. start-build-overrides is applied last, as for every other field, so its value wins.
 */
export function mergedEnvironmentVariables(config: StartSettings): VariableOverride[] {
  const byName = new Map<string, VariableOverride>();
  for (const { name, value, type } of config.environmentVariables) byName.set(name, { name, value, type });
  for (const v of overriddenVariables(config)) byName.set(v.name, v);
  return [...byName.values()];
}

/**
 * Every StartBuild request field. The SDK silently drops unknown keys, so a typo such as
 * `sourceVersoin` in start-build-overrides would build the default branch and go green:
 * overrides are checked against this list (kept in step with the SDK by a unit test).
 */
export const START_BUILD_FIELDS: readonly string[] = [
  'projectName',
  'secondarySourcesOverride',
  'secondarySourcesVersionOverride',
  'sourceVersion',
  'artifactsOverride',
  'secondaryArtifactsOverride',
  'environmentVariablesOverride',
  'sourceTypeOverride',
  'sourceLocationOverride',
  'sourceAuthOverride',
  'gitCloneDepthOverride',
  'gitSubmodulesConfigOverride',
  'buildspecOverride',
  'insecureSslOverride',
  'reportBuildStatusOverride',
  'buildStatusConfigOverride',
  'environmentTypeOverride',
  'imageOverride',
  'computeTypeOverride',
  'certificateOverride',
  'cacheOverride',
  'serviceRoleOverride',
  'privilegedModeOverride',
  'timeoutInMinutesOverride',
  'queuedTimeoutInMinutesOverride',
  'encryptionKeyOverride',
  'idempotencyToken',
  'logsConfigOverride',
  'registryCredentialOverride',
  'imagePullCredentialsTypeOverride',
  'debugSessionEnabled',
  'fleetOverride',
  'autoRetryLimitOverride',
  'hostKernelOverride',
];

/** The StartBuildBatch request: the same overrides, one renamed (the batch has its own timeout). */
export function startBuildBatchRequest(config: StartSettings, idempotencyToken?: string): StartBuildBatchInput {
  const { timeoutInMinutesOverride, ...common } = startBuildRequest({ ...config, startBuildOverrides: {} }, idempotencyToken);
  const variables = mergedEnvironmentVariables(config);
  return {
    ...(common as StartBuildBatchInput),
    ...(timeoutInMinutesOverride !== undefined && { buildTimeoutInMinutesOverride: timeoutInMinutesOverride }),
    ...config.startBuildOverrides,
    ...(variables.length && { environmentVariablesOverride: variables }),
  } as StartBuildBatchInput;
}

/** Every StartBuildBatch request field (see START_BUILD_FIELDS). */
export const START_BUILD_BATCH_FIELDS: readonly string[] = [
  'projectName',
  'secondarySourcesOverride',
  'secondarySourcesVersionOverride',
  'sourceVersion',
  'artifactsOverride',
  'secondaryArtifactsOverride',
  'environmentVariablesOverride',
  'sourceTypeOverride',
  'sourceLocationOverride',
  'sourceAuthOverride',
  'gitCloneDepthOverride',
  'gitSubmodulesConfigOverride',
  'buildspecOverride',
  'insecureSslOverride',
  'reportBuildBatchStatusOverride',
  'environmentTypeOverride',
  'imageOverride',
  'computeTypeOverride',
  'certificateOverride',
  'cacheOverride',
  'serviceRoleOverride',
  'privilegedModeOverride',
  'buildTimeoutInMinutesOverride',
  'queuedTimeoutInMinutesOverride',
  'encryptionKeyOverride',
  'idempotencyToken',
  'logsConfigOverride',
  'registryCredentialOverride',
  'imagePullCredentialsTypeOverride',
  'buildBatchConfigOverride',
  'debugSessionEnabled',
];
