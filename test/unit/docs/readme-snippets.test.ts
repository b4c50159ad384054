// What users paste must work: the README's GitHub snippets, wrapped into whole workflows, pass
// actionlint and action-validator; their `with:` keys are inputs action.yml declares; no `run:`
// interpolates build output; Bitbucket and GitLab snippets are valid YAML naming real variables.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { COMPONENT_FILE, withTables } from '../../../scripts/metadata';
import { INPUTS } from '../../../src/config/inputs';
import {
  actionValidator,
  checkGithubSnippet,
  kindOf,
  ROOT,
  type Snippet,
  scratchProject,
  THIS_ACTION,
  UNTRUSTED_IN_RUN,
  wrapWorkflow,
  yamlErrors,
  yamlSnippets,
} from './readme-snippets';

const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const README = read('README.md');
const ACTION = read('action.yml');
const declared = Object.keys((parse(ACTION) as { inputs: Record<string, unknown> }).inputs);
const snippets = yamlSnippets(README);
const ofKind = (kind: string) => snippets.filter((s) => kindOf(s) === kind).map((s) => [s.line, s] as [number, Snippet]);

/** Variables the pipe and the container read. */
const KNOWN_VARIABLES = new Set([
  ...Object.values(INPUTS).flatMap((s) => s.env),
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_OIDC_ROLE_ARN',
  'AWS_ROLE_ARN',
]);

let project: string;
beforeAll(() => {
  project = scratchProject();
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('README GitHub Actions snippets', () => {
  test('every YAML snippet is a GitHub, Bitbucket or GitLab one, and there are GitHub ones', () => {
    expect(snippets.filter((s) => kindOf(s) === 'unknown').map((s) => `README.md:${s.line}`)).toEqual([]);
    expect(ofKind('github').length).toBeGreaterThanOrEqual(6);
  });

  test.each(ofKind('github'))('the snippet at README line %i passes action-validator, actionlint and the input check', async (_line, snippet) => {
    expect(await checkGithubSnippet(snippet, project, declared)).toEqual([]);
  });

  test('no run: line puts a step output (build output, untrusted) into the script', () => {
    const lines = README.split('\n').flatMap((text, i) => (/\brun:/.test(text) && UNTRUSTED_IN_RUN.test(text) ? [`README.md:${i + 1}: ${text.trim()}`] : []));
    expect(lines).toEqual([]);
    expect(README).not.toMatch(/\brun:.*(\$\{\{\s*steps\.|fromJSON\(\s*steps)/);
  });

  test("action.yml passes action-validator (its bundled schema predates node24: only runs.using's enum is set aside)", () => {
    expect(ACTION).toMatch(/^ {2}using: 'node24'$/m);
    const unexpected = actionValidator(join(ROOT, 'action.yml'), ACTION, ROOT).filter((p) => !/^\/runs\/using Enum conditions are not met$/.test(p.message));
    expect(unexpected).toEqual([]);
    // The same file on a runtime the schema knows must pass outright, so nothing else hides behind that one complaint.
    const dir = join(project, 'node20');
    mkdirSync(dir, { recursive: true });
    const node20 = ACTION.replace("using: 'node24'", "using: 'node20'");
    writeFileSync(join(dir, 'action.yml'), node20);
    expect(actionValidator(join(dir, 'action.yml'), node20, dir)).toEqual([]);
  });
});

describe('the harness fails on a broken snippet', () => {
  const markdown = [
    '# x', // 1
    '', // 2
    '## GitHub Action', // 3
    '', // 4
    '```yaml', // 5
    'steps:', // 6
    '  - id: build', // 7
    `    uses: ${THIS_ACTION}`, // 8 (the major the README names: what the harness resolves to ./action.yml)
    '    with:', // 9
    '      project-name: my-app', // 10
    '      no-such-input: x', // 11
    '    bogus-key: 1', // 12
    '  - run: echo "${{ steps.build.outputs.build-idd }} ${{ github.event.pull_request.title }}"', // 13
    '    shell: zsh', // 14
    '```', // 15
    '', // 16
    '```yaml', // 17
    '      retry-on: FAULT', // 18
    '      max-retry: 2', // 19
    '```', // 20
    '', // 21
    '```yaml', // 22
    '      retry-on: [FAULT', // 23
    '```', // 24
  ].join('\n');
  const [broken, fragment, unparsable] = yamlSnippets(markdown);

  test('every validator reports, each naming the README line', async () => {
    expect(kindOf(broken!)).toBe('github');
    const problems = await checkGithubSnippet(broken!, project, declared);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^README\.md:7: action-validator: \/jobs\/snippet\/steps\/0 .*Additional property 'bogus-key' is not allowed/),
        expect.stringMatching(/^README\.md:12: actionlint: \d+: \[syntax-check\] unexpected key "bogus-key" for "step" section/),
        expect.stringMatching(
          new RegExp(
            `^README\\.md:11: actionlint: \\d+: \\[action\\] input "no-such-input" is not defined in action .* "${THIS_ACTION.replace(/[./]/g, '\\$&')}"`,
          ),
        ),
        expect.stringMatching(/^README\.md:13: actionlint: \d+: \[expression\] property "build-idd" is not defined/),
        expect.stringMatching(/^README\.md:13: actionlint: \d+: \[expression\] "github\.event\.pull_request\.title" is potentially untrusted/),
        expect.stringMatching(/^README\.md:14: actionlint: \d+: \[shell-name\] shell name "zsh" is invalid/),
        'README.md:11: inputs: "no-such-input" is not an input action.yml declares',
        expect.stringMatching(/^README\.md:13: untrusted-run: /),
      ]),
    );
  });

  test('a fragment of with: keys becomes a step of this action, and an undeclared key is named', async () => {
    expect(wrapWorkflow(fragment!.text).shape).toBe('with');
    const problems = await checkGithubSnippet(fragment!, project, declared);
    expect(problems).toContain('README.md:19: inputs: "max-retry" is not an input action.yml declares');
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^README\.md:19: actionlint: \d+: \[action\] input "max-retry" is not defined/)]));
  });

  test('a snippet that is not YAML is named with its line', async () => {
    expect(await checkGithubSnippet(unparsable!, project, declared)).toEqual([expect.stringMatching(/^README\.md:23: yaml: /)]);
  });

  test('the README run: check catches build output in a script', () => {
    expect(UNTRUSTED_IN_RUN.test('run: echo "${{ fromJSON(steps.build.outputs.exported-variables).X }}"')).toBe(true);
    expect(UNTRUSTED_IN_RUN.test('run: echo "${{ steps.build.outputs.build-id }}"')).toBe(true);
    expect(UNTRUSTED_IN_RUN.test('run: echo "$BUILD_ID"')).toBe(false);
  });
});

