// Every file that names a version, checked against package.json's (the rule for which name the
// major and which the exact release: scripts/release-plan.ts), and the rewriters `npm run metadata`
// uses to make them agree. Pure: files come in as text, problems go out as lines.
import {
  ACTION_REPOSITORY,
  changelogSection,
  documentedVersion,
  IMAGE,
  parseVersion,
  RELEASE_BASE_STAGE,
  REPOSITORY_URL,
  releaseImageRef,
  userActionRef,
  userImageRef,
  type Version,
} from './release-plan';

// ---- references to the artifacts, in any text ----------------------------------------------

export type RefShape = 'major' | 'minor' | 'exact';

export interface VersionRef {
  /** 1-based line. */
  readonly line: number;
  readonly kind: 'action' | 'image';
  /** As written: `codebuild-run/codebuild-run@v1`, `docker.io/codebuildrun/codebuild-run:1.0.0`. */
  readonly text: string;
  /** The tag or ref after `@v` / `:`, without the `v`. */
  readonly tag: string;
  readonly shape: RefShape;
  /** Inside a fenced code block (a Markdown file's examples). */
  readonly inCode: boolean;
}

const TAG = String.raw`(\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?)`;
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** The action (`owner/repo@vX`) and the image on either registry or unqualified (`name:X`). */
const REF = new RegExp(
  String.raw`(?<![\w./-])(?:(${literal(ACTION_REPOSITORY)})@v${TAG}|((?:docker\.io/)?${literal(IMAGE)}|ghcr\.io/${literal(ACTION_REPOSITORY)}):${TAG})(?![\w-])`,
  'g',
);

const shapeOf = (tag: string): RefShape => (/-|^\d+\.\d+\.\d+$/.test(tag) ? 'exact' : /^\d+\.\d+$/.test(tag) ? 'minor' : 'major');

