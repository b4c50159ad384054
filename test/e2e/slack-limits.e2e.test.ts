import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failingScript, successScript } from '../fake/build-script';
import { useFake } from './helpers';
import { runBundle } from './run-bundle';
import { SlackReceiver } from './slack-receiver';

/** The receiver here enforces Slack's published Block Kit limits (test/fake/slack-limits.ts). */
const longReason = Array.from({ length: 120 }, (_, i) => `+ npm run build:${i} && <!channel> docker push registry/app:${i}`).join('\n');
const aws = useFake((fake) => {
  fake.addProject('loud-failure', failingScript('FAILED', 'BUILD', longReason));
  fake.addBatchProject(
    'hundred',
    Array.from({ length: 100 }, (_, i) => ({
      identifier: `c${i}`,
      script: [7, 42, 99].includes(i) ? failingScript('FAILED') : successScript({ lines: [], buildMs: 300 }),
    })),
  );
  fake.addProject('template', failingScript('FAILED', 'BUILD', longReason));
});
const slack = new SlackReceiver();
beforeAll(() => slack.start());
afterAll(() => slack.stop());
const cwd = () => mkdtempSync(join(tmpdir(), 'cbr-slack-'));
const postsFor = (text: string) => slack.posts.filter((p) => JSON.stringify(p.body).includes(text));

describe('Slack messages Slack accepts', () => {
  test.concurrent('a failure with a long multi-line reason and ${FAILURE_REASON} in slack-message is accepted, cut with a link', async () => {
    const r = await runBundle(
      { ...aws.env, PROJECT_NAME: 'loud-failure', SLACK_WEBHOOK_URL: slack.url, SLACK_MESSAGE: 'Why: ${FAILURE_REASON}' },
      { cwd: cwd() },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Posted the summary to Slack.');
    const [post] = postsFor('loud-failure #1');
    expect(JSON.stringify(post!.body)).toContain('more in the console>');
    expect(JSON.stringify(post!.body)).not.toContain('<!channel>');
  });

  test.concurrent('a 100-child batch is summarised', async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'hundred', BATCH: 'true', TAIL_LOGS: 'false', SLACK_WEBHOOK_URL: slack.url }, { cwd: cwd() });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Posted the summary to Slack.');
    const [post] = postsFor('hundred #1');
    expect(JSON.stringify(post!.body)).toContain('97 succeeded, 3 failed: c7, c42, c99');
  }, 120_000);

  test.concurrent("a user's template that breaks the limits: posted again as plain text, once", async () => {
    const dir = cwd();
    const file = join(dir, 'slack.json');
    writeFileSync(file, JSON.stringify({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '${PROJECT_NAME}: ${FAILURE_REASON}' } }] }));
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'template', SLACK_WEBHOOK_URL: slack.url, SLACK_PAYLOAD_FILE: file }, { cwd: dir });
    expect(r.code).toBe(1);
    expect(slack.rejected.filter((p) => JSON.stringify(p.body).includes('template:'))).toHaveLength(1);
    const plain = postsFor('FAILED: template #1');
    expect(plain).toHaveLength(1);
    expect(plain[0]!.body.blocks).toBeUndefined();
    expect(r.stdout).toContain('Slack rejected the message (invalid_blocks); posted it as plain text instead.');
  });
});
