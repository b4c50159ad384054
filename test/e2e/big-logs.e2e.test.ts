import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildScript } from '../fake/build-script';
import { buildOf, expectEveryLineOnce, useFake } from './helpers';
import { runBundle } from './run-bundle';

/** CloudWatch's largest event is 256 KB; a marker at each end proves a line arrived whole. */
const huge = (i: number) => `huge ${i} <${'x'.repeat(256 * 1024 - 64)}> end ${i}`;

const bigLog: BuildScript = {
  finalStatus: 'SUCCEEDED',
  ingestionLagMs: 300,
  phases: [
    { name: 'SUBMITTED', durationMs: 100 },
    { name: 'PROVISIONING', durationMs: 300 },
    {
      name: 'BUILD',
      durationMs: 10_000,
      lines: Array.from({ length: 100_000 }, (_, i) => (i % 25_000 === 12_345 ? huge(i) : `big log line ${i + 1} ${'·'.repeat(i % 80)}`)),
    },
    { name: 'UPLOAD_ARTIFACTS', durationMs: 100 },
  ],
};

const aws = useFake((fake) => fake.addProject('big', bigLog));

test('100,000 lines with 256 KB events: every line once, in order, whole', async () => {
  const r = await runBundle({ ...aws.env, PROJECT_NAME: 'big' }, { cwd: mkdtempSync(join(tmpdir(), 'cbr-big-')) });
  expect(r.code).toBe(0);
  const build = buildOf(aws.fake, 'big');
  expectEveryLineOnce(r.stdout, build);
  for (const i of [12_345, 37_345, 62_345, 87_345]) expect(r.stdout).toContain(`\n${huge(i)}\n`);
}, 120_000);