/** Every object with `pipe: …codebuild-run…` in a parsed snippet. */
function pipes(value: unknown): { variables?: Record<string, unknown> }[] {
  if (Array.isArray(value)) return value.flatMap(pipes);
  if (!value || typeof value !== 'object') return [];
  const own = typeof (value as { pipe?: unknown }).pipe === 'string' && /codebuild-run/.test((value as { pipe: string }).pipe) ? [value] : [];
  return [...own, ...Object.values(value).flatMap(pipes)];
}

describe('README Bitbucket snippets', () => {
  test.each(ofKind('bitbucket'))('the snippet at README line %i is valid YAML and names only variables the pipe reads', (_line, snippet) => {
    expect(yamlErrors(snippet)).toEqual([]);
    const named = [
      ...pipes(parse(snippet.text)).flatMap((p) => Object.keys(p.variables ?? {})),
      ...[...snippet.text.matchAll(/^\s*#\s*([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!), // the commented-out ones
    ];
    expect(named.filter((name) => !KNOWN_VARIABLES.has(name))).toEqual([]);
  });

  test('the YAML Definition lists every variable; PROJECT_NAME is required only without BUILD_ID or PIPELINE_NAME', () => {
    const block = /<!-- pipe-definition:start -->([\s\S]*?)<!-- pipe-definition:end -->/.exec(README)?.[1] ?? '';
    expect(README).toBe(withTables(README)); // generated from the input table
    const notForThePipe = new Set([
      'AWS_REGION',
      'AWS_SESSION_TOKEN',
      'AWS_ROLE_ARN',
      ...Object.values(INPUTS).flatMap((s) => (s.omitFrom?.includes('pipe.yml') ? s.env : [])),
    ]);
    for (const name of KNOWN_VARIABLES) if (!notForThePipe.has(name)) expect(block).toMatch(new RegExp(`^ {4}(# )?${name}:`, 'm'));
    expect(block).toMatch(/^ {4}PROJECT_NAME: '<string>' +# Required unless BUILD_ID or PIPELINE_NAME is given\.$/m);
  });
});

/** GitLab's own CI schema (test/fixtures/gitlab-ci-schema.NOTICE.md), as the component test uses it. */
const gitlabSchema = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(JSON.parse(read('test/fixtures/gitlab-ci-schema.json')));
const COMPONENT_INPUTS = Object.keys((parseAllDocuments(read(COMPONENT_FILE))[0]!.toJSON() as { spec: { inputs: object } }).spec.inputs);
/** Top-level keywords of a .gitlab-ci.yml that are not jobs. */
const GLOBAL_KEYWORDS = new Set(['include', 'stages', 'variables', 'default', 'workflow', 'spec']);

describe('README GitLab snippets', () => {
  test.each(ofKind('gitlab'))(
    "the snippet at README line %i is valid YAML and valid for GitLab's CI schema, names only variables the container reads and inputs the component declares, and uploads the result file of a failed build too",
    (_line, snippet) => {
      expect(yamlErrors(snippet)).toEqual([]);
      const doc = parse(snippet.text) as Record<string, { variables?: object; artifacts?: { when?: string } }>;
      expect(gitlabSchema(doc) ? [] : gitlabSchema.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
      const includes = [(doc as { include?: unknown }).include ?? []].flat() as { component?: string; inputs?: object }[];
      for (const c of includes.filter((i) => /codebuild-run@/.test(i.component ?? ''))) {
        expect(Object.keys(c.inputs ?? {}).filter((k) => !COMPONENT_INPUTS.includes(k))).toEqual([]);
      }
      const jobs = Object.entries(doc).filter(([name]) => !GLOBAL_KEYWORDS.has(name));
      expect(jobs.length).toBeGreaterThan(0);
      for (const [name, job] of jobs) {
        expect({ job: name, unknown: Object.keys(job.variables ?? {}).filter((v) => !KNOWN_VARIABLES.has(v)) }).toEqual({ job: name, unknown: [] });
        // GitLab's default, on_success, skips the artifacts of a failed job: the result file of a failed build is lost.
        if (job.artifacts) expect({ job: name, when: job.artifacts.when }).toEqual({ job: name, when: 'always' });
      }
    },
  );
});
