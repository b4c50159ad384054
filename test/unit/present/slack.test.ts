import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { shouldNotify } from '../../../src/domain/notify-rules';
import type { Outcome } from '../../../src/domain/outcome';
import { notifySlack } from '../../../src/present/notify';
import { defaultSlackMessage, expand, expandPayload, slackVariables } from '../../../src/present/slack-message';
import { postToSlack, SlackAnswered } from '../../../src/present/slack-post';
import { codeBuildDescription } from '../../../src/targets/codebuild/describe';
import { buildSubject, codeBuildStatus } from '../../../src/targets/codebuild/subject';
import { verdictOf } from '../../../src/targets/codebuild/verdict';
import { pipelineDescription } from '../../../src/targets/pipeline/describe';
import { actionRows, pipelineStatus, rowSeconds } from '../../../src/targets/pipeline/rows';
import { pipelineSubject, pipelineVerdictOf } from '../../../src/targets/pipeline/verdict';
import { SlackReceiver } from '../../e2e/slack-receiver';
import { slackViolations } from '../../fake/slack-limits';
import { RecordingLog, VirtualClock } from '../support';

const failedBuild = {
  id: 'app:1',
  projectName: 'app',
  buildNumber: 42,
  buildStatus: 'FAILED' as const,
  startTime: new Date(0),
  endTime: new Date(95_000),
  resolvedSourceVersion: 'abcdef1234567890',
  sourceVersion: 'main',
  phases: [
    { phaseType: 'BUILD' as const, phaseStatus: 'FAILED' as const, contexts: [{ statusCode: 'COMMAND_EXECUTION_ERROR', message: 'npm test: exit status 1' }] },
  ],
};
const outcomeOf = (
  build: typeof failedBuild | (Omit<typeof failedBuild, 'buildStatus' | 'phases'> & { buildStatus: 'SUCCEEDED'; phases: [] }),
  links = {},
): Outcome => ({
  kind: 'verdict',
  description: codeBuildDescription('build', build.projectName, build.buildNumber),
  subject: buildSubject(build),
  verdict: verdictOf(build),
  links,
  attempts: [],
  tests: [],
});
const failed = outcomeOf(failedBuild, { console: 'https://console/build', logs: 'https://console/logs' });
const ok = outcomeOf({ ...failedBuild, buildStatus: 'SUCCEEDED', phases: [] });
const ci = { ci: 'GitHub Actions', runUrl: 'https://github.com/o/r/actions/runs/1', repository: 'o/r', branch: 'main', triggeredBy: 'alice (push)' };

