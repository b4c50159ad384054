import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, importNodeBase, podman, podmanMissing } from '../../scripts/release-image';
import { failingScript, successScript } from '../fake/build-script';
import { buildOf, expectEveryLineOnce, numbered, useFake } from './helpers';
import { readJson, runBundle } from './run-bundle';

/**
 * The image as `docker run` in any CI runs it: built with podman from the repo's Dockerfile on a
 * local Node 24 base (no registry here), run against the fake endpoint on the host network. The
 * build is scripts/release-image.ts's, which the release dry run (`npm run release -- --dry-run`) uses too.
 */
const IMAGE = 'localhost/codebuild-run:e2e';
const BASE = 'localhost/codebuild-run-node24-base:e2e';

const missing = podmanMissing();
if (missing) {
  // Said out loud, and reported by jest as skipped: never a silent pass.
  console.warn(`SKIPPED container tests: ${missing} (npm test installs podman + runc with apt-get when it can).`);
}

(missing ? describe.skip : describe)('container image (podman build + run)', () => {
  const aws = useFake((fake) => {
    fake.addProject('img-ok', successScript({ lines: numbered('img-ok', 20) }));
    fake.addProject('img-fail', failingScript('FAILED'));
  });

  beforeAll(() => {
    importNodeBase(BASE);
    buildImage({ tag: IMAGE, base: BASE, version: 'e2e' });
  }, 180_000);

  // This sandbox refuses raising rlimits; podman's defaults would, so pin them below the host's.
  const run = (env: Record<string, string>, workdir: string) =>
    runBundle(
      {},
      {
        command: [
          'podman',
          '--runtime',
          'runc',
          'run',
          '--rm',
          '--network',
          'host',
          '--ulimit',
          'nofile=4096:4096',
          '--ulimit',
          'nproc=4096:4096',
          '-v',
          `${workdir}:/work`,
          '-w',
          '/work',
          ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
          IMAGE,
        ],
      },
    );

  test('the image holds only the bundle and the licences it must ship, labelled', () => {
    const labels = JSON.parse(podman('image', 'inspect', IMAGE, '--format', '{{json .Labels}}'));
    expect(labels).toMatchObject({ 'org.opencontainers.image.version': 'e2e', 'org.opencontainers.image.licenses': 'MIT' });
    expect(labels['org.opencontainers.image.source']).toMatch(/^https:\/\//);
    expect(
      podman(
        'run',
        '--rm',
        '--ulimit',
        'nofile=4096:4096',
        '--ulimit',
        'nproc=4096:4096',
        '--entrypoint',
        'node',
        IMAGE,
        '-e',
        'console.log(require("fs").readdirSync("/opt/codebuild-run").join(","))',
      ).trim(),
    ).toBe('LICENSE,index.js,licenses.txt'); // ours, and every bundled dependency's (dist/licenses.txt)
  });

  test('success: exit 0, lines and ✔ through the container, result file in the working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbr-img-'));
    const r = await run({ ...aws.env, PROJECT_NAME: 'img-ok' }, dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✔ Build img-ok #1 SUCCEEDED/);
    expectEveryLineOnce(r.stdout, buildOf(aws.fake, 'img-ok'));
    expect(readJson(join(dir, 'codebuild-result.json'))).toMatchObject({ 'build-status': 'SUCCEEDED' });
  }, 60_000);

  test('failure: exit 1 and ✖ with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbr-img-'));
    const r = await run({ ...aws.env, PROJECT_NAME: 'img-fail' }, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✖ Build img-fail #1 FAILED after \ds in phase BUILD: COMMAND_EXECUTION_ERROR/);
  }, 60_000);

  test('--help through the container', async () => {
    const r = await runBundle(
      {},
      { command: ['podman', '--runtime', 'runc', 'run', '--rm', '--ulimit', 'nofile=4096:4096', '--ulimit', 'nproc=4096:4096', IMAGE, '--help'] },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PROJECT_NAME');
  }, 60_000);
});
