import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipFile } from 'yazl';
import { IgnoreRules } from './ignore-rules';

export interface ArchiveOptions {
  /** .gitignore-style patterns, one an entry, on top of the directory's own .gitignore files. */
  readonly exclude: readonly string[];
  /** Written to `.git-commit-hash` in the archive, for builds that need to know what they build. */
  readonly commit?: string;
  /** Paths (relative, '/'-separated) that never go, whatever the rules say: the product's own files. */
  readonly skip?: ReadonlySet<string>;
  /** Stops listing and zipping at once; the temporary zip is removed. */
  readonly signal?: AbortSignal;
}

export interface Archive {
  readonly path: string;
  readonly bytes: number;
  readonly files: number;
  /** Delete the temporary zip (and its directory). */
  remove(): Promise<void>;
}

/** One file to put in the zip: a regular file, or a symlink stored as a symlink (its target as data). */
export interface Entry {
  readonly path: string;
  readonly link?: string;
}

const HASH_FILE = '.git-commit-hash';

/** A symlink's zip entry: S_IFLNK in the Unix mode, as `zip -y` and git keep links. */
const SYMLINK_MODE = 0o120777;

/**
 * What to upload, relative and '/'-separated, in a stable order: the rules a user of git
 * expects. `.git` (a directory, or the file of a submodule or worktree) never goes; every
 * .gitignore applies to its own directory; the explicit excludes come last and may re-include
 * with `!`. Symlinks are kept as symlinks, never followed: a link to a file outside the checkout
 * (~/.aws, /etc) must not upload that file. `skip` never goes either.
 */
export async function listEntries(dir: string, exclude: readonly string[], signal?: AbortSignal, skip?: ReadonlySet<string>): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const entry of walkEntries(dir, exclude, signal, skip)) out.push(entry);
  return out;
}

/** Whether anything would be uploaded: stops at the first entry, so a large tree costs nothing. */
export async function hasEntries(dir: string, exclude: readonly string[], skip?: ReadonlySet<string>): Promise<boolean> {
  for await (const _ of walkEntries(dir, exclude, undefined, skip)) return true;
  return false;
}

async function* walkEntries(dir: string, exclude: readonly string[], signal?: AbortSignal, skip?: ReadonlySet<string>): AsyncGenerator<Entry> {
  async function* walk(at: string, rel: string, rules: IgnoreRules): AsyncGenerator<Entry> {
    signal?.throwIfAborted();
    const names = (await readdir(at, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    const gitignore = names.find((e) => e.name === '.gitignore' && e.isFile());
    const here = gitignore ? rules.nested(rel, await readFile(join(at, '.gitignore'), 'utf8')) : rules;
    for (const entry of names) {
      if (entry.name === '.git') continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!here.ignores(`${path}/`)) yield* walk(join(at, entry.name), path, here);
        continue;
      }
      if (skip?.has(path) || here.ignores(path)) continue;
      if (entry.isSymbolicLink()) yield { path, link: await readlink(join(at, entry.name)) };
      else if (entry.isFile()) yield { path };
    }
  }
  yield* walk(dir, '', IgnoreRules.root(exclude));
}

/** Zip `dir` to a temporary file, streaming: memory stays flat however large the tree. */
export async function zipDirectory(dir: string, options: ArchiveOptions): Promise<Archive> {
  const { signal } = options;
  // With a commit, a .git-commit-hash already in the checkout would be a second entry of that name.
  const skip = options.commit ? new Set([...(options.skip ?? []), HASH_FILE]) : options.skip;
  const entries = await listEntries(dir, options.exclude, signal, skip);
  const tempDir = await mkdtemp(join(tmpdir(), 'codebuild-run-source-'));
  const remove = () => rm(tempDir, { recursive: true, force: true });
  const path = join(tempDir, 'source.zip');
  const zip = new ZipFile();
  for (const e of entries) {
    if (e.link !== undefined) zip.addBuffer(Buffer.from(e.link), e.path, { mode: SYMLINK_MODE });
    else zip.addFile(join(dir, e.path), e.path);
  }
  if (options.commit) zip.addBuffer(Buffer.from(`${options.commit}\n`), HASH_FILE);
  zip.end();
  try {
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(path);
      const stop = () => {
        zip.outputStream.unpipe(out);
        out.destroy();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', stop, { once: true });
      const settle = (fn: () => void) => () => {
        signal?.removeEventListener('abort', stop);
        fn();
      };
      zip.outputStream.pipe(out).on('close', settle(resolve)).on('error', reject);
      zip.outputStream.on(
        'error',
        settle(() => reject(new Error('zipping failed'))),
      );
    });
    signal?.throwIfAborted();
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, bytes: (await stat(path)).size, files: entries.length + (options.commit ? 1 : 0), remove };
}
