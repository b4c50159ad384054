/** One row of the input table (inputs.ts): a setting's names on every platform and how it is shown. */
export interface InputSpec {
  /** GitHub Action input name (kebab-case). */
  readonly input: string;
  /** Env-var names for the Bitbucket pipe and `docker run`, first match wins. */
  readonly env: readonly string[];
  readonly description: string;
  /** Default shown to users; the loader applies the real default. */
  readonly default?: string;
  /** Required unless one of these inputs is given (there is no setting every run needs). */
  readonly requiredUnless?: readonly string[];
  /** Accept Bitbucket list variables (NAME_COUNT, NAME_0 …). */
  readonly list?: boolean;
  /** An explicitly empty value means "off" rather than "use the default". */
  readonly emptyDisables?: boolean;
  /** Never echo the value (masked on GitHub, hidden from debug output). */
  readonly secret?: boolean;
  /**
   * Metadata files that leave the setting out, because that platform has no use for it (a GitLab
   * dotenv file means nothing to a GitHub step). The loader still reads it wherever it is given.
   */
  readonly omitFrom?: readonly ('action.yml' | 'pipe.yml' | 'component')[];
  /**
   * The variable the GitLab component sets instead of `env[0]`, read before `env`: a job variable
   * outranks the runner's own (config.toml `environment`), so an empty AWS_REGION from the
   * component would hide the runner's region.
   */
  readonly componentEnv?: string;
  /**
   * GitLab: the component passes the value as written (`expand: false`): it holds `${…}`
   * placeholders or shell text for CodeBuild, which the runner would otherwise expand to nothing.
   */
  readonly literal?: boolean;
}

export const spec = <K extends string>(table: Record<K, InputSpec>): Record<K, InputSpec> => table;
