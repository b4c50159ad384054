import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * The environment GitHub's runner gives a JavaScript action's step, built from the shipped
 * action.yml exactly as the runner builds it (actions/runner, src/Runner.Worker):
 * - ActionManifestManager.ConvertInputs: an input declared without `default:` gets the empty
 *   string as its default;
 * - ActionRunner.RunAsync: every declared input the step's `with:` does not give is set to that
 *   default, so the action cannot tell a default from a value the user typed; a `with:` key that
 *   action.yml does not declare gets a warning ("Unexpected input(s) …") and is passed on anyway;
 * - Handler.AddInputsToEnvironment: each input becomes `INPUT_<NAME>`, upper-cased, spaces to
 *   `_`, hyphens kept; values are not trimmed;
 * - NodeScriptActionHandler: the GitHub context variables are set after the step's `env:`, so
 *   they win over it.
 * Plus the files and variables every job step has (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, …).
 */
export const ACTION_YML = resolve(__dirname, '../../action.yml');

export interface GithubStepOptions {
  /** The step's `with:` block, as the workflow author writes it. */
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  /** The step's (and job's) `env:`, e.g. what configure-aws-credentials exported. */
  readonly env?: Readonly<Record<string, string>>;
  readonly workspace?: string;
  /** Extra or overridden GitHub context variables (GITHUB_EVENT_NAME, GITHUB_HEAD_REF …). */
  readonly github?: Readonly<Record<string, string>>;
  /** A test that means to pass an undeclared key says so; otherwise it is a typo and throws. */
  readonly expectUnexpectedInputs?: boolean;
  readonly actionYml?: string;
}

export interface GithubStep {
  readonly env: Record<string, string>;
  /** The runner's warning for undeclared `with:` keys, if any. */
  readonly warnings: readonly string[];
  readonly outputs: () => Record<string, string>;
  readonly summary: () => string;
  readonly workspace: string;
}

interface DeclaredInput {
  readonly default?: unknown;
}

export function declaredInputs(actionYml = ACTION_YML): Record<string, DeclaredInput> {
  const manifest = parse(readFileSync(actionYml, 'utf8')) as { inputs?: Record<string, DeclaredInput | null> };
  return Object.fromEntries(Object.entries(manifest.inputs ?? {}).map(([k, v]) => [k, v ?? {}]));
}

/** The INPUT_* variables alone: what the runner derives from action.yml and `with:`. */
export function runnerInputs(given: GithubStepOptions['with'] = {}, actionYml = ACTION_YML): { env: Record<string, string>; unexpected: string[] } {
  const declared = declaredInputs(actionYml);
  // Input names are case-insensitive to the runner (its dictionaries ignore case).
  const lookup = new Map(Object.entries(given).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const inputs = new Map(lookup);
  for (const [name, spec] of Object.entries(declared)) {
    if (!inputs.has(name.toLowerCase())) inputs.set(name.toLowerCase(), spec.default === undefined || spec.default === null ? '' : String(spec.default));
  }
  const env = Object.fromEntries([...inputs].map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]));
  const known = new Set(Object.keys(declared).map((k) => k.toLowerCase()));
  return { env, unexpected: Object.keys(given).filter((k) => !known.has(k.toLowerCase())) };
}

export function githubStep(options: GithubStepOptions = {}): GithubStep {
  const dir = mkdtempSync(join(tmpdir(), 'cbr-gh-'));
  const workspace = options.workspace ?? mkdtempSync(join(tmpdir(), 'cbr-gh-ws-'));
  const files = Object.fromEntries(['output', 'summary', 'state', 'env', 'path', 'event.json'].map((f) => [f, join(dir, f)]));
  for (const file of Object.values(files)) writeFileSync(file, '');
  writeFileSync(files['event.json']!, JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'octo/app' } }));
  const { env: inputEnv, unexpected } = runnerInputs(options.with, options.actionYml);
  const warnings = unexpected.length
    ? [
        `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are [${Object.keys(declaredInputs(options.actionYml))
          .map((k) => `'${k}'`)
          .join(', ')}]`,
      ]
    : [];
  if (warnings.length && !options.expectUnexpectedInputs) throw new Error(`the runner would warn: ${warnings[0]}`);
  const context: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: 'build',
    GITHUB_ACTION_PATH: resolve(__dirname, '../..'),
    GITHUB_OUTPUT: files.output!,
    GITHUB_STEP_SUMMARY: files.summary!,
    GITHUB_STATE: files.state!,
    GITHUB_ENV: files.env!,
    GITHUB_PATH: files.path!,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_REPOSITORY_OWNER: 'octo',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'deploy',
    GITHUB_WORKFLOW: 'ci',
    GITHUB_SHA: 'c0ffee0000000000000000000000000000000000',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_ACTOR: 'octocat',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: files['event.json']!,
    // Exported empty outside pull requests.
    GITHUB_HEAD_REF: '',
    GITHUB_BASE_REF: '',
    GITHUB_ACTION_REPOSITORY: 'codebuild-run/codebuild-run',
    GITHUB_ACTION_REF: 'v1',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: dir,
    ...options.github,
  };
  const env: Record<string, string> = { ...options.env, ...inputEnv, ...context };
  return {
    env,
    warnings,
    workspace,
    outputs: () => parseGithubOutput(readFileSync(files.output!, 'utf8')),
    summary: () => readFileSync(files.summary!, 'utf8'),
  };
}

/** `name<<DELIMITER\nvalue\nDELIMITER` blocks, as @actions/core writes them. */
export function parseGithubOutput(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}
