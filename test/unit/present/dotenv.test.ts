import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Outputs } from '../../../src/domain/outputs';
import { DOTENV_MAX_VARIABLES, dotenvEntries, dotenvFile, dotenvFileSink } from '../../../src/present/dotenv';
import { parseGitLabDotenv } from '../../platforms/gitlab-reports';

/** GitLab's defaults: 5 KB, and the self-managed variable limit. */
const GITLAB = { bytes: 5 * 1024, variables: 20 };
const asGitLabReads = (text: string, variables = GITLAB.variables) => parseGitLabDotenv(Buffer.from(text), { ...GITLAB, variables });

const build: Outputs = {
  'build-id': 'app:0f1e2d3c-aaaa-bbbb-cccc-000000000001',
  'build-status': 'SUCCEEDED',
  'build-url': 'https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/app/build/app%3A0f1e/?region=eu-west-1',
  'logs-url': 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252Fapp',
  'exported-variables': JSON.stringify({ IMAGE_TAG: 'v1.2.3', PRICE: 'costs $5', 'BAD-NAME': 'x', CERT: 'line1\nline2' }),
};

describe('dotenv for GitLab: what GitLab reads is what the outputs say', () => {
  test('outputs as CODEBUILD_RUN_<OUTPUT>, exported variables each as CODEBUILD_RUN_VAR_<NAME>, values exact after the runner expands them', () => {
    const file = dotenvFile(dotenvEntries(build), 20);
    const read = asGitLabReads(file.text);
    expect(read).toMatchObject({
      CODEBUILD_RUN_BUILD_ID: build['build-id'],
      CODEBUILD_RUN_BUILD_STATUS: 'SUCCEEDED',
      CODEBUILD_RUN_BUILD_URL: build['build-url'],
      CODEBUILD_RUN_LOGS_URL: build['logs-url'],
      CODEBUILD_RUN_VAR_IMAGE_TAG: 'v1.2.3',
      CODEBUILD_RUN_VAR_PRICE: 'costs $5',
      // The JSON keeps what a variable of its own cannot hold (a name GitLab refuses, several lines).
      CODEBUILD_RUN_EXPORTED_VARIABLES: build['exported-variables'],
    });
    expect(Object.keys(read).every((k) => k.startsWith('CODEBUILD_RUN_'))).toBe(true);
    expect(file.leftOut).toEqual(['CODEBUILD_RUN_VAR_BAD-NAME (not a name GitLab accepts)', 'CODEBUILD_RUN_VAR_CERT (several lines)']);
  });

  test('never more variables than the plan takes: the most wanted first, the rest named as left out', () => {
    const many = JSON.stringify(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`V${i}`, `${i}`])));
    const file = dotenvFile(dotenvEntries({ ...build, 'exported-variables': many }), DOTENV_MAX_VARIABLES.selfManaged);
    const read = asGitLabReads(file.text);
    expect(Object.keys(read)).toHaveLength(20);
    expect(read.CODEBUILD_RUN_BUILD_ID).toBe(build['build-id']);
    expect(file.leftOut).toContain('CODEBUILD_RUN_VAR_V29 (over 20 variables)');
    expect(file.leftOut).toContain('CODEBUILD_RUN_EXPORTED_VARIABLES (over 20 variables)');
    expect(Object.keys(asGitLabReads(dotenvFile(dotenvEntries({ ...build, 'exported-variables': many }), 50).text, 50))).toHaveLength(35);
  });

  test('never 5 KB: a value too big is left out, smaller ones after it still go', () => {
    const artifacts = JSON.stringify(Array.from({ length: 300 }, (_, i) => `build-output/file-${i}.js`));
    const file = dotenvFile(dotenvEntries({ ...build, artifacts, 'artifacts-dir': '/builds/app/build-output' }), 20);
    expect(Buffer.byteLength(file.text)).toBeLessThan(5 * 1024);
    expect(() => asGitLabReads(file.text)).not.toThrow();
    expect(file.leftOut).toEqual(expect.arrayContaining(['CODEBUILD_RUN_ARTIFACTS (over 5 KB)']));
    expect(asGitLabReads(file.text).CODEBUILD_RUN_ARTIFACTS_DIR).toBe('/builds/app/build-output');
  });

  test('a value GitLab would change (spaces at an end) is left out rather than altered', () => {
    const file = dotenvFile([['CODEBUILD_RUN_VAR_PADDED', ' x ']], 20);
    expect(file).toEqual({ text: '', leftOut: ['CODEBUILD_RUN_VAR_PADDED (spaces at an end, which GitLab strips)'] });
  });

  test('the file: written from the first output on (a killed job still leaves the build id), one warning naming what was left out', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cbr-dotenv-')), 'codebuild.env');
    const warnings: string[] = [];
    const sink = dotenvFileSink(path, 20, (m) => warnings.push(m));
    sink.set({ 'build-id': build['build-id'] });
    expect(readFileSync(path, 'utf8')).toBe(`CODEBUILD_RUN_BUILD_ID=${build['build-id']}\n`);
    sink.set({ 'build-status': 'FAILED', 'exported-variables': build['exported-variables'] });
    sink.set({ 'build-status': 'FAILED' });
    expect(asGitLabReads(readFileSync(path, 'utf8')).CODEBUILD_RUN_BUILD_STATUS).toBe('FAILED');
    expect(warnings).toEqual([
      `Left out of the dotenv file ${path} (GitLab takes 20 variables at most, under 5 KB, one line each): CODEBUILD_RUN_VAR_BAD-NAME (not a name GitLab accepts), CODEBUILD_RUN_VAR_CERT (several lines)`,
    ]);
  });
});

describe("the test's GitLab parser follows GitLab", () => {
  test('refuses what GitLab refuses', () => {
    expect(() => asGitLabReads('A=1\n\nB=2\n')).toThrow('Invalid Format');
    expect(() => asGitLabReads('A-B=1\n')).toThrow(/only letters, digits/);
    expect(() => asGitLabReads(`A=${'x'.repeat(5 * 1024)}\n`)).toThrow(/Too Big/);
    expect(() => asGitLabReads('A=1\nB=2\n', 1)).toThrow('cannot have more than 1 variables');
    expect(asGitLabReads(' KEY1 = "quoted" \nX=a=b\n')).toEqual({ KEY1: '"quoted"', X: 'a=b' });
  });
});
