import type { ArtifactStore, PipelineDeclaration } from '@aws-sdk/client-codepipeline';
import type { ArtifactPlan, ArtifactToFetch } from '../../domain/artifacts';
import { actionLabel, isCodeBuild, type PipelineActionRow } from './rows';

/**
 * A pipeline: each CodeBuild action's output artifacts, from the pipeline's artifact store
 * (always ZIPs there), into `<artifact name>`. A cross-region action's are in the store of its
 * region ("There must be an artifact store for the pipeline Region and for each cross-region
 * action", PipelineDeclaration.artifactStores), which the request must go to; a store's
 * encryptionKey is named if S3 refuses.
 */
export function pipelineArtifacts(rows: readonly PipelineActionRow[], declaration?: PipelineDeclaration): ArtifactPlan {
  const built = rows.filter((r) => isCodeBuild(r) && r.status !== 'NotStarted');
  const fetch = built.flatMap((r) =>
    (r.artifacts ?? []).map((a): ArtifactToFetch => {
      const store = storeOf(declaration, a.bucket);
      const key = store?.encryptionKey?.id;
      const location = { bucket: a.bucket, key: a.key, ...(store?.region && { region: store.region }) };
      return { label: `artifact ${a.name} of ${actionLabel(r)}`, into: a.name, location, zip: true, ...(key && { encryptionKey: key }) };
    }),
  );
  return { fetch, nothing: fetch.length ? [] : ['No CodeBuild action of the execution produced an output artifact: nothing to download.'] };
}

/** The store that is this bucket (buckets are global), and its region when the pipeline has one store per region. */
function storeOf(declaration: PipelineDeclaration | undefined, bucket: string): (ArtifactStore & { region?: string }) | undefined {
  if (declaration?.artifactStore?.location === bucket) return declaration.artifactStore;
  const found = Object.entries(declaration?.artifactStores ?? {}).find(([, s]) => s.location === bucket);
  return found && { ...found[1], region: found[0] };
}
