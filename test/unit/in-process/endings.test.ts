import { type BuildScript, failingScript } from '../../fake/build-script';
import type { FakeAws } from '../../fake/fake-aws';
import { runInProcess } from './harness';

/**
 * The end of a build, noticed when it happens, however CodeBuild ends it: with the agent's last
 * phase in the log, a phase failure that skips to FINALIZING, or only a status (a FAULT before the
 * container runs, a stop from the console). Virtual time: deterministic figures, no timing flakes.
 */
const onlyBuild = (fake: FakeAws) => [...fake.builds.values()][0]!;

/** 5 s of output, a silent step of `silentMs`, 5 s of output. */
const silent = (silentMs: number): BuildScript => ({
  finalStatus: 'SUCCEEDED',
  phases: [
    { name: 'SUBMITTED', durationMs: 100 },
    { name: 'QUEUED', durationMs: 100 },
    { name: 'PROVISIONING', durationMs: 1_000 },
    { name: 'DOWNLOAD_SOURCE', durationMs: 300, lines: ['source ok'] },
    { name: 'BUILD', durationMs: 5_000, lines: Array.from({ length: 50 }, (_, i) => `build line ${i + 1}`) },
    { name: 'POST_BUILD', durationMs: silentMs, lines: [] },
    { name: 'UPLOAD_ARTIFACTS', durationMs: 5_000, lines: Array.from({ length: 50 }, (_, i) => `upload line ${i + 1}`) },
    { name: 'FINALIZING', durationMs: 300 },
  ],
});

describe('the end of a build is noticed when it happens', () => {
  test.each(['DOWNLOAD_SOURCE', 'INSTALL', 'PRE_BUILD'] as const)('a failed %s (straight to FINALIZING): the verdict within 3 s', async (phase) => {
    const r = await runInProcess({ PROJECT_NAME: 'app' }, (f) => f.addProject('app', failingScript('FAILED', phase, 'npm ci: exit status 1')));
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAILED after`);
    expect(r.out).toContain(`in phase ${phase}: COMMAND_EXECUTION_ERROR: npm ci: exit status 1`);
    expect(r.endedAt - onlyBuild(r.fake).endAt).toBeLessThanOrEqual(3_000);
  });

  test('a FAULT in PROVISIONING, with no log at all: the verdict within 15 s', async () => {
    const r = await runInProcess({ PROJECT_NAME: 'app' }, (f) => f.addProject('app', failingScript('FAULT', 'PROVISIONING', 'CLIENT_ERROR: image not found')));
    expect(r.code).toBe(1);
    expect(r.endedAt - onlyBuild(r.fake).endAt).toBeLessThanOrEqual(15_000);
  });

  test('a stop from the console during a silent step: the verdict within 15 s; a quiet step costs at most 20 calls a minute', async () => {
    const r = await runInProcess({ PROJECT_NAME: 'app' }, (f, clock) => {
      f.addProject('app', silent(300_000));
      clock.after(60_000, () => {
        onlyBuild(f).stoppedAt = clock.now();
      });
    });
    const build = onlyBuild(r.fake);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Build app #1 STOPPED/);
    expect(r.endedAt - build.endAt).toBeLessThanOrEqual(15_000);
    const quietFrom = build.startedAt + 10_000;
    const calls = r.fake.calls.filter((c) => c.at >= quietFrom && c.at < quietFrom + 45_000).length;
    expect((calls * 60_000) / 45_000).toBeLessThanOrEqual(20);
  });

  test('a CloudWatch Logs outage (every read 503) does not hold the verdict: the verdict within 30 s of a console stop, not 10 minutes', async () => {
    const r = await runInProcess({ PROJECT_NAME: 'app' }, (f, clock) => {
      f.addProject('app', silent(300_000));
      clock.after(30_000, () => f.faults.set({ ratesByOp: { GetLogEvents: { unavailable503: 1 } } }));
      clock.after(60_000, () => {
        onlyBuild(f).stoppedAt = clock.now();
      });
    });
    const build = onlyBuild(r.fake);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Build app #1 STOPPED/);
    // Status polls wait behind reads that retry for up to 5 s; the drain gives up 5 s after the end is seen.
    expect(r.endedAt - build.endAt).toBeLessThanOrEqual(30_000);
    expect(r.lines.filter((l) => l.includes('Reading the build log keeps failing')).length).toBeLessThanOrEqual(2);
    expect(r.out).toContain('Stopped reading the log: every read since the build ended failed');
  });

  test('after a silence the first line is printed within 5 s of CloudWatch having it', async () => {
    const r = await runInProcess({ PROJECT_NAME: 'app' }, (f) => f.addProject('app', silent(120_000)));
    const first = onlyBuild(r.fake).lines.find((l) => l.message.startsWith('upload line 1\n'));
    expect(r.printedAt('upload line 1') - (first?.availableAt ?? 0)).toBeLessThanOrEqual(5_000);
  });
});

describe('a log that never appears', () => {
  test('is said once, naming the group, the stream and the likely causes; the verdict is unchanged', async () => {
    const r = await runInProcess({ PROJECT_NAME: 'app' }, (f) => f.addProject('app', { ...silent(2_000), logsNeverWritten: true }));
    expect(r.code).toBe(0);
    const said = r.lines.filter((l) => l.includes('could not be read'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`/aws/codebuild/app`);
    expect(said[0]).toContain(onlyBuild(r.fake).uuid);
    expect(said[0]).toMatch(/logs:CreateLogStream/);
  });

  test('not for a build that ended before its container ran', async () => {
    const r = await runInProcess({ PROJECT_NAME: 'app' }, (f) => f.addProject('app', failingScript('FAULT', 'PROVISIONING', 'CLIENT_ERROR: no image')));
    expect(r.out).not.toContain('could not be read');
  });
});
