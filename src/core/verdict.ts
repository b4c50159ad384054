import type { Build, BuildPhase } from '@aws-sdk/client-codebuild';

export const TERMINAL_STATUSES = ['SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED'] as const;

export function isTerminal(build: Build | undefined): boolean {
  return !!build?.buildStatus && build.buildStatus !== 'IN_PROGRESS';
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

export function verdictOf(build: Build): Verdict {
  const status = build.buildStatus ?? 'UNKNOWN';
  const failed = failedPhase(build.phases ?? []);
  const reason = failed ? contextMessage(failed) : undefined;
  const durationSeconds = duration(build);
  const name = `${build.projectName ?? 'build'} #${build.buildNumber ?? '?'}`;
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
    summary: ok ? `Build ${name} SUCCEEDED${took}` : `Build ${name} ${status}${took.replace(' in ', ' after ')}${where}${why}`,
  };
}

/** The first phase that ended in anything but success: later phases often just inherit it. */
function failedPhase(phases: readonly BuildPhase[]): BuildPhase | undefined {
  return phases.find((p) => p.phaseStatus && p.phaseStatus !== 'SUCCEEDED' && p.phaseType !== 'COMPLETED');
}

function contextMessage(phase: BuildPhase): string | undefined {
  const messages = (phase.contexts ?? []).map((c) => [c.statusCode, c.message].filter(Boolean).join(': ')).filter(Boolean);
  return messages.length ? messages.join('; ') : undefined;
}

function duration(build: Build): number | undefined {
  if (!build.startTime || !build.endTime) return undefined;
  return Math.max(0, Math.round((build.endTime.getTime() - build.startTime.getTime()) / 1000));
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
}

/** A batch's verdict is the batch's status; its reason is the first child that did not succeed. */
export function batchVerdictOf(batch: Build, children: readonly ChildBuild[]): Verdict {
  const own = verdictOf(batch);
  const failed = children.find((c) => c.build.buildStatus !== 'SUCCEEDED');
  if (own.ok || !failed) return { ...own, summary: own.summary.replace(/^Build /, 'Batch ') };
  const child = verdictOf(failed.build);
  const took = own.durationSeconds === undefined ? '' : ` after ${formatDuration(own.durationSeconds)}`;
  const name = `${batch.projectName ?? 'batch'} #${batch.buildNumber ?? '?'}`;
  const where = child.failedPhase ? ` in phase ${child.failedPhase}` : '';
  const reason = `${failed.identifier} ${child.status}${where}${child.reason ? `: ${child.reason}` : ''}`;
  return { ...own, failedPhase: `${failed.identifier}${child.failedPhase ? ` ${child.failedPhase}` : ''}`, reason, summary: `Batch ${name} ${own.status}${took}: ${reason}` };
}
