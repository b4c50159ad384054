import type { ActionExecutionDetail, PipelineDeclaration, PipelineExecution } from '@aws-sdk/client-codepipeline';
import type { NormalStatus, RunStatus } from '../../domain/run-status';
import { secondsBetween } from '../../domain/verdict';

/** One action of the execution, as the CI log, the outputs, the summary and Slack show it. */
export interface PipelineActionRow {
  readonly stage: string;
  readonly action: string;
  /** CodeBuild, ECS, CodeDeployToECS, Manual, S3… */
  readonly provider: string;
  readonly category: string;
  /** InProgress, Succeeded, Failed, Abandoned; NotStarted for an action the execution has not reached, Skipped in a skipped stage. */
  readonly status: string;
  /** The action execution's id: a stage retry runs the action again under a new one. */
  readonly executionId?: string;
  /** A CodeBuild action with BatchEnabled: its external id is a batch's, not a build's. */
  readonly batch?: boolean;
  /** The provider's id: a CodeBuild build id, an S3 version id, a deployment id. */
  readonly externalId?: string;
  readonly url?: string;
  readonly summary?: string;
  readonly error?: string;
  readonly startTime?: Date;
  readonly lastUpdateTime?: Date;
  /** Output artifacts in the pipeline's artifact store (ZIPs). */
  readonly artifacts?: readonly { readonly name: string; readonly bucket: string; readonly key: string }[];
}

/** "Cancelled | InProgress | Stopped | Stopping | Succeeded | Superseded | Failed" (API reference). */
export const PIPELINE_FINAL = ['Succeeded', 'Failed', 'Stopped', 'Superseded', 'Cancelled'] as const;

export function pipelineEnded(status: string | undefined): boolean {
  return !!status && (PIPELINE_FINAL as readonly string[]).includes(status);
}

export const isCodeBuild = (row: Pick<PipelineActionRow, 'provider'>) => row.provider === 'CodeBuild';

/**
 * Every action of the pipeline in declaration order (stage, then runOrder), with its latest
 * execution in this pipeline execution. ListActionExecutions lists newest first and only what has
 * started; a retried stage adds a newer execution of the same action, which wins.
 */
export function actionRows(declaration: PipelineDeclaration | undefined, executions: readonly ActionExecutionDetail[]): PipelineActionRow[] {
  const latest = new Map<string, ActionExecutionDetail>();
  for (const e of executions) {
    const key = `${e.stageName}/${e.actionName}`;
    const known = latest.get(key);
    if (!known || (e.startTime?.getTime() ?? 0) > (known.startTime?.getTime() ?? 0)) latest.set(key, e);
  }
  const declared = (declaration?.stages ?? []).flatMap((s) =>
    [...(s.actions ?? [])].sort((a, b) => (a.runOrder ?? 1) - (b.runOrder ?? 1)).map((a) => ({ stage: s.name ?? '', action: a })),
  );
  const rows = declared.map(({ stage, action }) => rowOf(stage, action.name ?? '', action, latest.get(`${stage}/${action.name}`)));
  // Actions of another pipeline version (the definition changed since): still shown, at the end.
  const known = new Set(rows.map((r) => `${r.stage}/${r.action}`));
  const extra = [...latest.values()].filter((e) => !known.has(`${e.stageName}/${e.actionName}`));
  return [...rows, ...extra.reverse().map((e) => rowOf(e.stageName ?? '', e.actionName ?? '', e.input, e))];
}

function rowOf(
  stage: string,
  action: string,
  declared: { actionTypeId?: { category?: string; provider?: string }; configuration?: Record<string, string> } | undefined,
  e: ActionExecutionDetail | undefined,
): PipelineActionRow {
  const result = e?.output?.executionResult;
  const type = declared?.actionTypeId;
  return {
    stage,
    action,
    provider: type?.provider ?? '',
    category: type?.category ?? '',
    status: e?.status ?? 'NotStarted',
    ...(e?.actionExecutionId && { executionId: e.actionExecutionId }),
    ...(type?.provider === 'CodeBuild' && batchEnabled(declared?.configuration) && { batch: true }),
    ...(result?.externalExecutionId && { externalId: result.externalExecutionId }),
    ...(result?.externalExecutionUrl && { url: result.externalExecutionUrl }),
    ...(result?.externalExecutionSummary && { summary: result.externalExecutionSummary }),
    ...(result?.errorDetails?.message && { error: [result.errorDetails.code, result.errorDetails.message].filter(Boolean).join(': ') }),
    ...(e?.startTime && { startTime: e.startTime }),
    ...(e?.lastUpdateTime && { lastUpdateTime: e.lastUpdateTime }),
    ...(e?.output?.outputArtifacts?.length && { artifacts: e.output.outputArtifacts.flatMap(storedArtifact) }),
  };
}

