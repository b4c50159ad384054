import {
  type ActionExecutionDetail,
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  type PipelineDeclaration,
  type PipelineExecution,
  type PipelineExecutionSummary,
  StartPipelineExecutionCommand,
  type StartPipelineExecutionInput,
  StopPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { type CallOptions, callWithRetry } from './call';
import { type ClientSettings, sdkOptions } from './client-options';
import { keepForeignBodies } from './foreign-body';
import { type PipelineStageState, stageStateOf } from './pipeline-state';
import type { RetryDeps } from './retry';

/** The CodePipeline calls the tool makes, retried and paced like the CodeBuild ones. */
export interface CodePipelineApi {
  getPipeline(name: string, options?: CallOptions): Promise<{ pipeline: PipelineDeclaration; arn?: string; pollingDisabled: boolean }>;
  start(input: StartPipelineExecutionInput, options?: CallOptions): Promise<string>;
  getExecution(pipeline: string, executionId: string, options?: CallOptions): Promise<PipelineExecution>;
  /** Every action execution of one pipeline execution, all pages (newest first, as the service lists them). */
  actionExecutions(pipeline: string, executionId: string, options?: CallOptions): Promise<ActionExecutionDetail[]>;
  /**
   * GetPipelineState: each stage's latest execution and status, its automatic retries, a failed
   * stage condition, and the external ids (build ids) of running actions, which ListActionExecutions
   * may not report until they end.
   */
  stageStates(pipeline: string, options?: CallOptions): Promise<PipelineStageState[]>;
  /** The most recent executions, newest first: one page. */
  recentExecutions(pipeline: string, options?: CallOptions): Promise<PipelineExecutionSummary[]>;
  stop(pipeline: string, executionId: string, abandon: boolean, reason: string, options?: CallOptions): Promise<void>;
}

/** ListActionExecutions pages hold at most 100; a pipeline with more actions than that is rare, a loop without end worse. */
const MAX_ACTION_PAGES = 20;

export function codePipelineApi(settings: ClientSettings, retry: RetryDeps): CodePipelineApi {
  const client = new CodePipelineClient(sdkOptions(settings));
  keepForeignBodies(client as never);
  const call = <T>(op: string, o: CallOptions | undefined, send: (abortSignal?: AbortSignal) => Promise<T>) => callWithRetry(op, o, send, retry);
  return {
    async getPipeline(name, o) {
      const out = await call('GetPipeline', o, (abortSignal) => client.send(new GetPipelineCommand({ name }), { abortSignal }));
      if (!out.pipeline) throw new Error(`GetPipeline returned no pipeline for ${name}`);
      return {
        pipeline: out.pipeline,
        pollingDisabled: !!out.metadata?.pollingDisabledAt,
        ...(out.metadata?.pipelineArn && { arn: out.metadata.pipelineArn }),
      };
    },
    async start(input, o) {
      const out = await call('StartPipelineExecution', o, (abortSignal) => client.send(new StartPipelineExecutionCommand(input), { abortSignal }));
      if (!out.pipelineExecutionId) throw new Error('StartPipelineExecution returned no execution id');
      return out.pipelineExecutionId;
    },
    async getExecution(pipelineName, pipelineExecutionId, o) {
      const out = await call('GetPipelineExecution', o, (abortSignal) =>
        client.send(new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId }), { abortSignal }),
      );
      if (!out.pipelineExecution) throw new Error(`GetPipelineExecution returned nothing for ${pipelineExecutionId}`);
      return out.pipelineExecution;
    },
    async actionExecutions(pipelineName, pipelineExecutionId, o) {
      const all: ActionExecutionDetail[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_ACTION_PAGES; page++) {
        const out = await call('ListActionExecutions', o, (abortSignal) =>
          client.send(new ListActionExecutionsCommand({ pipelineName, filter: { pipelineExecutionId }, maxResults: 100, nextToken }), { abortSignal }),
        );
        all.push(...(out.actionExecutionDetails ?? []));
        nextToken = out.nextToken;
        if (!nextToken) break;
      }
      return all;
    },
    async stageStates(name, o) {
      const out = await call('GetPipelineState', o, (abortSignal) => client.send(new GetPipelineStateCommand({ name }), { abortSignal }));
      return (out.stageStates ?? []).map(stageStateOf);
    },
    async recentExecutions(pipelineName, o) {
      const out = await call('ListPipelineExecutions', o, (abortSignal) =>
        client.send(new ListPipelineExecutionsCommand({ pipelineName, maxResults: 25 }), { abortSignal }),
      );
      return out.pipelineExecutionSummaries ?? [];
    },
    async stop(pipelineName, pipelineExecutionId, abandon, reason, o) {
      await call('StopPipelineExecution', o, (abortSignal) =>
        client.send(new StopPipelineExecutionCommand({ pipelineName, pipelineExecutionId, abandon, reason }), { abortSignal }),
      );
    },
  };
}
