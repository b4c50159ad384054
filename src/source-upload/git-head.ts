import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** A commit id: SHA-1, or SHA-256 in a repository created with --object-format=sha256. */
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** A symbolic ref HEAD may name; nothing that could leave the git directory. */
const safeRef = (ref: string) => /^refs\/[^\s\\]+$/.test(ref) && !ref.split('/').includes('..');
/** A ref may point at another ref (refs/remotes/origin/HEAD); a loop must end. */
const MAX_HOPS = 5;

/**
 * The commit a checkout is at, read from its `.git` the way git does, without the git binary
 * (the container image has none): HEAD holds a commit (detached) or names a ref, found as a loose
 * file or in `packed-refs`. `.git` may be a file (`gitdir: …`: a submodule or a worktree, whose
 * branches live in the common directory named by `commondir`). Anything else (no .git, an unborn
 * branch, a reftable repository, a gitdir outside a container's mounts): undefined, never an error.
 */
export async function headCommit(checkout: string): Promise<string | undefined> {
  try {
    const gitDir = await gitDirOf(checkout);
    if (!gitDir) return undefined;
    const common = await commonDirOf(gitDir);
    let value = (await readFile(join(gitDir, 'HEAD'), 'utf8')).trim();
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      if (COMMIT.test(value)) return value;
      const ref = /^ref:\s*(\S+)$/.exec(value)?.[1];
      if (!ref || !safeRef(ref)) return undefined;
      const next = (await looseRef(gitDir, ref)) ?? (common !== gitDir ? await looseRef(common, ref) : undefined) ?? (await packedRef(common, ref));
      if (!next) return undefined;
      value = next;
    }
  } catch {
    // Unreadable: the zip simply has no .git-commit-hash.
  }
  return undefined;
}

async function gitDirOf(checkout: string): Promise<string | undefined> {
  const dotGit = join(checkout, '.git');
  const info = await stat(dotGit).catch(() => undefined);
  if (info?.isDirectory()) return dotGit;
  if (!info?.isFile()) return undefined;
  const target = /^gitdir:\s*(.+)$/m.exec(await readFile(dotGit, 'utf8'))?.[1]?.trim();
  return target ? resolve(checkout, target) : undefined;
}

async function commonDirOf(gitDir: string): Promise<string> {
  const common = (await readFile(join(gitDir, 'commondir'), 'utf8').catch(() => '')).trim();
  return common ? resolve(gitDir, common) : gitDir;
}

async function looseRef(dir: string, ref: string): Promise<string | undefined> {
  const text = await readFile(join(dir, ref), 'utf8').catch(() => undefined);
  return text?.trim() || undefined;
}

/** `<commit> <ref>` lines; `#` is the header, `^<commit>` the peeled tag above. */
async function packedRef(common: string, ref: string): Promise<string | undefined> {
  const text = await readFile(join(common, 'packed-refs'), 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [commit, name] = line.trim().split(' ');
    if (name === ref && commit && COMMIT.test(commit)) return commit;
  }
  return undefined;
}
