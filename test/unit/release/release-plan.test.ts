// The release plan: from one version and the release tags that exist, the image tags pushed (to
// both registries), the git tag moved, whether it is "Latest", and the notes; what the dry run
// prints and the release workflow executes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { githubOutputs } from '../../../scripts/release';
import {
  changelogSection,
  compareVersions,
  documentedVersion,
  parseVersion,
  releasedVersions,
  releaseNotes,
  releasePlan,
  tagProblems,
  unreleasedEntries,
} from '../../../scripts/release-plan';

const ROOT = join(__dirname, '../../..');
const CHANGELOG = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('the release plan', () => {
  test('1.0.0: three tags on each registry, the git tag and the moving major', () => {
    const plan = releasePlan('1.0.0');
    expect(plan.imageRefs).toEqual([
      'docker.io/codebuildrun/codebuild-run:1.0.0',
      'docker.io/codebuildrun/codebuild-run:1.0',
      'docker.io/codebuildrun/codebuild-run:1',
      'ghcr.io/codebuild-run/codebuild-run:1.0.0',
      'ghcr.io/codebuild-run/codebuild-run:1.0',
      'ghcr.io/codebuild-run/codebuild-run:1',
    ]);
    expect(plan).toMatchObject({ gitTag: 'v1.0.0', majorGitTag: 'v1', prerelease: false, latest: true, platforms: ['linux/amd64', 'linux/arm64'] });
    expect(plan.newer).toBeUndefined();
  });

  test('a later minor moves the same major, its own tag among the existing ones', () => {
    expect(releasePlan('1.4.2', ['v1.0.0', 'v1.4.1', 'v1.4.2', 'v1'])).toMatchObject({
      imageTags: ['1.4.2', '1.4', '1'],
      gitTag: 'v1.4.2',
      majorGitTag: 'v1',
      latest: true,
      actionRef: 'codebuild-run/codebuild-run@v1',
      imageRef: 'codebuildrun/codebuild-run:1',
    });
  });

  test('a backport moves no pointer back: 1.2.1 after 1.3.0 moves :1.2 only; 1.2.1 after 1.2.2 nothing', () => {
    const backport = releasePlan('1.2.1', ['v1.2.0', 'v1.3.0', 'v1.2.1']);
    expect(backport).toMatchObject({ imageTags: ['1.2.1', '1.2'], latest: false, newer: '1.3.0', actionRef: 'codebuild-run/codebuild-run@v1.2.1' });
    expect(backport.majorGitTag).toBeUndefined();
    expect(backport.imageRefs).not.toContain('docker.io/codebuildrun/codebuild-run:1');
    expect(releasePlan('1.2.1', ['v1.2.2'])).toMatchObject({ imageTags: ['1.2.1'], imageRef: 'codebuildrun/codebuild-run:1.2.1', latest: false });
  });

  test('a fix of an older major moves its own major, but is not "Latest"', () => {
    const plan = releasePlan('1.9.1', ['v1.9.0', 'v2.0.0', 'v2.1.0']);
    expect(plan).toMatchObject({ imageTags: ['1.9.1', '1.9', '1'], majorGitTag: 'v1', latest: false, newer: '2.1.0' });
  });

  test('prereleases and other tags among the existing ones are ignored', () => {
    expect(releasePlan('2.0.0', ['v2.0.0-rc.1', 'v2.1.0-beta.1', 'v3', 'v9.9', 'other', 'v1.0.0'])).toMatchObject({
      imageTags: ['2.0.0', '2.0', '2'],
      majorGitTag: 'v2',
      latest: true,
    });
    expect(releasedVersions(['refs/tags/v1.2.3', 'v1.2.3-rc.1', 'v1', 'x1.0.0']).map((v) => v.text)).toEqual(['1.2.3']);
  });

  test('a prerelease pushes its own tag only, moves nothing users pin, and is never "Latest"', () => {
    const plan = releasePlan('2.0.0-rc.1', ['v1.4.0']);
    expect(plan).toMatchObject({
      imageTags: ['2.0.0-rc.1'],
      gitTag: 'v2.0.0-rc.1',
      prerelease: true,
      latest: false,
      actionRef: 'codebuild-run/codebuild-run@v2.0.0-rc.1',
      imageRef: 'codebuildrun/codebuild-run:2.0.0-rc.1',
    });
    expect(plan.majorGitTag).toBeUndefined();
  });

  test("semantic versioning's precedence", () => {
    const sorted = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.2.0',
      '1.10.0',
      '2.0.0',
    ];
    const shuffled = [...sorted].reverse().sort((a, b) => compareVersions(parseVersion(a), parseVersion(b)));
    expect(shuffled).toEqual(sorted);
  });

  test('not a version: refused', () => {
    for (const bad of ['1.0', 'v1.0.0', '01.0.0', '1.0.0+build', '']) expect(() => parseVersion(bad)).toThrow(/not a semantic version/);
  });

  test('the pushed tag must be package.json version', () => {
    expect(tagProblems('v1.0.0', '1.0.0')).toEqual([]);
    expect(tagProblems('v1.0.1', '1.0.0')).toEqual([expect.stringMatching(/^the tag v1\.0\.1 is not v1\.0\.0/)]);
  });
});

describe('the version the docs name', () => {
  const log = ['## [Unreleased]', '', '## [2.0.0-rc.1] - 2027-02-01', '', '## [1.4.0] - 2027-01-02', '', '## [1.3.0] - 2026-12-06', ''].join('\n');

  test('a release: itself', () => {
    expect(documentedVersion('1.4.0', log).text).toBe('1.4.0');
  });

  test('a prerelease: the last release before it, in the changelog (users keep reading @v1 during 2.0.0-rc.1)', () => {
    expect(documentedVersion('2.0.0-rc.1', log).text).toBe('1.4.0');
    expect(documentedVersion('1.4.0-rc.1', log).text).toBe('1.3.0');
  });

  test('a prerelease before any release: its own MAJOR.MINOR.PATCH', () => {
    expect(documentedVersion('1.0.0-rc.1', '## [1.0.0-rc.1] - 2026-11-01\n').text).toBe('1.0.0');
  });
});

