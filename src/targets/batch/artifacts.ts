import type { BuildBatch } from '@aws-sdk/client-codebuild';
import { type ArtifactPlan, combinePlans } from '../../domain/artifacts';
import { buildArtifacts, ownedArtifacts, windowOf } from '../codebuild/artifacts';
import type { ChildBuild } from './verdict';

/**
 * A batch: each child's artifacts into `<identifier>`; or, when it combines them
 * (buildBatchConfig.combineArtifacts: "combined into a single artifact location"), the batch's
 * own artifacts and secondaryArtifacts, which its COMBINE_ARTIFACTS phase uploads ("Build output
 * artifacts are being combined and uploaded to the output location", BuildBatchPhase), and the
 * children's not again.
 */
export function batchArtifacts(batch: BuildBatch, children: readonly ChildBuild[]): ArtifactPlan {
  const eachChild = () => combinePlans(children.map((c) => buildArtifacts(c.build, c.identifier)));
  if (!batch.buildBatchConfig?.combineArtifacts) return eachChild();
  const phase = batch.phases?.find((p) => p.phaseType === 'COMBINE_ARTIFACTS');
  const name = `batch build ${batch.id}`;
  // Nothing combined (a child failed, the batch stopped): what each child uploaded is still there,
  // and with download-artifacts-on always it is what the user asked for (its test results, say).
  if (phase?.phaseStatus !== 'SUCCEEDED') {
    const each = eachChild();
    return {
      fetch: each.fetch,
      nothing: [`${name} combined no artifacts (no COMBINE_ARTIFACTS phase succeeded): each build's own are downloaded.`, ...each.nothing],
    };
  }
  const upload = { succeeded: phase?.phaseStatus === 'SUCCEEDED', window: windowOf(phase, 'COMBINE_ARTIFACTS phase'), phase: 'COMBINE_ARTIFACTS phase' };
  const { artifacts, secondaryArtifacts, encryptionKey } = batch;
  const own = ownedArtifacts({ name, artifacts, secondaryArtifacts, encryptionKey, upload }, '');
  const separately = children.length
    ? [`The ${children.length} builds of ${name} are combined into its artifacts (combineArtifacts): not downloaded one by one.`]
    : [];
  return { fetch: own.fetch, nothing: [...own.nothing, ...separately] };
}
