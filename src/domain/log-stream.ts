import type { Build } from '@aws-sdk/client-codebuild';

export interface LogStream {
  readonly group: string;
  readonly stream: string;
}

/** Where a build's log is, as far as the build tells. */
export type StreamInfo =
  | { readonly kind: 'disabled' }
  /** CodeBuild named the stream. */
  | { readonly kind: 'named'; readonly stream: LogStream }
  /**
   * Not named yet (the container has not started), but its name follows from the project's
   * LogsConfig, which the build echoes from the start: the group (default
   * `/aws/codebuild/<project>`) and the stream, `<prefix>/<build uuid>` or the uuid alone
   * (CloudWatchLogsConfig.streamName is "the prefix of the stream name"). Reading it before
   * CodeBuild names it finds the log as soon as it exists, without waiting for a status poll.
   */
  | { readonly kind: 'expected'; readonly stream: LogStream };

export function streamOf(build: Build): StreamInfo | undefined {
  const logs = build.logs;
  if (logs?.cloudWatchLogs?.status === 'DISABLED') return { kind: 'disabled' };
  if (logs?.groupName && logs.streamName && logs.streamName !== 'null') return { kind: 'named', stream: { group: logs.groupName, stream: logs.streamName } };
  const uuid = build.id?.slice(build.id.lastIndexOf(':') + 1);
  if (!uuid || !build.projectName) return undefined;
  const config = logs?.cloudWatchLogs;
  const group = config?.groupName || `/aws/codebuild/${build.projectName}`;
  return { kind: 'expected', stream: { group, stream: config?.streamName ? `${config.streamName}/${uuid}` : uuid } };
}
