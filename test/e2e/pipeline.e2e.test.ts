import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failingScript, successScript } from '../fake/build-script';
import type { ScriptedAction, ScriptedPipeline } from '../fake/fake-execution';
import { rawZip } from '../fake/raw-zip';
import { githubStep } from '../platforms/github-runner';
import { expectEveryLineOnce, numbered, useFake, withPrivateFake } from './helpers';
import { type BundleRun, readJson, runBundle, startBundle } from './run-bundle';

const source = (bucket = 'src-bucket', key = 'app/source.zip', poll = 'false'): ScriptedAction => ({
  name: 'Source',
  category: 'Source',
  provider: 'S3',
  durationMs: 300,
  configuration: { S3Bucket: bucket, S3ObjectKey: key, PollForSourceChanges: poll },
});
const build = (name: string, project: string, runOrder = 1): ScriptedAction => ({ name, category: 'Build', provider: 'CodeBuild', project, runOrder });
const deploy: ScriptedAction = {
  name: 'DeployECS',
  category: 'Deploy',
  provider: 'ECS',
  durationMs: 1_500,
  summary: 'Deployment ecs-svc-7 completed',
  url: 'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/web/deployments',
};
const pipeline = (name: string, stages: ScriptedPipeline['stages'], more: Partial<ScriptedPipeline> = {}): ScriptedPipeline => ({ name, stages, ...more });
/** Source, then one CodeBuild action building `project`. */
const sourceAndBuild = (name: string, project: string, more: Partial<ScriptedPipeline> = {}) =>
  pipeline(
    name,
    [
      { name: 'Source', actions: [source()] },
      { name: 'Build', actions: [build('CodeBuild', project)] },
    ],
    more,
  );
const parallelPipeline = () =>
  pipeline('parallel', [
    { name: 'Source', actions: [source()] },
    { name: 'Test', actions: [build('Unit', 'pl-unit'), build('Lint', 'pl-lint')] },
  ]);

const aws = useFake((fake) => {
  fake.addProject('pl-app', successScript({ lines: numbered('app', 30) }));
  fake.addProject('pl-broken', failingScript('FAILED'));
  fake.addProject('pl-unit', successScript({ lines: numbered('unit', 40) }));
  fake.addProject('pl-lint', successScript({ lines: numbered('lint', 40) }));
  fake.addProject('pl-long', successScript({ lines: numbered('long', 200), buildMs: 60_000 }));
  fake.addPipeline(
    pipeline('deploy', [
      { name: 'Source', actions: [source()] },
      { name: 'Build', actions: [build('CodeBuild', 'pl-app')] },
      { name: 'Deploy', actions: [deploy] },
    ]),
  );
  fake.addPipeline(sourceAndBuild('deploy-gh', 'pl-app'));
  fake.addPipeline(
    pipeline('broken', [
      { name: 'Source', actions: [source()] },
      { name: 'Build', actions: [build('CodeBuild', 'pl-broken')] },
      { name: 'Deploy', actions: [deploy] },
    ]),
  );
  fake.addPipeline(parallelPipeline());
  const approval: ScriptedAction = { name: 'Approve', category: 'Approval', provider: 'Manual', configuration: { CustomData: 'Ship it?' } };
  fake.addPipeline(
    pipeline('gated', [
      { name: 'Source', actions: [source()] },
      { name: 'Approval', actions: [approval] },
      { name: 'Deploy', actions: [deploy] },
    ]),
  );
  fake.addPipeline(sourceAndBuild('long', 'pl-long'));
  fake.addPipeline(sourceAndBuild('long-abandon', 'pl-long'));
  const withOutput: ScriptedAction = {
    ...build('CodeBuild', 'pl-app'),
    outputs: { BuildArtifact: rawZip([{ name: 'imagedefinitions.json', data: '[{"name":"web"}]' }]) },
  };
  fake.addPipeline(
    pipeline('artifacts', [
      { name: 'Source', actions: [source()] },
      { name: 'Build', actions: [withOutput] },
    ]),
  );
  fake.addPipeline(sourceAndBuild('old', 'pl-app', { type: 'V1' }));
  // Stage conditions: Deploy's entry condition skips it; Publish runs after it.
  fake.addPipeline(
    pipeline('skipping', [
      { name: 'Source', actions: [source()] },
      { name: 'Build', actions: [build('CodeBuild', 'pl-app')] },
      { name: 'Deploy', actions: [deploy], entry: { result: 'SKIP', summary: 'DEPLOY is not yes' } },
      { name: 'Publish', actions: [build('Publish', 'pl-unit')] },
    ]),
  );
  fake.addProject('pl-slow', successScript({ lines: numbered('slow', 20), buildMs: 5_000 }));
  for (const name of ['crowded-same', 'crowded-other']) {
    fake.addPipeline(
      pipeline(name, [
        { name: 'Source', actions: [source()] },
        { name: 'Build', actions: [build('CodeBuild', 'pl-slow')] },
        { name: 'Deploy', actions: [deploy] },
      ]),
    );
  }
  fake.s3.unversionedBuckets.add('plain-bucket');
  fake.addPipeline(
    pipeline('unversioned', [
      { name: 'Source', actions: [source('plain-bucket', 'app/source.zip', 'true')] },
      { name: 'Build', actions: [build('CodeBuild', 'pl-app')] },
    ]),
  );
  // Polled S3 source: the upload starts an execution when CodePipeline next polls (here 3 s later).
  fake.addPipeline(
    pipeline(
      'polled',
      [
        { name: 'Source', actions: [{ ...source('drop-bucket', 'gitlab/app.zip', 'true') }] },
        { name: 'Build', actions: [build('CodeBuild', 'pl-app')] },
      ],
      {
        uploadTriggersAfterMs: 3_000,
      },
    ),
  );
});

