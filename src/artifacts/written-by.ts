import type { WriteWindow } from '../domain/artifacts';

/**
 * Which listed objects a run wrote, by LastModified: "the object creation date or the last
 * modified date, whichever is the latest. For multipart uploads, the object creation date is the
 * date of initiation of the multipart upload" (S3 User Guide, "Working with object metadata").
 * Every upload of the run begins inside the phase that uploads, so its objects' dates fall in it;
 * an earlier build's fall before, a later one's after. S3 lists dates to the second, and
 * CodeBuild's clock is not S3's: the window is widened by this much on each side. A build running
 * at the same moment under the same prefix cannot be told apart; only namespaceType BUILD_ID can.
 */
export const CLOCK_SLACK_MS = 2_000;

export interface Listed {
  readonly key: string;
  readonly lastModified?: Date;
}

export type Sorted<T> = { readonly kept: T[]; readonly before: T[]; readonly after: T[] } | { readonly unknown: string };

export function writtenIn<T extends Listed>(objects: readonly T[], window: WriteWindow | undefined): Sorted<T> {
  if (!window) return { unknown: 'the run reported no start and end for the phase that uploaded them' };
  if (objects.some((o) => !o.lastModified)) return { unknown: 'S3 listed objects without a LastModified date' };
  const from = Math.floor(window.from / 1000) * 1000 - CLOCK_SLACK_MS;
  const to = window.to + CLOCK_SLACK_MS;
  const at = (o: T) => o.lastModified!.getTime();
  return { kept: objects.filter((o) => at(o) >= from && at(o) <= to), before: objects.filter((o) => at(o) < from), after: objects.filter((o) => at(o) > to) };
}

/** The name the run wrote under `parent` (overrideArtifactName): one object, or one folder of them. */
export type Named<T> = { readonly key: string; readonly objects: T[]; readonly single: boolean } | { readonly problem: string };

/**
 * overrideArtifactName: the buildspec names the artifact at build time, and the build's location
 * still names the project's (aws-codebuild-jenkins-plugin#77). What the run wrote under the
 * location's parent, grouped by the first path segment, is the artifact: exactly one name, or the
 * run cannot be told from others.
 */
export function namedByRun<T extends Listed>(written: readonly T[], parent: string): Named<T> {
  const prefix = parent ? `${parent}/` : '';
  const names = new Map<string, T[]>();
  for (const o of written) {
    const name = o.key.slice(prefix.length).split('/')[0]!;
    names.set(name, [...(names.get(name) ?? []), o]);
  }
  if (names.size !== 1) {
    const listed = [...names.keys()].slice(0, 5).join(', ');
    return {
      problem: names.size ? `it wrote ${names.size} names there (${listed}), and its location does not say which is this artifact` : 'it wrote nothing there',
    };
  }
  const [name, objects] = [...names.entries()][0]!;
  const key = `${prefix}${name}`;
  return { key, objects, single: objects.length === 1 && objects[0]!.key === key };
}

/** "a, b, c and 4 more". */
export function someKeys(objects: readonly Listed[], strip: string): string {
  const names = objects.slice(0, 5).map((o) => o.key.slice(strip.length));
  return objects.length > 5 ? `${names.join(', ')} and ${objects.length - 5} more` : names.join(', ');
}

/** The lines that say what was left out under `folder/` (`where`): earlier builds' objects, and (a warning) later ones'. */
export function leftOut(sorted: { before: readonly Listed[]; after: readonly Listed[] }, where: string, folder: string, phase: string, label: string) {
  const strip = folder ? `${folder}/` : '';
  const line = (objects: readonly Listed[], when: string, why: string) =>
    objects.length ? `Left out ${objects.length} objects under ${where} written ${when} its ${phase} (${why}): ${someKeys(objects, strip)}` : undefined;
  return {
    info: line(sorted.before, 'before', "an earlier build's: with namespaceType NONE every build writes to the same prefix"),
    warning: line(sorted.after, 'after', `a later build's; a file it rewrote is no longer ${label}'s: use namespaceType BUILD_ID`),
  };
}
