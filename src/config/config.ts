import { NOTIFY_ON } from '../domain/notify-rules';
import type { StartSettings } from '../domain/start-request';
import { conflicts, ignoredSettings } from './combinations';
import { parseEnvironmentVariables } from './environment-variables';
import { oneOf, parseInteger, parseJsonObject } from './parse';
import { pipelineConfig, pipelineUpload } from './pipeline-settings';
import { Reader } from './reader';
import type { SettingSource } from './sources';
import type { Config, ConfigDefaults, DownloadConfig, RunChoice, SlackConfig, UploadConfig } from './types';
import {
  parseDirectory,
  parseLines,
  parseMinutes,
  parseRegion,
  parseResultFile,
  parseRetryOn,
  parseS3Location,
  parseVariableName,
  parseWebhookUrl,
  readPayloadTemplate,
} from './value-parsers';

export type { Config, ConfigDefaults, DownloadConfig, PipelineConfig, RunChoice, SlackConfig, UploadConfig } from './types';

/** Every problem with the settings, gathered so the user fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: SettingSource, defaults: ConfigDefaults = {}): Config {
  const r = new Reader(source);
  const start = startSettings(r);
  const run = runChoice(r, start);
  const settings = {
    run,
    wait: r.bool('wait'),
    tailLogs: r.bool('tailLogs'),
    region: r.get('region', parseRegion),
    resultFile: ownFile(r, 'resultFile', defaults.resultFile),
    dotenvFile: ownFile(r, 'dotenvFile', defaults.dotenvFile),
    junitFile: ownFile(r, 'junitFile', defaults.junitFile),
    oidcTokenVariable: r.withDefault('oidcTokenVariable', parseVariableName),
    logLimitKb: r.withDefault('logLimitKb', (t) => parseInteger(t, 0, 1_048_576)),
    debug: r.bool('debug'),
    stopOnCancel: r.bool('stopOnCancel'),
    waitTimeoutMinutes: r.get('waitTimeoutMinutes', parseMinutes),
    stopOnTimeout: r.bool('stopOnTimeout'),
    retryOn: r.get('retryOn', parseRetryOn) ?? [],
    maxRetries: r.withDefault('maxRetries', (t) => parseInteger(t, 1, 10)),
  };
  const slack = slackConfig(r);
  const upload = uploadConfig(r, run.kind === 'pipeline');
  const download = downloadConfig(r);
  r.problems.push(...conflicts(r, { ...settings, start, upload: !!upload, download: !!download }));
  if (r.problems.length) throw new ConfigError(r.problems);
  const warnings = ignoredSettings(r, { run, start, slack: !!slack, download: !!download });
  const secrets = [...(slack ? [slack.webhookUrl] : []), ...secretVariables(start)];
  return { ...settings, warnings, secrets, ...(slack && { slack }), ...(upload && { upload }), ...(download && { download }) };
}

/** What a StartBuild (or StartBuildBatch) would be made of, whatever runs. */
function startSettings(r: Reader): StartSettings {
  return {
    projectName: r.text('projectName'),
    sourceVersion: r.text('sourceVersion'),
    privilegedMode: r.bool('privilegedMode'),
    environmentVariables: r.get('environmentVariables', parseEnvironmentVariables) ?? [],
    buildspecOverride: r.text('buildspecOverride'),
    computeTypeOverride: r.text('computeTypeOverride'),
    imageOverride: r.text('imageOverride'),
    timeoutInMinutesOverride: r.get('timeoutInMinutesOverride', (t) => parseInteger(t, 5, 2160)),
    startBuildOverrides: r.get('startBuildOverrides', parseJsonObject) ?? {},
  };
}

/** The one decision of what runs: a pipeline, an attach, a batch or a build, in that order. */
function runChoice(r: Reader, start: StartSettings): RunChoice {
  const pipeline = pipelineConfig(r);
  const buildId = r.text('buildId');
  const batch = r.bool('batch');
  if (pipeline) return { kind: 'pipeline', pipeline };
  if (buildId) return { kind: 'attach', buildId, batch };
  return batch ? { kind: 'batch', start } : { kind: 'build', start };
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

/**
 * A file the step writes (result, dotenv, JUnit): the platform's default when unset, and an
 * explicitly empty value disables it, so "unset" and "empty" differ here.
 */
function ownFile(r: Reader, key: 'resultFile' | 'dotenvFile' | 'junitFile', fallback: string | undefined): string | undefined {
  const set = r.raw(key);
  if (!set) return fallback;
  if (set.value === '') return undefined;
  return r.get(key, parseResultFile);
}

/** Secret-typed variables' references (a Parameter Store name, a secret's ARN) are not printed either. */
function secretVariables(start: StartSettings): string[] {
  const fromOverrides = start.startBuildOverrides.environmentVariablesOverride;
  const all = [...start.environmentVariables, ...(Array.isArray(fromOverrides) ? fromOverrides : [])] as { type?: unknown; value?: unknown }[];
  return all.filter((v) => v?.type && v.type !== 'PLAINTEXT' && typeof v.value === 'string').map((v) => v.value as string);
}
