import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failingScript, successScript } from '../fake/build-script';
import { githubStep } from '../platforms/github-runner';
import { expectEveryLineOnce, numbered, useFake } from './helpers';
import { readJson, runBundle } from './run-bundle';
import { SlackReceiver } from './slack-receiver';

/** A project whose first build FAULTs and whose retries succeed, as flaky infrastructure does. */
function faultThenSuccess(name: string) {
  let builds = 0;
  return () => (++builds === 1 ? failingScript('FAULT', 'PROVISIONING', 'Build container found dead') : successScript({ lines: numbered(name, 20) }));
}

const aws = useFake((fake) => {
  fake.addProject('flaky', faultThenSuccess('flaky'));
  fake.addProject('flaky-gh', faultThenSuccess('flaky-gh'));
  fake.addProject('flaky-off', faultThenSuccess('flaky-off'));
  fake.addProject('red', failingScript('FAILED'));
  fake.addProject('always-fault', failingScript('FAULT', 'PROVISIONING', 'Build container found dead'));
});
const slack = new SlackReceiver();
beforeAll(() => slack.start());
afterAll(() => slack.stop());

const cwd = () => mkdtempSync(join(tmpdir(), 'cbr-retry-'));
const buildsOf = (project: string) => [...aws.fake.builds.values()].filter((b) => b.project === project);

describe('retry-on', () => {
  test.concurrent('a FAULT is retried with RetryBuild, the new build tailed, every attempt reported', async () => {
    const dir = cwd();
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'flaky', RETRY_ON: 'FAULT,TIMED_OUT', SLACK_WEBHOOK_URL: slack.url }, { cwd: dir });
    expect(r.code).toBe(0);
    const [first, second] = buildsOf('flaky');
    expect(aws.fake.calls.some((c) => c.op === 'RetryBuild' && c.resource === first!.id)).toBe(true);
    expect(r.stdout).toMatch(
      /WARNING: Build flaky #1 FAULT after \ds in phase PROVISIONING: CLIENT_ERROR: Build container found dead\. Retrying \(1 of 1, retry-on: FAULT,TIMED_OUT\)/,
    );
    expect(r.stdout).toContain(`INFO: Retried as build ${second!.id} (#2) of project flaky`);
    expect(r.stdout).toMatch(/✔ Build flaky #2 SUCCEEDED/);
    expectEveryLineOnce(r.stdout.slice(r.stdout.indexOf('Retried as')), second!);
    const result = readJson(join(dir, 'codebuild-result.json'))!;
    expect(result['build-id']).toBe(second!.id);
    expect(JSON.parse(result.attempts!)).toEqual([
      { 'build-id': first!.id, 'build-number': 1, 'build-status': 'FAULT' },
      { 'build-id': second!.id, 'build-number': 2, 'build-status': 'SUCCEEDED' },
    ]);
    const post = slack.posts.find((p) => JSON.stringify(p.body).includes('flaky #2'));
    expect(JSON.stringify(post!.body)).toContain('#1 FAULT → #2 SUCCEEDED');
  });

  test.concurrent('the GitHub job summary lists the attempts', async () => {
    const gh = githubStep({ with: { 'project-name': 'flaky-gh', 'retry-on': 'FAULT' }, env: aws.env });
    const r = await runBundle(gh.env, { cwd: gh.workspace });
    expect(r.code).toBe(0);
    expect(gh.summary()).toMatch(/<h3>Attempts<\/h3>[\s\S]*<td>FAULT<\/td>[\s\S]*<td>SUCCEEDED<\/td>/);
    expect(JSON.parse(gh.outputs().attempts!)).toHaveLength(2);
  });

  test.concurrent('without retry-on nothing is retried', async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'flaky-off' }, { cwd: cwd() });
    expect(r.code).toBe(1);
    expect(buildsOf('flaky-off')).toHaveLength(1);
  });

  test.concurrent('FAILED is never retried unless listed', async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'red', RETRY_ON: 'FAULT,TIMED_OUT' }, { cwd: cwd() });
    expect(r.code).toBe(1);
    expect(buildsOf('red')).toHaveLength(1);
  });

  test.concurrent('retries stop at max-retries; the last verdict stands', async () => {
    const dir = cwd();
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'always-fault', RETRY_ON: 'FAULT', MAX_RETRIES: '2' }, { cwd: dir });
    expect(r.code).toBe(1);
    expect(buildsOf('always-fault')).toHaveLength(3);
    expect(r.stdout).toMatch(/✖ Build always-fault #3 FAULT/);
    expect(JSON.parse(readJson(join(dir, 'codebuild-result.json'))!.attempts!).map((a: { 'build-status': string }) => a['build-status'])).toEqual([
      'FAULT',
      'FAULT',
      'FAULT',
    ]);
  });
});
