import type { BuildScript } from '../fake/build-script';

/** A line written at t is readable at t + this (the fake's default). */
export const LAG_MS = 500;

/** A build of `buildMs` writing 40 lines a second, as the neighbours of issue 11 were measured on. */
function steadyBuild(name: string, buildMs: number): BuildScript {
  return {
    finalStatus: 'SUCCEEDED',
    ingestionLagMs: LAG_MS,
    phases: [
      { name: 'SUBMITTED', durationMs: 100 },
      { name: 'QUEUED', durationMs: 100 },
      { name: 'PROVISIONING', durationMs: 1_000 },
      { name: 'DOWNLOAD_SOURCE', durationMs: 300, lines: ['source ok'] },
      { name: 'BUILD', durationMs: buildMs, lines: Array.from({ length: (buildMs / 1000) * 40 }, (_, i) => `${name} line ${i + 1}`) },
      { name: 'UPLOAD_ARTIFACTS', durationMs: 100 },
      { name: 'FINALIZING', durationMs: 200 },
    ],
  };
}

/** The standard build: 12 s, 480 lines. */
export const standardBuild = (name: string): BuildScript => steadyBuild(name, 12_000);

/** Three minutes, 7,200 lines: long enough for shares to settle. */
export const longBuild = (name: string): BuildScript => steadyBuild(name, 180_000);
