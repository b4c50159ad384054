import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { extractZip } from '../artifacts/extract-zip';
import { prepareWrite, targetOf, UnsafeArtifactError } from '../artifacts/safe-path';
import { ArtifactAccessError, type ArtifactStore, type StoredObject } from '../aws/s3-artifact-store';
import type { DownloadConfig } from '../config/config';
import type { ArtifactPlan, ArtifactToFetch } from '../domain/artifacts';
import type { Log } from '../log/log';
import type { OutputSink } from '../present/outputs';

export interface ArtifactDownloadDeps {
  readonly store: ArtifactStore;
  readonly log: Log;
  readonly outputs: OutputSink;
  /** The workspace the directory is relative to. */
  readonly workdir: string;
  readonly signal?: AbortSignal;
}

interface Fetched {
  readonly files: readonly string[];
  readonly bytes: number;
}

const mb = (n: number) => (n / 1_048_576).toFixed(1);
const s3Url = (a: ArtifactToFetch) => `s3://${a.location.bucket}/${a.location.key}`;

/**
 * download-artifacts: bring every artifact of the plan into the directory. Returns the problem
 * that must fail the step (a user who asked for artifacts must not go green without them), or
 * nothing when all arrived.
 */
export async function downloadArtifacts(plan: ArtifactPlan, config: DownloadConfig, deps: ArtifactDownloadDeps): Promise<string | undefined> {
  const { log, outputs } = deps;
  const root = resolve(deps.workdir, config.dir);
  for (const line of plan.nothing) log.info(line);
  const files: string[] = [];
  let bytes = 0;
  for (const artifact of plan.fetch) {
    try {
      const got = await fetchArtifact(artifact, artifact.into ? targetOf(root, artifact.into) : root, deps);
      files.push(...got.files);
      bytes += got.bytes;
    } catch (error) {
      if (deps.signal?.aborted) throw error;
      return problemOf(error, artifact);
    }
  }
  if (plan.fetch.length) log.info(`Downloaded ${files.length} files (${mb(bytes)} MB) to ${root}`);
  outputs.set({ 'artifacts-dir': root, artifacts: JSON.stringify(files.map((f) => relative(deps.workdir, f).split('\\').join('/'))) });
  return undefined;
}

/** One artifact into `dir`: a ZIP is extracted, a folder (NONE packaging) copied object by object. */
async function fetchArtifact(artifact: ArtifactToFetch, dir: string, deps: ArtifactDownloadDeps): Promise<Fetched> {
  if (artifact.zip) return fetchZip(artifact, dir, deps);
  const listed: StoredObject[] = [];
  try {
    for await (const o of deps.store.list(artifact.location.bucket, artifact.location.key, deps.signal)) listed.push(o);
  } catch (error) {
    // Without s3:ListBucket a single object can still be read: try it, and report its error if it fails too.
    if (!(error instanceof ArtifactAccessError)) throw error;
    return fetchZip(artifact, dir, deps).catch((again) => {
      throw again instanceof MissingArtifactError ? error : again;
    });
  }
  // Folder markers ("dir/") hold nothing to write.
  const objects = listed.filter((o) => !o.key.endsWith('/'));
  if (listed.length) return fetchFolder(artifact, objects, dir, deps);
  // No checksum and nothing under the prefix: a single object at the key (a ZIP whose checksums
  // were not reported, or a lone file).
  return fetchZip(artifact, dir, deps);
}

async function fetchZip(artifact: ArtifactToFetch, dir: string, deps: ArtifactDownloadDeps): Promise<Fetched> {
  const { bucket, key } = artifact.location;
  const temp = join(tmpdir(), `codebuild-run-artifact-${randomUUID()}`);
  try {
    deps.log.info(`Downloading ${artifact.label} from ${s3Url(artifact)}`);
    const got = await deps.store.download(bucket, key, temp, { signal: deps.signal, onBytes: progress(deps.log) });
    if (!got)
      throw new MissingArtifactError(`${s3Url(artifact)} is not there: nothing under that prefix and no such object (expired by a lifecycle rule, or removed)`);
    if (artifact.sha256 && got.sha256 !== artifact.sha256) {
      deps.log.warning(`${s3Url(artifact)} is not the file the build uploaded (SHA-256 differs): another build may have written the same key since.`);
    }
    if (!got.looksZip) {
      // A lone file: kept under its own name.
      const path = targetOf(dir, key.slice(key.lastIndexOf('/') + 1) || 'artifact');
      await prepareWrite(dir, await madeDir(dir), path);
      await copyFile(temp, path);
      return { files: [path], bytes: got.bytes };
    }
    const extracted = await extractZip(temp, dir, deps.signal);
    deps.log.info(`Extracted ${extracted.files.length} files (${mb(extracted.bytes)} MB) into ${dir}`);
    return { files: extracted.files.map((f) => join(dir, f)), bytes: extracted.bytes };
  } finally {
    await rm(temp, { force: true });
  }
}

/** NONE packaging: every object under `<key>/`, each checked before any is written. */
async function fetchFolder(artifact: ArtifactToFetch, objects: readonly StoredObject[], dir: string, deps: ArtifactDownloadDeps): Promise<Fetched> {
  const { bucket, key } = artifact.location;
  const targets = objects.map((o) => ({ ...o, path: targetOf(dir, o.key.slice(key.length + 1)) }));
  const total = objects.reduce((sum, o) => sum + o.size, 0);
  deps.log.info(`Downloading ${artifact.label} from ${s3Url(artifact)}/ (${objects.length} files, ${mb(total)} MB)`);
  const show = progress(deps.log);
  const realDir = await madeDir(dir);
  let done = 0;
  for (const o of targets) {
    await prepareWrite(dir, realDir, o.path);
    const before = done;
    const got = await deps.store.download(bucket, o.key, o.path, { signal: deps.signal, onBytes: (n) => show(before + n, total) });
    if (!got) throw new MissingArtifactError(`s3://${bucket}/${o.key} was listed but is gone`);
    done += got.bytes;
  }
  return { files: targets.map((t) => t.path), bytes: done };
}

/** The directory, made; its real path, to check writes against. */
async function madeDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return realpath(dir);
}

/** A line a quarter, as for the upload. */
function progress(log: Log): (written: number, total: number) => void {
  let shown = 0;
  return (written, total) => {
    if (!total) return;
    const pct = Math.floor((100 * written) / total);
    if (pct >= shown + 25 || (pct === 100 && shown < 100)) {
      log.info(`Downloaded ${pct}% (${mb(written)} of ${mb(total)} MB)`);
      shown = pct;
    }
  };
}

class MissingArtifactError extends Error {}

/** One line naming what to fix: the permission, the object, or the entry refused. */
function problemOf(error: unknown, artifact: ArtifactToFetch): string {
  const what = `Could not download ${artifact.label}`;
  if (error instanceof ArtifactAccessError) {
    // The AWS managed aws/s3 key needs no grant of its own; a customer managed key does.
    const cmk = artifact.encryptionKey && !artifact.encryptionKey.endsWith('alias/aws/s3');
    const kms = cmk ? `; it is encrypted with ${artifact.encryptionKey}: also kms:Decrypt on that key` : '';
    return `${what}: ${error.message}. The credentials need ${error.permission}${kms}.`;
  }
  if (error instanceof UnsafeArtifactError) return `${what} (${s3Url(artifact)}): refused: ${error.message}. Nothing was written outside the directory.`;
  if (error instanceof MissingArtifactError) return `${what}: ${error.message}.`;
  return `${what} (${s3Url(artifact)}): ${(error as Error).name}: ${(error as Error).message}`;
}
