import { isAbsolute, join } from 'node:path';
import type { Config, ConfigDefaults } from './config/config';
import { envVariables, githubInputs, type SettingSource } from './config/sources';
import { GitHubReporter, githubOutputs } from './report/github-reporter';
import { combineSinks, resultFileSink, type OutputSink } from './report/outputs';
import type { Reporter } from './report/reporter';
import { TextReporter } from './report/text-reporter';

type Env = Readonly<Record<string, string | undefined>>;

/** One front door: where settings come from, how results are shown and stored. */
export interface Platform {
  readonly name: 'github' | 'bitbucket' | 'plain';
  readonly source: SettingSource;
  readonly defaults: ConfigDefaults;
  /** The checked-out code (what upload-source zips). */
  readonly workdir: string;
  reporter(config: Pick<Config, 'debug'>): Reporter;
  outputs(config: Pick<Config, 'resultFile'>): OutputSink;
}

const RESULT_FILE = 'codebuild-result.json';

export function detectPlatform(env: Env): Platform {
  if (env.GITHUB_ACTIONS === 'true') {
    return {
      name: 'github',
      source: githubInputs(env),
      defaults: {},
      workdir: env.GITHUB_WORKSPACE ?? process.cwd(),
      reporter: (c) => new GitHubReporter(c.debug),
      outputs: (c) => combineSinks(githubOutputs, c.resultFile ? resultFileSink(c.resultFile) : undefined),
    };
  }
  const bitbucket = env.BITBUCKET_BUILD_NUMBER !== undefined;
  // A pipe's working directory is the clone; keep the result beside the user's files either way.
  const base = env.BITBUCKET_CLONE_DIR ?? process.cwd();
  const color = bitbucket || wantsColor(env);
  return {
    name: bitbucket ? 'bitbucket' : 'plain',
    source: envVariables(env),
    defaults: { resultFile: RESULT_FILE },
    workdir: base,
    reporter: (c) => new TextReporter({ color, debug: c.debug }),
    outputs: (c) => combineSinks(c.resultFile ? resultFileSink(isAbsolute(c.resultFile) ? c.resultFile : join(base, c.resultFile)) : undefined),
  };
}

function wantsColor(env: Env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  // GitLab and most CI logs render ANSI colours without a TTY.
  return !!process.stdout.isTTY || env.GITLAB_CI === 'true';
}
