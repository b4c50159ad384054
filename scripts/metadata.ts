// action.yml and pipe.yml are generated from the one input table (src/config/inputs.ts), so the
// names users type can never drift from what the loader reads. `npm run metadata` rewrites them;
// a test fails when the committed files differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { INPUTS } from '../src/config/inputs';
import { OUTPUTS } from '../src/domain/outputs';

const q = (s: string) => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar

export function actionYml(): string {
  const inputs = Object.values(INPUTS).flatMap((spec) => [
    `  ${spec.input}:`,
    `    description: ${q(spec.description)}`,
    `    required: ${spec.required ? 'false # required unless build-id is given' : 'false'}`,
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

export const PIPE_IMAGE = 'codebuildrun/codebuild-run:0.1.0';

export function pipeYml(): string {
  // Repository variables reach the container only when the pipe names them as defaults.
  const aws = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION'];
  const variables = [
    ...aws.flatMap((name) => [`  - name: ${name}`, `    default: ${q(`$${name}`)}`]),
    '  - name: AWS_OIDC_ROLE_ARN',
    ...Object.values(INPUTS)
      .filter((spec) => !spec.env.some((e) => aws.includes(e)))
      .flatMap((spec) => [`  - name: ${spec.env[0]}`, ...(spec.default !== undefined ? [`    default: ${q(spec.default)}`] : [])]),
  ];
  return [
    '# Generated from src/config/inputs.ts by `npm run metadata`; edit that file instead.',
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

/** The README's reference tables, between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
export function readmeTables(): Record<string, string> {
  const specs = Object.values(INPUTS);
  return {
    inputs: [
      '| input | variable | default | meaning |',
      '|---|---|---|---|',
      ...specs.map((s) => `| \`${s.input}\` | \`${s.env.join('` or `')}\` | ${s.default ? `\`${s.default}\`` : '—'} | ${cell(s.description)} |`),
    ].join('\n'),
    outputs: ['| output | meaning |', '|---|---|', ...Object.entries(OUTPUTS).map(([k, v]) => `| \`${k}\` | ${cell(v)} |`)].join('\n'),
    'pipe-variables': [
      '| Variable | Usage |',
      '|---|---|',
      '| AWS_ACCESS_KEY_ID (**) | AWS access key: `AWS_ACCESS_KEY_ID: $AWS_ACCESS_KEY_ID`. |',
      '| AWS_SECRET_ACCESS_KEY (**) | AWS secret key: `AWS_SECRET_ACCESS_KEY: $AWS_SECRET_ACCESS_KEY`. |',
      '| AWS_DEFAULT_REGION (*) | AWS region: `AWS_DEFAULT_REGION: $AWS_DEFAULT_REGION`. |',
      "| AWS_OIDC_ROLE_ARN | IAM role to assume with the step's OpenID Connect token (needs `oidc: true` on the step); static keys are then ignored. |",
      ...specs
        .filter((s) => !s.env.includes('AWS_REGION'))
        .map((s) => `| ${s.env[0]}${s.required ? ' (*)' : ''} | ${cell(s.description)}${s.default ? ` Default: \`${s.default}\`.` : ''} |`),
      '',
      '_(*) = required variable. (**) = required unless OIDC is used. A `pipe: docker://…` step passes only the variables it lists (Bitbucket reads no pipe.yml for it), so list the AWS ones explicitly, as above; a missing one is named in an error before any AWS call._',
    ].join('\n'),
  };
}

export function withTables(readme: string): string {
  let out = readme;
  for (const [name, table] of Object.entries(readmeTables())) {
    const re = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
    out = out.replace(re, (_all, start: string, end: string) => `${start}\n${table}\n${end}`);
  }
  return out;
}

if (process.argv[1]?.endsWith('metadata.ts')) {
  writeFileSync('action.yml', actionYml());
  writeFileSync('pipe.yml', pipeYml());
  writeFileSync('README.md', withTables(readFileSync('README.md', 'utf8')));
  console.log('wrote action.yml, pipe.yml and the README tables');
}
