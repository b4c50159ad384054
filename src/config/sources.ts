import type { InputSpec } from './inputs';

/** A raw setting as the user wrote it, with the name they know it by (for error messages). */
export interface RawValue {
  readonly value: string;
  /** e.g. `input 'project-name'` or `PROJECT_NAME`. */
  readonly from: string;
  /** Set when a Bitbucket list variable (NAME_0, NAME_1 …) supplied the value. */
  readonly items?: readonly string[];
}

/** How settings reach the process (GitHub inputs, env variables); each front door brings one. Empty means unset. */
export interface SettingSource {
  readonly describe: (spec: InputSpec) => string;
  readonly read: (spec: InputSpec) => RawValue | undefined;
}
