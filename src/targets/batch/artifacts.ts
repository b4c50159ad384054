import type { BuildBatch } from '@aws-sdk/client-codebuild';
import { type ArtifactPlan, combinePlans, parseS3Arn } from '../../domain/artifacts';
import { buildArtifacts, toFetch } from '../codebuild/artifacts';
import type { ChildBuild } from './verdict';

/**
 * A batch: the combined artifact (buildBatchConfig.combineArtifacts) into the directory itself,
 * each child's into `<identifier>`.
 */
export function batchArtifacts(batch: BuildBatch, children: readonly ChildBuild[]): ArtifactPlan {
  // Only a batch that combines its children's artifacts has one of its own.
  const combined = batch.buildBatchConfig?.combineArtifacts && batch.artifacts?.location ? parseS3Arn(batch.artifacts.location) : undefined;
  const own: ArtifactPlan =
    combined && batch.artifacts
      ? { fetch: [toFetch(batch.artifacts, `the combined artifact of batch build ${batch.id}`, '', combined, batch.encryptionKey)], nothing: [] }
      : { fetch: [], nothing: [] };
  return combinePlans([own, ...children.map((c) => buildArtifacts(c.build, c.identifier))]);
}
