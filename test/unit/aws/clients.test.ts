import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand, CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { mockClient } from 'aws-sdk-client-mock';
import { sdkOptions } from '../../../src/aws/client-options';
import { codeBuildApi } from '../../../src/aws/codebuild';
import { classify } from '../../../src/aws/errors';
import { DEFAULT_FAIR_SHARE } from '../../../src/aws/fair-share';
import { ExpiredToken, logsApi } from '../../../src/aws/logs';
import { DEFAULT_RETRY, fullJitterDelay, withRetry } from '../../../src/aws/retry';
import { Throttle } from '../../../src/aws/throttle';
import { EventClock } from '../../sim/event-clock';
import { VirtualClock } from '../support';

const awsError = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('AWS adapters', () => {
  const cb = mockClient(CodeBuildClient);
  const logs = mockClient(CloudWatchLogsClient);
  beforeEach(() => {
    cb.reset();
    logs.reset();
  });
  const settings = { region: 'eu-west-1', credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }) };

  test('throttling and 5xx are retried with backoff on the injected clock; the throttled operation is paced', async () => {
    const clock = new VirtualClock();
    const throttle = new Throttle(clock.now, () => 0.5);
    cb.on(BatchGetBuildsCommand)
      .rejectsOnce(awsError('ThrottlingException', 400))
      .rejectsOnce(awsError('InternalFailure', 500))
      .resolves({ builds: [{ id: 'app:1', buildStatus: 'SUCCEEDED' }] });
    const api = codeBuildApi(settings, { clock, throttle, random: () => 1 });
    const before = clock.now();
    expect((await api.getBuild('app:1')).buildStatus).toBe('SUCCEEDED');
    expect(cb.commandCalls(BatchGetBuildsCommand)).toHaveLength(3);
    // After the throttle the operation is paced (a first throttle: one call per 6.7 s, the next
    // anywhere within that interval: here 4 s), and each retry waits for the later of its backoff
    // and its paced slot: the 500 ms backoff, then the slot at 4 s; the 1 s backoff, then the
    // slot a whole interval after that.
    expect(clock.now() - before).toBeCloseTo(4_000 + 1000 / DEFAULT_FAIR_SHARE.firstRate, 3);
    expect(throttle.interval('BatchGetBuilds')).toBeGreaterThan(0);
    expect(throttle.interval('GetLogEvents')).toBe(0);
  });

  test('a permanent error fails at once', async () => {
    cb.on(StartBuildCommand).rejects(awsError('ResourceNotFoundException', 400));
    const api = codeBuildApi(settings, { clock: new VirtualClock() });
    await expect(api.startBuild({ projectName: 'nope' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(cb.commandCalls(StartBuildCommand)).toHaveLength(1);
  });

  test('a missing stream reads as "not yet"; a rejected token as ExpiredToken', async () => {
    const api = logsApi(settings, { clock: new VirtualClock() });
    logs.on(GetLogEventsCommand).rejectsOnce(awsError('ResourceNotFoundException', 400)).rejectsOnce(awsError('InvalidParameterException', 400));
    const stream = { group: 'g', stream: 's' };
    expect(await api.getPage(stream, {})).toBeUndefined();
    await expect(api.getPage(stream, { token: 'f/1' })).rejects.toBeInstanceOf(ExpiredToken);
  });

  test('the retry time budget runs on the injected clock', async () => {
    const clock = new VirtualClock();
    cb.on(BatchGetBuildsCommand).rejects(awsError('ThrottlingException', 400));
    const api = codeBuildApi(settings, { clock, random: () => 1, policy: { retries: 100, baseMs: 1_000, capMs: 1_000, maxRetryTimeMs: 10_000 } });
    const before = clock.now();
    await expect(api.getBuild('app:1')).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(clock.now() - before).toBeLessThanOrEqual(10_000);
    expect(cb.commandCalls(BatchGetBuildsCommand).length).toBe(11);
  });

  test('a paced read waits its turn; the page following it goes at once, yet counts; each page says when it left', async () => {
    const clock = new VirtualClock();
    const throttle = new Throttle(clock.now, () => 0.5);
    throttle.sent('GetLogEvents');
    throttle.failed('throttle', 'GetLogEvents');
    logs.on(GetLogEventsCommand).resolves({ events: [], nextForwardToken: 'f/1' });
    const api = logsApi(settings, { clock, throttle });
    const stream = { group: 'g', stream: 's' };
    const start = clock.now();
    const first = await api.getPage(stream, {}, { poll: true });
    // the read waited for its paced slot, and its sentAt says so (a drain judges quiet by it)
    expect(first?.sentAt).toBe(clock.now());
    expect(clock.now() - start).toBeGreaterThan(1_000);
    const followedAt = clock.now();
    const next = await api.getPage(stream, { token: 'f/1' }, { poll: true, follow: true });
    expect(clock.now()).toBe(followedAt);
    expect(next?.sentAt).toBe(followedAt);
    // …and the read after it waits a whole interval from the follow, not from the first read
    expect(throttle.delay('GetLogEvents')).toBeGreaterThanOrEqual(throttle.interval('GetLogEvents') * (1 - DEFAULT_FAIR_SHARE.jitter) - 1);
  });

  test('classify', () => {
    expect(classify(awsError('ThrottlingException', 400))).toBe('throttle');
    expect(classify(awsError('Whatever', 429))).toBe('throttle');
    expect(classify(awsError('ServiceUnavailableException', 503))).toBe('transient');
    // CodePipeline: "the pipeline is busy handling ongoing activities. Try again later".
    expect(classify(awsError('ConflictException', 409))).toBe('transient');
    expect(classify(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('transient');
    expect(classify(awsError('AccessDeniedException', 400))).toBe('permanent');
    expect(classify(awsError('InvalidInputException', 400))).toBe('permanent');
    expect(classify(new TypeError('x is not a function'))).toBe('permanent');
    expect(classify(new Error('Region is missing'))).toBe('permanent');
    expect(classify(awsError('ExpiredTokenException', 400))).toBe('permanent');
    expect(classify(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toBe('transient');
    // A runner's clock minutes off: the SDK corrects its offset from the answer, and signing again works.
    expect(classify(awsError('InvalidSignatureException', 400))).toBe('permanent');
    const skewed = awsError('InvalidSignatureException', 400);
    Object.assign(skewed.$metadata, { clockSkewCorrected: true });
    expect(classify(skewed)).toBe('transient');
  });

  test('AWS_RETRY_MODE=adaptive does not add the SDK rate limiter beside our pacing', async () => {
    const before = process.env.AWS_RETRY_MODE;
    process.env.AWS_RETRY_MODE = 'adaptive';
    try {
      const client = new CodeBuildClient(sdkOptions(settings));
      const strategy = (await client.config.retryStrategy()) as { mode?: string };
      expect(strategy.mode).toBe('standard');
      expect(await client.config.maxAttempts()).toBe(1);
    } finally {
      if (before === undefined) delete process.env.AWS_RETRY_MODE;
      else process.env.AWS_RETRY_MODE = before;
    }
  });

  test("callers sharing a pace (a batch's children) take turns: each waits for its own slot", async () => {
    const clock = new EventClock();
    const throttle = new Throttle(clock.now, () => 0.5);
    throttle.failed('throttle', 'GetLogEvents');
    const sentAt: number[] = [];
    const call = () => withRetry('GetLogEvents', async () => void sentAt.push(clock.now()), { clock, throttle, random: () => 0.5 });
    await clock.run(Promise.all([call(), call(), call()]));
    const gaps = sentAt.slice(1).map((t, i) => t - sentAt[i]!);
    const interval = throttle.interval('GetLogEvents');
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(interval * (1 - DEFAULT_FAIR_SHARE.jitter) - 1);
  });

  test('full jitter stays within the capped exponential', () => {
    for (let attempt = 1; attempt < 20; attempt++) {
      const cap = Math.min(DEFAULT_RETRY.capMs, DEFAULT_RETRY.baseMs * 2 ** (attempt - 1));
      expect(fullJitterDelay(attempt, DEFAULT_RETRY, () => 0.999999)).toBeLessThan(cap);
      expect(fullJitterDelay(attempt, DEFAULT_RETRY, () => 0)).toBe(0);
    }
  });
});
