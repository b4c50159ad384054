import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { failingScript, successScript } from '../fake/build-script';
import { githubStep } from '../platforms/github-runner';
import { buildOf, useFake } from './helpers';
import { runBundle } from './run-bundle';

/**
 * GitHub's own local runner for actions (@github/local-action) runs the action's sources with
 * its stand-in @actions/core, against the fake endpoint: a second opinion on the GitHub front
 * door beside the tests that run the bundle. local-action does not fill action.yml's defaults as
 * the runner does, so the environment around it is the runner's (test/platforms/github-runner).
 */
const ROOT = resolve(__dirname, '../..');
const LOCAL_ACTION = join(ROOT, 'node_modules/.bin/local-action');
const ENTRY = join(ROOT, 'test/local-action/entry.ts');

const aws = useFake((fake) => {
  fake.addProject('la-ok', successScript());
  fake.addProject('la-fail', failingScript('FAILED'));
});

/** The "Action Outputs" table local-action prints from its stubbed core.setOutput. */
function outputsTable(stdout: string): Record<string, string> {
  const table = stdout.slice(stdout.lastIndexOf('Action Outputs'));
  return Object.fromEntries([...table.matchAll(/^│ \d+\s+│ '([\w-]+)'\s+│ '(.*)'\s+│$/gm)].map((m) => [m[1]!, m[2]!]));
}

async function localAction(project: string) {
  const dir = mkdtempSync(join(tmpdir(), 'cbr-la-'));
  const dotenv = join(dir, '.env');
  const step = githubStep({ with: { 'project-name': project }, env: aws.env });
  const summary = step.env.GITHUB_STEP_SUMMARY!;
  // Only what a step gets from the runner: none of the test process's own variables.
  const vars = step.env;
  writeFileSync(
    dotenv,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  // local-action runs `npm exec tsx` and `npm ls @actions/core` in the action's root.
  const r = await runBundle(
    { PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` },
    { cwd: ROOT, command: [LOCAL_ACTION, 'run', ROOT, ENTRY, dotenv] },
  );
  return { ...r, outputs: outputsTable(r.stdout), summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' };
}

describe('@github/local-action runs the action against the fake endpoint', () => {
  test.concurrent('success: exit 0, outputs, groups, job summary', async () => {
    const r = await localAction('la-ok');
    expect(r.code).toBe(0);
    const build = buildOf(aws.fake, 'la-ok');
    expect(r.outputs).toEqual({
      'build-id': build.id,
      'build-arn': build.arn,
      'build-number': '1',
      'build-url': expect.stringContaining('/projects/la-ok/build/'),
      'build-status': 'SUCCEEDED',
      'logs-url': expect.stringContaining('/aws/codebuild/la-ok'),
      'exported-variables': '{"IMAGE_TAG":"v1.2.3"}',
    });
    expect(r.stdout).toContain('::group::BUILD\n');
    expect(r.stdout).toContain('✔ Build la-ok #1 SUCCEEDED');
    expect(r.summary).toContain('CodeBuild la-ok #1: SUCCEEDED');
    expect(r.summary).toContain('<td>IMAGE_TAG</td><td>v1.2.3</td>');
  });

  test.concurrent('failure: exit 1, ::error annotation, FAILED output and summary', async () => {
    const r = await localAction('la-fail');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error title=CodeBuild FAILED::Build la-fail #1 FAILED after \ds in phase BUILD: COMMAND_EXECUTION_ERROR/m);
    expect(r.outputs['build-status']).toBe('FAILED');
    expect(r.summary).toContain('CodeBuild la-fail #1: FAILED');
  });
});
