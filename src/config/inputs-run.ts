import { spec } from './input-spec';

/** The input table's first part: what to run (a build, a batch, a pipeline) and how. Order is the docs' order. */
export const RUN_INPUTS = spec({
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
});
