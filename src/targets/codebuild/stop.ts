import { describeFailure } from '../../aws/failure';
import { isFinal } from '../../domain/verdict';
import type { TargetDeps } from '../target';

/**
 * Stop a started run with `send` (StopBuild, StopBuildBatch…): nothing when it has ended; a line
 * for the user either way; never throws.
 */
export async function stopRun(deps: Pick<TargetDeps, 'log' | 'failure'>, run: { id: string; status?: string }, send: () => Promise<void>): Promise<string> {
  const { id, status } = run;
  if (isFinal(status)) return `build ${id} had already ended ${status}`;
  try {
    await send();
    deps.log.info(`Stopped build ${id}.`);
    return `build ${id} was stopped`;
  } catch (error) {
    deps.log.error(`Could not stop build ${id}: ${describeFailure(error, deps.failure)}`);
    return `stopping build ${id} failed; it may still be running`;
  }
}
