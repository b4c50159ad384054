// What a release is, from package.json's version and the release tags that already exist: the
// image tags it pushes, the git tag it moves, whether it becomes GitHub's "Latest", and its notes.
// Pure: versions and tags come in as text, the plan goes out. `scripts/release.ts` (the dry run and
// the release workflow's check) and the unit tests share it; `scripts/release-refs.ts` checks the
// files that name a version, and `scripts/metadata.ts` writes them.
//
// The rule for what names which version:
// - what users write names the major: `uses: codebuild-run/codebuild-run@v1`,
//   `codebuildrun/codebuild-run:1`; a release moves both to itself when it is the highest release
//   of its major, so fixes arrive without an edit (GitHub's convention for actions; for images,
//   docker/metadata-action's semver tags), and a backport (1.2.1 after 1.3.0) moves nothing back;
// - what describes one release names it exactly: pipe.yml's `image:`, the image's version label,
//   the `--help` banner, the CHANGELOG section, the git tag `v1.0.0`;
// - a prerelease (`2.0.0-rc.1`) pushes its own tags only, and the docs keep naming the last release.
// Users who want a build that never changes pin the exact tag (`@v1.0.0`, `:1.0.0`) or a digest.

export const ACTION_REPOSITORY = 'codebuild-run/codebuild-run';
/** The image's name on Docker Hub, as users write it (and as pipe.yml names it). */
export const IMAGE = 'codebuildrun/codebuild-run';
/** Where the release workflow pushes the image: Docker Hub (the name users write) and GHCR. */
export const REGISTRIES = [`docker.io/${IMAGE}`, `ghcr.io/${ACTION_REPOSITORY}`] as const;
export const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;
export const REPOSITORY_URL = `https://github.com/${ACTION_REPOSITORY}`;
/** The Dockerfile stage the release builds on: node pinned by digest (Dependabot keeps it current). */
export const RELEASE_BASE_STAGE = 'release-base';

export interface Version {
  readonly text: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** `rc.1` in `1.1.0-rc.1`; a prerelease moves no major or minor tag. */
  readonly prerelease?: string;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?$/;

export function parseVersion(text: string): Version {
  const m = SEMVER.exec(text);
  if (!m) throw new Error(`"${text}" is not a semantic version (MAJOR.MINOR.PATCH, optionally -prerelease)`);
  return { text, major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), ...(m[4] && { prerelease: m[4] }) };
}

/** Semantic versioning's precedence: negative when a < b. */
export function compareVersions(a: Version, b: Version): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core || a.prerelease === b.prerelease) return core;
  if (a.prerelease === undefined) return 1;
  if (b.prerelease === undefined) return -1;
  const [x, y] = [a.prerelease.split('.'), b.prerelease.split('.')];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i]!, y[i]!];
    if (p === q) continue;
    const [pn, qn] = [/^\d+$/.test(p), /^\d+$/.test(q)];
    if (pn && qn) return Number(p) - Number(q);
    return pn ? -1 : qn ? 1 : p < q ? -1 : 1;
  }
  return x.length - y.length;
}

/** The releases (not prereleases) among git tags: `v1.2.3` or `refs/tags/v1.2.3`; `v1` and others ignored. */
export function releasedVersions(tags: readonly string[]): Version[] {
  return tags.flatMap((tag) => {
    const m = /^(?:refs\/tags\/)?v(\d+\.\d+\.\d+)$/.exec(tag.trim());
    return m ? [parseVersion(m[1]!)] : [];
  });
}

/** What users write: `@v1` and `:1`. */
export const userActionRef = (v: Version) => `${ACTION_REPOSITORY}@v${v.major}`;
export const userImageRef = (v: Version) => `${IMAGE}:${v.major}`;
/** What describes one release: pipe.yml's image. */
export const releaseImageRef = (v: Version) => `${IMAGE}:${v.text}`;

export interface ReleasePlan {
  readonly version: Version;
  readonly prerelease: boolean;
  /** The tag a maintainer pushes, which starts the release workflow. */
  readonly gitTag: string;
  /** The tag the workflow moves to the release (`v1`): only when it is the highest release of its major. */
  readonly majorGitTag?: string;
  /** Image tags, most specific first: `1.0.0`, then `1.0` and `1` when it is the highest of that line. */
  readonly imageTags: readonly string[];
  /** Every image reference pushed: each registry × each tag. */
  readonly imageRefs: readonly string[];
  readonly platforms: readonly string[];
  /** GitHub's "Latest" release: the highest release of all (never a prerelease). */
  readonly latest: boolean;
  /** The highest existing release above this one, which keeps what this one does not move. */
  readonly newer?: string;
  /** How users get this release: `@v1` when it moved v1, else `@v1.2.1` (there is no `@v1.2`). */
  readonly actionRef: string;
  /** The least specific image tag it moved: `:1`, `:1.2` for a backport, or its own. */
  readonly imageRef: string;
}

/**
 * The plan for `versionText`, given the git tags that exist (the pushed tag among them, or not).
 * A release moves `X.Y` only when nothing in X.Y is higher, `X` and `vX` only when nothing in X is
 * higher, and is "Latest" only when nothing at all is higher; prereleases in the tags are ignored.
 */
