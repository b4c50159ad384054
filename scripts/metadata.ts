// action.yml and pipe.yml are generated from the one input table (src/config/inputs.ts), so the
// names users type can never drift from what the loader reads. `npm run metadata` rewrites them;
// a test fails when the committed files differ. The version comes from package.json alone: pipe.yml's
// image, the README's examples, the Dockerfile's version label and the --help banner follow it
// (the rule for which of them name the major and which the exact release: scripts/release-plan.ts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INPUTS, type InputKey } from '../src/config/inputs';
import { OUTPUTS } from '../src/domain/outputs';
import { componentYml } from './gitlab-component';
import { iamPolicySection } from './iam-policy';
import { documentedVersion, parseVersion, releaseImageRef, userImageRef } from './release-plan';
import { withDockerfileVersion, withHelpVersion, withVersionRefs } from './release-refs';

/** package.json's version: the one place it is written by hand. */
export const VERSION = (JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string }).version;
/** The release the README and the pipe examples name: VERSION, or during a prerelease the last release. */
export const DOCUMENTED_VERSION = documentedVersion(VERSION, readFileSync(join(__dirname, '../CHANGELOG.md'), 'utf8'));

const q = (s: string) => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar

/** The settings a metadata file lists: all but those the table keeps out of it. */
const listedIn = (file: 'action.yml' | 'pipe.yml') => Object.values(INPUTS).filter((spec) => !spec.omitFrom?.includes(file));

export function actionYml(): string {
  const inputs = listedIn('action.yml').flatMap((spec) => [
    `  ${spec.input}:`,
    `    description: ${q(spec.description)}`,
    `    required: false${spec.requiredUnless ? ` # required unless ${spec.requiredUnless.join(' or ')} is given` : ''}`,
    ...(spec.default !== undefined ? [`    default: ${q(spec.default)}`] : []),
  ]);
  const outputs = Object.entries(OUTPUTS).flatMap(([name, description]) => [`  ${name}:`, `    description: ${q(description)}`]);
  return [
    '# Generated from src/config/inputs.ts by `npm run metadata`; edit that file instead.',
    "name: 'CodeBuild Run'",
    "description: 'Start an AWS CodeBuild build, stream its logs into the job, wait, and fail the step unless it SUCCEEDED.'",
    "author: 'codebuild-run'",
    'branding:',
    "  icon: 'play-circle'",
    "  color: 'orange'",
    'inputs:',
    ...inputs,
    'outputs:',
    ...outputs,
    'runs:',
    "  using: 'node24'",
    "  main: 'dist/index.js'",
    '',
  ].join('\n');
}

/** pipe.yml's image: this exact release (the repository form reads pipe.yml at the release's tag). */
export const PIPE_IMAGE = releaseImageRef(parseVersion(VERSION));
/** What the README's pipe examples name: the major, which every release moves (the last release's, during a prerelease). */
export const PIPE_EXAMPLE_IMAGE = userImageRef(DOCUMENTED_VERSION);

