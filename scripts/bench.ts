// `npm run bench`: prints how fast and how frugal the bundle is, measured end to end against the
// local fake endpoint (a real child process, real SDK, real clocks). Figures, not pass/fail.
import { FakeAws } from '../test/fake/fake-aws';
import type { BuildScript } from '../test/fake/build-script';
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
  phases: [...OUTSIDE, { name: 'BUILD', durationMs: 25_000, lines: lines('build', 1_000) }, { name: 'UPLOAD_ARTIFACTS', durationMs: 5_000, lines: lines('upload', 200) }, { name: 'FINALIZING', durationMs: 300 }],
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
  console.log(`  log latency p50 / p95 / max    ${ms(percentile(a.latenciesMs, 50))} / ${ms(percentile(a.latenciesMs, 95))} / ${ms(Math.max(...a.latenciesMs))}   (printed − readable in CloudWatch)`);
  console.log(`  end-detection lag              ${ms(a.endLagMs)}   (exit − max(build end, last line readable))`);
  console.log(`  API calls/min while active     ${callsPerMinute(fake, a.build, activeFrom, activeFrom + 25_000).toFixed(1)}`);
  console.log(`  peak RSS                       ${Math.max(a.peakRssMb, q.peakRssMb).toFixed(0)} MB`);
  console.log(`  time to StartBuild             ${ms(a.startBuildAfterMs)}   (process spawn → request at the endpoint)`);
  console.log(`silent build: 5 s of lines, 120 s silent, 5 s of lines (${q.build.lines.length} lines), exit ${q.code}`);
  console.log(`  lines missing / duplicated     ${q.missing} / ${q.duplicated}`);
  console.log(`  API calls/min while silent     ${callsPerMinute(fake, q.build, silentFrom, silentFrom + 110_000).toFixed(1)}   (status + log reads)`);
  console.log(`  first line after the silence   ${ms(firstAfterSilence)} late; end-detection lag ${ms(q.endLagMs)}`);
}
async function main() {
  await core();
}

void main();
