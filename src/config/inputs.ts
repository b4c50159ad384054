/**
 * The user-facing interface: every setting's GitHub input name and env-var name.
 * One table feeds the loader, action.yml checks, `--help` and the docs, so the names
 * cannot drift apart.
 */
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

const spec = <K extends string>(table: Record<K, InputSpec>): Record<K, InputSpec> => table;

export const INPUTS = spec({
  projectName: {
    input: 'project-name',
    env: ['PROJECT_NAME'],
    description: 'Name of the CodeBuild project to build (required unless build-id or pipeline-name is given).',
    requiredUnless: ['build-id', 'pipeline-name'],
  },
  sourceVersion: {
    input: 'source-version',
    env: ['SOURCE_VERSION'],
    description: "Commit, branch, tag or pull-request ref to build (sourceVersion). Default: the project's default.",
  },
  privilegedMode: {
    input: 'privileged-mode',
    env: ['PRIVILEGED_MODE'],
    description: 'privilegedModeOverride: run the build container privileged (Docker-in-Docker).',
    default: 'true',
  },
  environmentVariables: {
    input: 'environment-variables',
    env: ['ENVIRONMENT_VARIABLES'],
    description:
      'Environment variable overrides: NAME=value lines (PLAINTEXT), or a JSON array of {"name","value","type"} with type PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER.',
    list: true,
  },
  buildspecOverride: {
    input: 'buildspec-override',
    env: ['BUILDSPEC_OVERRIDE'],
    literal: true,
    description: 'Buildspec path in the source, or an inline buildspec (YAML).',
  },
  computeTypeOverride: {
    input: 'compute-type-override',
    env: ['COMPUTE_TYPE_OVERRIDE'],
    description: 'Compute type, e.g. BUILD_GENERAL1_LARGE.',
  },
  imageOverride: {
    input: 'image-override',
    env: ['IMAGE_OVERRIDE'],
    description: 'Build image, e.g. aws/codebuild/standard:7.0.',
  },
  timeoutInMinutesOverride: {
    input: 'timeout-in-minutes-override',
    env: ['TIMEOUT_IN_MINUTES_OVERRIDE'],
    description: 'Build timeout in minutes, 5 to 2160.',
  },
  startBuildOverrides: {
    input: 'start-build-overrides',
    env: ['START_BUILD_OVERRIDES'],
    description:
      'JSON object merged into the StartBuild (or StartBuildBatch) request last, for any other field. Its environmentVariablesOverride is merged with environment-variables by name; for a name in both, this one wins.',
  },
  wait: {
    input: 'wait',
    env: ['WAIT'],
    description: 'Wait for the build to end and fail the step unless it SUCCEEDED. false: start, report, exit 0.',
    default: 'true',
  },
  tailLogs: {
    input: 'tail-logs',
    env: ['TAIL_LOGS'],
    description: "Stream the build's CloudWatch log lines into this log.",
    default: 'true',
  },
  batch: {
    input: 'batch',
    env: ['BATCH'],
    description:
      "Run a batch build (StartBuildBatch: the build graph, matrix or list of the project's or the overridden buildspec); every child's log is streamed with an [identifier] prefix.",
    default: 'false',
  },
  pipelineName: {
    input: 'pipeline-name',
    env: ['PIPELINE_NAME'],
    description:
      "Run this CodePipeline pipeline instead of a CodeBuild project: its stages and actions are followed, every CodeBuild action's log is tailed with a [Stage/Action] prefix. Not with project-name, batch or the StartBuild overrides.",
  },
  pipelineVariables: {
    input: 'pipeline-variables',
    env: ['PIPELINE_VARIABLES'],
    description: 'Pipeline-level variables for the execution (V2 pipelines): NAME=value lines.',
    list: true,
  },
  sourceRevisions: {
    input: 'source-revisions',
    env: ['SOURCE_REVISIONS'],
    description:
      'Source revision overrides (V2 pipelines): ActionName=TYPE:value lines, TYPE one of COMMIT_ID, IMAGE_DIGEST, S3_OBJECT_VERSION_ID, S3_OBJECT_KEY; e.g. Source=COMMIT_ID:<sha>.',
    list: true,
  },
  pipelineExecutionId: {
    input: 'pipeline-execution-id',
    env: ['PIPELINE_EXECUTION_ID'],
    description: 'With pipeline-name: follow this execution, already running, instead of starting one.',
  },
  stopMode: {
    input: 'stop-mode',
    env: ['STOP_MODE'],
    description:
      'How a cancelled CI job stops the pipeline execution: finish (let running actions end; no new ones start) or abandon (leave them; their CodeBuild builds are stopped too).',
    default: 'finish',
  },
  uploadSource: {
    input: 'upload-source',
    env: ['UPLOAD_SOURCE'],
    description:
      "S3 location (s3://bucket/prefix) to upload the working directory to as a zip, and build that (sourceTypeOverride S3): for code CodeBuild cannot pull (GitLab self-managed, Backlog, Gitea, a CI's merge result). With pipeline-name: true, to put it where the pipeline's S3 source action reads.",
  },
  uploadExclude: {
    input: 'upload-exclude',
    env: ['UPLOAD_EXCLUDE'],
    description: ".gitignore-style patterns, one a line, left out of the upload (besides .git/ and what the directory's .gitignore excludes).",
    list: true,
  },
  keepSource: {
    input: 'keep-source',
    env: ['KEEP_SOURCE'],
    description: 'Keep the uploaded source zip in S3 after the build (by default it is deleted).',
    default: 'false',
  },
  downloadArtifacts: {
    input: 'download-artifacts',
    env: ['DOWNLOAD_ARTIFACTS'],
    description:
      "Directory (relative to the workspace) to download the run's artifacts into once it ends: the primary into the directory, each secondary into <dir>/<artifactIdentifier>, each batch child's into <dir>/<identifier> (a batch that combines its artifacts: the combined ones), each pipeline CodeBuild action's output into <dir>/<artifact name>. ZIP artifacts are extracted and checked against their checksum.",
  },
  downloadArtifactsOn: {
    input: 'download-artifacts-on',
    env: ['DOWNLOAD_ARTIFACTS_ON'],
    description: "When to download them: success (the build succeeded) or always (also a failed build's, e.g. its test results).",
    default: 'success',
  },
  buildId: {
    input: 'build-id',
    env: ['BUILD_ID'],
    description: 'Attach to an existing build (tail, wait, verdict) instead of starting one.',
  },
  region: {
    input: 'region',
    env: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
    componentEnv: 'CODEBUILD_RUN_REGION',
    description: "AWS region. Default: the SDK's chain (AWS_REGION, profile).",
  },
  resultFile: {
    input: 'result-file',
    env: ['RESULT_FILE'],
    description:
      'Where to write the JSON result (the outputs); empty disables. Default: none for the Action, codebuild-result.json in the working directory for the pipe and docker run.',
    emptyDisables: true,
  },
  dotenvFile: {
    input: 'dotenv-file',
    env: ['DOTENV_FILE'],
    description:
      "Where to write the outputs as a dotenv file for later GitLab jobs (artifacts: reports: dotenv), as CODEBUILD_RUN_<OUTPUT> variables within GitLab's limits; empty disables. Default: codebuild.env on GitLab, none elsewhere.",
    emptyDisables: true,
    omitFrom: ['action.yml'],
  },
  junitFile: {
    input: 'junit-file',
    env: ['JUNIT_FILE'],
    description:
      "Where to write the run's test reports as JUnit XML (GitLab's artifacts: reports: junit, or any CI's test-report reader): a testsuite per report with its totals, a testcase per failed or errored case; empty disables. Default: codebuild-junit.xml on GitLab, none elsewhere.",
    emptyDisables: true,
  },
  oidcTokenVariable: {
    input: 'oidc-token-variable',
    env: ['OIDC_TOKEN_VARIABLE'],
    description:
      "GitLab: the variable holding the job's ID token (id_tokens:), assumed with AWS_OIDC_ROLE_ARN (or AWS_ROLE_ARN) by web identity instead of static keys.",
    default: 'GITLAB_OIDC_TOKEN',
    omitFrom: ['action.yml', 'pipe.yml', 'component'],
  },
  logLimitKb: {
    input: 'log-limit-kb',
    env: ['LOG_LIMIT_KB'],
    description:
      "GitLab: the runner's job-log limit in KB (its output_limit, 4096 unless the admin changed it). Build lines past 90% of it are left out with a notice, so the verdict, the failed phase's last lines and the coverage line still reach the log; 0: no limit.",
    default: '4096',
    omitFrom: ['action.yml', 'pipe.yml'],
  },
  retryOn: {
    input: 'retry-on',
    env: ['RETRY_ON'],
    description:
      'Final statuses that start the build again with RetryBuild, comma-separated: FAULT, TIMED_OUT, STOPPED, FAILED (FAILED only if you list it). Default: none.',
  },
  maxRetries: {
    input: 'max-retries',
    env: ['MAX_RETRIES'],
    description: 'How many times retry-on may start the build again, 1 to 10.',
    default: '1',
  },
  slackWebhookUrl: {
    input: 'slack-webhook-url',
    env: ['SLACK_WEBHOOK_URL'],
    description: 'Slack incoming-webhook URL for the build summary (a secret: pass it from secrets/secured variables).',
    secret: true,
  },
  slackNotifyOn: {
    input: 'slack-notify-on',
    env: ['SLACK_NOTIFY_ON'],
    description: 'When to post to Slack: always, failure, success or never.',
    default: 'always',
  },
  slackMessage: {
    input: 'slack-message',
    env: ['SLACK_MESSAGE'],
    literal: true,
    description:
      'Extra text for the Slack message; ${BUILD_STATUS}, ${PROJECT_NAME}, ${BUILD_NUMBER}, ${BUILD_URL}, ${LOGS_URL}, ${DURATION}, ${FAILED_PHASE}, ${FAILURE_REASON}, ${COMMIT}, ${BRANCH}, ${REPOSITORY}, ${CI_URL}, ${TRIGGERED_BY} … are filled in.',
  },
  slackPayloadFile: {
    input: 'slack-payload-file',
    env: ['SLACK_PAYLOAD_FILE'],
    description: 'Path to your own Slack Block Kit JSON payload, with the same ${…} placeholders; replaces the default message.',
  },
  stopOnCancel: {
    input: 'stop-on-cancel',
    env: ['STOP_ON_CANCEL'],
    description: 'Stop the CodeBuild build when the CI job is cancelled (SIGINT/SIGTERM).',
    default: 'true',
  },
  waitTimeoutMinutes: {
    input: 'wait-timeout-minutes',
    env: ['WAIT_TIMEOUT_MINUTES'],
    description: "Give up waiting after this many minutes and fail the step. Default: none (the build's own timeout rules).",
  },
  stopOnTimeout: {
    input: 'stop-on-timeout',
    env: ['STOP_ON_TIMEOUT'],
    description: 'Stop the build when wait-timeout-minutes is reached.',
    default: 'true',
  },
  debug: {
    input: 'debug',
    env: ['DEBUG'],
    description: 'Print extra diagnostics (and stack traces).',
    default: 'false',
  },
});

export type InputKey = keyof typeof INPUTS;
