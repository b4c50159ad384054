import { lstat, mkdir, realpath, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** An archive or listing that would write outside the download directory: refused whole. */
export class UnsafeArtifactError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeArtifactError';
  }
}

const inside = (root: string, path: string) => path === root || path.startsWith(root + sep);

/**
 * Where `name` (a zip entry or an S3 key below the artifact's prefix) goes under `root`, or why it
 * may not: absolute names, drive letters, backslashes, `..`, `.`, empty segments and NUL are
 * refused before any path arithmetic (zip-slip: snyk.io/research/zip-slip-vulnerability).
 */
export function targetOf(root: string, name: string): string {
  const segments = name.replace(/\/+$/, '').split('/');
  const bad =
    !name ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    name.includes('\\') ||
    name.includes('\0') ||
    segments.some((s) => s === '' || s === '.' || s === '..');
  const target = resolve(root, name);
  if (bad || !inside(root, target)) throw new UnsafeArtifactError(`'${name}' would be written outside the download directory`);
  return target;
}

/** A symlink entry's target must be relative and resolve inside `root` from where the link is. */
export function checkLinkTarget(root: string, linkPath: string, target: string, name: string): void {
  if (isAbsolute(target) || target.includes('\\') || !inside(root, resolve(dirname(linkPath), target))) {
    throw new UnsafeArtifactError(`'${name}' is a symbolic link to '${target}', outside the download directory`);
  }
}

/**
 * Make the directory of `path` and check that, with what already exists on disk (a workspace can
 * hold symlinks of its own), it is still inside `root`; remove a symlink at `path` itself, so a
 * write never goes through one.
 */
export async function prepareWrite(root: string, realRoot: string, path: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const real = await realpath(dir);
  if (!inside(realRoot, real)) throw new UnsafeArtifactError(`'${relative(root, path)}' would be written through a link to ${real}`);
  const existing = await lstat(path).catch(() => undefined);
  if (existing?.isSymbolicLink()) await unlink(path);
}
