import { type FetchFunction, IncomingWebhook, IncomingWebhookHTTPError } from '@slack/webhook';
import pRetry, { AbortError } from 'p-retry';
import type { Clock } from '../domain/clock';
import type { SlackPayload } from './slack-message';

export type SlackPoster = (url: string, payload: SlackPayload, options: SlackPostOptions) => Promise<void>;

export interface SlackPostOptions {
  readonly clock: Clock;
  readonly retries?: number;
  readonly baseDelayMs?: number;
  /** Longest Retry-After we will honour; a post must not hold the step up for long. */
  readonly maxWaitMs?: number;
  readonly timeoutMs?: number;
}

/**
 * Post to an incoming webhook, retrying 429 (after Retry-After), 5xx and network failures.
 * Throws when every attempt failed; the caller turns that into a warning, never a verdict.
 * Errors never carry the URL: it is a secret.
 */
export async function postToSlack(url: string, payload: SlackPayload, options: SlackPostOptions): Promise<void> {
  let retryAfterMs: number | undefined;
  // The webhook client does not expose response headers; a fetch wrapper reads Retry-After.
  const fetchWithRetryAfter: FetchFunction = async (input, init) => {
    const response = await fetch(input, init as RequestInit);
    const header = response.headers.get('retry-after');
    retryAfterMs = header && /^\d+(\.\d+)?$/.test(header) ? Number(header) * 1000 : undefined;
    return response;
  };
  const webhook = new IncomingWebhook(url, { fetch: fetchWithRetryAfter, timeout: options.timeoutMs ?? 10_000 });
  const base = options.baseDelayMs ?? 1_000;
  const maxWait = options.maxWaitMs ?? 10_000;
  await pRetry(
    async () => {
      try {
        await webhook.send(payload as Parameters<IncomingWebhook['send']>[0]);
      } catch (error) {
        const status = error instanceof IncomingWebhookHTTPError ? error.statusCode : undefined;
        const retryable = status === undefined || status === 429 || status >= 500;
        const clean = status
          ? new SlackAnswered(status, (error as IncomingWebhookHTTPError).body)
          : new Error(`Slack could not be reached (${describe(error)})`);
        throw retryable ? clean : new AbortError(clean);
      }
    },
    {
      retries: options.retries ?? 3,
      minTimeout: 0,
      maxTimeout: 0,
      onFailedAttempt: async ({ attemptNumber, retriesLeft }) => {
        if (retriesLeft <= 0) return;
        const backoff = base * 2 ** (attemptNumber - 1);
        await options.clock.sleep(Math.min(maxWait, retryAfterMs ?? backoff));
      },
    },
  );
}

/** Slack refused the post: the status, and Slack's one-word reason (`invalid_blocks`, `no_text` …). */
export class SlackAnswered extends Error {
  readonly reason?: string;

  constructor(
    readonly status: number,
    body: unknown,
  ) {
    // Webhook errors are a bare token in the body; anything else is not quoted (it could echo the request).
    const token = status < 500 && typeof body === 'string' && /^[a-z_]{1,40}$/.test(body.trim());
    const reason = token ? (body as string).trim() : undefined;
    super(`Slack answered HTTP ${status}${reason ? ` (${reason})` : ''}`);
    this.reason = reason;
  }
}

/** Network errors may quote the request URL; keep only the error code or class. */
function describe(error: unknown): string {
  const e = error as { original?: { cause?: { code?: string }; name?: string }; name?: string };
  return e.original?.cause?.code ?? e.original?.name ?? e.name ?? 'error';
}
