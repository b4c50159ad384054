// `npm run bench`: prints how fast and how frugal the bundle is, measured end to end against the
// local fake endpoint (a real child process, real SDK, real clocks). Figures, not pass/fail.

import type { BuildScript } from '../test/fake/build-script';
import { FakeAws } from '../test/fake/fake-aws';
import { callsPerMinute, measureRun, percentile } from './bench-support';

const ms = (n: number) => `${Math.round(n)} ms`;

const OUTSIDE = [
  { name: 'SUBMITTED', durationMs: 100 },
  { name: 'QUEUED', durationMs: 100 },
  { name: 'PROVISIONING', durationMs: 1_000 },
  { name: 'DOWNLOAD_SOURCE', durationMs: 300, lines: ['source ok'] },
] as const;
const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} line ${i + 1}`);

/** 30 s of steady output at 40 lines/s up to the end, 0.5 s ingestion lag. */
const steady: BuildScript = {
  finalStatus: 'SUCCEEDED',
  ingestionLagMs: 500,
  phases: [
    ...OUTSIDE,
    { name: 'BUILD', durationMs: 25_000, lines: lines('build', 1_000) },
    { name: 'UPLOAD_ARTIFACTS', durationMs: 5_000, lines: lines('upload', 200) },
    { name: 'FINALIZING', durationMs: 300 },
  ],
};

/** 5 s of output, 120 s of silence (a docker push), 5 s of output. */
const silent: BuildScript = {
  finalStatus: 'SUCCEEDED',
  ingestionLagMs: 500,
  phases: [
    ...OUTSIDE,
    { name: 'BUILD', durationMs: 5_000, lines: lines('build', 200) },
    { name: 'POST_BUILD', durationMs: 120_000, lines: [] },
    { name: 'UPLOAD_ARTIFACTS', durationMs: 5_000, lines: lines('upload', 200) },
    { name: 'FINALIZING', durationMs: 300 },
  ],
};

async function core() {
  const fake = new FakeAws().addProject('steady', steady).addProject('silent', silent);
  const endpoint = await fake.start();
  const [a, q] = await Promise.all([measureRun(fake, endpoint, 'steady'), measureRun(fake, endpoint, 'silent')]);
  await fake.stop();
  const activeFrom = a.build.startedAt + 2_000;
  const silentFrom = q.build.startedAt + 1_500 + 5_000 + 5_000;
  const firstAfterSilence = q.latenciesMs[q.build.lines.findIndex((l) => l.message.startsWith('upload line 1\n'))]!;
  console.log('== one pipeline, 0.5 s ingestion lag ==');
  console.log(`steady build: 30 s at 40 lines/s up to the end (${a.build.lines.length} lines), exit ${a.code}`);
  console.log(`  lines missing / duplicated     ${a.missing} / ${a.duplicated}`);
  console.log(
    `  log latency p50 / p95 / max    ${ms(percentile(a.latenciesMs, 50))} / ${ms(percentile(a.latenciesMs, 95))} / ${ms(Math.max(...a.latenciesMs))}   (printed − readable in CloudWatch)`,
  );
  console.log(`  end-detection lag              ${ms(a.endLagMs)}   (exit − max(build end, last line readable))`);
  console.log(`  API calls/min while active     ${callsPerMinute(fake, a.build, activeFrom, activeFrom + 25_000).toFixed(1)}`);
  console.log(`  peak RSS                       ${Math.max(a.peakRssMb, q.peakRssMb).toFixed(0)} MB`);
  console.log(`  time to StartBuild             ${ms(a.startBuildAfterMs)}   (process spawn → request at the endpoint)`);
  console.log(`silent build: 5 s of lines, 120 s silent, 5 s of lines (${q.build.lines.length} lines), exit ${q.code}`);
  console.log(`  lines missing / duplicated     ${q.missing} / ${q.duplicated}`);
  console.log(`  API calls/min while silent     ${callsPerMinute(fake, q.build, silentFrom, silentFrom + 110_000).toFixed(1)}   (status + log reads)`);
  console.log(`  first line after the silence   ${ms(firstAfterSilence)} late; end-detection lag ${ms(q.endLagMs)}`);
}
/** A pipeline's build: 20 s at 20 lines/s, 20 s silent, 5 s of lines to the end. */
const pipelineBuild = (name: string): BuildScript => ({
  finalStatus: 'SUCCEEDED',
  ingestionLagMs: 500,
  phases: [
    ...OUTSIDE,
    { name: 'BUILD', durationMs: 20_000, lines: lines(name, 400) },
    { name: 'POST_BUILD', durationMs: 20_000, lines: [] },
    { name: 'UPLOAD_ARTIFACTS', durationMs: 5_000, lines: lines(`${name} upload`, 100) },
    { name: 'FINALIZING', durationMs: 300 },
  ],
});

/** The fake's per-second quotas, shared by every pipeline (account-wide, like AWS's). */
const QUOTAS = { GetLogEvents: 25, BatchGetBuilds: 10, StartBuild: 10 };

async function scale(n: number) {
  const fake = new FakeAws({ quotas: QUOTAS });
  for (let i = 0; i < n; i++) fake.addProject(`pipe${i}`, pipelineBuild(`pipe${i}`));
  const endpoint = await fake.start();
  const started = Date.now();
  const runs = await Promise.all(Array.from({ length: n }, (_, i) => measureRun(fake, endpoint, `pipe${i}`)));
  const minutes = (Date.now() - started) / 60_000;
  await fake.stop();
  const latencies = runs.flatMap((r) => r.latenciesMs);
  const throttled = fake.calls.filter((c) => c.throttled).length;
  const lost = runs.reduce((s, r) => s + r.missing + r.duplicated, 0);
  const failed = runs.filter((r) => r.code !== 0).length;
  console.log(
    `${String(n).padStart(3)} pipelines  ${(fake.calls.length / minutes).toFixed(0).padStart(5)} calls/min (${(fake.calls.length / minutes / n).toFixed(0)} each)  ` +
      `throttled ${((100 * throttled) / fake.calls.length).toFixed(1).padStart(4)}%  p95 latency ${ms(percentile(latencies, 95)).padStart(8)}  ` +
      `peak RSS ${Math.max(...runs.map((r) => r.peakRssMb)).toFixed(0)} MB  lines lost/duplicated ${lost}  wrong verdicts ${failed}`,
  );
}

/** 100,000 lines in 10 s, four of them 256 KB. */
async function bigLog() {
  const huge = 'x'.repeat(256 * 1024 - 64);
  const script: BuildScript = {
    finalStatus: 'SUCCEEDED',
    ingestionLagMs: 300,
    phases: [
      ...OUTSIDE,
      {
        name: 'BUILD',
        durationMs: 10_000,
        lines: Array.from({ length: 100_000 }, (_, i) => (i % 25_000 === 1 ? `huge ${i} ${huge}` : `big log line ${i + 1}`)),
      },
      { name: 'UPLOAD_ARTIFACTS', durationMs: 100 },
    ],
  };
  const fake = new FakeAws().addProject('big', script);
  const endpoint = await fake.start();
  const f = await measureRun(fake, endpoint, 'big');
  await fake.stop();
  const seconds = (f.build.endMs + f.endLagMs) / 1000;
  console.log(
    `100,000 lines (4 of 256 KB) in a 10 s build: exit ${f.code}, lost/duplicated ${f.missing}/${f.duplicated}, ` +
      `p95 latency ${ms(percentile(f.latenciesMs, 95))}, done ${ms(f.endLagMs)} after the last line, ` +
      `${Math.round(100_000 / seconds)} lines/s, peak RSS ${f.peakRssMb.toFixed(0)} MB`,
  );
}

async function main() {
  const only = process.argv[2];
  if (!only || only === 'core') await core();
  if (only === 'big') await bigLog();
  if (only === 'scale20') await scale(20);
  if (!only || only === 'scale') {
    console.log(
      `\n== many pipelines, one account: the fake enforces ${Object.entries(QUOTAS)
        .map(([k, v]) => `${k} ${v}/s`)
        .join(', ')} ==`,
    );
    console.log('each pipeline: 20 s at 20 lines/s, 20 s silent, 5 s of lines; figures over the whole run');
    for (const n of [1, 5, 20]) await scale(n);
    await bigLog();
  }
}

void main();
