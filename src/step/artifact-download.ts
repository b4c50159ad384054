import { relative, resolve } from 'node:path';
import { accessProblem } from '../artifacts/access-hints';
import { targetOf, UnsafeArtifactError } from '../artifacts/safe-path';
import { leftOut, namedByRun, writtenIn } from '../artifacts/written-by';
import { describeFailure } from '../aws/failure';
import { ArtifactAccessError, ArtifactRegionError, type StoredObject } from '../aws/s3-artifact-store';
import type { DownloadConfig } from '../config/config';
import type { ArtifactPlan, ArtifactToFetch } from '../domain/artifacts';
import {
  type ArtifactDownloadDeps,
  ChecksumError,
  type Fetched,
  fetchFolder,
  fetchZip,
  type Job,
  listUnder,
  MissingArtifactError,
  mb,
  UntoldError,
  under,
  urlOf,
} from './artifact-fetch';

export type { ArtifactDownloadDeps } from './artifact-fetch';

/**
 * download-artifacts: bring every artifact of the plan into the directory. Returns the problem
 * that must fail the step (a user who asked for artifacts must not go green without them), or
 * nothing when all arrived.
 */
export async function downloadArtifacts(plan: ArtifactPlan, config: DownloadConfig, deps: ArtifactDownloadDeps): Promise<string | undefined> {
  const { log, outputs } = deps;
  const root = resolve(deps.workdir, config.dir);
  for (const line of plan.nothing) log.info(line);
  const files: string[] = [];
  let bytes = 0;
  for (const artifact of plan.fetch) {
    try {
      const got = await fetchArtifact({ artifact, dir: artifact.into ? targetOf(root, artifact.into) : root, others: othersOf(plan, artifact), deps });
      files.push(...got.files);
      bytes += got.bytes;
    } catch (error) {
      if (deps.signal?.aborted) throw error;
      return problemOf(error, artifact);
    }
  }
  if (plan.fetch.length) log.info(`Downloaded ${files.length} files (${mb(bytes)} MB) to ${root}`);
  outputs.set({ 'artifacts-dir': root, artifacts: JSON.stringify(files.map((f) => relative(deps.workdir, f).split('\\').join('/'))) });
  return undefined;
}

/**
 * The plan's other locations in this bucket that are not around this one (a secondary beside a
 * primary named by its buildspec, or under one at the bucket's root): their objects are theirs,
 * fetched once, as theirs.
 */
function othersOf(plan: ArtifactPlan, artifact: ArtifactToFetch): string[] {
  const { bucket, key } = artifact.location;
  const around = (o: ArtifactToFetch) => key === o.location.key || key.startsWith(under(o.location.key));
  return plan.fetch.flatMap((o) => (o.location.bucket === bucket && !around(o) ? [o.location.key] : []));
}

/** A ZIP is extracted, a folder (NONE packaging) copied object by object, a name the buildspec chose found first. */
async function fetchArtifact(job: Job): Promise<Fetched> {
  const { artifact } = job;
  const { key } = artifact.location;
  if (artifact.nameFromBuildspec || (artifact.zip && !key)) return fetchNamedByRun(job);
  if (artifact.zip) return fetchZip(job, key);
  let listed: StoredObject[];
  try {
    listed = await listUnder(job, key);
  } catch (error) {
    // Without s3:ListBucket a single object can still be read: try it, and report its error if it fails too.
    if (!(error instanceof ArtifactAccessError) || !key) throw error;
    return fetchZip(job, key).catch((again) => {
      throw again instanceof MissingArtifactError ? error : again;
    });
  }
  if (listed.length) return fetchFolder(job, key, ownObjects(job, listed, key));
  if (!key) throw new MissingArtifactError(`nothing is at the root of s3://${artifact.location.bucket}/`);
  // No checksum and nothing under the prefix: a single object at the key (a ZIP whose checksums
  // were not reported, or a lone file).
  return fetchZip(job, key);
}

