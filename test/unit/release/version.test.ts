// One version: package.json's. Everything else that names it is generated from it (`npm run
// metadata`) or checked against it here: pipe.yml's image, the Dockerfile's version label, the
// --help banner, the README's examples (the major: @v1, :1), the changelog, SECURITY.md, the
// lockfile, and the workflows (which write no tag at all). The same check gates the release.
// package.json may hold a prerelease (2.0.0-rc.1): the docs then keep naming the last release.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCUMENTED_VERSION, dockerfile, helpSource, PIPE_EXAMPLE_IMAGE, PIPE_IMAGE, VERSION } from '../../../scripts/metadata';
import { documentedVersion, parseVersion, releaseImageRef, userActionRef, userImageRef } from '../../../scripts/release-plan';
import { findVersionRefs, type VersionedFiles, versionProblems, withDockerfileVersion, withHelpVersion, withVersionRefs } from '../../../scripts/release-refs';
import { releaseBase, repositoryProblems, versionedFiles } from '../../../scripts/release-repo';
import { helpText } from '../../../src/config/help';
import { THIS_ACTION } from '../docs/readme-snippets';

const ROOT = join(__dirname, '../../..');
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string; license: string };
const v = parseVersion(pkg.version);
/** What the README, SECURITY.md and the pipe examples name: v, or during a prerelease the last release. */
const docs = documentedVersion(pkg.version, read('CHANGELOG.md'));

const files = versionedFiles;

