import { failingScript, successScript } from '../../fake/build-script';
import type { ScriptedAction } from '../../fake/fake-execution';
import { sourceAndBuild } from '../../fake/pipeline-fixtures';
import { runInProcess } from './harness';

/**
 * Every kind of run, pipelines included, through the real adapters and the e2e fake's services,
 * in-process on the event clock: the tier that runs in seconds. (The e2e tier runs the same
 * scenarios, and more, through the bundle.)
 */
const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} line ${i + 1} of ${n}`);
const deploy: ScriptedAction = { name: 'Deploy', category: 'Deploy', provider: 'ECS', durationMs: 1_000, summary: 'deployed' };
const pipeline = (name: string, project: string) => sourceAndBuild(name, project, { name: 'Deploy', actions: [deploy] });
const once = (lines: readonly string[], all: readonly string[]) => all.every((l) => lines.filter((x) => x.endsWith(l)).length === 1);

describe('every kind of run, in-process', () => {
  test('a build: every line once, the verdict, exit 0', async () => {
    const lines = numbered('app', 50);
    const r = await runInProcess({ PROJECT_NAME: 'app' }, (f) => f.addProject('app', successScript({ lines })));
    expect(r.code).toBe(0);
    expect(once(r.lines, lines)).toBe(true);
    expect(r.out).toMatch(/✔ Build app #1 SUCCEEDED in \d+s/);
  });

  test('a failed build names the phase and the reason, exit 1', async () => {
    const r = await runInProcess({ PROJECT_NAME: 'bad' }, (f) => f.addProject('bad', failingScript('FAILED')));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✖ Build bad #1 FAILED after \d+s in phase BUILD: COMMAND_EXECUTION_ERROR/);
  });

  test('a batch: each child with its prefix; the verdict names the failing child', async () => {
    const r = await runInProcess({ PROJECT_NAME: 'matrix', BATCH: 'true' }, (f) =>
      f.addBatchProject('matrix', [
        { identifier: 'linux', script: successScript({ lines: numbered('linux', 5) }) },
        { identifier: 'windows', script: failingScript('FAILED') },
      ]),
    );
    expect(r.code).toBe(1);
    expect(
      once(
        r.lines,
        numbered('linux', 5).map((l) => `[linux] ${l}`),
      ),
    ).toBe(true);
    expect(r.out).toMatch(/✖ Batch matrix #1 FAILED after \d+s: windows FAILED in phase BUILD/);
  });

  test('attach: a build that already ran is followed to its verdict, nothing started', async () => {
    const r = await runInProcess(
      (f) => ({ BUILD_ID: f.addFinishedBuild('done', successScript({ lines: ['old news'] }), 10_000).id }),
      () => {},
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('Attached to build done:');
    expect(r.lines).toContain('old news');
    expect(r.fake.count('StartBuild')).toBe(0);
  });

  test('a pipeline: stages in order, the CodeBuild action tailed with its prefix, the verdict', async () => {
    const lines = numbered('app', 20);
    const r = await runInProcess({ PIPELINE_NAME: 'deploy' }, (f) => {
      f.addProject('app', successScript({ lines }));
      f.addPipeline(pipeline('deploy', 'app'));
    });
    expect(r.code).toBe(0);
    expect(
      once(
        r.lines,
        lines.map((l) => `[Build/CodeBuild] ${l}`),
      ),
    ).toBe(true);
    const stages = r.lines.filter((l) => /^INFO: Stage \w+ SUCCEEDED/.test(l)).map((l) => l.split(' ')[2]);
    expect(stages).toEqual(['Source', 'Build', 'Deploy']);
    expect(r.out).toMatch(/✔ Pipeline deploy execution [\w-]+ Succeeded in \d+s/);
  });

  test('a failing pipeline names the stage, the action and the reason', async () => {
    const r = await runInProcess({ PIPELINE_NAME: 'broken' }, (f) => {
      f.addProject('bad', failingScript('FAILED'));
      f.addPipeline(pipeline('broken', 'bad'));
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✖ Pipeline broken execution [\w-]+ Failed after \d+s in stage Build, action CodeBuild: /);
  });

  test('a cancelled pipeline is stopped once, and the step exits 143', async () => {
    const r = await runInProcess(
      { PIPELINE_NAME: 'long', STOP_MODE: 'abandon' },
      (f) => {
        f.addProject('slow', successScript({ lines: numbered('slow', 10), buildMs: 120_000 }));
        f.addPipeline(pipeline('long', 'slow'));
      },
      { cancelAfterMs: 60_000 },
    );
    if (r.code !== 143) throw new Error(r.out);
    expect(r.fake.count('StopPipelineExecution')).toBe(1);
    expect(r.out).toMatch(/Stopped pipeline execution [\w-]+, abandoned \(stop-mode: abandon; stopped Build\/CodeBuild\)/);
  });
});
