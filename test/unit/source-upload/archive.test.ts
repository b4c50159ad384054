import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { listEntries } from '../../../src/source-upload/archive';
import { tree } from '../tree';

describe('what upload-source zips', () => {
  test('each .gitignore applies to its own directory; deeper ones override; explicit excludes have the last word', async () => {
    const dir = tree({
      '.gitignore': '*.log\n',
      'a.log': '',
      'keep.txt': '',
      'app/.gitignore': '!important.log\ngenerated/\n',
      'app/important.log': '',
      'app/other.log': '',
      'app/generated/x.js': '',
      'app/src/main.ts': '',
      'other/generated/y.js': '',
      'docs/secret.md': '',
    });
    const paths = (await listEntries(dir, ['docs/', '!a.log'])).map((e) => e.path);
    expect(paths).toEqual(['.gitignore', 'a.log', 'app/.gitignore', 'app/important.log', 'app/src/main.ts', 'keep.txt', 'other/generated/y.js']);
  });

  test('.git is left out as a directory or as a file; symlinks are kept as links, never followed', async () => {
    const dir = tree({ '.git/HEAD': 'ref', 'sub/.git': 'gitdir: ../.git/modules/sub', 'sub/code.c': '' });
    symlinkSync('/etc/passwd', join(dir, 'passwd'));
    expect(await listEntries(dir, [])).toEqual([{ path: 'passwd', link: '/etc/passwd' }, { path: 'sub/code.c' }]);
  });

  test('an abort stops the listing', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(listEntries(tree({ a: '' }), [], controller.signal)).rejects.toThrow('cancelled');
  });
});
