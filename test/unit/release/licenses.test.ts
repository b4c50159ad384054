// dist/licenses.txt: the licence and notice files of every package bundled into dist/index.js,
// shipped with the Action (it is in the repository) and in the image (the Dockerfile copies it).
// `npm run check-dist` fails when it is not what the build makes from the bundle's inputs.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledPackageDirs, licencesText, packageLicence, withLicenceFiles } from '../../../scripts/licenses.mjs';

const ROOT = join(__dirname, '../../..');
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

describe('the packages in the bundle', () => {
  test("from esbuild's inputs: scoped, nested, Windows paths; our own sources are not packages", () => {
    const inputs = Object.fromEntries(
      [
        'src/index.ts',
        'node_modules/@aws-sdk/core/dist-cjs/index.js',
        'node_modules/@aws-sdk/core/dist-cjs/submodules/client/index.js',
        'node_modules/@slack/webhook/node_modules/p-retry/index.js',
        'node_modules\\yazl\\index.js',
      ].map((f) => [f, {}]),
    );
    expect(bundledPackageDirs({ inputs }).sort()).toEqual([
      'node_modules/@aws-sdk/core',
      'node_modules/@slack/webhook/node_modules/p-retry',
      'node_modules/yazl',
    ]);
  });
});

describe('the licences file', () => {
  let root: string;
  const pkg = (dir: string, json: object, files: Record<string, string> = {}) => {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, 'package.json'), JSON.stringify(json));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, dir, name), text);
  };
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'cbr-licences-'));
    const apache = 'Apache License\r\nVersion 2.0\r\n';
    const repo = { type: 'git', url: 'git+https://github.com/aws/aws-sdk-js-v3.git' };
    pkg('node_modules/zed', { name: 'zed', version: '1.0.0', license: 'MIT' }, { 'license.md': 'MIT License\n\nCopyright (c) Zed\n\n' });
    pkg(
      'node_modules/@aws-sdk/core',
      { name: '@aws-sdk/core', version: '3.1.0', license: 'Apache-2.0', repository: repo },
      { LICENSE: apache, NOTICE: 'AWS SDK\nCopyright Amazon' },
    );
    pkg(
      'node_modules/@aws-sdk/client',
      { name: '@aws-sdk/client', version: '3.2.0', license: 'Apache-2.0', repository: repo },
      { LICENSE: apache, NOTICE: 'AWS SDK\nCopyright Amazon' },
    );
    pkg(
      'node_modules/@aws-sdk/internal',
      { name: '@aws-sdk/internal', version: '3.0.1', license: 'Apache-2.0', repository: 'https://github.com/aws/aws-sdk-js-v3' },
      { 'README.md': 'x' },
    );
    pkg('node_modules/orphan', { name: 'orphan', version: '0.1.0', license: 'MIT' });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const load = (dirs: string[]) => withLicenceFiles(dirs.map((d) => packageLicence(root, d)));

  test('each distinct text once, after every package it covers; licence before notice; LF line ends', () => {
    const text = licencesText(load(['node_modules/zed', 'node_modules/@aws-sdk/core', 'node_modules/@aws-sdk/client']));
    const rule = '='.repeat(80);
    expect(text.slice(text.indexOf(rule))).toBe(
      [
        rule,
        '@aws-sdk/client 3.2.0 (Apache-2.0)',
        '@aws-sdk/core 3.1.0 (Apache-2.0)',
        rule,
        '',
        '--- LICENSE ---',
        '',
        'Apache License\nVersion 2.0',
        '',
        '--- NOTICE ---',
        '',
        'AWS SDK\nCopyright Amazon',
        '',
        rule,
        'zed 1.0.0 (MIT)',
        rule,
        '',
        '--- license.md ---',
        '',
        'MIT License\n\nCopyright (c) Zed',
        '',
      ].join('\n'),
    );
  });

  test('the same whatever order esbuild lists the inputs in, and each package once', () => {
    const a = licencesText(load(['node_modules/zed', 'node_modules/@aws-sdk/core', 'node_modules/@aws-sdk/client']));
    const b = licencesText(load(['node_modules/@aws-sdk/client', 'node_modules/zed', 'node_modules/@aws-sdk/core', 'node_modules/zed']));
    expect(b).toBe(a);
  });

  test("a package published without a licence file gets its repository's, and says so", () => {
    const text = licencesText(load(['node_modules/@aws-sdk/internal', 'node_modules/@aws-sdk/core']));
    expect(text).toContain("@aws-sdk/internal 3.0.1 (Apache-2.0; no licence file in the package: @aws-sdk/core's, from the same repository)");
    expect(text.match(/--- LICENSE ---/g)).toHaveLength(1);
  });

  test('a package with no licence file and none from its repository fails the build', () => {
    expect(() => load(['node_modules/orphan', 'node_modules/zed'])).toThrow(
      'orphan@0.1.0 is bundled into dist/index.js but ships no LICENSE file, and no bundled package from its repository does',
    );
  });
});

describe('dist/licenses.txt as committed', () => {
  const text = read('dist/licenses.txt');
  const deps = Object.keys((JSON.parse(read('package.json')) as { dependencies: Record<string, string> }).dependencies);

  test("names the runtime dependencies bundled, with the AWS SDK's Apache-2.0 licence", () => {
    const named = new Set([...text.matchAll(/^(\S+) \d+\.\d+\.\d+\S* \(/gm)].map((m) => m[1]));
    for (const dep of deps) if (!dep.startsWith('@types/')) expect([dep, named.has(dep)]).toEqual([dep, true]);
    expect(text).toMatch(/^@aws-sdk\/client-codebuild \S+ \(Apache-2\.0\)$/m);
    expect(text).toContain('Apache License');
    expect(text).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
  });

  test('travels with the image, beside the bundle and this project’s LICENSE', () => {
    expect(read('Dockerfile')).toMatch(/^COPY LICENSE dist\/licenses\.txt \/opt\/codebuild-run\/$/m);
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining(['!dist/index.js', '!dist/licenses.txt', '!LICENSE']));
  });
});