const workspace = () => mkdtempSync(join(tmpdir(), 'cbr-pipe-'));
const run = (env: Record<string, string>, cwd = workspace()) => runBundle({ ...aws.env, GITLAB_CI: 'true', ...env }, { cwd });
const executionOf = (name: string) => {
  const all = aws.fake.codepipeline.executions.filter((e) => e.pipeline.name === name);
  if (all.length !== 1) throw new Error(`expected one execution of ${name}, found ${all.length}`);
  return all[0]!;
};
const buildOfAction = (name: string, action: string) => executionOf(name).runs.find((r) => r.action.name === action)!.build!;

/** The lines one action's log printed, without its `[Stage/Action] ` prefix. */
const linesOf = (stdout: string, label: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith(`[${label}] `))
    .map((l) => l.slice(label.length + 3))
    .join('\n');

async function printed(run: BundleRun, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 600 && !run.lines.some((l) => pattern.test(l.text)); i++) await new Promise((r) => setTimeout(r, 50));
}

describe('pipeline-name: a CodePipeline execution followed like a build', () => {
  test.concurrent('success: link at once, each action as it starts and ends, the CodeBuild log once with its prefix, outputs', async () => {
    const dir = workspace();
    const r = await run(
      { PIPELINE_NAME: 'deploy', PIPELINE_VARIABLES: 'STAGE=prod\nIMAGE_TAG=v1.2.3', SOURCE_REVISIONS: 'Source=S3_OBJECT_VERSION_ID:v42' },
      dir,
    );
    expect(r.code).toBe(0);
    const e = executionOf('deploy');
    expect(aws.fake.codepipeline.startRequests.find((s) => s.name === 'deploy')).toMatchObject({
      variables: [
        { name: 'STAGE', value: 'prod' },
        { name: 'IMAGE_TAG', value: 'v1.2.3' },
      ],
      sourceRevisions: [{ actionName: 'Source', revisionType: 'S3_OBJECT_VERSION_ID', revisionValue: 'v42' }],
    });
    const url = `https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/deploy/executions/${e.id}/timeline?region=eu-west-1`;
    const lines = r.stdout.split('\n');
    expect(lines.findIndex((l) => l.includes(url))).toBeLessThan(lines.findIndex((l) => l.includes('Build/CodeBuild (CodeBuild) started')));
    const b = buildOfAction('deploy', 'CodeBuild');
    for (const line of numbered('app', 30)) expect(lines.filter((l) => l === `[Build/CodeBuild] ${line}`)).toHaveLength(1);
    expect(r.stdout).toMatch(/Deploy\/DeployECS \(ECS\) Succeeded in \ds: Deployment ecs-svc-7 completed https:\/\/eu-west-1\.console\.aws\.amazon\.com\/ecs/);
    expect(r.stdout).toMatch(/Stage Build SUCCEEDED/);
    expect(r.stdout).toMatch(new RegExp(`Pipeline deploy execution ${e.id} Succeeded`));
    const result = readJson(join(dir, 'codebuild-result.json'))!;
    expect(result).toMatchObject({
      'pipeline-execution-id': e.id,
      'pipeline-status': 'Succeeded',
      'pipeline-url': url,
      'build-id': b.id,
      'build-status': 'SUCCEEDED',
    });
    expect(JSON.parse(result['pipeline-actions']!)).toEqual([
      expect.objectContaining({ stage: 'Source', action: 'Source', provider: 'S3', status: 'Succeeded', 'external-id': 'v42' }),
      expect.objectContaining({ stage: 'Build', action: 'CodeBuild', provider: 'CodeBuild', status: 'Succeeded', 'external-id': b.id }),
      expect.objectContaining({ stage: 'Deploy', action: 'DeployECS', provider: 'ECS', status: 'Succeeded', link: deploy.url }),
    ]);
  });

  test.concurrent('a stage skipped by its entry condition: said once; the stage after it is followed, build-id names its build', async () => {
    const dir = workspace();
    const r = await run({ PIPELINE_NAME: 'skipping' }, dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Stage Deploy was skipped: none of its actions ran');
    expect(linesOf(r.stdout, 'Publish/Publish')).toContain(numbered('unit', 40).join('\n'));
    const result = readJson(join(dir, 'codebuild-result.json'))!;
    expect(result['build-id']).toBe(buildOfAction('skipping', 'Publish').id);
    expect(JSON.parse(result['pipeline-actions']!)).toContainEqual(expect.objectContaining({ stage: 'Deploy', status: 'Skipped' }));
  });

  test.concurrent('GitHub: a group per stage, the job summary lists every action with its link', async () => {
    const gh = githubStep({ with: { 'pipeline-name': 'deploy-gh' }, env: aws.env });
    const r = await runBundle(gh.env, { cwd: gh.workspace });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('::group::Stage Source');
    expect(r.stdout).toContain('::group::Stage Build');
    expect(gh.outputs()['pipeline-status']).toBe('Succeeded');
    const summary = gh.summary();
    expect(summary).toContain('CodePipeline deploy-gh execution');
    expect(summary).toContain('<h3>Pipeline actions</h3>');
    expect(summary).toMatch(
      /<td>Build\/CodeBuild \(CodeBuild\)<\/td><td><a href="https:\/\/eu-west-1\.console\.aws\.amazon\.com\/codesuite\/codebuild\/projects\/pl-app\/build\//,
    );
  });

  test.concurrent('a failing CodeBuild action fails the step, naming the stage, the action and the reason; later stages never start', async () => {
    const r = await run({ PIPELINE_NAME: 'broken' });
    expect(r.code).toBe(1);
    const e = executionOf('broken');
    expect(r.stdout).toMatch(
      new RegExp(`Pipeline broken execution ${e.id} Failed after \\d+s in stage Build, action CodeBuild: JobFailed: Build terminated with state: FAILED`),
    );
    expect(r.stdout).toContain('[Build/CodeBuild] not ok 1 - adds numbers');
    expect(r.stdout).not.toContain('Deploy/DeployECS (ECS) started');
  });

  test.concurrent('parallel CodeBuild actions: both logs, every line once per action, each in order', async () => {
    const r = await run({ PIPELINE_NAME: 'parallel' });
    expect(r.code).toBe(0);
    for (const [action, prefix] of [
      ['Unit', 'unit'],
      ['Lint', 'lint'],
    ] as const) {
      const b = buildOfAction('parallel', action);
      const only = linesOf(r.stdout, `Test/${action}`);
      expectEveryLineOnce(only, b);
      expect(only).toContain(`${prefix} line 40 of 40`);
    }
  });

  test.concurrent('parallel actions whose running executions already carry their build ids: still every line once', async () => {
    await withPrivateFake(async (env, fake) => {
      fake.addProject('pl-unit', successScript({ lines: numbered('unit', 40) }));
      fake.addProject('pl-lint', successScript({ lines: numbered('lint', 40) }));
      fake.addPipeline(parallelPipeline());
      fake.codepipeline.resultsWhileRunning = true;
      const r = await runBundle({ ...env, GITLAB_CI: 'true', PIPELINE_NAME: 'parallel' }, { cwd: workspace() });
      expect(r.code).toBe(0);
      for (const action of ['Unit', 'Lint']) {
        const b = fake.codepipeline.executions[0]!.runs.find((x) => x.action.name === action)!.build!;
        const only = linesOf(r.stdout, `Test/${action}`);
        expectEveryLineOnce(only, b);
      }
    });
  });

  test.concurrent('a manual approval: the link to review it; wait-timeout-minutes abandons the execution once (finish would wait for the approval) and fails', async () => {
    const dir = workspace();
    const r = await run({ PIPELINE_NAME: 'gated', WAIT_TIMEOUT_MINUTES: '0.25' }, dir);
    expect(r.code).toBe(1);
    const e = executionOf('gated');
    expect(r.stdout).toContain(
      'Approval/Approve waits for a manual approval: review it at https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/gated/view?region=eu-west-1',
    );
    expect(aws.fake.codepipeline.stopRequests.filter((s) => s.pipelineExecutionId === e.id)).toEqual([expect.objectContaining({ abandon: true })]);
    expect(r.stdout).toContain('abandoned (only an approval was pending, which stop-mode finish would wait for)');
    expect(readJson(join(dir, 'codebuild-result.json'))!['pipeline-status']).toBe('WAIT_TIMEOUT');
  });

  test.concurrent.each([
    ['long', 'finish', false],
    ['long-abandon', 'abandon', true],
  ] as const)('cancel (%s): one StopPipelineExecution, stop-mode %s', async (name, mode, abandon) => {
    const job = startBundle({ ...aws.env, GITLAB_CI: 'true', PIPELINE_NAME: name, STOP_MODE: mode }, { cwd: workspace() });
    await printed(job, /\[Build\/CodeBuild\] long line 3 of/);
    job.child.kill('SIGTERM');
    const r = await job.done;
    expect(r.code).toBe(143);
    const e = executionOf(name);
    expect(aws.fake.codepipeline.stopRequests.filter((s) => s.pipelineExecutionId === e.id)).toEqual([expect.objectContaining({ abandon })]);
    const b = buildOfAction(name, 'CodeBuild');
    // Abandoning leaves the action's build running: abandon stops it too; finish lets it end.
    expect(aws.fake.stopCalls.some((c) => c.id === b.id)).toBe(abandon);
  });

  test.concurrent('upload-source to a polled S3 source: the execution the upload triggers is found and followed, none started', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'main.c'), 'int main(void) { return 0; }\n');
    const r = await run({ PIPELINE_NAME: 'polled', UPLOAD_SOURCE: 'true', CI_COMMIT_SHA: 'abc123def4567890' }, dir);
    expect(r.code).toBe(0);
    expect(aws.fake.codepipeline.startRequests.filter((s) => s.name === 'polled')).toEqual([]);
    const e = executionOf('polled');
    expect(e.trigger.triggerType).toBe('PollForSourceChanges');
    expect(r.stdout).toContain(`Found execution ${e.id}, started by the upload`);
    expect(aws.fake.s3.objects.has('drop-bucket/gitlab/app.zip')).toBe(true); // the pipeline's source stays
    expect(readFileSync(join(dir, 'codebuild-result.json'), 'utf8')).toContain(e.id);
  });

  test.concurrent("download-artifacts: each CodeBuild action's output artifacts, from the artifact store, into <dir>/<artifact name>", async () => {
    const dir = workspace();
    const r = await run({ PIPELINE_NAME: 'artifacts', DOWNLOAD_ARTIFACTS: 'out' }, dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'out/BuildArtifact/imagedefinitions.json'), 'utf8')).toBe('[{"name":"web"}]');
    expect(JSON.parse(readJson(join(dir, 'codebuild-result.json'))!.artifacts!)).toEqual(['out/BuildArtifact/imagedefinitions.json']);
  });

  test.concurrent.each([
    ['crowded-same', 'v-mine', 0],
    ['crowded-other', 'v-other', 1],
  ] as const)('Superseded (%s): followed on into a newer execution of the same revisions, else a failure', async (name, newer, code) => {
    const start = (version?: string) =>
      aws.fake.codepipeline.handle('StartPipelineExecution', {
        name,
        ...(version && { sourceRevisions: [{ actionName: 'Source', revisionType: 'S3_OBJECT_VERSION_ID', revisionValue: version }] }),
      })!.pipelineExecutionId as string;
    start(); // holds the Build stage for 5 s: ours waits at its entry
    const job = startBundle(
      { ...aws.env, GITLAB_CI: 'true', PIPELINE_NAME: name, SOURCE_REVISIONS: 'Source=S3_OBJECT_VERSION_ID:v-mine' },
      { cwd: workspace() },
    );
    const ours = async () => aws.fake.codepipeline.executions.find((e) => e.pipeline.name === name && e.sourceRevision?.revisionId === 'v-mine');
    for (let i = 0; i < 200 && (await ours())?.waitingAt !== 'Build'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const mine = (await ours())!;
    const successor = start(newer); // comes to wait there too: ours is superseded
    const r = await job.done;
    expect(r.code).toBe(code);
    expect(mine.status).toBe('Superseded');
    if (code === 0) {
      expect(r.stdout).toContain(`Execution ${mine.id} was superseded by ${successor}, which carries the same source revisions: following it`);
      expect(r.stdout).toContain('[Build/CodeBuild] slow line 20 of 20');
    } else {
      expect(r.stdout).toContain(`Pipeline ${name} execution ${mine.id} Superseded`);
      expect(r.stdout).toContain('a newer execution went on through the pipeline in its place');
    }
  });

  test.concurrent('upload-source to an unversioned bucket: a clear error, nothing started', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'main.c'), 'int main(void) { return 0; }\n');
    const r = await run({ PIPELINE_NAME: 'unversioned', UPLOAD_SOURCE: 'true' }, dir);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("the pipeline's S3 source action needs a bucket with versioning enabled");
    expect(aws.fake.codepipeline.executions.filter((e) => e.pipeline.name === 'unversioned')).toEqual([]);
  });

  test.concurrent.each([
    ['Source=S3_OBJECT_KEY:app/other.zip', 'S3_OBJECT_KEY for Source needs AllowOverrideForS3ObjectKey: true'],
    ['Checkout=COMMIT_ID:abc', 'source-revisions names Checkout, which is not a source action of pipeline deploy (its source actions: Source)'],
  ])('source-revisions the pipeline would refuse (%s): one clear error, nothing started', async (revisions, message) => {
    const before = aws.fake.codepipeline.startRequests.length;
    const r = await run({ PIPELINE_NAME: 'deploy', SOURCE_REVISIONS: revisions });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(message);
    const value = revisions.split(':')[1]!;
    const started = aws.fake.codepipeline.startRequests
      .slice(before)
      .filter((s) => s.name === 'deploy' && JSON.stringify(s.sourceRevisions ?? []).includes(value));
    expect(started).toEqual([]);
  });

  test.concurrent('a V1 pipeline with variables: one clear error, nothing started', async () => {
    const r = await run({ PIPELINE_NAME: 'old', PIPELINE_VARIABLES: 'STAGE=prod' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('pipeline old is a V1 pipeline: pipeline-variables and source-revisions need a V2 pipeline');
    expect(aws.fake.codepipeline.startRequests.filter((s) => s.name === 'old')).toEqual([]);
  });
});

