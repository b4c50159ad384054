import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { failingScript, successScript } from '../fake/build-script';
import { bitbucketPipe } from '../platforms/bitbucket-pipe';
import { githubStep } from '../platforms/github-runner';
import { buildOf, expectEveryLineOnce, numbered, useFake, withPrivateFake } from './helpers';
import { readJson, runBundle } from './run-bundle';

const aws = useFake((fake) => {
  fake.addProject('gh-ok', successScript({ lines: numbered('gh-ok', 30) }));
  fake.addProject('gh-fail', failingScript('FAILED'));
  fake.addProject('bb-ok', successScript({ lines: numbered('bb-ok', 30) }));
  fake.addProject('bb-fail', failingScript('FAILED'));
  fake.addProject('gh-mask', successScript({ lines: ['token is /prod/deploy-token'] }));
});

describe('GitHub Action front door (INPUT_* env, $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY)', () => {
  test.concurrent('success: outputs, phase groups, job summary', async () => {
    const gh = githubStep({ with: { 'project-name': 'gh-ok', 'source-version': 'main' }, env: aws.env });
    const r = await runBundle(gh.env, { cwd: gh.workspace });
    expect(r.code).toBe(0);
    const build = buildOf(aws.fake, 'gh-ok');
    expect(gh.outputs()).toEqual({
      'build-id': build.id,
      'build-arn': build.arn,
      'build-number': '1',
      'build-url': expect.stringContaining('/codesuite/codebuild/123456789012/projects/gh-ok/build/'),
      'build-status': 'SUCCEEDED',
      'logs-url': expect.stringContaining('/aws/codebuild/gh-ok'),
      'exported-variables': '{"IMAGE_TAG":"v1.2.3"}',
    });
    expect(r.stdout).toContain('::group::BUILD\n');
    expect(r.stdout).toContain('::endgroup::');
    const groups = r.stdout.split('\n').filter((l) => l.startsWith('::group::'));
    expect(groups).toEqual(['::group::DOWNLOAD_SOURCE', '::group::INSTALL', '::group::BUILD', '::group::UPLOAD_ARTIFACTS']);
    expectEveryLineOnce(r.stdout, build);
    const summary = gh.summary();
    expect(summary).toContain('CodeBuild gh-ok #1: SUCCEEDED');
    for (const phase of ['PROVISIONING', 'BUILD', 'UPLOAD_ARTIFACTS']) expect(summary).toContain(`<td>${phase}</td>`);
    expect(summary).toContain('Build in the CodeBuild console');
    expect(summary).toContain('Build log in CloudWatch');
    expect(summary).toContain('<td>IMAGE_TAG</td><td>v1.2.3</td>');
    expect(summary).toContain('3f2a9c1d5e7b8a6c4d2e0f1a3b5c7d9e1f2a3b4c');
    expect(r.stdout).not.toContain('result.json');
  });

  test.concurrent('failure: ::error annotation with status, phase and reason; failing lines outside the group; exit 1', async () => {
    const gh = githubStep({ with: { 'project-name': 'gh-fail' }, env: aws.env });
    const r = await runBundle(gh.env, { cwd: gh.workspace });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^::error title=CodeBuild FAILED::Build gh-fail #1 FAILED after \ds in phase BUILD: COMMAND_EXECUTION_ERROR: Error while executing command: npm test\. Reason: exit status 1$/m,
    );
    const afterGroup = r.stdout.slice(r.stdout.indexOf('::endgroup::', r.stdout.indexOf('::group::BUILD')));
    expect(afterGroup).toMatch(/^::endgroup::\nLast lines of BUILD:\n(.*\n)*not ok 1 - adds numbers\n(.*\n)*::warning title=Phase BUILD FAILED::/);
    expect(gh.outputs()['build-status']).toBe('FAILED');
    expect(gh.summary()).toContain('CodeBuild gh-fail #1: FAILED');
  });

  test.concurrent('secrets are masked before anything else is printed', async () => {
    const gh = githubStep({
      env: aws.env,
      with: {
        'project-name': 'gh-mask',
        'slack-webhook-url': 'http://127.0.0.1:1/services/T/B/SECRETHOOK',
        'slack-notify-on': 'never',
        'environment-variables': '[{"name":"TOKEN","value":"/prod/deploy-token","type":"PARAMETER_STORE"}]',
      },
    });
    const r = await runBundle(gh.env, { cwd: gh.workspace });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['::add-mask::http://127.0.0.1:1/services/T/B/SECRETHOOK', '::add-mask::/prod/deploy-token']);
    expect(lines.slice(2).join('\n')).not.toContain('SECRETHOOK');
  });
});

