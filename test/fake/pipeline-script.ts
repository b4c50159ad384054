import type { FakeBatch } from './fake-batch';
import type { FakeBuild } from './fake-build';
import type { FakeExecution } from './fake-execution';

/** What a scripted pipeline declares, and what an execution of it records: the fake CodePipeline's input. */

/** An action of a scripted pipeline. */
export interface ScriptedAction {
  readonly name: string;
  readonly category: 'Source' | 'Build' | 'Test' | 'Deploy' | 'Approval' | 'Invoke';
  readonly provider: string;
  readonly runOrder?: number;
  /** CodeBuild: the fake project it builds (its script decides the build). */
  readonly project?: string;
  /** Other providers: how long it runs, and how it ends. */
  readonly durationMs?: number;
  readonly fails?: { readonly code: string; readonly message: string };
  readonly summary?: string;
  readonly url?: string;
  readonly configuration?: Readonly<Record<string, string>>;
  /** Manual approvals: ActionDeclaration.timeoutInMinutes, "available only to the manual approval ActionType" (7 days by default). */
  readonly timeoutInMinutes?: number;
  /** Output artifacts put in the pipeline's artifact store when it succeeds (ZIP bytes). */
  readonly outputs?: Readonly<Record<string, Buffer>>;
  /** ActionDeclaration.region: a cross-region action, whose outputs go to its region's artifact store. */
  readonly region?: string;
}

/**
 * A stage's entry condition whose rules fail, so its result engages: SKIP passes the stage by,
 * FAIL fails it, and no action of the stage runs ("Configure conditions for a stage", user guide:
 * "Entry - ... Rules are engaged with the following result options: Fail or Skip"). GetPipelineState
 * then gives the stage's latestExecution status Skipped or Failed (StageExecution in the API
 * reference) and the condition's summary in beforeEntryConditionState.
 */
export interface ScriptedEntryCondition {
  readonly result: 'SKIP' | 'FAIL';
  readonly summary?: string;
}

/**
 * onFailure result RETRY: CodePipeline retries the failed stage by itself, once ("One attempt is
 * allowed for automatic stage retry on failure", RetryStageMetadata), retrying its failed actions
 * or all of them (RetryConfiguration.retryMode). Until that retry starts the execution reads
 * Failed: the user guide does not say how long the gap is; the issue that asked for this reported
 * an execution reading Failed before its retry, and a step going red while the pipeline went on.
 */
export interface ScriptedStageRetry {
  readonly retryMode: 'FAILED_ACTIONS' | 'ALL_ACTIONS';
  /** How long after the failure the retry starts. */
  readonly afterMs?: number;
}

export interface ScriptedStage {
  readonly name: string;
  readonly actions: readonly ScriptedAction[];
  readonly entry?: ScriptedEntryCondition;
  readonly onFailure?: ScriptedStageRetry;
}

export interface ScriptedPipeline {
  readonly name: string;
  readonly type?: 'V1' | 'V2';
  readonly stages: readonly ScriptedStage[];
  /** An upload to its S3 source starts an execution this long after (polling or an event rule); never when unset. */
  readonly uploadTriggersAfterMs?: number;
  /** The artifact stores' encryptionKey (a customer managed KMS key id or ARN). */
  readonly artifactStoreKey?: string;
}

/** The gap between a failure and CodePipeline's automatic retry of the stage, unless a script says. */
export const AUTO_STAGE_RETRY_AFTER_MS = 20_000;

export interface ActionRun {
  readonly stage: string;
  readonly action: ScriptedAction;
  readonly id: string;
  readonly startedAt: number;
  status: 'InProgress' | 'Succeeded' | 'Failed' | 'Abandoned';
  endedAt?: number;
  build?: FakeBuild;
  /** A batch-enabled CodeBuild action (BatchEnabled): its external id is the batch's. */
  batch?: FakeBatch;
  outputs?: { name: string; bucket: string; key: string }[];
  /** A retry of its stage ran the action again: a newer run stands for it (this one stays listed). */
  replaced?: boolean;
}

export interface ExecutionHooks {
  /** CodeBuild actions start a build of the project at `at`. */
  startBuild(project: string, at: number, execution: FakeExecution): FakeBuild;
  /** Batch-enabled CodeBuild actions start a batch of the project at `at`. */
  startBatch(project: string, at: number): FakeBatch;
  /** A succeeded action's outputs go to the artifact store. */
  store(bucket: string, key: string, body: Buffer): void;
  /** Another execution of the pipeline holds the stage (one execution per stage at a time). */
  stageBusy(stage: string, execution: FakeExecution): boolean;
  /** This execution now waits to enter the stage: an older one waiting there is superseded. */
  waiting(stage: string, execution: FakeExecution, at: number): void;
  readonly artifactBucket: string;
}

/** "To enable batch builds in CodePipeline, set the BatchEnabled parameter of the configuration object to true" (CodeBuild user guide, batch samples). */
export const batchEnabled = (a: ScriptedAction) => a.provider === 'CodeBuild' && a.configuration?.BatchEnabled?.toLowerCase() === 'true';