/** "To enable batch builds in CodePipeline, set the BatchEnabled parameter of the configuration object to true" (CodeBuild user guide). */
const batchEnabled = (configuration: Record<string, string> | undefined) => configuration?.BatchEnabled?.toLowerCase() === 'true';

function storedArtifact(a: { name?: string; s3location?: { bucket?: string; key?: string } }) {
  return a.name && a.s3location?.bucket && a.s3location.key ? [{ name: a.name, bucket: a.s3location.bucket, key: a.s3location.key }] : [];
}

export const actionLabel = (row: Pick<PipelineActionRow, 'stage' | 'action'>) => `${row.stage}/${row.action}`;

export function rowSeconds(row: PipelineActionRow): number | undefined {
  return row.status === 'InProgress' ? undefined : secondsBetween(row.startTime, row.lastUpdateTime);
}

/** CodePipeline's words for executions and actions, in the shared vocabulary. */
const NORMAL: Readonly<Record<string, NormalStatus>> = {
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  Stopped: 'STOPPED',
  Stopping: 'IN_PROGRESS',
  InProgress: 'IN_PROGRESS',
  Superseded: 'SUPERSEDED',
  Cancelled: 'CANCELLED',
  Abandoned: 'ABANDONED',
  NotStarted: 'NOT_STARTED',
  Skipped: 'NOT_STARTED',
};

export function pipelineStatus(word: string | undefined): RunStatus {
  const w = word ?? 'Unknown';
  return { word: w, normal: NORMAL[w] ?? 'UNKNOWN' };
}

/** The pipeline's S3 source action, where upload-source puts the zip. */
export interface S3Source {
  readonly actionName: string;
  readonly bucket: string;
  readonly key: string;
  /** PollForSourceChanges: absent or true (any case) means CodePipeline polls the object and starts on a change. */
  readonly polled: boolean;
}

/** `pollingDisabled`: "Pipelines that are inactive for longer than 30 days will have polling disabled" (PipelineMetadata). */
export function s3SourceOf(declaration: PipelineDeclaration, pollingDisabled = false): S3Source | undefined {
  for (const stage of declaration.stages ?? []) {
    for (const a of stage.actions ?? []) {
      const t = a.actionTypeId;
      if (t?.category !== 'Source' || t.provider !== 'S3' || !a.configuration?.S3Bucket || !a.configuration.S3ObjectKey) continue;
      const poll = a.configuration.PollForSourceChanges;
      return {
        actionName: a.name ?? '',
        bucket: a.configuration.S3Bucket,
        key: a.configuration.S3ObjectKey,
        // The S3 action reference spells the values True / False; the console writes lowercase.
        polled: !pollingDisabled && (poll === undefined || poll.toLowerCase() === 'true'),
      };
    }
  }
  return undefined;
}

/** The id of the execution whose `actionName` source revision is `revisionId` (an S3 version id). */
export function executionOfRevision(
  summaries: readonly { pipelineExecutionId?: string; sourceRevisions?: readonly { actionName?: string; revisionId?: string }[] }[],
  actionName: string,
  revisionId: string,
): string | undefined {
  return summaries.find((s) => s.sourceRevisions?.some((r) => r.actionName === actionName && r.revisionId === revisionId))?.pipelineExecutionId;
}

type RevisionSummary = {
  readonly pipelineExecutionId?: string;
  readonly startTime?: Date;
  readonly sourceRevisions?: readonly { actionName?: string; revisionId?: string }[];
};
const revisionsKey = (s: RevisionSummary) =>
  (s.sourceRevisions ?? [])
    .map((r) => `${r.actionName}=${r.revisionId}`)
    .sort()
    .join('\n');

/**
 * The newest later execution with the very same source revisions as `executionId`: where a
 * Superseded execution's change went on (a duplicate start, a late event for the same upload).
 */
export function successorOf(summaries: readonly RevisionSummary[], executionId: string): string | undefined {
  const mine = summaries.find((s) => s.pipelineExecutionId === executionId);
  const key = mine && revisionsKey(mine);
  if (!mine?.startTime || !key) return undefined;
  const from = mine.startTime.getTime();
  return summaries.find((s) => s.pipelineExecutionId !== executionId && (s.startTime?.getTime() ?? 0) >= from && revisionsKey(s) === key)?.pipelineExecutionId;
}

/** A short line for the end of an action: its status, time, summary or error, and link. */
export function actionEndLine(row: PipelineActionRow, formatSeconds: (s: number) => string): string {
  const seconds = rowSeconds(row);
  const took = seconds === undefined ? '' : ` in ${formatSeconds(seconds)}`;
  const what = row.error ?? row.summary;
  return `${actionLabel(row)} (${row.provider}) ${row.status}${took}${what ? `: ${what}` : ''}${row.url ? ` ${row.url}` : ''}`;
}

export type { PipelineExecution };
