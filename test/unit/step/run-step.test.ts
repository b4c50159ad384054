import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/config';
import type { Outputs } from '../../../src/domain/outputs';
import { Cancelled } from '../../../src/domain/stop-reason';
import { envVariables } from '../../../src/frontdoor/settings';
import type { SlackPoster } from '../../../src/present/slack-post';
import { runStep } from '../../../src/step/run-step';
import { chooseTarget } from '../../../src/targets/choose-target';
import { RecordingLog, RecordingPresenter, VirtualClock } from '../support';
import { FakeServices, type RunScript } from './fake-services';

/**
 * The step in-process, through its seams: real targets and watchers over fake AWS adapters, a
 * recording log and presenter, the virtual clock. Each scenario runs in milliseconds.
 */
function step(
  settings: Record<string, string>,
  scripts: RunScript[],
  more: { children?: Record<string, RunScript>; signal?: AbortSignal; slackPost?: SlackPoster; workdir?: string } = {},
) {
  const clock = new VirtualClock();
  const services = new FakeServices(clock, scripts, more.children);
  const log = new RecordingLog();
  const presenter = new RecordingPresenter();
  const outputs: Outputs = {};
  const sink = { set: (values: Outputs) => void Object.assign(outputs, values) };
  const config = loadConfig(envVariables({ PROJECT_NAME: 'app', ...settings }));
  const target = chooseTarget(config, {
    services,
    log,
    outputs: sink,
    clock,
    region: 'eu-west-1',
    tailLogs: config.tailLogs,
    random: () => 0.5,
  });
  const ci = { ci: 'GitLab CI', commit: 'abc123def4567890' };
  const run = runStep({
    config,
    target,
    log,
    presenter,
    outputs: sink,
    ci,
    clock,
    store: services.source,
    artifacts: services.artifacts,
    workdir: more.workdir ?? tmpdir(),
    signal: more.signal,
    slackPost: more.slackPost,
  });
  return { run, services, log, presenter, outputs, clock };
}

const ok: RunScript = { status: 'SUCCEEDED', lines: ['hello', 'world'] };

