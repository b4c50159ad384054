import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledPackages, sbomPackages, sbomProblems } from '../../../scripts/release-sbom';

const ROOT = join(__dirname, '../../..');
const LICENSES = readFileSync(join(ROOT, 'dist/licenses.txt'), 'utf8');

const sbom = (components: unknown[]) => JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components });

describe('the npm SBOM attested to the image', () => {
  test('the bundled packages are read from dist/licenses.txt, scoped and grouped ones included', () => {
    const bundled = bundledPackages(LICENSES);
    expect(bundled.length).toBeGreaterThan(20);
    expect(bundled).toEqual(expect.arrayContaining([expect.stringMatching(/^@aws-sdk\/client-codebuild@\d/), expect.stringMatching(/^p-retry@\d/)]));
  });

  test('a CycloneDX SBOM names its components by group/name@version, nested ones too', () => {
    const found = sbomPackages(sbom([{ group: '@aws-sdk', name: 'core', version: '3.1.0', components: [{ name: 'tslib', version: '2.8.1' }] }]));
    expect([...found]).toEqual(['@aws-sdk/core@3.1.0', 'tslib@2.8.1']);
  });

  test('an SBOM that leaves out a bundled package is refused, naming it', () => {
    const all = bundledPackages(LICENSES).map((p) => {
      const at = p.lastIndexOf('@');
      const [name, version] = [p.slice(0, at), p.slice(at + 1)];
      const slash = name.startsWith('@') ? name.indexOf('/') : -1;
      return slash > 0 ? { group: name.slice(0, slash), name: name.slice(slash + 1), version } : { name, version };
    });
    expect(sbomProblems(sbom(all), LICENSES)).toEqual([]);
    const [first, ...rest] = all;
    const problems = sbomProblems(sbom(rest), LICENSES);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${first!.group ? `${first!.group}/` : ''}${first!.name}@${first!.version}`);
  });
});