describe('Bitbucket pipe front door (env variables, coloured status lines, result file)', () => {
  // A docker:// pipe: the step lists the AWS variables itself (here, those of the fake endpoint).
  const pipe = (variables: Record<string, string>) => bitbucketPipe({ form: 'docker', variables: { ...aws.env, ...variables } });

  test.concurrent('success: green ✔, INFO lines, phase lines with durations, no :: commands, result file in the clone', async () => {
    const bb = pipe({ PROJECT_NAME: 'bb-ok' });
    const r = await runBundle(bb.env, { cwd: bb.cloneDir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^::/m);
    expect(r.stdout).toMatch(/\x1b\[32m✔ Build bb-ok #1 SUCCEEDED in \ds\x1b\[0m/);
    expect(r.stdout).toMatch(/^INFO: Started build bb-ok:/m);
    expect(r.stdout).toMatch(/^INFO: Phase BUILD SUCCEEDED \(\ds\)$/m);
    expect(r.stdout).toMatch(/^INFO: Phase PROVISIONING SUCCEEDED \(\ds\)$/m);
    expect(r.stdout).not.toContain('DEBUG:');
    expectEveryLineOnce(r.stdout, buildOf(aws.fake, 'bb-ok'));
    expect(readJson(join(bb.cloneDir, 'codebuild-result.json'))).toMatchObject({ 'build-status': 'SUCCEEDED', 'build-number': '1' });
  });

  test.concurrent('failure: red ✖ with status, phase and reason; DEBUG=true adds DEBUG lines; exit 1', async () => {
    const bb = pipe({ PROJECT_NAME: 'bb-fail', DEBUG: 'true' });
    const r = await runBundle(bb.env, { cwd: bb.cloneDir });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/^::/m);
    expect(r.stdout).toMatch(
      /\x1b\[31m✖ Build bb-fail #1 FAILED after \ds in phase BUILD: COMMAND_EXECUTION_ERROR: Error while executing command: npm test\. Reason: exit status 1\x1b\[0m/,
    );
    expect(r.stdout).toMatch(/\x1b\[33mWARNING: Phase BUILD FAILED \(\ds\): COMMAND_EXECUTION_ERROR/);
    expect(r.stdout).toContain('DEBUG: ');
    expect(JSON.parse(readFileSync(join(bb.cloneDir, 'codebuild-result.json'), 'utf8'))['build-status']).toBe('FAILED');
  });

  test.concurrent('--help prints the variables', async () => {
    const r = await runBundle({}, { args: ['--help'] });
    expect(r.code).toBe(0);
    for (const name of ['PROJECT_NAME', 'ENVIRONMENT_VARIABLES', 'SLACK_WEBHOOK_URL', 'STOP_ON_CANCEL', 'RESULT_FILE']) expect(r.stdout).toContain(name);
  });
});

/**
 * What the runner would take for a workflow command in the step's output: `::` at the start of
 * a line, `##[` anywhere (shared/README §2b), outside a `::stop-commands::` fence. Ours (groups,
 * annotations, masks, the fences themselves) are allowed, as long as their text holds no `##[`.
 */
function commandsOutsideFences(stdout: string): string[] {
  const ours = /^::(group|endgroup|error|warning|notice|debug|add-mask|stop-commands)\b/;
  const found: string[] = [];
  let fence: string | undefined;
  for (const line of stdout.split('\n')) {
    if (fence) {
      if (line === `::${fence}::`) fence = undefined;
      continue;
    }
    const start = /^::stop-commands::(.+)$/.exec(line);
    if (start) fence = start[1];
    else if (line.includes('##[') || (line.startsWith('::') && !ours.test(line))) found.push(line);
  }
  return found;
}

describe('GitHub: build output, test names and messages can never run a workflow command', () => {
  const evil = useFake((fake) => {
    const attack = ['::set-output name=pwned::1', 'look ##[set-output name=pwned2]1', '::add-mask::everything'];
    const script = failingScript('FAILED', 'BUILD', `make: *** ##[error]boom\n::set-output name=pwned3::1`);
    fake.addProject('gh-evil', {
      ...script,
      phases: script.phases.map((p) => (p.name === 'BUILD' ? { ...p, lines: attack } : p)),
      reports: [
        {
          group: 'unit',
          passed: 1,
          failed: Array.from({ length: 12 }, (_, i) => ({
            name: `case ${i} ::set-output name=pwned4::1`,
            message: `expected ##[set-output name=pwned5]1 (${i})`,
          })),
        },
      ],
    });
  });

  test('every such line is fenced, and annotations carry no ##[', async () => {
    const gh = githubStep({ with: { 'project-name': 'gh-evil' }, env: evil.env });
    const r = await runBundle(gh.env, { cwd: gh.workspace });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::set-output name=pwned::1');
    expect(commandsOutsideFences(r.stdout)).toEqual([]);
  });
});

describe('Bitbucket: a docker:// pipe gets only the variables its step lists', () => {
  // Bitbucket reads no pipe.yml for `pipe: docker://…`, so no default such as $AWS_ACCESS_KEY_ID
  // applies and repository variables are not passed in unless listed (shared/README §1).
  const without = (env: Record<string, string>, ...names: string[]) => Object.fromEntries(Object.entries(env).filter(([k]) => !names.includes(k)));
  const repositoryVariables = { AWS_ACCESS_KEY_ID: 'AKIDREPO', AWS_SECRET_ACCESS_KEY: 'repo-secret', AWS_DEFAULT_REGION: 'eu-west-1' };

  test.concurrent('no credentials: exit 2 naming exactly what to add to the variables: block, before any AWS call', () =>
    withPrivateFake(async (awsEnv, fake) => {
      const bb = bitbucketPipe({
        form: 'docker',
        variables: { ...without(awsEnv, 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'), PROJECT_NAME: 'bb-ok' },
        repositoryVariables,
      });
      const r = await runBundle(bb.env, { cwd: bb.cloneDir });
      expect(r.code).toBe(2);
      expect(r.stdout).toContain(
        "no AWS credentials reached the pipe: add AWS_ACCESS_KEY_ID: $AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: $AWS_SECRET_ACCESS_KEY to the pipe's variables: (or AWS_OIDC_ROLE_ARN with oidc: true on the step)",
      );
      expect(fake.calls).toHaveLength(0);
    }));

  test.concurrent('no region: exit 2 naming AWS_DEFAULT_REGION', () =>
    withPrivateFake(async (awsEnv, fake) => {
      const bb = bitbucketPipe({ form: 'docker', variables: { ...without(awsEnv, 'AWS_REGION'), PROJECT_NAME: 'bb-ok' }, repositoryVariables });
      const r = await runBundle(bb.env, { cwd: bb.cloneDir });
      expect(r.code).toBe(2);
      expect(r.stdout).toContain("no AWS region reached the pipe: add AWS_DEFAULT_REGION: $AWS_DEFAULT_REGION to the pipe's variables:");
      expect(fake.calls).toHaveLength(0);
    }));
});
