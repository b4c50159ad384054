import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildScript } from '../fake/build-script';
import { buildOf, expectEveryLineOnce, numbered, useFake } from './helpers';
import { runBundle } from './run-bundle';

/**
 * CloudWatch serves pages that are "partially full, or even empty" while more events wait (the
 * GetLogEvents API reference; ~285-event pages in boto/boto3#4472): the fake here caps pages at
 * 300 events, picks their sizes at random and slips in empty pages with new tokens.
 */
const burstAtTheEnd: BuildScript = {
  finalStatus: 'SUCCEEDED',
  ingestionLagMs: 500,
  phases: [
    { name: 'SUBMITTED', durationMs: 100 },
    { name: 'PROVISIONING', durationMs: 300 },
    { name: 'BUILD', durationMs: 4_000, lines: numbered('steady', 40) },
    // 3,000 lines in the build's last 2 s
    { name: 'POST_BUILD', durationMs: 2_000, lines: numbered('burst', 3_000) },
    { name: 'UPLOAD_ARTIFACTS', durationMs: 50 },
  ],
};
const long: BuildScript = {
  ...burstAtTheEnd,
  phases: [
    { name: 'BUILD', durationMs: 20_000, lines: numbered('history', 20_000) },
    { name: 'UPLOAD_ARTIFACTS', durationMs: 50 },
  ],
};

const aws = useFake((fake) => fake.addProject('burst', burstAtTheEnd), { maxPageEvents: 300, emptyPageRate: 0.05, seed: 4 });
const run = (env: Record<string, string>) => runBundle({ ...aws.env, ...env }, { cwd: mkdtempSync(join(tmpdir(), 'cbr-pages-')) });

describe('log pages as CloudWatch serves them: short and empty pages are not the end', () => {
  test.concurrent('3,000 lines in the last 2 s: every line once, in order, nothing cut', async () => {
    const r = await run({ PROJECT_NAME: 'burst' });
    expect(r.code).toBe(0);
    expectEveryLineOnce(r.stdout, buildOf(aws.fake, 'burst'));
    expect(r.stdout).not.toContain('Stopped reading the log');
  });

  test.concurrent('build-id of a build that ended a minute ago with 20,000 lines: every line once', async () => {
    const build = aws.fake.addFinishedBuild('history', long, 60_000);
    const r = await run({ BUILD_ID: build.id });
    expect(r.code).toBe(0);
    expectEveryLineOnce(r.stdout, build);
    expect(r.stdout).not.toContain('Stopped reading the log');
  }, 120_000);
});

describe('a quiet stretch is a run of empty pages, not the end of the log', () => {
  const quiet = useFake(() => undefined, { gapEmptyPages: { afterMs: 60_000, pages: 40 } });

  test('build-id of a build that slept 20 minutes mid-log: the lines after the sleep are printed too', async () => {
    const slept: BuildScript = {
      finalStatus: 'SUCCEEDED',
      phases: [
        { name: 'BUILD', durationMs: 2_000, lines: numbered('before', 20) },
        { name: 'POST_BUILD', durationMs: 20 * 60_000, lines: [] },
        { name: 'UPLOAD_ARTIFACTS', durationMs: 50 },
      ],
      extraLines: numbered('after', 20).map((message, i) => ({ atMs: 20 * 60_000 + 1_000 + i, message })),
    };
    const build = quiet.fake.addFinishedBuild('slept', slept, 60_000);
    const r = await runBundle({ ...quiet.env, BUILD_ID: build.id }, { cwd: mkdtempSync(join(tmpdir(), 'cbr-pages-')) });
    expect(r.code).toBe(0);
    expectEveryLineOnce(r.stdout, build);
  });
});