describe('Slack message', () => {
  test('default failure message: status, linked project and number, duration, phase, reason, commit, branch, who, CI link', () => {
    const m = defaultSlackMessage(failed, ci);
    expect(m.text).toBe('FAILED: app #42 in BUILD (COMMAND_EXECUTION_ERROR: npm test: exit status 1)');
    const json = JSON.stringify(m);
    for (const part of [
      '<https://console/build|app #42>',
      '1m 35s',
      'BUILD',
      'npm test: exit status 1',
      'abcdef123456',
      'main',
      'alice (push)',
      '<https://github.com/o/r/actions/runs/1|GitHub Actions run>',
      '#e01e5a',
    ]) {
      expect(json).toContain(part);
    }
  });

  test('success is green and carries no failure fields', () => {
    const json = JSON.stringify(defaultSlackMessage(ok, ci));
    expect(json).toContain('#2eb67d');
    expect(json).not.toContain('Failed phase');
  });

  test('placeholders: known names filled, unknown left visible; JSON templates stay valid', () => {
    const vars = slackVariables(failed, ci);
    expect(expand('${PROJECT_NAME} #${BUILD_NUMBER} ${BUILD_STATUS} ${NOPE}', vars)).toBe('app #42 FAILED ${NOPE}');
    const quoted = expandPayload({ text: 'reason: ${FAILURE_REASON}', n: 1 }, { FAILURE_REASON: 'say "hi"' });
    expect(JSON.parse(JSON.stringify(quoted))).toEqual({ text: 'reason: say "hi"', n: 1 });
  });

  test('values cannot inject Slack markup (mentions, links)', () => {
    const evil = { ...failedBuild, phases: [{ ...failedBuild.phases[0]!, contexts: [{ statusCode: 'X', message: 'echo <!channel> <https://evil|click>' }] }] };
    const o = outcomeOf(evil);
    const json = JSON.stringify(defaultSlackMessage(o, ci, 'why: ${FAILURE_REASON}'));
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<https://evil');
    expect(json).toContain('&lt;!channel&gt;');
  });

  test('notify-on filtering', () => {
    expect([shouldNotify('always', failed), shouldNotify('failure', failed), shouldNotify('success', failed), shouldNotify('never', failed)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect([shouldNotify('failure', ok), shouldNotify('success', ok)]).toEqual([false, true]);
    expect(shouldNotify('failure', { kind: 'cancelled', description: codeBuildDescription('build', 'app'), links: {}, attempts: [], tests: [] })).toBe(true);
  });
});

describe('Slack posting against a local receiver', () => {
  let server: Server;
  let url: string;
  let answers: { status: number; headers?: Record<string, string> }[];
  let received: { path: string; body: string }[];
  beforeEach(async () => {
    answers = [];
    received = [];
    server = createServer(async (req: IncomingMessage, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      received.push({ path: req.url ?? '', body });
      const a = answers.shift() ?? { status: 200 };
      res.writeHead(a.status, a.headers).end(a.status === 200 ? 'ok' : 'error');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/SECRET`;
  });
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  test('posts the payload', async () => {
    await postToSlack(url, { text: 'hello' }, { clock: new VirtualClock() });
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ text: 'hello' });
  });

  test('retries 429 after Retry-After, and 5xx with backoff', async () => {
    answers = [{ status: 429, headers: { 'retry-after': '3' } }, { status: 503 }];
    const clock = new VirtualClock();
    const start = clock.now();
    await postToSlack(url, { text: 'x' }, { clock, baseDelayMs: 100 });
    expect(received).toHaveLength(3);
    expect(clock.now() - start).toBe(3_000 + 200);
  });

  test('a receiver that always fails: one warning, no URL in it, no throw', async () => {
    answers = Array.from({ length: 10 }, () => ({ status: 500 }));
    const log = new RecordingLog();
    await notifySlack({ webhookUrl: url, notifyOn: 'always' }, failed, ci, { clock: new VirtualClock(), log });
    expect(received).toHaveLength(4);
    const warnings = log.events.filter((e) => e.startsWith('warning'));
    expect(warnings).toEqual(['warning Could not post to Slack: Slack answered HTTP 500. The build result is unaffected.']);
    expect(log.events.join('\n')).not.toContain('SECRET');
  });

  test('an unreachable receiver does not leak the URL either', async () => {
    const log = new RecordingLog();
    await notifySlack({ webhookUrl: 'http://127.0.0.1:1/services/SECRET', notifyOn: 'always' }, failed, ci, { clock: new VirtualClock(), log });
    expect(log.events.join('\n')).toMatch(/Could not post to Slack: Slack could not be reached/);
    expect(log.events.join('\n')).not.toContain('SECRET');
  });

  test('a 4xx other than 429 is not retried', async () => {
    answers = [{ status: 404 }];
    await expect(postToSlack(url, { text: 'x' }, { clock: new VirtualClock() })).rejects.toThrow('Slack answered HTTP 404');
    expect(received).toHaveLength(1);
  });
});

describe("Slack's limits (a message that breaks one is rejected whole)", () => {
  const longReason = Array.from({ length: 200 }, (_, i) => `line ${i}: <!channel> npm ERR! something went very wrong in a very long command output`).join('\n');
  const evil = { ...failedBuild, phases: [{ ...failedBuild.phases[0]!, contexts: [{ statusCode: 'COMMAND_EXECUTION_ERROR', message: longReason }] }] };
  const rows = Array.from({ length: 100 }, (_, i) => ({
    label: `child-${i}`,
    id: `app:${i}`,
    status: codeBuildStatus([7, 42, 99].includes(i) ? 'FAILED' : 'SUCCEEDED'),
  }));
  const tests = [
    {
      name: 'unit',
      kind: 'test' as const,
      total: 40,
      passed: 10,
      failed: 30,
      other: 0,
      failures: Array.from({ length: 30 }, (_, i) => ({ name: `${'very long test name '.repeat(20)} ${i}`, message: 'x'.repeat(5_000) })),
    },
  ];
  const huge: Outcome = { ...outcomeOf(evil, { console: 'https://console/build' }), parts: { heading: 'Batch builds', rows }, tests };

  test('a failure with a huge reason, 100 children and long test names still fits', () => {
    const payload = defaultSlackMessage(huge, ci, 'Deploy failed: ${FAILURE_REASON}');
    expect(slackViolations(payload as never)).toEqual([]);
    const json = JSON.stringify(payload);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('…');
    expect(json).toContain('97 succeeded, 3 failed: child-7, child-42, child-99');
    expect(payload.text.length).toBeLessThanOrEqual(3_000);
  });

  test('a cut text ends with the link to the build, and never splits an escape', () => {
    const payload = defaultSlackMessage(huge, ci);
    const reason = JSON.stringify(payload).match(/\*Reason\*\\n([^"]*)"/)?.[1] ?? '';
    expect(reason).toMatch(/… <https:\/\/console\/build\|more in the console>$/);
    expect(reason).not.toMatch(/&[a-z]*…/);
  });

  test('when Slack still answers invalid_blocks, a plain-text message is posted, once', async () => {
    const receiver = new SlackReceiver();
    await receiver.start();
    const log = new RecordingLog();
    const template = { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '${FAILURE_REASON}' } }] };
    await notifySlack({ webhookUrl: receiver.url, notifyOn: 'always', payloadTemplate: template }, outcomeOf(evil), ci, { clock: new VirtualClock(), log });
    await receiver.stop();
    expect(receiver.rejected).toHaveLength(1);
    expect(receiver.posts).toHaveLength(1);
    expect(receiver.posts[0]!.body.blocks).toBeUndefined();
    expect(receiver.posts[0]!.body.text).toMatch(/^FAILED: app #42 in BUILD/);
    expect(log.events).toContain('warning Slack rejected the message (invalid_blocks); posted it as plain text instead.');
  });

  test.each(['invalid_payload', 'invalid_attachments'])('%s (a message Slack will not take) also falls back to plain text', async (reason) => {
    const log = new RecordingLog();
    const sent: unknown[] = [];
    const post = async (payload: unknown) => {
      sent.push(payload);
      if (sent.length === 1) throw new SlackAnswered(400, reason);
    };
    await notifySlack({ webhookUrl: 'https://hooks.slack.com/services/T/B/X', notifyOn: 'always' }, outcomeOf(evil), ci, {
      clock: new VirtualClock(),
      log,
      post,
    });
    expect(sent).toHaveLength(2);
    expect((sent[1] as { text: string; blocks?: unknown }).blocks).toBeUndefined();
    expect(log.events).toContain(`warning Slack rejected the message (${reason}); posted it as plain text instead.`);
  });

  test('a pipeline: its name and execution, the failing action, a row per action with its status, duration and link', () => {
    const rows = actionRows(undefined, [
      {
        stageName: 'Deploy',
        actionName: 'ECS',
        status: 'Failed',
        startTime: new Date(10_000),
        lastUpdateTime: new Date(70_000),
        input: { actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'ECS', version: '1' } },
        output: { executionResult: { externalExecutionUrl: 'https://ecs/deploy', errorDetails: { code: 'JobFailed', message: 'tasks failed to start' } } },
      },
      {
        stageName: 'Build',
        actionName: 'CodeBuild',
        status: 'Succeeded',
        startTime: new Date(0),
        lastUpdateTime: new Date(9_000),
        input: { actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' } },
        output: { executionResult: { externalExecutionId: 'app:1', externalExecutionUrl: 'https://codebuild/app:1' } },
      },
    ]);
    const execution = { pipelineName: 'deploy', pipelineExecutionId: '1234abcd-0000', status: 'Failed' as const };
    const outcome: Outcome = {
      kind: 'verdict',
      description: pipelineDescription('deploy', execution.pipelineExecutionId),
      subject: pipelineSubject(execution),
      verdict: pipelineVerdictOf(execution, rows),
      links: { console: 'https://pipeline/timeline' },
      attempts: [],
      tests: [],
      parts: {
        heading: 'Pipeline actions',
        rows: rows.map((r) => ({
          label: `${r.stage}/${r.action} (${r.provider})`,
          status: pipelineStatus(r.status),
          ...(r.url && { url: r.url }),
          ...(rowSeconds(r) !== undefined && { durationSeconds: rowSeconds(r) }),
        })),
      },
    };
    const message = defaultSlackMessage(outcome, ci);
    expect(message.text).toBe('Failed: deploy execution 1234abcd in Deploy/ECS (JobFailed: tasks failed to start)');
    const text = JSON.stringify(message);
    expect(text).toContain(':x:');
    expect(text).toContain('• <https://codebuild/app:1|Build/CodeBuild (CodeBuild)> Succeeded (9s)');
    expect(text).toContain('• <https://ecs/deploy|Deploy/ECS (ECS)> Failed (1m 0s)');
    expect(text).toContain('*Failed action*');
    expect(slackViolations(message)).toEqual([]);
  });
});
