import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failingScript, successScript } from '../../fake/build-script';
import type { FakeAws } from '../../fake/fake-aws';
import type { ScriptedAction, ScriptedStage } from '../../fake/fake-execution';
import { codeBuildAction, s3Source } from '../../fake/pipeline-fixtures';
import { runInProcess } from './harness';

/**
 * What a pipeline's stages can do besides run their actions in turn: be skipped or failed by an
 * entry condition, fail and be retried by CodePipeline itself, wait on an approval beside a running
 * action when the CI job is cancelled, run a batch build. Each as the fake CodePipeline models it
 * from the user guide (test/fake/pipeline-script.ts).
 */
const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} line ${i + 1} of ${n}`);
const ecs: ScriptedAction = { name: 'Deploy', category: 'Deploy', provider: 'ECS', durationMs: 1_000, summary: 'deployed' };
const approval: ScriptedAction = { name: 'Approve', category: 'Approval', provider: 'Manual' };
const once = (lines: readonly string[], wanted: string) => lines.filter((l) => l.endsWith(wanted)).length === 1;
const stages = (...more: ScriptedStage[]): ScriptedStage[] => [{ name: 'Source', actions: [s3Source()] }, ...more];

/** A run whose RESULT_FILE (the outputs) is read back. */
async function withResult(variables: Record<string, string>, setup: (f: FakeAws) => void, options?: { cancelAfterMs?: number }) {
  const file = join(mkdtempSync(join(tmpdir(), 'cbr-stages-')), 'result.json');
  const r = await runInProcess({ ...variables, RESULT_FILE: file }, setup, options);
  return { ...r, result: JSON.parse(readFileSync(file, 'utf8')) as Record<string, string> };
}

const projectBuild = (fake: FakeAws, project: string) => [...fake.builds.values()].filter((b) => b.project === project);

describe('a pipeline stage skipped or failed by its entry condition', () => {
  test('a skipped stage: the stages after it are followed, their logs tailed, build-id names their build', async () => {
    const r = await withResult({ PIPELINE_NAME: 'skips' }, (f) => {
      f.addProject('app', successScript({ lines: numbered('app', 3) }));
      f.addProject('pub', successScript({ lines: numbered('pub', 5) }));
      f.addPipeline({
        name: 'skips',
        stages: stages(
          { name: 'Build', actions: [codeBuildAction('CodeBuild', 'app')] },
          { name: 'Deploy', actions: [ecs], entry: { result: 'SKIP', summary: 'DEPLOY is not yes' } },
          { name: 'Publish', actions: [codeBuildAction('Publish', 'pub')] },
        ),
      });
    });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Stage Deploy was skipped: none of its actions ran');
    expect(numbered('pub', 5).every((l) => once(r.lines, `[Publish/Publish] ${l}`))).toBe(true);
    expect(r.lines.some((l) => /^INFO: Stage Publish SUCCEEDED/.test(l))).toBe(true);
    expect(r.result['build-id']).toBe(projectBuild(r.fake, 'pub')[0]!.id);
    expect(JSON.parse(r.result['pipeline-actions']!).find((a: { stage: string }) => a.stage === 'Deploy').status).toBe('Skipped');
  });

  test('a stage failed by its entry condition has no action: the verdict names the stage and the condition', async () => {
    const r = await runInProcess({ PIPELINE_NAME: 'gated' }, (f) => {
      f.addProject('app', successScript({ lines: numbered('app', 3) }));
      f.addPipeline({
        name: 'gated',
        stages: stages(
          { name: 'Build', actions: [codeBuildAction('CodeBuild', 'app')] },
          { name: 'Deploy', actions: [ecs], entry: { result: 'FAIL', summary: 'Alarm prod-5xx is in ALARM' } },
        ),
      });
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✖ Pipeline gated execution [\w-]+ Failed after \d+s in stage Deploy: entry condition failed: Alarm prod-5xx is in ALARM/);
  });
});

describe('a stage CodePipeline retries by itself (onFailure RETRY)', () => {
  /** Fails on its first build, succeeds on the next. */
  const flaky = (f: FakeAws) => {
    let builds = 0;
    f.addProject('flaky', () => (builds++ === 0 ? failingScript('FAILED') : successScript({ lines: numbered('retried', 4) })));
  };

  test('the execution reads Failed until the retry starts: the step waits, tails the retried build, and passes with the pipeline', async () => {
    const r = await withResult({ PIPELINE_NAME: 'retrying' }, (f) => {
      flaky(f);
      f.addPipeline({
        name: 'retrying',
        stages: stages(
          { name: 'Build', actions: [codeBuildAction('CodeBuild', 'flaky')], onFailure: { retryMode: 'FAILED_ACTIONS' } },
          { name: 'Deploy', actions: [ecs] },
        ),
      });
    });
    expect(r.fake.codepipeline.executions[0]!.autoRetried.has('Build')).toBe(true);
    expect(r.code).toBe(0);
    expect(r.out).toContain('waiting for CodePipeline to retry the stage (onFailure RETRY, FAILED_ACTIONS)');
    expect(numbered('retried', 4).every((l) => once(r.lines, `[Build/CodeBuild] ${l}`))).toBe(true);
    expect(r.out).toMatch(/✔ Pipeline retrying execution [\w-]+ Succeeded/);
    expect(r.result['build-id']).toBe(projectBuild(r.fake, 'flaky')[1]!.id);
  });

  test('a retry that fails too: Failed, judged as soon as GetPipelineState says the one retry was used', async () => {
    const r = await runInProcess({ PIPELINE_NAME: 'hopeless' }, (f) => {
      f.addProject('bad', failingScript('FAILED'));
      f.addPipeline({
        name: 'hopeless',
        stages: stages({ name: 'Build', actions: [codeBuildAction('CodeBuild', 'bad')], onFailure: { retryMode: 'ALL_ACTIONS' } }),
      });
    });
    expect(r.code).toBe(1);
    expect(projectBuild(r.fake, 'bad')).toHaveLength(2);
    expect(r.out).toMatch(/✖ Pipeline hopeless execution [\w-]+ Failed after \d+s in stage Build, action CodeBuild: /);
    expect(r.endedAt - projectBuild(r.fake, 'bad')[1]!.endAt).toBeLessThanOrEqual(15_000);
  });
});

describe('a GetPipelineState that leaves out the optional stage fields (another implementation of the API)', () => {
  test('a Failed reading waits at most 2 minutes for an automatic retry it cannot see used, then fails', async () => {
    const r = await runInProcess({ PIPELINE_NAME: 'hopeless' }, (f) => {
      f.codepipeline.stageDetails = false;
      f.addProject('bad', failingScript('FAILED'));
      f.addPipeline({
        name: 'hopeless',
        stages: stages({ name: 'Build', actions: [codeBuildAction('CodeBuild', 'bad')], onFailure: { retryMode: 'FAILED_ACTIONS' } }),
      });
    });
    const [, retried] = projectBuild(r.fake, 'bad');
    expect(r.code).toBe(1);
    expect(r.out).toContain('CodePipeline did not retry stage Build within 2m');
    expect(r.endedAt - retried!.endAt).toBeLessThanOrEqual(135_000);
  });

  test('a skipped stage is still told from the actions alone', async () => {
    const r = await runInProcess({ PIPELINE_NAME: 'skips' }, (f) => {
      f.codepipeline.stageDetails = false;
      f.addProject('pub', successScript({ lines: numbered('pub', 2) }));
      f.addPipeline({
        name: 'skips',
        stages: stages({ name: 'Deploy', actions: [ecs], entry: { result: 'SKIP' } }, { name: 'Publish', actions: [codeBuildAction('Publish', 'pub')] }),
      });
    });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Stage Deploy was skipped');
    expect(once(r.lines, '[Publish/Publish] pub line 2 of 2')).toBe(true);
  });
});

describe('stopping a pipeline whose running actions need special care', () => {
  test('stop-mode finish with an approval beside a running build: abandoned at once, not Stopping for 7 days; the build runs on', async () => {
    const r = await runInProcess(
      { PIPELINE_NAME: 'gate' },
      (f) => {
        f.addProject('slow', successScript({ lines: numbered('slow', 5), buildMs: 120_000 }));
        f.addPipeline({ name: 'gate', stages: stages({ name: 'Gate', actions: [codeBuildAction('CodeBuild', 'slow'), approval] }) });
      },
      { cancelAfterMs: 60_000 },
    );
    expect(r.code).toBe(143);
    expect(r.fake.codepipeline.stopRequests).toEqual([expect.objectContaining({ abandon: true })]);
    expect(r.fake.codepipeline.executions[0]!.status).toBe('Stopped');
    expect(r.fake.count('StopBuild')).toBe(0);
    expect(r.out).toContain('Gate/Approve was pending: stop-mode finish would leave the execution Stopping until it is answered or times out');
  });

  test('abandoning a batch-enabled CodeBuild action stops its batch (StopBuildBatch), not a build', async () => {
    const r = await runInProcess(
      { PIPELINE_NAME: 'batched', STOP_MODE: 'abandon' },
      (f) => {
        f.addBatchProject('matrix', [
          { identifier: 'linux', script: successScript({ lines: numbered('linux', 3), buildMs: 120_000 }) },
          { identifier: 'windows', script: successScript({ lines: numbered('windows', 3), buildMs: 120_000 }) },
        ]);
        const action = { ...codeBuildAction('CodeBuild', 'matrix'), configuration: { BatchEnabled: 'true' } };
        f.addPipeline({ name: 'batched', stages: stages({ name: 'Build', actions: [action] }) });
      },
      { cancelAfterMs: 60_000 },
    );
    expect(r.code).toBe(143);
    expect(r.fake.count('StopBuild')).toBe(0);
    expect(r.fake.count('StopBuildBatch')).toBe(1);
    expect([...r.fake.batches.values()][0]!.stoppedAt).toBeDefined();
    expect(r.out).toMatch(/abandoned \(stop-mode: abandon; stopped Build\/CodeBuild\)/);
  });
});
