import { successScript } from '../../fake/build-script';
import { codeBuildAction, s3Source } from '../../fake/pipeline-fixtures';
import { runInProcess } from './harness';

/**
 * What sits between the client and AWS, and a cancel while the start is still being retried:
 * the step says what it got, keeps its retries visible and bounded, and starts nothing the user
 * cancelled.
 */
describe('a cancel during the start', () => {
  test('after StartBuild answered 5xx having started the build: the same token tells, and the build is stopped', async () => {
    const r = await runInProcess(
      { PROJECT_NAME: 'app' },
      (f, clock) => {
        f.addProject('app', successScript({ buildMs: 120_000 }));
        // Every StartBuild starts the build (the same one: the same token), then answers 500,
        // until the outage ends as the job is cancelled.
        f.faults.set({ ratesByOp: { StartBuild: { acted500: 1 } } });
        clock.after(2_000, () => f.faults.set({}));
      },
      { cancelAfterMs: 2_000 },
    );
    expect(r.code).toBe(143);
    const started = [...r.fake.builds.values()];
    expect(started).toHaveLength(1);
    expect(r.fake.stopCalls.map((c) => c.id)).toEqual([started[0]!.id]);
  });

  test('while StartBuild keeps failing: nothing is started, and the step ends within the stop window', async () => {
    let cancelledAt = 0;
    const r = await runInProcess(
      { PROJECT_NAME: 'app' },
      (f, clock) => {
        f.addProject('app', successScript());
        f.faults.set({ ratesByOp: { StartBuild: { error500: 1 } } });
        clock.after(2_000, () => {
          cancelledAt = clock.now();
        });
      },
      { cancelAfterMs: 2_000 },
    );
    expect(r.code).toBe(143);
    expect(r.fake.builds.size).toBe(0);
    expect(r.endedAt - cancelledAt).toBeLessThanOrEqual(7_500);
    expect(r.out).toContain('No build had been started: nothing to stop.');
  });

  test('while StartPipelineExecution keeps failing: nothing is started, the step ends within the window', async () => {
    let cancelledAt = 0;
    const r = await runInProcess(
      { PIPELINE_NAME: 'deploy' },
      (f, clock) => {
        f.addPipeline({ name: 'deploy', stages: [{ name: 'Deploy', actions: [{ name: 'Deploy', category: 'Deploy', provider: 'ECS', durationMs: 1_000 }] }] });
        f.faults.set({ ratesByOp: { StartPipelineExecution: { unavailable503: 1 } } });
        clock.after(2_000, () => {
          cancelledAt = clock.now();
        });
      },
      { cancelAfterMs: 2_000 },
    );
    expect(r.code).toBe(143);
    expect(r.fake.codepipeline.executions).toHaveLength(0);
    expect(r.endedAt - cancelledAt).toBeLessThanOrEqual(7_500);
  });
});

describe('a cancel before the upload', () => {
  test('while GetPipeline (where upload-source must put the zip) keeps failing: nothing is uploaded or started, within the window', async () => {
    const r = await runInProcess(
      { PIPELINE_NAME: 'deploy', UPLOAD_SOURCE: 'true' },
      (f) => {
        f.addPipeline({
          name: 'deploy',
          stages: [
            { name: 'Source', actions: [s3Source()] },
            { name: 'Build', actions: [codeBuildAction('Build', 'app')] },
          ],
        });
        f.addProject('app', successScript());
        f.faults.set({ ratesByOp: { GetPipeline: { unavailable503: 1 } } });
      },
      { cancelOn: { op: 'GetPipeline', calls: 2 }, files: { 'buildspec.yml': 'version: 0.2\n' } },
    );
    expect(r.code).toBe(143);
    const asked = r.fake.calls.filter((c) => c.op === 'GetPipeline');
    expect(asked.length).toBeGreaterThanOrEqual(2);
    expect([...r.fake.s3.objects.keys()]).toEqual([]);
    expect(r.fake.codepipeline.executions).toHaveLength(0);
    // GitHub kills the step ~7.5 s after the cancel; the retries of GetPipeline alone would take a minute.
    expect(r.endedAt - asked[1]!.at).toBeLessThanOrEqual(7_500);
  });
});

describe('an answer that is not from AWS', () => {
  test.each([
    ['html502', 'HTTP 502', '<!doctype html>'],
    ['xml500', 'HTTP 500', '<?xml version="1.0"'],
  ] as const)('%s: the call, the status and the first bytes are said; retries are visible and bounded', async (fault, status, body) => {
    const r = await runInProcess({ PROJECT_NAME: 'app' }, (f) => {
      f.addProject('app', successScript());
      f.faults.set({ ratesByOp: { StartBuild: { [fault]: 1 } } });
    });
    expect(r.code).toBe(1);
    const verdict = r.lines.find((l) => l.startsWith('✖'));
    expect(verdict).toContain('StartBuild');
    expect(verdict).toContain(status);
    expect(verdict).toContain(body);
    expect(verdict).not.toMatch(/SyntaxError|Deserialization error/);
    // a line while it keeps failing: which call, what it got, when it tries again
    expect(r.lines.some((l) => /StartBuild keeps failing .*HTTP 5\d\d.*; trying again in \d+/.test(l))).toBe(true);
    // and a bounded total, far below the 5 minutes a throttled call may be retried for
    expect(r.tookMs).toBeLessThanOrEqual(60_000);
  });
});

describe('a log read that meets an answer not from AWS', () => {
  test('the warning names GetLogEvents, the HTTP status and the first bytes, never a SyntaxError', async () => {
    const r = await runInProcess({ PROJECT_NAME: 'app' }, (f, clock) => {
      f.addProject('app', successScript({ buildMs: 120_000 }));
      f.faults.set({ ratesByOp: { GetLogEvents: { html502: 1 } } });
      clock.after(90_000, () => f.faults.set({}));
    });
    expect(r.code).toBe(0);
    const warning = r.lines.find((l) => l.includes('Reading the build log keeps failing'));
    expect(warning).toContain('GetLogEvents');
    expect(warning).toContain('HTTP 502');
    expect(warning).toContain('<!doctype html>');
    expect(r.out).not.toMatch(/SyntaxError|Deserialization error/);
  });
});

describe('when nothing started', () => {
  test.each([
    [{ PROJECT_NAME: 'does-not-exist' }, 'does-not-exist'],
    [{ PIPELINE_NAME: 'no-such-pipeline' }, 'no-such-pipeline'],
  ])('Slack and the summary name what was asked for (%j)', async (variables, name) => {
    const r = await runInProcess(
      { ...variables, SLACK_WEBHOOK_URL: 'https://hooks.slack.example/T/B/x', SLACK_MESSAGE: 'asked for ${PROJECT_NAME}' },
      () => {},
    );
    expect(r.code).toBe(1);
    const post = JSON.stringify(r.slack[0]);
    expect(post).toContain(`ERROR: ${name}`);
    expect(post).toContain(`asked for ${name}`);
    expect(post).not.toContain('*CodeBuild* ERROR');
  });
});
