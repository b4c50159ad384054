import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { successScript } from '../fake/build-script';
import type { FakeAws } from '../fake/fake-aws';
import { bitbucketPipe } from '../platforms/bitbucket-pipe';
import { githubStep } from '../platforms/github-runner';
import { buildOf, useFake, withPrivateFake } from './helpers';
import { type BundleRun, readJson, runBundle, startBundle } from './run-bundle';
import { SlackReceiver } from './slack-receiver';

/** A checkout of 3,000 small files, build output and noise to exclude, and one 20 MB asset. */
function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cbr-src-'));
  for (let d = 0; d < 30; d++) {
    mkdirSync(join(dir, 'src', `mod${d}`), { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, 'src', `mod${d}`, `file${f}.ts`), `export const v${f} = ${d * 100 + f};\n`);
  }
  mkdirSync(join(dir, 'node_modules/left-pad'), { recursive: true });
  writeFileSync(join(dir, 'node_modules/left-pad/index.js'), 'module.exports = 1;\n');
  mkdirSync(join(dir, '.git'), { recursive: true });
  writeFileSync(join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  writeFileSync(join(dir, 'debug.log'), 'noise\n');
  writeFileSync(join(dir, 'keep.log'), 'wanted\n');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets/blob.bin'), randomFillSync(Buffer.alloc(20 * 1024 * 1024)));
  return dir;
}

/** The zip the build of `project` was given, as a file, and its entries (sorted). */
function zipOf(fake: FakeAws, project: string): { file: string; entries: string[] } {
  const key = `ci-sources/${buildOf(fake, project).request.sourceLocationOverride.slice('ci-sources/'.length)}`;
  const file = join(mkdtempSync(join(tmpdir(), 'cbr-zip-')), 'source.zip');
  writeFileSync(file, fake.s3.objects.get(key)!);
  const entries = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8', maxBuffer: 1 << 24 })
    .trim()
    .split('\n')
    .sort();
  return { file, entries };
}

const aws = useFake((fake) => {
  fake.addProject('up', successScript({ lines: ['building the uploaded zip'] }));
  fake.addProject('up-keep', successScript({ lines: ['building the uploaded zip'] }));
  fake.addProject('up-gh', successScript({ lines: ['building the uploaded zip'] }));
});