/** Every reference to this action or image with a version, with its line and whether it is in a code block. */
export function findVersionRefs(text: string): VersionRef[] {
  const refs: VersionRef[] = [];
  let inCode = false;
  for (const [i, line] of text.split('\n').entries()) {
    if (/^\s*```/.test(line)) {
      inCode = !inCode;
      continue;
    }
    for (const m of line.matchAll(REF)) {
      const tag = (m[2] ?? m[4])!;
      refs.push({ line: i + 1, kind: m[1] ? 'action' : 'image', text: m[0], tag, shape: shapeOf(tag), inCode });
    }
  }
  return refs;
}

const tagFor = (shape: RefShape, v: Version) => (shape === 'major' ? `${v.major}` : shape === 'minor' ? `${v.major}.${v.minor}` : v.text);

/**
 * Every reference rewritten to `version`, keeping its shape: `@v1` stays a major, `:0.1.0` becomes
 * `:1.0.0`. A prerelease changes nothing (`npm run metadata` passes the documented version, which
 * for a prerelease is the last release: scripts/release-plan.ts's documentedVersion).
 */
export function withVersionRefs(text: string, versionText: string): string {
  const v = parseVersion(versionText);
  if (v.prerelease) return text;
  return text.replace(REF, (_all, action?: string, actionTag?: string, image?: string, imageTag?: string) =>
    action ? `${action}@v${tagFor(shapeOf(actionTag!), v)}` : `${image}:${tagFor(shapeOf(imageTag!), v)}`,
  );
}

// ---- the one-line homes of the version ------------------------------------------------------

const DOCKERFILE_VERSION = /^ARG VERSION=.*$/m;
export const withDockerfileVersion = (dockerfile: string, version: string) => dockerfile.replace(DOCKERFILE_VERSION, `ARG VERSION=${version}`);

/** The `--help` banner's first words: `codebuild-run 1.0.0: start an AWS CodeBuild build…`. */
const BANNER = /^(\s*')codebuild-run(?: [^:' ]+)?(: start an AWS CodeBuild build)/m;
export const withHelpVersion = (helpSource: string, version: string) => helpSource.replace(BANNER, `$1codebuild-run ${version}$2`);

// ---- every file that names a version, checked together -----------------------------------------

export interface VersionedFiles {
  readonly packageJson: string;
  readonly packageLock: string;
  readonly pipeYml: string;
  readonly dockerfile: string;
  readonly help: string;
  readonly readme: string;
  readonly changelog: string;
  readonly security: string;
  /** `.github/workflows/*.yml`, by file name. */
  readonly workflows: Readonly<Record<string, string>>;
}

/** Every disagreement with package.json's version, one line each naming the file (and line). */
export function versionProblems(files: VersionedFiles): string[] {
  const problems: string[] = [];
  const pkg = JSON.parse(files.packageJson) as { version?: string };
  let v: Version;
  try {
    v = parseVersion(pkg.version ?? '');
  } catch (err) {
    return [`package.json: version: ${(err as Error).message}`];
  }
  const lock = JSON.parse(files.packageLock) as { version?: string; packages?: Record<string, { version?: string }> };
  for (const [where, found] of [
    ['version', lock.version],
    ['packages[""].version', lock.packages?.['']?.version],
  ] as const) {
    if (found !== v.text) problems.push(`package-lock.json: ${where} is ${found}, package.json says ${v.text} (run npm install --package-lock-only)`);
  }

  const pipeImage = /^image: (.*)$/m.exec(files.pipeYml)?.[1];
  if (pipeImage !== releaseImageRef(v)) problems.push(`pipe.yml: image is ${pipeImage}, expected ${releaseImageRef(v)} (run npm run metadata)`);

  const label = DOCKERFILE_VERSION.exec(files.dockerfile)?.[0];
  if (label !== `ARG VERSION=${v.text}`) problems.push(`Dockerfile: "${label}" should be "ARG VERSION=${v.text}" (run npm run metadata)`);
  if (!new RegExp(String.raw`^FROM [^\s]+@sha256:[0-9a-f]{64} AS ${RELEASE_BASE_STAGE}$`, 'm').test(files.dockerfile)) {
    problems.push(`Dockerfile: no "FROM <image>@sha256:<digest> AS ${RELEASE_BASE_STAGE}" stage for the release to build on`);
  }

  const banner = BANNER.exec(files.help)?.[0];
  if (!banner?.includes(`codebuild-run ${v.text}:`)) problems.push(`src/config/help.ts: the --help banner does not say ${v.text} (run npm run metadata)`);

  // Users' examples (code blocks) name the major; prose may name the exact release, to pin it.
  // During a prerelease they keep naming the last release.
  const docs = documentedVersion(v.text, files.changelog);
  const which = docs.text === v.text ? `the release is ${v.text}` : `the docs name ${docs.text}, the last release before ${v.text}`;
  for (const [file, text] of [
    ['README.md', files.readme],
    ['SECURITY.md', files.security],
  ] as const) {
    for (const ref of findVersionRefs(text)) {
      const expected = tagFor(ref.shape, docs);
      if (ref.tag !== expected) problems.push(`${file}:${ref.line}: ${ref.text} names ${ref.tag}, ${which} (expected ${expected}; run npm run metadata)`);
      else if (ref.inCode && ref.shape !== 'major') {
        problems.push(`${file}:${ref.line}: ${ref.text}: examples name the major (${ref.kind === 'action' ? userActionRef(docs) : userImageRef(docs)})`);
      }
    }
  }
  // The workflows take every tag from the release plan, so none is written in them.
  for (const [name, wf] of Object.entries(files.workflows)) {
    for (const ref of findVersionRefs(wf)) problems.push(`.github/workflows/${name}:${ref.line}: ${ref.text}: a literal tag; take it from the release plan`);
  }

  const section = changelogSection(files.changelog, v.text);
  if (!section) problems.push(`CHANGELOG.md: no "## [${v.text}] - YYYY-MM-DD" section`);
  else if (!section.body) problems.push(`CHANGELOG.md: the ${v.text} section is empty`);
  if (!files.changelog.includes(`\n[${v.text}]: ${REPOSITORY_URL}/releases/tag/v${v.text}`)) {
    problems.push(`CHANGELOG.md: no link "[${v.text}]: ${REPOSITORY_URL}/releases/tag/v${v.text}"`);
  }
  if (!new RegExp(String.raw`\b${docs.major}\.x\b`).test(files.security)) {
    problems.push(`SECURITY.md: does not name ${docs.major}.x among the supported versions`);
  }
  return problems;
}
