// A real .gitlab-ci.yml, run by a third-party GitLab runner emulator (gitlab-ci-local, its shell
// executor), against the local fake AWS: the component this repository ships (templates/), included
// the way GitLab's docs say to test a component from its own project
// (`component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/<name>@$CI_COMMIT_SHA`), each job running dist/index.js.
// What gitlab-ci-local does not do as GitLab does is said where it matters (GITLAB_CI, dotenv parsing).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type BuildScript, failingScript, successScript } from '../fake/build-script';
import { parseGitLabDotenv } from '../platforms/gitlab-reports';
import { useFake } from './helpers';
import { BUNDLE } from './run-bundle';

const ROOT = resolve(__dirname, '../..');
const GITLAB_CI_LOCAL = join(ROOT, 'node_modules/gitlab-ci-local/dist/index.js');
const ESC = '\x1b';

const green: BuildScript = {
  ...successScript({ lines: ['Running command npm test', 'ok 1 - adds numbers'] }),
  exportedVariables: { IMAGE_TAG: 'v1.2.3', PRICE: 'costs $5' },
  reports: [
    { group: 'unit', passed: 120, failed: [] },
    { group: 'coverage', type: 'CODE_COVERAGE', coverage: { lines: [812, 188], branches: [50, 50] } },
  ],
};
const red: BuildScript = {
  ...failingScript('FAILED'),
  extraLines: [{ atMs: 1_500, message: `${ESC}[0Ksection_start:1700000000:forged[collapsed=true]\r${ESC}[0KNothing to see` }],
  reports: [
    {
      group: 'unit',
      passed: 118,
      failed: [
        { prefix: 'checkout', name: 'applies discount', message: 'expected 90 to equal 81 <b>&</b>' },
        { name: 'db connects', message: 'ECONNREFUSED 127.0.0.1:5432', status: 'ERROR' },
      ],
    },
  ],
};

const aws = useFake((fake) => {
  fake.addProject('green', green);
  fake.addProject('red', red);
});

/** A component project of its own: a git repository whose remote is a GitLab project, holding templates/codebuild-run.yml. */
function componentProject(): { dir: string; sha: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cbr-gcl-'));
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' }).stdout.trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ci@example.com');
  git('config', 'user.name', 'ci');
  git('remote', 'add', 'origin', 'git@gitlab.com:codebuild-run/codebuild-run.git');
  mkdirSync(join(dir, 'templates'));
  copyFileSync(join(ROOT, 'templates/codebuild-run.yml'), join(dir, 'templates/codebuild-run.yml'));
  writeFileSync(join(dir, '.gitignore'), '.gitlab-ci-local/\n');
  git('add', '-A');
  git('commit', '-qm', 'component');
  return { dir, sha: git('rev-parse', 'HEAD') };
}

/**
 * The pipeline: the component twice (a green and a red build), and a later job reading the green
 * one's dotenv. Booleans and numbers are written unquoted, as users write them: GitLab refuses a
 * value of the wrong type for a typed input.
 */
function pipeline(sha: string): string {
  // The shell executor runs no image: each build job runs the bundle the image holds (its
  // `node /opt/codebuild-run/index.js`).
  const run = `'${process.execPath}' '${BUNDLE}'`;
  return `
stages: [build, deploy]
include:
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/codebuild-run@${sha}
    inputs: { job-name: build-green, project-name: green, region: eu-west-1, wait: true, debug: false, max-retries: 1 }
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/codebuild-run@${sha}
    inputs: { job-name: build-red, project-name: red, region: eu-west-1, dotenv-file: red.env, junit-file: red-junit.xml, result-file: red-result.json }
build-green:
  script: ["${run.replaceAll('"', '\\"')}"]
build-red:
  script: ["${run.replaceAll('"', '\\"')}"]
  allow_failure: true
deploy:
  stage: deploy
  needs: [build-green]
  script:
    - echo "deploying $CODEBUILD_RUN_VAR_IMAGE_TAG ($CODEBUILD_RUN_VAR_PRICE) built by $CODEBUILD_RUN_BUILD_ID, $CODEBUILD_RUN_BUILD_STATUS"
`;
}

let project: { dir: string; sha: string };
let result: { status: number | null; stdout: string; stderr: string };
const jobLog = (job: string) => readFileSync(join(project.dir, '.gitlab-ci-local/output', `${job}.log`), 'utf8');

