import { Throttle } from '../../../src/aws/throttle';
import { type WatchDeps, watchBuild } from '../../../src/watch/build-watcher';
import { seededRandom } from '../../fake/faults';
import { RecordingLog, ScriptedBuild, type ScriptedLine, VirtualClock } from '../support';

const C = (rest: string) => `[Container] 2026/11/25 10:00:00.000000 ${rest}`;
const phaseLines = (phase: string, body: string[], at: number, step = 100): ScriptedLine[] => {
  const lines = [C(`Entering phase ${phase}`), ...body, C(`Phase complete: ${phase} State: SUCCEEDED`), C('Phase context status code:  Message: ')];
  return lines.map((message, i) => ({ at: at + i * step, message }));
};

function setup(opts: ConstructorParameters<typeof ScriptedBuild>[1] extends infer O ? Partial<O> : never = {}) {
  const clock = new VirtualClock();
  const log = new RecordingLog();
  const script = new ScriptedBuild(clock, { start: clock.now(), endAt: 20_000, status: 'SUCCEEDED', lines: [], ...opts });
  const deps: WatchDeps = {
    codebuild: script,
    logs: script,
    clock,
    log,
    throttle: new Throttle(clock.now),
    tailLogs: true,
    random: () => 0 /* fastest jitter: the worst case for call rates */,
  };
  return { clock, log, script, deps, start: clock.now() };
}

