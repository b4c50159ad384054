import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import type { Json } from './aws-error';
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
  /** The ZIP object's key, or the folder prefix (NONE packaging), without a trailing slash. */
  readonly key: string;
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
  return { location: `arn:aws:s3:::${a.bucket}/${a.key}`, ...checksums, ...(a.identifier && { artifactIdentifier: a.identifier }) };
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

/** What the upload puts in S3. */
export function uploadArtifact(s3: FakeS3, a: ScriptedArtifact): void {
  if (a.zip) s3.objects.set(`${a.bucket}/${a.key}`, a.zip);
  else if (a.zipFile) s3.files.set(`${a.bucket}/${a.key}`, a.zipFile);
  for (const [name, body] of Object.entries(a.files ?? {})) s3.objects.set(`${a.bucket}/${a.key}/${name}`, Buffer.from(body));
}
