import type { EnvironmentVariable } from './environment-variables';
import { parseEnvironmentVariables } from './environment-variables';
import { INPUTS, type InputKey } from './inputs';
import { InvalidValue, oneOf, parseBoolean, parseInteger, parseJson, parseJsonObject } from './parse';
import type { SettingSource } from './sources';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { START_BUILD_BATCH_FIELDS, START_BUILD_FIELDS } from '../core/start-request';
import { NOTIFY_ON, type NotifyOn } from '../notify/slack-message';

export interface Config {
  readonly projectName?: string;
  readonly sourceVersion?: string;
  readonly privilegedMode: boolean;
  readonly environmentVariables: readonly EnvironmentVariable[];
  readonly buildspecOverride?: string;
  readonly computeTypeOverride?: string;
  readonly imageOverride?: string;
  readonly timeoutInMinutesOverride?: number;
  readonly startBuildOverrides: Readonly<Record<string, unknown>>;
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
  /** Final statuses that start the build again (RetryBuild), and how often. */
  readonly retryOn: readonly RetryableStatus[];
  readonly maxRetries: number;
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

/** What differs between front doors, decided once by the platform adapter. */
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

export function loadConfig(source: SettingSource, defaults: ConfigDefaults = {}): Config {
  const problems: string[] = [];
  const raw = (key: InputKey) => source.read(INPUTS[key]);

  /** Run a parser on a setting; on bad input record a problem naming the setting. */
  function get<T>(key: InputKey, parse: (text: string, items?: readonly string[]) => T): T | undefined {
    const value = raw(key);
    if (!value) return undefined;
    try {
      return parse(value.value, value.items);
    } catch (e) {
      if (!(e instanceof InvalidValue)) throw e;
      problems.push(`${value.from} ${e.message}`);
      return undefined;
    }
  }
  const text = (key: InputKey) => raw(key)?.value || undefined;
  const bool = (key: InputKey, fallback: boolean) => get(key, parseBoolean) ?? fallback;

  const config: Config = {
    projectName: text('projectName'),
    sourceVersion: text('sourceVersion'),
    privilegedMode: bool('privilegedMode', true),
    environmentVariables: get('environmentVariables', parseEnvironmentVariables) ?? [],
    buildspecOverride: text('buildspecOverride'),
    computeTypeOverride: text('computeTypeOverride'),
    imageOverride: text('imageOverride'),
    timeoutInMinutesOverride: get('timeoutInMinutesOverride', (t) => parseInteger(t, 5, 2160)),
    startBuildOverrides: get('startBuildOverrides', parseJsonObject) ?? {},
    wait: bool('wait', true),
    tailLogs: bool('tailLogs', true),
    batch: bool('batch', false),
    buildId: text('buildId'),
    region: get('region', parseRegion),
    resultFile: resultFile(source, defaults, problems),
    debug: bool('debug', false),
    stopOnCancel: bool('stopOnCancel', true),
    waitTimeoutMinutes: get('waitTimeoutMinutes', parseMinutes),
    stopOnTimeout: bool('stopOnTimeout', true),
    retryOn: get('retryOn', parseRetryOn) ?? [],
    maxRetries: get('maxRetries', (t) => parseInteger(t, 1, 10)) ?? 1,
    warnings: [],
  };
  const slack = slackConfig(get, text);
  const upload = uploadConfig(get, bool);
  if (upload && config.sourceVersion) {
    problems.push(`${source.describe(INPUTS.sourceVersion)} cannot be combined with ${source.describe(INPUTS.uploadSource)}: the uploaded zip is the source`);
  }

  const unknownFields = unknownStartFields(config);
  if (unknownFields) problems.push(`${source.describe(INPUTS.startBuildOverrides)} ${unknownFields}`);
  if (!config.projectName && !config.buildId) {
    problems.push(`${source.describe(INPUTS.projectName)} is required (the CodeBuild project to build)`);
  }
  if (problems.length) throw new ConfigError(problems);
  const warnings = ignoredSettings(source, config, !!slack);
  return { ...config, warnings, ...(slack && { slack }), ...(upload && { upload }) };
}

function ignoredSettings(source: SettingSource, config: Config, slack: boolean): string[] {
  const named = (key: InputKey) => source.describe(INPUTS[key]);
  const warnings: string[] = [];
  if (config.buildId && config.projectName) {
    warnings.push(`${named('buildId')} is set: attaching to build ${config.buildId}; ${named('projectName')} and the other start settings are ignored.`);
  }
  const slackOnly = (['slackNotifyOn', 'slackMessage', 'slackPayloadFile'] as const).filter((k) => source.read(INPUTS[k]));
  if (!slack && slackOnly.length) {
    warnings.push(`${slackOnly.map(named).join(', ')} ${slackOnly.length > 1 ? 'are' : 'is'} set without ${named('slackWebhookUrl')}: nothing will be posted to Slack.`);
  }
  return warnings;
}

function uploadConfig(get: Getter, bool: (key: InputKey, fallback: boolean) => boolean): UploadConfig | undefined {
  const location = get('uploadSource', parseS3Location);
  const exclude = get('uploadExclude', (t) => t.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) ?? [];
  const keep = bool('keepSource', false);
  return location && { ...location, exclude, keep };
}

/** `s3://bucket/prefix` (prefix optional). */
function parseS3Location(text: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text.trim());
  if (!m) throw new InvalidValue(`must be an S3 location such as s3://my-bucket/ci-sources, got '${text}'`);
  return { bucket: m[1]!, prefix: (m[2] ?? '').replace(/\/+$/, '') };
}

