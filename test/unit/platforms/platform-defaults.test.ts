import { loadConfig } from '../../../src/config/config';
import { openFrontDoor } from '../../../src/frontdoor/open-front-door';
import { bitbucketPipe } from '../../platforms/bitbucket-pipe';
import { gitlabJob, plainContainer } from '../../platforms/container-job';
import { githubStep, runnerInputs } from '../../platforms/github-runner';
import { startOf } from '../support';

/**
 * Each platform passes defaults its own way (GitHub: every declared input, defaulted; a
 * repository pipe: pipe.yml's defaults; a docker:// pipe and docker run: nothing). Whatever the
 * way, a step that sets only what a user must set loads with no problem and no warning.
 */
const aws = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_DEFAULT_REGION: 'eu-west-1' };

/** What a user sets for each kind of run, by GitHub input name. */
const RUNS: Record<string, Record<string, string>> = {
  build: { 'project-name': 'app' },
  batch: { 'project-name': 'app', batch: 'true' },
  pipeline: { 'pipeline-name': 'deploy' },
  'pipeline attach': { 'pipeline-name': 'deploy', 'pipeline-execution-id': '0f1e2d3c-aaaa-bbbb-cccc-000000000001' },
  attach: { 'build-id': 'app:0f1e2d3c-aaaa-bbbb-cccc-000000000001' },
  'batch attach': { 'build-id': 'app:0f1e2d3c-aaaa-bbbb-cccc-000000000001', batch: 'true' },
};
const envName = (input: string) => input.toUpperCase().replace(/-/g, '_');
const asVariables = (run: Record<string, string>) => Object.fromEntries(Object.entries(run).map(([k, v]) => [envName(k), v]));

const load = (env: Record<string, string>, cwd = '/work') => {
  const door = openFrontDoor({ env, cwd, write: () => {}, isTty: false });
  return { door, config: loadConfig(door.settings, door.defaults) };
};

describe.each(Object.entries(RUNS))('%s: the platform defaults trip no rule', (_kind, run) => {
  test('GitHub Action, every declared input set as the runner sets it', () => {
    const { door, config } = load(githubStep({ with: run, env: aws }).env);
    expect(door.name).toBe('github');
    expect(config.warnings).toEqual([]);
  });

  test.each(['docker', 'repository'] as const)('Bitbucket pipe, %s form', (form) => {
    const pipe = bitbucketPipe({ form, variables: { ...(form === 'docker' && { ...aws }), ...asVariables(run) }, repositoryVariables: aws });
    const { door, config } = load(pipe.env, pipe.cloneDir);
    expect(door.name).toBe('bitbucket');
    expect(config.warnings).toEqual([]);
    expect(door.aws().problems).toEqual([]);
  });

  test('docker run, and a GitLab job', () => {
    expect(load(plainContainer({ ...aws, ...asVariables(run) }).env).config.warnings).toEqual([]);
    expect(load(gitlabJob({ ...aws, ...asVariables(run) }).env).config.warnings).toEqual([]);
  });
});

describe('defaults read the same on every platform', () => {
  test('a GitHub step with no with: values loads the table defaults', () => {
    const { config } = load(githubStep({ with: { 'project-name': 'app' } }).env);
    const plain = load(plainContainer({ PROJECT_NAME: 'app' }).env).config;
    const pick = ({ run, wait, tailLogs, maxRetries, stopOnCancel, stopOnTimeout, debug, retryOn }: typeof config) => ({
      run,
      wait,
      tailLogs,
      maxRetries,
      stopOnCancel,
      stopOnTimeout,
      debug,
      retryOn,
    });
    expect(pick(config)).toEqual(pick(plain));
    expect(pick(config)).toMatchObject({ run: { kind: 'build', start: { privilegedMode: true } }, wait: true, maxRetries: 1 });
  });

  test('a value other than the default still trips the rules, on GitHub too', () => {
    expect(() => load(githubStep({ with: { 'project-name': 'app', 'max-retries': '3' } }).env)).toThrow(
      "input 'max-retries' is set without input 'retry-on': nothing would be retried",
    );
    expect(() => load(githubStep({ with: { 'pipeline-name': 'deploy', 'privileged-mode': 'false' } }).env)).toThrow(
      /input 'pipeline-name' cannot be combined with input 'privileged-mode': a pipeline/,
    );
    const pipe = bitbucketPipe({ form: 'repository', variables: { PIPELINE_NAME: 'deploy', BATCH: 'true' }, repositoryVariables: aws });
    expect(() => load(pipe.env, pipe.cloneDir)).toThrow(/PIPELINE_NAME cannot be combined with BATCH/);
  });
});

