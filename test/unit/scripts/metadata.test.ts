import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionYml, COMPONENT_FILE, gitlabComponent, pipeYml, withTables } from '../../../scripts/metadata';
import { INPUTS } from '../../../src/config/inputs';

const read = (f: string) => (existsSync(join(__dirname, '../../..', f)) ? readFileSync(join(__dirname, '../../..', f), 'utf8') : `(${f} is missing)`);

describe('generated metadata is committed up to date (run `npm run metadata`)', () => {
  test('action.yml', () => expect(read('action.yml')).toBe(actionYml()));
  test('pipe.yml', () => expect(read('pipe.yml')).toBe(pipeYml()));
  test('README tables', () => expect(read('README.md')).toBe(withTables(read('README.md'))));
  test(COMPONENT_FILE, () => expect(read(COMPONENT_FILE)).toBe(gitlabComponent()));

  test('action.yml names every input GitHub has a use for and runs the bundle on node24', () => {
    const yml = read('action.yml');
    for (const spec of Object.values(INPUTS)) {
      if (spec.omitFrom?.includes('action.yml')) expect(yml).not.toContain(`\n  ${spec.input}:\n`);
      else expect(yml).toContain(`\n  ${spec.input}:\n`);
    }
    expect(yml).not.toContain('dotenv-file'); // GitLab's dotenv report means nothing to a GitHub step
    expect(yml).toContain('\n  junit-file:\n'); // a JUnit file does: test-report actions read it
    expect(yml).toContain("using: 'node24'");
    expect(yml).toContain("main: 'dist/index.js'");
  });

  test('pipe.yml passes repository AWS variables through, and lists every variable', () => {
    const yml = read('pipe.yml');
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION']) expect(yml).toContain(`- name: ${name}\n    default: "$${name}"`);
    for (const spec of Object.values(INPUTS)) {
      if (spec.env.includes('AWS_REGION')) continue;
      if (spec.omitFrom?.includes('pipe.yml')) expect(yml).not.toContain(`- name: ${spec.env[0]}\n`);
      else expect(yml).toContain(`- name: ${spec.env[0]}\n`);
    }
    expect(yml).toMatch(/^category: Deployment$/m);
    expect(yml).toMatch(/^vendor:\n {2}name: Amazon$/m);
  });
});
