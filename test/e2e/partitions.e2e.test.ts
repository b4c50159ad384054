import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { successScript } from '../fake/build-script';
import { FakeAws } from '../fake/fake-aws';
import { awsEnv, readJson, runBundle } from './run-bundle';

/**
 * Builds in the China and GovCloud partitions: their ARNs say `aws-cn` / `aws-us-gov`, and their
 * consoles live at console.amazonaws.cn and console.amazonaws-us-gov.com.
 */
describe.each([
  ['aws-cn', 'cn-north-1', 'https://cn-north-1.console.amazonaws.cn'],
  ['aws-us-gov', 'us-gov-west-1', 'https://us-gov-west-1.console.amazonaws-us-gov.com'],
])('the %s partition', (partition, region, host) => {
  const fake = new FakeAws({ place: { partition, region } }).addProject('app', successScript({ lines: ['hi'] }));
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { ...awsEnv(await fake.start()), AWS_REGION: region };
  });
  afterAll(() => fake.stop());

  test("console links point at that partition's console", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbr-partition-'));
    const r = await runBundle({ ...env, PROJECT_NAME: 'app' }, { cwd: dir });
    expect(r.code).toBe(0);
    const build = fake.onlyBuild;
    expect(build.arn.startsWith(`arn:${partition}:codebuild:${region}:`)).toBe(true);
    const result = readJson(join(dir, 'codebuild-result.json'))!;
    expect(result['build-url']).toBe(`${host}/codesuite/codebuild/123456789012/projects/app/build/${encodeURIComponent(build.id)}/?region=${region}`);
    expect(result['logs-url']!.startsWith(`${host.replace(`${region}.`, '')}/cloudwatch/`)).toBe(true);
  });
});
