import type { NormalStatus } from './run-status';

export const TERMINAL_STATUSES = ['SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED'] as const;

/** CodeBuild's final word on a build or a batch: anything but IN_PROGRESS. */
export function isFinal(status: string | undefined): boolean {
  return !!status && status !== 'IN_PROGRESS';
}

/** A service's judgement of an ended run, whatever kind of run it was. */
export interface Verdict {
  readonly ok: boolean;
  /** The service's own word (SUCCEEDED, Succeeded …). */
  readonly status: string;
  readonly normal: NormalStatus;
  /** The part that did not succeed (a phase, a child, an action), when the service says which. */
  readonly failedPhase?: string;
  /** The service's own reason. */
  readonly reason?: string;
  readonly durationSeconds?: number;
  /** One line for the CI log. */
  readonly summary: string;
}

/** Whole seconds from `start` to `end`, when both are known. */
export function secondsBetween(start: Date | undefined, end: Date | undefined): number | undefined {
  return start && end ? Math.max(0, Math.round((end.getTime() - start.getTime()) / 1000)) : undefined;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m ${s % 60}s`;
}

/** " in 2m 3s" after success, " after 2m 3s" otherwise; nothing when unknown. */
export function tookText(seconds: number | undefined, ok: boolean): string {
  return seconds === undefined ? '' : ` ${ok ? 'in' : 'after'} ${formatDuration(seconds)}`;
}
