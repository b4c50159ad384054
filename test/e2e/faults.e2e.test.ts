import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuildScript, failingScript, successScript } from '../fake/build-script';
import { FakeAws } from '../fake/fake-aws';
import type { FaultOptions } from '../fake/faults';
import { buildOf, expectEveryLineOnce, numbered } from './helpers';
import { awsEnv, readJson, runBundle } from './run-bundle';

/**
 * Fault injection: the bundle against an endpoint that throttles, fails, drops and stalls, and
 * 20 copies of it sharing per-second quotas. Each run must end with the right verdict and print
 * every line exactly once. Faults are seeded, so a failure here reproduces.
 */
async function withFake<T>(
  faults: FaultOptions & { tokenTtlMs?: number },
  projects: Record<string, BuildScript>,
  fn: (env: Record<string, string>, fake: FakeAws) => Promise<T>,
) {
  const fake = new FakeAws(faults);
  for (const [name, script] of Object.entries(projects)) fake.addProject(name, script);
  const env = awsEnv(await fake.start());
  try {
    return await fn(env, fake);
  } finally {
    await fake.stop();
  }
}

const cwd = () => mkdtempSync(join(tmpdir(), 'cbr-faults-'));
const busy = (name: string) => successScript({ lines: numbered(name, 300), buildMs: 4_000 });
const failingWithLines = (name: string, n: number): BuildScript => {
  const script = failingScript('FAILED');
  return { ...script, phases: script.phases.map((p) => (p.name === 'BUILD' ? { ...p, durationMs: 8_000, lines: numbered(name, n) } : p)) };
};

describe('fault injection', () => {
  test.concurrent('throttling on every API: two in a row on each, then 30% of calls', () =>
    withFake({ seed: 11, rates: { throttle: 0.3 } }, { ok: busy('throttled') }, async (env, fake) => {
      for (const op of ['StartBuild', 'BatchGetBuilds', 'GetLogEvents']) fake.faults.failNext(op, 'throttle', 2);
      const r = await runBundle({ ...env, PROJECT_NAME: 'ok' }, { cwd: cwd() });
      expect(r.code).toBe(0);
      expectEveryLineOnce(r.stdout, buildOf(fake, 'ok'));
      const throttledOps = new Set(fake.calls.filter((c) => c.throttled).map((c) => c.op));
      expect([...throttledOps].sort()).toEqual(['BatchGetBuilds', 'GetLogEvents', 'StartBuild']);
    }));

  test.concurrent('5xx and dropped connections at 18%, on a failing build', () =>
    withFake({ seed: 7, rates: { error500: 0.08, unavailable503: 0.05, reset: 0.05 } }, { bad: failingWithLines('faulty', 300) }, async (env, fake) => {
      const r = await runBundle({ ...env, PROJECT_NAME: 'bad' }, { cwd: cwd() });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/✖ Build bad #1 FAILED after \d+s in phase BUILD/);
      expectEveryLineOnce(r.stdout, buildOf(fake, 'bad'));
      expect(fake.calls.filter((c) => c.status >= 500).length).toBeGreaterThan(0);
      expect(fake.calls.filter((c) => c.errorType === 'reset').length).toBeGreaterThan(0);
    }));

  test.concurrent('an endpoint that stalls: requests time out and are retried', () =>
    withFake({ seed: 3, rates: { stall: 0.1 }, stallMs: 60_000 }, { slow: busy('stalled') }, async (env, fake) => {
      const r = await runBundle({ ...env, PROJECT_NAME: 'slow', CODEBUILD_RUN_REQUEST_TIMEOUT_MS: '1500' }, { cwd: cwd() });
      expect(r.code).toBe(0);
      expectEveryLineOnce(r.stdout, buildOf(fake, 'slow'));
      expect(fake.calls.filter((c) => c.errorType === 'stall').length).toBeGreaterThan(0);
    }));

  test.concurrent('the log stream is missing for a while, under throttling', () =>
    withFake(
      { seed: 5, rates: { throttle: 0.2 } },
      { late: { ...successScript({ lines: numbered('late', 200), buildMs: 8_000 }), streamDelayMs: 6_000 } },
      async (env, fake) => {
        const r = await runBundle({ ...env, PROJECT_NAME: 'late' }, { cwd: cwd() });
        expect(r.code).toBe(0);
        expectEveryLineOnce(r.stdout, buildOf(fake, 'late'));
        expect(fake.calls.some((c) => c.errorType === 'ResourceNotFoundException')).toBe(true);
      },
    ));

  test.concurrent('expired log tokens: resumed by timestamp, no duplicates', () =>
    withFake({ seed: 9, tokenTtlMs: 1_500 }, { ttl: successScript({ lines: numbered('ttl', 400), buildMs: 6_000, silentMs: 6_000 }) }, async (env, fake) => {
      const r = await runBundle({ ...env, PROJECT_NAME: 'ttl' }, { cwd: cwd() });
      expect(r.code).toBe(0);
      expectEveryLineOnce(r.stdout, buildOf(fake, 'ttl'));
      expect(fake.calls.some((c) => c.errorType === 'InvalidParameterException')).toBe(true);
    }));

  test(
    '20 pipelines share one endpoint with per-second quotas',
    () =>
      // The strict sliding-second rule: the most throttles, the harshest test of every line once.
      withFake({ seed: 1, quotas: { GetLogEvents: 10, BatchGetBuilds: 5, StartBuild: 5 }, quotaRule: 'window' }, {}, async (env, fake) => {
        const n = 20;
        for (let i = 0; i < n; i++)
          fake.addProject(`p${i}`, i % 4 === 3 ? failingScript('FAILED') : successScript({ lines: numbered(`p${i}`, 150), buildMs: 6_000 }));
        const runs = await Promise.all(
          Array.from({ length: n }, async (_, i) => {
            const dir = cwd();
            const r = await runBundle({ ...env, PROJECT_NAME: `p${i}` }, { cwd: dir });
            return { i, r, result: readJson(join(dir, 'codebuild-result.json')) };
          }),
        );
        for (const { i, r, result } of runs) {
          const fails = i % 4 === 3;
          expect({ i, code: r.code }).toEqual({ i, code: fails ? 1 : 0 });
          expect(result?.['build-status']).toBe(fails ? 'FAILED' : 'SUCCEEDED');
          expectEveryLineOnce(r.stdout, buildOf(fake, `p${i}`));
        }
        expect(fake.calls.some((c) => c.throttled)).toBe(true);
      }),
    180_000,
  );
});
