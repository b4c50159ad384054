import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failingScript, successScript } from '../fake/build-script';
import { githubStep } from '../platforms/github-runner';
import { numbered, useFake, withPrivateFake } from './helpers';
import { readJson, runBundle } from './run-bundle';

/**
 * Batches as BatchGetBuildBatches returns them (CLI reference examples): a DOWNLOAD_SOURCE group
 * first, groups with ignoreFailure, RetryBuildBatch keeping the batch's id, the batch's own
 * merged reports, and (every member being optional in the model) a batch without an ARN.
 */
const ok = (name: string) => successScript({ lines: numbered(name, 10) });
const aws = useFake((fake) => {
  fake.addBatchProject('three', [
    { identifier: 'linux', script: ok('three-linux') },
    { identifier: 'windows', script: failingScript('FAILED', 'BUILD', 'Error while executing command: make test. Reason: exit status 2') },
    { identifier: 'arm', script: ok('three-arm') },
  ]);
  fake.addBatchProject('optional-fails', [
    { identifier: 'lint', script: failingScript('FAILED', 'BUILD', 'lint is unhappy'), ignoreFailure: true },
    { identifier: 'unit', script: ok('optional-unit') },
  ]);
  fake.addBatchProject('blame', [
    { identifier: 'lint', script: failingScript('FAILED', 'BUILD', 'lint is unhappy'), ignoreFailure: true },
    { identifier: 'unit', script: failingScript('FAILED', 'BUILD', 'unit tests failed') },
  ]);
  fake.addBatchProject('no-source', [{ identifier: 'unit', script: ok('no-source') }], {
    downloadSourceFails: 'repository not found for primary source and source version main',
  });
  fake.addBatchProject('flaky-batch', [
    { identifier: 'steady', script: ok('flaky-steady') },
    { identifier: 'flaky', script: (attempt) => (attempt === 1 ? failingScript('FAILED') : ok(`flaky-try${attempt}`)) },
  ]);
  fake.addBatchProject('attach-me', [{ identifier: 'only', script: successScript({ lines: numbered('attach-me', 40), buildMs: 6_000 }) }]);
  fake.addBatchProject('merged-reports', [{ identifier: 'only', script: ok('merged') }], {
    reports: [{ group: 'all-tests', passed: 40, failed: [{ name: 'slow › times out', message: 'timeout after 5000 ms' }] }],
  });
  fake.addBatchProject('arnless', [{ identifier: 'only', script: ok('arnless') }], { noArn: true });
});
const cwd = () => mkdtempSync(join(tmpdir(), 'cbr-batch2-'));
const batchOf = (project: string) => [...aws.fake.batches.values()].find((b) => b.project === project)!;

