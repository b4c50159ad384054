import { type Outcome, outcomeSucceeded } from './outcome';

export const NOTIFY_ON = ['always', 'failure', 'success', 'never'] as const;
export type NotifyOn = (typeof NOTIFY_ON)[number];

export function shouldNotify(on: NotifyOn, outcome: Outcome): boolean {
  if (on === 'always') return true;
  if (on === 'never') return false;
  return (on === 'success') === outcomeSucceeded(outcome);
}