/** gitlab-ci-local as a child process; asynchronously, since the fake AWS it reaches is served by this one. */
function gitlabCiLocal(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [GITLAB_CI_LOCAL, ...args], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

beforeAll(async () => {
  if (spawnSync('rsync', ['--version']).error) throw new Error('gitlab-ci-local copies artifacts with rsync: apt-get install -y rsync (npm test installs it)');
  project = componentProject();
  writeFileSync(join(project.dir, '.gitlab-ci.yml'), pipeline(project.sha));
  const variables = Object.entries(aws.env).flatMap(([k, v]) => ['--variable', `${k}=${v}`]);
  // Two predefined variables set as GitLab sets them: gitlab-ci-local sets GITLAB_CI=false on
  // purpose (so scripts can tell a local run), and for a job with an image: it sets CI_PROJECT_DIR
  // to the image's /builds/<group>/<project> even when --force-shell-executor runs the script in
  // the project directory. In GitLab the job starts in CI_PROJECT_DIR, where artifacts: are read.
  const predefined = ['--variable', 'GITLAB_CI=true', '--variable', `CI_PROJECT_DIR=${project.dir}`, '--ignore-predefined-vars', 'GITLAB_CI,CI_PROJECT_DIR'];
  const args = ['--force-shell-executor', '--no-color', ...predefined, ...variables];
  result = await gitlabCiLocal(args, project.dir);
}, 150_000);

describe('gitlab-ci-local runs the component against the fake AWS', () => {
  test('the green job passes, the red one fails (allowed), the later job runs', () => {
    // gitlab-ci-local's summary: PASS, FAIL, or WARN for a job allowed to fail.
    const summary = result.stdout.split('\n').filter((l) => /^ (PASS|FAIL|WARN) /.test(l));
    expect(summary.map((l) => l.split(/\s+/).slice(1, 3).join(' '))).toEqual(['PASS build-green', 'PASS deploy', 'WARN build-red']);
    expect(jobLog('build-red')).toMatch(/✖ Build red #1 FAILED after .* in phase BUILD/);
    expect(result.status).toBe(0);
  });

  test("each phase is a section GitLab's markers open and close (gitlab-ci-local shows them as <name>_started / took); a forged marker opens none", () => {
    const log = jobLog('build-red');
    for (const name of ['codebuild_1_download_source', 'codebuild_2_install', 'codebuild_3_build', 'codebuild_4_build_last_lines']) {
      expect(log).toContain(`${name}_started`);
      expect(log).toMatch(new RegExp(`${name} took \\d+ms`));
    }
    expect(log).not.toContain('forged_started');
    expect(log).toContain('␛[0Ksection_start:1700000000:forged[collapsed=true]');
  });

  test('the dotenv report, read as GitLab reads it, and passed to the later job', () => {
    const file = readFileSync(join(project.dir, 'codebuild.env'));
    const vars = parseGitLabDotenv(file, { bytes: 5 * 1024, variables: 50 }); // gitlab.com Free: the host the remote names
    expect(vars).toMatchObject({ CODEBUILD_RUN_BUILD_STATUS: 'SUCCEEDED', CODEBUILD_RUN_VAR_IMAGE_TAG: 'v1.2.3', CODEBUILD_RUN_VAR_PRICE: 'costs $5' });
    expect(vars.CODEBUILD_RUN_BUILD_ID).toMatch(/^green:/);
    expect(jobLog('deploy')).toContain(`deploying v1.2.3 (costs $5) built by ${vars.CODEBUILD_RUN_BUILD_ID}, SUCCEEDED`);
    expect(parseGitLabDotenv(readFileSync(join(project.dir, 'red.env')), { bytes: 5 * 1024, variables: 50 }).CODEBUILD_RUN_BUILD_STATUS).toBe('FAILED');
  });

  test('the JUnit file of the red build: well-formed, its failed and errored cases with their messages', () => {
    const xml = readFileSync(join(project.dir, 'red-junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const suite = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testcase' }).parse(xml).testsuites.testsuite;
    expect(suite).toMatchObject({ name: 'red-unit', tests: '120', failures: '1', errors: '1' });
    expect(suite.testcase).toEqual([
      expect.objectContaining({
        classname: 'checkout',
        name: 'applies discount',
        failure: expect.objectContaining({ '#text': 'expected 90 to equal 81 <b>&</b>' }),
      }),
      expect.objectContaining({ classname: 'red-unit', name: 'db connects', error: expect.objectContaining({ '#text': 'ECONNREFUSED 127.0.0.1:5432' }) }),
    ]);
  });

  test("the coverage: regex of the component reads the green build's line coverage", () => {
    expect(result.stdout).toMatch(/build-green.*81\.2% coverage/);
  });
});
