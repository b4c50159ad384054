import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { ZipFile } from 'yazl';

export interface ArchiveOptions {
  /** .gitignore-style patterns, one an entry, on top of the directory's own .gitignore. */
  readonly exclude: readonly string[];
  /** Written to `.git-commit-hash` in the archive, for builds that need to know what they build. */
  readonly commit?: string;
}

export interface Archive {
  readonly path: string;
  readonly bytes: number;
  readonly files: number;
}

/**
 * The rules a user expects: `.git/` never goes, the directory's own `.gitignore` (at its root)
 * is honoured, then the explicit excludes, which may also re-include with `!`.
 */
function rules(dir: string, exclude: readonly string[]): Ignore {
  const rootIgnore = join(dir, '.gitignore');
  return ignore()
    .add('.git/')
    .add(existsSync(rootIgnore) ? readFileSync(rootIgnore, 'utf8') : '')
    .add([...exclude]);
}

/** Files to upload, relative and '/'-separated, in a stable order. Symlinks are left out. */
export function listFiles(dir: string, exclude: readonly string[]): string[] {
  const ig = rules(dir, exclude);
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(at, entry.name);
      const rel = relative(dir, full).split(sep).join('/');
      if (entry.isDirectory()) {
        if (!ig.ignores(`${rel}/`)) walk(full);
      } else if (entry.isFile() && !ig.ignores(rel)) out.push(rel);
    }
  };
  walk(dir);
  return out;
}

/** Zip `dir` to a temporary file, streaming: memory stays flat however large the tree. */
export async function zipDirectory(dir: string, options: ArchiveOptions): Promise<Archive> {
  const files = listFiles(dir, options.exclude);
  const zip = new ZipFile();
  for (const file of files) zip.addFile(join(dir, file), file);
  if (options.commit) zip.addBuffer(Buffer.from(`${options.commit}\n`), '.git-commit-hash');
  zip.end();
  const path = join(mkdtempSync(join(tmpdir(), 'codebuild-run-source-')), 'source.zip');
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path);
    zip.outputStream.pipe(out).on('close', resolve).on('error', reject);
    zip.outputStream.on('error', reject);
  });
  return { path, bytes: statSync(path).size, files: files.length + (options.commit ? 1 : 0) };
}
