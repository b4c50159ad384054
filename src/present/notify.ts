import type { SlackConfig } from '../config/config';
import type { CiContext } from '../domain/ci-context';
import type { Clock } from '../domain/clock';
import { shouldNotify } from '../domain/notify-rules';
import type { Outcome } from '../domain/outcome';
import type { Log } from '../log/log';
import { defaultSlackMessage, expandPayload, type SlackPayload, slackVariables } from './slack-message';
import { postToSlack, SlackAnswered, type SlackPoster } from './slack-post';

export interface NotifyDeps {
  readonly clock: Clock;
  readonly log: Log;
  /** How a payload reaches Slack; tests replace it. */
  readonly post?: SlackPoster;
  /** Cancelled: the runner kills us in seconds, so one quick try. */
  readonly hurry?: boolean;
}

/** Post the summary if the user wants one for this outcome. Never throws: Slack cannot change a verdict. */
/**
 * Answers that mean "not this message" rather than "not this webhook": the blocks or attachments
 * broke a rule (documented webhook errors include invalid_payload and invalid_attachments besides
 * invalid_blocks; api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks).
 */
const REJECTED_SHAPE = new Set(['invalid_blocks', 'invalid_blocks_format', 'invalid_attachments', 'invalid_payload', 'no_text']);

export async function notifySlack(slack: SlackConfig, outcome: Outcome, ci: CiContext, deps: NotifyDeps): Promise<void> {
  if (!shouldNotify(slack.notifyOn, outcome)) return;
  const payload: SlackPayload =
    slack.payloadTemplate !== undefined
      ? (expandPayload(slack.payloadTemplate, slackVariables(outcome, ci)) as SlackPayload)
      : defaultSlackMessage(outcome, ci, slack.message);
  const post = (p: SlackPayload) =>
    (deps.post ?? postToSlack)(slack.webhookUrl, p, { clock: deps.clock, ...(deps.hurry ? { retries: 1, timeoutMs: 1_500, maxWaitMs: 500 } : {}) });
  try {
    await post(payload);
    deps.log.info('Posted the summary to Slack.');
  } catch (error) {
    if (!(error instanceof SlackAnswered && REJECTED_SHAPE.has(error.reason ?? ''))) {
      deps.log.warning(`Could not post to Slack: ${(error as Error).message}. The build result is unaffected.`);
      return;
    }
    // A template's blocks can still break Slack's limits: the same news as plain text, once.
    try {
      await post({ text: defaultSlackMessage(outcome, ci).text });
      deps.log.warning(`Slack rejected the message (${(error as SlackAnswered).reason}); posted it as plain text instead.`);
    } catch (again) {
      deps.log.warning(`Could not post to Slack: ${(again as Error).message}. The build result is unaffected.`);
    }
  }
}
