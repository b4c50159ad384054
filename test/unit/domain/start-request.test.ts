import { readFileSync } from 'node:fs';
import { loadConfig } from '../../../src/config/config';
import { START_BUILD_BATCH_FIELDS, START_BUILD_FIELDS, startBuildBatchRequest, startBuildRequest } from '../../../src/domain/start-request';
import { envVariables } from '../../../src/frontdoor/settings';

const config = (env: Record<string, string>) => loadConfig(envVariables({ PROJECT_NAME: 'app', ...env }));

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
