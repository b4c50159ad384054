import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * The environment a Bitbucket pipe's container gets, in both of the ways a step can name a pipe
 * (Atlassian, "Write a pipe for Bitbucket Pipelines" and "Advanced techniques for writing pipes";
 * Atlassian Community, "Can custom pipes read repository variables?"):
 * - `pipe: docker://image:tag`: only the variables the step lists, plus Bitbucket's own
 *   `BITBUCKET_*` and `CI`. Nothing reads pipe.yml, so none of its defaults apply.
 * - `pipe: account/repo:tag`: Bitbucket reads the repository's pipe.yml and applies each
 *   variable's `default:` the step does not list (`$NAME` defaults are repository variables).
 *   This form is modelled on Atlassian's own pipes, whose pipe.yml defaults such as
 *   `$AWS_ACCESS_KEY_ID` only work this way; no Atlassian page states the rule outright.
 * A YAML list arrives as NAME_COUNT, NAME_0, NAME_1 …; YAML scalars arrive as their text.
 * Each value then goes through the build shell as `docker run --env=NAME="value"` (Atlassian
 * Community, "How do I properly quote Pipelines pipe variables and escape special characters
 * like dollar signs?"): double-quote expansion, so `$NAME`/`${NAME}` become the variable's value
 * (nothing when undefined), and `\$`, `\\`, `\"` and `\``` are the escapes for a literal one.
 */
export const PIPE_YML = resolve(__dirname, '../../pipe.yml');

export type PipeValue = string | number | boolean | readonly string[];

export interface BitbucketPipeOptions {
  readonly form: 'docker' | 'repository';
  /** The step's `variables:` block for the pipe. */
  readonly variables: Readonly<Record<string, PipeValue>>;
  /** Repository, workspace and deployment variables `$NAME` can refer to (AWS keys …). */
  readonly repositoryVariables?: Readonly<Record<string, string>>;
  /** BITBUCKET_* overrides (BITBUCKET_TAG, BITBUCKET_PR_ID …); the clone dir defaults to a temp dir. */
  readonly bitbucket?: Readonly<Record<string, string>>;
  readonly pipeYml?: string;
}

export interface BitbucketPipe {
  readonly env: Record<string, string>;
  /** BITBUCKET_CLONE_DIR, which is also the container's working directory. */
  readonly cloneDir: string;
}

export function bitbucketPipe(options: BitbucketPipeOptions): BitbucketPipe {
  const cloneDir = options.bitbucket?.BITBUCKET_CLONE_DIR ?? mkdtempSync(join(tmpdir(), 'cbr-bb-'));
  const defaults: Record<string, string> = {
    CI: 'true',
    BITBUCKET_BUILD_NUMBER: '17',
    BITBUCKET_CLONE_DIR: cloneDir,
    BITBUCKET_COMMIT: 'abc123def4567890abc123def4567890abc123de',
    BITBUCKET_BRANCH: 'main',
    BITBUCKET_WORKSPACE: 'team',
    BITBUCKET_REPO_SLUG: 'app',
    BITBUCKET_REPO_FULL_NAME: 'team/app',
    BITBUCKET_REPO_UUID: '{00000000-0000-0000-0000-000000000001}',
    BITBUCKET_STEP_UUID: '{00000000-0000-0000-0000-000000000002}',
    BITBUCKET_PIPELINE_UUID: '{00000000-0000-0000-0000-000000000003}',
    BITBUCKET_PIPE_STORAGE_DIR: '/opt/atlassian/pipelines/agent/build/.bitbucket/pipelines/generated/pipeline/pipes/codebuild-run/codebuild-run',
    BITBUCKET_PIPE_SHARED_STORAGE_DIR: '/opt/atlassian/pipelines/agent/build/.bitbucket/pipelines/generated/pipeline/pipes',
  };
  const bitbucket: Record<string, string> = { ...defaults, ...options.bitbucket };
  // A tag build has BITBUCKET_TAG and no BITBUCKET_BRANCH.
  if (options.bitbucket?.BITBUCKET_TAG && !options.bitbucket.BITBUCKET_BRANCH) delete bitbucket.BITBUCKET_BRANCH;
  const known = { ...options.repositoryVariables, ...bitbucket };
  const expand = (text: string) => doubleQuoted(text, known);
  const listed: Record<string, PipeValue> = { ...(options.form === 'repository' ? pipeDefaults(options.pipeYml) : {}), ...options.variables };
  const env: Record<string, string> = { ...bitbucket };
  for (const [name, value] of Object.entries(listed)) {
    if (Array.isArray(value)) {
      env[`${name}_COUNT`] = String(value.length);
      for (const [i, item] of value.entries()) env[`${name}_${i}`] = expand(item);
    } else env[name] = expand(String(value));
  }
  return { env, cloneDir };
}

/** pipe.yml's `variables:` defaults, by name. */
export function pipeDefaults(pipeYml = PIPE_YML): Record<string, string> {
  const manifest = parse(readFileSync(pipeYml, 'utf8')) as { variables?: { name: string; default?: unknown }[] };
  return Object.fromEntries((manifest.variables ?? []).filter((v) => v.default !== undefined && v.default !== null).map((v) => [v.name, String(v.default)]));
}

/** What bash makes of `"text"`: escapes and parameter expansion (no command substitution here). */
function doubleQuoted(text: string, vars: Readonly<Record<string, string | undefined>>): string {
  return text.replace(
    /\\([$`"\\])|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, escaped?: string, braced?: string, bare?: string) => escaped ?? vars[(braced ?? bare)!] ?? '',
  );
}
