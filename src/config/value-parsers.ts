import { existsSync, readFileSync, statSync } from 'node:fs';
import { RETRYABLE_STATUSES, type RetryableStatus } from '../domain/retry-rules';
import { START_BUILD_BATCH_FIELDS, START_BUILD_FIELDS } from '../domain/start-request';
import { InvalidValue, oneOf, parseJson } from './parse';

/** Parsers for single settings; each throws InvalidValue naming what is allowed. */

/** `s3://bucket/prefix` (prefix optional). */
export function parseS3Location(text: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text.trim());
  if (!m) throw new InvalidValue(`must be an S3 location such as s3://my-bucket/ci-sources, got '${text}'`);
  return { bucket: m[1]!, prefix: (m[2] ?? '').replace(/\/+$/, '') };
}

/** Never quotes the value: the URL is a credential. */
export function parseWebhookUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidValue('must be a URL such as https://hooks.slack.com/services/… (value not shown: it is a secret)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidValue('must be an http(s):// URL (value not shown: it is a secret)');
  return text;
}

export function readPayloadTemplate(path: string): unknown {
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

export function parseMinutes(text: string): number {
  const n = Number(text.trim());
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || n <= 0 || n > 60 * 24 * 7) {
    throw new InvalidValue(`must be a number of minutes greater than 0 (at most ${60 * 24 * 7}), got '${text}'`);
  }
  return n;
}

/** The SDK drops unknown keys silently, so a typo would quietly build the wrong thing. */
export function unknownStartFields(overrides: Readonly<Record<string, unknown>>, batch: boolean): string | undefined {
  const [api, fields] = batch ? ['StartBuildBatch', START_BUILD_BATCH_FIELDS] : ['StartBuild', START_BUILD_FIELDS];
  const unknown = Object.keys(overrides).filter((k) => !fields.includes(k));
  if (!unknown.length) return undefined;
  return `has field${unknown.length > 1 ? 's' : ''} ${api} does not know: ${unknown.join(', ')} (${api} fields: ${fields.join(', ')})`;
}

/** A directory to write into; an existing file there is a mistake to catch before the build runs. */
export function parseDirectory(text: string): string {
  const t = text.trim();
  if (t.includes('\0')) throw new InvalidValue('must be a directory path');
  if (existsSync(t) && !statSync(t).isDirectory()) throw new InvalidValue(`'${t}' is a file; give a directory`);
  return t;
}

/** The result file is written beside the user's files; a directory there is a mistake to catch now. */
export function parseResultFile(text: string): string {
  if (existsSync(text) && statSync(text).isDirectory()) throw new InvalidValue(`'${text}' is a directory; give a file path`);
  return text;
}

/** A shell variable's name, as GitLab's id_tokens: keys are. */
export function parseVariableName(text: string): string {
  const t = text.trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) throw new InvalidValue(`must be a variable name (letters, digits and _, not starting with a digit), not '${t}'`);
  return t;
}

export function parseRetryOn(text: string): RetryableStatus[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((s) => oneOf(s, RETRYABLE_STATUSES)),
    ),
  ];
}

export function parseRegion(text: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(text)) throw new InvalidValue(`must be an AWS region such as eu-west-1, got '${text}'`);
  return text;
}

/** One pattern a line; blank lines and # comments skipped. */
export function parseLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}
