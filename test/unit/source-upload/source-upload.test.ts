import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceStore } from '../../../src/aws/s3-source-store';
import type { UploadConfig } from '../../../src/config/config';
import { SourceUpload, type SourceUploadDeps } from '../../../src/step/source-upload';
import { RecordingLog } from '../support';
import { tree } from '../tree';

const SHA = '0123456789abcdef0123456789abcdef01234567';

/** SourceUpload over a store that keeps a copy of each zip; returns the key and the zip's entries. */
async function upload(workdir: string, more: Partial<SourceUploadDeps> & { resultFile?: string } = {}) {
  const kept = mkdtempSync(join(tmpdir(), 'uploaded-'));
  const keys: string[] = [];
  const store: SourceStore = {
    async upload(_bucket, key, path) {
      keys.push(key);
      copyFileSync(path, join(kept, 'source.zip'));
      return {};
    },
    async remove() {},
  };
  const config: UploadConfig = { bucket: 'b', prefix: 'ci', exclude: [], keep: false };
  const { resultFile, ...rest } = more;
  // The step hands SourceUpload all of its deps, the whole config among them.
  const deps = { store, log: new RecordingLog(), outputs: { set() {} }, workdir, config: { resultFile }, ...rest };
  await new SourceUpload(config, deps as SourceUploadDeps).prepare(new AbortController().signal);
  const zip = join(kept, 'source.zip');
  const entries = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n').sort();
  const hash = entries.includes('.git-commit-hash') ? execFileSync('unzip', ['-p', zip, '.git-commit-hash'], { encoding: 'utf8' }) : undefined;
  return { key: keys[0]!, entries, hash };
}

describe('upload-source: .git-commit-hash', () => {
  test('with no CI variable naming the commit, it is read from the checkout (HEAD → branch → loose ref)', async () => {
    const dir = tree({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': `${SHA}\n`, 'app.ts': '' });
    const r = await upload(dir);
    expect(r.hash).toBe(`${SHA}\n`);
    expect(r.key).toMatch(/^ci\/codebuild-run\/0123456789ab-[0-9a-f]{8}\.zip$/);
    expect(r.entries).toEqual(['.git-commit-hash', 'app.ts']);
  });

  test("a CI variable's commit wins over the checkout's", async () => {
    const dir = tree({ '.git/HEAD': `${SHA}\n`, 'app.ts': '' });
    expect((await upload(dir, { commit: 'feedface' })).hash).toBe('feedface\n');
  });

  test('a .git-commit-hash already in the checkout is replaced, never a second entry of that name', async () => {
    const r = await upload(tree({ '.git-commit-hash': 'stale\n', 'app.ts': '' }), { commit: 'feedface' });
    expect(r.entries).toEqual(['.git-commit-hash', 'app.ts']);
    expect(r.hash).toBe('feedface\n');
  });

  test('no .git and no CI variable: no hash file, and the upload goes on', async () => {
    const r = await upload(tree({ 'app.ts': '' }));
    expect(r.entries).toEqual(['app.ts']);
  });
});

describe("upload-source never uploads the product's own result file", () => {
  test('the default codebuild-result.json, left by an earlier run, stays out (result file on or off)', async () => {
    const files = { 'codebuild-result.json': '{"build-status":"FAILED"}', 'app.ts': '', 'sub/codebuild-result.json': 'a user file' };
    expect((await upload(tree(files), { resultFile: 'codebuild-result.json' })).entries).toEqual(['app.ts', 'sub/codebuild-result.json']);
    expect((await upload(tree(files))).entries).toEqual(['app.ts', 'sub/codebuild-result.json']);
  });

  test('a result-file of its own name, relative or absolute, stays out', async () => {
    const dir = tree({ 'out/result.json': '{}', 'app.ts': '' });
    expect((await upload(dir, { resultFile: 'out/result.json' })).entries).toEqual(['app.ts']);
    expect((await upload(dir, { resultFile: join(dir, 'out/result.json') })).entries).toEqual(['app.ts']);
  });
});
