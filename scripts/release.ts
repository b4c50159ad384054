// `npm run release -- --dry-run`: every part of a release that can run on this machine, and what
// the release workflow (.github/workflows/release.yml) would push. Nothing is pushed or tagged here:
// a release is made by pushing the tag `vX.Y.Z`; the workflow then builds, pushes and publishes.
//
//   --dry-run [--skip-image]   versions, generated files, changelog, dist/, the tag (here and on
//                              origin), the image built with podman for this machine's architecture,
//                              then the plan (scripts/release-dry-run.ts); exit 1 on any problem
//   --check [--tag vX.Y.Z] [--github-output]
//                              the release workflow's gate: versions, generated files, changelog (and the
//                              pushed tag); writes the plan to $GITHUB_OUTPUT for the later jobs
//   --notes                    the GitHub release's notes (the changelog section), on stdout
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { VERSION } from './metadata';
import { dryRun } from './release-dry-run';
import { REGISTRIES, type ReleasePlan, releaseNotes, releasePlan, tagProblems } from './release-plan';
import { localTags, read, releaseBase, repositoryProblems } from './release-repo';

/** The plan as the release workflow's later jobs read it (`needs.plan.outputs.*`). */
export function githubOutputs(plan: ReleasePlan, notes: string, base: string): Record<string, string> {
  return {
    version: plan.version.text,
    prerelease: String(plan.prerelease),
    latest: String(plan.latest),
    'git-tag': plan.gitTag,
    'major-tag': plan.majorGitTag ?? '',
    images: REGISTRIES.join('\n'),
    // The name the signed provenance attestation gives the image; its digest is the same on both registries.
    'attestation-subject': REGISTRIES[0],
    // docker/metadata-action crosses these with `images`; the first names the version label.
    'metadata-tags': plan.imageTags.map((tag, i) => `type=raw,value=${tag},priority=${1000 - i}`).join('\n'),
    platforms: plan.platforms.join(','),
    'base-image': base,
    notes,
  };
}

function writeGithubOutputs(outputs: Record<string, string>): void {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) throw new Error('--github-output: GITHUB_OUTPUT is not set (it is, in a GitHub Actions step)');
  for (const [name, value] of Object.entries(outputs)) {
    const delimiter = `EOF_${randomUUID()}`;
    appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
  }
}

const out = (line = '') => process.stdout.write(`${line}\n`);

/** The workflow's check. Its checkout fetched every tag, so this clone's tags are the repository's. */
function check(tag: string | undefined, githubOutput: boolean): number {
  const problems = [...repositoryProblems(), ...(tag ? tagProblems(tag, VERSION) : [])];
  let tags: Map<string, string> = new Map();
  try {
    tags = localTags();
  } catch (err) {
    problems.push(`git: the release tags could not be listed: ${(err as Error).message.split('\n')[0]}`);
  }
  if (tag && !tags.has(tag)) problems.push(`git: ${tag} is not among this clone's tags: check out with fetch-tags: true, so the plan sees every release`);
  const plan = releasePlan(VERSION, [...tags.keys()]);
  const base = releaseBase();
  let notes = '';
  try {
    notes = releaseNotes(read('CHANGELOG.md'), plan);
  } catch (err) {
    problems.push((err as Error).message);
  }
  for (const p of problems) out(`✖ ${p}`);
  if (problems.length) return 1;
  out(`✔ codebuild-run ${VERSION}: versions agree${tag ? `, ${tag} is package.json's version` : ''}; would push ${plan.imageRefs.join(', ')}`);
  out(
    `  ${plan.majorGitTag ? `moves ${plan.majorGitTag}` : 'moves no major tag'}; ${plan.latest ? 'the Latest release' : `not the Latest release${plan.newer ? ` (${plan.newer} is higher)` : ''}`}`,
  );
  if (githubOutput) writeGithubOutputs(githubOutputs(plan, notes, base!));
  return 0;
}

function main(argv: string[]): number {
  const tagAt = argv.indexOf('--tag');
  if (argv.includes('--dry-run')) return dryRun(argv.includes('--skip-image'));
  if (argv.includes('--check')) return check(tagAt >= 0 ? argv[tagAt + 1] : undefined, argv.includes('--github-output'));
  if (argv.includes('--notes')) {
    process.stdout.write(releaseNotes(read('CHANGELOG.md'), releasePlan(VERSION, [...localTags().keys()])));
    return 0;
  }
  process.stderr.write(
    [
      'usage: npm run release -- --dry-run [--skip-image]',
      '       tsx scripts/release.ts --check [--tag vX.Y.Z] [--github-output] | --notes',
      '',
      `A release is made by pushing its tag (git tag v${VERSION} && git push origin v${VERSION}); the release`,
      'workflow builds, pushes and publishes it. This script never pushes.',
      '',
    ].join('\n'),
  );
  return 2;
}

if (process.argv[1]?.endsWith('release.ts')) process.exitCode = main(process.argv.slice(2));
