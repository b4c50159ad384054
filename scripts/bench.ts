// `npm run bench`: prints how fast and how frugal the bundle is, measured end to end against the
// local fake endpoint (a real child process, real SDK, real clocks). Figures, not pass/fail.
import { FakeAws } from '../test/fake/fake-aws';
import type { BuildScript } from '../test/fake/build-script';
import { callsPerMinute, measureRun, percentile } from './bench-support';

const ms = (n: number) => `${Math.round(n)} ms`;

/** 20 s of steady output (40 lines/s), 60 s of silence, 5 s of output up to the end; 0.5 s ingestion lag. */
function scriptedBuild(): BuildScript {
  return {
    finalStatus: 'SUCCEEDED',
    ingestionLagMs: 500,
    phases: [
      { name: 'SUBMITTED', durationMs: 100 },
      { name: 'QUEUED', durationMs: 100 },
      { name: 'PROVISIONING', durationMs: 1_000 },
      { name: 'DOWNLOAD_SOURCE', durationMs: 300, lines: ['source ok'] },
      { name: 'BUILD', durationMs: 20_000, lines: Array.from({ length: 800 }, (_, i) => `bench line ${i + 1}`) },
      { name: 'POST_BUILD', durationMs: 60_000, lines: [] },
      { name: 'UPLOAD_ARTIFACTS', durationMs: 5_000, lines: Array.from({ length: 200 }, (_, i) => `upload line ${i + 1}`) },
      { name: 'FINALIZING', durationMs: 300 },
    ],
  };
}

async function core() {
  const fake = new FakeAws().addProject('bench', scriptedBuild());
  const endpoint = await fake.start();
  const f = await measureRun(fake, endpoint, 'bench');
  await fake.stop();
  const b = f.build;
  const buildStart = b.startedAt + 1_500;
  const active = callsPerMinute(fake, b, buildStart + 2_000, buildStart + 20_000);
  const silent = callsPerMinute(fake, b, buildStart + 25_000, buildStart + 80_000);
  console.log('== one pipeline: 87 s scripted build (20 s at 40 lines/s, 60 s silent, 5 s at 40 lines/s), 0.5 s ingestion lag ==');
  console.log(`exit code                      ${f.code}`);
  console.log(`lines missing / duplicated     ${f.missing} / ${f.duplicated} of ${b.lines.length}`);
  console.log(`log latency p50 / p95 / max    ${ms(percentile(f.latenciesMs, 50))} / ${ms(percentile(f.latenciesMs, 95))} / ${ms(Math.max(...f.latenciesMs))}   (printed − readable in CloudWatch)`);
  console.log(`end-detection lag              ${ms(f.endLagMs)}   (exit − max(build end, last line readable))`);
  console.log(`API calls/min active / silent  ${active.toFixed(1)} / ${silent.toFixed(1)}`);
  console.log(`peak RSS                       ${f.peakRssMb.toFixed(0)} MB`);
  console.log(`time to StartBuild             ${ms(f.startBuildAfterMs)}   (process spawn → request at the endpoint)`);
}

async function main() {
  await core();
}

void main();
