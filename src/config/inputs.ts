/**
 * The user-facing interface: every setting's GitHub input name and env-var name.
 * One table feeds the loader, action.yml checks, `--help` and the docs, so the names
 * cannot drift apart.
 */
import type { InputSpec } from './input-spec';
import { spec } from './input-spec';
import { RUN_INPUTS } from './inputs-run';

export type { InputSpec } from './input-spec';

/** The rest of the table: source upload, artifacts, outputs, retries, Slack, waiting. */
const MORE_INPUTS = spec({
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

export const INPUTS: Record<keyof typeof RUN_INPUTS | keyof typeof MORE_INPUTS, InputSpec> = { ...RUN_INPUTS, ...MORE_INPUTS };

export type InputKey = keyof typeof INPUTS;
