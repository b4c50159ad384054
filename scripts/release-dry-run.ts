// `npm run release -- --dry-run` (scripts/release.ts): every part of the release that runs on this
// machine, then what the release workflow would push, from the same plan. Nothing is pushed.
import { spawnSync } from 'node:child_process';
import { VERSION } from './metadata';
import { buildImage, importNodeBase, localPlatform, podman, podmanMissing, ROOT } from './release-image';
import { ACTION_REPOSITORY, releaseNotes, releasePlan } from './release-plan';
import { gitOr, localTags, read, releaseBase, remoteTags, repositoryProblems } from './release-repo';
import { makeSbom, SBOM_TOOL } from './release-sbom';

const out = (line = '') => process.stdout.write(`${line}\n`);

interface Step {
  ok: boolean;
  title: string;
}

function step(title: string, run: () => string[] | { problems: string[]; info: string[] }): Step {
  out(`… ${title}`);
  let problems: string[];
  let info: string[] = [];
  try {
    const r = run();
    if (Array.isArray(r)) problems = r;
    else ({ problems, info } = r);
  } catch (err) {
    problems = [(err as Error).message.trim()];
  }
  const ok = problems.length === 0;
  out(`${ok ? '✔' : '✖'} ${title}`);
  for (const line of [...problems, ...info]) out(`    ${line}`);
  return { ok, title };
}

/** This clone's `v*` tags and origin's (when reachable): the plan compares the version with them. */
function knownTags(): { tags: Map<string, string>; remote: Map<string, string> | { error: string }; local: Map<string, string> } {
  let local = new Map<string, string>();
  try {
    local = localTags();
  } catch {
    // not a git clone: no tags
  }
  const remote = remoteTags();
  return { tags: new Map([...local, ...(remote instanceof Map ? remote : [])]), remote, local };
}

function imageStep(version: string): Step {
  const platform = localPlatform();
  const image = `localhost/codebuild-run:${version}-dry-run`;
  return step(`image built with podman for ${platform} (this machine), on a local Node base`, () => {
    const missing = podmanMissing();
    if (missing) return [`${missing}: install podman and runc, or pass --skip-image`];
    const base = 'localhost/codebuild-run-node-base:release-dry-run';
    importNodeBase(base);
    buildImage({ tag: image, base, version });
    const labels = JSON.parse(podman('image', 'inspect', image, '--format', '{{json .Labels}}')) as Record<string, string>;
    // podman here may not raise the container's limits past the host's: ask for what it allows.
    const run = ['run', '--rm', '--ulimit', 'nofile=4096:4096', '--ulimit', 'nproc=4096:4096'];
    const help = podman(...run, image, '--help').split('\n')[0] ?? '';
    const licences = podman(
      ...run,
      '--entrypoint',
      'node',
      image,
      '-e',
      'process.stdout.write(require("fs").readFileSync("/opt/codebuild-run/licenses.txt","utf8"))',
    );
    const problems = [
      ...(labels['org.opencontainers.image.version'] === version
        ? []
        : [`label org.opencontainers.image.version is ${labels['org.opencontainers.image.version']}`]),
      ...(help.startsWith(`codebuild-run ${version}:`) ? [] : [`--help starts "${help}", not "codebuild-run ${version}:"`]),
      ...(licences === read('dist/licenses.txt') ? [] : ['/opt/codebuild-run/licenses.txt in the image is not dist/licenses.txt']),
    ];
    const size = podman('image', 'inspect', image, '--format', '{{.Size}}').trim();
    return {
      problems,
      info: [`${image} (${(Number(size) / 1e6).toFixed(0)} MB), label version ${labels['org.opencontainers.image.version']}`, `--help: ${help}`],
    };
  });
}

