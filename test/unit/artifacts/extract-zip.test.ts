import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractZip } from '../../../src/artifacts/extract-zip';
import { UnsafeArtifactError } from '../../../src/artifacts/safe-path';
import { type RawEntry, rawZip } from '../../fake/raw-zip';

function setup(entries: readonly RawEntry[]) {
  const base = mkdtempSync(join(tmpdir(), 'extract-'));
  const zip = join(base, 'a.zip');
  writeFileSync(zip, rawZip(entries));
  const root = join(base, 'out');
  return { base, zip, root };
}

/** Every path under `dir`, relative. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('extractZip', () => {
  it('writes files and directories, keeps Unix modes without setuid, and lists what it wrote', async () => {
    const { root, zip } = setup([
      { name: 'imagedefinitions.json', data: '[{"name":"app"}]' },
      { name: 'bin/', mode: 0o040755 },
      { name: 'bin/run.sh', data: '#!/bin/sh\n', mode: 0o104755 },
      { name: 'deep/er/file.txt', data: 'x' },
    ]);
    const result = await extractZip(zip, root);
    expect([...result.files].sort()).toEqual(['bin/run.sh', 'deep/er/file.txt', 'imagedefinitions.json']);
    expect(readFileSync(join(root, 'imagedefinitions.json'), 'utf8')).toBe('[{"name":"app"}]');
    expect(statSync(join(root, 'bin/run.sh')).mode & 0o7777).toBe(0o755);
    expect(result.bytes).toBe(16 + 10 + 1);
  });

  it('keeps a link that points inside, made after the files', async () => {
    const { root, zip } = setup([
      { name: 'current', data: 'releases/v2', mode: 0o120777 },
      { name: 'releases/v2/app.txt', data: 'v2' },
    ]);
    await extractZip(zip, root);
    expect(lstatSync(join(root, 'current')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(root, 'current'))).toBe('releases/v2');
    expect(readFileSync(join(root, 'current/app.txt'), 'utf8')).toBe('v2');
  });

  test.each<[string, RawEntry[]]>([
    [
      'a ../ name',
      [
        { name: 'ok.txt', data: 'fine' },
        { name: '../evil.txt', data: 'pwned' },
      ],
    ],
    [
      'a nested ../ name',
      [
        { name: 'ok.txt', data: 'fine' },
        { name: 'a/../../evil.txt', data: 'pwned' },
      ],
    ],
    [
      'an absolute name',
      [
        { name: 'ok.txt', data: 'fine' },
        { name: '/tmp/evil.txt', data: 'pwned' },
      ],
    ],
    [
      'a backslash name',
      [
        { name: 'ok.txt', data: 'fine' },
        { name: '..\\evil.txt', data: 'pwned' },
      ],
    ],
    [
      'a link pointing out',
      [
        { name: 'ok.txt', data: 'fine' },
        { name: 'link', data: '../../', mode: 0o120777 },
      ],
    ],
    [
      'an absolute link',
      [
        { name: 'ok.txt', data: 'fine' },
        { name: 'link', data: '/etc', mode: 0o120777 },
      ],
    ],
    [
      'a file written through a link',
      [
        { name: 'ok.txt', data: 'fine' },
        { name: 'sub', data: 'inner', mode: 0o120777 },
        { name: 'sub/x.txt', data: 'through the link' },
      ],
    ],
    [
      'a duplicate name',
      [
        { name: 'ok.txt', data: 'fine' },
        { name: 'ok.txt', data: 'again' },
      ],
    ],
  ])('refuses an archive with %s, writing nothing at all', async (_, entries) => {
    const { base, zip, root } = setup(entries);
    await expect(extractZip(zip, root)).rejects.toBeInstanceOf(UnsafeArtifactError);
    expect(tree(root)).toEqual([]);
    expect(readdirSync(base)).toEqual(['a.zip']);
  });

  it('never writes through a link that was already in the directory', async () => {
    const { base, zip, root } = setup([{ name: 'cache/file.txt', data: 'x' }]);
    const outside = join(base, 'outside');
    mkdirSync(outside);
    mkdirSync(root);
    symlinkSync(outside, join(root, 'cache'));
    await expect(extractZip(zip, root)).rejects.toBeInstanceOf(UnsafeArtifactError);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('says a file that is not a ZIP is not one', async () => {
    const base = mkdtempSync(join(tmpdir(), 'extract-'));
    writeFileSync(join(base, 'a.zip'), 'plain text');
    await expect(extractZip(join(base, 'a.zip'), join(base, 'out'))).rejects.toThrow(/not a readable ZIP/);
  });
});