/** NONE packaging shares the prefix with every build of a NONE namespace: only what this run wrote, and what it did not, said. */
function ownObjects({ artifact, deps }: Job, objects: StoredObject[], folder: string): StoredObject[] {
  if (artifact.ownsPrefix) return objects;
  const where = `s3://${artifact.location.bucket}/${under(folder)}`;
  const sorted = writtenIn(objects, artifact.written);
  if ('unknown' in sorted) throw new UntoldError(`cannot tell which of the ${objects.length} objects under ${where} it wrote: ${sorted.unknown}`);
  const phase = artifact.written!.phase;
  const lines = leftOut(sorted, where, folder, phase, artifact.label);
  if (lines.info) deps.log.info(lines.info);
  if (lines.warning) deps.log.warning(lines.warning);
  if (!sorted.kept.length)
    throw new MissingArtifactError(`none of the ${objects.length} objects under ${where} was written during its ${phase}: they are other builds'`);
  return sorted.kept;
}

/** overrideArtifactName: the buildspec named it at build time; it is what the run wrote beside the location. */
async function fetchNamedByRun(job: Job): Promise<Fetched> {
  const { artifact, deps } = job;
  const { bucket, key } = artifact.location;
  const parent = key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '';
  const where = `s3://${bucket}/${under(parent)}`;
  const sorted = writtenIn(await listUnder(job, parent), artifact.written);
  if ('unknown' in sorted)
    throw new UntoldError(`its buildspec names it (overrideArtifactName), and which object under ${where} it wrote cannot be told: ${sorted.unknown}`);
  const during = `during its ${artifact.written!.phase}`;
  // A ZIP is one object, whatever its name's depth (`builds/12/app.zip`): the one at the location
  // if it is there, else each written in the window, until one matches the build's checksum.
  if (artifact.zip) return fetchWrittenZip(job, sorted.kept, where, during);
  const named = namedByRun(sorted.kept, parent);
  if ('problem' in named) throw new MissingArtifactError(`its buildspec names it (overrideArtifactName), and under ${where} ${named.problem} ${during}`);
  deps.log.info(`${artifact.label} is named by its buildspec (overrideArtifactName): s3://${bucket}/${named.key}`);
  return named.single ? fetchZip(job, named.key) : fetchFolder(job, named.key, named.objects);
}

/** At most this many objects written in the window are tried against the checksum (a shared bucket). */
const MAX_CANDIDATES = 5;

async function fetchWrittenZip(job: Job, written: readonly StoredObject[], where: string, during: string): Promise<Fetched> {
  const { artifact, deps } = job;
  const atLocation = written.filter((o) => o.key === artifact.location.key);
  // The latest first: the upload that ended the phase is the build's own most likely.
  const rest = written.filter((o) => o.key !== artifact.location.key).sort((a, b) => (b.lastModified?.getTime() ?? 0) - (a.lastModified?.getTime() ?? 0));
  const candidates = [...atLocation, ...rest].slice(0, MAX_CANDIDATES);
  if (!candidates.length) throw new MissingArtifactError(`its buildspec names it (overrideArtifactName), and under ${where} it wrote nothing ${during}`);
  for (const [i, o] of candidates.entries()) {
    try {
      const got = await fetchZip(job, o.key);
      deps.log.info(`${artifact.label} is named by its buildspec (overrideArtifactName): s3://${artifact.location.bucket}/${o.key}`);
      return got;
    } catch (error) {
      // Another writer's object in the same seconds: its checksum is not this build's; try the next.
      if (!(error instanceof ChecksumError) || i === candidates.length - 1 || !(artifact.sha256 || artifact.md5)) throw error;
    }
  }
  throw new MissingArtifactError(`its buildspec names it (overrideArtifactName), and none of the objects under ${where} written ${during} has its checksum`);
}

/** One line naming what to fix: the permission, the object, the cause, or the entry refused. */
function problemOf(error: unknown, artifact: ArtifactToFetch): string {
  const what = `Could not download ${artifact.label}`;
  if (error instanceof ArtifactAccessError) return accessProblem(what, artifact, error);
  if (error instanceof UnsafeArtifactError) return `${what} (${urlOf(artifact)}): refused: ${error.message}. Nothing was written outside the directory.`;
  if (error instanceof MissingArtifactError || error instanceof ChecksumError || error instanceof UntoldError || error instanceof ArtifactRegionError) {
    return `${what}: ${error.message}.`;
  }
  return `${what} (${urlOf(artifact)}): ${describeFailure(error)}`;
}