export function dryRun(skipImage: boolean): number {
  const known = knownTags();
  const plan = releasePlan(VERSION, [...known.tags.keys()]);
  const v = plan.version;
  out(`Release dry run: codebuild-run ${v.text} (package.json), from ${gitOr('an unknown commit', 'rev-parse', '--short', 'HEAD')}. Nothing is pushed.`);
  out();
  const steps: Step[] = [];
  steps.push(step('versions agree and generated files are current', () => repositoryProblems()));
  let notes = '';
  steps.push(
    step(`CHANGELOG.md has the ${v.text} section (the release notes)`, () => {
      notes = releaseNotes(read('CHANGELOG.md'), plan);
      return [];
    }),
  );
  steps.push(
    step('dist/ is the bundle of src/ and its licences (npm run check-dist)', () => {
      const r = spawnSync(process.execPath, ['scripts/build.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
      return r.status === 0 ? { problems: [], info: [r.stdout.trim()] } : [(r.stderr || r.stdout).trim()];
    }),
  );
  steps.push(
    step(`the SBOM of the bundled npm packages (${SBOM_TOOL}) lists every package in dist/licenses.txt`, () => {
      const sbom = makeSbom(ROOT);
      return { problems: sbom.problems, info: [`${sbom.components} components (CycloneDX JSON), attested to the image by the workflow`] };
    }),
  );
  steps.push(
    step('git: the tag is new, here and on origin', () => {
      const where = [...(known.local.has(plan.gitTag) ? ['here'] : []), ...(known.remote instanceof Map && known.remote.has(plan.gitTag) ? ['on origin'] : [])];
      const dirty = gitOr('', 'status', '--porcelain').split('\n').filter(Boolean).length;
      return {
        problems: where.length
          ? [
              `${plan.gitTag} already exists ${where.join(' and ')} (at ${known.tags.get(plan.gitTag)!.slice(0, 12)}): bump package.json's version for a new release`,
            ]
          : [],
        info: [
          ...(known.remote instanceof Map
            ? []
            : [`note: origin's tags could not be read (${known.remote.error}); checked this clone's only, and planned against them`]),
          ...(dirty ? [`note: ${dirty} uncommitted change(s) here; the release is built from the commit the tag names, not from this tree`] : []),
        ],
      };
    }),
  );
  if (skipImage) out('- image build skipped (--skip-image)');
  else steps.push(imageStep(v.text));

  const failed = steps.filter((s) => !s.ok);
  out();
  out(`The release workflow, on \`git push origin ${plan.gitTag}\`, would:`);
  out(`  1. run the CI workflow (npm test, the action from the checkout, the container) and check the tag is v${v.text}`);
  out(`  2. build ${plan.platforms.join(' and ')} on ${releaseBase() ?? '(no pinned release base!)'}`);
  out(`     with provenance (mode=max), BuildKit's SBOM, and signed provenance and npm SBOM attestations, and push:`);
  for (const ref of plan.imageRefs) out(`       ${ref}`);
  if (!plan.prerelease && !plan.majorGitTag)
    out(`     (not :${v.major}${plan.imageTags.length < 2 ? ` or :${v.major}.${v.minor}` : ''}: a newer release holds it)`);
  const latest = plan.latest ? 'marked Latest' : `not marked Latest${plan.newer ? ` (${plan.newer} is higher)` : ''}`;
  out(`  3. create the GitHub release ${plan.gitTag}${plan.prerelease ? ' (a prerelease)' : ''} of ${ACTION_REPOSITORY}, ${latest}, with these notes:`);
  for (const line of (notes || '(none: the changelog section is missing)').split('\n')) out(`       | ${line}`);
  if (plan.majorGitTag)
    out(`  4. move ${plan.majorGitTag} to the released commit with the release App's token (users' \`uses: ${plan.actionRef}\` follows it)`);
  else out(`  4. move no major tag (${plan.prerelease ? 'a prerelease' : `a newer ${v.major}.x release holds v${v.major}`})`);
  out(`  then, by hand: release the GitLab component in the GitLab mirror as ${v.text} (README "Releasing", step 5)`);
  out();
  if (failed.length) {
    out(`✖ Not releasable: ${failed.map((s) => s.title).join('; ')}.`);
    return 1;
  }
  out(`✔ Ready: commit, then \`git tag ${plan.gitTag} && git push origin ${plan.gitTag}\`.`);
  return 0;
}
