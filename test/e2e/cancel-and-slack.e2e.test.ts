import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failingScript, successScript } from '../fake/build-script';
import { bitbucketPipe } from '../platforms/bitbucket-pipe';
import { buildOf, numbered, useFake, withPrivateFake } from './helpers';
import { type BundleRun, readJson, runBundle, startBundle } from './run-bundle';
import { SlackReceiver } from './slack-receiver';

const aws = useFake((fake) => {
  for (const name of ['long-int', 'long-term', 'long-twice', 'long-nostop', 'long-timeout', 'long-timeout-keep']) {
    fake.addProject(name, successScript({ lines: numbered(name, 600), buildMs: 120_000 }));
  }
  fake.addProject('slack-ok', successScript({ lines: ['hello'] }));
  fake.addProject('slack-fail', failingScript('FAILED'));
  fake.addProject('slack-down', successScript({ lines: ['hello'] }));
  fake.addProject('slack-filtered', successScript({ lines: ['hello'] }));
});
const slack = new SlackReceiver();
beforeAll(() => slack.start());
afterAll(() => slack.stop());

const slackFor = (project: string) => slack.posts.filter((p) => JSON.stringify(p.body).includes(project));

function cwd() {
  return mkdtempSync(join(tmpdir(), 'cbr-cancel-'));
}

/** Resolves once the bundle printed a line matching `pattern`. */
function printed(run: BundleRun, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const timer = setInterval(() => {
      if (run.lines.some((l) => pattern.test(l.text))) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - start > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`never printed ${pattern}:\n${run.lines.map((l) => l.text).join('\n')}`));
      }
    }, 20);
  });
}

describe('stopping builds nobody waits for', () => {
  test.concurrent.each([
    ['long-int', 'SIGINT', 130],
    ['long-term', 'SIGTERM', 143],
  ] as const)('%s: %s → one StopBuild, summary to Slack, result written, prompt exit %d', async (project, signal, code) => {
    const dir = cwd();
    const run = startBundle({ ...aws.env, PROJECT_NAME: project, SLACK_WEBHOOK_URL: slack.url }, { cwd: dir });
    await printed(run, new RegExp(`${project} line 3 of`));
    const sentAt = Date.now();
    run.child.kill(signal);
    const r = await run.done;
    const exitedAfter = Date.now() - sentAt;
    expect(r.code).toBe(code);
    expect(exitedAfter).toBeLessThan(7_500);
    const build = buildOf(aws.fake, project);
    expect(aws.fake.stopCalls.filter((c) => c.id === build.id)).toHaveLength(1);
    expect(r.stdout).toContain(`Stopped build ${build.id}.`);
    expect(readJson(join(dir, 'codebuild-result.json'))).toMatchObject({ 'build-id': build.id, 'build-status': 'CANCELLED' });
    const posts = slackFor(project);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.text).toMatch(/^CANCELLED: /);
  });

  test.concurrent('a second signal does not send a second StopBuild', async () => {
    const run = startBundle({ ...aws.env, PROJECT_NAME: 'long-twice' }, { cwd: cwd() });
    await printed(run, /long-twice line 3 of/);
    run.child.kill('SIGINT');
    setTimeout(() => run.child.kill('SIGTERM'), 50);
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(aws.fake.stopCalls.filter((c) => c.id === buildOf(aws.fake, 'long-twice').id)).toHaveLength(1);
  });

  test.concurrent('stop-on-cancel: false leaves the build running', async () => {
    const run = startBundle({ ...aws.env, PROJECT_NAME: 'long-nostop', STOP_ON_CANCEL: 'false' }, { cwd: cwd() });
    await printed(run, /long-nostop line 3 of/);
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect(r.code).toBe(143);
    expect(aws.fake.stopCalls.filter((c) => c.id === buildOf(aws.fake, 'long-nostop').id)).toHaveLength(0);
  });

  test.concurrent('wait-timeout-minutes: fails the step and stops the build', async () => {
    const started = Date.now();
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'long-timeout', WAIT_TIMEOUT_MINUTES: '0.05' }, { cwd: cwd() });
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.stdout).toContain('Wait timeout: gave up waiting after wait-timeout-minutes (0.05)');
    expect(aws.fake.stopCalls.filter((c) => c.id === buildOf(aws.fake, 'long-timeout').id)).toHaveLength(1);
  });

  test.concurrent('stop-on-timeout: false fails the step but leaves the build', async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'long-timeout-keep', WAIT_TIMEOUT_MINUTES: '0.05', STOP_ON_TIMEOUT: 'false' }, { cwd: cwd() });
    expect(r.code).toBe(1);
    expect(aws.fake.stopCalls.filter((c) => c.id === buildOf(aws.fake, 'long-timeout-keep').id)).toHaveLength(0);
  });
});

