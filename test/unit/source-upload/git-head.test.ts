import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headCommit } from '../../../src/source-upload/git-head';
import { tree } from '../tree';

const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const SHA256 = 'c'.repeat(64);

/** The container image has no git binary: read the checkout with none on the PATH. */
async function headWithoutGit(dir: string): Promise<string | undefined> {
  const path = process.env.PATH;
  process.env.PATH = mkdtempSync(join(tmpdir(), 'no-git-'));
  try {
    return await headCommit(dir);
  } finally {
    process.env.PATH = path;
  }
}

describe('the commit of a checkout, read from .git without git', () => {
  test.each([
    ['a detached HEAD', { '.git/HEAD': `${A}\n` }, A],
    ['a SHA-256 repository', { '.git/HEAD': `${SHA256}\n` }, SHA256],
    ['a branch, as a loose ref', { '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': `${A}\n` }, A],
    [
      'a branch, in packed-refs (peeled tags and comments skipped)',
      {
        '.git/HEAD': 'ref: refs/heads/feature/x\n',
        '.git/packed-refs': `# pack-refs with: peeled fully-peeled sorted\n${B} refs/heads/main\n${A} refs/heads/feature/x\n^${B}\n`,
      },
      A,
    ],
    [
      'a loose ref wins over packed-refs',
      { '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': A, '.git/packed-refs': `${B} refs/heads/main\n` },
      A,
    ],
    [
      'a submodule (.git file, relative gitdir)',
      { 'sub/.git': 'gitdir: ../.git/modules/sub\n', '.git/modules/sub/HEAD': 'ref: refs/heads/main\n', '.git/modules/sub/refs/heads/main': A },
      A,
    ],
    [
      'a worktree (its own HEAD, the refs in the common dir)',
      {
        'wt/.git': 'gitdir: ../main/.git/worktrees/wt\n',
        'main/.git/worktrees/wt/HEAD': 'ref: refs/heads/topic\n',
        'main/.git/worktrees/wt/commondir': '../..\n',
        'main/.git/packed-refs': `${B} refs/heads/topic\n`,
      },
      B,
    ],
  ])('%s', async (_name, files, expected) => {
    const dir = tree(files);
    const at = Object.keys(files).some((f) => f.startsWith('sub/'))
      ? join(dir, 'sub')
      : Object.keys(files).some((f) => f.startsWith('wt/'))
        ? join(dir, 'wt')
        : dir;
    expect(await headWithoutGit(at)).toBe(expected);
  });

  test.each([
    ['no .git', {}],
    ['an unborn branch (no ref yet)', { '.git/HEAD': 'ref: refs/heads/main\n' }],
    ['a reftable repository (binary refs)', { '.git/HEAD': 'ref: refs/heads/.invalid\n', '.git/reftable/tables.list': 'x' }],
    ['a gitdir that is not there (a host path in a container)', { '.git': 'gitdir: /nowhere/.git/worktrees/x\n' }],
    ['a ref that leaves .git', { '.git/HEAD': 'ref: ../../etc/passwd\n' }],
    ['garbage in HEAD', { '.git/HEAD': 'not a ref\n' }],
  ])('%s: no commit, no error', async (_name, files) => {
    expect(await headWithoutGit(tree(files))).toBeUndefined();
  });
});
