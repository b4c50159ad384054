import type { NotifyOn } from '../domain/notify-rules';
import type { RetryRules } from '../domain/retry-rules';
import type { StartSettings } from '../domain/start-request';

/** What to run, decided once from the settings: each kind of run is chosen by its own kind. */
export type RunChoice =
  | { readonly kind: 'build'; readonly start: StartSettings }
  | { readonly kind: 'batch'; readonly start: StartSettings }
  /** build-id: follow a build (or, with batch, a batch build) that already runs. */
  | { readonly kind: 'attach'; readonly buildId: string; readonly batch: boolean }
  /** pipeline-name: run (or, with pipeline-execution-id, follow) a CodePipeline execution. */
  | { readonly kind: 'pipeline'; readonly pipeline: PipelineConfig };

/** Every setting, typed and validated: what the rest of the step reads. */
export interface Config extends RetryRules {
  readonly run: RunChoice;
  readonly wait: boolean;
  readonly tailLogs: boolean;
  /** Zip the working directory to this S3 location and build it instead of the project's source. */
  readonly upload?: UploadConfig;
  /** download-artifacts: where the run's artifacts go once it ends. */
  readonly download?: DownloadConfig;
  readonly region?: string;
  readonly resultFile?: string;
  /** The outputs as a dotenv file (GitLab's artifacts: reports: dotenv). */
  readonly dotenvFile?: string;
  /** The test reports as JUnit XML. */
  readonly junitFile?: string;
  /** GitLab: the variable the job's ID token is in (id_tokens:). */
  readonly oidcTokenVariable: string;
  /** GitLab: the runner's job-log limit in KB; 0 for none. */
  readonly logLimitKb: number;
  readonly debug: boolean;
  readonly slack?: SlackConfig;
  readonly stopOnCancel: boolean;
  readonly waitTimeoutMinutes?: number;
  readonly stopOnTimeout: boolean;
  /** Settings that do nothing in this combination: better said than silently dropped. */
  readonly warnings: readonly string[];
  /** Values that must never reach the log: the webhook URL, secret-typed variables' references. */
  readonly secrets: readonly string[];
}

export interface UploadConfig {
  /** Empty with pipeline-name: the pipeline's S3 source action says where. */
  readonly bucket: string;
  readonly prefix: string;
  readonly exclude: readonly string[];
  readonly keep: boolean;
}

export const SOURCE_REVISION_TYPES = ['COMMIT_ID', 'IMAGE_DIGEST', 'S3_OBJECT_VERSION_ID', 'S3_OBJECT_KEY'] as const;
export type SourceRevisionType = (typeof SOURCE_REVISION_TYPES)[number];

export interface PipelineConfig {
  readonly name: string;
  readonly variables: readonly { readonly name: string; readonly value: string }[];
  readonly sourceRevisions: readonly { readonly actionName: string; readonly revisionType: SourceRevisionType; readonly revisionValue: string }[];
  /** Follow this execution instead of starting one. */
  readonly executionId?: string;
  readonly stopMode: 'finish' | 'abandon';
}

export interface DownloadConfig {
  /** As given: relative to the workspace (or absolute). */
  readonly dir: string;
  readonly on: 'success' | 'always';
}

export interface SlackConfig {
  readonly webhookUrl: string;
  readonly notifyOn: NotifyOn;
  readonly message?: string;
  /** The user's Block Kit template, read and parsed up front so a bad file fails before AWS. */
  readonly payloadTemplate?: unknown;
}

/** What differs between front doors, decided once by the front door. */
export interface ConfigDefaults {
  readonly resultFile?: string;
  readonly dotenvFile?: string;
  readonly junitFile?: string;
}
