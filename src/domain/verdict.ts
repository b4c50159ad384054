import type { Build, BuildBatch } from '@aws-sdk/client-codebuild';
import { phaseContext } from './phase';

export const TERMINAL_STATUSES = ['SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED'] as const;

/** CodeBuild's final word on a build or a batch: anything but IN_PROGRESS. */
export function isFinal(status: string | undefined): boolean {
  return !!status && status !== 'IN_PROGRESS';
}

export interface Verdict {
  readonly ok: boolean;
  readonly status: string;
  /** The phase that did not succeed, when CodeBuild says which. */
  readonly failedPhase?: string;
  /** CodeBuild's own reason, from phases[].contexts[].message. */
  readonly reason?: string;
  readonly durationSeconds?: number;
  /** One line for the CI log. */
  readonly summary: string;
}

/** What a verdict needs of a build or a batch. */
interface Judged {
  readonly noun: 'Build' | 'Batch';
  readonly project?: string;
  readonly number?: number;
  readonly status?: string;
  readonly phases?: readonly { phaseType?: string; phaseStatus?: string; contexts?: { statusCode?: string; message?: string }[] }[];
  readonly startTime?: Date;
  readonly endTime?: Date;
}

function judge(j: Judged): Verdict {
  const status = j.status ?? 'UNKNOWN';
  // The first phase that ended in anything but success: later phases often just inherit it.
  const failed = (j.phases ?? []).find((p) => p.phaseStatus && p.phaseStatus !== 'SUCCEEDED' && p.phaseType !== 'COMPLETED');
  const reason = failed ? phaseContext(failed) : undefined;
  const durationSeconds = j.startTime && j.endTime ? Math.max(0, Math.round((j.endTime.getTime() - j.startTime.getTime()) / 1000)) : undefined;
  const name = `${j.project ?? j.noun.toLowerCase()} #${j.number ?? '?'}`;
  const took = durationSeconds === undefined ? '' : ` in ${formatDuration(durationSeconds)}`;
  const ok = status === 'SUCCEEDED';
  const where = failed?.phaseType ? ` in phase ${failed.phaseType}` : '';
  const why = reason ? `: ${reason}` : '';
  return {
    ok,
    status,
    failedPhase: failed?.phaseType,
    reason,
    durationSeconds,
    summary: ok ? `${j.noun} ${name} SUCCEEDED${took}` : `${j.noun} ${name} ${status}${took.replace(' in ', ' after ')}${where}${why}`,
  };
}

export function verdictOf(build: Build): Verdict {
  return judge({ ...build, noun: 'Build', project: build.projectName, number: build.buildNumber, status: build.buildStatus });
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m ${s % 60}s`;
}

export interface ChildBuild {
  readonly identifier: string;
  readonly build: Build;
  /** The group may fail without failing the batch (buildspec ignore-failure). */
  readonly ignoreFailure?: boolean;
}

/**
 * A batch's verdict is the batch's status; its reason is the first child that failed it (never
 * one whose failures are ignored), or the batch's own source download.
 */
export function batchVerdictOf(batch: BuildBatch, children: readonly ChildBuild[], sourceDownload?: Build): Verdict {
  const own = judge({ ...batch, noun: 'Batch', project: batch.projectName, number: batch.buildBatchNumber, status: batch.buildBatchStatus });
  if (own.ok) return own;
  const failed = children.find((c) => !c.ignoreFailure && c.build.buildStatus !== 'SUCCEEDED');
  const cause = failed ? blame(failed.identifier, verdictOf(failed.build)) : sourceDownloadFailure(sourceDownload);
  if (!cause) return own;
  const took = own.durationSeconds === undefined ? '' : ` after ${formatDuration(own.durationSeconds)}`;
  const name = `${batch.projectName ?? 'batch'} #${batch.buildBatchNumber ?? '?'}`;
  return { ...own, ...cause, summary: `Batch ${name} ${own.status}${took}: ${cause.reason}` };
}

function blame(identifier: string, child: Verdict): Pick<Verdict, 'failedPhase' | 'reason'> {
  const where = child.failedPhase ? ` in phase ${child.failedPhase}` : '';
  return {
    failedPhase: `${identifier}${child.failedPhase ? ` ${child.failedPhase}` : ''}`,
    reason: `${identifier} ${child.status}${where}${child.reason ? `: ${child.reason}` : ''}`,
  };
}

function sourceDownloadFailure(source: Build | undefined): Pick<Verdict, 'failedPhase' | 'reason'> | undefined {
  if (!source || source.buildStatus === 'SUCCEEDED' || !isFinal(source.buildStatus)) return undefined;
  const why = verdictOf(source).reason;
  return { failedPhase: 'DOWNLOAD_SOURCE', reason: `the source download failed${why ? `: ${why}` : ''}` };
}
