import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/config';
import type { Outputs } from '../../../src/domain/outputs';
import { Cancelled } from '../../../src/domain/stop-reason';
import { envVariables } from '../../../src/frontdoor/settings';
import { GitHubLog } from '../../../src/log/github-log';
import { TextLog } from '../../../src/log/text-log';
import { GitHubPresenter } from '../../../src/present/github-presenter';
import { writeJobSummary } from '../../../src/present/job-summary';
import type { SlackPayload } from '../../../src/present/slack-message';
import { TextPresenter } from '../../../src/present/text-presenter';
import { runStep } from '../../../src/step/run-step';
import { FakeServices } from '../step/fake-services';
import { capture, RecordingLog, RecordingPresenter, VirtualClock } from '../support';
import { type DeploymentScript, DeploymentTarget } from './deployment/target';

/**
 * A kind of run the product does not have, defined in test/ only (./deployment): the step, the
 * presenters and the outputs must handle it without a change anywhere else. If one of them asks
 * which kind it has, or assumes a build, these fail.
 */
function deploy(script: DeploymentScript, settings: Record<string, string> = {}, cancelAfterMs?: number) {
  const clock = new VirtualClock();
  const controller = new AbortController();
  if (cancelAfterMs !== undefined) clock.after(cancelAfterMs, () => controller.abort(new Cancelled('SIGTERM')));
  const services = new FakeServices(clock, []);
  const log = new RecordingLog();
  const presenter = new RecordingPresenter();
  const outputs: Outputs = {};
  const sink = { set: (values: Outputs) => void Object.assign(outputs, values) };
  const posts: SlackPayload[] = [];
  const config = loadConfig(envVariables({ PROJECT_NAME: 'unused', SLACK_WEBHOOK_URL: 'https://hooks.slack.example/T/B/x', ...settings }));
  const target = new DeploymentTarget('web', script, { clock, log, outputs: sink });
  const run = runStep({
    config,
    target,
    log,
    presenter,
    outputs: sink,
    ci: { ci: 'GitLab CI', commit: 'abc123' },
    clock,
    store: services.source,
    artifacts: services.artifacts,
    workdir: tmpdir(),
    signal: controller.signal,
    slackPost: async (_url, payload) => void posts.push(payload),
  });
  return { run, log, presenter, outputs, posts, target };
}

const fleet: DeploymentScript = { hosts: ['web-1', 'web-2', 'web-3'], failing: { 'web-2': 'disk full' } };

describe('a fourth kind of run, defined only in the tests', () => {
  test('the step follows it to its verdict; outputs, Slack and the summary speak its words', async () => {
    const d = deploy(fleet);
    expect(await d.run).toBe(1);
    expect(d.log.has(/^info web-2: disk full$/)).toBe(true);
    expect(d.outputs).toMatchObject({ 'build-id': 'd-1', 'build-status': 'Broken', 'exported-variables': '{"FLEET_VERSION":"42"}' });
    const outcome = d.presenter.summaries[0]!;
    expect(outcome.verdict).toMatchObject({ ok: false, normal: 'FAILED', summary: 'Deployment d-1 to web Broken on web-2: disk full' });
    const slack = JSON.stringify(d.posts[0]);
    expect(d.posts[0]?.text).toBe('Broken: web d-1 in web-2 (disk full)');
    for (const part of ['*Failed host*', ':x:', '*Hosts*', 'web-2 Broken', '<https://fleet.example/web/d-1|web d-1>']) expect(slack).toContain(part);
  });

  test('what it cannot do is absent, and the step says so: no retry, no artifacts', async () => {
    const d = deploy(fleet, { RETRY_ON: 'FAILED', DOWNLOAD_ARTIFACTS: 'out', DOWNLOAD_ARTIFACTS_ON: 'always' });
    expect(await d.run).toBe(1);
    // Broken means FAILED, which retry-on names; but this kind cannot be run again.
    expect(d.target.starts).toBe(1);
    expect(d.log.has(/^warning Deployment d-1 to web Broken on web-2: disk full\. retry-on does not apply to deployment d-1; not retrying\.$/)).toBe(true);
    expect(d.log.has(/^info deployment d-1 leaves no artifacts to download\.$/)).toBe(true);
  });

  test('GitHub: the annotation and the job summary speak its words (title, labels, columns, attempts, link texts)', async () => {
    const d = deploy({ hosts: ['web-1', 'web-2'], failing: { 'web-2': 'disk full' }, healsOnRetry: true }, { RETRY_ON: 'FAILED' });
    expect(await d.run).toBe(0);
    expect(d.log.has(/^info Redeploying d-1$/)).toBe(true);
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      new GitHubPresenter(new GitHubLog(false, () => {}), false).conclusion(
        { ok: false, status: 'Broken', normal: 'FAILED', summary: 'Deployment d-1 to web Broken' },
        [],
        d.presenter.summaries[0]!.description,
      );
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toContain('::error title=Fleet Broken::Deployment d-1 to web Broken');
    const file = join(mkdtempSync(join(tmpdir(), 'cbr-summary-')), 'summary.md');
    writeFileSync(file, '');
    process.env.GITHUB_STEP_SUMMARY = file;
    try {
      await writeJobSummary(d.presenter.summaries[0]!);
    } finally {
      delete process.env.GITHUB_STEP_SUMMARY;
    }
    const html = readFileSync(file, 'utf8');
    for (const part of [
      '✅ Fleet web deployment d-1: Ready',
      '<td>Fleet</td><td>web</td>',
      '<td>Deployment</td><td>d-1</td>',
      '<th>Host</th><th>Instance</th>',
      '<th>Deployment</th><th>Number</th><th>Status</th>',
      'Deployment in the fleet console',
      'Deployment log</a>',
    ])
      expect(html).toContain(part);
    expect(html).not.toMatch(/CodeBuild|Project|Build log|<th>Build<\/th>/);
  });

  test('the text presenter and a cancel: it is stopped once, and the outcome says so', async () => {
    const d = deploy({ hosts: ['web-1', 'web-2'], perHostMs: 60_000 }, {}, 90_000);
    expect(await d.run).toBe(143);
    expect(d.presenter.summaries[0]).toMatchObject({ kind: 'cancelled', detail: 'deployment d-1 was halted' });
    expect(d.outputs['build-status']).toBe('CANCELLED');
    const out = capture();
    new TextPresenter(new TextLog({ color: false, debug: false }, out.write)).conclusion(d.presenter.summaries[0]?.verdict, []);
    const ended = deploy({ hosts: ['web-1'], failing: { 'web-1': 'no route' } });
    await ended.run;
    new TextPresenter(new TextLog({ color: false, debug: false }, out.write)).conclusion(ended.presenter.summaries[0]?.verdict, []);
    expect(out.text).toContain('✖ Deployment d-1 to web Broken on web-1: no route');
  });
});
