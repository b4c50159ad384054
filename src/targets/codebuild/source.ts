import type { SourceOverride, UploadedSource } from '../../domain/source';

/** The StartBuild(Batch) fields of an upload (not its version id, which StartBuild does not know). */
export function buildOverrides(source: UploadedSource | undefined): SourceOverride | Record<string, never> {
  return source ? { sourceTypeOverride: source.sourceTypeOverride, sourceLocationOverride: source.sourceLocationOverride } : {};
}
