import { ConfigError, loadConfig } from '../../../src/config/config';
import { envVariables, githubInputs } from '../../../src/frontdoor/settings';
import { runnerInputs } from '../../platforms/github-runner';
import { pipelineOf, startOf } from '../support';

const fromEnv = (env: Record<string, string>) => loadConfig(envVariables(env), { resultFile: 'codebuild-result.json' });
const problemsOf = (fn: () => unknown): readonly string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  test('defaults', () => {
    const c = fromEnv({ PROJECT_NAME: 'app' });
    expect(c).toMatchObject({ run: { kind: 'build' }, wait: true, tailLogs: true, debug: false, resultFile: 'codebuild-result.json' });
    expect(startOf(c)).toMatchObject({ projectName: 'app', privilegedMode: true, environmentVariables: [], startBuildOverrides: {} });
  });

  test('GitHub inputs use INPUT_ names with hyphens kept', () => {
    const c = loadConfig(githubInputs(runnerInputs({ 'project-name': 'app', 'privileged-mode': 'false', 'timeout-in-minutes-override': '30' }).env));
    expect(startOf(c)).toMatchObject({ projectName: 'app', privilegedMode: false, timeoutInMinutesOverride: 30 });
    expect(c.resultFile).toBeUndefined();
  });

  test('the Action does not see env-style names', () => {
    expect(problemsOf(() => loadConfig(githubInputs({ ...runnerInputs({}).env, PROJECT_NAME: 'app' })))).toEqual([
      "input 'project-name' is required (the CodeBuild project to build), unless input 'build-id' or input 'pipeline-name' is given",
    ]);
  });

  test('NAME=value lines are PLAINTEXT; comments and blank lines skipped; = in values kept', () => {
    const c = fromEnv({ PROJECT_NAME: 'a', ENVIRONMENT_VARIABLES: 'A=1\n# note\n\nB=x=y' });
    expect(startOf(c).environmentVariables).toEqual([
      { name: 'A', value: '1', type: 'PLAINTEXT' },
      { name: 'B', value: 'x=y', type: 'PLAINTEXT' },
    ]);
  });

  test('JSON array with types', () => {
    const c = fromEnv({
      PROJECT_NAME: 'a',
      ENVIRONMENT_VARIABLES: JSON.stringify([
        { name: 'TOKEN', value: '/app/token', type: 'parameter_store' },
        { name: 'DB', value: 'arn:aws:secretsmanager:eu-west-1:1:secret:db', type: 'SECRETS_MANAGER' },
        { name: 'PLAIN', value: 'v' },
      ]),
    });
    expect(startOf(c).environmentVariables.map((v) => v.type)).toEqual(['PARAMETER_STORE', 'SECRETS_MANAGER', 'PLAINTEXT']);
  });

  test('Bitbucket list variables', () => {
    const c = fromEnv({
      PROJECT_NAME: 'a',
      ENVIRONMENT_VARIABLES_COUNT: '2',
      ENVIRONMENT_VARIABLES_0: 'A=1',
      ENVIRONMENT_VARIABLES_1: '{"name":"S","value":"/p","type":"PARAMETER_STORE"}',
    });
    expect(startOf(c).environmentVariables).toEqual([
      { name: 'A', value: '1', type: 'PLAINTEXT' },
      { name: 'S', value: '/p', type: 'PARAMETER_STORE' },
    ]);
  });

  test('region from AWS_REGION, else AWS_DEFAULT_REGION', () => {
    expect(fromEnv({ PROJECT_NAME: 'a', AWS_DEFAULT_REGION: 'eu-central-1' }).region).toBe('eu-central-1');
    expect(fromEnv({ PROJECT_NAME: 'a', AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'eu-central-1' }).region).toBe('us-east-2');
  });

  test('an explicitly empty RESULT_FILE disables the file', () => {
    expect(fromEnv({ PROJECT_NAME: 'a', RESULT_FILE: '' }).resultFile).toBeUndefined();
    expect(fromEnv({ PROJECT_NAME: 'a', RESULT_FILE: 'out/r.json' }).resultFile).toBe('out/r.json');
  });

  test('upload-source: bucket, prefix, excludes (lines or a Bitbucket list), keep', () => {
    expect(fromEnv({ PROJECT_NAME: 'a', UPLOAD_SOURCE: 's3://ci-src/app/', UPLOAD_EXCLUDE: 'node_modules/\n# comment\n*.log' }).upload).toEqual({
      bucket: 'ci-src',
      prefix: 'app',
      exclude: ['node_modules/', '*.log'],
      keep: false,
    });
    expect(
      fromEnv({ PROJECT_NAME: 'a', UPLOAD_SOURCE: 's3://ci-src', UPLOAD_EXCLUDE_COUNT: '1', UPLOAD_EXCLUDE_0: 'dist/', KEEP_SOURCE: 'true' }).upload,
    ).toEqual({
      bucket: 'ci-src',
      prefix: '',
      exclude: ['dist/'],
      keep: true,
    });
    expect(fromEnv({ PROJECT_NAME: 'a' }).upload).toBeUndefined();
  });

  test('download-artifacts: the directory and when; bad values and combinations named before any call', () => {
    expect(fromEnv({ PROJECT_NAME: 'app', DOWNLOAD_ARTIFACTS: 'out' }).download).toEqual({ dir: 'out', on: 'success' });
    expect(fromEnv({ PROJECT_NAME: 'app', DOWNLOAD_ARTIFACTS: 'out', DOWNLOAD_ARTIFACTS_ON: 'ALWAYS' }).download).toEqual({ dir: 'out', on: 'always' });
    expect(problemsOf(() => fromEnv({ PROJECT_NAME: 'app', DOWNLOAD_ARTIFACTS: 'out', DOWNLOAD_ARTIFACTS_ON: 'failure' }))).toEqual([
      "DOWNLOAD_ARTIFACTS_ON must be one of success, always, got 'failure'",
    ]);
    expect(problemsOf(() => fromEnv({ PROJECT_NAME: 'app', DOWNLOAD_ARTIFACTS: 'out', WAIT: 'false' }))).toEqual([
      'DOWNLOAD_ARTIFACTS needs WAIT: true: the artifacts exist once the build has ended',
    ]);
    expect(problemsOf(() => fromEnv({ PROJECT_NAME: 'app', DOWNLOAD_ARTIFACTS: 'package.json' }))).toEqual([
      "DOWNLOAD_ARTIFACTS 'package.json' is a file; give a directory",
    ]);
    expect(fromEnv({ PROJECT_NAME: 'app', DOWNLOAD_ARTIFACTS_ON: 'always' }).warnings).toEqual([
      'DOWNLOAD_ARTIFACTS_ON is set without DOWNLOAD_ARTIFACTS: nothing will be downloaded.',
    ]);
  });

  test('pipeline-name: variables and source revisions (lines or Bitbucket lists), stop-mode; upload-source true', () => {
    const c = fromEnv({
      PIPELINE_NAME: 'deploy',
      PIPELINE_VARIABLES: 'STAGE=prod\nTAG=a=b',
      SOURCE_REVISIONS: 'Source=COMMIT_ID:3f2a9c1',
      UPLOAD_SOURCE: 'true',
    });
    expect(pipelineOf(c)).toEqual({
      name: 'deploy',
      variables: [
        { name: 'STAGE', value: 'prod' },
        { name: 'TAG', value: 'a=b' },
      ],
      sourceRevisions: [{ actionName: 'Source', revisionType: 'COMMIT_ID', revisionValue: '3f2a9c1' }],
      stopMode: 'finish',
    });
    expect(c.upload).toMatchObject({ bucket: '', keep: true });
    const listed = fromEnv({ PIPELINE_NAME: 'deploy', PIPELINE_VARIABLES_COUNT: '1', PIPELINE_VARIABLES_0: 'A=1', STOP_MODE: 'abandon' });
    expect(pipelineOf(listed)).toMatchObject({ variables: [{ name: 'A', value: '1' }], stopMode: 'abandon' });
    expect(problemsOf(() => fromEnv({ PIPELINE_NAME: 'deploy', PIPELINE_VARIABLES: 'STAGE=' }))).toEqual([
      'PIPELINE_VARIABLES line 1 (STAGE) needs a value of 1 to 1000 characters',
    ]);
    // SourceRevisionOverride: actionName [A-Za-z0-9.@\-_]{1,100}, a non-empty value.
    expect(pipelineOf(fromEnv({ PIPELINE_NAME: 'deploy', SOURCE_REVISIONS: ' App.Src = S3_OBJECT_KEY: app/1.zip ' }))?.sourceRevisions).toEqual([
      { actionName: 'App.Src', revisionType: 'S3_OBJECT_KEY', revisionValue: 'app/1.zip' },
    ]);
    for (const bad of ['My Source=COMMIT_ID:abc', 'Source=COMMIT_ID:', 'Source=COMMIT_ID:   ', `${'a'.repeat(101)}=COMMIT_ID:abc`]) {
      expect(problemsOf(() => fromEnv({ PIPELINE_NAME: 'deploy', SOURCE_REVISIONS: bad }))[0]).toMatch(
        /^SOURCE_REVISIONS line 1 must be ActionName=TYPE:value/,
      );
    }
    expect(problemsOf(() => fromEnv({ PIPELINE_NAME: 'deploy', PIPELINE_EXECUTION_ID: 'e-1', PIPELINE_VARIABLES: 'A=1' }))[0]).toMatch(
      /^PIPELINE_EXECUTION_ID follows a running execution/,
    );
  });

  test('build-id alone is enough (attach mode)', () => {
    expect(fromEnv({ BUILD_ID: 'app:123' }).run).toEqual({ kind: 'attach', buildId: 'app:123', batch: false });
  });

  test.each([
    [{ PRIVILEGED_MODE: 'maybe' }, "PRIVILEGED_MODE must be true or false, got 'maybe'"],
    [{ WAIT: 'yes please' }, "WAIT must be true or false, got 'yes please'"],
    [{ TIMEOUT_IN_MINUTES_OVERRIDE: '4' }, 'TIMEOUT_IN_MINUTES_OVERRIDE must be from 5 to 2160, got 4'],
    [{ TIMEOUT_IN_MINUTES_OVERRIDE: '2161' }, 'TIMEOUT_IN_MINUTES_OVERRIDE must be from 5 to 2160, got 2161'],
    [{ TIMEOUT_IN_MINUTES_OVERRIDE: '1.5' }, "TIMEOUT_IN_MINUTES_OVERRIDE must be a whole number from 5 to 2160, got '1.5'"],
    [{ START_BUILD_OVERRIDES: '[1]' }, 'START_BUILD_OVERRIDES must be a JSON object ({…})'],
    [{ START_BUILD_OVERRIDES: '{bad' }, 'START_BUILD_OVERRIDES is not valid JSON'],
    [
      { ENVIRONMENT_VARIABLES: '[{"name":"A","value":"1","type":"SECRET"}]' },
      "ENVIRONMENT_VARIABLES 'A' type must be one of PLAINTEXT, PARAMETER_STORE, SECRETS_MANAGER, got 'SECRET'",
    ],
    [{ ENVIRONMENT_VARIABLES: 'A=1\nJUSTANAME' }, 'ENVIRONMENT_VARIABLES line 2 is not NAME=value'],
    [{ START_BUILD_OVERRIDES: '{"sourceVersoin":"abc"}' }, 'START_BUILD_OVERRIDES has field StartBuild does not know: sourceVersoin'],
    [{ RESULT_FILE: '/tmp' }, "RESULT_FILE '/tmp' is a directory; give a file path"],
    [{ ENVIRONMENT_VARIABLES: 'CODEBUILD_X=1' }, "ENVIRONMENT_VARIABLES name 'CODEBUILD_X' may not start with CODEBUILD_"],
    [{ ENVIRONMENT_VARIABLES: 'A=1\nA=2' }, "ENVIRONMENT_VARIABLES names 'A' twice"],
    [{ ENVIRONMENT_VARIABLES: `A=${'x'.repeat(4097)}` }, "ENVIRONMENT_VARIABLES 'A' value is 4097 characters; at most 4096 are allowed"],
    [{ ENVIRONMENT_VARIABLES: '[{"name":"A"}]' }, `ENVIRONMENT_VARIABLES entry 1 ('A') needs a string "value"`],
    [{ AWS_REGION: 'Europe' }, "AWS_REGION must be an AWS region such as eu-west-1, got 'Europe'"],
    [{ UPLOAD_SOURCE: 'https://bucket/x' }, "UPLOAD_SOURCE must be an S3 location such as s3://my-bucket/ci-sources, got 'https://bucket/x'"],
    [{ UPLOAD_SOURCE: 's3://b-1/x', SOURCE_VERSION: 'main' }, 'SOURCE_VERSION cannot be combined with UPLOAD_SOURCE'],
  ])('rejects %j', (env, message) => {
    const problems = problemsOf(() => fromEnv({ PROJECT_NAME: 'a', ...env }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  test('errors never quote the values, which may be secrets', () => {
    const problems = problemsOf(() =>
      fromEnv({ PROJECT_NAME: 'a', ENVIRONMENT_VARIABLES: 'NPM_TOKEN: s3cr3t-value', START_BUILD_OVERRIDES: '{"environmentVariablesOverride": s3cr3t-value}' }),
    );
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).not.toContain('s3cr3t');
    expect(problems[1]).toMatch(/^START_BUILD_OVERRIDES is not valid JSON/);
  });

  test('ignored combinations are warned about', () => {
    expect(fromEnv({ PROJECT_NAME: 'a', BUILD_ID: 'a:1' }).warnings).toEqual([
      'BUILD_ID is set: attaching to build a:1; PROJECT_NAME and the other start settings are ignored.',
    ]);
    expect(fromEnv({ PROJECT_NAME: 'a', SLACK_NOTIFY_ON: 'failure' }).warnings).toEqual([
      'SLACK_NOTIFY_ON is set without SLACK_WEBHOOK_URL: nothing will be posted to Slack.',
    ]);
    expect(fromEnv({ PROJECT_NAME: 'a' }).warnings).toEqual([]);
  });

  test('reports every problem at once', () => {
    expect(problemsOf(() => fromEnv({ WAIT: 'x', TAIL_LOGS: 'y' }))).toHaveLength(3);
  });
});
