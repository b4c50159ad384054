import { join } from 'node:path';
import { successScript } from '../fake/build-script';
import { sourceAndBuild } from '../fake/pipeline-fixtures';
import { bitbucketPipe } from '../platforms/bitbucket-pipe';
import { plainContainer } from '../platforms/container-job';
import { githubStep } from '../platforms/github-runner';
import { numbered, useFake } from './helpers';
import { readJson, runBundle } from './run-bundle';

/**
 * Every kind of run, on every platform, with the environment the platform really builds from the
 * shipped metadata (GitHub: every action.yml input, defaulted; a repository pipe: pipe.yml's
 * defaults; a docker:// pipe and docker run: only what the step lists). Each must succeed: no
 * platform's way of passing defaults may trip a rule meant for what the user set.
 */
const PLATFORMS = ['github', 'bitbucket-docker', 'bitbucket-repository', 'container'] as const;
type Platform = (typeof PLATFORMS)[number];

const attachable: Partial<Record<Platform, string>> = {};
const aws = useFake((fake) => {
  for (const p of PLATFORMS) {
    fake.addProject(`mx-${p}`, successScript({ lines: numbered(`mx-${p}`, 10) }));
    fake.addBatchProject(`mx-batch-${p}`, [{ identifier: 'only', script: successScript({ lines: numbered(`mx-batch-${p}`, 10) }) }]);
    fake.addPipeline(sourceAndBuild(`mx-pipeline-${p}`, `mx-${p}`));
    attachable[p] = fake.addFinishedBuild(`mx-attach-${p}`, successScript({ lines: numbered(`mx-attach-${p}`, 10) }), 30_000).id;
  }
});

/** What the user writes, by GitHub input name. */
const RUNS: Record<string, (p: Platform) => Record<string, string>> = {
  build: (p) => ({ 'project-name': `mx-${p}` }),
  batch: (p) => ({ 'project-name': `mx-batch-${p}`, batch: 'true' }),
  pipeline: (p) => ({ 'pipeline-name': `mx-pipeline-${p}` }),
  attach: (p) => ({ 'build-id': attachable[p]! }),
};
const asVariables = (run: Record<string, string>) => Object.fromEntries(Object.entries(run).map(([k, v]) => [k.toUpperCase().replace(/-/g, '_'), v]));

/** Runs the bundle as the platform would; returns the exit code and the outputs it left. */
async function runOn(platform: Platform, run: Record<string, string>) {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, ...endpoint } = aws.env;
  const keys = { AWS_ACCESS_KEY_ID: AWS_ACCESS_KEY_ID!, AWS_SECRET_ACCESS_KEY: AWS_SECRET_ACCESS_KEY!, AWS_DEFAULT_REGION: AWS_REGION! };
  if (platform === 'github') {
    const gh = githubStep({ with: run, env: aws.env });
    const r = await runBundle(gh.env, { cwd: gh.workspace });
    return { ...r, outputs: gh.outputs() };
  }
  const step =
    platform === 'container'
      ? plainContainer({ ...aws.env, ...asVariables(run) })
      : platform === 'bitbucket-docker'
        ? bitbucketPipe({ form: 'docker', variables: { ...endpoint, ...keys, ...asVariables(run) }, repositoryVariables: keys })
        : bitbucketPipe({ form: 'repository', variables: { ...endpoint, ...asVariables(run) }, repositoryVariables: keys });
  const cwd = 'cloneDir' in step ? step.cloneDir : step.cwd;
  const r = await runBundle(step.env, { cwd });
  return { ...r, outputs: readJson(join(cwd, 'codebuild-result.json')) ?? {} };
}

describe.each(PLATFORMS)('%s, as the platform runs the step', (platform) => {
  test.concurrent.each(Object.keys(RUNS))('%s succeeds with only what the user must set', async (kind) => {
    const r = await runOn(platform, RUNS[kind]!(platform));
    if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout.slice(-3_000)}`);
    if (kind === 'pipeline') expect(r.outputs['pipeline-status']).toBe('Succeeded');
    else expect(r.outputs['build-status']).toBe('SUCCEEDED');
    expect(r.stdout).not.toMatch(/WARNING|::warning/);
  });
});
