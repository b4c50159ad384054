// The GitLab CI/CD component is validated against GitLab's own published CI schema (the one its
// pipeline editor uses; test/fixtures/gitlab-ci-schema.NOTICE.md says where it comes from), and
// held to the input table: every setting the container reads is an input, passed as its variable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { COMPONENT_FILE, gitlabComponent, PIPE_IMAGE } from '../../../scripts/metadata';
import { INPUTS } from '../../../src/config/inputs';
import { coverageLine } from '../../../src/present/gitlab-presenter';

const ROOT = join(__dirname, '../../..');
const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/gitlab-ci-schema.json'), 'utf8'));
// The schema is draft-07 with GitLab's own annotations (markdownDescription): not strict. Formats
// ("regex", "uri") are left to the checks below.
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
const problems = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

const documents = (text: string) => parseAllDocuments(text).map((d) => d.toJSON() as Record<string, unknown>);
const [header, body] = documents(readFileSync(join(ROOT, COMPONENT_FILE), 'utf8')) as [
  { spec: { inputs: Record<string, { type?: string; default: unknown; description: string }> } },
  Record<string, Record<string, unknown>>,
];
const [jobName, job] = Object.entries(body)[0]!;

describe(`${COMPONENT_FILE}, the GitLab CI/CD component`, () => {
  test('is committed as generated (run `npm run metadata`)', () => {
    expect(readFileSync(join(ROOT, COMPONENT_FILE), 'utf8')).toBe(gitlabComponent());
  });

  test("its spec: and its job are valid against GitLab's CI schema", () => {
    expect(problems(header)).toEqual([]);
    expect(problems(body)).toEqual([]);
  });

  test('the schema check catches a broken spec and a broken job', () => {
    expect(problems({ spec: { inputs: { 'project-name': { type: 'text' } } } })).not.toEqual([]);
    expect(problems({ spec: { inputs: { x: { description: 'x'.repeat(1025) } } } })).not.toEqual([]);
    expect(problems({ spec: { input: {} } })).not.toEqual([]);
    expect(problems({ x: { ...job, artifacts: { reports: { junit: 5 } } } })).not.toEqual([]);
    expect(problems({ x: { ...job, coverage: 'Coverage: (\\d+)' } })).not.toEqual([]);
  });

  test('every setting the container reads is an input with a default (no input is required), passed as its variable', () => {
    const inputs = header.spec.inputs;
    const variables = job.variables as Record<string, unknown>;
    for (const spec of Object.values(INPUTS)) {
      if (spec.omitFrom?.includes('component')) {
        expect(inputs[spec.input]).toBeUndefined();
        continue;
      }
      const typed = spec.default === 'true' || spec.default === 'false' ? 'boolean' : /^\d+$/.test(spec.default ?? '') ? 'number' : 'string';
      expect({ input: spec.input, type: inputs[spec.input]?.type ?? 'string', default: typeof inputs[spec.input]?.default }).toEqual({
        input: spec.input,
        type: typed,
        default: typed,
      });
      const ref = `$[[ inputs.${spec.input} ]]`;
      expect(variables[spec.componentEnv ?? spec.env[0]!]).toEqual(spec.literal ? { value: ref, expand: false } : ref);
    }
    // An empty AWS_REGION job variable would outrank the runner's own and stop the SDK's chain.
    expect(variables.AWS_REGION).toBeUndefined();
    expect(variables.CODEBUILD_RUN_REGION).toBe('$[[ inputs.region ]]');
    expect(variables.AWS_OIDC_ROLE_ARN).toBe('$[[ inputs.aws-role-arn ]]');
    expect(inputs['result-file']?.default).toBe('codebuild-result.json');
    expect(inputs['dotenv-file']?.default).toBe('codebuild.env');
    expect(inputs['junit-file']?.default).toBe('codebuild-junit.xml');
    expect(inputs.image?.default).toBe(PIPE_IMAGE);
  });

  test('every $[[ inputs.x ]] names a declared input, and every input is used', () => {
    const text = readFileSync(join(ROOT, COMPONENT_FILE), 'utf8');
    const used = new Set([...text.matchAll(/\$\[\[ inputs\.([\w-]+) \]\]/g)].map((m) => m[1]!));
    expect([...used].sort()).toEqual(Object.keys(header.spec.inputs).sort());
  });

  test('the job: the image with an empty entrypoint, the ID token, artifacts on failure too, the reports, the coverage regex', () => {
    expect(jobName).toBe('$[[ inputs.job-name ]]');
    expect(job).toMatchObject({
      stage: '$[[ inputs.stage ]]',
      image: { name: '$[[ inputs.image ]]', entrypoint: [''] },
      id_tokens: { GITLAB_OIDC_TOKEN: { aud: '$[[ inputs.oidc-audience ]]' } },
      script: ['node /opt/codebuild-run/index.js'],
      artifacts: { when: 'always', paths: ['$[[ inputs.result-file ]]'], reports: { dotenv: '$[[ inputs.dotenv-file ]]', junit: '$[[ inputs.junit-file ]]' } },
    });
    const coverage = String(job.coverage);
    const regex = new RegExp(coverage.slice(1, -1));
    const line = coverageLine([
      {
        name: 'cov',
        kind: 'coverage',
        total: 0,
        passed: 0,
        failed: 0,
        other: 0,
        failures: [],
        coverage: { linePercent: 81.2, linesCovered: 812, linesMissed: 188, branchPercent: 0, branchesCovered: 0, branchesMissed: 0 },
      },
    ]);
    expect(regex.exec(line!)?.[1]).toBe('81.2');
  });
});