describe('the notes', () => {
  test("the changelog's section for the version, then where the artifacts are", () => {
    const v = parseVersion(version);
    const section = changelogSection(CHANGELOG, version)!;
    expect(section.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(section.body).not.toMatch(/^## |^\[Unreleased\]:/m);
    const plan = releasePlan(version);
    // Work after a release gathers under [Unreleased]; the notes of the version are what is checked here.
    const notes = releaseNotes(CHANGELOG.replace(/^## \[Unreleased\]\n[\s\S]*?(?=^## \[)/m, '## [Unreleased]\n\n'), plan);
    expect(notes.startsWith(section.body)).toBe(true);
    expect(notes).toContain(`\`ghcr.io/codebuild-run/codebuild-run:${version}\``);
    if (v.prerelease) {
      expect(notes).toContain(`\`uses: codebuild-run/codebuild-run@v${version}\``);
      expect(notes).toContain(`\`pipe: docker://codebuildrun/codebuild-run:${version}\``);
    } else {
      expect(notes).toContain(`\`uses: codebuild-run/codebuild-run@v${v.major}\` (or \`@v${version}\` to pin this release)`);
      expect(notes).toContain(`\`pipe: docker://codebuildrun/codebuild-run:${v.major}\``);
    }
  });

  test('a prerelease and a backport name what they pushed, not the major they did not move', () => {
    const log = ['## [2.0.0-rc.1] - 2027-02-01', '', '- rc', '', '## [1.2.1] - 2027-01-02', '', '- fix', ''].join('\n');
    const rc = releaseNotes(log, releasePlan('2.0.0-rc.1'));
    expect(rc).toContain('`uses: codebuild-run/codebuild-run@v2.0.0-rc.1`\n');
    expect(rc).toContain('`pipe: docker://codebuildrun/codebuild-run:2.0.0-rc.1`');
    expect(rc).not.toMatch(/@v2`|:2`/);
    const backport = releaseNotes(log, releasePlan('1.2.1', ['v1.3.0']));
    expect(backport).toContain('`uses: codebuild-run/codebuild-run@v1.2.1`\n');
    expect(backport).toContain('`pipe: docker://codebuildrun/codebuild-run:1.2`');
    expect(backport).toContain('A newer 1.x release exists: `@v1` and the `:1` image stay on it.');
  });

  test('entries left under [Unreleased] stop the release: its notes would not name them', () => {
    const log = (unreleased: string) => ['## [Unreleased]', '', unreleased, '', '## [1.0.0] - 2026-12-06', '', '- a', ''].join('\n');
    expect(unreleasedEntries(log('### Added\n\n- GitLab'))).toBe('### Added\n\n- GitLab');
    expect(() => releaseNotes(log('### Added\n\n- GitLab'), releasePlan('1.0.0'))).toThrow(
      'CHANGELOG.md: "## [Unreleased]" has entries: move them into the 1.0.0 section before tagging v1.0.0',
    );
    expect(releaseNotes(log(''), releasePlan('1.0.0'))).toMatch(/^- a\n/);
  });

  test('a version with no section has no notes', () => {
    expect(changelogSection(CHANGELOG, '9.9.9')).toBeUndefined();
    expect(() => releaseNotes(CHANGELOG, releasePlan('9.9.9'))).toThrow('CHANGELOG.md has no "## [9.9.9] - YYYY-MM-DD" section');
  });

  test('a section ends at the next release or at the link definitions', () => {
    const log = ['## [Unreleased]', '', '## [1.1.0] - 2027-01-02', '', '- b', '', '## [1.0.0] - 2026-12-06', '', '- a', '', '[1.0.0]: https://x'].join('\n');
    expect(changelogSection(log, '1.1.0')).toEqual({ date: '2027-01-02', body: '- b' });
    expect(changelogSection(log, '1.0.0')).toEqual({ date: '2026-12-06', body: '- a' });
  });
});

describe("the plan as the release workflow's jobs read it", () => {
  test('metadata-action gets raw tags, the exact one first; the rest as plain values', () => {
    const out = githubOutputs(releasePlan('1.0.0'), 'notes', 'node:24-alpine@sha256:abc');
    expect(out).toEqual({
      version: '1.0.0',
      prerelease: 'false',
      latest: 'true',
      'git-tag': 'v1.0.0',
      'major-tag': 'v1',
      images: 'docker.io/codebuildrun/codebuild-run\nghcr.io/codebuild-run/codebuild-run',
      'attestation-subject': 'docker.io/codebuildrun/codebuild-run',
      'metadata-tags': 'type=raw,value=1.0.0,priority=1000\ntype=raw,value=1.0,priority=999\ntype=raw,value=1,priority=998',
      platforms: 'linux/amd64,linux/arm64',
      'base-image': 'node:24-alpine@sha256:abc',
      notes: 'notes',
    });
    expect(githubOutputs(releasePlan('1.1.0-rc.1'), '', '')).toMatchObject({ 'major-tag': '', latest: 'false', prerelease: 'true' });
  });

  test('a backport: no major tag to move, not Latest, only the tags it owns', () => {
    expect(githubOutputs(releasePlan('1.2.1', ['v1.3.0']), '', '')).toMatchObject({
      'major-tag': '',
      latest: 'false',
      'metadata-tags': 'type=raw,value=1.2.1,priority=1000\ntype=raw,value=1.2,priority=999',
    });
  });
});
