import type { BuildScript } from './build-script';

/** A build that looks and paces like a real one: npm install, tests, a docker build, a quiet push. */
export function demoScript(fail = false): BuildScript {
  const install = ['Running command npm ci', ...Array.from({ length: 40 }, (_, i) => `added ${i * 7 + 3} packages in ${(i * 0.1).toFixed(1)}s`)];
  const tests = Array.from({ length: 120 }, (_, i) =>
    fail && i === 97 ? `  ✗ checkout › applies discount (${i} ms)` : `  ✓ suite ${Math.floor(i / 10) + 1} › case ${(i % 10) + 1} (${i % 13} ms)`,
  );
  const docker = [
    'Running command docker build -t app .',
    ...Array.from({ length: 30 }, (_, i) => `#${i + 1} [${i + 1}/30] RUN step ${i + 1}`),
    'Successfully built 3f2a9c1d5e7b',
  ];
  return {
    finalStatus: fail ? 'FAILED' : 'SUCCEEDED',
    ingestionLagMs: 500,
    phases: [
      { name: 'SUBMITTED', durationMs: 200 },
      { name: 'QUEUED', durationMs: 300 },
      { name: 'PROVISIONING', durationMs: 1_500 },
      { name: 'DOWNLOAD_SOURCE', durationMs: 500, lines: ['CODEBUILD_SRC_DIR=/codebuild/output/src123/src/github.com/acme/app'] },
      { name: 'INSTALL', durationMs: 2_000, lines: install },
      { name: 'PRE_BUILD', durationMs: 1_000, lines: ['Running command npm run lint', 'No lint errors found.'] },
      fail
        ? {
            name: 'BUILD',
            durationMs: 4_000,
            lines: ['Running command npm test', ...tests, 'Tests: 1 failed, 119 passed, 120 total'],
            status: 'FAILED',
            message: 'Error while executing command: npm test. Reason: exit status 1',
          }
        : { name: 'BUILD', durationMs: 5_000, lines: ['Running command npm test', ...tests, 'Tests: 120 passed, 120 total', ...docker] },
      // Pushing an image: minutes of silence in real life, 4 s here.
      {
        name: 'POST_BUILD',
        durationMs: 4_500,
        lines: ['Running command docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:3f2a9c1', 'latest: digest: sha256:9b2c… size: 2413'],
      },
      { name: 'UPLOAD_ARTIFACTS', durationMs: 300 },
      { name: 'FINALIZING', durationMs: 500 },
    ],
    exportedVariables: { IMAGE_TAG: '3f2a9c1' },
  };
}
