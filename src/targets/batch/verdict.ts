import type { Build, BuildBatch } from '@aws-sdk/client-codebuild';
import { isFinal, tookText, type Verdict } from '../../domain/verdict';
import { judge, verdictOf } from '../codebuild/verdict';

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
  const name = `${batch.projectName ?? 'batch'} #${batch.buildBatchNumber ?? '?'}`;
  return { ...own, ...cause, summary: `Batch ${name} ${own.status}${tookText(own.durationSeconds, false)}: ${cause.reason}` };
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