describe('pipeline settings that cannot work fail before any AWS call', () => {
  test.each([
    [{ PIPELINE_NAME: 'deploy', PROJECT_NAME: 'app' }, 'PIPELINE_NAME cannot be combined with PROJECT_NAME'],
    [{ PIPELINE_NAME: 'deploy', BATCH: 'true' }, 'PIPELINE_NAME cannot be combined with BATCH'],
    [
      { PIPELINE_NAME: 'deploy', SOURCE_REVISIONS: 'Source=BRANCH:main' },
      'SOURCE_REVISIONS line 1: the type must be one of COMMIT_ID, IMAGE_DIGEST, S3_OBJECT_VERSION_ID, S3_OBJECT_KEY',
    ],
    [{ PIPELINE_NAME: 'deploy', STOP_MODE: 'now' }, 'STOP_MODE must be one of finish, abandon'],
    [{ PIPELINE_VARIABLES: 'A=1', PROJECT_NAME: 'app' }, 'PIPELINE_VARIABLES needs PIPELINE_NAME'],
  ])('%j', async (env, message) => {
    await withPrivateFake(async (fakeEnv, fake) => {
      const r = await runBundle({ ...fakeEnv, ...env });
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).toContain(message);
      expect(fake.calls).toEqual([]);
    });
  });
});
