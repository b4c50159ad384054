import type { ClientSettings } from './aws/client-options';
import { awsServices, type Services } from './aws/services';
import { type Config, ConfigError, loadConfig } from './config/config';
import { helpText } from './config/help';
import { INPUTS } from './config/inputs';
import { type Clock, systemClock } from './domain/clock';
import type { PollPolicy } from './domain/poll-policy';
import type { Env } from './frontdoor/frontdoor';
import { openFrontDoor } from './frontdoor/open-front-door';
import { guardedSink } from './present/outputs';
import type { SlackPoster } from './present/slack-post';
import { EXIT, runStep } from './step/run-step';
import { nothingToUpload } from './step/source-upload';
import { chooseTarget } from './targets/choose-target';

export interface RunOptions {
  readonly env: Env;
  readonly argv?: readonly string[];
  readonly cwd?: string;
  /** Where the step's lines go; by default stdout, the CI log. */
  readonly write?: (text: string) => void;
  /** Aborted with a `Cancelled` reason when the CI cancels the job. */
  readonly signal?: AbortSignal;
  /** Seams for in-process tests: time, AWS, Slack, polling, jitter. */
  readonly clock?: Clock;
  readonly services?: (settings: ClientSettings, clock: Clock, debug: (message: string) => void, notice: (message: string) => void) => Services;
  readonly slackPost?: SlackPoster;
  readonly policy?: PollPolicy;
  readonly random?: () => number;
}

/** --help, or: front door → settings → AWS → the step. Returns the exit code; throws only on a bug. */
export async function run(options: RunOptions): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  if (options.argv?.some((a) => a === '--help' || a === '-h')) {
    write(helpText());
    return EXIT.ok;
  }
  const door = openFrontDoor({ env: options.env, cwd: options.cwd ?? process.cwd(), write, isTty: !!process.stdout.isTTY });
  let config: Config;
  try {
    config = loadConfig(door.settings, door.defaults);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    door.console({ debug: false }).log.error(error.message);
    return EXIT.usage;
  }
  const { log, presenter } = door.console(config);
  for (const secret of config.secrets) log.mask(secret); // before anything else is printed
  for (const warning of config.warnings) log.warning(warning);
  const nothing = await nothingToUpload(config, door.workdir);
  if (nothing) {
    log.error(`Invalid settings:\n  - ${nothing}`);
    return EXIT.usage;
  }
  const access = door.aws(config);
  if (access.problems?.length) {
    log.error(`Invalid settings:\n${access.problems.map((p) => `  - ${p}`).join('\n')}`);
    return EXIT.usage;
  }
  if (access.warning) log.warning(access.warning);
  log.debug(`AWS credentials: ${access.description}`);
  const clock = options.clock ?? systemClock;
  const services = (options.services ?? awsServices)(
    { ...access.settings, region: config.region },
    clock,
    (m) => log.debug(m),
    (m) => log.info(m),
  );
  // A missing region is a setting problem: say so before any call, instead of retrying one.
  const region = await services.region().catch(() => undefined);
  if (!region) {
    log.error(`Invalid settings:\n  - no AWS region: set ${door.settings.describe(INPUTS.region)}`);
    return EXIT.usage;
  }
  const outputs = guardedSink(door.outputs(config, log), log);
  const { policy, random } = options;
  const target = chooseTarget(config, { services, log, outputs, clock, region, tailLogs: config.tailLogs, policy, random });
  const { ci, workdir } = door;
  return runStep({
    config,
    target,
    log,
    presenter,
    outputs,
    ci,
    clock,
    store: services.source,
    artifacts: services.artifacts,
    workdir,
    signal: options.signal,
    slackPost: options.slackPost,
  });
}
