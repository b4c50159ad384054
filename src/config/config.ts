import type { NotifyOn } from '../domain/notify-rules';
import { NOTIFY_ON } from '../domain/notify-rules';
import type { RetryRules } from '../domain/retry-rules';
import type { StartSettings } from '../domain/start-request';
import { parseEnvironmentVariables } from './environment-variables';
import { INPUTS, type InputKey } from './inputs';
import { InvalidValue, oneOf, parseBoolean, parseInteger, parseJsonObject } from './parse';
import type { SettingSource } from './sources';
import {
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

export interface Config extends StartSettings, RetryRules {
  readonly wait: boolean;
  readonly tailLogs: boolean;
  readonly batch: boolean;
  /** Zip the working directory to this S3 location and build it instead of the project's source. */
  readonly upload?: UploadConfig;
  readonly buildId?: string;
  readonly region?: string;
  readonly resultFile?: string;
  readonly debug: boolean;
  readonly slack?: SlackConfig;
  readonly stopOnCancel: boolean;
  readonly waitTimeoutMinutes?: number;
  readonly stopOnTimeout: boolean;
  /** Settings that do nothing in this combination: better said than silently dropped. */
  readonly warnings: readonly string[];
}

export interface UploadConfig {
  readonly bucket: string;
  readonly prefix: string;
  readonly exclude: readonly string[];
  readonly keep: boolean;
}

export interface SlackConfig {
  readonly webhookUrl: string;
  readonly notifyOn: NotifyOn;
  readonly message?: string;
  /** The user's Block Kit template, read and parsed up front so a bad file fails before AWS. */
  readonly payloadTemplate?: unknown;
}

/** What differs between front doors, decided once by the front door. */
export interface ConfigDefaults {
  readonly resultFile?: string;
}

/** Every problem with the settings, gathered so the user fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads settings off one source, recording every bad value as a problem that names the setting. */
class Reader {
  readonly problems: string[] = [];
  constructor(readonly source: SettingSource) {}

  raw(key: InputKey) {
    return this.source.read(INPUTS[key]);
  }

  named(key: InputKey): string {
    return this.source.describe(INPUTS[key]);
  }

  get<T>(key: InputKey, parse: (text: string, items?: readonly string[]) => T): T | undefined {
    const value = this.raw(key);
    if (!value) return undefined;
    try {
      return parse(value.value, value.items);
    } catch (e) {
      if (!(e instanceof InvalidValue)) throw e;
      this.problems.push(`${value.from} ${e.message}`);
      return undefined;
    }
  }

  text(key: InputKey): string | undefined {
    return this.raw(key)?.value || undefined;
  }

  bool(key: InputKey, fallback: boolean): boolean {
    return this.get(key, parseBoolean) ?? fallback;
  }
}

export function loadConfig(source: SettingSource, defaults: ConfigDefaults = {}): Config {
  const r = new Reader(source);
  const config: Config = {
    projectName: r.text('projectName'),
    sourceVersion: r.text('sourceVersion'),
    privilegedMode: r.bool('privilegedMode', true),
    environmentVariables: r.get('environmentVariables', parseEnvironmentVariables) ?? [],
    buildspecOverride: r.text('buildspecOverride'),
    computeTypeOverride: r.text('computeTypeOverride'),
    imageOverride: r.text('imageOverride'),
    timeoutInMinutesOverride: r.get('timeoutInMinutesOverride', (t) => parseInteger(t, 5, 2160)),
    startBuildOverrides: r.get('startBuildOverrides', parseJsonObject) ?? {},
    wait: r.bool('wait', true),
    tailLogs: r.bool('tailLogs', true),
    batch: r.bool('batch', false),
    buildId: r.text('buildId'),
    region: r.get('region', parseRegion),
    resultFile: resultFile(r, defaults),
    debug: r.bool('debug', false),
    stopOnCancel: r.bool('stopOnCancel', true),
    waitTimeoutMinutes: r.get('waitTimeoutMinutes', parseMinutes),
    stopOnTimeout: r.bool('stopOnTimeout', true),
    retryOn: r.get('retryOn', parseRetryOn) ?? [],
    maxRetries: r.get('maxRetries', (t) => parseInteger(t, 1, 10)) ?? 1,
    warnings: [],
  };
  const slack = slackConfig(r);
  const upload = uploadConfig(r);
  if (upload && config.sourceVersion) {
    r.problems.push(`${r.named('sourceVersion')} cannot be combined with ${r.named('uploadSource')}: the uploaded zip is the source`);
  }
  r.problems.push(...conflicts(r, config, !!upload));
  const unknownFields = unknownStartFields(config.startBuildOverrides, config.batch);
  if (unknownFields) r.problems.push(`${r.named('startBuildOverrides')} ${unknownFields}`);
  if (!config.projectName && !config.buildId) {
    r.problems.push(`${r.named('projectName')} is required (the CodeBuild project to build)`);
  }
  if (r.problems.length) throw new ConfigError(r.problems);
  return { ...config, warnings: ignoredSettings(r, config, !!slack), ...(slack && { slack }), ...(upload && { upload }) };
}

/** Settings that cannot work together: said now, never silently dropped. */
function conflicts(r: Reader, config: Config, upload: boolean): string[] {
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
  if (r.raw('maxRetries') && !config.retryOn.length) problems.push(`${named('maxRetries')} is set without ${named('retryOn')}: nothing would be retried`);
  return problems;
}

function ignoredSettings(r: Reader, config: Config, slack: boolean): string[] {
  const warnings: string[] = [];
  if (config.buildId && config.projectName) {
    warnings.push(`${r.named('buildId')} is set: attaching to build ${config.buildId}; ${r.named('projectName')} and the other start settings are ignored.`);
  }
  const slackOnly = (['slackNotifyOn', 'slackMessage', 'slackPayloadFile'] as const).filter((k) => r.raw(k));
  if (!slack && slackOnly.length) {
    const names = slackOnly.map((k) => r.named(k)).join(', ');
    warnings.push(`${names} ${slackOnly.length > 1 ? 'are' : 'is'} set without ${r.named('slackWebhookUrl')}: nothing will be posted to Slack.`);
  }
  return warnings;
}

function uploadConfig(r: Reader): UploadConfig | undefined {
  const location = r.get('uploadSource', parseS3Location);
  const exclude = r.get('uploadExclude', parseLines) ?? [];
  const keep = r.bool('keepSource', false);
  return location && { ...location, exclude, keep };
}

function slackConfig(r: Reader): SlackConfig | undefined {
  const webhookUrl = r.get('slackWebhookUrl', parseWebhookUrl);
  const notifyOn = r.get('slackNotifyOn', (t) => oneOf(t.toLowerCase(), NOTIFY_ON)) ?? 'always';
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
