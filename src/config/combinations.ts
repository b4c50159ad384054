import { overriddenVariables, type StartSettings } from '../domain/start-request';
import type { InputKey } from './inputs';
import { pipelineConflicts } from './pipeline-settings';
import type { Reader } from './reader';
import type { RunChoice } from './types';
import { unknownStartFields } from './value-parsers';

/** What the combination rules read: what runs, and the settings around it. */
export interface Combination {
  readonly run: RunChoice;
  readonly start: StartSettings;
  readonly wait: boolean;
  readonly retryOn: readonly string[];
  readonly waitTimeoutMinutes?: number;
  readonly upload: boolean;
  readonly download: boolean;
}

/** Settings that cannot work together: said now, never silently dropped. */
export function conflicts(r: Reader, c: Combination): string[] {
  const named = (k: InputKey) => r.named(k);
  const problems: string[] = [];
  const { run, start } = c;
  if (run.kind === 'pipeline') problems.push(...pipelineConflicts(r, run.pipeline, c.upload));
  if ((run.kind === 'build' || run.kind === 'batch') && !start.projectName) {
    problems.push(`${named('projectName')} is required (the CodeBuild project to build), unless ${named('buildId')} or ${named('pipelineName')} is given`);
  }
  if (c.upload && run.kind === 'attach') {
    problems.push(`${named('uploadSource')} cannot be combined with ${named('buildId')}: attaching to a build starts nothing that could build the upload`);
  }
  if (c.upload && start.sourceVersion)
    problems.push(`${named('sourceVersion')} cannot be combined with ${named('uploadSource')}: the uploaded zip is the source`);
  if (!c.wait && c.retryOn.length) problems.push(`${named('retryOn')} needs ${named('wait')}: true: a build that is not waited for cannot be retried`);
  if (!c.wait && c.waitTimeoutMinutes !== undefined) {
    problems.push(`${named('waitTimeoutMinutes')} needs ${named('wait')}: true: with wait: false there is no wait to time out`);
  }
  if (!c.wait && c.download) problems.push(`${named('downloadArtifacts')} needs ${named('wait')}: true: the artifacts exist once the build has ended`);
  if (r.chosen('maxRetries') && !c.retryOn.length) problems.push(`${named('maxRetries')} is set without ${named('retryOn')}: nothing would be retried`);
  const listed = start.startBuildOverrides.environmentVariablesOverride;
  if (listed !== undefined && !isVariableList(listed)) {
    problems.push(`${named('startBuildOverrides')} environmentVariablesOverride must be a JSON array of {"name","value","type"} objects`);
  }
  const unknownFields = unknownStartFields(start.startBuildOverrides, run.kind === 'batch' || (run.kind === 'attach' && run.batch));
  if (unknownFields) problems.push(`${named('startBuildOverrides')} ${unknownFields}`);
  return problems;
}

function isVariableList(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => v && typeof v === 'object' && typeof v.name === 'string' && typeof v.value === 'string');
}

/** Settings that do nothing in this combination, or overlap: a warning each. */
export function ignoredSettings(r: Reader, c: { run: RunChoice; start: StartSettings; slack: boolean; download: boolean }): string[] {
  const warnings: string[] = [];
  if (!c.download && r.chosen('downloadArtifactsOn')) {
    warnings.push(`${r.named('downloadArtifactsOn')} is set without ${r.named('downloadArtifacts')}: nothing will be downloaded.`);
  }
  if (c.run.kind === 'attach' && c.start.projectName) {
    warnings.push(`${r.named('buildId')} is set: attaching to build ${c.run.buildId}; ${r.named('projectName')} and the other start settings are ignored.`);
  }
  const slackOnly = (['slackNotifyOn', 'slackMessage', 'slackPayloadFile'] as const).filter((k) => r.chosen(k));
  if (!c.slack && slackOnly.length) {
    const names = slackOnly.map((k) => r.named(k)).join(', ');
    warnings.push(`${names} ${slackOnly.length > 1 ? 'are' : 'is'} set without ${r.named('slackWebhookUrl')}: nothing will be posted to Slack.`);
  }
  const both = overriddenVariables(c.start).filter((o) => c.start.environmentVariables.some((v) => v.name === o.name));
  if (both.length) {
    const [vars, overrides] = [r.named('environmentVariables'), r.named('startBuildOverrides')];
    const names = both.map((v) => v.name).join(', ');
    warnings.push(`${vars} and ${overrides} both set ${names}: the ${overrides} value is used (start-build-overrides wins, by name).`);
  }
  return warnings;
}
