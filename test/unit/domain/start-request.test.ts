import { readFileSync } from 'node:fs';
import { loadConfig } from '../../../src/config/config';
import { START_BUILD_BATCH_FIELDS, START_BUILD_FIELDS, startBuildBatchRequest, startBuildRequest } from '../../../src/domain/start-request';
import { envVariables } from '../../../src/frontdoor/settings';
import { startOf } from '../support';

const config = (env: Record<string, string>) => startOf(loadConfig(envVariables({ PROJECT_NAME: 'app', ...env })));

describe('startBuildRequest', () => {
  test('privileged mode on by default, nothing else overridden', () => {
    expect(startBuildRequest(config({}))).toEqual({ projectName: 'app', privilegedModeOverride: true });
  });

  test('every modelled override', () => {
    const request = startBuildRequest(
      config({
        SOURCE_VERSION: 'refs/heads/main',
        PRIVILEGED_MODE: 'false',
        ENVIRONMENT_VARIABLES: '[{"name":"S","value":"/p","type":"PARAMETER_STORE"}]',
        BUILDSPEC_OVERRIDE: 'ci/buildspec.yml',
        COMPUTE_TYPE_OVERRIDE: 'BUILD_GENERAL1_LARGE',
        IMAGE_OVERRIDE: 'aws/codebuild/standard:7.0',
        TIMEOUT_IN_MINUTES_OVERRIDE: '30',
      }),
      'tok',
    );
    expect(request).toEqual({
      projectName: 'app',
      privilegedModeOverride: false,
      sourceVersion: 'refs/heads/main',
      environmentVariablesOverride: [{ name: 'S', value: '/p', type: 'PARAMETER_STORE' }],
      buildspecOverride: 'ci/buildspec.yml',
      computeTypeOverride: 'BUILD_GENERAL1_LARGE',
      imageOverride: 'aws/codebuild/standard:7.0',
      timeoutInMinutesOverride: 30,
      idempotencyToken: 'tok',
    });
  });

  test('start-build-overrides is merged last and wins', () => {
    const request = startBuildRequest(config({ START_BUILD_OVERRIDES: '{"privilegedModeOverride":false,"queuedTimeoutInMinutesOverride":10}' }));
    expect(request).toMatchObject({ privilegedModeOverride: false, queuedTimeoutInMinutesOverride: 10 });
  });
});

test.each([
  ['StartBuildInput', START_BUILD_FIELDS],
  ['StartBuildBatchInput', START_BUILD_BATCH_FIELDS],
])('the field list matches the SDK model of %s', (name, list) => {
  const models = readFileSync(require.resolve('@aws-sdk/client-codebuild').replace(/dist-cjs.*$/, 'dist-types/models/models_0.d.ts'), 'utf8');
  const body = models.slice(models.indexOf(`export interface ${name} {`));
  const fields = [...body.slice(0, body.indexOf('\n}')).matchAll(/^ +(\w+)\??:/gm)].map((m) => m[1]);
  expect([...list].sort()).toEqual(fields.sort());
});

test('the batch request renames the timeout and keeps the other overrides', () => {
  const request = startBuildBatchRequest(
    config({ TIMEOUT_IN_MINUTES_OVERRIDE: '30', BATCH: 'true', START_BUILD_OVERRIDES: '{"buildBatchConfigOverride":{"combineArtifacts":true}}' }),
    't',
  );
  expect(request).toEqual({
    projectName: 'app',
    privilegedModeOverride: true,
    buildTimeoutInMinutesOverride: 30,
    idempotencyToken: 't',
    buildBatchConfigOverride: { combineArtifacts: true },
  });
});

describe('environment-variables and start-build-overrides.environmentVariablesOverride together', () => {
  const both = {
    ENVIRONMENT_VARIABLES: 'STAGE=test\nREGION_NAME=eu',
    START_BUILD_OVERRIDES: JSON.stringify({
      environmentVariablesOverride: [
        { name: 'STAGE', value: 'prod', type: 'PLAINTEXT' },
        { name: 'TOKEN', value: '/t', type: 'PARAMETER_STORE' },
      ],
    }),
  };

  test('are merged by name; start-build-overrides wins for a name in both', () => {
    const expected = [
      { name: 'STAGE', value: 'prod', type: 'PLAINTEXT' },
      { name: 'REGION_NAME', value: 'eu', type: 'PLAINTEXT' },
      { name: 'TOKEN', value: '/t', type: 'PARAMETER_STORE' },
    ];
    expect(startBuildRequest(config(both)).environmentVariablesOverride).toEqual(expected);
    expect(startBuildBatchRequest(config({ ...both, BATCH: 'true' })).environmentVariablesOverride).toEqual(expected);
  });

  test('a name in both is said, never silently dropped', () => {
    expect(loadConfig(envVariables({ PROJECT_NAME: 'app', ...both })).warnings).toContain(
      'ENVIRONMENT_VARIABLES and START_BUILD_OVERRIDES both set STAGE: the START_BUILD_OVERRIDES value is used (start-build-overrides wins, by name).',
    );
  });

  test('an environmentVariablesOverride that is not a list of {name, value} is a settings error', () => {
    expect(() => config({ START_BUILD_OVERRIDES: '{"environmentVariablesOverride": {"STAGE": "prod"}}' })).toThrow(
      'START_BUILD_OVERRIDES environmentVariablesOverride must be a JSON array of {"name","value","type"} objects',
    );
  });
});
