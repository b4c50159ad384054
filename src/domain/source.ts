/** What upload-source uploaded: the object, and its version (a pipeline's S3 source is pinned by it). */
export interface UploadedSource {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/** Where the zip goes when the run decides (a pipeline's S3 source action), not upload-source. */
export interface UploadDestination {
  readonly bucket: string;
  readonly key: string;
}