describe('the step, in-process', () => {
  test('start: StartBuild, every line once, the verdict, outputs, exit 0', async () => {
    const s = step({}, [ok]);
    expect(await s.run).toBe(0);
    expect(s.services.calls[0]).toBe('StartBuild app');
    expect(s.log.lines).toEqual(['hello', 'world']);
    expect(s.presenter.verdicts.map((v) => v.summary)).toEqual([expect.stringMatching(/^Build app #1 SUCCEEDED in 10s$/)]);
    expect(s.outputs).toMatchObject({ 'build-id': 'app:1', 'build-number': '1', 'build-status': 'SUCCEEDED', 'exported-variables': '{}' });
    expect(s.presenter.summaries[0]).toMatchObject({
      kind: 'verdict',
      description: { owner: 'app', title: 'CodeBuild app #1' },
      subject: { id: 'app:1' },
      links: { console: expect.stringContaining('/projects/app/build/app%3A1/') },
    });
  });

  test('attach: build-id follows an existing build; nothing is started', async () => {
    const s = step({ BUILD_ID: 'app:1' }, []);
    s.services.seed({ status: 'FAILED' });
    expect(await s.run).toBe(1);
    expect(s.services.calls.filter((c) => c.startsWith('Start'))).toEqual([]);
    expect(s.log.has(/^info Attached to build app:1 \(#1\)/)).toBe(true);
    expect(s.presenter.verdicts[0]?.summary).toMatch(/FAILED after 10s in phase BUILD: E: failed on purpose$/);
  });

  test('attach to a build that does not exist: one line with a hint, exit 1', async () => {
    const s = step({ BUILD_ID: 'app:9' }, []);
    expect(await s.run).toBe(1);
    expect(s.log.has(/^error ResourceNotFoundException: Build app:9 not found \(check build-id and the region\)$/)).toBe(true);
    expect(s.outputs['build-status']).toBe('ERROR');
  });

  test('batch: every child followed with its prefix; the batch verdict names the failing child', async () => {
    const s = step({ BATCH: 'true' }, [], {
      children: { linux: { status: 'SUCCEEDED', lines: ['built on linux'] }, windows: { status: 'FAILED', durationMs: 20_000 } },
    });
    expect(await s.run).toBe(1);
    expect(s.log.lines).toEqual(['[linux] built on linux']);
    expect(s.presenter.verdicts[0]?.summary).toMatch(/^Batch app #1 FAILED after \d+s: windows FAILED in phase BUILD: E: failed on purpose$/);
    expect(JSON.parse(s.outputs['batch-builds']!)).toEqual([
      { identifier: 'linux', 'build-id': 'app:1', 'build-status': 'SUCCEEDED' },
      { identifier: 'windows', 'build-id': 'app:2', 'build-status': 'FAILED' },
    ]);
    expect(s.presenter.summaries[0]?.parts?.rows.map((r) => `${r.label} ${r.status.word}`)).toEqual(['linux SUCCEEDED', 'windows FAILED']);
  });

  test('retry-on: a FAULT starts the build again; every attempt is reported', async () => {
    const s = step({ RETRY_ON: 'FAULT', MAX_RETRIES: '2' }, [{ status: 'FAULT' }, { status: 'FAULT' }, ok]);
    expect(await s.run).toBe(0);
    expect(s.services.calls.filter((c) => /^(StartBuild|RetryBuild)/.test(c))).toEqual(['StartBuild app', 'RetryBuild app:1', 'RetryBuild app:2']);
    expect(s.log.has(/^warning Build app #1 FAULT after 10s in phase BUILD: E: fault on purpose\. Retrying \(1 of 2, retry-on: FAULT\)\.$/)).toBe(true);
    expect(JSON.parse(s.outputs.attempts!)).toEqual([
      { 'build-id': 'app:1', 'build-number': 1, 'build-status': 'FAULT' },
      { 'build-id': 'app:2', 'build-number': 2, 'build-status': 'FAULT' },
      { 'build-id': 'app:3', 'build-number': 3, 'build-status': 'SUCCEEDED' },
    ]);
  });

  test('a cancel before the start starts nothing', async () => {
    const controller = new AbortController();
    controller.abort(new Cancelled('SIGINT'));
    const s = step({}, [ok], { signal: controller.signal });
    expect(await s.run).toBe(130);
    expect(s.services.calls).toEqual([]);
    expect(s.outputs['build-status']).toBe('CANCELLED');
    expect(s.presenter.summaries[0]).toMatchObject({ kind: 'cancelled', detail: 'no build had been started' });
  });

  test('a cancel after the start stops the build once, and says so', async () => {
    const controller = new AbortController();
    const s = step({}, [{ status: 'SUCCEEDED', durationMs: 600_000 }], { signal: controller.signal });
    s.services.onPoll = (n) => n === 3 && controller.abort(new Cancelled('SIGTERM'));
    expect(await s.run).toBe(143);
    expect(s.services.calls.filter((c) => c.startsWith('StopBuild'))).toEqual(['StopBuild app:1']);
    expect(s.log.events).toEqual(expect.arrayContaining(['error Cancelled: the CI job was cancelled (SIGTERM).', 'info Stopped build app:1.']));
    expect(s.outputs['build-status']).toBe('CANCELLED');
  });

  test('stop-on-cancel: false leaves the build running', async () => {
    const controller = new AbortController();
    const s = step({ STOP_ON_CANCEL: 'false' }, [{ status: 'SUCCEEDED', durationMs: 600_000 }], { signal: controller.signal });
    s.services.onPoll = (n) => n === 2 && controller.abort(new Cancelled('SIGINT'));
    expect(await s.run).toBe(130);
    expect(s.services.calls.some((c) => c.startsWith('StopBuild'))).toBe(false);
    expect(s.presenter.summaries[0]?.detail).toBe('the build was left running (stop-on-cancel: false)');
  });

  test('wait-timeout-minutes on the virtual clock: fails the step and stops the build', async () => {
    const s = step({ WAIT_TIMEOUT_MINUTES: '2' }, [{ status: 'SUCCEEDED', durationMs: 60 * 60_000 }]);
    const started = s.clock.now();
    expect(await s.run).toBe(1);
    expect(s.clock.now() - started).toBeGreaterThanOrEqual(120_000);
    expect(s.clock.now() - started).toBeLessThan(140_000);
    expect(s.log.has(/^error Wait timeout: gave up waiting after wait-timeout-minutes \(2\)\.$/)).toBe(true);
    expect(s.services.calls.filter((c) => c.startsWith('StopBuild'))).toHaveLength(1);
    expect(s.outputs['build-status']).toBe('WAIT_TIMEOUT');
  });

  test('upload-source that fails: no build is started; the error is one line; exit 1', async () => {
    const workdir = mkdtempSync(join(tmpdir(), 'step-src-'));
    writeFileSync(join(workdir, 'a.txt'), 'a');
    const s = step({ UPLOAD_SOURCE: 's3://bucket/ci' }, [ok], { workdir });
    s.services.uploadFails = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    expect(await s.run).toBe(1);
    expect(s.services.calls.some((c) => c.startsWith('StartBuild'))).toBe(false);
    expect(s.log.has(/^error AccessDenied: Access Denied$/)).toBe(true);
    expect(s.outputs['build-status']).toBe('ERROR');
  });

  test('upload-source: the zip is built, then deleted after the build', async () => {
    const workdir = mkdtempSync(join(tmpdir(), 'step-src-'));
    writeFileSync(join(workdir, 'a.txt'), 'a');
    const s = step({ UPLOAD_SOURCE: 's3://bucket/ci' }, [ok], { workdir });
    expect(await s.run).toBe(0);
    const [uploaded] = s.services.uploads;
    expect(uploaded).toMatch(/^bucket\/ci\/codebuild-run\/abc123def456-[0-9a-f]{8}\.zip$/);
    expect(s.services.calls).toContain(`StartBuild app from ${uploaded}`);
    expect(s.services.removed).toEqual([uploaded]);
    expect(s.presenter.summaries[0]?.sourceLocation).toBe(uploaded);
  });

  test('a Slack that fails: one warning, the verdict and exit code untouched', async () => {
    const slackPost: SlackPoster = async () => {
      throw new Error('Slack answered HTTP 500');
    };
    const s = step({ SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X' }, [ok], { slackPost });
    expect(await s.run).toBe(0);
    expect(s.log.events.filter((e) => e.startsWith('warning'))).toEqual([
      'warning Could not post to Slack: Slack answered HTTP 500. The build result is unaffected.',
    ]);
    expect(s.presenter.verdicts[0]?.ok).toBe(true);
  });

  test('test reports are read after the end and shown before the verdict', async () => {
    const reports = [{ name: 'unit', kind: 'test' as const, total: 3, passed: 2, failed: 1, other: 0, failures: [{ name: 'adds' }] }];
    const s = step({}, [{ status: 'FAILED', reports }]);
    expect(await s.run).toBe(1);
    expect(s.presenter.tests).toEqual(reports);
    expect(s.presenter.summaries[0]?.tests).toEqual(reports);
  });

  test("a batch's test reports are its children's when CodeBuild did not merge them (not a fanout)", async () => {
    const report = (name: string) => ({ name, kind: 'test' as const, total: 2, passed: 2, failed: 0, other: 0, failures: [] });
    const children = { linux: { ...ok, reports: [report('linux-unit')] }, windows: { ...ok, reports: [report('windows-unit')] } };
    const s = step({ BATCH: 'true' }, [], { children });
    expect(await s.run).toBe(0);
    expect(s.presenter.tests.map((t) => t.name).sort()).toEqual(['linux-unit', 'windows-unit']);
  });

  test('retry-on with a batch: RetryBuildBatch for a FAILED batch; a STOPPED one is not retried (CodeBuild refuses)', async () => {
    const failing = step({ BATCH: 'true', RETRY_ON: 'FAILED' }, [ok], { children: { linux: ok, windows: { status: 'FAILED', lines: ['boom'] } } });
    expect(await failing.run).toBe(0);
    expect(failing.services.calls).toContain('RetryBuildBatch app:batch');
    const stopped = step({ BATCH: 'true', RETRY_ON: 'STOPPED' }, [], { children: { linux: ok, windows: { status: 'STOPPED', lines: ['halt'] } } });
    expect(await stopped.run).toBe(1);
    expect(stopped.services.calls.some((c) => c.startsWith('RetryBuildBatch'))).toBe(false);
    expect(stopped.log.has(/^warning .*CodeBuild cannot retry batch build app:batch as it ended \(STOPPED\); not retrying\.$/)).toBe(true);
  });

  test('wait: false starts, reports IN_PROGRESS, exits 0', async () => {
    const s = step({ WAIT: 'false' }, [ok]);
    expect(await s.run).toBe(0);
    expect(s.log.has(/^info Not waiting \(wait: false\); build app:1 is IN_PROGRESS\.$/)).toBe(true);
    expect(s.outputs['build-status']).toBe('IN_PROGRESS');
  });

  describe('download-artifacts', () => {
    const built: RunScript = { status: 'SUCCEEDED', lines: ['hello'], artifacts: { 'imagedefinitions.json': '[]', 'sub/report.xml': '<r/>' } };

    test('after a success: the files under the directory, outputs, one summary line; exit 0', async () => {
      const workdir = mkdtempSync(join(tmpdir(), 'step-'));
      const s = step({ DOWNLOAD_ARTIFACTS: 'out' }, [built], { workdir });
      expect(await s.run).toBe(0);
      expect(readFileSync(join(workdir, 'out/imagedefinitions.json'), 'utf8')).toBe('[]');
      expect(readFileSync(join(workdir, 'out/sub/report.xml'), 'utf8')).toBe('<r/>');
      expect(s.outputs['artifacts-dir']).toBe(join(workdir, 'out'));
      expect(JSON.parse(s.outputs.artifacts!)).toEqual(['out/imagedefinitions.json', 'out/sub/report.xml']);
      expect(s.log.has(/^info Downloaded 2 files \(0\.0 MB\) to /)).toBe(true);
    });

    test('after a failure: not with download-artifacts-on success, yes with always', async () => {
      const failed = { ...built, status: 'FAILED' as const };
      const workdir = mkdtempSync(join(tmpdir(), 'step-'));
      const skipped = step({ DOWNLOAD_ARTIFACTS: 'out' }, [failed], { workdir });
      expect(await skipped.run).toBe(1);
      expect(skipped.services.calls.some((c) => c.startsWith('GetObject'))).toBe(false);
      expect(skipped.log.has(/Not downloading the artifacts: build app:1 did not succeed/)).toBe(true);
      const always = step({ DOWNLOAD_ARTIFACTS: 'out', DOWNLOAD_ARTIFACTS_ON: 'always' }, [failed], { workdir });
      expect(await always.run).toBe(1);
      expect(readFileSync(join(workdir, 'out/sub/report.xml'), 'utf8')).toBe('<r/>');
    });

    test('a refused download fails a green build, after its own verdict, naming the permission', async () => {
      const s = step({ DOWNLOAD_ARTIFACTS: 'out' }, [built], { workdir: mkdtempSync(join(tmpdir(), 'step-')) });
      s.services.artifactsDenied = true;
      expect(await s.run).toBe(1);
      expect(s.presenter.verdicts[0]?.ok).toBe(true);
      expect(s.outputs['build-status']).toBe('SUCCEEDED');
      const last = s.log.events.at(-1);
      expect(last).toMatch(/^error Could not download the primary artifact of build app:1: .*The credentials need s3:ListBucket on arn:aws:s3:::artifacts\.$/);
    });

    test('a build without artifacts: one line, nothing to download, exit 0', async () => {
      const s = step({ DOWNLOAD_ARTIFACTS: 'out' }, [ok], { workdir: mkdtempSync(join(tmpdir(), 'step-')) });
      expect(await s.run).toBe(0);
      expect(s.log.has(/^info build app:1 has no artifacts \(NO_ARTIFACTS\): nothing to download\.$/)).toBe(true);
      expect(s.outputs.artifacts).toBe('[]');
    });

    test('a batch: each child into <dir>/<identifier>', async () => {
      const workdir = mkdtempSync(join(tmpdir(), 'step-'));
      const s = step({ BATCH: 'true', DOWNLOAD_ARTIFACTS: 'out' }, [], {
        workdir,
        children: { linux: built, windows: { ...built, artifacts: { 'app.exe': 'MZ' } } },
      });
      expect(await s.run).toBe(0);
      expect(readFileSync(join(workdir, 'out/linux/imagedefinitions.json'), 'utf8')).toBe('[]');
      expect(readFileSync(join(workdir, 'out/windows/app.exe'), 'utf8')).toBe('MZ');
    });
  });
});
