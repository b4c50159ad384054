import type { ActionExecutionDetail, PipelineDeclaration } from '@aws-sdk/client-codepipeline';
import { actionRows, executionOfRevision, pipelineEnded, s3SourceOf, successorOf } from '../../../src/targets/pipeline/rows';
import { pipelineVerdictOf } from '../../../src/targets/pipeline/verdict';

const declaration: PipelineDeclaration = {
  name: 'deploy',
  roleArn: 'arn:aws:iam::123456789012:role/p',
  stages: [
    {
      name: 'Source',
      actions: [
        {
          name: 'Source',
          actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
          configuration: { S3Bucket: 'b', S3ObjectKey: 'k.zip' },
        },
      ],
    },
    {
      name: 'Build',
      actions: [
        { name: 'Later', runOrder: 2, actionTypeId: { category: 'Test', owner: 'AWS', provider: 'CodeBuild', version: '1' } },
        { name: 'First', runOrder: 1, actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' } },
      ],
    },
  ],
};
const at = (s: number) => new Date(s * 1000);
const exec = (stage: string, action: string, status: string, start: number, more: Partial<ActionExecutionDetail> = {}): ActionExecutionDetail =>
  ({ stageName: stage, actionName: action, status, startTime: at(start), lastUpdateTime: at(start + 5), ...more }) as ActionExecutionDetail;

describe('pipeline domain', () => {
  test('rows in declaration order (stage, runOrder); the newest execution of a retried action wins; unstarted ones say so', () => {
    const rows = actionRows(declaration, [
      exec('Build', 'First', 'Succeeded', 30, { output: { executionResult: { externalExecutionId: 'app:2' } } }),
      exec('Build', 'First', 'Failed', 10, { output: { executionResult: { externalExecutionId: 'app:1' } } }),
      exec('Source', 'Source', 'Succeeded', 0),
    ]);
    expect(rows.map((r) => [r.stage, r.action, r.status, r.externalId])).toEqual([
      ['Source', 'Source', 'Succeeded', undefined],
      ['Build', 'First', 'Succeeded', 'app:2'],
      ['Build', 'Later', 'NotStarted', undefined],
    ]);
  });

  test('the verdict names the failing stage and action and CodePipeline’s error; Superseded fails', () => {
    const rows = actionRows(declaration, [
      exec('Build', 'First', 'Failed', 10, {
        output: { executionResult: { errorDetails: { code: 'JobFailed', message: 'Build terminated with state: FAILED' } } },
      }),
      exec('Source', 'Source', 'Succeeded', 0),
    ]);
    const v = pipelineVerdictOf({ pipelineName: 'deploy', pipelineExecutionId: 'e-1', status: 'Failed' }, rows);
    expect(v).toMatchObject({ ok: false, status: 'Failed', failedPhase: 'Build/First', reason: 'JobFailed: Build terminated with state: FAILED' });
    expect(v.summary).toBe('Pipeline deploy execution e-1 Failed after 15s in stage Build, action First: JobFailed: Build terminated with state: FAILED');
    expect(pipelineVerdictOf({ pipelineName: 'deploy', pipelineExecutionId: 'e-2', status: 'Superseded' }, []).ok).toBe(false);
    expect(pipelineVerdictOf({ pipelineName: 'deploy', pipelineExecutionId: 'e-3', status: 'Succeeded' }, []).ok).toBe(true);
    expect(['Succeeded', 'Failed', 'Stopped', 'Superseded', 'Cancelled'].every(pipelineEnded)).toBe(true);
    expect(['InProgress', 'Stopping'].some(pipelineEnded)).toBe(false);
  });

  test('the S3 source action, and whether CodePipeline polls it (PollForSourceChanges absent or true)', () => {
    expect(s3SourceOf(declaration)).toEqual({ actionName: 'Source', bucket: 'b', key: 'k.zip', polled: true });
    const evented = structuredClone(declaration);
    evented.stages![0]!.actions![0]!.configuration!.PollForSourceChanges = 'false';
    expect(s3SourceOf(evented)?.polled).toBe(false);
    // The S3 action reference spells the values True / False.
    evented.stages![0]!.actions![0]!.configuration!.PollForSourceChanges = 'True';
    expect(s3SourceOf(evented)?.polled).toBe(true);
    expect(s3SourceOf(evented, true)?.polled).toBe(false);
  });

  test('the execution of an uploaded version is found by its source revision id, not its summary', () => {
    const summaries = [
      { pipelineExecutionId: 'new', sourceRevisions: [{ actionName: 'Source', revisionId: 'v2', revisionSummary: 'Amazon S3 version id: v2' }] },
      { pipelineExecutionId: 'old', sourceRevisions: [{ actionName: 'Source', revisionId: 'v1' }] },
    ];
    expect(executionOfRevision(summaries, 'Source', 'v1')).toBe('old');
    expect(executionOfRevision(summaries, 'Other', 'v1')).toBeUndefined();
  });

  test('a Superseded execution goes on in the newest later one with the very same source revisions, or nowhere', () => {
    const at = (s: number) => new Date(s * 1000);
    const rev = (...ids: string[]) => ids.map((id, i) => ({ actionName: `S${i}`, revisionId: id }));
    const summaries = [
      { pipelineExecutionId: 'other', startTime: at(30), sourceRevisions: rev('v2') },
      { pipelineExecutionId: 'same', startTime: at(20), sourceRevisions: rev('v1') },
      { pipelineExecutionId: 'mine', startTime: at(10), sourceRevisions: rev('v1') },
      { pipelineExecutionId: 'older', startTime: at(5), sourceRevisions: rev('v1') },
    ];
    expect(successorOf(summaries, 'mine')).toBe('same');
    expect(successorOf(summaries, 'same')).toBeUndefined();
    expect(successorOf([{ ...summaries[1]!, sourceRevisions: rev('v1', 'x') }, summaries[2]!], 'mine')).toBeUndefined();
    // Without revisions nothing says two executions carry the same change.
    expect(
      successorOf(
        [
          { pipelineExecutionId: 'b', startTime: at(2) },
          { pipelineExecutionId: 'a', startTime: at(1) },
        ],
        'a',
      ),
    ).toBeUndefined();
    expect(successorOf(summaries, 'unknown')).toBeUndefined();
  });
});
