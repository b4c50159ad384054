import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failingScript, successScript } from '../fake/build-script';
import { buildOf, expectEveryLineOnce, numbered, useFake, withPrivateFake } from './helpers';
import { readJson, runBundle } from './run-bundle';

// The bundle runs as a child process against the fake endpoint, the way a CI runner runs it.
const aws = useFake((fake) => {
  fake.addProject('ok', successScript({ lines: numbered('ok', 60), buildMs: 2_000 }));
  fake.addProject('late-lines', { ...successScript({ lines: numbered('late', 20), buildMs: 1_000 }), ingestionLagMs: 3_000 });
  fake.addProject('silent', successScript({ lines: ['before the silence'], buildMs: 500, silentMs: 20_000 }));
  fake.addProject('late-stream', { ...successScript({ lines: numbered('late-stream', 20), buildMs: 8_000 }), streamDelayMs: 5_000 });
  fake.addProject('no-logs', { ...failingScript('FAILED'), logsDisabled: true });
  fake.addProject('custom-group', { ...successScript({ lines: numbered('custom', 5) }), logGroup: 'team/builds', streamPrefix: 'app' });
  fake.addProject('fail', failingScript('FAILED'));
  fake.addProject('fault', failingScript('FAULT', 'PROVISIONING', 'Build container found dead before completing the build'));
  fake.addProject('timed-out', failingScript('TIMED_OUT', 'BUILD', 'Build has timed out.'));
  fake.addProject('stopped', failingScript('STOPPED', 'BUILD', 'Build was stopped.'));
});

const run = (env: Record<string, string>) => {
  const cwd = mkdtempSync(join(tmpdir(), 'cbr-e2e-'));
  return runBundle({ ...aws.env, ...env }, { cwd }).then((r) => ({ ...r, cwd, result: readJson(join(cwd, 'codebuild-result.json')) }));
};

