import type { OutputName, Outputs } from '../domain/outputs';
import { type OutputSink, writeWhole } from './outputs';

/**
 * GitLab's rules for a dotenv report (artifacts: reports: dotenv), from the service that reads it
 * (Ci::ParseDotenvArtifactService) and the variable model (Ci::HasVariable):
 * - the file must be smaller than the instance's dotenv size limit, 5 KB by default;
 * - it may hold no more variables than the plan's limit: 20 by default on GitLab Self-Managed,
 *   50 on GitLab.com Free (100 Premium, 150 Ultimate);
 * - each line is `KEY=VALUE` (no blank lines, no comments), key and value stripped of spaces;
 *   a key is 1-255 ASCII letters, digits and `_`; quotes are kept as they are;
 * - a value is expanded like any variable (raw: false), where `$$` stands for `$`.
 * One bad line, one variable too many or a byte too many fails the whole report, so nothing
 * that breaks a rule is written: it is left out, and said.
 */
export const DOTENV_MAX_BYTES = 5 * 1024 - 1;
export const DOTENV_MAX_VARIABLES = { selfManaged: 20, gitlabCom: 50 } as const;

/** Every name starts with it: clear of the tool's own settings (BUILD_ID would make a later codebuild-run job attach). */
export const DOTENV_PREFIX = 'CODEBUILD_RUN_';

/** The single values first (what a later job needs most), then each exported variable, then the JSON lists. */
const FIRST: readonly OutputName[] = [
  'build-id',
  'build-status',
  'build-url',
  'build-number',
  'build-arn',
  'logs-url',
  'batch-id',
  'pipeline-execution-id',
  'pipeline-status',
  'pipeline-url',
  'source-location',
  'artifacts-dir',
];
const LAST: readonly OutputName[] = ['exported-variables', 'batch-builds', 'attempts', 'pipeline-actions', 'artifacts'];

const nameOf = (output: string) => `${DOTENV_PREFIX}${output.toUpperCase().replace(/-/g, '_')}`;

/** The outputs as dotenv entries, most wanted first; exported variables each as CODEBUILD_RUN_VAR_<NAME>. */
export function dotenvEntries(values: Outputs): [string, string][] {
  const pick = (names: readonly OutputName[]) => names.flatMap((n): [string, string][] => (values[n] === undefined ? [] : [[nameOf(n), values[n]!]]));
  return [...pick(FIRST), ...exportedEach(values['exported-variables']), ...pick(LAST)];
}

function exportedEach(json: string | undefined): [string, string][] {
  if (!json) return [];
  const parsed = JSON.parse(json) as Record<string, string>;
  return Object.entries(parsed).map(([name, value]) => [`${DOTENV_PREFIX}VAR_${name}`, String(value)]);
}

export interface DotenvFile {
  readonly text: string;
  /** Each entry left out, with why. */
  readonly leftOut: readonly string[];
}

/** The entries that keep to GitLab's rules, in order, within `maxVariables` and the size limit. */
export function dotenvFile(entries: readonly [string, string][], maxVariables: number): DotenvFile {
  const lines: string[] = [];
  const leftOut: string[] = [];
  let bytes = 0;
  for (const [name, value] of entries) {
    const line = `${name}=${value.replaceAll('$', '$$$$')}\n`;
    const size = Buffer.byteLength(line);
    const why = brokenRule(name, value) ?? overLimit(lines.length, maxVariables, bytes + size);
    if (why) leftOut.push(`${name} (${why})`);
    else {
      lines.push(line);
      bytes += size;
    }
  }
  return { text: lines.join(''), leftOut };
}

function overLimit(count: number, maxVariables: number, bytes: number): string | undefined {
  if (count >= maxVariables) return `over ${maxVariables} variables`;
  return bytes > DOTENV_MAX_BYTES ? 'over 5 KB' : undefined;
}

function brokenRule(name: string, value: string): string | undefined {
  if (!/^[A-Za-z0-9_]{1,255}$/.test(name)) return 'not a name GitLab accepts';
  if (/[\r\n]/.test(value)) return 'several lines';
  if (value !== value.trim()) return 'spaces at an end, which GitLab strips';
  return undefined;
}

/**
 * The dotenv file, rewritten whole on each update like the result file, so a killed job still
 * leaves the build id; `warn` names what had to be left out, each time more is.
 */
export function dotenvFileSink(path: string, maxVariables: number, warn: (message: string) => void): OutputSink {
  const values: Outputs = {};
  let said = 0;
  return {
    set(update) {
      Object.assign(values, update);
      const file = dotenvFile(dotenvEntries(values), maxVariables);
      writeWhole(path, file.text);
      if (file.leftOut.length > said) {
        said = file.leftOut.length;
        warn(`Left out of the dotenv file ${path} (GitLab takes ${maxVariables} variables at most, under 5 KB, one line each): ${file.leftOut.join(', ')}`);
      }
    },
  };
}