describe('watchBuild', () => {
  test('prints every line once, in order, with phase boundaries, and returns the final build', async () => {
    const lines = [...phaseLines('BUILD', ['a', 'b', 'c'], 1_000), ...phaseLines('UPLOAD_ARTIFACTS', [], 19_000, 1)];
    const { log, script, deps } = setup({ lines, endAt: 19_500 });
    const final = await watchBuild(script.build(), deps);
    expect(final.buildStatus).toBe('SUCCEEDED');
    expect(log.lines).toEqual(lines.map((l) => l.message));
    const shape = log.events.filter((e) => !e.startsWith('line [Container]'));
    expect(shape).toEqual(['start BUILD', 'line a', 'line b', 'line c', 'end BUILD SUCCEEDED', 'start UPLOAD_ARTIFACTS', 'end UPLOAD_ARTIFACTS SUCCEEDED']);
  });

  test('lines CloudWatch delivers seconds after the build ended are not lost', async () => {
    // No final-phase marker: a plain late line 3 s after the end, readable 2 s later still.
    const lines = [
      { at: 1_000, message: 'early' },
      { at: 12_900, message: 'last before end' },
      { at: 13_000, message: 'late' },
    ];
    const { log, script, deps } = setup({ lines, endAt: 10_000, lag: 2_000 });
    await watchBuild(script.build(), deps);
    expect(log.lines).toEqual(['early', 'last before end', 'late']);
  });

  test('a silent stretch of minutes neither ends the watch nor loses the lines after it', async () => {
    const lines = [
      { at: 1_000, message: 'before' },
      { at: 400_000, message: 'after silence' },
    ];
    const { log, script, deps, start } = setup({ lines, endAt: 401_000 });
    await watchBuild(script.build(), deps);
    expect(log.lines).toEqual(['before', 'after silence']);
    // and frugal while silent: ≤ 20 calls a minute in all, every minute of it
    for (let minute = start + 10_000; minute + 60_000 < start + 400_000; minute += 60_000) {
      expect(script.callTimes.filter((t) => t >= minute && t < minute + 60_000).length).toBeLessThanOrEqual(20);
    }
  });

  test('a status poll planned while lines flowed is put off once the log goes quiet, and a status mid-silence does not restart the eager reads', async () => {
    const lines = [...phaseLines('BUILD', ['a', 'b'], 500), ...phaseLines('POST_BUILD', [], 2_000), { at: 200_000, message: 'after' }];
    const { script, deps, start } = setup({ lines, endAt: 201_000 });
    const polls: number[] = [];
    const getBuild = async () => {
      polls.push(script.callTimes.length);
      return script.getBuild();
    };
    await watchBuild(script.build(), { ...deps, codebuild: { getBuild }, random: () => 0.5 /* the mean spacing */ });
    const statusTimes = script.callTimes.filter((_, i) => polls.includes(i));
    const quiet = (from: number, to: number) => script.callTimes.filter((t) => t >= start + from && t < start + to).length;
    // a status poll every 14.2 s ±5% while quiet (so a silent end is seen within 15 s), no more
    expect(statusTimes.filter((t) => t > start + 5_000 && t < start + 150_000).length).toBeLessThanOrEqual(Math.ceil(145_000 / 13_490));
    // every minute of the silence, from its first: ≤ 20 calls in all
    for (let m = 10_000; m + 60_000 < 195_000; m += 30_000) expect(quiet(m, m + 60_000)).toBeLessThanOrEqual(20);
  });

  test('a final status before CodeBuild finished the build record: polled again, a second apart, until it has its end time', async () => {
    const { script, deps } = setup({ logsDisabled: true, endAt: 3_000 });
    let finals = 0;
    const getBuild = async () => {
      const build = await script.getBuild();
      if (build.buildStatus === 'IN_PROGRESS') return build;
      return finals++ < 2 ? { ...build, endTime: undefined, buildComplete: false } : { ...build, buildComplete: true };
    };
    const final = await watchBuild(script.build(), { ...deps, codebuild: { getBuild } });
    expect(final.endTime).toBeDefined();
    expect(finals).toBe(3);
  });

  test('a stream that appears late', async () => {
    const lines = [{ at: 31_000, message: 'first' }];
    const { log, script, deps } = setup({ lines, streamAt: 30_000, endAt: 32_000 });
    await watchBuild(script.build(), deps);
    expect(log.lines).toEqual(['first']);
  });

  test('logs disabled: says so, still waits for the verdict', async () => {
    const { log, script, deps } = setup({ logsDisabled: true, status: 'FAILED', endAt: 40_000 });
    const final = await watchBuild(script.build(), deps);
    expect(final.buildStatus).toBe('FAILED');
    expect(script.calls.getPage).toBe(0);
    expect(log.events.some((e) => e.includes('CloudWatch Logs are disabled'))).toBe(true);
  });

  test('follows full pages at once, without waiting between them', async () => {
    const lines = Array.from({ length: 25_000 }, (_, i) => ({ at: 1_000, message: `l${i}` }));
    const { log, script, deps, clock } = setup({ lines, endAt: 5_000 });
    const readAt: number[] = [];
    script.beforeRead = () => readAt.push(clock.now());
    await watchBuild(script.build(), deps);
    expect(log.lines).toHaveLength(25_000);
    expect(new Set(log.lines).size).toBe(25_000);
    const bursts = readAt.filter((t, i) => i > 0 && t === readAt[i - 1]);
    expect(bursts.length).toBeGreaterThanOrEqual(2);
  });

  test("at a crowded account's pace, a big page at the live edge waits for the next paced read; alone, it is followed at once", async () => {
    const lines = Array.from({ length: 6_000 }, (_, i) => ({ at: 1_000 + i * 5, message: `l${i}` })); // 200 a second for 30 s
    const gapsUnder1s = async (crowded: boolean) => {
      const { log, script, deps, clock, start } = setup({ lines, endAt: 31_000 });
      const throttle = new Throttle(clock.now, () => 0.5);
      if (crowded) {
        throttle.sent('GetLogEvents');
        throttle.failed('throttle', 'GetLogEvents');
      }
      // Every read counts against the pace, as the real adapter's retry wrapper makes it.
      const logs = {
        getPage: async (...args: Parameters<ScriptedBuild['getPage']>) => {
          throttle.sent('GetLogEvents');
          const page = await script.getPage(...args);
          throttle.succeeded('GetLogEvents');
          return page;
        },
      };
      await watchBuild(script.build(), { ...deps, logs, throttle });
      expect(log.lines).toEqual(lines.map((l) => l.message));
      const reads = script.callTimes.filter((t) => t > start + 2_000 && t < start + 30_000);
      return reads.filter((t, i) => i > 0 && t - reads[i - 1]! < 1_000).length;
    };
    expect(await gapsUnder1s(true)).toBe(0);
    expect(await gapsUnder1s(false)).toBeGreaterThan(0);
  });

  test('status polls stop once the end is known, though the log drains on', async () => {
    // The agent's last phase is logged, but CloudWatch has it only 6 s after the end.
    const lines = [{ at: 1_000, message: 'a' }, ...phaseLines('UPLOAD_ARTIFACTS', ['uploading'], 4_800, 10)];
    const { log, script, deps } = setup({ lines, endAt: 5_000, lag: 6_000 });
    const statuses: string[] = [];
    const getBuild = async () => {
      const build = await script.getBuild();
      statuses.push(build.buildStatus!);
      return build;
    };
    await watchBuild(script.build(), { ...deps, codebuild: { getBuild } });
    expect(log.lines).toEqual(lines.map((l) => l.message));
    expect(statuses.filter((s) => s !== 'IN_PROGRESS')).toHaveLength(1);
  });

  test('a stream that appears a second after the start is read within a second of appearing', async () => {
    const { script, deps, start } = setup({ lines: [{ at: 1_700, message: 'first' }], streamAt: 1_600, endAt: 20_000 });
    await watchBuild(script.build(), deps);
    const firstAfter = script.callTimes.filter((t) => t >= start + 1_600)[0]!;
    expect(firstAfter - (start + 1_600)).toBeLessThanOrEqual(1_000);
  });

  test('a failed read is retried from the same position: no line lost or repeated', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => ({ at: 1_000 + i * 300, message: `l${i}` }));
    const { log, script, deps } = setup({ lines, endAt: 12_000 });
    script.beforeRead = (n) => {
      if (n % 3 === 0) throw Object.assign(new Error('reset'), { name: 'Error', code: 'ECONNRESET' });
    };
    await watchBuild(script.build(), deps);
    expect(log.lines).toEqual(lines.map((l) => l.message));
  });

  test('reads throttled until well after the end: the watch waits for one that gets an answer, and loses nothing', async () => {
    // Found in the 50-pipeline simulation: a throttled read was taken as proof that the log had gone quiet.
    const lines = Array.from({ length: 20 }, (_, i) => ({ at: 1_000 + i * 200, message: `l${i}` }));
    const phases = [{ phaseType: 'PROVISIONING' }, { phaseType: 'BUILD' }, { phaseType: 'COMPLETED' }] as const;
    const { log, script, deps, clock, start } = setup({ lines, endAt: 6_000, phases: [...phases] });
    script.beforeRead = () => {
      if (clock.now() < start + 40_000) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };
    await watchBuild(script.build(), deps);
    expect(log.lines).toEqual(lines.map((l) => l.message));
  });

  test('reads that never get an answer after the end: the watch gives up after 10 minutes and says the end may be missing', async () => {
    const phases = [{ phaseType: 'BUILD' }, { phaseType: 'COMPLETED' }] as const;
    const { log, script, deps, clock, start } = setup({ lines: [{ at: 1_000, message: 'a' }], endAt: 3_000, phases: [...phases] });
    script.beforeRead = () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };
    await watchBuild(script.build(), deps);
    expect(clock.now() - start).toBeGreaterThanOrEqual(10 * 60_000);
    expect(clock.now() - start).toBeLessThan(12 * 60_000);
    expect(log.has(/no read got an answer in the 10 minutes after the build ended/)).toBe(true);
  });

  test('a build that failed before its container ran: reads throttled after the end raise no warning that the log was cut', async () => {
    const phases = [{ phaseType: 'PROVISIONING', phaseStatus: 'FAILED' }, { phaseType: 'COMPLETED' }] as const;
    const { log, script, deps, clock, start } = setup({ status: 'FAILED', endAt: 3_000, streamAt: 1e9, phases: [...phases] });
    script.beforeRead = () => {
      if (clock.now() >= start + 3_000) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };
    expect((await watchBuild(script.build(), deps)).buildStatus).toBe('FAILED');
    expect(log.has(/Stopped reading the log/)).toBe(false);
  });

  test('access denied on logs: one warning, the verdict still comes', async () => {
    const { log, script, deps } = setup({ lines: [{ at: 0, message: 'x' }], endAt: 5_000 });
    script.beforeRead = () => {
      throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    };
    const final = await watchBuild(script.build(), deps);
    expect(final.buildStatus).toBe('SUCCEEDED');
    expect(log.events.filter((e) => e.startsWith('warning'))).toHaveLength(1);
    expect(script.calls.getPage).toBe(1);
  });

  test('not tailing: status only', async () => {
    const { script, deps } = setup({ lines: [{ at: 0, message: 'x' }], endAt: 30_000 });
    await watchBuild(script.build(), { ...deps, tailLogs: false });
    expect(script.calls.getPage).toBe(0);
  });

  test('the end is noticed within 3 s of the last line once the agent logged its last phase', async () => {
    const busy = Array.from({ length: 50 }, (_, i) => ({ at: i * 200, message: `l${i}` }));
    const lines = [...busy, ...phaseLines('UPLOAD_ARTIFACTS', ['x'], 10_000, 10)];
    const { script, deps, clock, start } = setup({ lines, endAt: 10_100, lag: 500 });
    await watchBuild(script.build(), deps);
    const lastAvailable = start + 10_030 + 500;
    expect(clock.now() - Math.max(lastAvailable, start + 10_100)).toBeLessThanOrEqual(3_000);
  });

  test('an abort during a log read ends the watch without a false warning', async () => {
    const { log, script, deps } = setup({ lines: [{ at: 0, message: 'x' }], endAt: 1e9 });
    const controller = new AbortController();
    script.beforeRead = (n) => {
      if (n === 3) {
        controller.abort(new Error('cancelled'));
        throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      }
    };
    await expect(watchBuild(script.build(), { ...deps, signal: controller.signal })).rejects.toThrow('cancelled');
    expect(log.events.filter((e) => e.startsWith('warning'))).toEqual([]);
  });

  test('an abort signal stops the loop', async () => {
    const { script, deps } = setup({ endAt: 1e9 });
    const controller = new AbortController();
    let polls = 0;
    const getBuild = async () => {
      if (++polls === 3) controller.abort(new Error('cancelled'));
      return script.build();
    };
    await expect(watchBuild(script.build(), { ...deps, codebuild: { getBuild }, signal: controller.signal })).rejects.toThrow('cancelled');
  });
});

