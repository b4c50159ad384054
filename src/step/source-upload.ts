import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { describeFailure } from '../aws/failure';
import type { SourceStore, UploadProgress } from '../aws/s3-source-store';
import type { Config, UploadConfig } from '../config/config';
import type { UploadDestination, UploadedSource } from '../domain/source';
import type { Log } from '../log/log';
import type { OutputSink } from '../present/outputs';
import { hasEntries, zipDirectory } from '../source-upload/archive';
import { headCommit } from '../source-upload/git-head';
import { sourceKey } from '../source-upload/source-key';

export interface SourceUploadDeps {
  readonly store: SourceStore;
  readonly log: Log;
  readonly outputs: OutputSink;
  /** The checkout to zip. */
  readonly workdir: string;
  /** The commit the CI names; without one, the checkout's own `.git` is read. */
  readonly commit?: string;
  /** The step's settings: where the result, dotenv and JUnit files go, which are never uploaded. */
  readonly config?: OwnFileSettings;
}

/** The front doors' default result file (frontdoor/text-door.ts RESULT_FILE; a test pins the two together). */
export const DEFAULT_RESULT_FILE = 'codebuild-result.json';

type OwnFileSettings = Partial<Pick<Config, 'resultFile' | 'dotenvFile' | 'junitFile'>>;

/**
 * The product's own files in the checkout, relative and '/'-separated: this run's result,
 * dotenv and JUnit files, and the default result file an earlier run (an earlier step, a re-run,
 * a restored artifact) left there. Never uploaded: the build would get a stale verdict as source.
 */
export function ownFiles(workdir: string, settings: OwnFileSettings | undefined): ReadonlySet<string> {
  const own = new Set<string>();
  for (const file of [DEFAULT_RESULT_FILE, settings?.resultFile, settings?.dotenvFile, settings?.junitFile]) {
    if (!file) continue;
    const rel = relative(resolve(workdir), resolve(workdir, file));
    if (rel && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) own.add(rel.split(sep).join('/'));
  }
  return own;
}

/**
 * upload-source that would upload nothing (an empty directory, or everything in it left out):
 * the problem, naming the directory, so the step can refuse it before any call; else undefined.
 */
export async function nothingToUpload(config: Pick<Config, 'upload'> & OwnFileSettings, workdir: string): Promise<string | undefined> {
  if (!config.upload) return undefined;
  const dir = resolve(workdir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    return `upload-source: cannot read the working directory ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  if (!names.length)
    return `upload-source: the working directory ${dir} is empty: nothing to build (check out the code first, or run the step in the checkout)`;
  if (!(await hasEntries(dir, config.upload.exclude, ownFiles(dir, config)))) {
    return `upload-source: nothing to upload in the working directory ${dir}: every file in it is left out (.git, .gitignore, upload-exclude, the result file)`;
  }
  return undefined;
}

const mb = (n: number) => (n / 1_048_576).toFixed(1);

/**
 * upload-source: zip the working directory (excludes, .git-commit-hash), put it in S3 for the
 * build, and remove it once the build is over (unless keep-source).
 */
export class SourceUpload {
  /** bucket/key of the uploaded zip, once uploaded. */
  location?: string;
  private uploaded?: { bucket: string; key: string };

  constructor(
    private readonly config: UploadConfig | undefined,
    private readonly deps: SourceUploadDeps,
  ) {}

  /**
   * Upload, and return the overrides that build the upload; nothing when upload-source is off.
   * A cancel stops the zipping or the upload at once (the multipart upload is aborted).
   */
  async prepare(signal: AbortSignal, destination?: UploadDestination): Promise<UploadedSource | undefined> {
    const upload = this.config;
    if (!upload) return undefined;
    const { log, outputs, workdir } = this.deps;
    const commit = this.deps.commit ?? (await headCommit(workdir));
    if (commit && !this.deps.commit) log.debug(`Commit ${commit}, read from ${workdir}/.git`);
    log.info(`Zipping the working directory ${workdir}`);
    const skip = ownFiles(workdir, this.deps.config);
    const archive = await zipDirectory(workdir, { exclude: upload.exclude, commit, skip, signal });
    const bucket = destination?.bucket ?? upload.bucket;
    const key = destination?.key ?? sourceKey(upload.prefix, commit, new Date(), randomUUID().slice(0, 8));
    let versionId: string | undefined;
    try {
      log.info(`Uploading the working directory (${archive.files} files, ${mb(archive.bytes)} MB zipped) to s3://${bucket}/${key}`);
      let shown = 0;
      const onProgress = ({ loaded, total }: UploadProgress) => {
        const pct = total ? Math.floor((100 * loaded) / total) : 100;
        // A line a quarter: progress without flooding the log.
        if (pct >= shown + 25 || (pct === 100 && shown < 100)) {
          log.info(`Uploaded ${pct}% (${mb(loaded)} of ${mb(total)} MB)`);
          shown = pct;
        }
      };
      ({ versionId } = await this.deps.store.upload(bucket, key, archive.path, archive.bytes, { onProgress, signal, warn: (m) => log.warning(m) }));
    } finally {
      await archive.remove();
    }
    this.uploaded = { bucket, key };
    this.location = `${bucket}/${key}`;
    outputs.set({ 'source-location': this.location });
    // A cancel right after the upload must not go on to start the build (the zip is removed after).
    signal.throwIfAborted();
    return { bucket, key, ...(versionId && { versionId }) };
  }

  /** After the build: the zip was only for it. A failure is a warning; `hurry` (a cancel) bounds it to 2 s. */
  async remove(hurry = false): Promise<void> {
    if (!this.uploaded || this.config?.keep) return;
    const { bucket, key } = this.uploaded;
    try {
      await this.deps.store.remove(bucket, key, hurry ? AbortSignal.timeout(2_000) : undefined);
      this.deps.log.debug(`Deleted s3://${bucket}/${key}`);
    } catch (error) {
      this.deps.log.warning(`Could not delete the uploaded source s3://${bucket}/${key}: ${describeFailure(error)}`);
    }
  }
}
