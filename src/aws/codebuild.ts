import {
  BatchGetBuildBatchesCommand,
  BatchGetBuildsCommand,
  BatchGetReportsCommand,
  type Build,
  type BuildBatch,
  CodeBuildClient,
  DescribeTestCasesCommand,
  RetryBuildBatchCommand,
  RetryBuildCommand,
  StartBuildBatchCommand,
  type StartBuildBatchInput,
  StartBuildCommand,
  type StartBuildInput,
  StopBuildBatchCommand,
  StopBuildCommand,
} from '@aws-sdk/client-codebuild';
import type { TestReport } from '../domain/test-reports';
import { type CallOptions, callWithRetry } from './call';
import { type ClientSettings, sdkOptions } from './client-options';
import { keepForeignBodies } from './foreign-body';
import type { RetryDeps } from './retry';
import { readReports } from './test-report-reader';

export type { CallOptions } from './call';

/** The CodeBuild calls the tool makes, retried; what the watch loop and main depend on. */
export interface CodeBuildApi {
  startBuild(input: StartBuildInput, options?: CallOptions): Promise<Build>;
  getBuild(id: string, options?: CallOptions): Promise<Build>;
  stopBuild(id: string, options?: CallOptions): Promise<Build | undefined>;
  retryBuild(id: string, idempotencyToken: string, options?: CallOptions): Promise<Build>;
  startBuildBatch(input: StartBuildBatchInput, options?: CallOptions): Promise<BuildBatch>;
  getBuildBatch(id: string, options?: CallOptions): Promise<BuildBatch>;
  stopBuildBatch(id: string, options?: CallOptions): Promise<BuildBatch | undefined>;
  /** RetryBuildBatch: the same batch, its failed (or all) builds started again. */
  retryBuildBatch(id: string, retryType: 'RETRY_FAILED_BUILDS' | 'RETRY_ALL_BUILDS', idempotencyToken: string, options?: CallOptions): Promise<BuildBatch>;
  /** Test and coverage reports, with the first failed and errored cases of each. */
  testReports(reportArns: readonly string[], options?: CallOptions): Promise<TestReport[]>;
}

/** `client` is a seam for in-process simulations; the tool always builds it from `settings`. */
export function codeBuildApi(
  settings: ClientSettings,
  retry: RetryDeps,
  client: Pick<CodeBuildClient, 'send' | 'config'> = new CodeBuildClient(sdkOptions(settings)),
): CodeBuildApi & { region(): Promise<string> } {
  keepForeignBodies(client as never);
  const call = <T>(op: string, o: CallOptions | undefined, send: (abortSignal?: AbortSignal) => Promise<T>) => callWithRetry(op, o, send, retry);
  return {
    region: () => client.config.region(),
    async startBuild(input, o) {
      const out = await call('StartBuild', o, (abortSignal) => client.send(new StartBuildCommand(input), { abortSignal }));
      if (!out.build?.id) throw new Error('StartBuild returned no build');
      return out.build;
    },
    async getBuild(id, o) {
      const out = await call('BatchGetBuilds', o, (abortSignal) => client.send(new BatchGetBuildsCommand({ ids: [id] }), { abortSignal }));
      const build = out.builds?.[0];
      if (!build) throw new BuildNotFound(id);
      return build;
    },
    async retryBuild(id, idempotencyToken, o) {
      const out = await call('RetryBuild', o, (abortSignal) => client.send(new RetryBuildCommand({ id, idempotencyToken }), { abortSignal }));
      if (!out.build?.id) throw new Error('RetryBuild returned no build');
      return out.build;
    },
    async startBuildBatch(input, o) {
      const out = await call('StartBuildBatch', o, (abortSignal) => client.send(new StartBuildBatchCommand(input), { abortSignal }));
      if (!out.buildBatch?.id) throw new Error('StartBuildBatch returned no batch');
      return out.buildBatch;
    },
    async getBuildBatch(id, o) {
      const out = await call('BatchGetBuildBatches', o, (abortSignal) => client.send(new BatchGetBuildBatchesCommand({ ids: [id] }), { abortSignal }));
      const batch = out.buildBatches?.[0];
      if (!batch) throw new BuildNotFound(id);
      return batch;
    },
    async retryBuildBatch(id, retryType, idempotencyToken, o) {
      const out = await call('RetryBuildBatch', o, (abortSignal) =>
        client.send(new RetryBuildBatchCommand({ id, retryType, idempotencyToken }), { abortSignal }),
      );
      if (!out.buildBatch?.id) throw new Error('RetryBuildBatch returned no batch');
      return out.buildBatch;
    },
    async stopBuildBatch(id, o) {
      const out = await call('StopBuildBatch', o, (abortSignal) => client.send(new StopBuildBatchCommand({ id }), { abortSignal }));
      return out.buildBatch;
    },
    testReports(reportArns, o) {
      return readReports(
        {
          batchGetReports: async (arns) =>
            (await call('BatchGetReports', o, (abortSignal) => client.send(new BatchGetReportsCommand({ reportArns: [...arns] }), { abortSignal }))).reports ??
            [],
          describeTestCases: async (reportArn, status, maxResults) =>
            (
              await call('DescribeTestCases', o, (abortSignal) =>
                client.send(new DescribeTestCasesCommand({ reportArn, filter: { status }, maxResults }), { abortSignal }),
              )
            ).testCases ?? [],
        },
        reportArns,
        retry.clock,
        o?.signal,
      );
    },
    async stopBuild(id, o) {
      const out = await call('StopBuild', o, (abortSignal) => client.send(new StopBuildCommand({ id }), { abortSignal }));
      return out.build;
    },
  };
}

export class BuildNotFound extends Error {
  constructor(readonly buildId: string) {
    super(`Build '${buildId}' was not found (check build-id and the region)`);
    this.name = 'BuildNotFound';
  }
}
