import type { LogTail } from './log-tail';

/**
 * What to tell the user when the watch ends and the log did not end as it should: never found at
 * all (a project whose logs go elsewhere, a service role that cannot write them), or given up on
 * before CloudWatch proved it complete. Nothing when it ended well. The verdict is unchanged.
 */
export function logEndWarning(
  tail: Pick<LogTail, 'found' | 'stream' | 'caughtUp' | 'lastReadAt' | 'failingSince'>,
  endSeenAt: number,
  link?: string,
): string | undefined {
  const where = link ? `: ${link}` : '';
  // Only an answer after the end tells: throttled or failed reads prove neither absence nor an end.
  if (tail.lastReadAt === undefined || tail.lastReadAt < endSeenAt) {
    if (tail.failingSince !== undefined)
      return `Stopped reading the log: every read since the build ended failed; its end may be missing here, and is in CloudWatch${where}`;
    return `Stopped reading the log: no read got an answer in the 10 minutes after the build ended; its end may be missing here, and is in CloudWatch${where}`;
  }
  if (!tail.found) {
    const { group, stream } = tail.stream;
    return (
      `The build log could not be read: stream ${stream} in group ${group} had not appeared in CloudWatch Logs when the build ended. ` +
      "Likely causes: the project's logs are disabled or sent elsewhere (its LogsConfig), or its service role lacks " +
      "logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents. The verdict is CodeBuild's either way."
    );
  }
  if (!tail.caughtUp) return `Stopped reading the log before its end (still behind 10 minutes after the build ended); the rest is in CloudWatch${where}`;
  return undefined;
}
