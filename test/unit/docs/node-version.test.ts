// One Node version, said the same everywhere: package.json's engines, what the tests run on (the
// `node` devDependency), the Action's runtime, the image's base, and what the README promises.
// Only "Try it in two commands" names an older Node: the one those commands start from, since
// they install the tested Node themselves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; devDependencies: Record<string, string>; scripts: Record<string, string> };
const README = read('README.md');

const major = Number(/^>=\s*(\d+)$/.exec(pkg.engines.node)?.[1]);
const sectionOf = (title: string) => README.split(/^## /m).find((s) => s.startsWith(`${title}\n`)) ?? '';
const TRY_IT = sectionOf('Try it in two commands');

/** Every "Node ≥ N" / "Node N" / "node:N" in a text. */
const mentions = (text: string) =>
  [...text.matchAll(/\bNode(?:\.js)?\s*(?:≥|>=)?\s*(\d+)\b|\bnode:(\d+)\b/gi)].map((m) => ({ said: m[0], version: Number(m[1] ?? m[2]) }));

describe('Node versions agree', () => {
  test('package.json engines is a plain minimum, and what the tests, the Action and the image run', () => {
    expect(major).toBeGreaterThanOrEqual(24);
    expect(Number(/(\d+)/.exec(pkg.devDependencies.node ?? '')?.[1])).toBe(major);
    expect(read('action.yml')).toContain(`using: 'node${major}'`);
    expect(read('Dockerfile')).toMatch(new RegExp(`^ARG BASE_IMAGE=node:${major}-alpine$`, 'm'));
    // The bundle is compiled for the engines minimum, read from package.json.
    expect(read('scripts/build.mjs')).toContain('target: `node${node}`');
    expect(read('scripts/build.mjs')).toMatch(/engines\.node/);
  });

  test('outside "Try it in two commands", the README names only that Node', () => {
    const elsewhere = README.replace(TRY_IT, '');
    expect(mentions(elsewhere).filter((m) => m.version !== major)).toEqual([]);
    expect(elsewhere).toMatch(new RegExp(`\`node dist/index\\.js\`[^.]*Node ≥ ${major}\\b`));
  });

  test('"Try it in two commands" starts from an older Node and says the commands install the tested one', () => {
    const start = mentions(TRY_IT).filter((m) => m.said.includes('≥'));
    expect(start).toHaveLength(1);
    expect(start[0]!.version).toBeLessThanOrEqual(major);
    expect(TRY_IT).toContain(`Node ${major}`);
    // True because both commands first run ensure-deps.mjs on the machine's Node, which installs the
    // `node` devDependency; so that script may use nothing but Node's own modules.
    expect(pkg.scripts.predemo).toBe('node scripts/ensure-deps.mjs');
    expect(pkg.scripts.pretest).toMatch(/^node scripts\/ensure-deps\.mjs\b/);
    const imports = [...read('scripts/ensure-deps.mjs').matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'/g)].map((m) => m[1] ?? m[2]);
    expect(imports.filter((i) => !i?.startsWith('node:'))).toEqual([]);
  });
});
