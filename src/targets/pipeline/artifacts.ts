import type { ArtifactPlan } from '../../domain/artifacts';
import { actionLabel, isCodeBuild, type PipelineActionRow } from './rows';

/**
 * A pipeline: each CodeBuild action's output artifacts, from the pipeline's artifact store
 * (always ZIPs there), into `<artifact name>`.
 */
export function pipelineArtifacts(rows: readonly PipelineActionRow[]): ArtifactPlan {
  const built = rows.filter((r) => isCodeBuild(r) && r.status !== 'NotStarted');
  const fetch = built.flatMap((r) =>
    (r.artifacts ?? []).map((a) => ({ label: `artifact ${a.name} of ${actionLabel(r)}`, into: a.name, location: { bucket: a.bucket, key: a.key }, zip: true })),
  );
  return { fetch, nothing: fetch.length ? [] : ['No CodeBuild action of the execution produced an output artifact: nothing to download.'] };
}
