import { NOTIFY_ON } from '../domain/notify-rules';
import { conflicts, ignoredSettings } from './combinations';
import { parseEnvironmentVariables } from './environment-variables';
import { oneOf, parseInteger, parseJsonObject } from './parse';
import { pipelineConfig, pipelineConflicts, pipelineUpload } from './pipeline-settings';
import { Reader } from './reader';
import type { SettingSource } from './sources';
import type { Config, ConfigDefaults, DownloadConfig, SlackConfig, UploadConfig } from './types';
import {
  parseDirectory,
  parseLines,
  parseMinutes,
  parseRegion,
  parseResultFile,
  parseRetryOn,
  parseS3Location,
  parseWebhookUrl,
  readPayloadTemplate,
  unknownStartFields,
} from './value-parsers';

export type { Config, ConfigDefaults, DownloadConfig, PipelineConfig, SlackConfig, UploadConfig } from './types';

/** Every problem with the settings, gathered so the user fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: SettingSource, defaults: ConfigDefaults = {}): Config {
  const r = new Reader(source);
  const config: Config = {
    projectName: r.text('projectName'),
    sourceVersion: r.text('sourceVersion'),
    privilegedMode: r.bool('privilegedMode'),
    environmentVariables: r.get('environmentVariables', parseEnvironmentVariables) ?? [],
    buildspecOverride: r.text('buildspecOverride'),
    computeTypeOverride: r.text('computeTypeOverride'),
    imageOverride: r.text('imageOverride'),
    timeoutInMinutesOverride: r.get('timeoutInMinutesOverride', (t) => parseInteger(t, 5, 2160)),
    startBuildOverrides: r.get('startBuildOverrides', parseJsonObject) ?? {},
    wait: r.bool('wait'),
    tailLogs: r.bool('tailLogs'),
    batch: r.bool('batch'),
    buildId: r.text('buildId'),
    region: r.get('region', parseRegion),
    resultFile: resultFile(r, defaults),
    debug: r.bool('debug'),
    stopOnCancel: r.bool('stopOnCancel'),
    waitTimeoutMinutes: r.get('waitTimeoutMinutes', parseMinutes),
    stopOnTimeout: r.bool('stopOnTimeout'),
    retryOn: r.get('retryOn', parseRetryOn) ?? [],
    maxRetries: r.withDefault('maxRetries', (t) => parseInteger(t, 1, 10)),
    warnings: [],
  };
  const slack = slackConfig(r);
  const pipeline = pipelineConfig(r);
  const upload = uploadConfig(r, !!pipeline);
  const download = downloadConfig(r);
  if (pipeline) r.problems.push(...pipelineConflicts(r, pipeline, !!upload));
  if (upload && config.sourceVersion) {
    r.problems.push(`${r.named('sourceVersion')} cannot be combined with ${r.named('uploadSource')}: the uploaded zip is the source`);
  }
  r.problems.push(...conflicts(r, { ...config, ...(download && { download }) }, !!upload));
  const unknownFields = unknownStartFields(config.startBuildOverrides, config.batch);
  if (unknownFields) r.problems.push(`${r.named('startBuildOverrides')} ${unknownFields}`);
  if (!config.projectName && !config.buildId && !pipeline) {
    r.problems.push(
      `${r.named('projectName')} is required (the CodeBuild project to build), unless ${r.named('buildId')} or ${r.named('pipelineName')} is given`,
    );
  }
  if (r.problems.length) throw new ConfigError(r.problems);
  const warnings = ignoredSettings(r, config, !!slack, !!download);
  return { ...config, warnings, ...(slack && { slack }), ...(upload && { upload }), ...(download && { download }), ...(pipeline && { pipeline }) };
}

/** With a pipeline the zip is its S3 source object, which stays: the pipeline reads it again. */
function uploadConfig(r: Reader, pipeline: boolean): UploadConfig | undefined {
  const location = r.get('uploadSource', pipeline ? pipelineUpload : parseS3Location);
  const exclude = r.get('uploadExclude', parseLines) ?? [];
  const keep = pipeline || r.bool('keepSource');
  return location && { ...location, exclude, keep };
}

function downloadConfig(r: Reader): DownloadConfig | undefined {
  const dir = r.get('downloadArtifacts', parseDirectory);
  const on = r.withDefault('downloadArtifactsOn', (t) => oneOf(t.toLowerCase(), ['success', 'always'] as const));
  return dir ? { dir, on } : undefined;
}

function slackConfig(r: Reader): SlackConfig | undefined {
  const webhookUrl = r.get('slackWebhookUrl', parseWebhookUrl);
  const notifyOn = r.withDefault('slackNotifyOn', (t) => oneOf(t.toLowerCase(), NOTIFY_ON));
  const message = r.text('slackMessage');
  const payloadTemplate = r.get('slackPayloadFile', readPayloadTemplate);
  if (!webhookUrl) return undefined;
  return { webhookUrl, notifyOn, ...(message && { message }), ...(payloadTemplate !== undefined && { payloadTemplate }) };
}

/** An explicitly empty result-file disables it, so "unset" and "empty" differ here. */
function resultFile(r: Reader, defaults: ConfigDefaults): string | undefined {
  const set = r.raw('resultFile');
  if (!set) return defaults.resultFile;
  if (set.value === '') return undefined;
  return r.get('resultFile', parseResultFile);
}

/** Values that must never reach the log: the webhook URL, and secret-typed variables' references. */
export function secretsOf(config: Config): string[] {
  const fromOverrides = config.startBuildOverrides.environmentVariablesOverride;
  const all = [...config.environmentVariables, ...(Array.isArray(fromOverrides) ? fromOverrides : [])] as { type?: unknown; value?: unknown }[];
  const typed = all.filter((v) => v?.type && v.type !== 'PLAINTEXT' && typeof v.value === 'string').map((v) => v.value as string);
  return [...(config.slack ? [config.slack.webhookUrl] : []), ...typed];
}
