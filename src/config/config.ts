import type { EnvironmentVariable } from './environment-variables';
import { parseEnvironmentVariables } from './environment-variables';
import { INPUTS, type InputKey } from './inputs';
import { InvalidValue, oneOf, parseBoolean, parseInteger, parseJson, parseJsonObject } from './parse';
import type { SettingSource } from './sources';
import { readFileSync } from 'node:fs';
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
  readonly buildId?: string;
  readonly region?: string;
  readonly resultFile?: string;
  readonly debug: boolean;
  readonly slack?: SlackConfig;
  readonly stopOnCancel: boolean;
  readonly waitTimeoutMinutes?: number;
  readonly stopOnTimeout: boolean;
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
    buildId: text('buildId'),
    region: get('region', parseRegion),
    resultFile: resultFile(source, defaults),
    debug: bool('debug', false),
    stopOnCancel: bool('stopOnCancel', true),
    waitTimeoutMinutes: get('waitTimeoutMinutes', parseMinutes),
    stopOnTimeout: bool('stopOnTimeout', true),
  };
  const slack = slackConfig(get, text);

  if (!config.projectName && !config.buildId) {
    problems.push(`${source.describe(INPUTS.projectName)} is required (the CodeBuild project to build)`);
  }
  if (problems.length) throw new ConfigError(problems);
  return slack ? { ...config, slack } : config;
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
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidValue('must be an https:// URL (value not shown: it is a secret)');
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

function parseRegion(text: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(text)) throw new InvalidValue(`must be an AWS region such as eu-west-1, got '${text}'`);
  return text;
}

/** An explicitly empty result-file disables it, so "unset" and "empty" differ here. */
function resultFile(source: SettingSource, defaults: ConfigDefaults): string | undefined {
  const set = source.read(INPUTS.resultFile);
  if (set) return set.value === '' ? undefined : set.value;
  return defaults.resultFile;
}
