import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuildScript, failingScript, successScript } from '../fake/build-script';
import { useFake } from './helpers';
import { githubRunnerFiles, inputs, runBundle } from './run-bundle';
import { SlackReceiver } from './slack-receiver';

const withReports = (script: BuildScript, failed: number): BuildScript => ({
  ...script,
  reports: [
    {
      group: 'unit',
      passed: 118,
      failed: Array.from({ length: failed }, (_, i) => ({
        prefix: 'checkout',
        name: `applies discount ${i + 1}`,
        message: `expected 90 to equal 81 <!channel> (case ${i + 1})`,
      })),
    },
    { group: 'e2e', passed: 12, failed: [] },
  ],
});

const aws = useFake((fake) => {
  fake.addProject('tests-red', withReports(failingScript('FAILED'), 2));
  fake.addProject('tests-red-gh', withReports(failingScript('FAILED'), 12));
  fake.addProject('tests-green', withReports(successScript(), 0));
});
const slack = new SlackReceiver();
beforeAll(() => slack.start());
afterAll(() => slack.stop());

describe('test reports', () => {
  test.concurrent('totals and failed cases in the log and Slack', async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'tests-red', SLACK_WEBHOOK_URL: slack.url }, { cwd: mkdtempSync(join(tmpdir(), 'cbr-tr-')) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('WARNING: Tests tests-red-unit: 120 tests, 118 passed, 2 failed');
    expect(r.stdout).toContain('INFO: Tests tests-red-e2e: 12 tests, 12 passed, 0 failed');
    expect(r.stdout).toContain('  ✖ checkout › applies discount 1: expected 90 to equal 81 <!channel> (case 1)');
    expect(r.stdout.indexOf('Tests tests-red-unit')).toBeLessThan(r.stdout.indexOf('✖ Build tests-red #1 FAILED'));
    const post = JSON.stringify(slack.posts.find((p) => JSON.stringify(p.body).includes('tests-red #1'))!.body);
    expect(post).toContain('130/132 passed, 2 failed');
    expect(post).toContain('checkout › applies discount 2');
    expect(post).not.toContain('<!channel>');
  });

  test.concurrent('GitHub: an annotation per failed test (at most 10), and a Tests section in the summary', async () => {
    const gh = githubRunnerFiles();
    const r = await runBundle({ ...aws.env, ...gh.env, ...inputs({ 'project-name': 'tests-red-gh' }) });
    expect(r.code).toBe(1);
    // (':' in a property is escaped as %3A by @actions/core; the runner decodes it)
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error title=Test failed%3A '));
    expect(annotations).toHaveLength(10);
    expect(annotations[0]).toBe('::error title=Test failed%3A checkout › applies discount 1::expected 90 to equal 81 <!channel> (case 1)');
    expect(r.stdout).toContain('  ✖ checkout › applies discount 12: expected 90 to equal 81');
    const summary = gh.summary();
    expect(summary).toMatch(/<h3>Tests<\/h3>[\s\S]*<td>tests-red-gh-unit<\/td><td>130<\/td><td>118<\/td><td>12<\/td>/);
    expect(summary).toContain('<td>checkout › applies discount 12</td>');
  });

  test.concurrent('a green build with reports: totals, no failures', async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'tests-green' }, { cwd: mkdtempSync(join(tmpdir(), 'cbr-tr-')) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('INFO: Tests tests-green-unit: 118 tests, 118 passed, 0 failed');
    expect(r.stdout).not.toContain('  ✖');
  });
});
