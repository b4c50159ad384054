/**
 * One vocabulary for how a run stands, whatever the service calls it (CodeBuild says SUCCEEDED,
 * CodePipeline Succeeded): presenters choose colours and emoji by it and show the service's word.
 */
export type NormalStatus =
  | 'SUCCEEDED'
  | 'FAILED'
  | 'FAULT'
  | 'TIMED_OUT'
  | 'STOPPED'
  | 'SUPERSEDED'
  | 'ABANDONED'
  | 'IN_PROGRESS'
  | 'NOT_STARTED'
  | 'CANCELLED'
  | 'WAIT_TIMEOUT'
  | 'ERROR'
  | 'UNKNOWN';

/** A status as the service words it, beside what it means. */
export interface RunStatus {
  readonly word: string;
  readonly normal: NormalStatus;
}

const NORMAL = new Set<string>([
  'SUCCEEDED',
  'FAILED',
  'FAULT',
  'TIMED_OUT',
  'STOPPED',
  'SUPERSEDED',
  'ABANDONED',
  'IN_PROGRESS',
  'NOT_STARTED',
  'CANCELLED',
  'WAIT_TIMEOUT',
  'ERROR',
  'UNKNOWN',
]);

/** A word already in the vocabulary (CodeBuild's statuses are), or UNKNOWN. */
export function asNormal(word: string | undefined): NormalStatus {
  return word && NORMAL.has(word) ? (word as NormalStatus) : 'UNKNOWN';
}