describe('upload-source: build what the CI checked out', () => {
  test.concurrent('zips the checkout (excludes honoured), uploads it multipart, builds it from S3, deletes it after', async () => {
    const dir = checkout();
    const r = await runBundle(
      {
        ...aws.env,
        PROJECT_NAME: 'up',
        UPLOAD_SOURCE: 's3://ci-sources/app',
        UPLOAD_EXCLUDE: '*.log\n!keep.log',
        CI_COMMIT_SHA: 'abc123def4567890',
        GITLAB_CI: 'true',
      },
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const build = buildOf(aws.fake, 'up');
    const key = `ci-sources/${build.request.sourceLocationOverride.slice('ci-sources/'.length)}`;
    expect(build.request).toMatchObject({
      sourceTypeOverride: 'S3',
      sourceLocationOverride: expect.stringMatching(/^ci-sources\/app\/codebuild-run\/abc123def456-[0-9a-f]{8}\.zip$/),
    });
    const ops = aws.fake.s3.calls.filter((c) => c.key === key).map((c) => c.op);
    expect(ops[0]).toBe('CreateMultipartUpload');
    expect(ops.filter((o) => o === 'UploadPart').length).toBeGreaterThanOrEqual(3);
    expect(ops.slice(-2)).toEqual(['CompleteMultipartUpload', 'DeleteObject']);
    expect(aws.fake.s3.objects.has(key)).toBe(false);
    expect(r.stdout).toMatch(/INFO: Uploading the working directory \(3004 files, 2\d\.\d MB zipped\) to s3:\/\/ci-sources\/app\/codebuild-run\//);
    expect(r.stdout).toContain('INFO: Uploaded 100%');
    expect(readJson(join(dir, 'codebuild-result.json'))!['source-location']).toBe(build.request.sourceLocationOverride);
  });

  test.concurrent('keep-source keeps the zip; it holds exactly the checkout minus the excludes, plus the commit hash', async () => {
    const dir = checkout();
    const bb = bitbucketPipe({
      form: 'docker',
      variables: { ...aws.env, PROJECT_NAME: 'up-keep', UPLOAD_SOURCE: 's3://ci-sources', UPLOAD_EXCLUDE: ['*.log', '!keep.log'], KEEP_SOURCE: true },
      bitbucket: { BITBUCKET_BUILD_NUMBER: '3', BITBUCKET_COMMIT: 'fedcba9876543210', BITBUCKET_CLONE_DIR: dir },
    });
    const r = await runBundle(bb.env, { cwd: bb.cloneDir });
    expect(r.code).toBe(0);
    const key = `ci-sources/${buildOf(aws.fake, 'up-keep').request.sourceLocationOverride.slice('ci-sources/'.length)}`;
    const { file, entries } = zipOf(aws.fake, 'up-keep');
    expect(entries).toHaveLength(3004);
    expect(entries).toEqual(
      expect.arrayContaining(['src/mod0/file0.ts', 'src/mod29/file99.ts', 'keep.log', '.gitignore', 'assets/blob.bin', '.git-commit-hash']),
    );
    for (const gone of ['debug.log', 'node_modules/left-pad/index.js', '.git/HEAD']) expect(entries).not.toContain(gone);
    expect(execFileSync('unzip', ['-p', file, '.git-commit-hash'], { encoding: 'utf8' })).toBe('fedcba9876543210\n');
    expect(aws.fake.s3.calls.some((c) => c.key === key && c.op === 'DeleteObject')).toBe(false);
  });

  test.concurrent('GitHub: the checkout in GITHUB_WORKSPACE is uploaded, and the job summary names where', async () => {
    const dir = checkout();
    const gh = githubStep({ with: { 'project-name': 'up-gh', 'upload-source': 's3://ci-sources/gh' }, env: aws.env, workspace: dir });
    const r = await runBundle(gh.env, { cwd: gh.workspace });
    expect(r.code).toBe(0);
    const location = buildOf(aws.fake, 'up-gh').request.sourceLocationOverride;
    expect(gh.outputs()['source-location']).toBe(location);
    expect(gh.summary()).toContain(`<td>Uploaded source</td><td>s3://${location}</td>`);
  });
});

describe('upload-source under real conditions', () => {
  const real = useFake((fake) => {
    for (const name of ['up-cancel', 'up-cancel-zip', 'up-s3-endpoint', 'up-tree', 'up-git'])
      fake.addProject(name, successScript({ lines: ['building the uploaded zip'] }));
  });
  const slack = new SlackReceiver();
  beforeAll(() => slack.start());
  afterAll(() => slack.stop());
  /** The bundle's own temporary directory, to see what it leaves behind. */
  const tempDir = () => mkdtempSync(join(tmpdir(), 'cbr-tmp-'));
  const printed = (run: BundleRun, pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const t = setInterval(() => {
        if (Date.now() - started > timeoutMs) {
          clearInterval(t);
          run.child.kill('SIGKILL');
          reject(new Error(`never printed ${pattern}`));
        }
        if (!run.lines.some((l) => pattern.test(l.text))) return;
        clearInterval(t);
        resolve();
      }, 10);
    });

  test('a cancel during the upload aborts the multipart upload, starts no build, and still reports', async () => {
    real.fake.s3.options = { partDelayMs: 1_500 };
    const dir = checkout();
    const tmp = tempDir();
    const run = startBundle(
      { ...real.env, TMPDIR: tmp, PROJECT_NAME: 'up-cancel', UPLOAD_SOURCE: 's3://ci-sources/cancel', SLACK_WEBHOOK_URL: slack.url },
      { cwd: dir },
    );
    await printed(run, /Uploading the working directory/);
    await new Promise((r) => setTimeout(r, 500));
    const sentAt = Date.now();
    run.child.kill('SIGTERM');
    const r = await run.done;
    real.fake.s3.options = {};
    expect(r.code).toBe(143);
    expect(Date.now() - sentAt).toBeLessThan(7_500);
    expect(real.fake.builds.size === 0 || ![...real.fake.builds.values()].some((b) => b.project === 'up-cancel')).toBe(true);
    const ops = real.fake.s3.calls.filter((c) => c.key.startsWith('ci-sources/cancel/')).map((c) => c.op);
    expect(ops).toContain('AbortMultipartUpload');
    expect(ops).not.toContain('CompleteMultipartUpload');
    expect(real.fake.s3.openUploads.filter((k) => k.startsWith('ci-sources/cancel/'))).toEqual([]);
    expect(readJson(join(dir, 'codebuild-result.json'))).toMatchObject({ 'build-status': 'CANCELLED' });
    expect(slack.posts.filter((p) => JSON.stringify(p.body).includes('CANCELLED'))).toHaveLength(1);
    expect(readdirSync(tmp)).toEqual([]);
  }, 30_000);

  test('a cancel while zipping stops at once: nothing uploaded, nothing left in the temporary directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbr-src-'));
    for (let d = 0; d < 200; d++) {
      mkdirSync(join(dir, `d${d}`));
      for (let f = 0; f < 100; f++) writeFileSync(join(dir, `d${d}`, `f${f}.txt`), randomFillSync(Buffer.alloc(2_048)).toString('hex'));
    }
    const tmp = tempDir();
    const run = startBundle({ ...real.env, TMPDIR: tmp, PROJECT_NAME: 'up-cancel-zip', UPLOAD_SOURCE: 's3://ci-sources/zipcancel' }, { cwd: dir });
    await printed(run, /Zipping the working directory/);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(real.fake.s3.calls.filter((c) => c.key.startsWith('ci-sources/zipcancel/'))).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);

  test('a custom S3 endpoint given by host name (AWS_ENDPOINT_URL_S3) is addressed path-style', async () => {
    const port = new URL(real.env.AWS_ENDPOINT_URL!).port;
    const { AWS_ENDPOINT_URL: _global, ...rest } = real.env;
    const env = {
      ...rest,
      AWS_ENDPOINT_URL_CODEBUILD: `http://127.0.0.1:${port}`,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: `http://127.0.0.1:${port}`,
      AWS_ENDPOINT_URL_S3: `http://localhost:${port}`,
    };
    const dir = mkdtempSync(join(tmpdir(), 'cbr-src-'));
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    const r = await runBundle({ ...env, PROJECT_NAME: 'up-s3-endpoint', UPLOAD_SOURCE: 's3://ci-sources/minio' }, { cwd: dir });
    expect(r.stdout).not.toContain('ENOTFOUND');
    expect(r.code).toBe(0);
    expect(real.fake.s3.calls.some((c) => c.key.startsWith('ci-sources/minio/') && c.op === 'PutObject')).toBe(true);
  });

  test('nested .gitignore files, symlinks kept as symlinks, a .git file left out, the temporary zip deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbr-src-'));
    mkdirSync(join(dir, 'pkg/build'), { recursive: true });
    writeFileSync(join(dir, 'pkg/.gitignore'), '*.tmp\nbuild/\n');
    writeFileSync(join(dir, 'pkg/keep.ts'), 'export {}\n');
    writeFileSync(join(dir, 'pkg/scratch.tmp'), 'x\n');
    writeFileSync(join(dir, 'pkg/build/out.js'), 'x\n');
    writeFileSync(join(dir, 'top.tmp'), 'not ignored at the top\n');
    mkdirSync(join(dir, 'vendor/lib'), { recursive: true });
    writeFileSync(join(dir, 'vendor/lib/.git'), 'gitdir: ../../.git/modules/lib\n');
    writeFileSync(join(dir, 'vendor/lib/lib.c'), 'int x;\n');
    symlinkSync('pkg/keep.ts', join(dir, 'link-to-file'));
    symlinkSync('/etc', join(dir, 'link-outside'));
    const tmp = tempDir();
    const r = await runBundle({ ...real.env, TMPDIR: tmp, PROJECT_NAME: 'up-tree', UPLOAD_SOURCE: 's3://ci-sources/tree', KEEP_SOURCE: 'true' }, { cwd: dir });
    expect(r.code).toBe(0);
    const { file, entries } = zipOf(real.fake, 'up-tree');
    const listing = execFileSync('unzip', ['-Z', file], { encoding: 'utf8' });
    expect(entries).toEqual(['link-outside', 'link-to-file', 'pkg/.gitignore', 'pkg/keep.ts', 'top.tmp', 'vendor/lib/lib.c']);
    expect(listing).toMatch(/^l\S+ .* link-to-file$/m);
    expect(listing).toMatch(/^l\S+ .* link-outside$/m);
    expect(execFileSync('unzip', ['-p', file, 'link-outside'], { encoding: 'utf8' })).toBe('/etc');
    expect(readdirSync(tmp)).toEqual([]);
  });

  test("no CI variable names the commit: .git-commit-hash comes from the checkout; an earlier run's result file stays out", async () => {
    const sha = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';
    const dir = mkdtempSync(join(tmpdir(), 'cbr-src-'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(dir, '.git/packed-refs'), `# pack-refs with: peeled fully-peeled sorted\n${sha} refs/heads/main\n`);
    writeFileSync(join(dir, 'app.ts'), 'export {}\n');
    writeFileSync(join(dir, 'codebuild-result.json'), '{"build-status":"FAILED"}\n');
    const r = await runBundle({ ...real.env, PROJECT_NAME: 'up-git', UPLOAD_SOURCE: 's3://ci-sources/git', KEEP_SOURCE: 'true' }, { cwd: dir });
    expect(r.code).toBe(0);
    expect(buildOf(real.fake, 'up-git').request.sourceLocationOverride).toMatch(/^ci-sources\/git\/codebuild-run\/9f8e7d6c5b4a-[0-9a-f]{8}\.zip$/);
    const { file, entries } = zipOf(real.fake, 'up-git');
    expect(entries).toEqual(['.git-commit-hash', 'app.ts']);
    expect(execFileSync('unzip', ['-p', file, '.git-commit-hash'], { encoding: 'utf8' })).toBe(`${sha}\n`);
    // This run's result file is written after the upload, over the earlier one.
    expect(readJson(join(dir, 'codebuild-result.json'))).toMatchObject({ 'build-status': 'SUCCEEDED' });
  });

  test('an empty directory is refused before any call, naming it (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbr-empty-'));
    await withPrivateFake(async (env, fake) => {
      fake.addProject('up-empty', successScript());
      const r = await runBundle({ ...env, PROJECT_NAME: 'up-empty', UPLOAD_SOURCE: 's3://ci-sources/empty' }, { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toContain(`✖ Invalid settings:\n  - upload-source: the working directory ${dir} is empty: nothing to build`);
      expect(fake.calls).toEqual([]);
      expect(fake.s3.calls).toEqual([]);
    });
    expect(readdirSync(dir)).toEqual([]);
  });
});
