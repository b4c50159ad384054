/** StartBuild overrides that build an uploaded zip instead of the project's source. */
export interface SourceOverride {
  readonly sourceTypeOverride: 'S3';
  readonly sourceLocationOverride: string;
}

/** What upload-source uploaded: the overrides for a build, and the object's version for a pipeline. */
export interface UploadedSource extends SourceOverride {
  readonly versionId?: string;
}

/** Where the zip goes when the run decides (a pipeline's S3 source action), not upload-source. */
export interface UploadDestination {
  readonly bucket: string;
  readonly key: string;
}
