import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { successScript } from '../fake/build-script';
import { buildOf, useFake } from './helpers';
import { githubRunnerFiles, inputs, readJson, runBundle } from './run-bundle';

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
    const r = await runBundle(
      {
        ...aws.env,
        PROJECT_NAME: 'up-keep',
        UPLOAD_SOURCE: 's3://ci-sources',
        UPLOAD_EXCLUDE: '*.log\n!keep.log',
        KEEP_SOURCE: 'true',
        BITBUCKET_BUILD_NUMBER: '3',
        BITBUCKET_COMMIT: 'fedcba9876543210',
        BITBUCKET_CLONE_DIR: dir,
      },
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const key = `ci-sources/${buildOf(aws.fake, 'up-keep').request.sourceLocationOverride.slice('ci-sources/'.length)}`;
    const zip = aws.fake.s3.objects.get(key)!;
    const file = join(mkdtempSync(join(tmpdir(), 'cbr-zip-')), 'source.zip');
    writeFileSync(file, zip);
    const entries = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8', maxBuffer: 1 << 24 })
      .trim()
      .split('\n');
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
    const gh = githubRunnerFiles();
    const r = await runBundle({ ...aws.env, ...gh.env, GITHUB_WORKSPACE: dir, ...inputs({ 'project-name': 'up-gh', 'upload-source': 's3://ci-sources/gh' }) });
    expect(r.code).toBe(0);
    const location = buildOf(aws.fake, 'up-gh').request.sourceLocationOverride;
    expect(gh.outputs()['source-location']).toBe(location);
    expect(gh.summary()).toContain(`<td>Uploaded source</td><td>s3://${location}</td>`);
  });
});
