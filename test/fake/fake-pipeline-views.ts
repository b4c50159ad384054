import type { Json, Place } from './aws-error';
import { storesOf } from './fake-artifacts';
import type { FakeExecution } from './fake-execution';
import type { ActionRun, ScriptedAction, ScriptedPipeline, ScriptedStage } from './pipeline-script';

/** What the fake CodePipeline answers about scripted pipelines and their executions, in the API's shapes. */

const seconds = (ms: number) => ms / 1000;

/** A VariableCheck rule: with LambdaInvoke, the only rules an entry condition with result SKIP takes ("Configure conditions for a stage"). */
const VARIABLE_CHECK = {
  name: 'DeployWanted',
  ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'VariableCheck', version: '1' },
  configuration: { Variable: '#{variables.DEPLOY}', Value: 'yes', Operator: 'EQ' },
};

/** GetPipeline's pipeline: stages with their entry conditions (beforeEntry) and automatic retry (onFailure RETRY). */
export function declarationOf(p: ScriptedPipeline, roleArn: string, home: string): Json {
  const action = (a: ScriptedAction) => ({
    name: a.name,
    actionTypeId: { category: a.category, owner: 'AWS', provider: a.provider, version: '1' },
    runOrder: a.runOrder ?? 1,
    ...(a.timeoutInMinutes && { timeoutInMinutes: a.timeoutInMinutes }),
    configuration: { ...(a.project && { ProjectName: a.project }), ...a.configuration },
    ...(a.outputs && { outputArtifacts: Object.keys(a.outputs).map((name) => ({ name })) }),
    ...(a.region && { region: a.region }),
  });
  const stage = (s: ScriptedStage) => ({
    name: s.name,
    actions: s.actions.map(action),
    ...(s.entry && { beforeEntry: { conditions: [{ result: s.entry.result, rules: [VARIABLE_CHECK] }] } }),
    ...(s.onFailure && { onFailure: { result: 'RETRY', retryConfiguration: { retryMode: s.onFailure.retryMode } } }),
  });
  return {
    name: p.name,
    roleArn,
    ...storesOf(p, home),
    stages: p.stages.map(stage),
    version: 1,
    pipelineType: p.type ?? 'V2',
    executionMode: 'SUPERSEDED',
  };
}

/**
 * GetPipelineState: each stage's latest execution (the newest that entered it) with its status
 * there (StageExecution: "InProgress | Failed | Stopped | Stopping | Succeeded | Skipped | Cancelled"),
 * its actions' latest runs, the entry condition's state when one engaged, and retryStageMetadata once
 * CodePipeline retried the stage by itself.
 */
export function stateOf(p: ScriptedPipeline, newestFirst: readonly FakeExecution[], details = true): Json {
  return {
    pipelineName: p.name,
    pipelineVersion: 1,
    stageStates: p.stages.map((s) => {
      const latest = newestFirst.find((e) => e.entered(s.name));
      const condition = latest?.conditions.get(s.name);
      // The condition's rules failed (its result, Skip or Fail, engaged): "If all rules in a condition succeed, then the condition is met".
      const failed = condition && { status: 'Failed', summary: condition.summary };
      return {
        stageName: s.name,
        inboundTransitionState: { enabled: true },
        actionStates: s.actions.map((a) => {
          const run = latest?.runs.filter((r) => r.stage === s.name && r.action.name === a.name).at(-1);
          const execution = run && {
            actionExecutionId: run.id,
            status: run.status,
            lastStatusChange: seconds(run.endedAt ?? run.startedAt),
            ...(externalIdOf(run) && { externalExecutionId: externalIdOf(run) }),
          };
          return { actionName: a.name, ...(execution && { latestExecution: execution }) };
        }),
        ...(details && latest && { latestExecution: { pipelineExecutionId: latest.id, status: latest.stageStatus(s.name) } }),
        ...(details && failed && { beforeEntryConditionState: { latestExecution: failed, conditionStates: [{ latestExecution: failed, ruleStates: [] }] } }),
        ...(details && latest?.autoRetried.has(s.name) && { retryStageMetadata: { autoStageRetryAttempt: 1, latestRetryTrigger: 'AutomatedStageRetry' } }),
      };
    }),
  };
}

const externalIdOf = (r: ActionRun) => r.build?.id ?? r.batch?.id;

/** ListActionExecutions' detail of one action run. */
export function actionDetail(e: FakeExecution, r: ActionRun, place: Place, resultsWhileRunning: boolean): Json {
  const a = r.action;
  const job = r.build ?? r.batch;
  const externalId = externalIdOf(r) ?? (a.provider === 'S3' ? e.sourceRevision?.revisionId : undefined) ?? `${a.provider.toLowerCase()}-${r.id.slice(0, 8)}`;
  const page = r.batch ? 'batch' : 'build';
  const url = job
    ? `https://${place.region}.console.aws.amazon.com/codesuite/codebuild/projects/${job.project}/${page}/${encodeURIComponent(job.id)}/?region=${place.region}`
    : a.url;
  const failed = r.status === 'Failed';
  const error = r.build
    ? { code: 'JobFailed', message: `Build terminated with state: ${r.build.status}` }
    : r.batch
      ? { code: 'JobFailed', message: `Build batch terminated with state: ${r.batch.status(r.endedAt ?? 0)}` }
      : (a.fails ?? (a.category === 'Approval' ? { code: 'JobFailed', message: 'The approval timed out' } : undefined));
  return {
    pipelineExecutionId: e.id,
    actionExecutionId: r.id,
    pipelineVersion: 1,
    stageName: r.stage,
    actionName: a.name,
    startTime: seconds(r.startedAt),
    lastUpdateTime: seconds(r.endedAt ?? r.startedAt),
    status: r.status,
    input: {
      actionTypeId: { category: a.category, owner: 'AWS', provider: a.provider, version: '1' },
      configuration: a.configuration ?? {},
      // ActionExecutionInput.region: "The AWS Region for the action".
      ...(a.region && { region: a.region }),
    },
    output: {
      ...(r.outputs && { outputArtifacts: r.outputs.map((o) => ({ name: o.name, s3location: { bucket: o.bucket, key: o.key } })) }),
      ...(r.status !== 'InProgress' || resultsWhileRunning
        ? {
            executionResult: {
              externalExecutionId: externalId,
              ...(url && { externalExecutionUrl: url }),
              ...(a.summary && r.status === 'Succeeded' && { externalExecutionSummary: a.summary }),
              ...(failed && error && { errorDetails: error }),
            },
          }
        : {}),
    },
  };
}
