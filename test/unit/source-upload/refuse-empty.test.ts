import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESULT_FILE } from '../../../src/frontdoor/text-door';
import { DEFAULT_RESULT_FILE, nothingToUpload } from '../../../src/step/source-upload';
import { successScript } from '../../fake/build-script';
import { runInProcess } from '../in-process/harness';

const upload = { bucket: 'b', prefix: 'p', exclude: [], keep: false };

describe('upload-source of an empty directory is refused before any call', () => {
  // runInProcess runs in a fresh, empty working directory (the job's checkout).
  test.each([
    ['a build', { PROJECT_NAME: 'app', UPLOAD_SOURCE: 's3://ci-sources/app' }],
    ['a pipeline (no GetPipeline either)', { PIPELINE_NAME: 'deploy', UPLOAD_SOURCE: 'true' }],
  ])('%s: exit 2, the directory named, no AWS call, no upload', async (_kind, variables) => {
    const r = await runInProcess(variables, (f) => f.addProject('app', successScript()));
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/✖ Invalid settings:\n {2}- upload-source: the working directory \/\S+cbr-run-\S+ is empty: nothing to build/);
    expect(r.fake.calls).toEqual([]);
    expect(r.fake.s3.calls).toEqual([]);
  });
});

describe('what counts as nothing to upload', () => {
  const dir = (files: Record<string, string>) => {
    const d = mkdtempSync(join(tmpdir(), 'nothing-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(d, path, '..'), { recursive: true });
      writeFileSync(join(d, path), text);
    }
    return d;
  };

  test('everything left out (.git, .gitignore, upload-exclude, an earlier result file): refused, naming the directory', async () => {
    const d = dir({ '.git/HEAD': 'ref: refs/heads/main', '.gitignore': 'dist/\n', 'dist/a.js': '', 'notes.md': '', 'codebuild-result.json': '{}' });
    expect(await nothingToUpload({ upload: { ...upload, exclude: ['.gitignore', '*.md'] } }, d)).toBe(
      `upload-source: nothing to upload in the working directory ${d}: every file in it is left out (.git, .gitignore, upload-exclude, the result file)`,
    );
  });

  test('a directory that is not there: named', async () => {
    expect(await nothingToUpload({ upload }, '/no/such/checkout')).toBe('upload-source: cannot read the working directory /no/such/checkout (ENOENT)');
  });

  test('one file is enough; without upload-source nothing is checked', async () => {
    expect(await nothingToUpload({ upload }, dir({ 'deep/down/a.txt': '' }))).toBeUndefined();
    expect(await nothingToUpload({}, '/no/such/checkout')).toBeUndefined();
  });

  test("the step's default result file is the front doors'", () => {
    expect(DEFAULT_RESULT_FILE).toBe(RESULT_FILE);
  });
});
