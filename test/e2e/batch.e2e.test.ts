import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failingScript, successScript } from '../fake/build-script';
import { githubStep } from '../platforms/github-runner';
import { numbered, useFake } from './helpers';
import { readJson, runBundle, startBundle } from './run-bundle';
import { SlackReceiver } from './slack-receiver';

const children = (name: string) => [
  { identifier: 'linux', script: successScript({ lines: numbered(`${name}-linux`, 40) }) },
  { identifier: 'windows', script: failingScript('FAILED', 'BUILD', 'Error while executing command: make test. Reason: exit status 2') },
  { identifier: 'arm', script: successScript({ lines: numbered(`${name}-arm`, 40), buildMs: 3_000 }) },
];

const aws = useFake((fake) => {
  fake.addBatchProject('matrix', children('matrix'));
  fake.addBatchProject('matrix-gh', children('matrix-gh'));
  fake.addBatchProject('green', [
    { identifier: 'a', script: successScript({ lines: numbered('green-a', 10) }) },
    { identifier: 'b', script: successScript({ lines: numbered('green-b', 10) }) },
  ]);
  fake.addBatchProject('long', [{ identifier: 'only', script: successScript({ lines: numbered('long', 300), buildMs: 60_000 }) }]);
});
const slack = new SlackReceiver();
beforeAll(() => slack.start());
afterAll(() => slack.stop());

/** Lines of one child, in the order printed, without their prefix. */
const linesOf = (stdout: string, identifier: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith(`[${identifier}] `))
    .map((l) => l.slice(identifier.length + 3));

describe('batch builds', () => {
  test.concurrent('three children, one failing: every child streamed with its prefix, in order; the batch verdict; per-child results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbr-batch-'));
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'matrix', BATCH: 'true', SLACK_WEBHOOK_URL: slack.url }, { cwd: dir });
    expect(r.code).toBe(1);
    const batch = [...aws.fake.batches.values()].find((b) => b.project === 'matrix')!;
    for (const { identifier, build } of batch.children) {
      const printed = linesOf(r.stdout, identifier);
      const expected = build.lines.map((l) => l.message.replace(/\n$/, ''));
      expect(printed.filter((l) => expected.includes(l))).toEqual(expected);
    }
    expect(r.stdout).toMatch(/^WARNING: \[windows\] Phase BUILD FAILED \(\ds\): COMMAND_EXECUTION_ERROR/m);
    expect(r.stdout).toMatch(
      /✖ Batch matrix #1 FAILED after \ds: windows FAILED in phase BUILD: COMMAND_EXECUTION_ERROR: Error while executing command: make test\. Reason: exit status 2/,
    );
    const result = readJson(join(dir, 'codebuild-result.json'))!;
    expect(result['batch-id']).toBe(batch.id);
    expect(JSON.parse(result['batch-builds']!)).toEqual(
      expect.arrayContaining(batch.children.map((c) => ({ identifier: c.identifier, 'build-id': c.build.id, 'build-status': c.build.status }))),
    );
    const post = JSON.stringify(slack.posts.find((p) => JSON.stringify(p.body).includes('matrix #1'))!.body);
    for (const child of ['linux SUCCEEDED', 'windows FAILED', 'arm SUCCEEDED']) expect(post).toContain(child);
  });

  test.concurrent('GitHub: the job summary has a row per child', async () => {
    const gh = githubStep({ with: { 'project-name': 'matrix-gh', batch: 'true' }, env: aws.env });
    const r = await runBundle(gh.env, { cwd: gh.workspace });
    expect(r.code).toBe(1);
    const summary = gh.summary();
    expect(summary).toContain('<h3>Batch builds</h3>');
    for (const id of ['linux', 'windows', 'arm']) expect(summary).toContain(`<td>${id}</td>`);
    expect(gh.outputs()['batch-id']).toMatch(/^matrix-gh:/);
    expect(r.stdout).not.toContain('::group::');
  });

  test.concurrent('all children succeed: exit 0', async () => {
    const r = await runBundle({ ...aws.env, PROJECT_NAME: 'green', BATCH: 'true' }, { cwd: mkdtempSync(join(tmpdir(), 'cbr-batch-')) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✔ Batch green #1 SUCCEEDED/);
  });

  test.concurrent('cancel stops the batch with StopBuildBatch, once', async () => {
    const run = startBundle({ ...aws.env, PROJECT_NAME: 'long', BATCH: 'true' }, { cwd: mkdtempSync(join(tmpdir(), 'cbr-batch-')) });
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (!run.lines.some((l) => l.text.includes('long line 3 of'))) return;
        clearInterval(t);
        resolve();
      }, 20);
    });
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect(r.code).toBe(143);
    const batch = [...aws.fake.batches.values()].find((b) => b.project === 'long')!;
    expect(aws.fake.stopCalls.filter((c) => c.id === batch.id)).toHaveLength(1);
    expect(aws.fake.calls.filter((c) => c.op === 'StopBuild')).toHaveLength(0);
  });
});
