// This repository as the release sees it: the files that name a version (checked by
// scripts/release-refs.ts), the generated files, the pinned base, and the release tags that exist
// here and, when it can be reached, on the remote.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionYml, COMPONENT_FILE, dockerfile, gitlabComponent, helpSource, pipeYml, withTables } from './metadata';
import { ROOT } from './release-image';
import { RELEASE_BASE_STAGE } from './release-plan';
import { type VersionedFiles, versionProblems } from './release-refs';

export const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

const WORKFLOWS = '.github/workflows';
export const workflowFiles = (): Record<string, string> =>
  Object.fromEntries(
    readdirSync(join(ROOT, WORKFLOWS))
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => [f, read(`${WORKFLOWS}/${f}`)]),
  );

/** The files that name a version, as they are in this checkout. */
export const versionedFiles = (): VersionedFiles => ({
  packageJson: read('package.json'),
  packageLock: read('package-lock.json'),
  pipeYml: read('pipe.yml'),
  dockerfile: read('Dockerfile'),
  help: read('src/config/help.ts'),
  readme: read('README.md'),
  changelog: read('CHANGELOG.md'),
  security: read('SECURITY.md'),
  workflows: workflowFiles(),
});

/** Everything that names the version disagrees with package.json, or a generated file is stale. */
export function repositoryProblems(): string[] {
  const problems = versionProblems(versionedFiles());
  const generated: [string, (text: string) => string][] = [
    ['action.yml', () => actionYml()],
    ['pipe.yml', () => pipeYml()],
    ['README.md', withTables],
    ['Dockerfile', dockerfile],
    ['src/config/help.ts', helpSource],
    [COMPONENT_FILE, () => gitlabComponent()],
  ];
  for (const [file, generate] of generated) {
    const text = read(file);
    if (generate(text) !== text) problems.push(`${file}: not what \`npm run metadata\` generates from src/config/inputs.ts and package.json: run it`);
  }
  return [...new Set(problems)];
}

/** The digest-pinned base the release builds on (the Dockerfile's `release-base` stage). */
export function releaseBase(dockerfileText = read('Dockerfile')): string | undefined {
  return new RegExp(String.raw`^FROM (\S+@sha256:[0-9a-f]{64}) AS ${RELEASE_BASE_STAGE}$`, 'm').exec(dockerfileText)?.[1];
}

export const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
export const gitOr = (fallback: string, ...args: string[]) => {
  try {
    return git(...args);
  } catch {
    return fallback;
  }
};

/** Tag name → commit, for `v*` tags: this clone's (the release workflow's checkout fetches every tag). */
export function localTags(): Map<string, string> {
  const lines = git('for-each-ref', '--format=%(refname:strip=2) %(objectname) %(*objectname)', 'refs/tags/v*');
  return new Map(
    lines
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '))
      .map(([name, object, peeled]) => [name!, peeled || object!]),
  );
}

/** Tag name → commit on `origin` (`git ls-remote`), or why it could not be read (offline, no remote). */
export function remoteTags(): Map<string, string> | { error: string } {
  let out: string;
  if (!gitOr('', 'remote', 'get-url', 'origin')) return { error: 'no remote named origin' };
  try {
    out = git('ls-remote', '--tags', 'origin', 'refs/tags/v*');
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0] ?? 'git ls-remote failed' };
  }
  const tags = new Map<string, string>();
  for (const line of out.split('\n').filter(Boolean)) {
    const [sha, ref] = line.split('\t');
    const name = ref!.replace(/^refs\/tags\//, '');
    if (name.endsWith('^{}'))
      tags.set(name.slice(0, -3), sha!); // the commit an annotated tag names
    else if (!tags.has(name)) tags.set(name, sha!);
  }
  return tags;
}