export function pipeYml(): string {
  // Repository variables reach the container only when the pipe names them as defaults.
  const aws = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION'];
  const variables = [
    ...aws.flatMap((name) => [`  - name: ${name}`, `    default: ${q(`$${name}`)}`]),
    '  - name: AWS_OIDC_ROLE_ARN',
    ...listedIn('pipe.yml')
      .filter((spec) => !spec.env.some((e) => aws.includes(e)))
      .flatMap((spec) => [`  - name: ${spec.env[0]}`, ...(spec.default !== undefined ? [`    default: ${q(spec.default)}`] : [])]),
  ];
  return [
    '# Generated from src/config/inputs.ts by `npm run metadata`; edit that file instead.',
    '# Bitbucket reads this file only for a pipe named by repository (`pipe: <workspace>/<repository>:<tag>`,',
    '# the repository hosted on Bitbucket): then it runs `image:` and applies each `default:` the step does',
    '# not list. A `pipe: docker://…` step (the form the README documents) reads none of it.',
    'name: AWS CodeBuild Run',
    `image: ${PIPE_IMAGE}`,
    'description: Start an AWS CodeBuild build, stream its CloudWatch logs into the pipeline, wait, and fail the step unless it SUCCEEDED.',
    'category: Deployment',
    'repository: https://github.com/codebuild-run/codebuild-run',
    'maintainer:',
    '  name: codebuild-run',
    '  website: https://github.com/codebuild-run/codebuild-run',
    'vendor:',
    '  name: Amazon',
    '  website: https://aws.amazon.com/codebuild/',
    'tags:',
    '  - aws',
    '  - codebuild',
    '  - build',
    '  - deployment',
    '  - ci',
    'variables:',
    ...variables,
    '',
  ].join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The pipe's placeholder in the README's YAML Definition ('<string>' when not listed); a list input shows as a YAML list. */
const PIPE_PLACEHOLDERS: Partial<Record<InputKey, string>> = {
  privilegedMode: '<boolean>',
  wait: '<boolean>',
  tailLogs: '<boolean>',
  batch: '<boolean>',
  keepSource: '<boolean>',
  stopOnCancel: '<boolean>',
  stopOnTimeout: '<boolean>',
  debug: '<boolean>',
  timeoutInMinutesOverride: '<integer>',
  maxRetries: '<integer>',
  waitTimeoutMinutes: '<number>',
  startBuildOverrides: '<json>',
  environmentVariables: '<NAME=value>',
  pipelineVariables: '<NAME=value>',
  sourceRevisions: '<Action=TYPE:value>',
  uploadExclude: '<pattern>',
};

/** What the YAML Definition says besides `Optional.` and the table's default. */
const PIPE_NOTES: Partial<Record<InputKey, string>> = {
  projectName: 'Required unless BUILD_ID or PIPELINE_NAME is given.',
  uploadSource: 's3://bucket/prefix, or true with PIPELINE_NAME.',
  resultFile: 'Default: codebuild-result.json; empty disables.',
  retryOn: 'e.g. FAULT,TIMED_OUT',
};

/** The Bitbucket "YAML Definition": every variable, from the input table, so none can be left out. */
export function pipeDefinition(): string {
  const entries = (Object.entries(INPUTS) as [InputKey, (typeof INPUTS)[InputKey]][]).filter(([, s]) => !s.omitFrom?.includes('pipe.yml'));
  const line = ([key, s]: [InputKey, (typeof INPUTS)[InputKey]]): [string, string] => {
    const placeholder = PIPE_PLACEHOLDERS[key] ?? '<string>';
    const value = s.list ? `['${placeholder}']` : `'${placeholder}'`;
    if (s.requiredUnless) return [`${s.env[0]}: ${value}`, PIPE_NOTES[key] ?? 'Required.'];
    const note = ['Optional.', ...(s.default !== undefined ? [`Default: ${s.default}.`] : []), ...(PIPE_NOTES[key] ? [PIPE_NOTES[key]] : [])];
    return [`# ${s.env[0]}: ${value}`, note.join(' ')];
  };
  const rows: [string, string][] = [
    ['AWS_ACCESS_KEY_ID: $AWS_ACCESS_KEY_ID', 'Not needed with OIDC.'],
    ['AWS_SECRET_ACCESS_KEY: $AWS_SECRET_ACCESS_KEY', 'Not needed with OIDC.'],
    ['AWS_DEFAULT_REGION: $AWS_DEFAULT_REGION', ''],
    ...entries.filter(([, s]) => s.requiredUnless).map(line),
    ["# AWS_OIDC_ROLE_ARN: '<string>'", 'Optional: with `oidc: true` on the step, instead of keys.'],
    ...entries.filter(([, s]) => !s.requiredUnless && !s.env.includes('AWS_REGION')).map(line),
  ];
  const width = Math.max(...rows.map(([code]) => code.length)) + 1;
  return [
    '```yaml',
    `- pipe: docker://${PIPE_EXAMPLE_IMAGE}`,
    '  variables:',
    ...rows.map(([code, note]) => `    ${note ? `${code.padEnd(width)} # ${note}` : code}`),
    '```',
  ].join('\n');
}

/** The GitLab CI/CD component, whose image is this exact release (a catalog version is a release). */
export const COMPONENT_FILE = 'templates/codebuild-run.yml';
export const gitlabComponent = () => componentYml(PIPE_IMAGE);

/** The README's reference tables, between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
export function readmeTables(): Record<string, string> {
  const specs = Object.values(INPUTS);
  return {
    inputs: [
      '| input | variable | default | meaning |',
      '|---|---|---|---|',
      ...specs.map((s) => {
        const input = !s.omitFrom?.includes('action.yml') ? `\`${s.input}\`` : s.omitFrom.includes('component') ? '—' : `\`${s.input}\` (component only)`;
        return `| ${input} | \`${s.env.join('` or `')}\` | ${s.default ? `\`${s.default}\`` : '—'} | ${cell(s.description)} |`;
      }),
    ].join('\n'),
    outputs: ['| output | meaning |', '|---|---|', ...Object.entries(OUTPUTS).map(([k, v]) => `| \`${k}\` | ${cell(v)} |`)].join('\n'),
    'pipe-variables': [
      '| Variable | Usage |',
      '|---|---|',
      '| AWS_ACCESS_KEY_ID (**) | AWS access key: `AWS_ACCESS_KEY_ID: $AWS_ACCESS_KEY_ID`. |',
      '| AWS_SECRET_ACCESS_KEY (**) | AWS secret key: `AWS_SECRET_ACCESS_KEY: $AWS_SECRET_ACCESS_KEY`. |',
      '| AWS_DEFAULT_REGION (*) | AWS region: `AWS_DEFAULT_REGION: $AWS_DEFAULT_REGION`. |',
      "| AWS_OIDC_ROLE_ARN | IAM role to assume with the step's OpenID Connect token (needs `oidc: true` on the step); static keys are then ignored. |",
      ...listedIn('pipe.yml')
        .filter((s) => !s.env.includes('AWS_REGION'))
        .map((s) => `| ${s.env[0]} | ${cell(s.description)}${s.default ? ` Default: \`${s.default}\`.` : ''} |`),
      '',
      '_(*) = required variable. (**) = required unless OIDC is used. A `pipe: docker://…` step passes only the variables it lists (Bitbucket reads no pipe.yml for it), so list the AWS ones explicitly, as above; a missing one is named in an error before any AWS call._',
    ].join('\n'),
    'pipe-definition': pipeDefinition(),
    'iam-policy': iamPolicySection(),
  };
}

/** The README's tables regenerated, and every reference to the action or image moved to the documented version. */
export function withTables(readme: string): string {
  let out = readme;
  for (const [name, table] of Object.entries(readmeTables())) {
    const re = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
    out = out.replace(re, (_all, start: string, end: string) => `${start}\n${table}\n${end}`);
  }
  return withVersionRefs(out, DOCUMENTED_VERSION.text);
}

/** The Dockerfile with its version label's default at package.json's version. */
export const dockerfile = (text: string) => withDockerfileVersion(text, VERSION);
/** src/config/help.ts with the --help banner naming package.json's version. */
export const helpSource = (text: string) => withHelpVersion(text, VERSION);

if (process.argv[1]?.endsWith('metadata.ts')) {
  writeFileSync('action.yml', actionYml());
  writeFileSync('pipe.yml', pipeYml());
  mkdirSync('templates', { recursive: true });
  writeFileSync(COMPONENT_FILE, gitlabComponent());
  writeFileSync('README.md', withTables(readFileSync('README.md', 'utf8')));
  for (const [file, update] of [
    ['Dockerfile', dockerfile],
    ['src/config/help.ts', helpSource],
  ] as const) {
    const text = readFileSync(file, 'utf8');
    if (update(text) !== text) writeFileSync(file, update(text)); // one line each; the rest stays as it is
  }
  console.log(`wrote action.yml, pipe.yml, ${COMPONENT_FILE}, the README tables and the version (${VERSION}) in the README, Dockerfile and --help`);
}