export function releasePlan(versionText: string, existingTags: readonly string[] = []): ReleasePlan {
  const version = parseVersion(versionText);
  const prerelease = version.prerelease !== undefined;
  const higher = releasedVersions(existingTags)
    .filter((r) => compareVersions(r, version) > 0)
    .sort(compareVersions);
  const highestOf = (same: (r: Version) => boolean) => !prerelease && !higher.some(same);
  const movesMinor = highestOf((r) => r.major === version.major && r.minor === version.minor);
  const movesMajor = highestOf((r) => r.major === version.major);
  const imageTags = [version.text, ...(movesMinor ? [`${version.major}.${version.minor}`] : []), ...(movesMajor ? [`${version.major}`] : [])];
  const gitTag = `v${version.text}`;
  return {
    version,
    prerelease,
    gitTag,
    ...(movesMajor && { majorGitTag: `v${version.major}` }),
    imageTags,
    imageRefs: REGISTRIES.flatMap((registry) => imageTags.map((tag) => `${registry}:${tag}`)),
    platforms: PLATFORMS,
    latest: highestOf(() => true),
    ...(higher.length > 0 && { newer: higher.at(-1)!.text }),
    actionRef: movesMajor ? userActionRef(version) : `${ACTION_REPOSITORY}@${gitTag}`,
    imageRef: `${IMAGE}:${imageTags.at(-1)}`,
  };
}

/** The release workflow's own check: the pushed tag is package.json's version. */
export function tagProblems(tag: string, versionText: string): string[] {
  return tag === `v${versionText}` ? [] : [`the tag ${tag} is not v${versionText} (package.json's version): bump the version, or tag v${versionText}`];
}

// ---- the changelog ---------------------------------------------------------------------------

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The body of `## [version] - YYYY-MM-DD` (undefined when there is no such section). */
export function changelogSection(changelog: string, version: string): { date: string; body: string } | undefined {
  const head = new RegExp(String.raw`^## \[${literal(version)}\] - (\d{4}-\d{2}-\d{2})\s*$`);
  const found = sectionUnder(changelog, head);
  return found && { date: found.match[1]!, body: found.body };
}

/** The lines under the first `## ` heading that `head` matches, to the next heading or link list. */
function sectionUnder(changelog: string, head: RegExp): { match: RegExpExecArray; body: string } | undefined {
  const lines = changelog.split('\n');
  const start = lines.findIndex((l) => head.test(l));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !/^## /.test(lines[end]!) && !/^\[[^\]]+\]: /.test(lines[end]!)) end++;
  return {
    match: head.exec(lines[start]!)!,
    body: lines
      .slice(start + 1, end)
      .join('\n')
      .trim(),
  };
}

/** Entries still under `## [Unreleased]`: a release tagged now would ship them without its notes saying so. */
export function unreleasedEntries(changelog: string): string {
  return sectionUnder(changelog, /^## \[Unreleased\]\s*$/)?.body ?? '';
}

/**
 * The release the docs (README, SECURITY.md, the pipe examples) name while package.json says
 * `versionText`: that version; for a prerelease, the highest release below it with a changelog
 * section (users keep reading about what they can run: during 2.0.0-rc.1, `@v1`), or, before any
 * release, the prerelease's own MAJOR.MINOR.PATCH.
 */
export function documentedVersion(versionText: string, changelog: string): Version {
  const version = parseVersion(versionText);
  if (version.prerelease === undefined) return version;
  const released = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}\s*$/gm)]
    .map((m) => parseVersion(m[1]!))
    .filter((r) => compareVersions(r, version) < 0)
    .sort(compareVersions);
  return released.at(-1) ?? parseVersion(`${version.major}.${version.minor}.${version.patch}`);
}

/** The GitHub release's notes: the changelog section, and how to get the artifacts. */
export function releaseNotes(changelog: string, plan: ReleasePlan): string {
  const { text } = plan.version;
  const section = changelogSection(changelog, text);
  if (!section) throw new Error(`CHANGELOG.md has no "## [${text}] - YYYY-MM-DD" section`);
  // Keep a Changelog: at release time the Unreleased entries move into the version's section.
  if (unreleasedEntries(changelog)) {
    throw new Error(`CHANGELOG.md: "## [Unreleased]" has entries: move them into the ${text} section before tagging v${text}`);
  }
  const pin = plan.actionRef.endsWith(`@${plan.gitTag}`) ? '' : ` (or \`@${plan.gitTag}\` to pin this release)`;
  return [
    section.body,
    '',
    '### Artifacts',
    '',
    `- GitHub Action: \`uses: ${plan.actionRef}\`${pin}`,
    `- Image (${plan.platforms.join(', ')}), with provenance and an SBOM: ${plan.imageRefs.map((r) => `\`${r}\``).join(', ')}`,
    `- Bitbucket: \`pipe: docker://${plan.imageRef}\``,
    ...(plan.prerelease || plan.majorGitTag
      ? []
      : ['', `A newer ${plan.version.major}.x release exists: \`@v${plan.version.major}\` and the \`:${plan.version.major}\` image stay on it.`]),
    '',
  ].join('\n');
}