describe('the runner helper follows actions/runner', () => {
  test('every declared input is set: the default, or the empty string when action.yml has none', () => {
    const { env } = runnerInputs({ 'project-name': 'app' });
    expect(env['INPUT_PROJECT-NAME']).toBe('app');
    expect(env['INPUT_MAX-RETRIES']).toBe('1');
    expect(env['INPUT_PRIVILEGED-MODE']).toBe('true');
    expect(env['INPUT_SOURCE-VERSION']).toBe('');
  });

  test('an undeclared with: key is a warning, and still reaches the step (which reads no such input)', () => {
    const step = githubStep({ with: { 'project-name': 'app', 'projct-name': 'typo' }, expectUnexpectedInputs: true });
    expect(step.warnings[0]).toMatch(/^Unexpected input\(s\) 'projct-name'/);
    expect(step.env['INPUT_PROJCT-NAME']).toBe('typo');
    expect(startOf(load(step.env).config).projectName).toBe('app');
    expect(() => githubStep({ with: { 'projct-name': 'typo' } })).toThrow(/Unexpected input/);
  });

  test('a repository pipe gets pipe.yml defaults; a docker:// pipe only what it lists; lists as NAME_COUNT/NAME_n', () => {
    const repo = bitbucketPipe({
      form: 'repository',
      variables: { PROJECT_NAME: 'app', ENVIRONMENT_VARIABLES: ['A=1', 'B=$BITBUCKET_COMMIT'] },
      repositoryVariables: aws,
    });
    expect(repo.env).toMatchObject({
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      PRIVILEGED_MODE: 'true',
      ENVIRONMENT_VARIABLES_COUNT: '2',
      ENVIRONMENT_VARIABLES_0: 'A=1',
    });
    expect(repo.env.ENVIRONMENT_VARIABLES_1).toBe(`B=${repo.env.BITBUCKET_COMMIT}`);
    const docker = bitbucketPipe({ form: 'docker', variables: { PROJECT_NAME: 'app' }, repositoryVariables: aws });
    expect(docker.env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(docker.env.PRIVILEGED_MODE).toBeUndefined();
    expect(docker.env.BITBUCKET_BUILD_NUMBER).toBeDefined();
  });
});

describe('a pipe variable goes through the build shell in double quotes', () => {
  test('$NAME expands, \\$ keeps a literal dollar', () => {
    const pipe = bitbucketPipe({ form: 'docker', variables: { SLACK_MESSAGE: 'on $BITBUCKET_BRANCH: \\${BUILD_STATUS} ${UNDEFINED}.' } });
    expect(pipe.env.SLACK_MESSAGE).toBe('on main: ${BUILD_STATUS} .');
  });
});

describe('"chosen" reads a value as its setting does', () => {
  test('a default written another way is still the default', () => {
    expect(load(plainContainer({ PROJECT_NAME: 'app', MAX_RETRIES: '01', PRIVILEGED_MODE: 'YES' }).env).config.warnings).toEqual([]);
    const pipeline = { PIPELINE_NAME: 'deploy', PIPELINE_EXECUTION_ID: '0f1e2d3c-aaaa-bbbb-cccc-000000000001' };
    expect(load(plainContainer({ ...pipeline, UPLOAD_SOURCE: 'false', BATCH: 'no' }).env).config.run).toMatchObject({
      kind: 'pipeline',
      pipeline: { executionId: pipeline.PIPELINE_EXECUTION_ID },
    });
  });
});

describe('result-file, dotenv-file and junit-file: the defaults that differ by platform', () => {
  test('GitLab: the result, the dotenv report and the JUnit file; GitHub: none of them, though the runner passes junit-file', () => {
    expect(load(gitlabJob({ PROJECT_NAME: 'app' }).env).config).toMatchObject({
      resultFile: 'codebuild-result.json',
      dotenvFile: 'codebuild.env',
      junitFile: 'codebuild-junit.xml',
    });
    const github = githubStep({ with: { 'project-name': 'app' } });
    expect(github.env['INPUT_JUNIT-FILE']).toBe('');
    expect(github.env['INPUT_DOTENV-FILE']).toBeUndefined(); // not an Action input
    const { config } = load(github.env);
    expect([config.resultFile, config.dotenvFile, config.junitFile]).toEqual([undefined, undefined, undefined]);
    expect(load(githubStep({ with: { 'project-name': 'app', 'junit-file': 'junit.xml' } }).env).config.junitFile).toBe('junit.xml');
  });

  test('GitHub: the runner always passes an empty result-file, which means none; a given one is used', () => {
    expect(load(githubStep({ with: { 'project-name': 'app' } }).env).config.resultFile).toBeUndefined();
    expect(load(githubStep({ with: { 'project-name': 'app', 'result-file': 'out.json' } }).env).config.resultFile).toBe('out.json');
  });

  test('Bitbucket and docker run: codebuild-result.json unless set; empty disables', () => {
    const pipe = bitbucketPipe({ form: 'docker', variables: { PROJECT_NAME: 'app' } });
    expect(load(pipe.env, pipe.cloneDir).config.resultFile).toBe('codebuild-result.json');
    expect(load(plainContainer({ PROJECT_NAME: 'app' }).env).config.resultFile).toBe('codebuild-result.json');
    expect(load(plainContainer({ PROJECT_NAME: 'app', RESULT_FILE: '' }).env).config.resultFile).toBeUndefined();
  });
});
