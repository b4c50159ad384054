import type { SlackConfig } from '../config/config';
import type { CiContext } from '../domain/ci-context';
import type { Clock } from '../domain/clock';
import { type Outcome, outcomeStatus } from '../domain/outcome';
import type { Log } from '../log/log';
import { notifySlack } from '../present/notify';
import type { OutputSink } from '../present/outputs';
import type { Presenter } from '../present/presenter';
import type { SlackPoster } from '../present/slack-post';

export interface FinishDeps {
  readonly log: Log;
  readonly presenter: Presenter;
  readonly outputs: OutputSink;
  readonly ci: CiContext;
  readonly clock: Clock;
  readonly slack?: SlackConfig;
  readonly post?: SlackPoster;
}

/** Outputs (and a JUnit file), test results, the verdict line, the summary, Slack: in that order, none can fail another. */
export async function finish(outcome: Outcome, deps: FinishDeps): Promise<void> {
  const { log, presenter } = deps;
  const { subject, attempts, description } = outcome;
  // Each kind names its own status output (a pipeline's build-status is its last CodeBuild action's).
  deps.outputs.set({
    [description.statusOutput]: outcomeStatus(outcome).word,
    ...(subject && { 'exported-variables': JSON.stringify(Object.fromEntries(subject.exportedVariables.map((v) => [v.name, v.value]))) }),
    ...(attempts.length > 1 && { attempts: JSON.stringify(attempts.map((a) => ({ 'build-id': a.id, 'build-number': a.number, 'build-status': a.status }))) }),
  });
  deps.outputs.tests?.(outcome.tests);
  guarded(log, 'show the verdict', () => presenter.conclusion(outcome.verdict, outcome.tests, outcome.description));
  // After the verdict, which stays the build's own: the step fails for the missing artifacts.
  if (outcome.artifactsProblem) log.error(outcome.artifactsProblem);
  try {
    await presenter.summary(outcome);
  } catch (error) {
    log.warning(`Could not write the job summary: ${(error as Error).message}`);
  }
  if (deps.slack) {
    // Cancelled: the runner kills us in seconds, so one quick try.
    await notifySlack(deps.slack, outcome, deps.ci, { clock: deps.clock, log, post: deps.post, hurry: outcome.kind === 'cancelled' });
  }
}

function guarded(log: Log, what: string, show: () => unknown): void {
  try {
    show();
  } catch (error) {
    log.warning(`Could not ${what}: ${(error as Error).message}`);
  }
}
