import { overriddenVariables } from '../domain/start-request';
import type { InputKey } from './inputs';
import type { Reader } from './reader';
import type { Config } from './types';

/** Settings that cannot work together: said now, never silently dropped. */
export function conflicts(r: Reader, config: Config, upload: boolean): string[] {
  const named = (k: InputKey) => r.named(k);
  const problems: string[] = [];
  if (upload && config.buildId) {
    problems.push(`${named('uploadSource')} cannot be combined with ${named('buildId')}: attaching to a build starts nothing that could build the upload`);
  }
  if (!config.wait && config.retryOn.length)
    problems.push(`${named('retryOn')} needs ${named('wait')}: true: a build that is not waited for cannot be retried`);
  if (!config.wait && config.waitTimeoutMinutes !== undefined) {
    problems.push(`${named('waitTimeoutMinutes')} needs ${named('wait')}: true: with wait: false there is no wait to time out`);
  }
  if (!config.wait && config.download) {
    problems.push(`${named('downloadArtifacts')} needs ${named('wait')}: true: the artifacts exist once the build has ended`);
  }
  if (r.chosen('maxRetries') && !config.retryOn.length) problems.push(`${named('maxRetries')} is set without ${named('retryOn')}: nothing would be retried`);
  const listed = config.startBuildOverrides.environmentVariablesOverride;
  if (listed !== undefined && !isVariableList(listed)) {
    problems.push(`${named('startBuildOverrides')} environmentVariablesOverride must be a JSON array of {"name","value","type"} objects`);
  }
  return problems;
}

function isVariableList(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => v && typeof v === 'object' && typeof v.name === 'string' && typeof v.value === 'string');
}

/** Settings that do nothing in this combination, or overlap: a warning each. */
export function ignoredSettings(r: Reader, config: Config, slack: boolean, download: boolean): string[] {
  const warnings: string[] = [];
  if (!download && r.chosen('downloadArtifactsOn')) {
    warnings.push(`${r.named('downloadArtifactsOn')} is set without ${r.named('downloadArtifacts')}: nothing will be downloaded.`);
  }
  if (config.buildId && config.projectName) {
    warnings.push(`${r.named('buildId')} is set: attaching to build ${config.buildId}; ${r.named('projectName')} and the other start settings are ignored.`);
  }
  const slackOnly = (['slackNotifyOn', 'slackMessage', 'slackPayloadFile'] as const).filter((k) => r.chosen(k));
  if (!slack && slackOnly.length) {
    const names = slackOnly.map((k) => r.named(k)).join(', ');
    warnings.push(`${names} ${slackOnly.length > 1 ? 'are' : 'is'} set without ${r.named('slackWebhookUrl')}: nothing will be posted to Slack.`);
  }
  const both = overriddenVariables(config).filter((o) => config.environmentVariables.some((v) => v.name === o.name));
  if (both.length) {
    const [vars, overrides] = [r.named('environmentVariables'), r.named('startBuildOverrides')];
    const names = both.map((v) => v.name).join(', ');
    warnings.push(`${vars} and ${overrides} both set ${names}: the ${overrides} value is used (start-build-overrides wins, by name).`);
  }
  return warnings;
}
