import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/main';
import { FakeServices } from './step/fake-services';
import { capture, VirtualClock } from './support';

/** main() in-process: the plain front door, fake AWS adapters, output captured. */
async function main(env: Record<string, string>, region = 'eu-west-1') {
  const clock = new VirtualClock();
  const services = new FakeServices(clock, [{ status: 'SUCCEEDED', lines: ['hi'] }]);
  services.region = async () => region;
  const out = capture();
  const cwd = mkdtempSync(join(tmpdir(), 'main-'));
  const code = await run({ env, cwd, clock, write: out.write, services: () => services, random: () => 0.5 });
  return { code, out: out.text, services, cwd };
}

describe('main', () => {
  test('--help prints every variable and exits 0', async () => {
    const out = capture();
    expect(await run({ env: {}, argv: ['--help'], write: out.write })).toBe(0);
    expect(out.text).toContain('PROJECT_NAME');
  });

  test('settings come through the front door; the result file lands in the working directory', async () => {
    const r = await main({ PROJECT_NAME: 'app', CI: 'true' });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^INFO: Started build app:1 \(#1\) of project app$/m);
    expect(r.out).toMatch(/^✔ Build app #1 SUCCEEDED in 10s$/m);
    expect(JSON.parse(readFileSync(join(r.cwd, 'codebuild-result.json'), 'utf8'))).toMatchObject({ 'build-status': 'SUCCEEDED' });
  });

  test('bad settings: exit 2, every problem named, no AWS call', async () => {
    const r = await main({ PRIVILEGED_MODE: 'maybe' });
    expect(r.code).toBe(2);
    expect(r.out).toContain("PRIVILEGED_MODE must be true or false, got 'maybe'");
    expect(r.out).toContain('PROJECT_NAME is required');
    expect(r.services.calls).toEqual([]);
  });

  test('no region: exit 2 naming the variables, no AWS call', async () => {
    const r = await main({ PROJECT_NAME: 'app' }, '');
    expect(r.code).toBe(2);
    expect(r.out).toContain('no AWS region: set AWS_REGION or AWS_DEFAULT_REGION');
    expect(r.services.calls).toEqual([]);
  });
});
