import { loadConfig } from '../../src/config/config';
import { envVariables } from '../../src/config/sources';
import { readFileSync } from 'node:fs';
import { START_BUILD_FIELDS, startBuildRequest } from '../../src/core/start-request';

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

test('START_BUILD_FIELDS matches the SDK model of StartBuildInput', () => {
  const models = readFileSync(require.resolve('@aws-sdk/client-codebuild').replace(/dist-cjs.*$/, 'dist-types/models/models_0.d.ts'), 'utf8');
  const body = models.slice(models.indexOf('export interface StartBuildInput {'));
  const fields = [...body.slice(0, body.indexOf('\n}')).matchAll(/^ +(\w+)\??:/gm)].map((m) => m[1]);
  expect([...START_BUILD_FIELDS].sort()).toEqual(fields.sort());
});