type Getter = <T>(key: InputKey, parse: (text: string) => T) => T | undefined;

function slackConfig(get: Getter, text: (key: InputKey) => string | undefined): SlackConfig | undefined {
  const webhookUrl = get('slackWebhookUrl', parseWebhookUrl);
  const notifyOn = get('slackNotifyOn', (t) => oneOf(t.toLowerCase(), NOTIFY_ON)) ?? 'always';
  const message = text('slackMessage');
  const payloadTemplate = get('slackPayloadFile', readPayloadTemplate);
  if (!webhookUrl) return undefined;
  return { webhookUrl, notifyOn, ...(message && { message }), ...(payloadTemplate !== undefined && { payloadTemplate }) };
}

/** Never quotes the value: the URL is a credential. */
function parseWebhookUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidValue('must be a URL such as https://hooks.slack.com/services/… (value not shown: it is a secret)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidValue('must be an http(s):// URL (value not shown: it is a secret)');
  return text;
}

function readPayloadTemplate(path: string): unknown {
  let body: string;
  try {
    body = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidValue(`cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (${path})`);
  }
  const value = parseJson(body);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidValue(`(${path}) must hold a JSON object (a Slack payload)`);
  return value;
}

function parseMinutes(text: string): number {
  const n = Number(text.trim());
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || n <= 0 || n > 60 * 24 * 7) {
    throw new InvalidValue(`must be a number of minutes greater than 0 (at most ${60 * 24 * 7}), got '${text}'`);
  }
  return n;
}

/** The SDK drops unknown keys silently, so a typo would quietly build the wrong thing. */
function unknownStartFields(config: Config): string | undefined {
  const [api, fields] = config.batch ? ['StartBuildBatch', START_BUILD_BATCH_FIELDS] : ['StartBuild', START_BUILD_FIELDS];
  const unknown = Object.keys(config.startBuildOverrides).filter((k) => !fields.includes(k));
  if (!unknown.length) return undefined;
  return `has field${unknown.length > 1 ? 's' : ''} ${api} does not know: ${unknown.join(', ')} (${api} fields: ${fields.join(', ')})`;
}

/** The result file is written beside the user's files; a directory there is a mistake to catch now. */
function parseResultFile(text: string): string {
  if (existsSync(text) && statSync(text).isDirectory()) throw new InvalidValue(`'${text}' is a directory; give a file path`);
  return text;
}

export const RETRYABLE_STATUSES = ['FAULT', 'TIMED_OUT', 'STOPPED', 'FAILED'] as const;
export type RetryableStatus = (typeof RETRYABLE_STATUSES)[number];

function parseRetryOn(text: string): RetryableStatus[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean).map((s) => oneOf(s, RETRYABLE_STATUSES)))];
}

function parseRegion(text: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(text)) throw new InvalidValue(`must be an AWS region such as eu-west-1, got '${text}'`);
  return text;
}

/** An explicitly empty result-file disables it, so "unset" and "empty" differ here. */
function resultFile(source: SettingSource, defaults: ConfigDefaults, problems: string[]): string | undefined {
  const set = source.read(INPUTS.resultFile);
  if (!set) return defaults.resultFile;
  if (set.value === '') return undefined;
  try {
    return parseResultFile(set.value);
  } catch (e) {
    problems.push(`${set.from} ${(e as Error).message}`);
    return undefined;
  }
}
