import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { COVERAGE_REGEX } from '../../../src/present/gitlab-presenter';
import { type BuildScript, failingScript, successScript } from '../../fake/build-script';
import { gitlabJob } from '../../platforms/container-job';
import { gitlabSections, parseGitLabDotenv } from '../../platforms/gitlab-reports';
import { runInProcess } from './harness';

/**
 * The whole product in a GitLab job (GITLAB_CI=true and the predefined CI_* variables), in-process:
 * sections in the log, the dotenv report a later job reads, the JUnit file the merge request
 * widget reads, the coverage line the job's `coverage:` regex reads, OIDC refusals before any call.
 */
const withReports = (script: BuildScript): BuildScript => ({
  ...script,
  exportedVariables: { IMAGE_TAG: 'v1.2.3' },
  reports: [
    { group: 'unit', passed: 118, failed: [{ prefix: 'checkout', name: 'applies discount', message: 'expected 90 to equal 81' }] },
    { group: 'coverage', type: 'CODE_COVERAGE', coverage: { lines: [812, 188], branches: [50, 50] } },
  ],
});

/** The job's `coverage:` regex as GitLab applies it: the last line of the log it matches. */
const coverageOf = (log: string) => {
  const regex = new RegExp(COVERAGE_REGEX.slice(1, -1), 'm');
  return log
    .split('\n')
    .filter((l) => regex.test(l))
    .map((l) => regex.exec(l)![1])
    .at(-1);
};

describe('a GitLab job', () => {
  test('a failing build: phases as sections, the dotenv report, the JUnit file and the coverage, the verdict last', async () => {
    const r = await runInProcess({ PROJECT_NAME: 'app' }, (f) => f.addProject('app', withReports(failingScript('FAILED'))), { job: (v) => gitlabJob(v) });
    expect(r.code).toBe(1);
    const sections = gitlabSections(r.out);
    expect(sections.filter((s) => s.marker === 'start').map((s) => [s.name, s.options])).toEqual([
      ['codebuild_1_download_source', '[collapsed=true]'],
      ['codebuild_2_install', '[collapsed=true]'],
      ['codebuild_3_build', '[collapsed=true]'],
      ['codebuild_4_build_last_lines', undefined],
      ['codebuild_5_upload_artifacts', '[collapsed=true]'],
    ]);
    expect(sections.filter((s) => s.marker === 'end')).toHaveLength(5);
    expect(r.out).toContain('not ok 1 - adds numbers');

    const dotenv = parseGitLabDotenv(readFileSync(join(r.cwd, 'codebuild.env')), { bytes: 5 * 1024, variables: 20 });
    expect(dotenv).toMatchObject({ CODEBUILD_RUN_BUILD_STATUS: 'FAILED', CODEBUILD_RUN_VAR_IMAGE_TAG: 'v1.2.3', CODEBUILD_RUN_BUILD_NUMBER: '1' });
    expect(dotenv.CODEBUILD_RUN_BUILD_ID).toMatch(/^app:/);

    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(join(r.cwd, 'codebuild-junit.xml'), 'utf8'));
    expect(junit.testsuites.testsuite).toMatchObject({ name: 'app-unit', tests: '119', failures: '1' });
    expect(junit.testsuites.testsuite.testcase).toMatchObject({
      classname: 'checkout',
      name: 'applies discount',
      failure: { message: 'expected 90 to equal 81' },
    });

    expect(coverageOf(r.out)).toBe('81.2');
    expect(JSON.parse(readFileSync(join(r.cwd, 'codebuild-result.json'), 'utf8'))['build-status']).toBe('FAILED');
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(/✖ Build app #1 FAILED after .* in phase BUILD/);
    expect(r.out.lastIndexOf('section_end')).toBeLessThan(r.out.indexOf('Tests app-unit'));
  });

  test('a passing build without reports: no JUnit file (the runner says so), the outputs for later jobs', async () => {
    const r = await runInProcess({ PROJECT_NAME: 'app' }, (f) => f.addProject('app', successScript()), { job: (v) => gitlabJob(v) });
    expect(r.code).toBe(0);
    expect(existsSync(join(r.cwd, 'codebuild-junit.xml'))).toBe(false);
    expect(parseGitLabDotenv(readFileSync(join(r.cwd, 'codebuild.env')), { bytes: 5 * 1024, variables: 20 }).CODEBUILD_RUN_BUILD_STATUS).toBe('SUCCEEDED');
    expect(gitlabSections(r.out).every((s) => s.marker === 'end' || s.options === '[collapsed=true]')).toBe(true);
  });

  test('OIDC: a role without the ID token fails as a setting, before any AWS call', async () => {
    const r = await runInProcess({ PROJECT_NAME: 'app', AWS_OIDC_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci' }, (f) => f.addProject('app', successScript()), {
      job: (v) => gitlabJob(v),
    });
    expect(r.code).toBe(2);
    expect(r.out).toContain('AWS_OIDC_ROLE_ARN is set but the job has no ID token in GITLAB_OIDC_TOKEN: add `id_tokens:');
    expect(r.fake.calls).toEqual([]);
  });
});