describe('Slack summary through the bundle', () => {
  test.concurrent('success and failure are posted with their content; the URL never reaches the log', async () => {
    const bb = bitbucketPipe({
      form: 'docker',
      variables: { ...aws.env, PROJECT_NAME: 'slack-ok', SLACK_WEBHOOK_URL: slack.url, SLACK_MESSAGE: 'Deploy of \\${BRANCH} by \\${TRIGGERED_BY}' },
      bitbucket: { BITBUCKET_BUILD_NUMBER: '5', BITBUCKET_BRANCH: 'main', BITBUCKET_WORKSPACE: 'team', BITBUCKET_REPO_SLUG: 'app' },
    });
    const ok = await runBundle(bb.env, { cwd: bb.cloneDir });
    const failed = await runBundle({ ...aws.env, PROJECT_NAME: 'slack-fail', SLACK_WEBHOOK_URL: slack.url }, { cwd: cwd() });
    expect([ok.code, failed.code]).toEqual([0, 1]);
    const [okPost] = slackFor('slack-ok');
    expect(okPost!.body.text).toBe('SUCCEEDED: slack-ok #1\nDeploy of main by pipeline #5');
    expect(JSON.stringify(okPost!.body)).toContain('https://bitbucket.org/team/app/addon/pipelines/home#!/results/5');
    const [failPost] = slackFor('slack-fail');
    expect(failPost!.body.text).toContain(
      'FAILED: slack-fail #1 in BUILD (COMMAND_EXECUTION_ERROR: Error while executing command: npm test. Reason: exit status 1)',
    );
    for (const out of [ok.stdout, failed.stdout]) {
      expect(out).toContain('Posted the summary to Slack.');
      expect(out).not.toContain('xoxSECRETxox');
    }
  });

  test.concurrent('a Slack that always fails: one warning, verdict and exit code untouched', async () => {
    const down = new SlackReceiver();
    down.fallback = 500;
    await down.start();
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'slack-down', SLACK_WEBHOOK_URL: down.url, DEBUG: 'true' }, { cwd: cwd() });
    await down.stop();
    expect(r.code).toBe(0);
    expect(down.posts.length).toBe(4);
    expect(r.stdout.match(/WARNING: Could not post to Slack/g)).toHaveLength(1);
    expect(r.stdout).not.toContain('xoxSECRETxox');
  });

  test.concurrent('slack-notify-on: failure skips a success', async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'slack-filtered', SLACK_WEBHOOK_URL: slack.url, SLACK_NOTIFY_ON: 'failure' }, { cwd: cwd() });
    expect(r.code).toBe(0);
    expect(slackFor('slack-filtered')).toHaveLength(0);
  });

  test.concurrent('a bad webhook URL is rejected before any AWS call, without echoing it', async () => {
    await withPrivateFake(async (env, fake) => {
      const r = await runBundle({ ...env, PROJECT_NAME: 'slack-ok', SLACK_WEBHOOK_URL: 'not a url xoxSECRETxox' }, { cwd: cwd() });
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('SLACK_WEBHOOK_URL must be a URL');
      expect(r.stdout).not.toContain('xoxSECRETxox');
      expect(fake.calls).toHaveLength(0);
    });
  });
});
