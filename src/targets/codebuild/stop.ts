import { describeFailure } from '../../aws/failure';
import { isFinal } from '../../domain/verdict';
import type { TargetDeps } from '../target';

/**
 * Stop a started run with `send` (StopBuild, StopBuildBatch…): nothing when it has ended; a line
 * for the user either way; never throws.
 */
export async function stopRun(deps: Pick<TargetDeps, 'log'>, run: { name: string; status?: string }, send: () => Promise<void>): Promise<string> {
  const { name, status } = run;
  if (isFinal(status)) return `${name} had already ended ${status}`;
  try {
    await send();
    deps.log.info(`Stopped ${name}.`);
    return `${name} was stopped`;
  } catch (error) {
    deps.log.error(`Could not stop ${name}: ${describeFailure(error)}`);
    return `stopping ${name} failed; it may still be running`;
  }
}
