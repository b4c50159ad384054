import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuildScript, failingScript, successScript } from '../fake/build-script';
import { githubStep } from '../platforms/github-runner';
import { useFake } from './helpers';
import { runBundle } from './run-bundle';
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
  fake.addProject('tests-long-gh', { ...failingScript('FAILED'), reports: [{ group: 'unit', passed: 1, failed: longCases(12) }] });
  fake.addProject('tests-many', { ...failingScript('FAILED'), reports: [{ group: 'unit', passed: 1, failed: longCases(60) }] });
});

/** Parameterised names past 200 characters, told apart only at their ends. */
const longName = (i: number) => `OrderTest › total[${'{"currency":"EUR","lines":[{"sku":"A-1","qty":2}]}'.repeat(5)}, case ${i}]`;
function longCases(n: number) {
  return Array.from({ length: n }, (_, i) => ({ name: longName(i + 1), message: `expected 90 to equal 81 (case ${i + 1})` }));
}
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

  test.concurrent('GitHub: the verdict is the first error annotation, then one per failed test (9 more at most, GitHub shows 10), and a Tests section in the summary', async () => {
    const gh = githubStep({ with: { 'project-name': 'tests-red-gh' }, env: aws.env });
    const r = await runBundle(gh.env, { cwd: gh.workspace });
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors[0]).toMatch(/^::error title=CodeBuild FAILED::Build tests-red-gh #1 FAILED/);
    // (':' in a property is escaped as %3A by @actions/core; the runner decodes it)
    const annotations = errors.filter((l) => l.startsWith('::error title=Test failed%3A '));
    expect(annotations).toHaveLength(9);
    expect(errors).toHaveLength(10);
    expect(annotations[0]).toBe('::error title=Test failed%3A checkout › applies discount 1::expected 90 to equal 81 <!channel> (case 1)');
    expect(r.stdout).toContain('  ✖ checkout › applies discount 10: expected 90 to equal 81');
    expect(r.stdout).toContain('  ✖ checkout › applies discount 12: expected 90 to equal 81');
    const summary = gh.summary();
    expect(summary).toMatch(/<h3>Tests<\/h3>[\s\S]*<td>tests-red-gh-unit<\/td><td>130<\/td><td>118<\/td><td>12<\/td>/);
    expect(summary).toContain('<td>checkout › applies discount 12</td>');
  });

  test.concurrent('GitHub: every failed test is also a log line with its full name (annotation titles stay cut)', async () => {
    const gh = githubStep({ with: { 'project-name': 'tests-long-gh' }, env: aws.env });
    const r = await runBundle(gh.env, { cwd: gh.workspace });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    for (let i = 1; i <= 12; i++) expect(lines).toContain(`  ✖ ${longName(i)}: expected 90 to equal 81 (case ${i})`);
    const titles = lines.filter((l) => l.startsWith('::error title=Test failed%3A '));
    expect(titles).toHaveLength(9);
    expect(titles.every((l) => !l.includes(', case '))).toBe(true);
  });

  test.concurrent('more failed tests than the log lists: 50 lines, then how many more', async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'tests-many' }, { cwd: mkdtempSync(join(tmpdir(), 'cbr-tr-')) });
    expect(r.code).toBe(1);
    const listed = r.stdout.split('\n').filter((l) => l.startsWith('  ✖ '));
    expect(listed).toHaveLength(50);
    expect(listed[49]).toBe(`  ✖ ${longName(50)}: expected 90 to equal 81 (case 50)`);
    expect(r.stdout).toContain('WARNING: Tests tests-many-unit: 61 tests, 1 passed, 60 failed\n');
    expect(r.stdout).toContain(`${listed[49]}\n  …and 10 more failed tests (in the CodeBuild console)\n`);
  });

  test.concurrent('a green build with reports: totals, no failures', async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'tests-green' }, { cwd: mkdtempSync(join(tmpdir(), 'cbr-tr-')) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('INFO: Tests tests-green-unit: 118 tests, 118 passed, 0 failed');
    expect(r.stdout).not.toContain('  ✖');
  });
});

describe('reports as the Reports API returns them', () => {
  const kinds = useFake((fake) => {
    fake.addProject('coverage', {
      ...successScript(),
      reports: [
        { group: 'unit', passed: 10, failed: [] },
        { group: 'coverage', type: 'CODE_COVERAGE', coverage: { lines: [800, 200], branches: [100, 100] } },
      ],
    });
    fake.addProject('errors', {
      ...failingScript('FAILED'),
      reports: [
        {
          group: 'unit',
          passed: 5,
          failed: [
            { name: 'asserts', message: 'expected 1 to be 2' },
            { name: 'crashes', message: 'TypeError: x is undefined', status: 'ERROR' },
          ],
        },
      ],
    });
    fake.addProject('many', { ...successScript(), reports: Array.from({ length: 130 }, (_, i) => ({ group: `shard-${i}`, passed: 1, failed: [] })) });
    fake.addProject('slow-report', { ...successScript(), reports: [{ group: 'unit', passed: 7, failed: [], generatingReads: 2 }] });
    fake.addProject('partial', {
      ...successScript(),
      reports: [
        { group: 'cut', passed: 3, failed: [], truncated: true },
        { group: 'broken', passed: 0, failed: [], status: 'INCOMPLETE' },
      ],
    });
  });
  const run = (project: string) => runBundle({ ...kinds.env, PROJECT_NAME: project }, { cwd: mkdtempSync(join(tmpdir(), 'cbr-tr-')) });

  test.concurrent('a CODE_COVERAGE report shows line and branch coverage, never "0 tests"', async () => {
    const r = await run('coverage');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('INFO: Coverage coverage-coverage: lines 80.0% (800 of 1000), branches 50.0% (100 of 200)');
    expect(r.stdout).toContain('INFO: Tests coverage-unit: 10 tests, 10 passed, 0 failed');
    expect(r.stdout).not.toMatch(/\b0 tests/);
  });

  test.concurrent('ERROR cases are listed like FAILED ones', async () => {
    const r = await run('errors');
    expect(r.stdout).toContain('WARNING: Tests errors-unit: 7 tests, 5 passed, 2 failed');
    expect(r.stdout).toContain('  ✖ asserts: expected 1 to be 2');
    expect(r.stdout).toContain('  ✖ crashes (error): TypeError: x is undefined');
  });

  test.concurrent('more than 100 reports are read in chunks of 100', async () => {
    const r = await run('many');
    expect(r.stdout.match(/INFO: Tests many-shard-\d+: 1 tests, 1 passed, 0 failed/g)).toHaveLength(130);
    expect(r.stdout).not.toContain('Could not read the test reports');
  });

  test.concurrent('a report still GENERATING is read again', async () => {
    const r = await run('slow-report');
    expect(r.stdout).toContain('INFO: Tests slow-report-unit: 7 tests, 7 passed, 0 failed');
  });

  test.concurrent('truncated and INCOMPLETE reports are said to be', async () => {
    const r = await run('partial');
    expect(r.stdout).toContain('Tests partial-cut: 3 tests, 3 passed, 0 failed (truncated: CodeBuild kept only part of the cases)');
    expect(r.stdout).toContain('Tests partial-broken: 0 tests, 0 passed, 0 failed (INCOMPLETE: CodeBuild could not finish the report)');
  });
});
