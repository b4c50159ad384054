import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { type LogPage, type LogRequest, PAGE_EVENT_LIMIT } from '../domain/log-cursor';
import type { LogStream } from '../domain/log-stream';
import { type ClientSettings, sdkOptions } from './client-options';
import type { CallOptions } from './codebuild';
import { errorName } from './errors';
import { keepForeignBodies } from './foreign-body';
import { DEFAULT_RETRY, type RetryDeps, withRetry } from './retry';

/** How long a log read sent as a poll retries 5xx and dropped connections before giving up to the loop. */
const POLL_TRANSIENT_MS = 5_000;

export type { LogStream };

export interface LogsApi {
  /** One page from `request`; undefined while the stream does not exist yet. */
  getPage(stream: LogStream, request: LogRequest, options?: CallOptions): Promise<LogPage | undefined>;
}

/** CloudWatch answers this for a stale nextToken; the caller resumes by timestamp. */
export class ExpiredToken extends Error {}

/** `client` is a seam for in-process simulations; the tool always builds it from `settings`. */
export function logsApi(
  settings: ClientSettings,
  retry: RetryDeps,
  client: Pick<CloudWatchLogsClient, 'send'> = new CloudWatchLogsClient(sdkOptions(settings)),
): LogsApi {
  keepForeignBodies(client as never);
  return {
    async getPage({ group, stream }, { token, startTime }, o) {
      const command = new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        startFromHead: true,
        limit: PAGE_EVENT_LIMIT,
        ...(token ? { nextToken: token } : startTime !== undefined ? { startTime } : {}),
      });
      try {
        let sentAt: number | undefined;
        const send = () => {
          sentAt = retry.clock.now();
          return client.send(command, { abortSignal: o?.signal });
        };
        const out = await withRetry('GetLogEvents', send, {
          ...retry,
          ...(o?.signal && { signal: o.signal }),
          // A read the watch loop makes again anyway gives up on 5xx within seconds: status polls
          // wait behind it, and an outage of CloudWatch Logs must not hold the verdict.
          ...(o?.poll && { policy: { ...(retry.policy ?? DEFAULT_RETRY), transientMaxMs: POLL_TRANSIENT_MS } }),
          poll: o?.poll,
          follow: o?.follow,
        });
        return {
          events: (out.events ?? []).map((e) => ({ timestamp: e.timestamp ?? 0, message: e.message ?? '', ingestionTime: e.ingestionTime })),
          nextForwardToken: out.nextForwardToken,
          sentAt,
        };
      } catch (error) {
        // The stream appears only once the build container starts logging.
        if (errorName(error) === 'ResourceNotFoundException') return undefined;
        if (token && errorName(error) === 'InvalidParameterException') throw new ExpiredToken(String(error));
        throw error;
      }
    },
  };
}
