import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../../src/domain/clock';
import { Cancelled } from '../../../src/domain/stop-reason';
import { run } from '../../../src/main';
import { FakeAws, type FakeAwsOptions } from '../../fake/fake-aws';
import { inProcessAws, inProcessServices } from '../../fake/in-process';
import { type ContainerJob, plainContainer } from '../../platforms/container-job';
import { EventClock } from '../../sim/event-clock';

/**
 * The whole product in-process: the plain front door, the real config, targets, watchers and SDK
 * clients, against the e2e tier's fake services through the in-process transport, on a
 * discrete-event clock. A scenario takes milliseconds; `cancelAfterMs` sends the CI's cancel.
 */
/**
 * The SDK loads parts of itself on a client's first request: real I/O the event clock cannot
 * see, during which it would move time on. Done once per test file, before any scenario, on
 * throwaway services.
 */
let warmed: Promise<void> | undefined;
function warmUp(): Promise<void> {
  warmed ??= (async () => {
    const { services } = inProcessAws(systemClock);
    const quietly = (p: Promise<unknown>) =>
      p.then(
        () => {},
        () => {},
      );
    await quietly(services.codebuild.getBuild('warm:up'));
    await quietly(services.logs.getPage({ group: 'g', stream: 's' }, {}));
    await quietly(services.codepipeline.getExecution('warm', 'up'));
    await quietly(services.artifacts.list('warm', 'up').next());
  })();
  return warmed;
}

export async function runInProcess(
  variables: Record<string, string> | ((fake: FakeAws) => Record<string, string>),
  setup: (fake: FakeAws, clock: EventClock) => void,
  /** `job`: the platform's environment around the variables (default: `docker run`, plainContainer). */
  /** `files`: the checkout, written into the job's working directory (upload-source zips it). */
  options: {
    cancelAfterMs?: number;
    fake?: FakeAwsOptions;
    job?: (variables: Record<string, string>) => ContainerJob;
    files?: Readonly<Record<string, string>>;
    /** Cancel once the fake has answered `calls` requests of `op` (real I/O before them would let a timed cancel come first). */
    cancelOn?: { op: string; calls: number };
  } = {},
) {
  await warmUp();
  const clock = new EventClock();
  const fake = new FakeAws({ ...options.fake, now: clock.now });
  setup(fake, clock);
  const controller = new AbortController();
  if (options.cancelAfterMs !== undefined) {
    clock.after(options.cancelAfterMs, () => controller.abort(new Cancelled('SIGTERM')));
  }
  const { cancelOn } = options;
  if (cancelOn) {
    const push = fake.calls.push.bind(fake.calls);
    fake.calls.push = (...records) => {
      const n = push(...records);
      if (fake.calls.filter((c) => c.op === cancelOn.op).length === cancelOn.calls) controller.abort(new Cancelled('SIGTERM'));
      return n;
    };
  }
  let out = '';
  const slack: unknown[] = [];
  const timed: { text: string; at: number }[] = [];
  const job = (options.job ?? plainContainer)({ AWS_REGION: 'eu-west-1', ...(typeof variables === 'function' ? variables(fake) : variables) });
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(job.cwd, name), text);
  const started = clock.now();
  const code = await clock.run(
    run({
      env: job.env,
      cwd: job.cwd,
      clock,
      services: (_settings, _clock, debug, notice) => inProcessServices(fake, clock, debug, notice),
      slackPost: async (_url, payload) => void slack.push(payload),
      write: (t) => {
        out += t;
        for (const text of t.split('\n')) if (text) timed.push({ text, at: clock.now() });
      },
      random: () => 0.5,
      signal: controller.signal,
    }),
  );
  /** When the first line starting with `prefix` was printed, on the clock. */
  const printedAt = (prefix: string) => timed.find((l) => l.text.startsWith(prefix))?.at ?? Number.NaN;
  return { code, out, fake, slack, lines: out.split('\n'), tookMs: clock.now() - started, endedAt: clock.now(), printedAt, cwd: job.cwd };
}