describe('batch builds as CodeBuild returns them', () => {
  test.concurrent('the DOWNLOAD_SOURCE group is neither listed, tailed nor blamed as a child', async () => {
    const dir = cwd();
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'three', BATCH: 'true' }, { cwd: dir });
    expect(r.code).toBe(1);
    const builds = JSON.parse(readJson(join(dir, 'codebuild-result.json'))!['batch-builds']!);
    expect(builds.map((b: { identifier: string }) => b.identifier)).toEqual(['linux', 'windows', 'arm']);
    expect(r.stdout).not.toContain('[DOWNLOAD_SOURCE]');
    expect(r.stdout).toMatch(/✖ Batch three #1 FAILED after \d+s: windows FAILED in phase BUILD/);
  });

  test.concurrent('a group with ignoreFailure that fails does not fail the batch, and is never named as the cause', async () => {
    const passing = await runBundle({ ...aws.env, PROJECT_NAME: 'optional-fails', BATCH: 'true' }, { cwd: cwd() });
    expect(passing.code).toBe(0);
    expect(passing.stdout).toMatch(/✔ Batch optional-fails #1 SUCCEEDED/);
    const failing = await runBundle({ ...aws.env, PROJECT_NAME: 'blame', BATCH: 'true' }, { cwd: cwd() });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/✖ Batch blame #1 FAILED after \d+s: unit FAILED in phase BUILD: COMMAND_EXECUTION_ERROR: unit tests failed/);
  });

  test.concurrent("a failed source download is said as such, with CodeBuild's reason", async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'no-source', BATCH: 'true' }, { cwd: cwd() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /✖ Batch no-source #1 FAILED after \d+s: the source download failed: CLIENT_ERROR: repository not found for primary source and source version main/,
    );
  });

  test.concurrent('retry-on with batch: true retries the failed builds with RetryBuildBatch, in the same batch', async () => {
    const dir = cwd();
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'flaky-batch', BATCH: 'true', RETRY_ON: 'FAILED' }, { cwd: dir });
    expect(r.code).toBe(0);
    const batch = batchOf('flaky-batch');
    expect(batch.retries).toEqual(['RETRY_FAILED_BUILDS']);
    expect(r.stdout).toMatch(/✔ Batch flaky-batch #1 SUCCEEDED/);
    // the child that succeeded first time is not tailed again
    expect(r.stdout.split('\n').filter((l) => l === '[steady] flaky-steady line 1 of 10')).toHaveLength(1);
    expect(r.stdout).toContain('[flaky] flaky-try2 line 10 of 10');
    const attempts = JSON.parse(readJson(join(dir, 'codebuild-result.json'))!.attempts!);
    expect(attempts.map((a: { 'build-status': string }) => a['build-status'])).toEqual(['FAILED', 'SUCCEEDED']);
  });

  test.concurrent('build-id with batch: true attaches to a running batch', async () => {
    const starter = await runBundle({ ...aws.env, PROJECT_NAME: 'attach-me', BATCH: 'true', WAIT: 'false' }, { cwd: cwd() });
    expect(starter.code).toBe(0);
    const batch = batchOf('attach-me');
    const r = await runBundle({ ...aws.env, BUILD_ID: batch.id, BATCH: 'true' }, { cwd: cwd() });
    expect(r.code).toBe(0);
    expect(aws.fake.calls.filter((c) => c.op === 'StartBuildBatch' && c.resource === 'attach-me')).toHaveLength(1);
    expect(r.stdout).toContain(`Attached to batch build ${batch.id}`);
    expect(r.stdout).toContain('[only] attach-me line 40 of 40');
  });

  test.concurrent("the batch's own reports are read like a build's", async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'merged-reports', BATCH: 'true' }, { cwd: cwd() });
    expect(r.stdout).toContain('Tests merged-reports-all-tests: 41 tests, 40 passed, 1 failed');
    expect(r.stdout).toContain('  ✖ slow › times out: timeout after 5000 ms');
  });

  test.concurrent('a batch without an ARN still gets a working console link', async () => {
    const gh = githubStep({ with: { 'project-name': 'arnless', batch: 'true' }, env: aws.env });
    const r = await runBundle(gh.env, { cwd: gh.workspace });
    expect(r.code).toBe(0);
    const batch = batchOf('arnless');
    expect(gh.outputs()['build-url']).toBe(
      `https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/projects/arnless/batch/${encodeURIComponent(batch.id)}/?region=eu-west-1`,
    );
  });
});

describe('settings that cannot work together fail before any AWS call', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['upload-source with build-id', { BUILD_ID: 'app:1', UPLOAD_SOURCE: 's3://bucket/ci' }, 'UPLOAD_SOURCE cannot be combined with BUILD_ID'],
    ['retry-on without waiting', { PROJECT_NAME: 'app', RETRY_ON: 'FAULT', WAIT: 'false' }, 'RETRY_ON needs WAIT: true'],
    ['a wait timeout without waiting', { PROJECT_NAME: 'app', WAIT_TIMEOUT_MINUTES: '5', WAIT: 'false' }, 'WAIT_TIMEOUT_MINUTES needs WAIT: true'],
    ['max-retries without retry-on', { PROJECT_NAME: 'app', MAX_RETRIES: '3' }, 'MAX_RETRIES is set without RETRY_ON'],
  ];
  test.concurrent.each(cases)('%s', (_name, env, message) =>
    withPrivateFake(async (awsEnv, fake) => {
      const r = await runBundle({ ...awsEnv, ...env }, { cwd: cwd() });
      expect(r.code).toBe(2);
      expect(r.stdout).toContain(message);
      expect(fake.calls).toHaveLength(0);
    }),
  );
});
