import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import type { Json } from './aws-error';
import type { BuildScript } from './build-script';
import type { FakeS3 } from './fake-s3';

/**
 * An artifact a scripted build uploads. Like CodeBuild (API_BuildArtifacts), the build reports
 * its location from the start, as `arn:aws:s3:::bucket/key`, and checksums only for ZIP
 * packaging; the objects exist once UPLOAD_ARTIFACTS has succeeded.
 */
export interface ScriptedArtifact {
  /** A secondary artifact's artifactIdentifier; the primary has none. */
  readonly identifier?: string;
  readonly bucket: string;
  /**
   * The ZIP object's key, or the folder prefix (NONE packaging), without a trailing slash; '' for
   * the bucket's root (ProjectArtifacts.name "/": "the artifact is stored in the root of the
   * output bucket").
   */
  readonly key: string;
  /**
   * overrideArtifactName: the name the buildspec gives at build time ("calculated at build time
   * and uses the Shell Command Language"), in place of the key's last segment. The build still
   * reports the project's name in its location (awslabs/aws-codebuild-jenkins-plugin#77: the
   * location named the project, the object the buildspec's name).
   */
  readonly buildspecName?: string;
  /** The build's project is in another account than the bucket (and the CI's credentials). */
  readonly otherAccount?: boolean;
  /** BuildArtifacts.bucketOwnerAccess: NONE (the default) leaves another account's objects unreadable to the bucket owner. */
  readonly bucketOwnerAccess?: 'NONE' | 'READ_ONLY' | 'FULL';
  /** ZIP: the archive's bytes, or a file holding them (a large one). */
  readonly zip?: Buffer;
  readonly zipFile?: string;
  /** NONE packaging: the files under the prefix. */
  readonly files?: Readonly<Record<string, string>>;
}

/** artifactsOverride (ProjectArtifacts) moves the primary: `location` is the bucket, then path/name. */
export function overridden(artifact: ScriptedArtifact, override: Json | undefined): ScriptedArtifact {
  if (!override?.location || override.type !== 'S3') return artifact;
  const key = [override.path, override.name].filter(Boolean).join('/') || artifact.key;
  return { ...artifact, bucket: String(override.location).replace(/^arn:aws:s3:::/, ''), key };
}

export function artifactView(a: ScriptedArtifact): Json {
  const checksums = a.zip
    ? { sha256sum: createHash('sha256').update(a.zip).digest('hex'), md5sum: createHash('md5').update(a.zip).digest('hex') }
    : a.zipFile
      ? { sha256sum: hashFile(a.zipFile, 'sha256'), md5sum: hashFile(a.zipFile, 'md5') }
      : {};
  return {
    location: `arn:aws:s3:::${a.bucket}/${a.key}`,
    ...checksums,
    ...(a.identifier && { artifactIdentifier: a.identifier }),
    ...(a.buildspecName && { overrideArtifactName: true }),
    ...(a.bucketOwnerAccess && { bucketOwnerAccess: a.bucketOwnerAccess }),
  };
}

/** Where the objects really go: the buildspec's name replaces the last segment. */
function storedKey(a: ScriptedArtifact): string {
  if (!a.buildspecName) return a.key;
  const parent = a.key.includes('/') ? a.key.slice(0, a.key.lastIndexOf('/')) : '';
  return parent ? `${parent}/${a.buildspecName}` : a.buildspecName;
}

const hashes = new Map<string, string>();
function hashFile(path: string, algorithm: string): string {
  const id = `${algorithm}:${path}`;
  if (hashes.has(id)) return hashes.get(id)!;
  const hash = createHash(algorithm);
  const fd = openSync(path, 'r');
  const chunk = Buffer.alloc(1 << 20);
  for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
  closeSync(fd);
  hashes.set(id, hash.digest('hex'));
  return hashes.get(id)!;
}

/**
 * What the upload puts in S3, at `at` (its LastModified). Builds upload when the fake is next
 * asked, in no particular order, so a key keeps the latest write, as S3 does.
 */
