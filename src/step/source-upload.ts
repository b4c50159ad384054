import { randomUUID } from 'node:crypto';
import { describeFailure, type FailureContext } from '../aws/failure';
import type { SourceStore, UploadProgress } from '../aws/s3-source-store';
import type { UploadConfig } from '../config/config';
import type { UploadDestination, UploadedSource } from '../domain/source';
import type { Log } from '../log/log';
import type { OutputSink } from '../present/outputs';
import { zipDirectory } from '../source-upload/archive';
import { sourceKey } from '../source-upload/source-key';

export interface SourceUploadDeps {
  readonly store: SourceStore;
  readonly log: Log;
  readonly outputs: OutputSink;
  /** The checkout to zip. */
  readonly workdir: string;
  readonly commit?: string;
  readonly failure: FailureContext;
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
    const { log, outputs } = this.deps;
    log.info(`Zipping the working directory ${this.deps.workdir}`);
    const archive = await zipDirectory(this.deps.workdir, { exclude: upload.exclude, commit: this.deps.commit, signal });
    const bucket = destination?.bucket ?? upload.bucket;
    const key = destination?.key ?? sourceKey(upload.prefix, this.deps.commit, new Date(), randomUUID().slice(0, 8));
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
    return { sourceTypeOverride: 'S3', sourceLocationOverride: this.location, ...(versionId && { versionId }) };
  }

  /** After the build: the zip was only for it. A failure is a warning; `hurry` (a cancel) bounds it to 2 s. */
  async remove(hurry = false): Promise<void> {
    if (!this.uploaded || this.config?.keep) return;
    const { bucket, key } = this.uploaded;
    try {
      await this.deps.store.remove(bucket, key, hurry ? AbortSignal.timeout(2_000) : undefined);
      this.deps.log.debug(`Deleted s3://${bucket}/${key}`);
    } catch (error) {
      this.deps.log.warning(`Could not delete the uploaded source s3://${bucket}/${key}: ${describeFailure(error, this.deps.failure)}`);
    }
  }
}
