import type { ClientSettings } from '../aws/client-options';
import type { Config, ConfigDefaults } from '../config/config';
import type { SettingSource } from '../config/sources';
import type { CiContext } from '../domain/ci-context';
import type { Log } from '../log/log';
import type { OutputSink } from '../present/outputs';
import type { Presenter } from '../present/presenter';

export type Env = Readonly<Record<string, string | undefined>>;

/** What a front door knows of the process it runs in. */
export interface Surroundings {
  readonly env: Env;
  readonly cwd: string;
  /** Where the step's own lines go (the CI log). */
  readonly write: (text: string) => void;
  readonly isTty: boolean;
}

/** How the step reaches AWS from this CI: credentials, and client tuning. */
export interface AwsAccess {
  readonly settings: Omit<ClientSettings, 'region'>;
  readonly description: string;
  readonly warning?: string;
  /** What is missing for AWS to be reached at all: a settings error, before any call. */
  readonly problems?: readonly string[];
}

/**
 * One CI: where settings come from, how the user sees the run, where results go, how AWS is
 * reached. The only code that reads the CI's environment.
 */
/** The files the step writes for the CI: the result, the outputs as dotenv, the test reports as JUnit. */
export type OutputFiles = Pick<Config, 'resultFile' | 'dotenvFile' | 'junitFile'>;

export type ConsoleSettings = Pick<Config, 'debug'> & Partial<Pick<Config, 'logLimitKb'>>;

export interface FrontDoor {
  readonly name: 'github' | 'bitbucket' | 'gitlab' | 'plain';
  readonly settings: SettingSource;
  readonly defaults: ConfigDefaults;
  /** The checked-out code (what upload-source zips). */
  readonly workdir: string;
  readonly ci: CiContext;
  /** How the user sees the run; before the settings are read (to report them), `{ debug: false }`. */
  console(view: ConsoleSettings): { readonly log: Log; readonly presenter: Presenter };
  /** Where outputs go; `log` says what a file had to leave out. */
  outputs(files: OutputFiles, log: Log): OutputSink;
  /** How AWS is reached; `settings` name the variable a GitLab job's ID token is in. */
  aws(settings?: Pick<Config, 'oidcTokenVariable'>): AwsAccess;
}