describe('the bundle against the fake endpoint', () => {
  test.concurrent('success: link, every line once in order, verdict, exit 0, result file', async () => {
    const r = await run({ PROJECT_NAME: 'ok', SOURCE_VERSION: 'main', ENVIRONMENT_VARIABLES: 'STAGE=test' });
    expect(r.code).toBe(0);
    const build = buildOf(aws.fake, 'ok');
    expectEveryLineOnce(r.stdout, build);
    expect(r.stdout).toContain(
      `Console: https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/ok/build/${encodeURIComponent(build.id)}/?region=eu-west-1`,
    );
    expect(r.stdout).toMatch(/✔ Build ok #1 SUCCEEDED in \ds/);
    expect(r.stdout).toContain('INFO: Phase BUILD SUCCEEDED');
    expect(r.result).toMatchObject({
      'build-id': build.id,
      'build-arn': build.arn,
      'build-number': '1',
      'build-status': 'SUCCEEDED',
      'exported-variables': '{"IMAGE_TAG":"v1.2.3"}',
    });
    expect(r.result!['logs-url']).toContain('/aws/codebuild/ok');
    expect(build.request).toMatchObject({
      projectName: 'ok',
      privilegedModeOverride: true,
      sourceVersion: 'main',
      environmentVariablesOverride: [{ name: 'STAGE', value: 'test', type: 'PLAINTEXT' }],
    });
    expect(build.request.idempotencyToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.stdout).not.toContain('::');
  });

  test.concurrent.each([
    ['fail', 'FAILED', 'BUILD', 'COMMAND_EXECUTION_ERROR: Error while executing command: npm test. Reason: exit status 1'],
    ['fault', 'FAULT', 'PROVISIONING', 'Build container found dead before completing the build'],
    ['timed-out', 'TIMED_OUT', 'BUILD', 'BUILD_TIMED_OUT: Build has timed out.'],
    ['stopped', 'STOPPED', 'BUILD', 'Build was stopped.'],
  ])('%s: exit 1 with status, failing phase and reason on one line', async (project, status, phase, reason) => {
    const r = await run({ PROJECT_NAME: project });
    expect(r.code).toBe(1);
    const verdict = r.stdout.split('\n').filter((l) => l.startsWith('✖'));
    expect(verdict).toHaveLength(1);
    expect(verdict[0]).toMatch(new RegExp(`${project} #1 ${status} after \\ds in phase ${phase}: `));
    expect(verdict[0]).toContain(reason);
    expect(r.result!['build-status']).toBe(status);
    expectEveryLineOnce(r.stdout, buildOf(aws.fake, project));
  });

  test.concurrent('lines CloudWatch delivers seconds after the build ended are all printed', async () => {
    const r = await run({ PROJECT_NAME: 'late-lines' });
    expect(r.code).toBe(0);
    const build = buildOf(aws.fake, 'late-lines');
    expect(Math.max(...build.lines.map((l) => l.availableAt))).toBeGreaterThan(build.startedAt + build.endMs + 2_000);
    expectEveryLineOnce(r.stdout, build);
  });

  test.concurrent('a silent stretch of 20 s: still waits, no line lost', async () => {
    const r = await run({ PROJECT_NAME: 'silent' });
    expect(r.code).toBe(0);
    expectEveryLineOnce(r.stdout, buildOf(aws.fake, 'silent'));
  });

  test.concurrent('a log stream that appears late', async () => {
    const r = await run({ PROJECT_NAME: 'late-stream' });
    expect(r.code).toBe(0);
    // CloudWatch answered "no such stream" before it answered lines
    const build = buildOf(aws.fake, 'late-stream');
    const reads = aws.fake.calls.filter((c) => c.op === 'GetLogEvents' && c.resource === build.stream);
    expect(reads[0]?.errorType).toBe('ResourceNotFoundException');
    expectEveryLineOnce(r.stdout, buildOf(aws.fake, 'late-stream'));
  });

  test.concurrent('custom log group and stream prefix', async () => {
    const r = await run({ PROJECT_NAME: 'custom-group' });
    expect(r.code).toBe(0);
    expectEveryLineOnce(r.stdout, buildOf(aws.fake, 'custom-group'));
  });

  test.concurrent('logs disabled: says so, shows the link, still judges', async () => {
    const r = await run({ PROJECT_NAME: 'no-logs' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('CloudWatch Logs are disabled');
    expect(r.stdout).toContain('Console: https://');
    expect(r.stdout).toMatch(/✖ Build no-logs #1 FAILED after \ds in phase BUILD/);
  });

  test.concurrent('unknown project: one clear line, no stack trace, exit 1', async () => {
    const r = await run({ PROJECT_NAME: 'does-not-exist' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "ResourceNotFoundException: Project cannot be found: arn:aws:codebuild:eu-west-1:123456789012:project/does-not-exist (check that project 'does-not-exist' exists in this account and region)",
    );
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });

  test.concurrent('wait: false starts, reports and exits 0', async () => {
    const r = await run({ PROJECT_NAME: 'ok', WAIT: 'false', RESULT_FILE: 'out/result.json' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Not waiting');
    const result = JSON.parse(readFileSync(join(r.cwd, 'out/result.json'), 'utf8'));
    expect(result['build-status']).toBe('IN_PROGRESS');
  });
});

describe('bad input fails before any AWS call', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['missing project', {}, 'PROJECT_NAME is required'],
    ['malformed JSON', { PROJECT_NAME: 'ok', START_BUILD_OVERRIDES: '{nope' }, 'START_BUILD_OVERRIDES is not valid JSON'],
    ['malformed env JSON', { PROJECT_NAME: 'ok', ENVIRONMENT_VARIABLES: '[{"name":"A",' }, 'ENVIRONMENT_VARIABLES is not valid JSON'],
    ['a boolean that is not one', { PROJECT_NAME: 'ok', PRIVILEGED_MODE: 'sometimes' }, "PRIVILEGED_MODE must be true or false, got 'sometimes'"],
    ['a bad timeout', { PROJECT_NAME: 'ok', TIMEOUT_IN_MINUTES_OVERRIDE: '3000' }, 'TIMEOUT_IN_MINUTES_OVERRIDE must be from 5 to 2160, got 3000'],
    [
      'a bad env var type',
      { PROJECT_NAME: 'ok', ENVIRONMENT_VARIABLES: '[{"name":"A","value":"x","type":"VAULT"}]' },
      'must be one of PLAINTEXT, PARAMETER_STORE, SECRETS_MANAGER',
    ],
    ['no region anywhere', { PROJECT_NAME: 'ok', AWS_REGION: '' }, 'no AWS region: set AWS_REGION or AWS_DEFAULT_REGION'],
    [
      'a StartBuild field that does not exist',
      { PROJECT_NAME: 'ok', START_BUILD_OVERRIDES: '{"sourceVersoin":"main"}' },
      'START_BUILD_OVERRIDES has field StartBuild does not know: sourceVersoin',
    ],
  ];
  test.concurrent.each(cases)('%s', (_name, env, message) =>
    withPrivateFake(async (awsEnv, fake) => {
      const r = await runBundle({ ...awsEnv, ...env });
      expect(r.code).toBe(2);
      expect(r.stdout).toContain(message);
      expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
      expect(fake.calls).toHaveLength(0);
    }),
  );
});
