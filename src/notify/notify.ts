import type { CiContext } from '../ci-context';
import type { Clock } from '../clock';
import type { SlackConfig } from '../config/config';
import type { Outcome } from '../core/outcome';
import type { Reporter } from '../report/reporter';
import { postToSlack } from './slack';
import { defaultSlackMessage, expandPayload, shouldNotify, slackVariables, type SlackPayload } from './slack-message';

export interface NotifyDeps {
  readonly clock: Clock;
  readonly reporter: Reporter;
  /** Cancelled: the runner kills us in seconds, so one quick try. */
  readonly hurry?: boolean;
}

/** Post the summary if the user wants one for this outcome. Never throws: Slack cannot change a verdict. */
export async function notifySlack(slack: SlackConfig, outcome: Outcome, ci: CiContext, deps: NotifyDeps): Promise<void> {
  if (!shouldNotify(slack.notifyOn, outcome)) return;
  const payload: SlackPayload =
    slack.payloadTemplate !== undefined
      ? (expandPayload(slack.payloadTemplate, slackVariables(outcome, ci)) as SlackPayload)
      : defaultSlackMessage(outcome, ci, slack.message);
  try {
    await postToSlack(slack.webhookUrl, payload, {
      clock: deps.clock,
      ...(deps.hurry ? { retries: 1, timeoutMs: 1_500, maxWaitMs: 500 } : {}),
    });
    deps.reporter.info('Posted the summary to Slack.');
  } catch (error) {
    deps.reporter.warning(`Could not post to Slack: ${(error as Error).message}. The build result is unaffected.`);
  }
}
