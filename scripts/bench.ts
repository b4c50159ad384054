// `npm run bench`: prints how fast and how frugal the bundle is, measured end to end against the
// local fake endpoint (a real child process, real SDK, real clocks). Figures, not pass/fail.

import { type BuildScript, failingScript } from '../test/fake/build-script';
import { FakeAws } from '../test/fake/fake-aws';
import { artifactsBench } from './bench-artifacts';
import { QUOTA_SETS, scale } from './bench-scale';
import { callsPerMinute, measureRun, percentile } from './bench-support';
import { simScale } from './sim-scale';

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

/** 5 s of output, a silent step (a docker push), 5 s of output. */
const silentFor = (silentMs: number): BuildScript => ({
  finalStatus: 'SUCCEEDED',
  ingestionLagMs: 500,
  phases: [
    ...OUTSIDE,
    { name: 'BUILD', durationMs: 5_000, lines: lines('build', 200) },
    { name: 'POST_BUILD', durationMs: silentMs, lines: [] },
    { name: 'UPLOAD_ARTIFACTS', durationMs: 5_000, lines: lines('upload', 200) },
    { name: 'FINALIZING', durationMs: 300 },
  ],
});
const silent = silentFor(120_000);

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
/**
 * Endings the agent's last phase does not announce: a failed INSTALL (straight to FINALIZING), a
 * FAULT in PROVISIONING (no log at all), a stop from the console in the middle of a silent step.
 */
async function endings() {
  const stopped = silentFor(300_000);
  const fake = new FakeAws()
    .addProject('install-fails', failingScript('FAILED', 'INSTALL', 'npm ci: exit status 1'))
    .addProject('provisioning-fault', failingScript('FAULT', 'PROVISIONING', 'CLIENT_ERROR: image not found'))
    .addProject('stopped-in-silence', stopped);
  const endpoint = await fake.start();
  const stopLater = setTimeout(() => {
    const build = [...fake.builds.values()].find((b) => b.project === 'stopped-in-silence');
    if (build) build.stoppedAt = Date.now();
  }, 45_000);
  const [i, p, st] = await Promise.all(['install-fails', 'provisioning-fault', 'stopped-in-silence'].map((name) => measureRun(fake, endpoint, name)));
  clearTimeout(stopLater);
  await fake.stop();
  console.log('== endings the log does not announce (verdict lag after the build ended) ==');
  console.log(`  INSTALL failed, straight to FINALIZING   ${ms(i!.endLagMs)}   (exit ${i!.code})`);
  console.log(`  FAULT in PROVISIONING, no log             ${ms(p!.endLagMs)}   (exit ${p!.code})`);
  console.log(`  stopped from the console, mid-silence     ${ms(st!.endLagMs)}   (exit ${st!.code})`);
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

/**
 * `npm run bench` (everything), or one part: `core`, `endings`, `big`, `artifacts`, `scale` (both quota sets,
 * 1/5/20/50 pipelines), `scale tight 20,50`, `sim` (the same crowds on the discrete-event clock,
 * three seeds each, both quota rules), `sim tight 20,50`.
 */
async function main() {
  const [only, quotaSet, sizes] = process.argv.slice(2);
  if (!only || only === 'core') await core();
  if (!only || only === 'endings') await endings();
  if (!only || only === 'scale') {
    const sets = quotaSet ? [quotaSet as keyof typeof QUOTA_SETS] : (Object.keys(QUOTA_SETS) as (keyof typeof QUOTA_SETS)[]);
    await scale(sizes ? sizes.split(',').map(Number) : [1, 5, 20, 50], sets);
  }
  if (!only || only === 'sim') {
    const sets = quotaSet ? [quotaSet as keyof typeof QUOTA_SETS] : (Object.keys(QUOTA_SETS) as (keyof typeof QUOTA_SETS)[]);
    const n = sizes ? sizes.split(',').map(Number) : [1, 5, 20, 50];
    await simScale(n, sets, [1, 2, 3], 'bucket');
    await simScale(
      n.filter((x) => x >= 20),
      sets,
      [1, 2, 3],
      'window',
    );
  }
  if (!only || only === 'big') await bigLog();
  if (!only || only === 'artifacts') await artifactsBench();
}

void main();
