import type { Build } from '@aws-sdk/client-codebuild';
import { phaseContext } from '../../domain/phase';
import { asNormal } from '../../domain/run-status';
import { secondsBetween, tookText, type Verdict } from '../../domain/verdict';

/** What a verdict needs of a build or a batch. */
export interface Judged {
  readonly noun: 'Build' | 'Batch';
  readonly project?: string;
  readonly number?: number;
  readonly status?: string;
  readonly phases?: readonly { phaseType?: string; phaseStatus?: string; contexts?: { statusCode?: string; message?: string }[] }[];
  readonly startTime?: Date;
  readonly endTime?: Date;
}

/** CodeBuild's verdict: its status, and the first phase that ended in anything but success (later ones often just inherit it). */
export function judge(j: Judged): Verdict {
  const status = j.status ?? 'UNKNOWN';
  const failed = (j.phases ?? []).find((p) => p.phaseStatus && p.phaseStatus !== 'SUCCEEDED' && p.phaseType !== 'COMPLETED');
  const reason = failed ? phaseContext(failed) : undefined;
  const durationSeconds = secondsBetween(j.startTime, j.endTime);
  const name = `${j.project ?? j.noun.toLowerCase()} #${j.number ?? '?'}`;
  const ok = status === 'SUCCEEDED';
  const where = failed?.phaseType ? ` in phase ${failed.phaseType}` : '';
  const why = reason ? `: ${reason}` : '';
  return {
    ok,
    status,
    normal: asNormal(status),
    failedPhase: failed?.phaseType,
    reason,
    durationSeconds,
    summary: `${j.noun} ${name} ${status}${tookText(durationSeconds, ok)}${ok ? '' : `${where}${why}`}`,
  };
}

export function verdictOf(build: Build): Verdict {
  return judge({ ...build, noun: 'Build', project: build.projectName, number: build.buildNumber, status: build.buildStatus });
}
