import { createWriteStream } from 'node:fs';
import { chmod, mkdir, realpath, rm, symlink } from 'node:fs/promises';
import { relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Entry, openPromise, type ZipFile } from 'yauzl';
import { checkLinkTarget, prepareWrite, targetOf, UnsafeArtifactError } from './safe-path';

export interface Extracted {
  /** Files and links written, relative to the directory extracted into. */
  readonly files: readonly string[];
  readonly bytes: number;
}

interface Planned {
  readonly entry: Entry;
  readonly name: string;
  readonly path: string;
  readonly kind: 'dir' | 'file' | 'link';
  readonly mode?: number;
  readonly linkTarget?: string;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const MADE_BY_UNIX = 3;
const MAX_LINK_TARGET = 4096;

/**
 * Extract the ZIP at `zipPath` into `root`, streaming entry by entry (yauzl reads the central
 * directory from the file; no entry is held in memory). Every entry is checked before anything is
 * written, so an archive that would write outside `root` (zip-slip, a link pointing out, a file
 * written through a link) is refused whole. Unix modes are kept (without setuid/setgid/sticky);
 * links are made last, so no file is ever written through one.
 */
export async function extractZip(zipPath: string, root: string, signal?: AbortSignal): Promise<Extracted> {
  let zip: ZipFile;
  try {
    // One handle for reading the directory and the entries: "entry must be an Entry object from this ZipFile".
    zip = await openPromise(zipPath, { autoClose: false, strictFileNames: true });
  } catch (error) {
    throw new UnsafeArtifactError(`not a readable ZIP archive (${(error as Error).message})`);
  }
  let bytes = 0;
  let plan: Planned[];
  try {
    plan = await planEntries(zip, root);
    await mkdir(root, { recursive: true });
    const realRoot = await realpath(root);
    for (const item of plan) {
      signal?.throwIfAborted();
      if (item.kind === 'dir') await mkdir(item.path, { recursive: true });
      if (item.kind !== 'file') continue;
      await prepareWrite(root, realRoot, item.path);
      await pipeline(await zip.openReadStreamPromise(item.entry), createWriteStream(item.path), { signal });
      if (item.mode !== undefined) await chmod(item.path, item.mode);
      bytes += item.entry.uncompressedSize;
    }
    for (const item of plan.filter((p) => p.kind === 'link')) {
      await prepareWrite(root, realRoot, item.path);
      await rm(item.path, { recursive: true, force: true });
      await symlink(item.linkTarget!, item.path);
    }
  } finally {
    zip.close();
  }
  return { files: plan.filter((p) => p.kind !== 'dir').map((p) => relative(root, p.path).split('\\').join('/')), bytes };
}

/** Read the central directory (and each link's target) and check every entry. */
async function planEntries(zip: ZipFile, root: string): Promise<Planned[]> {
  const plan: Planned[] = [];
  const seen = new Set<string>();
  for await (const entry of entries(zip)) {
    const name = entry.fileName;
    const path = targetOf(root, name);
    if (seen.has(path)) throw new UnsafeArtifactError(`'${name}' appears twice in the archive`);
    seen.add(path);
    const unixMode = entry.versionMadeBy >> 8 === MADE_BY_UNIX ? entry.externalFileAttributes >>> 16 : 0;
    if (name.endsWith('/')) plan.push({ entry, name, path, kind: 'dir' });
    else if ((unixMode & S_IFMT) === S_IFLNK) {
      const linkTarget = await readSmall(zip, entry);
      checkLinkTarget(root, path, linkTarget, name);
      plan.push({ entry, name, path, kind: 'link', linkTarget });
    } else plan.push({ entry, name, path, kind: 'file', ...(unixMode & 0o777 && { mode: unixMode & 0o777 }) });
  }
  // Nothing may be written below a link: `a` → `/etc`, then `a/passwd`.
  const links = plan.filter((p) => p.kind === 'link');
  for (const item of plan) {
    const under = links.find((l) => item.path.startsWith(`${l.path}/`));
    if (under) throw new UnsafeArtifactError(`'${item.name}' would be written through the link '${under.name}'`);
  }
  return plan;
}

/** yauzl's own checks (absolute names, `..`, bad sizes) arrive as errors: the archive is unsafe. */
async function* entries(zip: ZipFile): AsyncGenerator<Entry> {
  try {
    for await (const entry of zip.eachEntry()) yield entry;
  } catch (error) {
    if (error instanceof UnsafeArtifactError) throw error;
    throw new UnsafeArtifactError((error as Error).message);
  }
}

async function readSmall(zip: ZipFile, entry: Entry): Promise<string> {
  if (entry.uncompressedSize > MAX_LINK_TARGET) throw new UnsafeArtifactError(`'${entry.fileName}' is a link with a ${entry.uncompressedSize}-byte target`);
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