export function uploadArtifact(s3: FakeS3, a: ScriptedArtifact, at = s3.now()): void {
  const key = storedKey(a);
  const put = (k: string, write: () => void) => {
    if ((s3.modifiedAt.get(k) ?? -1) > at) return;
    write();
    s3.modifiedAt.set(k, at);
    if (a.otherAccount && (a.bucketOwnerAccess ?? 'NONE') === 'NONE') s3.unreadable.add(k);
  };
  const object = `${a.bucket}/${key}`;
  if (a.zip) put(object, () => s3.objects.set(object, a.zip!));
  else if (a.zipFile) put(object, () => s3.files.set(object, a.zipFile!));
  for (const [name, body] of Object.entries(a.files ?? {})) {
    const k = key ? `${object}/${name}` : `${object}${name}`;
    put(k, () => s3.objects.set(k, Buffer.from(body)));
  }
}

/** An object another build left, `at` (an earlier build of a project whose artifacts share a key). */
export function leftover(s3: FakeS3, object: string, body: string | Buffer, at: number): void {
  s3.objects.set(object, Buffer.from(body));
  s3.modifiedAt.set(object, at);
}

/** When the build's UPLOAD_ARTIFACTS phase starts, after its start: the agent begins uploading then. */
export function uploadStartMs(script: BuildScript): number {
  let t = 0;
  for (const p of script.phases) {
    if (p.name === 'UPLOAD_ARTIFACTS') return t + 1;
    t += p.durationMs;
  }
  return t;
}

/** How long a combining batch's COMBINE_ARTIFACTS phase lasts, at its end. */
export const COMBINE_MS = 400;

/**
 * A batch that combines its builds' artifacts (ProjectBuildBatchConfig.combineArtifacts: "combined
 * into a single artifact location"): it reports them as its own `artifacts` and
 * `secondaryArtifacts` (BuildBatch), written in its COMBINE_ARTIFACTS phase ("Build output
 * artifacts are being combined and uploaded to the output location", BuildBatchPhase).
 */
export function combinedView(artifacts: readonly ScriptedArtifact[], end: number | undefined, succeeded: boolean): Json {
  const primary = artifacts.find((a) => !a.identifier);
  const secondaries = artifacts.filter((a) => a.identifier);
  const combine =
    end !== undefined && succeeded
      ? [{ phaseType: 'COMBINE_ARTIFACTS', phaseStatus: 'SUCCEEDED', startTime: (end - COMBINE_MS) / 1000, endTime: end / 1000 }]
      : [];
  return {
    buildBatchConfig: { combineArtifacts: true },
    artifacts: primary ? artifactView(primary) : { location: '' },
    ...(secondaries.length && { secondaryArtifacts: secondaries.map(artifactView) }),
    combinePhases: combine,
  };
}

/** A pipeline's artifact store bucket in a region. */
export const storeBucket = (region: string) => `codepipeline-${region}-123456789012`;

interface StoredPipeline {
  readonly stages: readonly { readonly actions: readonly { readonly region?: string }[] }[];
  /** ArtifactStore.encryptionKey: a customer managed KMS key (else the default key for Amazon S3). */
  readonly artifactStoreKey?: string;
}

const crossRegions = (p: StoredPipeline, home: string) => [
  ...new Set(p.stages.flatMap((s) => s.actions.flatMap((a) => (a.region && a.region !== home ? [a.region] : [])))),
];

/**
 * The declaration's store(s): "You must include either artifactStore or artifactStores in your
 * pipeline, but you cannot use both. If you create a cross-region action in your pipeline, you
 * must use artifactStores", one "for the pipeline Region and for each cross-region action"
 * (PipelineDeclaration); each store's bucket is in its region.
 */
export function storesOf(p: StoredPipeline, home: string): Json {
  const store = (region: string) => ({
    type: 'S3',
    location: storeBucket(region),
    ...(p.artifactStoreKey && { encryptionKey: { id: p.artifactStoreKey, type: 'KMS' } }),
  });
  const others = crossRegions(p, home);
  if (!others.length) return { artifactStore: store(home) };
  return { artifactStores: Object.fromEntries([home, ...others].map((r) => [r, store(r)])) };
}

/** The cross-region stores' buckets answer from their regions only. */
export function placeStores(s3: FakeS3, p: StoredPipeline, home: string): void {
  const regions = Object.fromEntries(crossRegions(p, home).map((r) => [storeBucket(r), r]));
  s3.options = { ...s3.options, regions: { ...s3.options.regions, ...regions } };
}