describe('one version, from package.json', () => {
  test('package.json holds a version (a prerelease too); the docs name a release, 1.0.0 or later', () => {
    expect(VERSION).toBe(pkg.version);
    expect(DOCUMENTED_VERSION).toEqual(docs);
    expect(docs.prerelease).toBeUndefined();
    expect(docs.major).toBeGreaterThanOrEqual(1);
    if (!v.prerelease) expect(docs).toEqual(v);
  });

  test('every file that names it agrees, and every generated file is current (what the release workflow checks)', () => {
    expect(repositoryProblems()).toEqual([]);
  });

  test('generated: the Dockerfile version label and the --help banner (run `npm run metadata`)', () => {
    expect(read('Dockerfile')).toBe(dockerfile(read('Dockerfile')));
    expect(read('src/config/help.ts')).toBe(helpSource(read('src/config/help.ts')));
    expect(read('Dockerfile')).toMatch(new RegExp(`^ARG VERSION=${pkg.version}$`, 'm'));
    expect(helpText().split('\n')[0]).toMatch(new RegExp(`^codebuild-run ${pkg.version.replace(/\./g, '\\.')}: `));
  });

  test('pipe.yml names this exact release; the pipe examples name the major', () => {
    expect(PIPE_IMAGE).toBe(`codebuildrun/codebuild-run:${pkg.version}`);
    expect(read('pipe.yml')).toMatch(new RegExp(`^image: ${PIPE_IMAGE}$`, 'm'));
    expect(PIPE_EXAMPLE_IMAGE).toBe(`codebuildrun/codebuild-run:${docs.major}`);
  });

  test("the README's examples name the major tag users pin, on every front door", () => {
    const refs = findVersionRefs(read('README.md'));
    const inExamples = refs.filter((r) => r.inCode);
    expect(new Set(inExamples.map((r) => r.text.replace(/^docker\.io\//, '')))).toEqual(new Set([userActionRef(docs), userImageRef(docs)]));
    expect(inExamples.filter((r) => r.kind === 'action').length).toBeGreaterThanOrEqual(4);
    expect(read('README.md')).toContain(`- pipe: docker://${userImageRef(docs)}`);
    expect(read('README.md')).toContain(`image: { name: ${userImageRef(docs)}, entrypoint: [""] }`);
    // The README snippet harness resolves exactly this reference to the local action.yml.
    expect(THIS_ACTION).toBe(userActionRef(docs));
  });

  test('LICENSE is the MIT licence package.json declares, as the image label says', () => {
    expect(pkg.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
    expect(read('LICENSE')).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
    expect(read('Dockerfile')).toContain('org.opencontainers.image.licenses="MIT"');
  });

  test('the release builds on a digest-pinned base, in the Dockerfile only', () => {
    expect(releaseBase()).toMatch(/^node:\d+-alpine@sha256:[0-9a-f]{64}$/);
    expect(read('Dockerfile').match(/@sha256:/g)).toHaveLength(1);
  });
});

describe('a prerelease passes the same check (the release workflow runs npm test on its tag)', () => {
  // The next major's first release candidate, as a maintainer would prepare it from this tree:
  // package.json, the lockfile, the changelog section and link, then `npm run metadata`.
  const rc = `${v.major + 1}.0.0-rc.1`;
  const asPrerelease = (): VersionedFiles => {
    const f = files();
    const lock = JSON.parse(f.packageLock) as { version: string; packages: Record<string, { version: string }> };
    lock.version = rc;
    lock.packages['']!.version = rc;
    return {
      ...f,
      packageJson: f.packageJson.replace(`"version": "${pkg.version}"`, `"version": "${rc}"`),
      packageLock: JSON.stringify(lock, null, 2),
      pipeYml: f.pipeYml.replace(`image: ${PIPE_IMAGE}`, `image: ${releaseImageRef(parseVersion(rc))}`),
      dockerfile: withDockerfileVersion(f.dockerfile, rc),
      help: withHelpVersion(f.help, rc),
      changelog: `${f.changelog.replace('## [Unreleased]\n', `## [Unreleased]\n\n## [${rc}] - 2027-01-04\n\n- A preview of ${v.major + 1}.0.0.\n`)}\n[${rc}]: https://github.com/codebuild-run/codebuild-run/releases/tag/v${rc}\n`,
    };
  };

  test('the exact homes name the prerelease; the README and SECURITY.md keep naming the last release', () => {
    const f = asPrerelease();
    expect(JSON.parse(f.packageJson).version).toBe(rc);
    expect(documentedVersion(rc, f.changelog)).toEqual(docs);
    expect(versionProblems(f)).toEqual([]);
    // What the README snippet harness and the pipe examples derive: still the last release's major.
    expect(userActionRef(documentedVersion(rc, f.changelog))).toBe(THIS_ACTION);
  });

  test("a README already naming the prerelease's major is caught", () => {
    const f = asPrerelease();
    const readme = f.readme.split(userActionRef(docs)).join(`${ACTION}@v${v.major + 1}`);
    expect(versionProblems({ ...f, readme })).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^README\\.md:\\d+: ${ACTION}@v${v.major + 1} names ${v.major + 1}, the docs name ${docs.text.replace(/\./g, '\\.')}, the last release before`,
        ),
      ),
    );
  });
});

describe('the check finds every disagreement', () => {
  const broken = (patch: Partial<VersionedFiles>) => versionProblems({ ...files(), ...patch });

  test('a stale lockfile, pipe.yml, Dockerfile label or banner', () => {
    const f = files();
    expect(broken({ packageLock: f.packageLock.replace(`"version": "${pkg.version}"`, '"version": "0.9.0"') })).toEqual([
      expect.stringMatching(/^package-lock\.json: version is 0\.9\.0/),
    ]);
    expect(broken({ pipeYml: f.pipeYml.replace(PIPE_IMAGE, 'codebuildrun/codebuild-run:0.1.0') })).toEqual([
      `pipe.yml: image is codebuildrun/codebuild-run:0.1.0, expected ${releaseImageRef(v)} (run npm run metadata)`,
    ]);
    expect(broken({ dockerfile: f.dockerfile.replace(`ARG VERSION=${pkg.version}`, 'ARG VERSION=0.1.0') })).toEqual([
      expect.stringMatching(/^Dockerfile: "ARG VERSION=0\.1\.0" should be/),
    ]);
    expect(broken({ dockerfile: f.dockerfile.replace(/@sha256:[0-9a-f]+/, '') })).toEqual([expect.stringMatching(/^Dockerfile: no "FROM <image>@sha256/)]);
    expect(broken({ help: f.help.replace(`codebuild-run ${pkg.version}:`, 'codebuild-run:') })).toEqual([
      expect.stringMatching(/^src\/config\/help\.ts: the --help banner does not say/),
    ]);
  });

  test('an old tag in the README, an exact tag in an example, a tag written in a workflow', () => {
    const readme = ['# x', '', 'Pin `codebuildrun/codebuild-run:0.1.0` to stay put.', '', '```yaml', `- uses: ${ACTION}@v${docs.text}`, '```', ''].join('\n');
    const which = v.prerelease ? `the docs name ${docs.text}, the last release before ${v.text}` : `the release is ${v.text}`;
    expect(broken({ readme })).toEqual([
      `README.md:3: codebuildrun/codebuild-run:0.1.0 names 0.1.0, ${which} (expected ${docs.text}; run npm run metadata)`,
      `README.md:6: ${ACTION}@v${docs.text}: examples name the major (${userActionRef(docs)})`,
    ]);
    expect(broken({ workflows: { 'x.yml': 'jobs:\n  a:\n    steps:\n      - run: docker pull ghcr.io/codebuild-run/codebuild-run:1\n' } })).toEqual([
      '.github/workflows/x.yml:4: ghcr.io/codebuild-run/codebuild-run:1: a literal tag; take it from the release plan',
    ]);
  });

  test('a changelog without the release, or without its link; SECURITY.md without the major', () => {
    const f = files();
    expect(broken({ changelog: f.changelog.replace(`## [${pkg.version}]`, '## [9.9.9]') })).toEqual([
      `CHANGELOG.md: no "## [${pkg.version}] - YYYY-MM-DD" section`,
    ]);
    expect(broken({ changelog: f.changelog.replace(`\n[${pkg.version}]: `, '\n[x]: ') })).toEqual([expect.stringMatching(/^CHANGELOG\.md: no link/)]);
    expect(broken({ security: f.security.replace(new RegExp(`\\b${docs.major}\\.x\\b`, 'g'), 'the latest') })).toEqual([
      `SECURITY.md: does not name ${docs.major}.x among the supported versions`,
    ]);
  });

  test('a version that is not semver', () => {
    expect(broken({ packageJson: JSON.stringify({ version: '1.0' }) })).toEqual([
      expect.stringMatching(/^package\.json: version: "1\.0" is not a semantic version/),
    ]);
  });
});

const ACTION = 'codebuild-run/codebuild-run';

describe('references, found and moved to a version', () => {
  const text = [
    `uses: ${ACTION}@v1`, // 1
    'image: codebuildrun/codebuild-run:0.1.0', // 2
    'docker.io/codebuildrun/codebuild-run:1.2 and ghcr.io/codebuild-run/codebuild-run:1.2.3-rc.1.', // 3
    'https://github.com/codebuild-run/codebuild-run and codebuildrun/codebuild-run alone are not versions', // 4
    'xcodebuildrun/codebuild-run:1 and my-codebuild-run/codebuild-run@v1 are someone else', // 5
  ].join('\n');

  test('each with its line, kind, tag and shape', () => {
    expect(findVersionRefs(text).map(({ line, kind, tag, shape }) => [line, kind, tag, shape])).toEqual([
      [1, 'action', '1', 'major'],
      [2, 'image', '0.1.0', 'exact'],
      [3, 'image', '1.2', 'minor'],
      [3, 'image', '1.2.3-rc.1', 'exact'],
    ]);
  });

  test('moved keeping their shape: a major stays a major, an exact tag becomes the release', () => {
    expect(withVersionRefs(text, '2.1.0').split('\n').slice(0, 3)).toEqual([
      `uses: ${ACTION}@v2`,
      'image: codebuildrun/codebuild-run:2.1.0',
      'docker.io/codebuildrun/codebuild-run:2.1 and ghcr.io/codebuild-run/codebuild-run:2.1.0.',
    ]);
    expect(withVersionRefs(text, pkg.version).split('\n').slice(3)).toEqual(text.split('\n').slice(3));
  });

  test('a prerelease moves none of them: users keep reading the last release', () => {
    expect(withVersionRefs(text, '2.0.0-rc.1')).toBe(text);
  });

  test('code blocks are told apart from prose', () => {
    const md = ['`codebuildrun/codebuild-run:1.0.0`', '```sh', 'docker run codebuildrun/codebuild-run:1', '```'].join('\n');
    expect(findVersionRefs(md).map((r) => [r.line, r.inCode])).toEqual([
      [1, false],
      [3, true],
    ]);
  });
});
