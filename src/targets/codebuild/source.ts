import type { UploadedSource } from '../../domain/source';

/** StartBuild overrides that build an uploaded zip instead of the project's source. */
export interface SourceOverride {
  readonly sourceTypeOverride: 'S3';
  /** `bucket/key`, as StartBuild takes an S3 source location. */
  readonly sourceLocationOverride: string;
}

/** The StartBuild(Batch) fields of an upload (not its version id, which StartBuild does not take). */
export function buildOverrides(source: UploadedSource | undefined): SourceOverride | Record<string, never> {
  return source ? { sourceTypeOverride: 'S3', sourceLocationOverride: `${source.bucket}/${source.key}` } : {};
}
