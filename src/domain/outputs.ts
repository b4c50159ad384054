/** The names users read results by: GitHub outputs, and the same keys in the result file. */
export const OUTPUTS = {
  'build-id': 'The CodeBuild build id (set as soon as the build starts).',
  'build-arn': 'The build ARN (set as soon as the build starts).',
  'build-number': 'The build number in its project (set as soon as the build starts).',
  'build-url': 'Console link to the build (set as soon as the build starts).',
  'build-status':
    "Final status: SUCCEEDED, FAILED, FAULT, TIMED_OUT or STOPPED; IN_PROGRESS with wait: false; CANCELLED, WAIT_TIMEOUT or ERROR when the wait ended without CodeBuild's verdict.",
  'logs-url': 'CloudWatch Logs console link for the build log.',
  'exported-variables': "JSON object of the build's exported environment variables.",
  'source-location': 'With upload-source: the S3 location (bucket/key) of the uploaded source zip.',
  'batch-id': 'The batch build id (batch: true), set as soon as the batch starts.',
  'batch-builds': 'JSON array of the batch\'s child builds ({"identifier","build-id","build-status"}), batch: true.',
  'artifacts-dir': 'With download-artifacts: the absolute path of the directory the artifacts were downloaded into.',
  artifacts: 'With download-artifacts: JSON array of the files written, relative to the workspace.',
  'pipeline-execution-id': 'With pipeline-name: the CodePipeline execution id (set as soon as it is started or found).',
  'pipeline-status':
    'With pipeline-name: the execution status: Succeeded, Failed, Stopped, Superseded, Cancelled (InProgress while it runs); CANCELLED, WAIT_TIMEOUT or ERROR when the wait ended without one.',
  'pipeline-url': "With pipeline-name: console link to the execution's timeline.",
  'pipeline-actions':
    'With pipeline-name: JSON array of the actions in pipeline order ({"stage","action","provider","status","external-id","link"}); build-id and the other build outputs name the last CodeBuild action\'s build.',
  attempts: 'JSON array of every attempt ({"build-id","build-number","build-status"}), more than one when retry-on started the build again.',
} as const;

export type OutputName = keyof typeof OUTPUTS;
export type Outputs = Partial<Record<OutputName, string>>;
