import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checksumProblem } from '../artifacts/checksums';
import { extractZip } from '../artifacts/extract-zip';
import { prepareWrite, targetOf } from '../artifacts/safe-path';
import type { ArtifactStore, StoredObject } from '../aws/s3-artifact-store';
import type { ArtifactToFetch } from '../domain/artifacts';
import type { Log } from '../log/log';
import type { OutputSink } from '../present/outputs';

// Fetching one artifact's objects: a ZIP extracted or a lone file kept, a folder copied object by
// object, each checked before it is kept. The choice of what to fetch is artifact-download.ts's.

export interface ArtifactDownloadDeps {
  readonly store: ArtifactStore;
  readonly log: Log;
  readonly outputs: OutputSink;
  /** The workspace the directory is relative to. */
  readonly workdir: string;
  readonly signal?: AbortSignal;
}

export interface Fetched {
  readonly files: readonly string[];
  readonly bytes: number;
}

/** One artifact being fetched: what, into which directory, and the plan's other locations beside or in it (theirs, not its). */
export interface Job {
  readonly artifact: ArtifactToFetch;
  readonly dir: string;
  readonly others: readonly string[];
  readonly deps: ArtifactDownloadDeps;
}

export const mb = (n: number) => (n / 1_048_576).toFixed(1);
export const urlOf = (a: ArtifactToFetch, key = a.location.key) => `s3://${a.location.bucket}/${key}${a.location.region ? ` (${a.location.region})` : ''}`;
export const under = (folder: string) => (folder ? `${folder}/` : '');

export const theirs = (key: string, others: readonly string[]) => others.some((k) => key === k || key.startsWith(`${k}/`));

/** Every object under `folder/` but folder markers ("dir/") and the plan's other artifacts. */
export async function listUnder({ artifact, others, deps }: Job, folder: string): Promise<StoredObject[]> {
  const all: StoredObject[] = [];
  const options = { signal: deps.signal, region: artifact.location.region };
  for await (const o of deps.store.list(artifact.location.bucket, folder, options)) {
    if (!o.key.endsWith('/') && !theirs(o.key, others)) all.push(o);
  }
  return all;
}

export async function fetchZip({ artifact, dir, deps }: Job, key: string): Promise<Fetched> {
  const temp = join(tmpdir(), `codebuild-run-artifact-${randomUUID()}`);
  try {
    deps.log.info(`Downloading ${artifact.label} from ${urlOf(artifact, key)}`);
    const options = { signal: deps.signal, region: artifact.location.region, onBytes: progress(deps.log) };
    const got = await deps.store.download(artifact.location.bucket, key, temp, options);
    if (!got)
      throw new MissingArtifactError(
        `${urlOf(artifact, key)} is not there: nothing under that prefix and no such object (expired by a lifecycle rule, or removed)`,
      );
    const mismatch = checksumProblem(artifact, `s3://${artifact.location.bucket}/${key}`, got);
    if (mismatch) throw new ChecksumError(mismatch);
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

/** NONE packaging: the objects under `folder/`, each checked before any is written. */
export async function fetchFolder({ artifact, dir, deps }: Job, folder: string, objects: readonly StoredObject[]): Promise<Fetched> {
  const { bucket, region } = artifact.location;
  const targets = objects.map((o) => ({ ...o, path: targetOf(dir, o.key.slice(under(folder).length)) }));
  const total = objects.reduce((sum, o) => sum + o.size, 0);
  deps.log.info(`Downloading ${artifact.label} from s3://${bucket}/${under(folder)} (${objects.length} files, ${mb(total)} MB)`);
  const show = progress(deps.log);
  const realDir = await madeDir(dir);
  let done = 0;
  for (const o of targets) {
    await prepareWrite(dir, realDir, o.path);
    const before = done;
    const got = await deps.store.download(bucket, o.key, o.path, { signal: deps.signal, region, onBytes: (n) => show(before + n, total) });
    if (!got) throw new MissingArtifactError(`s3://${bucket}/${o.key} was listed but is gone`);
    done += got.bytes;
  }
  return { files: targets.map((t) => t.path), bytes: done };
}

/** The directory, made; its real path, to check writes against. */
export async function madeDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return realpath(dir);
}

/** A line a quarter, as for the upload. */
export function progress(log: Log): (written: number, total: number) => void {
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

export class MissingArtifactError extends Error {}
export class ChecksumError extends Error {}
/** Which objects are the run's cannot be told: downloading them all could hand over another build's files. */
export class UntoldError extends Error {}
