import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuildScript, failingScript, successScript } from '../fake/build-script';
import { expectEveryLineOnce, numbered, useFake } from './helpers';
import { readJson, runBundle } from './run-bundle';
import { SlackReceiver } from './slack-receiver';

/** A project whose builds go as `scripts` say, one after the other (CodeBuild's retries included). */
function inTurn(...scripts: BuildScript[]) {
  let n = 0;
  return () => scripts[Math.min(n++, scripts.length - 1)]!;
}
const fault = () => failingScript('FAULT', 'PROVISIONING', 'Build container found dead');
const failed = () => failingScript('FAILED');

const aws = useFake((fake) => {
  fake.addProject('auto', inTurn(fault(), failed(), successScript({ lines: numbered('auto', 30) })), { autoRetryLimit: 2 });
  fake.addProject('auto-then-ours', inTurn(fault(), fault(), successScript({ lines: numbered('ours', 10) })), { autoRetryLimit: 1 });
  fake.addProject('auto-upload', inTurn(failed(), successScript({ lines: ['built the zip'] })), { autoRetryLimit: 1 });
  fake.addProject('auto-spent', inTurn(failed(), failed()), { autoRetryLimit: 1 });
});
const slack = new SlackReceiver();
beforeAll(() => slack.start());
afterAll(() => slack.stop());

const buildsOf = (project: string) => [...aws.fake.builds.values()].filter((b) => b.project === project).sort((a, b) => a.number - b.number);
const cwd = () => mkdtempSync(join(tmpdir(), 'cbr-auto-'));

describe("CodeBuild's own auto-retry (autoRetryLimit)", () => {
  test.concurrent('a failed build that CodeBuild retries is followed to its last retry, which is judged', async () => {
    const dir = cwd();
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'auto', SLACK_WEBHOOK_URL: slack.url }, { cwd: dir });
    const builds = buildsOf('auto');
    expect(builds.map((b) => b.status)).toEqual(['FAULT', 'FAILED', 'SUCCEEDED']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`CodeBuild retried the build itself (auto-retry 1 of 2): build ${builds[1]!.id} (#2) of project auto`);
    expect(r.stdout).toContain(`CodeBuild retried the build itself (auto-retry 2 of 2): build ${builds[2]!.id} (#3) of project auto`);
    expect(r.stdout).toMatch(/✔ Build auto #3 SUCCEEDED/);
    expectEveryLineOnce(r.stdout.slice(r.stdout.indexOf('auto-retry 2 of 2')), builds[2]!);
    const result = readJson(join(dir, 'codebuild-result.json'))!;
    expect(result['build-id']).toBe(builds[2]!.id);
    expect(JSON.parse(result.attempts!).map((a: { 'build-status': string }) => a['build-status'])).toEqual(['FAULT', 'FAILED', 'SUCCEEDED']);
    const post = JSON.stringify(slack.posts.find((p) => JSON.stringify(p.body).includes('auto #3'))!.body);
    expect(post).toContain('#1 FAULT → #2 FAILED → #3 SUCCEEDED');
    // no retry of our own raced CodeBuild's
    expect(aws.fake.calls.filter((c) => c.op === 'RetryBuild' && c.resource?.startsWith('auto:'))).toHaveLength(0);
  });

  test.concurrent("retry-on applies once CodeBuild's own retries are spent", async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'auto-then-ours', RETRY_ON: 'FAULT' }, { cwd: cwd() });
    const builds = buildsOf('auto-then-ours');
    expect(builds.map((b) => b.status)).toEqual(['FAULT', 'FAULT', 'SUCCEEDED']);
    expect(r.code).toBe(0);
    const ours = aws.fake.calls.filter((c) => c.op === 'RetryBuild' && c.resource?.startsWith('auto-then-ours:'));
    expect(ours.map((c) => c.resource)).toEqual([builds[1]!.id]);
  });

  test.concurrent('the uploaded source is kept until the last retry has ended', async () => {
    const dir = cwd();
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/app.js'), 'console.log(1)\n');
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'auto-upload', UPLOAD_SOURCE: 's3://ci-sources/auto' }, { cwd: dir });
    expect(r.code).toBe(0);
    const [first, second] = buildsOf('auto-upload');
    expect(second!.request.sourceLocationOverride).toBe(first!.request.sourceLocationOverride);
    const key = `ci-sources/${first!.request.sourceLocationOverride.slice('ci-sources/'.length)}`;
    const deleted = aws.fake.s3.calls.find((c) => c.key === key && c.op === 'DeleteObject');
    expect(deleted!.at).toBeGreaterThanOrEqual(second!.endAt);
  });

  test.concurrent("when CodeBuild's retries are spent, the last build's verdict stands", async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'auto-spent' }, { cwd: cwd() });
    expect(r.code).toBe(1);
    expect(buildsOf('auto-spent')).toHaveLength(2);
    expect(r.stdout).toMatch(/✖ Build auto-spent #2 FAILED/);
  });
});