describe('pages as CloudWatch serves them (partially full or empty while more waits)', () => {
  /** Random page sizes up to 300 events, one empty page in 20: seeded, so runs repeat. */
  const shortPages = () => {
    const random = seededRandom(7);
    return () => (random() < 0.05 ? 0 : 1 + Math.floor(random() * 300));
  };

  async function endLag(lines: ScriptedLine[], endAt: number, short: boolean, startLate = 0) {
    const { log, script, deps, clock, start } = setup({ lines, endAt });
    if (short) script.partialPages = shortPages();
    clock.advance(startLate); // attach to a build that ended long ago
    await watchBuild(script.build(), deps);
    expect(log.lines).toEqual(lines.map((l) => l.message));
    return clock.now() - Math.max(start + endAt, start + Math.max(...lines.map((l) => l.at)) + 500, start + startLate);
  }

  test('3,000 lines in the last 2 s: every line once, the end noticed within seconds, short pages costing only their reads', async () => {
    const lines = [
      ...Array.from({ length: 40 }, (_, i) => ({ at: i * 200, message: `steady ${i}` })),
      ...Array.from({ length: 3_000 }, (_, i) => ({ at: 8_000 + Math.floor((i * 2_000) / 3_000), message: `burst ${i}` })),
    ];
    const full = await endLag(lines, 10_000, false);
    const short = await endLag(lines, 10_000, true);
    expect(full).toBeLessThanOrEqual(7_000);
    // ~150 lines a short page: some 20 more reads to catch up, which the request budget paces.
    expect(short).toBeLessThanOrEqual(full + 2_500);
  });

  test('attached a minute after the end to 20,000 lines: every line once, at once', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => ({ at: i, message: `history ${i}` }));
    const full = await endLag(lines, 21_000, false, 81_000);
    const short = await endLag(lines, 21_000, true, 81_000);
    expect(short).toBeLessThanOrEqual(full + 1_000);
  });
});
