import type { Outputs } from '../domain/outputs';
import type { TargetDeps } from './target';

export interface Announced {
  readonly id?: string;
  readonly arn?: string;
  readonly number?: number;
  readonly status?: string;
  readonly url: string;
}

/**
 * The moment a run is known: its outputs (so cleanup steps have the id even if the wait fails),
 * the line that names it, and the console link.
 */
export function announceRun(deps: Pick<TargetDeps, 'log' | 'outputs'>, run: Announced, line: string, extra: Outputs = {}): void {
  deps.outputs.set({
    ...extra,
    'build-id': run.id,
    'build-arn': run.arn,
    'build-number': run.number === undefined ? undefined : String(run.number),
    'build-url': run.url,
    'build-status': run.status ?? 'IN_PROGRESS',
  });
  deps.log.info(line);
  deps.log.info(`Console: ${run.url}`);
}
